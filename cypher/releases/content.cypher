// The kept content of a release (its first part, and how many parts it has: null for one), or no
// row. $id: the release id.
MATCH (c:ReleaseContent)
WHERE c.release = $id
RETURN c.encoding AS encoding, c.data AS data, c.parts AS parts
LIMIT 1
