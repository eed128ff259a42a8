// Mappings (MAPS_TO) and alignments (ALIGNS_WITH) of one node to nodes of other kinds or
// frameworks, in both directions, with how each was established.
// @param node: id = practice:service-level-management — id of any node
MATCH (n:Entity {id: $node})-[m:MAPS_TO|ALIGNS_WITH]-(other:Entity)
RETURN type(m) AS link,
       CASE WHEN startNode(m) = n THEN 'outgoing' ELSE 'incoming' END AS direction,
       other.id AS other, other.name AS name, m.kind AS kind, m.basis AS basis, m.rationale AS rationale
ORDER BY link, other
