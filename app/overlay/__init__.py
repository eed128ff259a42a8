"""Organisations on the map (issue 16): an organisation's own roles beside the frameworks.

- `sources`: the organisation sources the loaded release holds (for `source=` filters);
- `models`: the typed answers;
- `profiles`: every role's holdings, per release, and what one role lacks against another;
- `similarity`: roles like this one, suggestions for an organisation's roles, communities;
- `gaps`, `coverage`, `matrix`, `transition`, `impact`: the answers of /v1/overlay, /v1/roles/.../
  transition and /v1/change-requests/.../impact;
- `cli`: `itsm-ontology import` and `itsm-ontology overlay ...`.
The importer itself (files -> records) is `seed/importers/`.
"""
