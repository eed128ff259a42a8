// Record a loaded release: $release = {id, version, content_hash, loaded_at, nodes, relationships}.
CREATE (r:Release)
SET r = $release
