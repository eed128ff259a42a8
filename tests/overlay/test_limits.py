"""Organisation files are read by the ontology's own reader (seed/reader.py) within the load's
limits: a hostile or broken file is one line naming file, line, entry and field, `import` exits
non-zero, and neither the store nor the organisations folder changes."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from app.graph.store import GraphStore
from app.settings import get_settings
from seed.importers.assemble import stage_import
from seed.validate import OntologyInvalid
from tests.overlay.conftest import ONTOLOGY, graph_of

ROLES = "roles:\n  - id: night-operator\n    name: Night Operator\n"


def _alias_bomb(indent: str = "") -> str:
    """Under 600 bytes that a plain safe_load expands to 9**9 strings (a "billion laughs")."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        prev, name = chr(96 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "".join(f"{indent}{line}\n" for line in lines) + f"{indent}description: *i\n"


def _refused(cli_env: Any, store: GraphStore, tmp_path: Path, name: str, content: bytes) -> str:
    """Import `content` as `name`: the one error line (exit 1, store and folder unchanged)."""
    before = graph_of(store)
    path = tmp_path / name
    path.write_bytes(content)
    result = cli_env("import", str(path), "--source", "acme")
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error ")]
    assert len(lines) == 1, result.stderr
    assert "1 problem(s); nothing was imported or loaded." in result.stderr
    assert "Traceback" not in result.output
    assert graph_of(store) == before
    assert not (tmp_path / "organisations").exists()
    return lines[0].removeprefix("error ")


def test_an_alias_bomb_is_one_line(cli_env: Any, bare_store: GraphStore, tmp_path: Path) -> None:
    bomb = (ROLES + _alias_bomb(indent="    ")).encode()
    assert len(bomb) < 1000
    tracemalloc.start()
    try:
        line = _refused(cli_env, bare_store, tmp_path, "roles.yaml", bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert line.startswith(f"{tmp_path}/roles.yaml:")
    assert ": file: YAML aliases repeat more than 10000 values in this file" in line
    assert "lol" not in line and len(line) < 700  # never embeds the expansion
    assert peak < 256 * 1024 * 1024


def test_a_latin1_file_is_one_line(cli_env: Any, bare_store: GraphStore, tmp_path: Path) -> None:
    latin1 = (ROLES + "    description: Caf\u00e9 de nuit\n").encode("latin-1")
    line = _refused(cli_env, bare_store, tmp_path, "roles.yaml", latin1)
    assert line == (
        f"{tmp_path}/roles.yaml:4: file: not UTF-8: byte 0xe9 at column 21 (a Latin-1 or Windows-1252 file?); "
        "save it as UTF-8"
    )
    csv = "id,name\ncafe-lead,Caf\u00e9 lead\n".encode("latin-1")
    assert _refused(cli_env, bare_store, tmp_path, "roles.csv", csv).startswith(
        f"{tmp_path}/roles.csv:2: file: not UTF-8"
    )


def test_an_oversize_file_is_refused_before_it_is_read(
    cli_env: Any, bare_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Just above the curated ontology's largest file, which is read within the same limit.
    limit = max(path.stat().st_size for path in ONTOLOGY.glob("*.yaml")) + 1
    monkeypatch.setenv("ITSM_LOAD_MAX_FILE_BYTES", str(limit))
    get_settings.cache_clear()
    rows = "".join(f"ops-{i},Operator {i}\n" for i in range(limit // 16))
    content = ("id,name\n" + rows).encode()
    assert len(content) > limit
    line = _refused(cli_env, bare_store, tmp_path, "roles.csv", content)
    assert line == (
        f"{tmp_path}/roles.csv: file: the file has {len(content)} bytes, over the limit of {limit} bytes "
        "(ITSM_LOAD_MAX_FILE_BYTES); split it into several files"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("roles: " + "[" * 40 + "]" * 40 + "\n", "roles.yaml:1: file: nested deeper than 16 levels"),
        (ROLES + "    name2: !!python/object:os.system x\n", "roles.yaml:4: file: the YAML tag"),
        (ROLES + "    <<: {name: x}\n", "roles.yaml:4: file: merge keys (<<) are not supported"),
        (ROLES + "    __line__: 7\n", "roles.yaml:4: file: the key '__line__' is reserved"),
        (
            ROLES + "    responsible_for: [{a: 1}]\n",
            "roles.yaml:2: role night-operator field 'responsible_for': expected text, got a dict",
        ),
        (
            "roles:\n  - id: " + "a" * 300 + "\n    name: A\n",
            "roles.yaml:2: row 2 field 'id': 300 characters, over the limit of 200 for an id",
        ),
        (
            ROLES + "    description: " + "d" * 20_001 + "\n",
            "roles.yaml:2: role night-operator field 'description': 20001 characters, over the limit of 20000",
        ),
        ("roles:\n  - night-operator\n", "roles.yaml:2: roles[0]: an entry is a mapping"),
    ],
    ids=["depth", "tag", "merge-key", "reserved-key", "nested-value", "long-id", "long-text", "not-a-mapping"],
)
def test_a_broken_yaml_file_is_one_problem_with_its_line(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OntologyInvalid) as caught:
        stage_import(ONTOLOGY, tmp_path / "organisations", "beta", path)
    [problem] = caught.value.problems
    text = str(problem)
    assert text.startswith(f"{tmp_path}/{expected}"), text
    assert "\n" not in text and len(text) < 700


def test_a_hostile_source_yaml_is_one_line(tmp_path: Path) -> None:
    """The manifest beside an organisation's files goes through the same reader."""
    folder = tmp_path / "organisations" / "beta"
    folder.mkdir(parents=True)
    (folder / "source.yaml").write_text("title: Beta\n" + _alias_bomb(), encoding="utf-8")
    path = tmp_path / "roles.yaml"
    path.write_text(ROLES, encoding="utf-8")
    with pytest.raises(OntologyInvalid) as caught:
        stage_import(ONTOLOGY, tmp_path / "organisations", "beta", path)
    [problem] = caught.value.problems
    assert str(problem).startswith("organisations/beta/source.yaml:")
    assert "YAML aliases repeat more than 10000 values" in str(problem)
