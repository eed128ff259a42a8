// The further parts of a release content kept in parts, in order. $id: the release id.
MATCH (p:ReleaseContentPart)
WHERE p.release = $id
RETURN p.part AS part, p.data AS data
ORDER BY part
