// The headline question's activity and how many practices answer it, for a paged answer (the page
// itself: value_chain/practices_page). $activity: activity id; $source: seed file name or null
// (only statements the document states count); $floor: the weakest level to include, as a rank
// (high 4, medium 3, low 2, unspecified 1, none 0). A practice counts when one of its statements is
// at least that strong (its strongest then is too). No row when the activity is unknown.
MATCH (a:ValueChainActivity {id: $activity})
OPTIONAL MATCH (p:Practice)-[c:CONTRIBUTES_TO]->(a)
WHERE ($source IS NULL OR any(s IN c.sources WHERE s STARTS WITH $source + ':'))
  AND CASE c.level WHEN 'high' THEN 4 WHEN 'medium' THEN 3 WHEN 'low' THEN 2 WHEN 'unspecified' THEN 1 ELSE 0 END
      >= $floor
WITH a, count(DISTINCT p) AS total
RETURN a {.id, .name, .description, .sources, label: 'ValueChainActivity'} AS activity, total
