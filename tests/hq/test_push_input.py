"""Malformed pushes: a clear 4xx (nothing applied) or a per-mutation invalid_payload, never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hq.mutations import HANDLERS
from hq.protocol import MAX_PUSH_MUTATIONS
from tests.hq.test_push_support import (
    SH001_MEMBER,
    ago,
    correction,
    enrol,
    interaction,
    mutation,
    outcome,
    scalar,
    statuses,
    tag,
    task_status,
)


def _applied(db) -> int:
    return scalar(db, "SELECT count(*) FROM applied_mutations")


def test_unknown_kinds_and_bad_payloads_are_rejected_one_by_one(api, hq_db):
    advisor = api("SH001", "A001")
    good = tag("apply", "A001", SH001_MEMBER, 203, ago(1))
    results = advisor.push(
        mutation("member.delete", "A001", {"member": SH001_MEMBER}),
        mutation("tag.apply", "A001", {"member": SH001_MEMBER, "at": ago(1)}),  # no tag_id
        mutation("tag.apply", "A001", {"member": SH001_MEMBER, "tag_id": "203", "at": ago(1)}),
        mutation("tag.apply", "A001", {"member": True, "tag_id": 203, "at": ago(1)}),
        mutation("tag.apply", "A001", {"member": SH001_MEMBER, "tag_id": 2**70, "at": ago(1)}),
        mutation("tag.apply", "A001", {"member": "lead:", "tag_id": 203, "at": ago(1)}),
        mutation("tag.apply", "A001", {"member": SH001_MEMBER, "tag_id": 203, "at": 1764052200}),
        mutation("tag.apply", "A001", {"member": SH001_MEMBER, "tag_id": 203, "at": "yesterday"}),
        mutation("tag.apply", "A001", {"member": SH001_MEMBER, "tag_id": 203, "at": "2026-11-25T06:30:00"}),
        mutation("tag.apply", "A001", {"member": SH001_MEMBER, "tag_id": 203, "at": "1970-01-01T00:00:00Z"}),
        {**good, "mutation_id": "bad-created-at", "created_at": "25/11/2026"},
        interaction("A001", SH001_MEMBER, type="telepathy"),
        interaction("A001", SH001_MEMBER, note="很" * 2001),
        interaction("A001", SH001_MEMBER, next_follow_up="2026-02-30"),
        good,
    )
    assert statuses(results[:1]) == [("rejected", "unknown_kind")]
    assert statuses(results[1:-1]) == [("rejected", "invalid_payload")] * (len(results) - 2)
    assert all(r["message"] for r in results)
    assert "payload.tag_id" in results[1]["message"] and "payload.at" in results[7]["message"]
    assert results[-1]["status"] == "applied"


def test_text_the_database_cannot_store_is_rejected_not_a_500(api, hq_db):
    advisor = api("SH001", "A001")
    nul = interaction("A001", SH001_MEMBER, note="a\u0000b")
    surrogate = interaction("A001", SH001_MEMBER, note="SURROGATE")
    raw = json.dumps({"mutations": [nul, surrogate]}).replace("SURROGATE", "\\ud800")
    r = advisor.post("/v1/push", data=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert statuses(r.json()["results"]) == [("rejected", "invalid_payload")] * 2
    assert scalar(hq_db, "SELECT count(*) FROM interactions WHERE id IN (?, ?)",
                  (nul["payload"]["id"], surrogate["payload"]["id"])) == 0


@pytest.mark.parametrize("breakage", [
    lambda m: m.pop("mutation_id"),
    lambda m: m.update(payload=[1, 2]),
    lambda m: m.update(device_seq=-1),
    lambda m: m.update(mutation_id="has spaces and / slashes"),
    lambda m: m.update(staff_id=None),
    lambda m: m.update(surprise=1),
], ids=["no-id", "payload-list", "negative-seq", "bad-id", "no-staff", "extra-field"])
def test_a_broken_envelope_refuses_the_whole_batch(api, hq_db, breakage):
    advisor = api("SH001", "A001")
    good, broken = tag("apply", "A001", SH001_MEMBER, 203, ago(1)), tag("apply", "A001", SH001_MEMBER, 204, ago(1))
    breakage(broken)
    r = advisor.post("/v1/push", json={"mutations": [good, broken]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    assert r.json()["error"]["message"]
    assert _applied(hq_db) == 0


def test_more_than_the_limit_is_refused_whole(api, hq_db):
    advisor = api("SH001", "A001")
    before = scalar(hq_db, "SELECT count(*) FROM interactions")
    batch = [interaction("A001", SH001_MEMBER) for _ in range(MAX_PUSH_MUTATIONS + 1)]
    r = advisor.post("/v1/push", json={"mutations": batch})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "too_many_mutations" and r.json()["error"]["limit"] == MAX_PUSH_MUTATIONS
    assert _applied(hq_db) == 0 and scalar(hq_db, "SELECT count(*) FROM interactions") == before


def test_a_full_batch_is_accepted(api, hq_db):
    advisor = api("SH001", "A001")
    results = advisor.push(*[interaction("A001", SH001_MEMBER) for _ in range(MAX_PUSH_MUTATIONS)])
    assert [r["status"] for r in results] == ["applied"] * MAX_PUSH_MUTATIONS


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"mutations": {}}', b"{}"])
def test_a_body_that_is_not_a_push_is_a_clear_error(api, body):
    r = api("SH001", "A001").post("/v1/push", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"


def test_an_empty_push_is_fine(api):
    r = api("SH001", "A001").post("/v1/push", json={"mutations": []})
    assert r.status_code == 200 and r.json()["results"] == [] and r.json()["high_water"] > 0


# Fuzzing the payloads over real HTTP: random dictionaries, and valid mutations with a field or two spoilt.
_KEYS = ["member", "tag_id", "group_id", "at", "replaces", "id", "staff_id", "type", "outcome", "note", "occurred_at",
         "task_id", "next_follow_up", "status", "field", "child_id", "old_value", "new_value", "base_version", "lead",
         "phone", "name", "store_code", "advisor_id"]
_PLAUSIBLE = [SH001_MEMBER, 11_000_000, "lead:x", "A001", "SH001", ago(1), ago(-60), "2030-01-01", 203, 107, 1101,
              500, 503, 510, "call", "reached", "done", "in_progress", "phone", "address", "child_birthday",
              "13900001234", "a\u0000b", "\ud800", -1, 0, 2**63, 1.5, [], {}]
_VALUES = st.one_of(st.sampled_from(_PLAUSIBLE), st.none(), st.booleans(), st.integers(),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
                    st.lists(st.integers(), max_size=3))

_TEMPLATES = [tag("apply", "A001", SH001_MEMBER, 203, ago(1)), tag("remove", "A001", SH001_MEMBER, 106, ago(1)),
              interaction("A001", SH001_MEMBER, task_id=500), outcome("A001", 503, SH001_MEMBER),
              task_status("A001", 503, "done"), correction("A001", SH001_MEMBER, "address", "上海市1号", 1),
              correction("A001", SH001_MEMBER, "child_birthday", "2021-03-01", 1, child_id=10_000_000),
              enrol("A001", "13900001234")]


@st.composite
def _spoilt_template(draw: st.DrawFn) -> tuple[str, dict]:
    """A valid mutation with one or two fields replaced or dropped: reaches past the first check."""
    template = draw(st.sampled_from(_TEMPLATES))
    payload = dict(template["payload"])
    for key in draw(st.lists(st.sampled_from(sorted(payload)), min_size=1, max_size=2)):
        if draw(st.booleans()):
            payload[key] = draw(_VALUES)
        else:
            payload.pop(key, None)
    return template["kind"], payload


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(batch=st.lists(st.one_of(_spoilt_template(), st.tuples(st.sampled_from(sorted(HANDLERS)),
                                                              st.dictionaries(st.sampled_from(_KEYS), _VALUES))),
                      min_size=1, max_size=6))
def test_whatever_a_payload_holds_each_mutation_gets_an_answer(api, batch):
    advisor = api("SH001", "A001")
    results = advisor.push(*[mutation(kind, "A001", payload) for kind, payload in batch])
    assert len(results) == len(batch)
    assert all(r["status"] in {"applied", "merged", "rejected", "duplicate"} and r["message"] for r in results)
