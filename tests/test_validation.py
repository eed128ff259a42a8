"""The loader's validation: every broken file is reported with file, entry and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.settings import Settings
from seed.validate import OntologyInvalid, read_ontology

ONTOLOGY = Settings().ontology_dir
GOOD_PRACTICE = """
  - {label: Practice, id: "practice:a", name: A, category: general, sources: ["001_36cf4593c3a5a483.txt:1-2"]}
  - {label: ValueChainActivity, id: "activity:test:x", name: X, sources: ["001_36cf4593c3a5a483.txt:1-2"]}
"""


def problems_for(tmp_path: Path, body: str) -> list[str]:
    shutil.copy(ONTOLOGY / "schema.yaml", tmp_path / "schema.yaml")
    (tmp_path / "broken.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(OntologyInvalid) as caught:
        read_ontology(tmp_path)
    return [str(p) for p in caught.value.problems]


def test_the_real_ontology_is_valid(ontology: object) -> None:
    assert ontology is not None


def test_unknown_label_names_file_entry_and_field(tmp_path: Path) -> None:
    found = problems_for(
        tmp_path, 'nodes:\n  - {label: Widget, id: "w:1", name: W, sources: ["001_36cf4593c3a5a483.txt:1-2"]}\n'
    )
    assert len(found) == 1
    assert found[0].startswith(f"{tmp_path.name}/broken.yaml:2: node w:1 field 'label'")
    assert "unknown label 'Widget'" in found[0]


def test_unknown_property(tmp_path: Path) -> None:
    body = 'nodes:\n  - {label: Practice, id: "practice:a", name: A, category: general, colour: red, sources: ["001_36cf4593c3a5a483.txt:1-2"]}\n'
    [problem] = problems_for(tmp_path, body)
    assert "node practice:a field 'colour': not a property of this label/type" in problem


def test_bad_enum_value_and_missing_required(tmp_path: Path) -> None:
    body = 'nodes:\n  - {label: Practice, id: "practice:a", name: A, category: magic, sources: ["001_36cf4593c3a5a483.txt:1-2"]}\n  - {label: Practice, id: "practice:b", category: general, sources: ["001_36cf4593c3a5a483.txt:1-2"]}\n'
    found = problems_for(tmp_path, body)
    assert any("practice:a field 'category'" in p and "'general', 'service' or 'technical'" in p for p in found)
    assert any("practice:b field 'name': Field required" in p for p in found)


def test_bad_level_on_relationship(tmp_path: Path) -> None:
    body = f"nodes:{GOOD_PRACTICE}relationships:\n  - {{type: CONTRIBUTES_TO, from: 'practice:a', to: 'activity:test:x', level: huge, sources: ['001_36cf4593c3a5a483.txt:1-2']}}\n"
    [problem] = problems_for(tmp_path, body)
    assert "relationship CONTRIBUTES_TO practice:a -> activity:test:x field 'level'" in problem


def test_dangling_reference(tmp_path: Path) -> None:
    body = f"nodes:{GOOD_PRACTICE}relationships:\n  - {{type: CONTRIBUTES_TO, from: 'practice:a', to: 'activity:test:nope', level: high, sources: ['001_36cf4593c3a5a483.txt:1-2']}}\n"
    [problem] = problems_for(tmp_path, body)
    assert "field 'to': no node has id 'activity:test:nope'" in problem


def test_duplicate_id(tmp_path: Path) -> None:
    body = f"nodes:{GOOD_PRACTICE}{GOOD_PRACTICE}"
    found = problems_for(tmp_path, body)
    assert len(found) == 2
    assert all("field 'id': duplicate id" in p for p in found)


def test_relationship_not_allowed_between_labels(tmp_path: Path) -> None:
    body = f"nodes:{GOOD_PRACTICE}relationships:\n  - {{type: CONTRIBUTES_TO, from: 'activity:test:x', to: 'practice:a', level: high, sources: ['001_36cf4593c3a5a483.txt:1-2']}}\n"
    [problem] = problems_for(tmp_path, body)
    assert "CONTRIBUTES_TO may not join ValueChainActivity -> Practice" in problem


def test_inferred_link_needs_rationale(tmp_path: Path) -> None:
    body = (
        'nodes:\n  - {label: Role, id: "role:t:r", name: R, kind: itil-role, sources: ["001_36cf4593c3a5a483.txt:1-2"]}\n'
        f"{GOOD_PRACTICE}relationships:\n  - {{type: RESPONSIBLE_FOR, from: 'role:t:r', to: 'practice:a', basis: inferred, sources: ['001_36cf4593c3a5a483.txt:1-2']}}\n"
    )
    [problem] = problems_for(tmp_path, body)
    assert "field 'rationale': an inferred link needs a one-line rationale" in problem


def test_sources_must_be_real_line_ranges(tmp_path: Path) -> None:
    body = 'nodes:\n  - {label: Practice, id: "practice:a", name: A, category: general, sources: ["001_36cf4593c3a5a483.txt:5-99999", "nope", "999_0000000000000000.txt:1-2"]}\n  - {label: Practice, id: "practice:b", name: B, category: general, sources: []}\n'
    found = problems_for(tmp_path, body)
    assert any("lines must satisfy 1 <= first <= last <= 2204" in p for p in found)
    assert any("'nope' is not '<document>:<first>-<last>'" in p for p in found)
    assert any("is not a document in schema.yaml" in p for p in found)
    assert any("practice:b field 'sources': at least one" in p for p in found)


def test_id_must_match_label_prefix(tmp_path: Path) -> None:
    body = 'nodes:\n  - {label: Role, id: "practice:r", name: R, kind: itil-role, sources: ["001_36cf4593c3a5a483.txt:1-2"]}\n'
    [problem] = problems_for(tmp_path, body)
    assert "field 'id': a Role id starts with 'role:'" in problem


def test_duplicate_relationship_needs_key(tmp_path: Path) -> None:
    rel = "  - {type: CONTRIBUTES_TO, from: 'practice:a', to: 'activity:test:x', level: high, sources: ['001_36cf4593c3a5a483.txt:1-2']}\n"
    found = problems_for(tmp_path, f"nodes:{GOOD_PRACTICE}relationships:\n{rel}{rel}")
    assert len(found) == 1 and "duplicate relationship" in found[0]


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    [problem] = problems_for(tmp_path, "nodes:\n  - {label: Practice\n  bad: [\n")
    assert problem.startswith(f"{tmp_path.name}/broken.yaml:") and "not valid YAML" in problem


def test_content_hash_ignores_comments_and_layout(tmp_path: Path) -> None:
    shutil.copy(ONTOLOGY / "schema.yaml", tmp_path / "schema.yaml")
    (tmp_path / "a.yaml").write_text(f"nodes:{GOOD_PRACTICE}", encoding="utf-8")
    first = read_ontology(tmp_path).content_hash
    (tmp_path / "a.yaml").write_text(f"# a comment\nnodes:\n{GOOD_PRACTICE}\n\n", encoding="utf-8")
    assert read_ontology(tmp_path).content_hash == first


def test_a_document_framework_must_be_a_framework_id(tmp_path: Path) -> None:
    schema = (ONTOLOGY / "schema.yaml").read_text(encoding="utf-8")
    (tmp_path / "schema.yaml").write_text(schema.replace("framework: framework:sfia", "framework: sfia:ITMG", 1))
    with pytest.raises(OntologyInvalid) as caught:
        read_ontology(tmp_path)
    assert "framework 'sfia:ITMG' is no Framework id" in str(caught.value.problems[0])
