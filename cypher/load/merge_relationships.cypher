// Create or update relationships of one type; {{type}} is a type from ontology/schema.yaml.
// $rows: [{id, start, end, properties}]; properties replace the relationship's properties.
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})
MATCH (b:Entity {id: row.end})
MERGE (a)-[r:{{type}} {id: row.id}]->(b)
SET r = row.properties
