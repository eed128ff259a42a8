// The organisation sources of the loaded release (docs/overlay.md): one row per Organisation node,
// with its files, the data rows imported and how many roles are PART_OF it. No parameters.
MATCH (o:Organisation)
OPTIONAL MATCH (r:Role)-[:PART_OF]->(o)
RETURN o.id AS id, o.name AS title, o.description AS description, o.files AS files, o.rows AS rows,
       count(r) AS roles
ORDER BY id
