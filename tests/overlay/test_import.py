"""Importing an organisation: the example's records and provenance, one line per problem for a
malformed file (store and folder unchanged), and the imported source in `source=` filters, the
schema, the release and the export of a running service, without a restart."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.graph.store import GraphStore
from app.main import create_app
from app.settings import Settings
from seed.importers.assemble import stage_import
from seed.model import Ontology
from seed.validate import OntologyInvalid, read_ontology
from tests.overlay.conftest import ACME, ONTOLOGY, graph_of

# --- the example, read without a store --------------------------------------------------------------


def test_the_example_organisation_reads_into_roles_requirements_and_mappings(with_acme: Ontology) -> None:
    own = {n.id: n for n in with_acme.nodes.values() if n.id.startswith(("role:acme:", "competency:acme:"))}
    assert sorted(i for i in own if i.startswith("role:")) == [
        "role:acme:change-coordinator",
        "role:acme:head-of-service-delivery",
        "role:acme:incident-coordinator",
        "role:acme:ops-engineer-1",
        "role:acme:ops-engineer-2",
        "role:acme:ops-team-lead",
        "role:acme:problem-analyst",
        "role:acme:service-desk-analyst",
        "role:acme:service-desk-lead",
        "role:acme:site-reliability-engineer",
    ]
    # The four competencies no framework names become Acme's own (skills.csv lines 10, 23, 43, 51).
    assert sorted(i for i in own if i.startswith("competency:")) == [
        "competency:acme:escalation-handling",
        "competency:acme:infrastructure-as-code",
        "competency:acme:on-call-readiness",
        "competency:acme:root-cause-techniques",
    ]
    ops2 = own["role:acme:ops-engineer-2"].properties
    assert ops2["kind"] == "organisation-role"
    assert ops2["sources"] == ["acme:roles.csv:5"]  # header on line 1, Ops Engineer II on line 5
    rels = with_acme.relationships
    itop = rels["REQUIRES:role:acme:ops-engineer-2->sfia:ITOP"].properties
    assert (itop["level"], itop["sources"]) == (4, ["acme:skills.csv:24"])
    named = rels["REQUIRES:role:acme:ops-engineer-2->competency:deep-technical-knowledge"].properties
    assert named["family"] == "functional"  # 'Deep Technical Knowledge' resolved by name
    resp = rels["RESPONSIBLE_FOR:role:acme:ops-engineer-2->practice:problem-management"].properties
    assert (resp["basis"], resp["kind"]) == ("stated", "contributor")
    step = rels["RELATED_TO:role:acme:ops-engineer-1->role:acme:ops-engineer-2"].properties
    assert step["kind"] == "career-step"
    mapping = rels["MAPS_TO:role:acme:ops-engineer-2->role:zero-outage:it-operator"].properties
    assert (mapping["basis"], mapping["kind"], mapping["sources"]) == ("stated", "same-role", ["acme:mappings.yaml:6"])
    org = with_acme.nodes["organisation:acme"].properties
    assert org["files"] == ["mappings.yaml", "roles.csv", "skills.csv"]
    assert org["rows"] == 9 + 10 + 58  # mappings, roles, requirements


# --- malformed files: one line per problem --------------------------------------------------------


FRAMEWORK: list[Ontology] = []  # the curated ontology, read once for the tests below


def stage(organisations: Path, name: str, path: Path) -> Ontology:
    if not FRAMEWORK:
        FRAMEWORK.append(read_ontology(ONTOLOGY))
    return stage_import(ONTOLOGY, organisations, name, path, framework=FRAMEWORK[0])


def problems(tmp_path: Path, name: str, body: bytes | str, *, with_roles: bool = True) -> list[str]:
    """The problems of importing `body` as `name` into a source that already holds the example's roles."""
    organisations = tmp_path / "organisations"
    if with_roles:
        (organisations / "tst").mkdir(parents=True, exist_ok=True)
        shutil.copy(ACME / "roles.csv", organisations / "tst" / "roles.csv")
    incoming = tmp_path / "incoming"
    incoming.mkdir(exist_ok=True)
    path = incoming / name
    path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    with pytest.raises(OntologyInvalid) as caught:
        stage(organisations, "tst", path)
    return [str(p).replace(str(incoming) + "/", "") for p in caught.value.problems]


def test_a_missing_column_is_one_problem_on_the_header(tmp_path: Path) -> None:
    found = problems(tmp_path, "roles.csv", "id,description\nops,Runs things\n", with_roles=False)
    # Without 'name' the file cannot be told apart from any other: the header is refused as a whole.
    assert found == [
        "roles.csv:1: header: cannot tell what the file holds: a role catalogue has a 'name' column, a skill "
        "inventory a 'requirement' column, accepted mappings a 'maps_to' column"
    ]
    found = problems(tmp_path, "skills.csv", "role,requirement,level\nops-engineer-1,ITOP,2\n")
    assert found == [
        "skills.csv:1: header field 'kind': missing column 'kind' (a skills file needs role, kind, requirement)"
    ]


