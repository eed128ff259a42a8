// Hub nodes a path should not pass through when `avoid_hubs` is asked: the frameworks and value
// chains everything is PART_OF, which join unrelated nodes by membership alone.
MATCH (n:Entity)
WHERE n:Framework OR n:ValueChain
RETURN n.id AS id
ORDER BY id
