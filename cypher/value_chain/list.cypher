// Every value chain with its framework and its activities (the service orders them by `order`).
MATCH (vc:ValueChain)
RETURN vc.id AS id, vc.name AS name,
       [(vc)-[:PART_OF]->(f:Framework) | {id: f.id, name: f.name}] AS frameworks,
       [(a:ValueChainActivity)-[:PART_OF]->(vc) | {id: a.id, name: a.name, order: a.order}] AS activities
ORDER BY id
