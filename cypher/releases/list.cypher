// A page of releases, newest first, each saying whether its content is kept. $skip, $limit: the page.
MATCH (r:Release)
WITH r ORDER BY r.loaded_at DESC SKIP $skip LIMIT $limit
OPTIONAL MATCH (c:ReleaseContent)
WHERE c.release = r.id
WITH r, count(c) AS contents
RETURN r {.id, .version, .content_hash, .loaded_at, .nodes, .relationships, .previous} AS release,
       contents > 0 AS kept
ORDER BY release.loaded_at DESC
