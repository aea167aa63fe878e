"""A rotating log file in the platform's data folder: where unexpected errors are written in full."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from associate_app.paths import log_dir


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Log to ``<data>/logs/associate-app.log`` (5 × 2 MB). Returns the path, or None if unwritable."""
    root = logging.getLogger()
    root.setLevel(level)
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "associate-app.log"
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        root.addHandler(handler)
    return path
