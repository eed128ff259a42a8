// Which of the given ids name a node (a saved query's `id` parameters: an unknown one is 404).
// $ids: node ids.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id
