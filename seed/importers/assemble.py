"""The ontology a load writes: the curated files of ontology/ plus every registered organisation.

Organisations are validated after the frameworks, against them; one problem anywhere stops the
whole load (OntologyInvalid, every problem listed), so the store is never half-updated.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from seed.importers import registry
from seed.importers.organisation import Built, OrganisationSource, build
from seed.limits import LoadLimits
from seed.model import Ontology, Problem
from seed.schema import DocumentSpec, OntologySchema
from seed.validate import OntologyInvalid, read_ontology


def _conformance(ontology: Ontology, built: Built) -> list[Problem]:
    """A guard on what the importer made: labels, types, property names and ends the schema allows."""
    schema, problems = ontology.schema, []
    for node in built.nodes.values():
        allowed = schema.node_properties_for(node.label) if node.label in schema.labels else {}
        extra = set(node.properties) - set(allowed)
        if not allowed or extra:
            problems.append(Problem(node.file, None, f"node {node.id}", None, f"schema refuses {sorted(extra)}"))
    for rel in built.relationships.values():
        spec = schema.relationship_types.get(rel.type)
        ends = [
            built.nodes.get(rel.start) or ontology.nodes.get(rel.start),
            built.nodes.get(rel.end) or ontology.nodes.get(rel.end),
        ]
        start, end = ends
        if spec is None or start is None or end is None or not spec.allows(start.label, end.label):
            problems.append(Problem(rel.file, None, f"relationship {rel.id}", None, "schema refuses its type or ends"))
    return problems


def _documents(schema: OntologySchema, documents: dict[str, DocumentSpec]) -> OntologySchema:
    """`schema` with the organisation sources as documents: key and file are the source's name (its
    facts cite `<source>:<file>:<row>`, so the `source=` prefix test works unchanged). The release
    records the documents (seed/load.py), and the running service reads `source=` from there."""
    if not documents:
        return schema
    data = schema.model_dump(by_alias=True)
    data["documents"] = {**data["documents"], **{k: d.model_dump() for k, d in documents.items()}}
    return OntologySchema.model_validate(data)


def with_organisations(
    framework: Ontology, sources: Iterable[OrganisationSource], limits: LoadLimits | None = None
) -> Ontology:
    """`framework` plus the sources' records (a new Ontology), their files read within `limits`;
    OntologyInvalid on any problem."""
    problems: list[Problem] = []
    nodes, relationships = dict(framework.nodes), dict(framework.relationships)
    documents: dict[str, DocumentSpec] = {}
    for source in sources:
        built = build(source, framework, limits)
        problems += built.problems or _conformance(framework, built)
        nodes.update(built.nodes)
        relationships.update(built.relationships)
        org = built.nodes.get(f"organisation:{source.name}")
        rows = org.properties.get("rows", 1) if org else 1
        documents[source.name] = DocumentSpec(file=source.name, title=source.title, lines=max(rows, 1))
    if problems:
        raise OntologyInvalid(problems)
    return Ontology(schema=_documents(framework.schema, documents), nodes=nodes, relationships=relationships)


def read_all(ontology_dir: Path, organisations_dir: Path, limits: LoadLimits | None = None) -> Ontology:
    """The curated ontology (read within `limits`, seed/limits.py) and every organisation
    registered under `organisations_dir`."""
    framework = read_ontology(ontology_dir, limits)
    sources, problems = registry.read_sources(organisations_dir, framework.schema, limits)
    if problems:
        raise OntologyInvalid(problems)
    return with_organisations(framework, sources, limits)


def stage_import(
    ontology_dir: Path,
    organisations_dir: Path,
    name: str,
    file: Path,
    title: str | None = None,
    *,
    framework: Ontology | None = None,
    limits: LoadLimits | None = None,
) -> Ontology:
    """The ontology as it would be with `file` imported into source `name`; nothing is written.
    `framework`: the curated ontology already read from `ontology_dir`, if the caller has it;
    every file is read within `limits` (seed/limits.py)."""
    framework = framework or read_ontology(ontology_dir, limits)
    why = registry.name_problem(name, framework.schema) or registry.file_problem(file.name)
    if why:
        raise OntologyInvalid([Problem(str(file), None, "import", None, why)])
    sources, problems = registry.read_sources(organisations_dir, framework.schema, limits)
    source, more = registry.staged(organisations_dir, name, file, title, limits)
    if problems or more:  # the source's own folder is read by both: each problem once
        raise OntologyInvalid(list(dict.fromkeys(problems + more)))
    return with_organisations(framework, [s for s in sources if s.name != name] + [source], limits)
