// Practices that contribute to one value chain activity, strongest contribution first, with the
// short wording that supports each level.
// @param activity: id = activity:itil:deliver-and-support — id of the value chain activity
// @param level: string = null — keep only this level (high, medium, low, none, unspecified); every level when null
MATCH (p:Practice)-[c:CONTRIBUTES_TO]->(a:ValueChainActivity {id: $activity})
WHERE $level IS NULL OR c.level = $level
RETURN p.id AS practice, p.name AS name, c.level AS level, c.level_cue AS cue, c.summary AS summary
ORDER BY CASE c.level WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 WHEN 'unspecified' THEN 4 ELSE 5 END,
         practice
