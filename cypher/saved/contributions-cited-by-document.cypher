// Practice contributions to value chain activities that cite one source document, with the line
// ranges cited.
// @param document: string = 001 — a seed file name or its leading number (001, 004_6bac5329a5891c6e.txt)
MATCH (p:Practice)-[c:CONTRIBUTES_TO]->(a:ValueChainActivity)
WHERE any(s IN c.sources WHERE s STARTS WITH $document)
RETURN p.id AS practice, a.id AS activity, c.level AS level,
       [s IN c.sources WHERE s STARTS WITH $document] AS cited
ORDER BY practice, activity
