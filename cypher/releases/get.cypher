// One release by id, with whether its content is kept. $id: the release id.
MATCH (r:Release)
WHERE r.id = $id
OPTIONAL MATCH (c:ReleaseContent)
WHERE c.release = r.id
WITH r, count(c) AS contents
RETURN r {.id, .version, .content_hash, .loaded_at, .nodes, .relationships, .previous} AS release,
       contents > 0 AS kept
