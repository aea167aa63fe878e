"""Schemathesis against /openapi.json: no operation answers a server error, whatever it is sent.

The real server runs on loopback (SQLite is enough: the code paths are shared). Every operation the
document lists when the test runs (sync, auth, and push and admin routes once they exist) is called
with generated valid and invalid inputs, once with an advisor's token and once with an HQ admin's.
Bounded: a fixed number of derandomized examples per operation, no shrinking.
"""

from __future__ import annotations

import secrets
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis.strategies import SearchStrategy
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from hq.auth import token_digest
from hq.db import Database
from hq.embedded import EmbeddedHQ
from hq.protocol import PROTOCOL_MAX, VERSION_HEADER
from hq.seed import seed
from hq.timeutil import iso, now_utc

pytestmark = pytest.mark.slow

EXAMPLES = 25  # per operation, per token, per pass
ACCOUNTS = {"advisor": "A001", "admin": "HQ001"}
# Path parameters naming things that exist, so a third pass reaches past "not found" into the real work.
KNOWN_IDS = {"member_id": 1_000_001, "group_id": 2, "tag_id": 201, "task_id": 500, "staff_id": "A002"}


def passes(operation: schemathesis.APIOperation) -> dict[str, SearchStrategy]:
    """Valid inputs, invalid inputs, and valid inputs with the current protocol version and real ids."""
    known = {p.name: KNOWN_IDS[p.name] for p in operation.path_parameters if p.name in KNOWN_IDS}
    return {
        "positive": operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        "negative": operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        "known": operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=known,
                                       headers={VERSION_HEADER: str(PROTOCOL_MAX)}),
    }


def mint_token(db: Database, staff_id: str) -> str:
    """A session made directly in the database: no sign-in, so the fuzzed sign-ins' rate limit is no obstacle."""
    token = secrets.token_urlsafe(32)
    device = f"fuzz-{secrets.token_hex(6)}"
    with db.write() as tx:
        tx.execute("INSERT INTO sessions(token_hash, staff_id, device_id, created_at, expires_at)"
                   " VALUES (?, ?, ?, ?, '2999-01-01T00:00:00.000Z')",
                   (token_digest(token), staff_id, device, iso(now_utc())))
        tx.execute("INSERT INTO device_staff(device_id, staff_id, first_seen) VALUES (?, ?, ?)",
                   (device, staff_id, iso(now_utc())))
    return token


def fuzz(operation: schemathesis.APIOperation, base_url: str, token: str, statuses: Counter) -> list[str]:
    """Run one operation's generated cases; returns a line per pass that met a server error."""
    problems = []
    for name, strategy in passes(operation).items():

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def run(case: schemathesis.Case) -> None:
            response = case.call(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
            statuses[(operation.label, response.status_code // 100)] += 1
            case.validate_response(response, checks=[not_a_server_error])

        try:
            run()
        except Unsatisfiable:  # an operation without inputs has no invalid ones to send
            continue
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises a group; collect them all
            lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
            problems.append(f"{operation.label} [{name}]: {' | '.join(lines[:6])}")
    return problems


def test_no_operation_answers_a_server_error(make_hq_db):
    db = make_hq_db("sqlite")
    seed(db, members=30, stores=2)
    with EmbeddedHQ(db) as hq:
        schema = schemathesis.openapi.from_url(f"{hq.url}/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        labels = {op.label for op in operations}
        assert {"GET /v1/hello", "POST /v1/auth/login", "GET /v1/pull"} <= labels
        # sign-out ends the token: fuzz it last, so the other operations see a live session
        operations.sort(key=lambda op: op.label == "POST /v1/auth/logout")
        statuses: Counter = Counter()
        problems: list[str] = []
        for role, staff_id in ACCOUNTS.items():
            for operation in operations:
                problems += [f"{role}: {p}" for p in fuzz(operation, hq.url, mint_token(db, staff_id), statuses)]
    assert problems == [], "\n".join(problems)
    # The run reached the real work, not only validation errors: some calls succeeded.
    assert statuses[("GET /v1/pull", 2)] > 0 and statuses[("GET /v1/hello", 2)] > 0


def test_the_openapi_document_is_served_and_describes_the_sync_routes(api):
    r = api().get("/openapi.json")
    assert r.status_code == 200
    document = r.json()
    assert document["openapi"].startswith("3.")
    assert {"/v1/hello", "/v1/auth/login", "/v1/pull"} <= set(document["paths"])
    assert "HTTPBearer" in document["components"]["securitySchemes"]
