// The steps of one value stream in order, each with the value chain activities it maps to.
// @param stream: id = value-stream:user-support — id of the value stream
MATCH (s:ValueStreamStep)-[:PART_OF]->(:ValueStream {id: $stream})
OPTIONAL MATCH (s)-[:MAPS_TO]->(a:ValueChainActivity)
RETURN s.order AS step, s.id AS id, s.name AS name, a.id AS activity, a.name AS activity_name
ORDER BY step, activity
