// How many ontology nodes and relationships the store holds: a no-op load checks them against the
// release it would otherwise record again.
MATCH (n:Entity)
WITH count(n) AS nodes
OPTIONAL MATCH (:Entity)-[r]->(:Entity)
RETURN nodes, count(r) AS relationships
