// Practices no role is responsible for: gaps in the role model.
// @param category: string = null — only practices of this category (general, service, technical); all when null
MATCH (p:Practice)
WHERE ($category IS NULL OR p.category = $category)
  AND NOT EXISTS { MATCH (:Role)-[:RESPONSIBLE_FOR]->(p) }
RETURN p.id AS practice, p.name AS name, p.category AS category
ORDER BY practice
