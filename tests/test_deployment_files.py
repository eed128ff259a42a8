"""The production deployment files, checked without Docker: docker-compose.yml, Dockerfile,
.dockerignore and .env.example.

Each check is a property the deployment relies on and that no test run on these machines would
otherwise notice until `docker compose up` fails (or, worse, starts with a setting silently off).
When check-jsonschema is installed, docker-compose.yml is also validated against the Compose
Specification schema that package ships.
"""

from __future__ import annotations

import fnmatch
import importlib.resources
import json
import re
import shlex
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from app.api.health import router as health_router
from app.settings import Settings
from tests.backends import NEO4J_IMAGE

ROOT = Path(__file__).resolve().parent.parent

# Neo4j 5.26 settings checked against the Operations Manual (configuration settings and the Docker
# conversion table). Neo4j's strict validation (on by default) stops the server on an unknown name
# in its namespaces, so a new NEO4J_* variable in docker-compose.yml has to be checked and added here.
VERIFIED_NEO4J_SETTINGS = frozenset(
    {
        "db.transaction.timeout",
        "db.memory.transaction.max",
        "server.memory.heap.max_size",
        "server.memory.pagecache.size",
        "dbms.security.allow_csv_import_from_file_urls",
    }
)
# Variables the image's entrypoint reads itself and never writes to neo4j.conf.
NEO4J_IMAGE_CONTROL_VARIABLES = frozenset({"NEO4J_AUTH"})


# --- readers -----------------------------------------------------------------------------------


def _compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _service(name: str) -> dict[str, Any]:
    service = _compose()["services"][name]
    assert isinstance(service, dict)
    return service


def _environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's `environment`, in either of the two forms Compose accepts."""
    env = service.get("environment", {})
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(key): "" if value is None else str(value) for key, value in env.items()}


def _interpolated_names(text: str) -> set[str]:
    """Variables Compose substitutes in `text` (`$NAME`, `${NAME...}`); `$$` is a literal `$`."""
    names: set[str] = set()
    i = 0
    while i < len(text):
        if text[i] != "$":
            i += 1
        elif text.startswith("$$", i):
            i += 2
        else:
            match = re.match(r"\$\{([_A-Za-z][_A-Za-z0-9]*)|\$([_A-Za-z][_A-Za-z0-9]*)", text[i:])
            if match:
                names.add(match.group(1) or match.group(2))
            i += 1
    return names


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def _neo4j_setting(variable: str) -> str:
    """The setting a NEO4J_* variable sets, decoded as the image's entrypoint does it."""
    return variable.removeprefix("NEO4J_").replace("_", ".").replace("..", "_")


def _docker_variable(setting: str) -> str:
    return "NEO4J_" + setting.replace("_", "__").replace(".", "_")


def _dotenv_example() -> dict[str, str]:
    values: dict[str, str] = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip("'\"")
    return values


def _dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) pairs, continuation lines joined, comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    instructions = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def _dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, rest in _dockerfile():
        if keyword == "ENV":
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                env[key] = value
    return env


def _workdir() -> PurePosixPath:
    workdirs = [rest for keyword, rest in _dockerfile() if keyword == "WORKDIR"]
    assert len(workdirs) == 1, "one WORKDIR expected"
    return PurePosixPath(workdirs[0])


def _copies() -> list[tuple[int, list[str], PurePosixPath]]:
    """(position, sources, absolute destination) of each COPY."""
    out = []
    for position, (keyword, rest) in enumerate(_dockerfile()):
        if keyword == "COPY":
            parts = [p for p in shlex.split(rest) if not p.startswith("--")]
            out.append((position, parts[:-1], _workdir() / parts[-1]))
    return out


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


# --- docker-compose.yml ------------------------------------------------------------------------


def test_compose_matches_the_compose_specification_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed")
    pytest.importorskip(
        "check_jsonschema",
        reason="check-jsonschema (which ships the Compose Specification schema) is not installed",
    )
    schema_file = importlib.resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_compose())]
    assert errors == []


