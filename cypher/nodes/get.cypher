// One node by id with its properties and every relationship, in both directions.
// $id: node id. No row when the id is unknown.
MATCH (n:Entity {id: $id})
RETURN n {.*} AS properties,
       [l IN labels(n) WHERE l <> 'Entity'][0] AS label,
       [(n)-[r]->(m:Entity) | {direction: 'out', type: type(r), properties: properties(r),
         node: {id: m.id, label: [l IN labels(m) WHERE l <> 'Entity'][0], name: m.name}}] AS outgoing,
       [(n)<-[r]-(m:Entity) | {direction: 'in', type: type(r), properties: properties(r),
         node: {id: m.id, label: [l IN labels(m) WHERE l <> 'Entity'][0], name: m.name}}] AS incoming
