"""The MCP server, driven by the official SDK's own client over both transports.

One service per module: the API (with ITSM_MCP_ENABLED and an API key) on a real uvicorn on
loopback, over the session's embedded store loaded with the ontology. The stdio server is the real
command, `.venv/bin/itsm-ontology mcp`, spawned by the SDK's client on that store's data directory
(it attaches to the running store, as `load` does beside `serve`). Each test that takes `mcp` runs
over stdio and over HTTP.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx
import httpx2
import mcp_types as types
import pytest
import uvicorn
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi.testclient import TestClient
from mcp import Client, MCPError, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from app.adhoc.saved import SavedQueries
from app.api.access import API_KEY_HEADER
from app.graph.queries import QueryRegistry
from app.graph.store import GraphStore
from app.main import create_app
from app.mcp.guard import TRUNCATED_MARKER, GuardLimits, ToolFailure, cap, run_bounded
from app.mcp.server import ReadPathNotReadOnly, build, check_fixed_queries
from app.mcp.stdio import LOCAL_CALLER
from app.settings import Settings
from seed.model import Ontology

KEY = "mcp-test-key"
DELIVER = "activity:itil:deliver-and-support"
SERVICE_TOOLS = {
    "search",
    "get_node",
    "neighbours",
    "paths",
    "practices_for_activity",
    "role_competencies",
    "compare_roles",
    "value_chains",
    "schema",
    "cypher",
}
SAVED = SavedQueries(Settings().cypher_dir / "saved")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Service:
    url: str
    data_dir: Path | None  # None: a Neo4j store, which the stdio tests do not attach to
    stdio_log: Path


def _data_dir_of(store: GraphStore, base: Path) -> Path | None:
    """The data directory of the session's embedded store (the one whose server.json names its
    port); None for Neo4j."""
    port = urlsplit(store.uri or "").port
    for state in base.glob("*/arcadedb/server.json"):
        if json.loads(state.read_text(encoding="utf-8")).get("bolt_port") == port:
            return state.parent.parent
    return None


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, store: GraphStore) -> Iterator[Service]:
    """The API with /mcp on, over the session's loaded store, on a real uvicorn on loopback."""
    data_dir = _data_dir_of(store, tmp_path_factory.getbasetemp())
    settings = Settings(data_dir=data_dir or Path("unused"), mcp_enabled=True, cypher_api_key=KEY)
    app = create_app(settings, store=store)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the service did not start"
        time.sleep(0.1)
    try:
        yield Service(f"http://127.0.0.1:{port}/mcp", data_dir, tmp_path_factory.mktemp("mcp-log") / "stderr.log")
    finally:
        server.should_exit = True
        thread.join(timeout=60)


@dataclass
class Session:
    """A connected SDK client, driven from synchronous tests through a portal's event loop."""

    portal: BlockingPortal
    client: Client
    transport: str

    def tools(self) -> dict[str, types.Tool]:
        return {tool.name: tool for tool in self.portal.call(self.client.list_tools).tools}

    def call(self, name: str, **arguments: Any) -> types.CallToolResult:
        return self.portal.call(self.client.call_tool, name, arguments)

    def answer(self, name: str, **arguments: Any) -> dict[str, Any]:
        result = self.call(name, **arguments)
        text = [c.text for c in result.content if isinstance(c, types.TextContent)]
        assert not result.is_error, text
        body: dict[str, Any] = json.loads(text[-1])
        assert body == result.structured_content
        return body

    def error(self, name: str, **arguments: Any) -> str:
        result = self.call(name, **arguments)
        assert result.is_error, result
        text = result.content[0]
        assert isinstance(text, types.TextContent)
        assert "Traceback" not in text.text
        return text.text

    def read(self, uri: str) -> dict[str, Any]:
        contents = self.portal.call(self.client.read_resource, uri).contents
        assert len(contents) == 1 and isinstance(contents[0], types.TextResourceContents)
        assert contents[0].mime_type == "application/json"
        body: dict[str, Any] = json.loads(contents[0].text)
        return body


@pytest.fixture(scope="module")
def portal() -> Iterator[BlockingPortal]:
    with start_blocking_portal() as running:
        yield running


