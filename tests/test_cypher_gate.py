"""The token-level gate on its own (no store): what passes, what is refused and why."""

from __future__ import annotations

import pytest

from app.adhoc.gate import GateRefusal, GateSyntaxError, check, tokenize

READS = [
    "MATCH (n:Practice) RETURN n.id ORDER BY n.id",
    "match (n) return count(n)",
    "MATCH (p:Practice)-[c:CONTRIBUTES_TO]->(a) WHERE c.level = $level RETURN p, c, a",
    "MATCH (n)-[*1..3]->(m) RETURN DISTINCT m.id",
    "MATCH (n)-[*..3]-(m) RETURN m.id",
    "MATCH p = shortestPath((a {id: $a})-[*..6]-(b {id: $b})) RETURN p",
    "OPTIONAL MATCH (r:Role)-[:RESPONSIBLE_FOR]->(p) RETURN r, p",
    "UNWIND $ids AS id MATCH (n {id: id}) RETURN n",
    "MATCH (n) WITH n, count { (n)--() } AS degree WHERE degree > 3 RETURN n.id, degree",
    "MATCH (n) WHERE EXISTS { MATCH (n)-[:REQUIRES]->() } RETURN n.id",
    "CALL { MATCH (n:Practice) RETURN n } RETURN n.id",
    "CALL db.labels()",
    "CALL db.labels() YIELD label RETURN label ORDER BY label",
    "CALL db.relationshipTypes",
    "CALL db.schema.visualization()",
    "RETURN date.truncate('month', date()), duration.between(date('2024-01-01'), date()), datetime()",
    "RETURN point.distance(point({x: 0, y: 0}), point({x: 3, y: 4}))",
    # Keywords that are only text, names or comments pass:
    "RETURN 'CREATE (n) SET n.x = 1 DETACH DELETE n' AS harmless",
    'RETURN "LOAD CSV FROM \\"file:///etc/passwd\\"" AS s',
    "MATCH (n:`Set`) RETURN n.`delete`",
    "MATCH (n) RETURN n.set, n.create, n {.remove, .merge}",
    "RETURN {delete: 1, create: 2, load: 3} AS m",
    "MATCH (create:Practice) RETURN create.id",
    "MATCH (start:Role)-[:MAPS_TO]->(stop) RETURN start.id, stop.id",
    "MATCH (n) RETURN n // SET n.x = 1",
    "MATCH (n) /* DETACH DELETE n */ RETURN n",
    "MATCH (n) RETURN n;",
    "MATCH (n) RETURN n ; // trailing comment",
    "RETURN 1e-3, .5, 0x1F, 1_000, 3.14",
    "MATCH (n) WHERE n.name =~ '(?i).*incident.*' RETURN n.id",
    "MATCH (n) WHERE n.name STARTS WITH 'Inc' RETURN n.id",
    "MATCH (n:Entity) USING INDEX n:Entity(id) WHERE n.id = $id RETURN n",
]


@pytest.mark.parametrize("query", READS)
def test_read_queries_pass(query: str) -> None:
    assert check(query).rstrip() == query.split(";")[0].rstrip()


