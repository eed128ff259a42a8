// Record a loaded release: $release = {id, version, content_hash, loaded_at, nodes, relationships,
// documents (the schema's source documents as a JSON string)}.
CREATE (r:Release)
SET r = $release
