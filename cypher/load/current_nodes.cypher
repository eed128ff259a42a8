// Every ontology node as the store holds it now: the loader's plan compares it with the YAML.
MATCH (n:Entity)
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'] AS labels, properties(n) AS properties
