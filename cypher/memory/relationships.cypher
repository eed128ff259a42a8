// Every relationship between two nodes, with its properties, for the in-memory graph of a release
// (app/services/memory.py). No parameters.
MATCH (a:Entity)-[r]->(b:Entity)
RETURN a.id AS start, b.id AS end, type(r) AS type, properties(r) AS properties
