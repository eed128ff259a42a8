// Every relationship between ontology nodes as (start, end, type), for the networkx analytics.
MATCH (a:Entity)-[r]->(b:Entity)
RETURN a.id AS start, b.id AS end, type(r) AS type
