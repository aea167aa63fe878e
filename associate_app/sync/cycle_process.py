"""A sync cycle in a child process, so the console's window never competes with it for the GIL.

Why: a first download parses, validates and writes 200,000 documents in Python. On a thread of the
console's own process that work holds the GIL, and every Qt or SQLite call of the UI thread, which lets
the GIL go and must wait to take it back, is delayed by it: the window froze for a few hundred
milliseconds at a time (bench/bench_ui_stall.py). In a child process the two share nothing but the
SQLite file, which WAL lets them share safely; nothing else changes: the same ``SyncEngine.run_cycle``
runs, commits page by page, and may be killed at any moment (tests/sync/test_kill_sync.py).

The parent writes one JSON line on the child's stdin (database path, HQ address, TLS setting, the
token: never on the command line, where other users of the PC could read it) and reads JSON lines
back: ``{"progress": {...}}`` while the cycle runs, then ``{"result": {...}}``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from associate_app.sync.results import ProgressCallback, SyncProgress, SyncResult

log = logging.getLogger(__name__)
WORKER_FLAG = "--sync-cycle-worker"  # argv[1] of the frozen app when it runs as this child


def worker_command() -> list[str]:
    """How to start the child: the bundle's own executable, or this interpreter with this module."""
    if getattr(sys, "frozen", False):
        console_twin = Path(sys.executable).with_name("associate-app-cli.exe")  # Windows: stdio surely wired
        return [str(console_twin) if os.name == "nt" and console_twin.exists() else sys.executable, WORKER_FLAG]
    return [sys.executable, "-m", "associate_app.sync.cycle_process"]


class ProcessCycles:
    """Runs each cycle in a fresh child; ``interrupt()`` ends a running one (its pages are committed)."""

    def __init__(self, database: Path, hq_url: str, token: Callable[[], str | None], *,
                 verify: bool | str = True, engine_options: dict[str, Any] | None = None) -> None:
        self.database, self.hq_url, self.token, self.verify = Path(database), hq_url, token, verify
        self.engine_options = engine_options or {}
        self._child: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def run(self, progress: ProgressCallback) -> SyncResult:
        order = {"database": str(self.database), "hq_url": self.hq_url, "token": self.token(),
                 "verify": self.verify, "engine": self.engine_options}
        with tempfile.TemporaryFile() as errors:
            try:
                child = subprocess.Popen(worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=errors, env={**os.environ, "PYTHONUTF8": "1"},
                                         creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
            except OSError as exc:
                return SyncResult(outcome="internal_error", error=f"could not start the sync process: {exc}")
            with self._lock:
                self._child = child
            try:
                result = self._talk(child, json.dumps(order).encode(), progress)
            finally:
                child.wait()
                with self._lock:
                    self._child = None
            errors.seek(0)
            said = errors.read()[-8000:].decode("utf-8", "replace").strip()
            if result is None:
                log.warning("the sync process ended without a result (exit %s): %s", child.returncode, said)
                return SyncResult(outcome="internal_error",
                                  error=f"the sync process ended with code {child.returncode}")
            for line in said.splitlines():  # its warnings belong in the console's own log file
                log.info("%s", line)
            return result

    def interrupt(self) -> None:
        """Stop the running cycle now (quitting the app): every page it committed stays committed."""
        with self._lock:
            if self._child is not None and self._child.poll() is None:
                self._child.kill()

    @staticmethod
    def _talk(child: subprocess.Popen[bytes], order: bytes, progress: ProgressCallback) -> SyncResult | None:
        assert child.stdin is not None and child.stdout is not None
        try:
            child.stdin.write(order + b"\n")
            child.stdin.close()
        except OSError:
            return None  # it died at once: its stderr says why
        result = None
        for line in child.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # not ours (a library printing): ignore
            if "progress" in message:
                progress(SyncProgress(**message["progress"]))
            elif "result" in message:
                result = SyncResult(**message["result"])
        return result


def _say(message: dict[str, Any], out: Any) -> None:
    out.write(json.dumps(message, ensure_ascii=False) + "\n")
    out.flush()


def child_main() -> int:
    """The child: read the order, run one cycle, report; logging goes to stderr (the parent logs it)."""
    from associate_app.store import open_store
    from associate_app.sync.client import HQClient
    from associate_app.sync.engine import SyncEngine

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="sync process: %(levelname)s %(name)s: %(message)s")
    order = json.loads(sys.stdin.readline())
    out = sys.stdout
    sys.stdout = sys.stderr  # anything else printed must not be taken for a message
    store = open_store(order["database"])
    client = HQClient(order["hq_url"], lambda: order["token"], verify=order["verify"])
    try:
        engine = SyncEngine(store, client, **order["engine"])
        result = engine.run_cycle(progress=lambda p: _say({"progress": dataclasses.asdict(p)}, out))
        _say({"result": dataclasses.asdict(result)}, out)
    finally:
        client.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(child_main())
