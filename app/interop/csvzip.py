"""A zip of CSV files in the header format `neo4j-admin database import full` reads.

One file per label (`nodes/<Label>.csv`: `id:ID`, `:LABEL`, then one column per property with its
type, `aliases:string[]`, `order:int`) and one per relationship type (`relationships/<TYPE>.csv`:
`:START_ID`, `:END_ID`, `:TYPE`, then the properties): a column has one type, and `level` is a
word on CONTRIBUTES_TO but a number on REQUIRES. Arrays are joined with `|` (pass
`--array-delimiter='|'`; a value containing it is refused rather than split wrongly). The node
label column also holds `Entity`, the label the service's queries match. `import.txt` in the zip
gives the command line. `parse` reads such a zip back (the project's own import path; see
tests/test_interop.py).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from app.errors import InvalidInput
from app.interop.base import ExportContext, chunks
from app.interop.content import relationship_id
from app.interop.typing_rules import from_text, value_type
from app.models import ExportDocument, ExportNode, ExportRelationship

ARRAY_DELIMITER = "|"
ENTITY = "Entity"
ID_COLUMN, LABEL_COLUMN = "id:ID", ":LABEL"
START, END, TYPE = ":START_ID", ":END_ID", ":TYPE"
RELEASE_FILE = "release.json"


def _text(value: Any) -> str:
    if isinstance(value, list):
        parts = [_text(v) for v in value]
        if any(ARRAY_DELIMITER in p for p in parts):
            raise InvalidInput(f"a list value contains the array delimiter {ARRAY_DELIMITER!r}: {value!r}")
        return ARRAY_DELIMITER.join(parts)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _columns(rows: Sequence[dict[str, Any]], skip: set[str]) -> list[tuple[str, str]]:
    """(property, neo4j-admin type) for every property of these rows, in first-seen order."""
    types: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for name, value in row.items():
            if name not in skip:
                types[name].add(value_type(value))
    columns = []
    for name, seen in types.items():
        if len(seen) > 1:
            raise InvalidInput(f"property {name!r} holds values of types {sorted(seen)} in one file")
        columns.append((name, seen.pop()))
    return columns


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _command(node_files: list[str], rel_files: list[str]) -> str:
    args = " ".join([*(f"--nodes={f}" for f in node_files), *(f"--relationships={f}" for f in rel_files)])
    return (
        "# Unzip, then (Neo4j 5, an empty database, the server stopped):\n"
        f"neo4j-admin database import full --array-delimiter='{ARRAY_DELIMITER}' --multiline-fields=true "
        f"{args} neo4j\n"
    )


def to_zip(document: ExportDocument) -> bytes:
    by_label: dict[str, list[ExportNode]] = defaultdict(list)
    for node in document.nodes:
        by_label[node.labels[0] if node.labels else ENTITY].append(node)
    by_type: dict[str, list[ExportRelationship]] = defaultdict(list)
    for rel in document.relationships:
        by_type[rel.type].append(rel)
    buffer = io.BytesIO()
    node_files, rel_files = [], []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for label, nodes in sorted(by_label.items()):
            columns = _columns([n.properties for n in nodes], {"id"})
            header = [ID_COLUMN, LABEL_COLUMN, *(f"{name}:{kind}" for name, kind in columns)]
            rows = [
                [node.id, ";".join(sorted({ENTITY, *node.labels}))]
                + [_text(node.properties[name]) if name in node.properties else "" for name, _ in columns]
                for node in nodes
            ]
            name = f"nodes/{label}.csv"
            archive.writestr(name, _csv(header, rows))
            node_files.append(name)
        for rtype, rels in sorted(by_type.items()):
            columns = _columns([r.properties for r in rels], set())
            header = [START, END, TYPE, *(f"{name}:{kind}" for name, kind in columns)]
            rows = [
                [rel.start, rel.end, rel.type]
                + [_text(rel.properties[name]) if name in rel.properties else "" for name, _ in columns]
                for rel in rels
            ]
            name = f"relationships/{rtype}.csv"
            archive.writestr(name, _csv(header, rows))
            rel_files.append(name)
        archive.writestr(RELEASE_FILE, json.dumps(document.release, ensure_ascii=False, indent=2) + "\n")
        archive.writestr("import.txt", _command(node_files, rel_files))
    return buffer.getvalue()


def serialize(document: ExportDocument, context: ExportContext) -> Iterator[bytes]:
    yield from chunks(to_zip(document))


def _split_header(column: str) -> tuple[str, str]:
    name, _, kind = column.rpartition(":")
    return (name, kind or "string") if name else (column, "string")


def parse(data: bytes) -> ExportDocument:
    """The document a zip of this format holds: an empty cell is an absent property."""
    nodes: list[ExportNode] = []
    rels: list[ExportRelationship] = []
    release = None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if name == RELEASE_FILE:
                release = json.loads(archive.read(name))
                continue
            if not name.endswith(".csv"):
                continue
            reader = csv.reader(io.StringIO(archive.read(name).decode("utf-8")))
            header = next(reader)
            for row in reader:
                cells = dict(zip(header, row, strict=True))
                props = {}
                for column, text in cells.items():
                    if column in (ID_COLUMN, LABEL_COLUMN, START, END, TYPE) or text == "":
                        continue
                    prop, kind = _split_header(column)
                    props[prop] = from_text(text, kind, ARRAY_DELIMITER)
                if ID_COLUMN in cells:
                    labels = [label for label in cells[LABEL_COLUMN].split(";") if label != ENTITY]
                    nodes.append(
                        ExportNode(id=cells[ID_COLUMN], labels=labels, properties={"id": cells[ID_COLUMN], **props})
                    )
                else:
                    rels.append(
                        ExportRelationship(type=cells[TYPE], start=cells[START], end=cells[END], properties=props)
                    )
    return ExportDocument(
        release=release,
        nodes=sorted(nodes, key=lambda n: n.id),
        relationships=sorted(rels, key=relationship_id),
    )
