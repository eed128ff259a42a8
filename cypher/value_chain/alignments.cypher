// The activities of other value chains an activity aligns with (ALIGNS_WITH, either direction),
// with the alignment's basis, rationale and sources. $activity: activity id.
MATCH (a:ValueChainActivity {id: $activity})-[w:ALIGNS_WITH]-(b:ValueChainActivity)
RETURN b.id AS id, b.name AS name, w.basis AS basis, w.rationale AS rationale, w.sources AS sources,
       startNode(w).id = a.id AS outgoing
ORDER BY id
