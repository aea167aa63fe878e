"""The core (store, domain, lookup, sync, session) and the HQ server never load Qt: ui/ depends on them only.

Every module outside ``associate_app/ui`` is imported in a fresh interpreter; if any of them pulls in
PySide6, directly or through another module, the test names it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def core_modules() -> list[str]:
    found = []
    for package in ("associate_app", "hq"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "ui" in parts or parts[-1] == "__main__":
                continue
            found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def test_no_core_module_imports_qt():
    modules = core_modules()
    assert "associate_app.sync.engine" in modules and "hq.app" in modules  # the walk found the core
    probe = (
        "import importlib, json, sys\n"
        "loaded = {}\n"
        f"for name in {modules!r}:\n"
        "    before = 'PySide6' in sys.modules\n"
        "    importlib.import_module(name)\n"
        "    if not before and 'PySide6' in sys.modules:\n"
        "        loaded[name] = True\n"
        "print(json.dumps(sorted(loaded)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
