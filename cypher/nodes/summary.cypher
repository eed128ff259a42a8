// The id, label and name of one node, or no row when the id is unknown. $id: node id.
MATCH (n:Entity {id: $id})
RETURN n {.id, .name, .description, .sources, label: [l IN labels(n) WHERE l <> 'Entity'][0]} AS node
