"""Where the app keeps its files, per platform, without Qt (the core and the CLI need it too).

``ASSOCIATE_APP_HOME`` overrides everything, for tests, portable installs and IT scripts.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

APP_DIR = "associate-app"


def data_dir() -> Path:
    override = os.environ.get("ASSOCIATE_APP_HOME")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "AssociateApp"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "AssociateApp"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / APP_DIR


def profile_db(store_code: str) -> Path:
    """One SQLite file per store profile; the code is checked so it cannot escape the folder."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", store_code):
        raise ValueError(f"Not a store code: {store_code!r}")
    return data_dir() / "profiles" / f"{store_code}.db"


def log_dir() -> Path:
    return data_dir() / "logs"
