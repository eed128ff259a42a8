// The latest release carrying a version (a forced reload repeats a version with the same content).
// $version: the version string.
MATCH (r:Release)
WHERE r.version = $version
RETURN r.id AS id
ORDER BY r.loaded_at DESC
LIMIT 1
