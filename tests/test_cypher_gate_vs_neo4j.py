"""The ad-hoc gate against Neo4j's own grammar: whenever Neo4j's parser finds an updating clause, a
schema or administration command, file access, `USE`, or a procedure outside the allowlist in a
query it accepts, the gate must refuse that query. (The other direction, the gate refusing a
harmless query, costs an analyst a rewrite, not the graph; READS keeps it in check.)

The queries: the gate's own test corpora, and some hundreds of seeded variations that bury write
clauses behind prefixes, comments, odd whitespace, quoted names and mixed case. Runs wherever the
Neo4j front-end checker runs (tests/neo4j_frontend.py).
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from app.adhoc.gate import ALLOWED_PROCEDURES, GateRefusal, GateSyntaxError, check
from app.graph.queries import parameter_names
from app.settings import Settings
from seed.schema import load_schema
from tests.neo4j_frontend import Checked, analyse, require_checker
from tests.test_cypher_gate import READS, REFUSED
from tests.test_cypher_hostile import HOSTILE

# Grammar rules (Neo4j 5) that make a query more than a read of this graph.
UNSAFE_RULES = {
    "createClause",
    "mergeClause",
    "setClause",
    "removeClause",
    "deleteClause",
    "foreachClause",
    "insertClause",
    "loadCSVClause",
    "useClause",
    "subqueryInTransactionsParameters",
    "command",
    "composableCommandClauses",
}
ALLOWED = {p.lower() for p in ALLOWED_PROCEDURES}

PREFIXES = [
    "",
    "MATCH (n:Practice) ",
    "MATCH (n:Practice) WITH n ",
    "OPTIONAL MATCH (n:Practice) ",
    "UNWIND [1, 2] AS i MATCH (n:Practice) ",
    "MATCH (n:Practice) WHERE n.name = 'SET n.x = 1' ",
    "CALL db.labels() YIELD label MATCH (n:Practice) ",
]
SEPARATORS = [" ", "\t", "\n", "\r\n", "/* DETACH */ ", "// note\n", "\u00a0", "\u3000", "\u2028", " /**/ "]
WRITES = [
    "SET n.x = 1",
    "SET n += {x: 1}",
    "SET n:Hacked",
    "REMOVE n.name",
    "DELETE n",
    "DETACH DELETE n",
    "NODETACH DELETE n",
    "CREATE (:Canary)",
    "MERGE (:Canary {id: 1})",
    "FOREACH (x IN [1] | CREATE (:Canary))",
    "CALL { CREATE (:Canary) }",
    "CALL () { MATCH (m:Canary) DELETE m }",
    "CALL { WITH n SET n.x = 1 } IN TRANSACTIONS OF 5 ROWS",
    "LOAD CSV FROM 'file:///etc/passwd' AS line",
    "CALL db.createLabel('Canary')",
    "CALL apoc.create.node(['Canary'], {})",
    "CALL db.clearQueryCaches()",
    "INSERT (:Canary)",
]
SUFFIXES = ["", " RETURN 1 AS one", " RETURN count(*) AS c", " WITH 1 AS x RETURN x"]


def _case(word: str, rng: random.Random) -> str:
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)


def variations(count: int, seed: int = 20261123) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        write = rng.choice(WRITES)
        head, _, rest = write.partition(" ")
        if rng.random() < 0.5:
            head = _case(head, rng)
        if rng.random() < 0.3:
            rest = rest.replace("n.", "`n`.").replace(" n", " `n`")
        separator = rng.choice(SEPARATORS)
        query = rng.choice(PREFIXES) + head + separator + rest + rng.choice(SUFFIXES)
        if rng.random() < 0.2:
            query = query.replace("(n:Practice)", "(`n`:Practice)")
        out.append(query)
    return out


def gate_refuses(query: str) -> bool:
    try:
        check(query)
    except (GateRefusal, GateSyntaxError):
        return True
    return False


def unsafe_for_neo4j(item: dict[str, Any]) -> list[str]:
    """Why Neo4j's grammar sees more than a read; empty when it sees only reads."""
    reasons = sorted(set(item["rules"]) & UNSAFE_RULES)
    reasons += [f"procedure {p}" for p in item["procedures"] if p.lower() not in ALLOWED]
    return reasons


def neo4j_accepts(item: dict[str, Any]) -> bool:
    """Neo4j would run it: no errors (unknown labels or properties are only warnings)."""
    return not [d for d in item["diagnostics"] if d["severity"] == "error" and "is not present" not in d["message"]]


@pytest.fixture(scope="module")
def verdicts() -> dict[str, tuple[str, dict[str, Any]]]:
    require_checker()
    queries = list(dict.fromkeys(READS + [q for q, _ in REFUSED] + HOSTILE + variations(400)))
    checked = [Checked(f"q{i}", q, parameter_names(q)) for i, q in enumerate(queries)]
    found = analyse(load_schema(Settings().ontology_dir / "schema.yaml"), checked)
    return {c.name: (c.text, found[c.name]) for c in checked}


def test_the_corpus_really_contains_writes_neo4j_would_run(verdicts: dict[str, tuple[str, dict[str, Any]]]) -> None:
    runnable_writes = [q for q, item in verdicts.values() if neo4j_accepts(item) and unsafe_for_neo4j(item)]
    assert len(runnable_writes) >= 300, len(runnable_writes)


def test_every_write_neo4j_would_run_is_refused_by_the_gate(
    verdicts: dict[str, tuple[str, dict[str, Any]]],
) -> None:
    let_through = [
        f"{query!r}: Neo4j sees {unsafe_for_neo4j(item)}"
        for query, item in verdicts.values()
        if neo4j_accepts(item) and unsafe_for_neo4j(item) and not gate_refuses(query)
    ]
    assert not let_through, "\n".join(let_through)


def test_the_reads_the_gate_accepts_are_reads_for_neo4j(verdicts: dict[str, tuple[str, dict[str, Any]]]) -> None:
    """The classifier's sanity: Neo4j sees nothing unsafe in the gate's own read corpus."""
    reads = set(READS)
    misjudged = [(q, unsafe_for_neo4j(item)) for q, item in verdicts.values() if q in reads and unsafe_for_neo4j(item)]
    assert not misjudged
