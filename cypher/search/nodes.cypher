// Nodes whose name, alias, code or id matches the text, ranked for autocomplete: exact match first,
// then prefix, then word prefix, then substring. Ties go to the label that comes first in
// $label_order (a practice before a competency of the same name), then to the shorter name.
// $q: lower-case text; $label: label or null; $label_order: labels, most wanted first;
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
WITH n, score,
     coalesce(head([i IN range(0, size($label_order) - 1) WHERE $label_order[i] IN labels(n)]), size($label_order)) AS rank
ORDER BY score DESC, rank, size(n.name), n.name, n.id
WITH collect(n {.id, .name, label: [l IN labels(n) WHERE l <> 'Entity'][0], score: score}) AS matched
RETURN size(matched) AS total, matched[$skip..$skip + $limit] AS items
