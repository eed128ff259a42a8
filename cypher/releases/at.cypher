// The release that was current at a moment: the latest loaded at or before it, or no row.
// $at: a UTC time written as the loader writes loaded_at (YYYY-MM-DDTHH:MM:SS.mmmZ).
MATCH (r:Release)
WHERE r.loaded_at <= $at
RETURN r.id AS id
ORDER BY r.loaded_at DESC
LIMIT 1
