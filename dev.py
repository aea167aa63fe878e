#!/usr/bin/env python3
"""One entry point for a fresh machine: sets up ``.venv`` if needed, then runs the app or the tests.

    python3 dev.py demo      # the console with an embedded demo HQ
    python3 dev.py test      # lint + the whole test suite (what CI runs)
    python3 dev.py build     # the one-folder bundle dist/associate-app/ (PyInstaller, build.spec)

Set-up is skipped when ``.venv`` was already built from the current pyproject.toml.
The HQ tests also run on PostgreSQL when ASSOCIATE_TEST_PG names a server; if it is unset, ``test``
starts a local one with scripts/start-postgres.sh (Linux, as root), else those tests are skipped.
Only the standard library is used here, so it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_environment() -> None:
    """Create the virtualenv and install the project with its dev extras when pyproject changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs before the venv exists
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}).")
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{digest}"
    if stamp.exists():
        return
    if not PYTHON.exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing the project and its dependencies into .venv …", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    for old in VENV.glob(".installed-*"):
        old.unlink()
    stamp.touch()


def run(args: list[str], extra_env: dict[str, str] | None = None) -> int:
    env = {**os.environ, "PYTHONUTF8": "1", **(extra_env or {})}
    return subprocess.run(args, cwd=ROOT, env=env).returncode


def postgres_for_tests() -> dict[str, str]:
    """ASSOCIATE_TEST_PG for the HQ tests: the one given, or a loopback server this machine can start."""
    if os.environ.get("ASSOCIATE_TEST_PG"):
        return {}
    if not sys.platform.startswith("linux") or not hasattr(os, "geteuid") or os.geteuid() != 0:
        print("PostgreSQL variants of the HQ tests will be skipped: set ASSOCIATE_TEST_PG=postgresql://… "
              "(dev.py starts a local server itself only on Linux as root).", flush=True)
        return {}
    started = subprocess.run(["bash", str(ROOT / "scripts" / "start-postgres.sh")], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    url = started.stdout.strip().splitlines()[-1] if started.stdout.strip() else ""
    if started.returncode != 0 or not url.startswith("postgresql://"):
        print("Could not start PostgreSQL (see above): its HQ test variants will be skipped.", flush=True)
        return {}
    print(f"PostgreSQL for the HQ tests: {url}", flush=True)
    return {"ASSOCIATE_TEST_PG": url}


def build(rest: list[str]) -> int:
    """PyInstaller (installed into .venv when missing), the .qm translations, then build.spec."""
    probe = subprocess.run([str(PYTHON), "-c", "import PyInstaller"], capture_output=True)
    if probe.returncode != 0:
        print("Installing PyInstaller into .venv …", flush=True)
        subprocess.run([str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                        "pyinstaller>=6.10,<7"], check=True)
    built = run([str(PYTHON), "-m", "associate_app.ui.i18n", "build"])
    if built != 0:
        return built
    return run([str(PYTHON), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", *rest, "build.spec"])


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command not in {"demo", "app", "test", "bench", "build"}:
        print(__doc__)
        return 0 if command in {"help", "-h", "--help"} else 2
    ensure_environment()
    if command == "demo":
        return run([str(BIN / "associate-app"), "--demo", *rest])
    if command == "app":
        return run([str(BIN / "associate-app"), *rest])
    if command == "bench":
        return run([str(PYTHON), "-m", "bench", *rest])
    if command == "build":
        return build(rest)
    lint = run([str(PYTHON), "-m", "ruff", "check", "."])
    if lint != 0:
        return lint
    return run([str(PYTHON), "-m", "pytest", *rest], postgres_for_tests())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
