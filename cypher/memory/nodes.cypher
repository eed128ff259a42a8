// Every node as the in-memory graph of a release holds it (app/services/memory.py): the fields the
// walks and the headline read, and all its properties for node detail. No parameters.
MATCH (n:Entity)
RETURN n.id AS id, n.name AS name, n.description AS description, n.sources AS sources,
       n.category AS category, n.kind AS kind, [l IN labels(n) WHERE l <> 'Entity'][0] AS label,
       n {.*} AS properties
