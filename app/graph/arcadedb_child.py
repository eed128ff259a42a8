"""Child-process entry point that runs the embedded ArcadeDB server with its Bolt plugin.

JPype allows one JVM per Python process and cannot restart it, so the server lives in its own
process. Configuration comes from environment variables (never argv, so the password does not show
in `ps`). Prints `READY` on stdout once the server is up; stops cleanly when its stdin closes (the parent
stopping it, or dying) or on SIGTERM/SIGINT. The JVM runs with -Xrs so those signals reach Python
instead of the JVM's own shutdown hooks.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from typing import Any

DATABASE = "itsm"
READER = "itsm_reader"  # the read-only user of ad-hoc Cypher, and its group


def _create_reader(server: Any, password: str, *, timeout_ms: int, row_limit: int) -> None:
    """Create (or re-create) the read-only user through the running server's Java security API.

    Its group has no database-level access (no schema, security or settings updates) and may only
    read records of any type; the engine then refuses CREATE/MERGE/SET/DELETE, index and
    constraint commands and LOAD CSV for this user. `resultSetLimit` and `readTimeout` are set as
    well, though ArcadeDB 26.10 did not apply either to Cypher over Bolt when measured: the
    service enforces its own row cap and deadline.
    """
    import jpype  # type: ignore[import-untyped]

    json_object = jpype.JClass("com.arcadedb.serializer.json.JSONObject")
    security = server._java_server.getSecurity()
    group = {
        "access": [],
        "resultSetLimit": row_limit,
        "readTimeout": timeout_ms,
        "types": {"*": {"access": ["readRecord"]}},
    }
    security.saveGroup(DATABASE, READER, json_object(json.dumps(group)))
    if security.existsUser(READER):
        security.dropUser(READER)  # a new password or group every start, never a stale one
    user = {"name": READER, "password": str(security.encodePassword(password)), "databases": {DATABASE: [READER]}}
    security.createUser(json_object(json.dumps(user)))


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
    jvm_args = ["-Xrs", *(f"-Darcadedb.{key}={value}" for key, value in engine.items())]
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threading.Thread(target=_stop_on_stdin_eof, args=(stop,), daemon=True).start()

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