def test_unknown_sfia_code_bad_level_unknown_role_and_duplicate_requirement(tmp_path: Path) -> None:
    body = (
        "role,kind,requirement,level,family\n"
        "ops-engineer-1,sfia,ITXX,3,\n"
        "ops-engineer-1,sfia,ITOP,four,\n"
        "ops-engineer-1,sfia,NTAS,8,\n"
        "ops-engineer-9,competency,Teamwork,,\n"
        "ops-engineer-1,competency,Teamwork,,social\n"
        "ops-engineer-1,competency,Testing,,functional\n"
        "ops-engineer-1,competency,testing,,functional\n"
    )
    assert problems(tmp_path, "skills.csv", body) == [
        "skills.csv:2: requirement ops-engineer-1 -> ITXX field 'requirement': unknown SFIA code 'ITXX'; "
        "the graph knows ASUP, GOVN, ITMG, ITOP, NTAS, SLMO, SYSP",
        "skills.csv:3: requirement ops-engineer-1 -> ITOP field 'level': level 'four' is not a SFIA level: "
        "a whole number from 1 to 7",
        "skills.csv:4: requirement ops-engineer-1 -> NTAS field 'level': level '8' is not a SFIA level: "
        "a whole number from 1 to 7",
        "skills.csv:5: requirement ops-engineer-9 -> Teamwork field 'role': no role 'ops-engineer-9' in the catalogue",
        "skills.csv:6: requirement ops-engineer-1 -> Teamwork field 'family': 'social' is not a family; use one of "
        "functional, methodical, interpersonal, leadership, technical, general",
        "skills.csv:8: requirement ops-engineer-1 -> testing field 'requirement': duplicate requirement, first on line 7",
    ]


def test_duplicate_roles_unknown_targets_and_bad_kinds(tmp_path: Path) -> None:
    body = (
        "id,name,responsible_for,performs_in,progresses_to\n"
        "lead,Desk Lead,Service desk (boss),,\n"
        "lead,Desk Lead Two,,,\n"
        "other,desk lead,,,\n"
        "third,Third,Widget management,Plan,nobody\n"
        "Bad Id,Fourth,,,\n"
    )
    assert problems(tmp_path, "roles.csv", body, with_roles=False) == [
        "roles.csv:2: role lead field 'responsible_for': (boss) is not a kind of responsibility; use one of owner, "
        "manager, lead, practitioner, contributor",
        "roles.csv:3: role lead field 'id': duplicate role, first on line 2",
        "roles.csv:4: role other field 'name': duplicate role name 'desk lead', also role lead (line 2)",
        "roles.csv:5: role third field 'responsible_for': no practice, process or activity is called "
        "'Widget management' (by id, name or alias)",
        "roles.csv:5: role third field 'performs_in': 'Plan' names several nodes (activity:itil:plan, "
        "activity:zero-outage:plan); write the id you mean",
        "roles.csv:5: role third field 'progresses_to': no role 'nobody' in the catalogue",
        "roles.csv:6: row 6 field 'id': 'Bad Id' is not an id: lower-case letters, digits and '-', e.g. ops-engineer-2",
    ]


def test_wrong_encoding_and_broken_shapes(tmp_path: Path) -> None:
    latin1 = "id,name\ncafe-lead,Caf\u00e9 lead\n".encode("latin-1")
    assert problems(tmp_path, "roles.csv", latin1, with_roles=False) == [
        "roles.csv:2: file: not UTF-8: byte 0xe9 at column 14 (a Latin-1 or Windows-1252 file?); save it as UTF-8"
    ]
    assert problems(tmp_path, "roles.csv", "id,name\na,A,extra\n", with_roles=False) == [
        "roles.csv:2: row 2: 3 cells but the header has 2"
    ]
    assert problems(tmp_path, "roles.yaml", "people: []\n", with_roles=False) == [
        "roles.yaml:1: file: a YAML file is a mapping with one key: 'roles', 'skills' or 'mappings'"
    ]
    assert problems(tmp_path, "mappings.yaml", "mappings:\n  - {own: ops-engineer-1, maps_to: 'role:nope'}\n") == [
        "mappings.yaml:2: mapping ops-engineer-1 -> role:nope field 'maps_to': no framework node has id 'role:nope'"
    ]
    # A file with a UTF-8 byte-order mark (as spreadsheet programs write) is fine.
    organisations = tmp_path / "bom"
    path = tmp_path / "bom-roles.csv"
    path.write_bytes("\ufeffid,name\ncafe-lead,Caf\u00e9 lead\n".encode())
    ontology = stage(organisations, "tst", path)
    assert ontology.nodes["role:tst:cafe-lead"].properties["name"] == "Caf\u00e9 lead"


def test_source_names_that_would_collide_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "roles.csv"
    shutil.copy(ACME / "roles.csv", path)
    for name, why in (("zero-outage", "already names a document"), ("000", "2-40 lower-case"), ("A", "2-40")):
        with pytest.raises(OntologyInvalid) as caught:
            stage(tmp_path / "organisations", name, path)
        assert why in str(caught.value.problems[0])


