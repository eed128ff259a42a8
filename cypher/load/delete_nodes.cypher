// Remove nodes the ontology no longer holds (or whose label changed), with their relationships.
// $ids: list of node ids.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
DETACH DELETE n
