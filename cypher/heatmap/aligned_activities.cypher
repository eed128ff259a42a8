// For each activity of one value chain, the activities of other chains it aligns with (ALIGNS_WITH,
// either direction), so a chain without contribution edges of its own (Zero Outage) can be drawn
// through the chain it aligns with. $chain: value chain id.
MATCH (a:ValueChainActivity)-[:PART_OF]->(:ValueChain {id: $chain})
MATCH (a)-[w:ALIGNS_WITH]-(b:ValueChainActivity)
RETURN a.id AS activity, b.id AS aligned, b.name AS aligned_name, w.basis AS basis
ORDER BY activity, aligned
