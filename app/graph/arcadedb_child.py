"""Child-process entry point that runs the embedded ArcadeDB server with its Bolt plugin.

JPype allows one JVM per Python process and cannot restart it, so the server lives in its own
process. Configuration comes from environment variables (never argv, so the password does not show
in `ps`). Prints `READY` on stdout once the server is up; stops cleanly when its stdin closes (the parent
stopping it, or dying) or on SIGTERM/SIGINT. The JVM runs with -Xrs so those signals reach Python
instead of the JVM's own shutdown hooks.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

DATABASE = "itsm"


def _stop_on_stdin_eof(stop: threading.Event) -> None:
    sys.stdin.read()
    stop.set()


def main() -> int:
    env = os.environ
    root = env["ITSM_ARCADEDB_ROOT"]
    config = {
        "mode": "production",
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
        jvm_kwargs={"heap_size": env.get("ITSM_ARCADEDB_HEAP", "512m"), "jvm_args": ["-Xrs"]},
    )
    server.start()
    print(f"READY {time.monotonic() - started:.2f}", flush=True)
    stop.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