def test_neo4j_image_is_a_pinned_526_lts_tag_and_the_one_the_suite_uses() -> None:
    image = _service("neo4j")["image"]
    assert re.fullmatch(r"neo4j:5\.26\.\d+-community", image), image
    assert image == NEO4J_IMAGE, "tests/backends.py runs the suite's Neo4j fixture on another image"


def test_every_neo4j_variable_names_a_verified_setting() -> None:
    env = _environment(_service("neo4j"))
    for variable in env:
        assert variable.startswith("NEO4J_"), f"{variable}: the neo4j service takes only NEO4J_* variables"
        if variable in NEO4J_IMAGE_CONTROL_VARIABLES:
            continue
        setting = _neo4j_setting(variable)
        assert setting in VERIFIED_NEO4J_SETTINGS, f"{variable} sets `{setting}`, not a verified Neo4j 5.26 setting"
        assert _docker_variable(setting) == variable, f"{variable} is not the image's spelling of `{setting}`"
        assert env[variable] != "", f"{variable}: the entrypoint skips empty values"


def test_neo4j_service_bounds_transactions_and_refuses_file_urls() -> None:
    env = _environment(_service("neo4j"))
    assert env.get("NEO4J_db_transaction_timeout")
    assert env.get("NEO4J_db_memory_transaction_max")
    assert env.get("NEO4J_dbms_security_allow__csv__import__from__file__urls") == "false"


def test_neo4j_auth_takes_the_required_password_from_env() -> None:
    auth = _environment(_service("neo4j"))["NEO4J_AUTH"]
    assert auth.startswith("neo4j/${NEO4J_PASSWORD:?"), auth


def test_neo4j_healthcheck_runs_cypher_shell_with_nothing_left_for_compose_to_interpolate() -> None:
    check = _service("neo4j")["healthcheck"]
    test = check["test"]
    assert test[0] == "CMD-SHELL" and len(test) == 2, test
    assert "cypher-shell" in test[1]
    assert "$${NEO4J_AUTH#neo4j/}" in test[1], "the password comes from the container's NEO4J_AUTH"
    assert _interpolated_names(test[1]) == set(), "a single `$` would be substituted by Compose on the host"
    for key in ("interval", "timeout", "retries", "start_period"):
        assert key in check, f"healthcheck.{key}"


def test_neo4j_data_is_on_a_named_volume() -> None:
    mounts = [str(v) for v in _service("neo4j").get("volumes", [])]
    data = [m.split(":")[0] for m in mounts if m.split(":")[1:2] == ["/data"]]
    assert len(data) == 1, mounts
    assert data[0] in (_compose().get("volumes") or {}), f"{data[0]} is not a declared named volume"


