// Constraints and indexes, applied by `itsm-ontology load` before any data. Idempotent.
// A statement preceded by a `// neo4j-only` line is skipped on the embedded ArcadeDB store.

CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;

CREATE CONSTRAINT release_id IF NOT EXISTS FOR (r:Release) REQUIRE r.id IS UNIQUE;

CREATE CONSTRAINT release_content IF NOT EXISTS FOR (c:ReleaseContent) REQUIRE c.release IS UNIQUE;
