"""A tiny HTTP helper for the HQ tests: real requests over loopback, nothing mocked.

Not the console's sync engine (that is associate_app/sync): just enough to sign in and call HQ.
"""

from __future__ import annotations

import uuid
from typing import Any

import requests

from hq.protocol import PROTOCOL_MAX, VERSION_HEADER
from hq.seed import DEMO_PASSWORD


class Api:
    def __init__(self, base_url: str, token: str | None = None, device_id: str | None = None) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers[VERSION_HEADER] = str(PROTOCOL_MAX)
        self.device_id = device_id or uuid.uuid4().hex
        self.staff: dict[str, Any] = {}
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def login(self, store_code: str, staff_no: str, password: str = DEMO_PASSWORD) -> Api:
        r = self.post("/v1/auth/login", json={"store_code": store_code, "staff_no": staff_no, "password": password,
                                             "device_id": self.device_id})
        assert r.status_code == 200, r.text
        body = r.json()
        self.session.headers["Authorization"] = f"Bearer {body['token']}"
        self.staff = body["staff"]
        return self

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.session.get(self.base_url + path, timeout=30, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.session.post(self.base_url + path, timeout=30, **kw)

    def request(self, method: str, path: str, **kw: Any) -> requests.Response:
        return self.session.request(method, self.base_url + path, timeout=30, **kw)

    def pull_all(self, cursor: str | None = None, limit: int = 1000) -> tuple[dict[str, dict[str, Any]], str]:
        """Pull until has_more is false; returns ({entity: {key: doc}}, cursor) applying deletes."""
        state: dict[str, dict[str, Any]] = {}
        while True:
            r = self.get("/v1/pull", params={"cursor": cursor or "", "limit": limit})
            assert r.status_code == 200, r.text
            page = r.json()
            for entity, docs in page["upserts"].items():
                for doc in docs:
                    state.setdefault(entity, {})[entity_key(entity, doc)] = doc
            for entity, keys in page["deletes"].items():
                for key in keys:
                    state.setdefault(entity, {}).pop(key, None)
            cursor = page["cursor"]
            if not page["has_more"]:
                return state, cursor

    def push(self, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        r = self.post("/v1/push", json={"mutations": list(mutations)})
        assert r.status_code == 200, r.text
        return r.json()["results"]


def entity_key(entity: str, doc: dict[str, Any]) -> str:
    """The key a document is filed under in the feed (docs/sync-protocol.md, "Entities")."""
    if entity == "task_target":
        return f"{doc['task_id']}:{doc['member_id']}"
    if entity == "setting":
        return doc["key"]
    return str(doc["id"])
