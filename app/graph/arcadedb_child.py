"""Child-process entry point that runs the embedded ArcadeDB server with its Bolt plugin.

Two builds of the engine can run here, chosen by `ITSM_ARCADEDB_BUILD`: `jvm` (the default, the
`arcadedb-embedded` package: the Java engine in a JVM through JPype) or `native` (the `arcadedb`
package: the same engine compiled into a shared library, no JVM). JPype allows one JVM
per Python process and cannot restart it, so the server lives in its own process with either build.
Configuration comes from environment variables (never argv, so the password does not show in
`ps`). Prints `READY` on stdout once the server is up; stops cleanly when its stdin closes (the
parent stopping it, or dying) or on SIGTERM/SIGINT. The JVM runs with -Xrs so those signals reach
Python instead of the JVM's own shutdown hooks.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

DATABASE = "itsm"
READER = "itsm_reader"  # the read-only user of ad-hoc Cypher, and its group
BUILDS = ("jvm", "native")
NATIVE_MISSING = (
    "ITSM_ARCADEDB_BUILD=native needs the `arcadedb` package (a dependency: reinstall with `make install`), "
    "or choose ITSM_ARCADEDB_BUILD=jvm"
)


def _reader_group(*, timeout_ms: int, row_limit: int) -> dict[str, Any]:
    """The read-only user's group, the same on both builds.

    It has no database-level access (no schema, security or settings updates) and may only read
    records of any type; the engine then refuses CREATE/MERGE/SET/DELETE, index and constraint
    commands and LOAD CSV for this user. `resultSetLimit` and `readTimeout` are set as well, though
    ArcadeDB 26.10 did not apply either to Cypher over Bolt when measured: the service enforces its
    own row cap and deadline.
    """
    return {
        "access": [],
        "resultSetLimit": row_limit,
        "readTimeout": timeout_ms,
        "types": {"*": {"access": ["readRecord"]}},
    }


def _create_reader(server: Any, password: str, *, timeout_ms: int, row_limit: int) -> None:
    """JVM build: create (or re-create) the read-only user through the running server's Java
    security API (the group of `_reader_group`)."""
    import jpype  # type: ignore[import-untyped]

    json_object = jpype.JClass("com.arcadedb.serializer.json.JSONObject")
    security = server._java_server.getSecurity()
    group = _reader_group(timeout_ms=timeout_ms, row_limit=row_limit)
    security.saveGroup(DATABASE, READER, json_object(json.dumps(group)))
    if security.existsUser(READER):
        security.dropUser(READER)  # a new password or group every start, never a stale one
    user = {"name": READER, "password": str(security.encodePassword(password)), "databases": {DATABASE: [READER]}}
    security.createUser(json_object(json.dumps(user)))


def _groups_file(root: str) -> Path:
    return Path(root, "config", "server-groups.json")


# The groups ArcadeDB 26.10 writes into a new server-groups.json (the same from both builds; the
# suite compares a native file with a JVM one): root's `admin`, and `*` for anyone else, no access.
DEFAULT_GROUPS: dict[str, Any] = {
    "databases": {
        "*": {
            "groups": {
                "admin": {
                    "resultSetLimit": -1,
                    "readTimeout": -1,
                    "access": ["updateSecurity", "updateSchema", "updateDatabaseSettings"],
                    "types": {"*": {"access": ["createRecord", "readRecord", "updateRecord", "deleteRecord"]}},
                },
                "*": {"resultSetLimit": -1, "readTimeout": -1, "access": [], "types": {"*": {"access": []}}},
            }
        }
    },
    "version": 2,
}


def put_reader_group(root: str, group: dict[str, Any]) -> bool:
    """Native build: write the reader's group into `<root>/config/server-groups.json`, which the
    server reads when it starts (the native build has no Java security API to save a group with).
    A new directory gets the engine's default groups (`DEFAULT_GROUPS`) beside it, so that the
    store starts once. False when the file is there but not readable JSON: the server's start
    replaces it with its defaults (and keeps the bad one aside), and the group goes in after."""
    path = _groups_file(root)
    try:
        groups = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        groups = json.loads(json.dumps(DEFAULT_GROUPS))
    except ValueError:
        return False
    if not isinstance(groups, dict) or not isinstance(groups.get("databases"), dict):
        return False
    groups["databases"].setdefault(DATABASE, {}).setdefault("groups", {})[READER] = group
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(groups, indent=2), encoding="utf-8")
    tmp.replace(path)
    return True


def server_command(http_port: int, root_password: str, command: str) -> tuple[int, str]:
    """One server command (`POST /api/v1/server` as root, on loopback): the HTTP status and body."""
    token = base64.b64encode(f"root:{root_password}".encode()).decode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{http_port}/api/v1/server",
        data=json.dumps({"command": command}).encode(),
        headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - a loopback http URL built here
            return int(response.status), response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", errors="replace")


def _create_reader_native(http_port: int, root_password: str, password: str) -> None:
    """Native build: re-create the read-only user with the server's `drop user` and `create user`
    commands (a new password or group every start, never a stale one); its group is in
    server-groups.json already (`put_reader_group`)."""
    status, body = server_command(http_port, root_password, f"drop user {READER}")
    if status != 200 and "not found" not in body:
        raise RuntimeError(f"drop user {READER}: HTTP {status} {body[:300]}")
    user = {"name": READER, "password": password, "databases": {DATABASE: [READER]}}
    status, body = server_command(http_port, root_password, f"create user {json.dumps(user)}")
    if status != 200:
        raise RuntimeError(f"create user {READER}: HTTP {status} {body[:300]}")


def _start_native(env: Any, root: str, config: dict[str, Any], engine: dict[str, Any]) -> Any:
    """Start the server on the native build: the heap and the database-level settings as the
    isolate's arguments (what -Xmx and -D are to the JVM; read when the library loads), the
    engine's own log under `<root>/log`, and the read-only user as on the JVM build."""
    isolate_args = [f"-Xmx{env.get('ITSM_ARCADEDB_HEAP', '512m')}", *(f"-Darcadedb.{k}={v}" for k, v in engine.items())]
    os.environ["ARCADEDB_NATIVE_ISOLATE_ARGS"] = " ".join(isolate_args)
    os.environ["ARCADEDB_LOG_DIR"] = str(Path(root, "log"))
    try:
        from arcadedb.server import ArcadeDBServer as NativeServer
    except ImportError as exc:
        raise SystemExit(f"{NATIVE_MISSING} ({exc})") from exc

    def make() -> Any:
        return NativeServer(root_path=root, root_password=env["ITSM_ARCADEDB_PASSWORD"], config=config)

    reader_password = env.get("ITSM_ARCADEDB_READER_PASSWORD")
    group = _reader_group(
        timeout_ms=int(env.get("ITSM_ARCADEDB_READER_TIMEOUT_MS", "10000")),
        row_limit=int(env.get("ITSM_ARCADEDB_READER_ROW_LIMIT", "10001")),
    )
    server = make()
    if reader_password and not put_reader_group(root, group):
        # An unreadable groups file: the first start replaces it with the server's defaults,
        # which the reader's group joins before the real start (the server reads the file only
        # when it starts).
        server.start()
        server.stop()
        if not put_reader_group(root, group):
            raise RuntimeError(f"{_groups_file(root)} was not rewritten by the server's start")
        server = make()
    server.start()
    if reader_password:
        _create_reader_native(int(config["http_port"]), env["ITSM_ARCADEDB_PASSWORD"], reader_password)
    return server


