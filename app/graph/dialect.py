"""Where Neo4j 5 and ArcadeDB (over Bolt) differ, and nowhere else.

Every query in cypher/ is written in Cypher both stores accept. The differences that remain are
about the store, not the queries; each has a test in tests/test_store.py:

- `CREATE FULLTEXT INDEX` and `db.awaitIndexes()` exist only on Neo4j: schema statements marked
  `// neo4j-only` are skipped on ArcadeDB, and only Neo4j waits for indexes.
- ArcadeDB ignores the driver's read access mode and read routing, so read-only enforcement there
  relies on a read-only user (see the ad-hoc Cypher path), not on routing.
- ArcadeDB's `EXPLAIN` reports every query as a write, so only Neo4j can use it to classify a query.
- `elementId()` formats differ: the service always identifies nodes by their own `id` property.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

StoreKind = Literal["embedded", "neo4j"]
NEO4J_ONLY = "// neo4j-only"
AWAIT_INDEXES_S = 120
# The transaction around that wait: a little longer, since Neo4j's own db.transaction.timeout may
# be shorter (a client timeout overrides it from Neo4j 5.3 on).
AWAIT_INDEXES_TIMEOUT_S = AWAIT_INDEXES_S + 10


@dataclass(frozen=True)
class Dialect:
    kind: StoreKind

    @property
    def name(self) -> str:
        return "ArcadeDB (embedded, Bolt)" if self.kind == "embedded" else "Neo4j"

    @property
    def honours_read_routing(self) -> bool:
        return self.kind == "neo4j"

    @property
    def explain_reports_query_type(self) -> bool:
        return self.kind == "neo4j"

    @property
    def await_indexes(self) -> str | None:
        """Wait for index population after schema changes (run it under AWAIT_INDEXES_TIMEOUT_S)."""
        return f"CALL db.awaitIndexes({AWAIT_INDEXES_S})" if self.kind == "neo4j" else None

    def schema_statements(self, schema_text: str) -> list[str]:
        """Split schema.cypher into statements, dropping those this store does not accept."""
        statements = []
        for chunk in schema_text.split(";"):
            lines = [line for line in chunk.strip().splitlines() if line.strip()]
            if not lines:
                continue
            neo4j_only = any(line.strip() == NEO4J_ONLY for line in lines)
            code = "\n".join(line for line in lines if not line.strip().startswith("//")).strip()
            if code and (self.kind == "neo4j" or not neo4j_only):
                statements.append(code)
        return statements
