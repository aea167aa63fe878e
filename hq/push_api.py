"""Push routes (filled in by the push work)."""

from __future__ import annotations

from fastapi import FastAPI


def install_push_routes(app: FastAPI) -> None:
    return None
