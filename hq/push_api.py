"""POST /v1/push: the request and response shapes (for /openapi.json) and the route; the work is hq.push.

The envelope of each mutation is checked here (a batch whose envelope is broken is refused whole,
422, and nothing is applied); a payload is checked per kind in hq.mutations, where a bad one is
rejected alone (``invalid_payload``) so it cannot hold back the rest of the device's outbox.
"""

from __future__ import annotations

from typing import Any, Literal

import orjson
from fastapi import FastAPI
from fastapi.responses import Response
from pydantic import BaseModel, Field

from hq import push
from hq.api_models import Strict
from hq.deps import DB, Caller, ProtocolVersion
from hq.errors import HQError
from hq.protocol import MAX_PUSH_MUTATIONS

_ID = r"^[A-Za-z0-9_-]+$"


class MutationIn(Strict):
    mutation_id: str = Field(min_length=1, max_length=64, pattern=_ID, description="made on the device (UUIDv7)")
    device_seq: int = Field(ge=0, le=2**62, description="the device's outbox sequence")
    kind: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$", examples=["tag.apply"],
                      description="tag.apply, tag.remove, interaction.log, task_target.outcome, task.status, "
                                  "correction.propose, member.enrol, member.reassign or task_target.reassign "
                                  "(docs/mutations.md); others are rejected")
    staff_id: str = Field(min_length=1, max_length=32, pattern=_ID, description="who made the change")
    created_at: str = Field(min_length=1, max_length=40, examples=["2026-11-25T06:30:00.000Z"])
    payload: dict[str, Any] = Field(description="per kind, see docs/mutations.md")


class PushRequest(Strict):
    mutations: list[MutationIn] = Field(description=f"in outbox order, at most {MAX_PUSH_MUTATIONS}")


class MutationResult(BaseModel):
    mutation_id: str
    status: Literal["applied", "duplicate", "rejected", "merged"]
    reason: str | None = Field(description="a stable code for rejected and merged (and repeated on duplicate)")
    message: str
    current: Any = Field(description="HQ's current state of the thing, for merged and rejected")
    member_id: int | None = Field(description="the member the mutation resolved to (the surviving id on enrol)")
    original_status: str | None = Field(None, description="duplicate only: the status first answered")


class PushResponse(BaseModel):
    results: list[MutationResult]
    high_water: int = Field(description="a pull that reaches this sequence includes this push's effects")


def install_push_routes(app: FastAPI) -> None:
    @app.post("/v1/push", response_model=PushResponse, tags=["sync"])
    def push_mutations(body: PushRequest, caller: Caller, version: ProtocolVersion, db: DB) -> Any:
        """Apply the device's mutations exactly once; one result per mutation, in request order."""
        if len(body.mutations) > MAX_PUSH_MUTATIONS:
            raise HQError(f"at most {MAX_PUSH_MUTATIONS} mutations per push; send the rest in the next one",
                          code="too_many_mutations", status=422, limit=MAX_PUSH_MUTATIONS)
        result = push.push(db, caller, [m.model_dump() for m in body.mutations])
        return Response(orjson.dumps(result), media_type="application/json")
