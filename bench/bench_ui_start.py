"""Process start to the main window shown, on a 200,000-member store: the real ``associate-app`` start-up.

``python -m bench.bench_ui_start [--runs 7]``. Each run is a fresh process started through the console's
own entry point (``associate_app.cli.main``) in a prepared data folder: the settings file, the 200,000-member
bench store as the SH001 profile, and a kept sign-in (so it resumes, as a counter PC does every morning;
HQ's address is a closed loopback port, so the start-up sync finds it offline without waiting). The child
notes the time of the first turn of the event loop after the window was shown and exits. For comparison,
the floor: a process that imports PySide6 and shows an empty QMainWindow. Target: median ≤ 1.0 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 1.0
ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-token"


def prepare(home: Path) -> None:
    """A counter PC's data folder with a 200,000-member store and a kept sign-in of advisor A001."""
    from associate_app import settings
    from associate_app.session import SESSION_KEY
    from associate_app.store import open_store
    from bench.dataset import build

    profile = home / "profiles" / "SH001.db"
    profile.parent.mkdir(parents=True)
    shutil.copyfile(build(), profile)
    store = open_store(profile)
    with store.write():
        store.set_state(SESSION_KEY, json.dumps({"id": "A001", "role": "advisor", "name": "李娜"}))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    settings.save(settings.Options(hq_url="http://127.0.0.1:9", store_code="SH001", staff_no="A001",
                                   auto_lock_minutes=0), home / "settings.ini")


def child(started: float, kind: str) -> None:
    """One measured start-up; prints the seconds from process start to the window shown."""
    import keyring
    from keyring.backend import KeyringBackend

    class BenchKeyring(KeyringBackend):
        """A secure-looking in-memory keyring holding the kept sign-in (the bench has no desktop keyring)."""

        priority = 5

        def get_password(self, service: str, username: str) -> str | None:
            return TOKEN

        def set_password(self, service: str, username: str, password: str) -> None:
            pass

        def delete_password(self, service: str, username: str) -> None:
            pass

    keyring.set_keyring(BenchKeyring())
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    def shown() -> None:
        print(json.dumps({"seconds": time.time() - started}), flush=True)
        os._exit(0)

    if kind == "floor":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.resize(1366, 768)
        window.show()
        QTimer.singleShot(0, shown)
        app.exec()
        return
    from associate_app import cli
    from associate_app.ui.main_window import MainWindow

    original = MainWindow.showEvent

    def show_event(self, event) -> None:
        original(self, event)
        QTimer.singleShot(0, shown)

    MainWindow.showEvent = show_event
    cli.main([])


def run_once(home: Path, kind: str) -> float:
    env = {**os.environ, "ASSOCIATE_APP_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PYTHONUTF8": "1"}
    started = time.time()
    answer = subprocess.run([sys.executable, "-m", "bench.bench_ui_start", "--child", kind, "--started",
                             repr(started)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    lines = [line for line in answer.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"the console did not show its window:\n{answer.stdout}\n{answer.stderr}")
    return json.loads(lines[-1])["seconds"]


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv or [])
    if args.child:
        child(args.started, args.child)
        return True
    work = Path(tempfile.mkdtemp(prefix="bench-ui-start-"))
    try:
        prepare(work / "home")
        run_once(work / "home", "console")  # warm the OS file cache once, as a second start would be
        floor = [run_once(work / "home", "floor") for _ in range(args.runs)]
        console = [run_once(work / "home", "console") for _ in range(args.runs)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    median = statistics.median(console)
    print(f"empty QMainWindow shown (the floor): median {statistics.median(floor):.3f} s, max {max(floor):.3f} s")
    print(f"console shown, 200,000-member store, {args.runs} runs: median {median:.3f} s, max {max(console):.3f} s "
          f"(target ≤ {TARGET_S:.1f} s, ratio {median / TARGET_S:.2f}); "
          f"the console's own share: {median - statistics.median(floor):.3f} s")
    return median <= TARGET_S


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1:]) else 1)