REFUSED = [
    ("CREATE (n:Practice {id: 'x'})", "CREATE is an updating clause"),
    ("create (n)", "CREATE"),
    ("MATCH (n) MERGE (m {id: n.id})", "MERGE"),
    ("MATCH (n) SET n.name = 'x'", "SET"),
    ("MATCH (n) SeT n += {name: 'x'}", "SET"),
    ("MATCH (n) DETACH DELETE n", "DETACH"),
    ("MATCH ()-[r]->() DELETE r", "DELETE"),
    ("MATCH (n) REMOVE n.name", "REMOVE"),
    ("FOREACH (i IN [1] | CREATE ())", "FOREACH"),
    ("INSERT (:Canary)", "INSERT"),
    ("MATCH (n) WITH n LIMIT 1 SET n.x = 1 RETURN n", "SET"),
    ("MATCH (n) RETURN n UNION MATCH (m) SET m.x = 1 RETURN m", "SET"),
    ("CALL { MATCH (n) SET n.x = 1 } RETURN 1", "SET"),
    ("MATCH (n) CALL { WITH n RETURN n AS m } IN TRANSACTIONS OF 10 ROWS RETURN m", "IN TRANSACTIONS"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "LOAD CSV"),
    ("USING PERIODIC COMMIT LOAD CSV FROM 'https://x/y.csv' AS r RETURN r", "PERIODIC"),
    ("CREATE INDEX i FOR (n:Practice) ON (n.name)", "CREATE"),
    ("DROP CONSTRAINT entity_id", "DROP"),
    ("SHOW USERS", "SHOW"),
    ("SHOW INDEXES", "SHOW"),
    ("GRANT ROLE admin TO eve", "GRANT"),
    ("DENY READ {*} ON GRAPH * TO PUBLIC", "DENY"),
    ("REVOKE ROLE admin FROM eve", "REVOKE"),
    ("ALTER USER neo4j SET PASSWORD 'x'", "ALTER"),
    ("START DATABASE neo4j", "START DATABASE"),
    ("STOP DATABASE neo4j", "STOP DATABASE"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE"),
    ("USE system MATCH (n) RETURN n", "USE"),
    ("EXPLAIN MATCH (n) RETURN n", "EXPLAIN"),
    ("PROFILE MATCH (n) RETURN n", "PROFILE"),
    ("CYPHER runtime=slotted MATCH (n) RETURN n", "CYPHER"),
    ("CALL apoc.create.node(['X'], {})", "procedure 'apoc.create.node' is not allowed"),
    ("CALL db.createLabel('X')", "procedure 'db.createLabel'"),
    # Off the allowlist: Neo4j's EXPLAIN types dbms.components() as a system query, and no store
    # has a full-text index to query (the two stores must answer every allowlisted procedure alike).
    ("CALL dbms.components() YIELD name, versions RETURN name, versions", "procedure 'dbms.components'"),
    ("CALL db.index.fulltext.queryNodes('practice_text', $q) YIELD node RETURN node", "procedure 'db.index"),
    ("CALL dbms.security.createUser('eve', 'pw', false)", "procedure"),
    ("CALL `apoc`.`cypher`.runWrite('CREATE ()', {})", "procedure 'apoc.cypher.runWrite'"),
    ("RETURN apoc.cypher.runFirstColumnSingle('MATCH (n) RETURN n', {})", "function 'apoc.cypher"),
    ("RETURN `apoc`.text.join(['a'], ',')", "function 'apoc.text.join'"),
    ("MATCH (n) RETURN n; MATCH (m) DETACH DELETE m", "one statement"),
    ("MATCH (n) RETURN n; RETURN 1", "one statement"),
    # Comment and string tricks that fool a regex over raw text:
    ("MATCH (n) /* harmless */ SET n.x = 1", "SET"),
    ("MATCH (n) RETURN n // comment\nSET n.x = 1", "SET"),
    ("RETURN 'x\\\\' CREATE (n) //'", "CREATE"),
    ("MATCH (`n`) SET `n`.x = 1", "SET"),
    ("MATCH (n)\u00a0SET n.x = 1", "SET"),
    ("MATCH(n)SET n.x=1", "SET"),
    ("RETURN 1.CREATE", "CREATE"),
]


@pytest.mark.parametrize(("query", "reason"), REFUSED)
def test_writes_and_admin_are_refused(query: str, reason: str) -> None:
    with pytest.raises(GateRefusal) as refused:
        check(query)
    assert reason.split()[0].strip("'") in refused.value.reason or reason in refused.value.reason
    assert refused.value.offset is None or 0 <= refused.value.offset < len(query)


def test_refusal_names_the_offending_token() -> None:
    query = "MATCH (n) /* x */ SET n.a = 1"
    with pytest.raises(GateRefusal) as refused:
        check(query)
    assert refused.value.offset == query.index("SET")
    assert "may only read" in refused.value.reason


@pytest.mark.parametrize(
    "query", ["RETURN 'open", 'RETURN "open', "MATCH (n) /* open", "MATCH (`open) RETURN 1", "", "   ", "// only"]
)
def test_untokenizable_or_empty_is_a_syntax_error(query: str) -> None:
    with pytest.raises(GateSyntaxError):
        check(query)


def test_control_characters_are_refused() -> None:
    with pytest.raises(GateRefusal, match="control character"):
        check("MATCH (n) RETURN n\x00")


def test_query_length_is_capped() -> None:
    with pytest.raises(GateRefusal, match="limit is 100"):
        check("RETURN 1" + " " * 200, max_chars=100)


def test_trailing_semicolon_is_removed() -> None:
    assert check("MATCH (n) RETURN n ; // done") == "MATCH (n) RETURN n "


def test_tokenizer_strips_strings_comments_and_backticks() -> None:
    tokens = list(tokenize("MATCH (`a``b`) // c\nWHERE a.x = 'it\\'s' /* d */ RETURN $`p q`, $p, 1.5, [*1..2]"))
    kinds = [(t.kind, t.text) for t in tokens]
    assert ("name", "a`b") in kinds
    assert ("string", "'it\\'s'") in kinds
    assert ("param", "$`p q`") in kinds and ("param", "$p") in kinds
    assert ("number", "1.5") in kinds and ("punct", "..") in kinds
    assert all("//" not in t.text and "/*" not in t.text for t in tokens)
