"""Helpers for the admin tests (no tests here): an HQ admin client and "what did a device receive since".

Named test_admin_* to stay inside the admin work's files; pytest collects nothing from it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from hq.timeutil import iso, now_utc
from tests.hq.api import Api, entity_key

ADMIN = ("HQ", "HQ001")
_SEQ = itertools.count(1)


@dataclass
class Delta:
    """What one device received by pull since its last cursor: documents by entity and key, and deletions."""

    upserts: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    deletes: dict[str, set[str]] = field(default_factory=dict)

    def doc(self, entity: str, key: object) -> dict[str, Any]:
        return self.upserts.get(entity, {})[str(key)]

    def deleted(self, entity: str) -> set[str]:
        return self.deletes.get(entity, set())

    def of(self, entity: str) -> dict[str, dict[str, Any]]:
        return self.upserts.get(entity, {})


class Device:
    """A signed-in device that has downloaded everything and then pulls only what changed."""

    def __init__(self, client: Api) -> None:
        self.client = client
        self.state, self.cursor = client.pull_all()

    def pull(self) -> Delta:
        delta = Delta()
        while True:
            r = self.client.get("/v1/pull", params={"cursor": self.cursor, "limit": 1000})
            assert r.status_code == 200, r.text
            page = r.json()
            for entity, docs in page["upserts"].items():
                for doc in docs:
                    key = entity_key(entity, doc)
                    delta.upserts.setdefault(entity, {})[key] = doc
                    delta.deletes.get(entity, set()).discard(key)
                    self.state.setdefault(entity, {})[key] = doc
            for entity, keys in page["deletes"].items():
                for key in keys:
                    delta.deletes.setdefault(entity, set()).add(key)
                    delta.upserts.get(entity, {}).pop(key, None)
                    self.state.setdefault(entity, {}).pop(key, None)
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return delta


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def refused(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The error body of a refused call, after checking its status (and code)."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error


def mutation(kind: str, staff_id: str, payload: dict[str, Any]) -> dict[str, Any]:
    """One outbox entry as a console sends it (docs/mutations.md)."""
    return {"mutation_id": str(uuid.uuid4()), "device_seq": next(_SEQ), "kind": kind, "staff_id": staff_id,
            "created_at": iso(now_utc()), "payload": payload}


def at(minutes_ago: float = 0) -> str:
    return iso(now_utc() - dt.timedelta(minutes=minutes_ago))
