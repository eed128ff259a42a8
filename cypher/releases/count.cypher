// How many releases were recorded, and how many after a moment. $after: a loaded_at value or null.
MATCH (r:Release)
RETURN count(r) AS total, sum(CASE WHEN $after IS NOT NULL AND r.loaded_at > $after THEN 1 ELSE 0 END) AS after
