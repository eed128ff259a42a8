"""Graph store access: the embedded ArcadeDB process, the Bolt store seam and the named Cypher queries."""
