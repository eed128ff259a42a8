// Nodes whose name, alias, code or id matches the text, ranked for autocomplete: exact match first,
// then prefix, then word prefix, then substring. $q: lower-case text; $label: label or null;
// $skip, $limit: the page.
MATCH (n:Entity)
WHERE $label IS NULL OR $label IN labels(n)
WITH n, [toLower(n.name), toLower(coalesce(n.code, ''))] + [a IN coalesce(n.aliases, []) | toLower(a)] AS names
WITH n, names,
     CASE
       WHEN any(x IN names WHERE x = $q) THEN 100
       WHEN any(x IN names WHERE x STARTS WITH $q) THEN 60
       WHEN any(x IN names WHERE x CONTAINS ' ' + $q OR x CONTAINS '/' + $q OR x CONTAINS '(' + $q) THEN 40
       WHEN any(x IN names WHERE x CONTAINS $q) THEN 20
       WHEN toLower(n.id) CONTAINS $q THEN 10
       ELSE 0
     END AS score
WHERE score > 0
WITH n, score ORDER BY score DESC, size(n.name), n.name, n.id
WITH collect(n {.id, .name, label: [l IN labels(n) WHERE l <> 'Entity'][0], score: score}) AS matched
RETURN size(matched) AS total, matched[$skip..$skip + $limit] AS items
