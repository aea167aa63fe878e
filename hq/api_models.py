"""Request and response shapes for the OpenAPI document (/openapi.json) and request validation.

Responses are written as bytes for speed; these models describe them for clients and for the
schemathesis run, which checks the server against this document.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Requests refuse unknown fields: a typo is a clear 422, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class VersionRange(BaseModel):
    min: int
    max: int


class HelloResponse(BaseModel):
    server: str
    protocol: VersionRange
    server_time: str
    epoch: str


class LoginRequest(Strict):
    store_code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$", examples=["SH001"])
    staff_no: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$", examples=["A001"])
    password: str = Field(min_length=1, max_length=256)
    device_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                           description="a stable id the device made for itself (a UUID)")


class StaffOut(BaseModel):
    id: str
    store_code: str | None
    name: str
    role: str


class LoginResponse(BaseModel):
    token: str
    expires_at: str
    staff: StaffOut


class MeResponse(StaffOut):
    device_id: str


class PullResponse(BaseModel):
    protocol: int
    cursor: str = Field(description="pass back as ?cursor= for the next page")
    has_more: bool
    high_water: int
    count: int
    upserts: dict[str, list[dict[str, Any]]] = Field(description="entity → documents to insert or replace")
    deletes: dict[str, list[str]] = Field(description="entity → keys to delete (tombstones)")
    remaining: int | None = Field(None, description="documents after this page (only when asked, ?remaining=true)")