def test_published_ports_are_loopback_only() -> None:
    for name, service in _compose()["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"


def test_api_waits_for_a_healthy_neo4j() -> None:
    depends_on = _service("api")["depends_on"]
    assert depends_on["neo4j"]["condition"] == "service_healthy"
    assert "healthcheck" in _service("neo4j")


def test_api_environment_is_read_by_the_settings() -> None:
    accepted: set[str] = set()
    prefix = str(Settings.model_config.get("env_prefix", "")).upper()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", None)
        if choices is not None:
            accepted.update(str(choice).upper() for choice in choices)
        elif isinstance(alias, str):
            accepted.add(alias.upper())
        else:
            accepted.add(prefix + name.upper())
    env = _environment(_service("api"))
    assert set(env) <= accepted, f"not read by app/settings.py: {sorted(set(env) - accepted)}"
    assert env["ITSM_STORE"] == "neo4j"
    for needed in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        assert env.get(needed), needed
    uri = urlsplit(env["NEO4J_URI"])
    assert uri.hostname in _compose()["services"], f"{uri.hostname} is not a service name"
    assert uri.port == 7687


def test_api_publishes_the_port_the_image_serves() -> None:
    exposed = {rest for keyword, rest in _dockerfile() if keyword == "EXPOSE"}
    container_ports = {str(p).rsplit(":", 1)[-1] for p in _service("api")["ports"]}
    assert container_ports == exposed == {"8000"}
    cmd = " ".join(rest for keyword, rest in _dockerfile() if keyword == "CMD")
    assert "--host 0.0.0.0" in cmd and "--port 8000" in cmd


# --- .env.example and secrets ------------------------------------------------------------------


def test_env_example_defines_every_variable_compose_interpolates() -> None:
    used = {name for text in _strings(_compose()) for name in _interpolated_names(text)}
    assert used == set(_dotenv_example()), f"compose uses {sorted(used)}"


def test_env_example_password_is_a_placeholder_the_image_accepts() -> None:
    password = _dotenv_example()["NEO4J_PASSWORD"]
    assert "change-me" in password, "looks like a real secret; keep an obvious placeholder"
    assert len(password) >= 8 and "/" not in password and password != "neo4j"


def test_env_is_ignored_by_git_and_docker() -> None:
    gitignore = {line.strip() for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()}
    assert gitignore & {".env", "/.env"}, ".env must be git-ignored"
    assert ".env" in _dockerignore_patterns(), ".env must stay out of the build context"


# --- Dockerfile and .dockerignore ----------------------------------------------------------------


def _dockerignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _ignored(path: str) -> bool:
    parts = PurePosixPath(path).parts
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in _dockerignore_patterns():
        if pattern.startswith("!"):
            continue
        bare = pattern.strip("/")
        for candidate in candidates:
            if fnmatch.fnmatchcase(candidate, bare):
                return True
            if bare.startswith("**/") and fnmatch.fnmatchcase(candidate.rsplit("/", 1)[-1], bare[3:]):
                return True
    return False


def test_build_inputs_exist_and_are_not_dockerignored() -> None:
    for _, sources, _ in _copies():
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: missing"
            assert not _ignored(source), f"COPY {source}: excluded by .dockerignore"


def test_everything_hatch_needs_is_copied_before_pip_install() -> None:
    pyproject = _pyproject()
    needed = set(pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"])
    needed.add(pyproject["project"]["readme"])
    license_ = pyproject["project"].get("license")
    if isinstance(license_, dict) and "file" in license_:
        needed.add(license_["file"])
    needed.update(pyproject["project"].get("license-files", []))
    install = next(i for i, (kw, rest) in enumerate(_dockerfile()) if kw == "RUN" and "pip install" in rest)
    copied = {
        PurePosixPath(s).as_posix().rstrip("/") for pos, sources, _ in _copies() if pos < install for s in sources
    }
    assert needed <= copied | {"pyproject.toml"}, f"not copied before `pip install .`: {sorted(needed - copied)}"


def test_ontology_and_cypher_land_where_the_settings_point() -> None:
    env = _dockerfile_env()
    destinations = {tuple(sources): destination for _, sources, destination in _copies()}
    assert destinations[("ontology",)] == PurePosixPath(env["ITSM_ONTOLOGY_DIR"])
    assert destinations[("cypher",)] == PurePosixPath(env["ITSM_CYPHER_DIR"])


def test_image_runs_as_a_user_that_owns_the_data_dir() -> None:
    instructions = _dockerfile()
    users = [(i, rest) for i, (kw, rest) in enumerate(instructions) if kw == "USER"]
    assert users and users[-1][1] not in ("root", "0"), "the image must not run as root"
    user_at, user = users[-1]
    data_dir = PurePosixPath(_dockerfile_env()["ITSM_DATA_DIR"])
    relative = data_dir.relative_to(_workdir()).as_posix()
    chowned = [
        rest
        for i, (kw, rest) in enumerate(instructions)
        if kw == "RUN" and i < user_at and f"chown {user}" in rest and relative in rest.split()
    ]
    assert chowned, f"{data_dir} is not given to {user} before USER"


def test_image_healthcheck_probes_a_route_the_api_has() -> None:
    healthcheck = " ".join(rest for keyword, rest in _dockerfile() if keyword == "HEALTHCHECK")
    match = re.search(r"http://127\.0\.0\.1:8000(/[A-Za-z0-9_/-]*)", healthcheck)
    assert match, healthcheck
    paths = {getattr(route, "path", None) for route in health_router.routes}
    assert match.group(1) in paths
    assert "--start-period=" in healthcheck, "`itsm-ontology load` runs before the server listens"
