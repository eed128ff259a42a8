// The mappings (MAPS_TO, ALIGNS_WITH, either direction) that join a node of one list to a node of
// the other: what makes two different nodes count as the same when two roles are compared.
// $a, $b: node ids.
UNWIND $a AS x
MATCH (p:Entity {id: x})-[m:MAPS_TO|ALIGNS_WITH]-(q:Entity)
WHERE q.id IN $b
RETURN p.id AS a_id, q.id AS b_id, m.id AS id, type(m) AS type, m.kind AS kind,
       coalesce(m.basis, 'stated') AS basis, m.rationale AS rationale, m.sources AS sources
ORDER BY a_id, b_id, id
