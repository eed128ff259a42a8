"""Organisations' own role catalogues and skill inventories, imported beside the frameworks.

One module per job:
- `tables`: read one CSV or YAML file into rows that remember their line (encoding, header, shape);
- `fields`: the cell parsers (ids, lists, levels, kinds) with one wording for each mistake;
- `resolve`: find the framework node a cell names (by id, name or alias);
- `organisation`: turn one organisation's files into nodes and relationships, or problems;
- `registry`: the organisations folder (one sub-folder per source, its `source.yaml`);
- `assemble`: the whole ontology: the curated files plus every registered organisation.

Nothing here touches a store; `itsm-ontology import` (app/overlay/cli.py) validates with these,
loads, and only then registers the file. The formats are described in docs/overlay.md.
"""
