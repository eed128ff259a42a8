// The kept content of a release, or no row. $id: the release id.
MATCH (c:ReleaseContent)
WHERE c.release = $id
RETURN c.encoding AS encoding, c.data AS data
LIMIT 1
