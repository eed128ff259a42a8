// A page of nodes, optionally filtered by label, text in name/aliases/id/code, and source document.
// $label: label or null; $q: lower-case text or null; $source: seed file name or null;
// $skip, $limit: the page. Returns the total count and the page in one row.
MATCH (n:Entity)
WHERE ($label IS NULL OR $label IN labels(n))
  AND ($source IS NULL OR any(s IN n.sources WHERE s STARTS WITH $source + ':'))
  AND ($q IS NULL
       OR toLower(n.name) CONTAINS $q
       OR toLower(n.id) CONTAINS $q
       OR toLower(coalesce(n.code, '')) CONTAINS $q
       OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS $q))
WITH n ORDER BY n.id
WITH collect(n {.id, .name, .description, .sources, label: [l IN labels(n) WHERE l <> 'Entity'][0]}) AS matched
RETURN size(matched) AS total, matched[$skip..$skip + $limit] AS items