def test_a_yaml_catalogue_with_nested_requirements(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_text(
        "roles:\n"
        "  - id: night-operator\n"
        "    name: Night Operator\n"
        "    responsible_for: [Monitoring and event management (practitioner)]\n"
        "    requires:\n"
        "      - {kind: sfia, requirement: ITOP, level: 3}\n"
        "      - {kind: competency, requirement: Teamwork, family: interpersonal}\n",
        encoding="utf-8",
    )
    ontology = stage(tmp_path / "organisations", "beta", path)
    rel = ontology.relationships["REQUIRES:role:beta:night-operator->sfia:ITOP"]
    assert rel.properties["level"] == 3 and rel.properties["sources"] == ["beta:catalogue.yaml:6"]
    assert "REQUIRES:role:beta:night-operator->competency:teamwork" in ontology.relationships


# --- the command and the running service -------------------------------------------------------------


def test_a_malformed_file_changes_neither_store_nor_folder(
    cli_env: Any, bare_store: GraphStore, tmp_path: Path
) -> None:
    before = graph_of(bare_store)
    bad = tmp_path / "roles.csv"
    bad.write_text("id,name,responsible_for\nops,Ops,Widget management\nops,Ops again,\n", encoding="utf-8")
    result = cli_env("import", str(bad), "--source", "acme")
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error ")]
    assert len(lines) == 2
    assert lines[0].endswith(
        "roles.csv:2: role ops field 'responsible_for': no practice, process or activity is called 'Widget management' (by id, name or alias)"
    )
    assert lines[1].endswith("roles.csv:3: role ops field 'id': duplicate role, first on line 2")
    assert "2 problem(s); nothing was imported or loaded." in result.stderr
    assert graph_of(bare_store) == before
    assert not (tmp_path / "organisations").exists()


def _until(check: Any, timeout_s: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.25)


def test_import_shows_in_source_filters_schema_release_and_export_without_a_restart(
    cli_env: Any, bare_store: GraphStore, tmp_path: Path
) -> None:
    app = create_app(Settings(store="embedded"), store=bare_store)
    with TestClient(app, raise_server_exceptions=False) as client:
        refused = client.get("/v1/nodes", params={"source": "acme"})
        assert refused.status_code == 422
        assert "unknown source 'acme'" in refused.json()["detail"]

        dry = cli_env("import", str(ACME / "roles.csv"), "--source", "acme", "--dry-run")
        assert dry.exit_code == 0, dry.output
        assert "dry run: nothing written" in dry.stderr
        assert not (tmp_path / "organisations").exists()

        for name in ("roles.csv", "skills.csv", "mappings.yaml"):
            result = cli_env("import", str(ACME / name), "--source", "acme", "--title", "Acme")
            assert result.exit_code == 0, result.output
            assert f"imported {name}" in result.stderr
        assert sorted(p.name for p in (tmp_path / "organisations" / "acme").iterdir()) == [
            "mappings.yaml",
            "roles.csv",
            "skills.csv",
            "source.yaml",
        ]

        # The same service, not restarted: it sees the new release within its cache's few seconds.
        def roles() -> Any:
            answer = client.get("/v1/nodes", params={"source": "acme", "label": "Role", "limit": 50})
            return answer if answer.status_code == 200 and answer.json()["total"] == 10 else None

        answer = _until(roles)
        assert answer is not None, client.get("/v1/nodes", params={"source": "acme"}).json()
        assert "role:acme:ops-engineer-2" in {n["id"] for n in answer.json()["items"]}
        schema = client.get("/v1/schema").json()
        assert schema["documents"]["acme"]["file"] == "acme"
        assert schema["documents"]["acme"]["title"] == "Acme"
        assert schema["release"]["organisations"] == ["acme"]
        exported = client.get("/v1/export").json()
        ops2 = next(n for n in exported["nodes"] if n["id"] == "role:acme:ops-engineer-2")
        assert ops2["properties"]["sources"] == ["acme:roles.csv:5"]
        assert any(
            r["type"] == "MAPS_TO" and r["start"] == "role:acme:incident-coordinator" for r in exported["relationships"]
        )
        # The export of one source: Acme's part, in every format.
        part = client.get("/v1/export", params={"source": "acme"}).json()
        assert part["relationships"] and all(
            any(s.startswith("acme:") for s in r["properties"]["sources"]) for r in part["relationships"]
        )
        for fmt in ("turtle", "jsonld", "graphml", "csv", "sssom"):
            answer = client.get("/v1/export", params={"source": "acme", "format": fmt})
            assert answer.status_code == 200, (fmt, answer.text[:300])
        # Other filters take the source too: Acme's roles answering for incident management.
        neighbours = client.get(
            "/v1/nodes/practice:incident-management/neighbors",
            params={"direction": "in", "label": "Role", "source": "acme", "limit": 50},
        ).json()
        assert {n["node"]["id"] for n in neighbours["items"]} == {
            "role:acme:service-desk-analyst",
            "role:acme:service-desk-lead",
            "role:acme:ops-engineer-2",
            "role:acme:ops-team-lead",
            "role:acme:incident-coordinator",
        }

    # A plain `load` keeps the registered organisation: nothing to do.
    again = cli_env("load")
    assert again.exit_code == 0, again.output
    assert "already up to date" in again.stderr
