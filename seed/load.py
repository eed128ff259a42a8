"""Load a validated ontology into a store: schema, then the planned writes in one transaction,
then the release record and its kept content (app/interop/archive.py: the version rule, the
content as the canonical export). Loading the same content twice writes nothing the second time."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from app.graph.store import GraphStore
from app.interop import archive
from seed.model import NodeRecord, Ontology, RelationshipRecord
from seed.plan import Plan, make_plan
from seed.reader import gc_paused

T = TypeVar("T")
READ_TIMEOUT_S = 600.0  # reading the whole graph back for the plan, when the store sets no write limit
# Called after each batch with (what was written, how many items).
ProgressCallback = Callable[[str, int], None]


@dataclass
class LoadReport:
    plan: Plan
    release: dict[str, Any] | None  # the release recorded, or the current one when nothing changed
    applied: bool
    up_to_date: bool


def _batches(items: Sequence[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def current_release(store: GraphStore) -> dict[str, Any] | None:
    row = store.read_one("meta/latest_release")
    return row["release"] if row else None


def _read_all(store: GraphStore, name: str) -> list[dict[str, Any]]:
    """A whole-graph read for the plan: bounded by the load's time limit, not an API query's."""
    return store.run_read(store.queries[name].text, timeout_s=store.write_timeout_s or READ_TIMEOUT_S)


def plan_load(store: GraphStore, ontology: Ontology) -> Plan:
    with gc_paused():  # a million rows read back hold no cycles (seed/reader.py)
        nodes = _read_all(store, "load/current_nodes")
        return make_plan(ontology, nodes, _read_all(store, "load/current_relationships"))


def _rows(records: Iterable[NodeRecord | RelationshipRecord]) -> list[dict[str, Any]]:
    """Rows for the merge templates: nodes need id and properties, relationships also their ends."""
    return [
        {"id": r.id, "properties": r.properties}
        if isinstance(r, NodeRecord)
        else {"id": r.id, "start": r.start, "end": r.end, "properties": r.properties}
        for r in records
    ]


def _kind(record: NodeRecord | RelationshipRecord) -> str:
    """The label of a node or the type of a relationship: what its merge template is filled with."""
    return record.label if isinstance(record, NodeRecord) else record.type


def _grouped(
    records: Sequence[NodeRecord | RelationshipRecord],
) -> Iterator[tuple[str, Iterator[NodeRecord | RelationshipRecord]]]:
    return itertools.groupby(sorted(records, key=_kind), key=_kind)


def _counts_match(store: GraphStore, ontology: Ontology) -> bool:
    row = store.read_one("load/counts")
    if row is None:
        return False
    return (row["nodes"], row["relationships"]) == (len(ontology.nodes), len(ontology.relationships))


def unchanged_release(store: GraphStore, fingerprint: str) -> dict[str, Any] | None:
    """The latest release, when it was loaded from files with this fingerprint (seed/fingerprint.py)
    and the store still holds it whole: as many nodes and relationships as it recorded, and its
    content kept. A load of the same files is then up to date with nothing validated."""
    store.apply_schema()
    latest = current_release(store)
    if latest is None or latest.get("files_fingerprint") != fingerprint:
        return None
    counts = store.read_one("load/counts")
    if counts is None or (counts["nodes"], counts["relationships"]) != (latest["nodes"], latest["relationships"]):
        return None
    kept = store.read_one("load/has_release_content", id=latest["id"])
    return latest if kept and kept["kept"] else None


def load(
    store: GraphStore,
    ontology: Ontology,
    *,
    fingerprint: str | None = None,
    batch_size: int = 500,
    create_batch: int = 5_000,
    force: bool = False,
    on_plan: Callable[[Plan], None] | None = None,
    progress: ProgressCallback | None = None,
) -> LoadReport:
    """Apply the schema, plan, write the difference in one transaction and record the release.

    When the latest release has this content's hash and the store holds as many nodes and
    relationships as the ontology, the load is up to date without reading the whole graph back
    (`force` skips that shortcut, plans against everything and records a new release).
    `fingerprint`, that of the files the ontology was read from, is recorded in a new release."""
    store.apply_schema()
    content_hash = ontology.content_hash
    latest = current_release(store)
    same = latest is not None and latest.get("content_hash") == content_hash
    if same and not force and _counts_match(store, ontology):
        assert latest is not None
        plan = Plan(unchanged_nodes=len(ontology.nodes), unchanged_relationships=len(ontology.relationships))
        if on_plan:
            on_plan(plan)
        _keep_if_missing(store, ontology, latest)
        _note_fingerprint(store, latest, fingerprint)
        return LoadReport(plan, latest, applied=False, up_to_date=True)
    plan = plan_load(store, ontology)
    if on_plan:
        on_plan(plan)
    if plan.is_empty and same and not force:
        assert latest is not None
        _keep_if_missing(store, ontology, latest)
        _note_fingerprint(store, latest, fingerprint)
        return LoadReport(plan, latest, applied=False, up_to_date=True)

    queries, schema = store.queries, ontology.schema
    tick = progress or (lambda _what, _n: None)
    loaded_at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    release = {
        "id": f"release:{loaded_at}",
        "version": archive.next_version(ontology.version, latest, content_hash),
        "content_hash": content_hash,
        "loaded_at": loaded_at,
        "nodes": len(ontology.nodes),
        "relationships": len(ontology.relationships),
        # The source documents of this release (key -> file, title, lines, framework) as JSON: the
        # running service reads its `source=` documents from here, not from its own folder.
        "documents": json.dumps({k: d.model_dump() for k, d in schema.documents.items()}, sort_keys=True),
    }
    if fingerprint is not None:
        release["files_fingerprint"] = fingerprint
    if latest:
        release["previous"] = latest["id"]
    # The organisation sources the release holds (docs/overlay.md); absent when there are none.
    organisations = sorted(n.id.split(":", 1)[1] for n in ontology.nodes.values() if n.label == "Organisation")
    if organisations:
        release["organisations"] = organisations
    with store.write_transaction() as tx:
        for rows in _batches(plan.delete_relationships, batch_size):
            tx.run(queries["load/delete_relationships"].text, rows=rows).consume()
            tick("relationships deleted", len(rows))
        for ids in _batches(plan.delete_nodes, batch_size):
            tx.run(queries["load/delete_nodes"].text, ids=ids).consume()
            tick("nodes deleted", len(ids))
        labels, types = set(schema.labels), set(schema.relationship_types)
        writes = (  # new entries are created (no lookup per row), changed ones merged
            ("load/create_nodes", "label", labels, plan.create_nodes, "nodes", create_batch),
            ("load/merge_nodes", "label", labels, plan.update_nodes, "nodes", batch_size),
            ("load/create_relationships", "type", types, plan.create_relationships, "relationships", create_batch),
            ("load/merge_relationships", "type", types, plan.update_relationships, "relationships", batch_size),
        )
        for query_name, placeholder, allowed, records, noun, size in writes:
            template = queries[query_name]
            for name, group in _grouped(records):
                text = template.render(allowed, **{placeholder: name})
                for batch in _batches(_rows(group), size):
                    tx.run(text, rows=batch).consume()
                    tick(f"{name} {noun}", len(batch))
        tx.run(queries["load/record_release"].text, release=release).consume()
        _keep(lambda name, params: tx.run(queries[name].text, params).consume(), ontology, release)
    return LoadReport(plan, release, applied=True, up_to_date=False)


def _keep(run: Callable[[str, dict[str, Any]], Any], ontology: Ontology, release: dict[str, Any]) -> None:
    """Write the ReleaseContent of a release (what the load left in the store, packed) with `run`
    (query name, parameters): one statement per part, none longer than archive.PART_CHARS."""
    parts = archive.split(archive.pack_ontology(ontology, release))
    content = {"release": release["id"], "encoding": archive.ENCODING, "data": parts[0], "parts": len(parts)}
    run("load/keep_release_content", {"content": content})
    for index, data in enumerate(parts[1:], start=1):
        run("load/keep_release_content_part", {"part": {"release": release["id"], "part": index, "data": data}})


def _note_fingerprint(store: GraphStore, latest: dict[str, Any], fingerprint: str | None) -> None:
    """Files that read as the latest release's content: their fingerprint goes on that release
    (a release loaded from other bytes, or before fingerprints were kept, gets it here)."""
    if fingerprint is not None and latest.get("files_fingerprint") != fingerprint:
        with store.write_transaction() as tx:
            tx.run(store.queries["load/note_fingerprint"].text, id=latest["id"], fingerprint=fingerprint).consume()
        latest["files_fingerprint"] = fingerprint


def _keep_if_missing(store: GraphStore, ontology: Ontology, latest: dict[str, Any]) -> None:
    """A release recorded before contents were kept gets its content at the next (no-op) load: the
    store holds exactly the ontology then."""
    row = store.read_one("load/has_release_content", id=latest["id"])
    if not row or not row["kept"]:
        with store.write_transaction() as tx:
            _keep(lambda name, params: tx.run(store.queries[name].text, params).consume(), ontology, latest)
