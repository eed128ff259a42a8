"""The ontology loader: read ontology/*.yaml, validate it against ontology/schema.yaml,
plan the difference with what the store holds, load it idempotently and record the release."""
