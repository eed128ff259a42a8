// Every relationship between ontology nodes as the store holds it now, keyed by its `id` property.
MATCH (a:Entity)-[r]->(b:Entity)
RETURN r.id AS id, type(r) AS type, a.id AS start, b.id AS end, properties(r) AS properties