@pytest.fixture(scope="module")
def stdio(portal: BlockingPortal, service: Service) -> Iterator[Session]:
    if service.data_dir is None:
        pytest.skip("the stdio tests attach `itsm-ontology mcp` to the embedded store's data directory")
    command = Path(sys.executable).parent / "itsm-ontology"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ITSM_", "NEO4J_"))}
    env.update(ITSM_STORE="embedded", ITSM_DATA_DIR=str(service.data_dir), ITSM_CYPHER_RATE_LIMIT="")
    params = StdioServerParameters(command=str(command), args=["mcp"], env=env)

    @asynccontextmanager
    async def connected() -> AsyncIterator[Client]:
        with service.stdio_log.open("w") as errlog:
            async with Client(stdio_client(params, errlog=errlog)) as client:
                yield client

    with portal.wrap_async_context_manager(connected()) as client:
        yield Session(portal, client, "stdio")


@asynccontextmanager
async def _http_client(url: str, key: str) -> AsyncIterator[Client]:
    async with (
        httpx2.AsyncClient(headers={API_KEY_HEADER: key}, timeout=httpx2.Timeout(60)) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def http(portal: BlockingPortal, service: Service) -> Iterator[Session]:
    with portal.wrap_async_context_manager(_http_client(service.url, KEY)) as client:
        yield Session(portal, client, "http")


@pytest.fixture(params=["stdio", "http"])
def mcp(request: pytest.FixtureRequest, service: Service) -> Session:
    session: Session = request.getfixturevalue(request.param)
    return session


def _leaves(group: BaseException) -> list[BaseException]:
    if isinstance(group, BaseExceptionGroup):
        return [leaf for inner in group.exceptions for leaf in _leaves(inner)]
    return [group]


def _ids(items: list[dict[str, Any]], key: str) -> set[str]:
    return {item[key]["id"] for item in items}


# --- the tool list -------------------------------------------------------------------------------


def test_tools_listed_with_typed_schemas_and_one_per_saved_query(mcp: Session) -> None:
    tools = mcp.tools()
    saved = {"saved_" + q.name.replace("-", "_"): q for q in SAVED}
    assert len(saved) == len(SAVED) >= 13
    assert set(tools) == SERVICE_TOOLS | set(saved)
    for tool in tools.values():
        assert tool.input_schema["type"] == "object" and len(tool.description or "") > 60, tool.name
        assert tool.annotations is not None and tool.annotations.read_only_hint is True
    for name, query in saved.items():  # generated from the header: names, types, required, meanings
        schema = tools[name].input_schema
        assert query.description in (tools[name].description or "")
        assert set(schema["properties"]) == {p.name for p in query.parameters} | {"limit"}
        assert set(schema.get("required", [])) == {p.name for p in query.parameters if p.required}
        for p in query.parameters:
            assert p.description in schema["properties"][p.name]["description"]
    min_shared = tools["saved_roles_sharing_competencies"].input_schema["properties"]["min_shared"]
    assert min_shared["type"] == "integer" and min_shared["default"] == 3
    depth = tools["neighbours"].input_schema["properties"]["depth"]
    assert (depth["minimum"], depth["maximum"]) == (1, 4)
    label = tools["search"].input_schema["properties"]["label"]
    assert "Practice" in next(v for v in label["anyOf"] if v.get("type") == "string")["enum"]


# --- the service tools, against the ontology ------------------------------------------------------


def test_headline_high_contributors_to_deliver_and_support(mcp: Session, ontology: Ontology) -> None:
    body = mcp.answer("practices_for_activity", activity_id=DELIVER, min_level="high")
    stated_high = {
        r.start
        for r in ontology.relationships.values()
        if r.type == "CONTRIBUTES_TO" and r.end == DELIVER and r.properties.get("level") == "high"
    }
    assert "practice:incident-management" in stated_high
    assert _ids(body["items"], "practice") == stated_high and body["total"] == len(stated_high)
    incident = next(i for i in body["items"] if i["practice"]["id"] == "practice:incident-management")
    assert incident["level"] == "high" and incident["sources"] and incident["evidence"]
    assert "role:itil:incident-manager" in {r["id"] for r in incident["roles"]}


def test_headline_through_the_crosswalk(mcp: Session) -> None:
    body = mcp.answer("practices_for_activity", activity_id="activity:zero-outage:run", aligned=True, min_level="high")
    assert DELIVER in {a["activity"]["id"] for a in body["aligned_with"]}
    assert "practice:incident-management" in _ids(body["items"], "practice")
    assert all(item["alignments"] for item in body["items"])  # every one reached through an alignment


def test_search_get_node_and_neighbours(mcp: Session, ontology: Ontology) -> None:
    hits = mcp.answer("search", q="SACM")["items"]
    assert hits[0]["id"] == "practice:service-configuration-management"
    node = mcp.answer("get_node", id="practice:incident-management")
    assert node["name"] == "Incident management"
    assert node["sources"] == list(ontology.nodes["practice:incident-management"].properties["sources"])
    assert DELIVER in {c["node"]["id"] for c in node["relationships"]["out"]["CONTRIBUTES_TO"]}
    roles = mcp.answer("neighbours", id="practice:incident-management", direction="in", label="Role", limit=200)
    assert "role:itil:incident-manager" in {item["node"]["id"] for item in roles["items"]}
    assert all(item["node"]["label"] == "Role" for item in roles["items"])


def test_paths_explain_each_step(mcp: Session) -> None:
    body = mcp.answer("paths", from_id="practice:incident-management", to_id="practice:problem-management", max_hops=3)
    assert body["paths"]
    for path in body["paths"]:
        assert path["nodes"][0]["id"] == "practice:incident-management"
        assert path["nodes"][-1]["id"] == "practice:problem-management"
        assert all(step["type"] and "basis" in step for step in path["relationships"])


def test_roles_value_chains_and_schema(mcp: Session, ontology: Ontology) -> None:
    needs = mcp.answer("role_competencies", role_id="role:itil:incident-manager")
    assert "ITOP" in {s["code"] for s in needs["skills"]}
    compared = mcp.answer(
        "compare_roles", a_id="role:zero-outage:incident-manager", b_id="role:zero-outage:problem-manager"
    )
    only_a = {c["name"] for c in compared["competencies"]["only_a"]}
    only_b = {c["name"] for c in compared["competencies"]["only_b"]}
    assert "Sense of urgency to reduce business impacts" in only_a and "Learning from mistakes" in only_b
    chains = {c["id"]: c for c in mcp.answer("value_chains")["items"]}
    assert DELIVER in {a["id"] for a in chains["value-chain:itil"]["activities"]}
    schema = mcp.answer("schema")
    practices = sum(1 for n in ontology.nodes.values() if n.label == "Practice")
    assert {e["name"]: e["count"] for e in schema["labels"]}["Practice"] == practices == 34
    assert schema["release"]["content_hash"] == ontology.content_hash


# --- saved queries and Cypher ---------------------------------------------------------------------


@pytest.mark.parametrize("query", list(SAVED), ids=lambda q: q.name)
def test_every_saved_query_tool_runs_with_its_defaults(http: Session, query: Any) -> None:
    body = http.answer("saved_" + query.name.replace("-", "_"))
    assert body["columns"] and body["row_count"] == len(body["rows"])


def test_saved_query_tool_answers_against_the_ontology(mcp: Session) -> None:
    body = mcp.answer("saved_practices_for_activity", activity=DELIVER, level="high")
    column = body["columns"].index("practice")
    assert "practice:incident-management" in {row[column] for row in body["rows"]}
    assert mcp.error("saved_role_gap", role=7).startswith("Invalid arguments for saved_role_gap: role:")
    assert mcp.error("saved_role_gap", role="role:nobody").startswith("Not found")  # an `id` parameter


def test_cypher_reads_with_parameters(mcp: Session) -> None:
    body = mcp.answer(
        "cypher",
        query="MATCH (p:Practice)-[c:CONTRIBUTES_TO]->(:ValueChainActivity {id: $a}) WHERE c.level = 'high' "
        "RETURN DISTINCT p.id AS practice ORDER BY practice",
        parameters={"a": DELIVER},
    )
    assert body["columns"] == ["practice"] and ["practice:incident-management"] in body["rows"]
    assert body["truncated"] is False and "truncation" not in body


def test_cypher_refuses_a_write(mcp: Session) -> None:
    message = mcp.error("cypher", query="MATCH (n:Practice {id: 'practice:incident-management'}) DETACH DELETE n")
    assert message.startswith("Query refused") and "DETACH DELETE" in message
    assert "layer gate" in message
    assert mcp.answer("get_node", id="practice:incident-management")["id"] == "practice:incident-management"


# --- guard rails ----------------------------------------------------------------------------------


def test_a_huge_answer_is_truncated_with_the_marker(mcp: Session) -> None:
    result = mcp.call("cypher", query="UNWIND range(1, 100000) AS i RETURN i")
    assert not result.is_error
    note = result.content[0]
    assert isinstance(note, types.TextContent) and note.text.startswith(TRUNCATED_MARKER)
    assert "narrow the question" in note.text and "LIMIT" in note.text
    body = result.structured_content
    assert body is not None and body["row_count"] == len(body["rows"]) == 100 and body["truncated"] is True
    # Bytes: 100 rows of 1000 characters are over the 50 000 byte cap.
    wide = mcp.call(
        "cypher",
        query="UNWIND range(1, 100) AS i RETURN i, reduce(s = '', x IN range(1, 100) | s + 'abcdefghij') AS pad",
    )
    body = wide.structured_content
    assert body is not None and body["truncated"] is True and 0 < len(body["rows"]) < 100
    assert body["truncation"][0]["by"] == "bytes" and len(json.dumps(body, separators=(",", ":"))) <= 50_000
    # A service tool: the ITIL framework's neighbourhood two hops out has more than 100 nodes.
    result = mcp.call("neighbours", id="framework:itil4", depth=2, limit=200)
    assert isinstance(result.content[0], types.TextContent) and result.content[0].text.startswith(TRUNCATED_MARKER)
    body = result.structured_content
    assert body is not None and len(body["items"]) == 100 and body["total"] > 100
    assert body["truncation"] == [{"path": "items", "kept": 100, "of": min(body["total"], 200), "by": "rows"}]


def test_bad_arguments_fail_cleanly(mcp: Session) -> None:
    assert "Not found" in mcp.error("get_node", id="practice:does-not-exist")
    assert mcp.error("neighbours", id="practice:incident-management", depth=9).startswith("Invalid arguments")
    assert "unknown label" in mcp.error("search", q="incident", label="Nonsense")
    assert "extra" in mcp.error("search", q="incident", colour="blue").lower()
    assert "required" in mcp.error("compare_roles", a_id="role:itil:incident-manager").lower()
    assert "syntax" in mcp.error("cypher", query="MATCH (n) RETRUN n").lower()
    with pytest.raises(MCPError, match="unknown tool"):
        mcp.call("drop_everything")


def test_resources(mcp: Session, ontology: Ontology) -> None:
    listed = mcp.portal.call(mcp.client.list_resources).resources
    assert {str(r.uri) for r in listed} == {"itsm://schema", "itsm://release", "itsm://documents"}
    release = mcp.read("itsm://release")
    assert release["release"]["content_hash"] == ontology.content_hash
    assert release["tag"] == f"{ontology.version}+{ontology.content_hash[:12]}"
    documents = mcp.read("itsm://documents")["items"]
    assert {d["key"] for d in documents} == set(ontology.schema.documents) and len(documents) == 5
    assert "Practice" in {e["name"] for e in mcp.read("itsm://schema")["labels"]}


def test_every_call_is_audited(
    stdio: Session, http: Session, service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="itsm_ontology.audit"):
        http.answer("search", q="incident")
        http.error("cypher", query="CREATE (n:Entity {id: 'x:y'})")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "itsm_ontology.audit"]
    tool_lines = [line for line in lines if line["event"] == "mcp-tool"]
    assert [(line["tool"], line["outcome"]) for line in tool_lines] == [("search", "ok"), ("cypher", "refused")]
    assert all(line["transport"] == "http" and line["who"].startswith("key:") for line in tool_lines)
    assert KEY not in caplog.text and "incident" not in json.dumps(tool_lines)  # arguments hashed, not logged
    assert any(line["event"] == "cypher" and line["outcome"] == "refused" for line in lines)  # the runner's own
    stdio.answer("value_chains")
    deadline = time.monotonic() + 10
    while '"tool":"value_chains"' not in service.stdio_log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    stdio_lines = [json.loads(x) for x in service.stdio_log.read_text().splitlines() if x.startswith("{")]
    assert {
        "event": "mcp-tool",
        "tool": "value_chains",
        "who": "local",
        "transport": "stdio",
        "outcome": "ok",
    }.items() <= next(line for line in stdio_lines if line.get("tool") == "value_chains").items()


