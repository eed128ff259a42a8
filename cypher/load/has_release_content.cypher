// Whether a release's content is kept (without reading the content itself). $id: the release id.
MATCH (c:ReleaseContent)
WHERE c.release = $id
RETURN count(c) AS kept
