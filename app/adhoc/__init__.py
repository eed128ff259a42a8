"""Analysts' ad-hoc Cypher, in one package (the HTTP routes are app/api/cypher.py and queries.py,
the commands `itsm-ontology cypher|query` in app/cli.py):

- `gate`: the token-level check that refuses anything but one read-only statement;
- `values`: parameter values in (checks, typed conversion for saved queries), driver values out
  (JSON, CSV);
- `errors`: the gate's verdicts, positions in the analyst's text, the audit log's outcomes (the
  error classes are app/errors.py, the driver's exceptions become them in app/graph/errors.py);
- `runner`: the read-only, bounded path every query runs on (slots, watchdog, audit line);
- `saved`: saved, named, parameterised queries (cypher/saved/), parsed by one parser;
- `models`: the request and response bodies.
"""