# --- the HTTP endpoint's access -------------------------------------------------------------------


def test_http_needs_the_key_when_one_is_set(service: Service, portal: BlockingPortal) -> None:
    init = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    headers = {"Accept": "application/json, text/event-stream"}
    for key in (None, "wrong"):
        sent = headers | ({API_KEY_HEADER: key} if key else {})
        response = httpx.post(service.url, json=init, headers=sent, timeout=30)
        assert response.status_code == 401 and response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["title"] == "API key required"
    with (
        pytest.raises(BaseExceptionGroup) as refused,
        portal.wrap_async_context_manager(_http_client(service.url, "x")),
    ):
        pass
    assert any("error response" in str(e) for e in _leaves(refused.value))  # the SDK's client is refused too


def test_mcp_over_http_is_off_by_default() -> None:
    def paths(settings: Settings) -> set[str]:
        return {getattr(route, "path", "") for route in create_app(settings).routes}

    assert Settings().mcp_enabled is False
    assert "/mcp" not in paths(Settings()) and "/mcp" in paths(Settings(mcp_enabled=True))
    assert "/mcp" not in create_app(Settings(mcp_enabled=True)).openapi()["paths"]  # the /v1 contract is unchanged


def test_without_a_key_only_requests_to_this_machine_are_served(store: GraphStore) -> None:
    """DNS-rebinding protection: keyless, /mcp answers only Host 127.0.0.1 / localhost / [::1]."""
    body = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    with TestClient(create_app(Settings(mcp_enabled=True), store=store)) as client:
        assert client.post("/mcp", json=body, headers=headers).status_code == 421  # Host: testserver
        local = client.post("/mcp", json=body, headers=headers | {"Host": "127.0.0.1:8000"})
        assert local.status_code == 200, local.text
        evil = headers | {"Host": "127.0.0.1:8000", "Origin": "http://evil.example"}
        assert client.post("/mcp", json=body, headers=evil).status_code == 403


