"""The organisations folder: how an organisation's source is registered (no schema edit).

    <organisations dir>/            ITSM_ORGANISATIONS_DIR, default <ITSM_DATA_DIR>/organisations
      acme/                         one folder per source; its name is the source (`source=acme`)
        source.yaml                 optional: title, description
        roles.csv  skills.csv  mappings.yaml   the imported files (.csv, .yaml, .yml)

`itsm-ontology import FILE --source acme` validates, loads, then copies FILE here; a folder laid
out by hand is read the same way by `itsm-ontology load`. A source name is lower-case letters,
digits and '-', and may not be a document key or file prefix of ontology/schema.yaml.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from seed.importers.organisation import OrganisationSource, SourceFile
from seed.limits import LoadLimits
from seed.model import Problem
from seed.reader import FileRefused, read_yaml
from seed.schema import OntologySchema

MANIFEST = "source.yaml"
SOURCE_NAME = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(csv|yaml|yml)$", re.IGNORECASE)
MANIFEST_KEYS = {"title", "description"}
DATA_SUFFIXES = (".csv", ".yaml", ".yml")


def name_problem(name: str, schema: OntologySchema) -> str | None:
    """Why `name` cannot name an organisation source (None: it can)."""
    if not SOURCE_NAME.match(name):
        return f"source name {name!r}: 2-40 lower-case letters, digits or '-', starting with a letter"
    if schema.document_file(name) is not None:
        return f"source name {name!r} already names a document of ontology/schema.yaml"
    return None


def file_problem(file_name: str) -> str | None:
    if not FILE_NAME.match(file_name) or file_name == MANIFEST:
        return f"file name {file_name!r}: letters, digits, '.', '_' or '-', ending .csv, .yaml or .yml"
    return None


def _manifest(folder: Path, display: str, limits: LoadLimits | None = None) -> tuple[dict[str, Any], list[Problem]]:
    path = folder / MANIFEST
    if not path.exists():
        return {}, []
    try:  # the ontology's reader (seed/reader.py): size, UTF-8, nesting, aliases, tags
        data = read_yaml(path, limits or LoadLimits()).data or {}
    except FileRefused as exc:
        return {}, [Problem(f"{display}/{MANIFEST}", exc.line, "file", None, exc.message)]
    if not isinstance(data, dict) or set(data) - MANIFEST_KEYS or not all(isinstance(v, str) for v in data.values()):
        return {}, [Problem(f"{display}/{MANIFEST}", None, "file", None, "a mapping of text: title, description")]
    return data, []


def _source(folder: Path, display: str, manifest: dict[str, Any], files: list[SourceFile]) -> OrganisationSource:
    return OrganisationSource(
        name=folder.name,
        title=manifest.get("title") or folder.name,
        description=manifest.get("description"),
        files=tuple(sorted(files, key=lambda f: f.name)),
    )


def read_source(
    organisations_dir: Path, name: str, limits: LoadLimits | None = None
) -> tuple[OrganisationSource, list[Problem]]:
    """The registered source `name` (no files when it is not registered yet)."""
    folder = organisations_dir / name
    display = f"{organisations_dir.name}/{name}"
    manifest, problems = _manifest(folder, display, limits) if folder.is_dir() else ({}, [])
    files = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.name == MANIFEST or path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() not in DATA_SUFFIXES:
            continue  # a README or a picture beside the data
        why = file_problem(path.name)
        if why:
            problems.append(Problem(f"{display}/{path.name}", None, "file", None, why))
            continue
        files.append(SourceFile(path, f"{display}/{path.name}", path.name))
    return _source(folder, display, manifest, files), problems


def read_sources(
    organisations_dir: Path, schema: OntologySchema, limits: LoadLimits | None = None
) -> tuple[list[OrganisationSource], list[Problem]]:
    """Every registered source, in name order, and what is wrong with the folder."""
    if not organisations_dir.is_dir():
        return [], []
    found, problems = [], []
    for folder in sorted(p for p in organisations_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        why = name_problem(folder.name, schema)
        if why:
            problems.append(Problem(f"{organisations_dir.name}/{folder.name}", None, "source", None, why))
            continue
        source, more = read_source(organisations_dir, folder.name, limits)
        problems += more
        if source.files:
            found.append(source)
    return found, problems


def staged(
    organisations_dir: Path, name: str, file: Path, title: str | None, limits: LoadLimits | None = None
) -> tuple[OrganisationSource, list[Problem]]:
    """The source as it would be with `file` imported (replacing a registered file of that name)."""
    current, problems = read_source(organisations_dir, name, limits)
    files = [f for f in current.files if f.name != file.name]
    files.append(SourceFile(file, str(file), file.name))
    manifest = {
        "title": title or (current.title if current.title != name else None),
        "description": current.description,
    }
    return _source(organisations_dir / name, name, {k: v for k, v in manifest.items() if v}, files), problems


def register(organisations_dir: Path, name: str, file: Path, title: str | None) -> Path:
    """Copy `file` into the source's folder (atomically) and record the title; the path written."""
    folder = organisations_dir / name
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file.name
    with file.open("rb") as data, tempfile.NamedTemporaryFile(dir=folder, prefix=".import-", delete=False) as tmp:
        shutil.copyfileobj(data, tmp)
    os.replace(tmp.name, target)
    if title:
        manifest, _ = _manifest(folder, name)
        manifest["title"] = title
        (folder / MANIFEST).write_text(yaml.safe_dump(manifest, sort_keys=True, allow_unicode=True), encoding="utf-8")
    return target