def _stop_on_stdin_eof(stop: threading.Event) -> None:
    sys.stdin.read()
    stop.set()


def main() -> int:
    env = os.environ
    root = env["ITSM_ARCADEDB_ROOT"]
    config = {
        # Development mode only so that the engine's error messages (syntax errors with their
        # position, refusals, timeouts) reach the client: production mode replaces every one with
        # "Check the server log". Production mode's other effects are set in `engine` below (WAL
        # flush on commit, no LOAD CSV file access); Studio is not in the wheel.
        "mode": "development",
        "host": "127.0.0.1",
        "http_port": int(env["ITSM_ARCADEDB_HTTP_PORT"]),
        "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        "bolt_port": int(env["ITSM_ARCADEDB_BOLT_PORT"]),
        "bolt_host": "127.0.0.1",
        "server_defaultDatabases": f"{DATABASE}[root]",
        # Nothing leaves the machine, and nothing reads local or remote files through Cypher.
        "support_autoRegister": "false",
        "opencypher_loadCsv_allowFileUrls": "false",
        "opencypher_loadCsv_allowRemoteUrls": "false",
        "command_timeout": env.get("ITSM_ARCADEDB_COMMAND_TIMEOUT_MS", "60000"),
    }
    # Database-level settings: measured on 26.10, the entries above reach only the server's own
    # configuration and the database kept its defaults (no command timeout, remote LOAD CSV
    # allowed, no WAL flush outside production mode). As JVM system properties they apply.
    engine = {
        "txWalFlush": "1",
        "command.timeout": config["command_timeout"],
        "opencypher.loadCsv.allowFileUrls": "false",
        "opencypher.loadCsv.allowRemoteUrls": "false",
    }
    build = env.get("ITSM_ARCADEDB_BUILD", "jvm")
    if build not in BUILDS:
        raise SystemExit(f"ITSM_ARCADEDB_BUILD must be one of {', '.join(BUILDS)}, not {build!r}")
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threading.Thread(target=_stop_on_stdin_eof, args=(stop,), daemon=True).start()
    if build == "native":
        started = time.monotonic()
        native = _start_native(env, root, config, engine)
        print(f"READY {time.monotonic() - started:.2f}", flush=True)
        stop.wait()
        native.stop()
        return 0

    jvm_args = ["-Xrs", *(f"-Darcadedb.{key}={value}" for key, value in engine.items())]
    from arcadedb_embedded.server import ArcadeDBServer

    started = time.monotonic()
    server = ArcadeDBServer(
        root_path=root,
        root_password=env["ITSM_ARCADEDB_PASSWORD"],
        config=config,
        jvm_kwargs={"heap_size": env.get("ITSM_ARCADEDB_HEAP", "512m"), "jvm_args": jvm_args},
    )
    server.start()
    if env.get("ITSM_ARCADEDB_READER_PASSWORD"):
        _create_reader(
            server,
            env["ITSM_ARCADEDB_READER_PASSWORD"],
            timeout_ms=int(env.get("ITSM_ARCADEDB_READER_TIMEOUT_MS", "10000")),
            row_limit=int(env.get("ITSM_ARCADEDB_READER_ROW_LIMIT", "10001")),
        )
    print(f"READY {time.monotonic() - started:.2f}", flush=True)
    stop.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
