"""Admin routes (filled in by the admin work)."""

from __future__ import annotations

from fastapi import FastAPI


def install_admin_routes(app: FastAPI) -> None:
    return None
