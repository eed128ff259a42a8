// The ontology ids of nodes an ad-hoc result returned only as relationship ends.
// $ids: element ids, as the store reported them.
MATCH (n)
WHERE elementId(n) IN $ids
RETURN elementId(n) AS element_id, n.id AS id