def test_cypher_switched_off_hides_the_query_tools() -> None:
    settings = Settings(cypher_enabled=False)
    off = build(
        lambda: pytest.fail("not needed"),
        saved=SAVED,
        settings=settings,
        transport="stdio",
        default_caller=LOCAL_CALLER,
    )
    assert set(off.tools) == SERVICE_TOOLS - {"cypher"}
    on = build(
        lambda: pytest.fail("not needed"),
        saved=SAVED,
        settings=Settings(),
        transport="stdio",
        default_caller=LOCAL_CALLER,
    )
    assert len(on.tools) == len(SERVICE_TOOLS) + len(SAVED)


# --- guard rails, directly ------------------------------------------------------------------------


def test_the_fixed_queries_tools_reach_are_read_only(tmp_path: Path) -> None:
    assert check_fixed_queries(QueryRegistry(Settings().cypher_dir)) > 20
    (tmp_path / "nodes").mkdir()
    (tmp_path / "nodes" / "sneaky.cypher").write_text("// looks harmless\nMATCH (n) SET n.x = 1 RETURN n\n")
    with pytest.raises(ReadPathNotReadOnly, match="nodes/sneaky"):
        check_fixed_queries(QueryRegistry(tmp_path))


def test_the_time_limit_stops_waiting() -> None:
    started = time.monotonic()
    with pytest.raises(ToolFailure, match="Timed out") as failure:
        anyio.run(run_bounded, lambda: time.sleep(3), GuardLimits(timeout_s=0.2))
    assert failure.value.outcome == "timeout" and time.monotonic() - started < 2


def test_cap_cuts_rows_then_bytes() -> None:
    capped = cap({"items": list(range(500)), "total": 500}, GuardLimits(max_rows=10, max_bytes=10_000))
    assert capped.payload == {"items": list(range(10)), "total": 500}
    assert [(c.path, c.kept, c.of, c.by) for c in capped.cuts] == [("items", 10, 500, "rows")]
    text = {"a": ["x" * 400] * 50, "b": "y" * 5000}
    capped = cap(text, GuardLimits(max_rows=100, max_bytes=2_000))
    assert capped.truncated and capped.size <= 2_000 - 600
    assert {c.path for c in capped.cuts} >= {"a"}
    untouched = cap({"items": [1, 2, 3]}, GuardLimits())
    assert not untouched.truncated and untouched.payload == {"items": [1, 2, 3]}
