// Every name, alias and code in the graph: the words a misspelt search is corrected against.
MATCH (n:Entity)
RETURN n.name AS name, n.code AS code, coalesce(n.aliases, []) AS aliases
