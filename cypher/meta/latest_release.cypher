// The most recently loaded release, or no row when nothing was loaded.
MATCH (r:Release)
RETURN r {.*} AS release
ORDER BY r.loaded_at DESC
LIMIT 1
