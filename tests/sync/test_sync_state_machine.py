"""Random local edits, HQ edits, syncs and network faults, against a plain-Python model (tests/sync/model.py).

One small seeded HQ (SQLite, 12 members) serves the run behind a fault proxy and is put back to its
seeded state before each example, so examples are independent and a failing one replays exactly while
hypothesis shrinks it. Two fresh devices per example: advisor A001 (tag groups 1 and 2, task outcomes;
small pull pages) and manager M001 (groups 3 and 4), on the same members, so each pulls member
documents the other changed while it has edits of its own pending. A device's UI and its sync engine
use separate connections, as in the app, and edits can land in the middle of a cycle: before the push,
while a pull request is on its way, between pages.

After every step: the outbox is a suffix of the model's unacknowledged changes (answered ones leave in
order, unsent ones never), each device shows HQ's state with its own pending changes on top, and HQ
holds exactly what the model says whenever nothing may be in flight (every change once, nothing else).
After every good cycle the device equals HQ plus what was edited during its pull; at the end of each
example the network comes back and both devices converge to HQ, which equals the model.

Not checked at every step, and why: the device's copy of the other device's groups and of HQ-only
fields (they change on HQ and arrive whenever a pull succeeds: checked after good cycles), and a slot
or task with a change queued that HQ will refuse (until HQ answers, the device shows its own change).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from associate_app.domain.actor import Actor
from associate_app.domain.interactions import log_interaction
from associate_app.domain.tags import apply_tag, remove_tag, toggle_tag
from associate_app.domain.tasks import record_outcome, set_task_status
from associate_app.domain.vocabulary import Role
from associate_app.errors import TagRetired, TaskClosed
from associate_app.store import Store, open_store
from associate_app.sync.auth import device_id, sign_in
from associate_app.sync.client import HQClient
from associate_app.sync.engine import SyncEngine
from associate_app.sync.results import CHECKING, DOWNLOADING, PUSHING, SyncProgress, SyncResult
from associate_app.sync.retry import RetryPolicy
from hq.admin import catalogue, members, tasks
from hq.db import Database
from hq.embedded import EmbeddedHQ
from hq.maintenance import rotate_epoch
from hq.seed import DEMO_PASSWORD, seed
from hq.service import open_hq
from tests.sync.faultproxy import FaultProxy
from tests.sync.model import (
    FINAL,
    MEMBERS,
    RETIRABLE,
    SINGLE,
    DeviceModel,
    HQModel,
    Op,
    group_of,
    outbox_ids,
    read_hq,
    read_local,
    with_pending,
)

OUTCOMES = ("reached", "not_reachable", "interested", "converted", "declined", "wrong_number")
FAULTS = ("pass", "drop_request", "drop_response", "duplicate", "truncate", "status:503")
MOMENTS = ("checking", "pushing", "pull", "downloaded")  # when an edit lands during a cycle
PHASE = {"checking": CHECKING, "pushing": PUSHING, "downloaded": DOWNLOADING}
RETRY = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=2.0)
TIMEOUT, LATE_TIMEOUT = (2.0, 10.0), (2.0, 0.4)  # the late fault answers after 0.6 s: past the short timeout


@dataclass
class Device:
    name: str
    ui: Store  # the UI's connection: domain operations
    engine: SyncEngine  # the sync worker's own connection
    client: HQClient
    actor: Actor
    device_id: str
    tags: tuple[int, ...]
    model: DeviceModel
    baseline: frozenset[str] = frozenset()  # interactions by this person that HQ had before the example


@dataclass
class SharedHQ:
    """One seeded HQ for the whole run, put back to its seeded state before each example (SQLite's backup
    API, under the running server), so every example starts alike and a failure replays exactly."""

    db: Database
    proxy: FaultProxy
    task: int
    base: Path
    template: Path
    empty_store: Path

    def restore(self) -> None:
        source, target = sqlite3.connect(self.template), sqlite3.connect(self.db.path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()


def open_device(hq: SharedHQ, path: Path, staff_no: str, tags: tuple[int, ...], page_limit: int) -> Device:
    shutil.copyfile(hq.empty_store, path)  # an empty, migrated store: migrating each time costs more than a sync
    ui, worker = open_store(path), open_store(path)
    client = HQClient(hq.proxy.url, retry=RETRY, timeout=TIMEOUT)
    me = device_id(ui)
    signed = sign_in(client, "SH001", staff_no, DEMO_PASSWORD, me)
    client.token = lambda: signed.token
    actor = Actor(signed.staff["id"], Role(signed.staff["role"]), "SH001")
    groups = tuple(sorted({group_of(t) for t in tags}))
    return Device(staff_no, ui, SyncEngine(worker, client, page_limit=page_limit), client, actor, me, tags,
                  DeviceModel(actor.staff_id, groups))


# -- the machine --------------------------------------------------------------------------------------------


class Hook:
    """One edit made in the middle of a cycle, at ``moment``; errors are kept for the test thread."""

    def __init__(self, moment: str, edit: Callable[[], None]) -> None:
        self.moment, self.edit, self.fired, self.error = moment, edit, False, None

    def fire(self) -> None:
        if self.fired:
            return
        self.fired = True
        try:
            self.edit()
        except BaseException as exc:  # re-raised in the test thread by check()
            self.error = exc

    def check(self) -> None:
        if self.error is not None:
            raise self.error


DURING = st.none() | st.tuples(st.sampled_from(MOMENTS), st.sampled_from(MEMBERS),
                               st.lists(st.integers(0, 5), min_size=1, max_size=3), st.booleans())


class SyncMachine(RuleBasedStateMachine):
    def __init__(self, hq: SharedHQ) -> None:
        super().__init__()
        hq.restore()
        self.db, self.proxy, self.task = hq.db, hq.proxy, hq.task
        self.dir = Path(tempfile.mkdtemp(dir=hq.base))
        self.late_used = False
        self.a = open_device(hq, self.dir / "a.db", "A001", (101, 102, 103, 201, 202, 203), 20)
        self.b = open_device(hq, self.dir / "b.db", "M001", (301, 302, 303, 401, 402), 1000)
        start, _ = read_hq(self.db, self.task)
        self.hq = HQModel(dict(start.tags), set(start.retired), start.task[0], dict(start.task[1]),
                          dict(start.points))
        for dev in (self.a, self.b):
            assert dev.engine.run_cycle().ok
            dev.baseline = frozenset(i for i, s in start.interactions.items() if s == dev.actor.staff_id)
            self.check_after_good_sync(dev)

    def teardown(self) -> None:
        try:
            if sys.exc_info()[1] is None:  # not while a failure is on its way out
                self.converge()
        finally:
            self.proxy.rule(None)
            for dev in (self.a, self.b):
                dev.client.close()
                dev.ui.close()
                dev.engine.store.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def converge(self) -> None:
        """The network comes back: A, B and A again sync, and both devices and HQ hold the same, the model's."""
        for dev in (self.a, self.b, self.a):
            result = self.run_sync(dev, "/v1/push", [], None)
            assert result.ok, result.summary()
        hq, applied = read_hq(self.db, self.task)
        a, b = read_local(self.a.ui, self.task), read_local(self.b.ui, self.task)
        assert a == b == hq, "the devices did not converge to HQ's state"
        assert (hq.tags, hq.task) == (self.hq.tags, (self.hq.task_status, self.hq.outcomes))
        for dev in (self.a, self.b):
            assert outbox_ids(dev.ui) == [] and applied.get(dev.device_id, set()) == set(dev.model.acked)

    def device(self, who: str) -> Device:
        return self.a if who == "A" else self.b

    # -- local edits --------------------------------------------------------------------------------------

    def tap(self, dev: Device, how: str, member: int, tag: int, *, sent: bool = False) -> None:
        queued = set(outbox_ids(dev.ui))
        view = dev.model.local_view(self.hq, queued)
        held = view.tags.get((member, group_of(tag)), frozenset())
        operation = {"apply": apply_tag, "remove": remove_tag, "toggle": toggle_tag}[how]
        try:
            change = operation(dev.ui, dev.actor, member, tag)
        except TagRetired:
            assert dev.ui.scalar("SELECT retired FROM tags WHERE id = ?", (tag,)) == 1
            return
        present = {"apply": True, "remove": False, "toggle": tag not in held}[how]
        if not dev.model.doomed(self.hq, queued, member, group_of(tag)):  # else it may show HQ's state by now
            assert len(change.mutation_ids) == int(present != (tag in held)), (how, tag, held)
        for mutation_id in change.mutation_ids:
            row = dev.ui.one("SELECT kind, payload FROM outbox WHERE mutation_id = ?", (mutation_id,))
            payload = json.loads(row["payload"])
            assert (payload["member"], payload["tag_id"]) == (member, tag)
            dev.model.made(Op(mutation_id, row["kind"], member, tag=tag, sent=sent))

    @rule(who=st.sampled_from("AB"), how=st.sampled_from(("apply", "remove", "toggle")),
          member=st.sampled_from(MEMBERS), index=st.integers(0, 5))
    def tag(self, who: str, how: str, member: int, index: int) -> None:
        dev = self.device(who)
        self.tap(dev, how, member, dev.tags[index % len(dev.tags)])

    @rule(who=st.sampled_from("AB"), member=st.sampled_from(MEMBERS))
    def log_contact(self, who: str, member: int) -> None:
        dev = self.device(who)
        logged = log_interaction(dev.ui, dev.actor, member, "call", note="状态机")
        dev.model.made(Op(logged.mutation_id, "interaction.log", member, interaction=logged.id))

    @rule(member=st.sampled_from(MEMBERS), outcome=st.sampled_from((*OUTCOMES, None)))
    def work_on_task(self, member: int, outcome: str | None) -> None:
        """Record an outcome for a target, or (None) mark the whole task done."""
        try:
            if outcome is None:
                changed = set_task_status(self.a.ui, self.a.actor, self.task, "done")
                mutation_id = changed.mutation_id if changed.changed else None
            else:
                mutation_id = record_outcome(self.a.ui, self.a.actor, self.task, member, outcome).mutation_id
        except TaskClosed:
            assert self.a.ui.scalar("SELECT status FROM tasks WHERE id = ?", (self.task,)) in FINAL
            return
        if mutation_id is not None:
            kind = "task.status" if outcome is None else "task_target.outcome"
            self.a.model.made(Op(mutation_id, kind, None if outcome is None else member, outcome=outcome))

    # -- HQ's own edits -------------------------------------------------------------------------------------

    @rule(member=st.sampled_from(MEMBERS), restore=st.booleans())
    def hq_edits(self, member: int, restore: bool) -> None:
        """An admin edits a member's record; or HQ is restored from a backup (a new feed history: every
        cursor is from another one, so each device's next pull resets and downloads again)."""
        if restore:
            rotate_epoch(self.db)
        else:
            self.edit_member(member)

    @precondition(lambda self: not self.a.model.in_flight)  # the model must know what each change met on HQ
    @rule(tag=st.sampled_from((*RETIRABLE, None)))
    def hq_changes_the_rules(self, tag: int | None) -> None:
        """HQ retires (or brings back) a tag, or (None) cancels the task, while A001 may be working offline."""
        if tag is not None:
            self.hq.retired ^= {tag}
            catalogue.set_tag_retired(self.db, tag, tag in self.hq.retired)
        elif self.hq.task_status not in FINAL:
            tasks.cancel_task(self.db, self.task)
            self.hq.task_status = "cancelled"
            self.a.model.task_seen = False

    def edit_member(self, member: int) -> None:
        self.hq.points[member] += 7
        members.update_member(self.db, member, {"points": self.hq.points[member]})

    # -- syncing ------------------------------------------------------------------------------------------

    @rule(who=st.sampled_from("AB"), during=DURING)
    def sync(self, who: str, during: tuple | None) -> None:
        result = self.run_sync(self.device(who), "/v1/push", [], during)
        assert result.ok, result.summary()

    @rule(who=st.sampled_from("AB"), path=st.sampled_from(("/v1/push", "/v1/pull")),
          faults=st.lists(st.sampled_from(FAULTS), min_size=1, max_size=4), outage=st.booleans(), during=DURING)
    def sync_with_faults(self, who: str, path: str, faults: list[str], outage: bool, during: tuple | None) -> None:
        """``outage``: the last fault goes on for the rest of the cycle (retries exhausted, the cycle fails)."""
        self.run_sync(self.device(who), path, faults, during, outage)

    @precondition(lambda self: not self.late_used)  # each costs a read timeout: one per example
    @rule(who=st.sampled_from("AB"), path=st.sampled_from(("/v1/push", "/v1/pull")))
    def sync_with_late_answer(self, who: str, path: str) -> None:
        self.late_used = True
        dev = self.device(who)
        dev.client.timeout = LATE_TIMEOUT
        try:
            result = self.run_sync(dev, path, ["late:0.6"], None)
        finally:
            dev.client.timeout = TIMEOUT
        assert result.ok, result.summary()  # HQ committed, the client gave up and asked again

    def run_sync(self, dev: Device, path: str, faults: list[str], during: tuple | None,
                 outage: bool = False) -> SyncResult:
        hook = None
        if during is not None:
            moment, member, indices, hq_too = during

            def edit() -> None:
                for index in indices:
                    self.tap(dev, "toggle", member, dev.tags[index % len(dev.tags)],
                             sent=moment in ("checking", "pushing"))
                if hq_too and moment != "downloaded":  # HQ changes the member too: the page will carry it
                    self.edit_member(member)

            hook = Hook(moment, edit)
        plan = deque(faults)

        def decide(method: str, target: str) -> str | None:
            if hook and hook.moment == "pull" and target.startswith("/v1/pull"):
                hook.fire()
            if not (plan and target.startswith(path)):
                return None
            return plan[0] if outage and len(plan) == 1 else plan.popleft()

        def progress(step: SyncProgress) -> None:
            if hook and PHASE.get(hook.moment) == step.phase:
                hook.fire()

        dev.model.sync_started()
        self.proxy.rule(decide)
        try:
            result = dev.engine.run_cycle(progress=progress)
        finally:
            self.proxy.rule(None)
        if hook:
            hook.check()
        assert result.pending == len(outbox_ids(dev.ui))
        if result.ok:
            dev.model.sync_succeeded(self.hq)
            self.check_after_good_sync(dev)
        return result

    def check_after_good_sync(self, dev: Device) -> None:
        """A good cycle leaves the device equal to HQ, plus only what was edited during its pull."""
        hq, _ = read_hq(self.db, self.task)
        local = read_local(dev.ui, self.task)
        assert outbox_ids(dev.ui) == [op.mutation_id for op in dev.model.unacked]
        tags, task = with_pending(hq, dev.model)
        assert local.tags == tags
        if dev is self.a:
            assert local.task == task
        assert local.points == hq.points == self.hq.points
        assert local.retired == hq.retired == self.hq.retired
        pending = {op.interaction for op in dev.model.unacked if op.interaction}
        assert set(local.interactions) == set(hq.interactions) | pending
        rejected = {r[0] for r in dev.ui.conn.execute("SELECT mutation_id FROM sync_rejections").fetchall()}
        assert rejected == dev.model.refused

    # -- after every step -----------------------------------------------------------------------------------

    @invariant()
    def everything_matches_the_model(self) -> None:
        hq, applied = read_hq(self.db, self.task)
        assert hq.points == self.hq.points and hq.retired == self.hq.retired
        for dev in (self.a, self.b):
            model, local = dev.model, read_local(dev.ui, self.task)
            queued, ids = outbox_ids(dev.ui), [op.mutation_id for op in model.unacked]
            assert queued == ids[len(ids) - len(queued):], "the outbox is not the model's unanswered changes"
            assert len(queued) >= sum(not op.sent for op in model.unacked), "a change left unsent"
            assert all(len(held) <= 1 for (_, g), held in local.tags.items() if SINGLE[g])
            view = model.local_view(self.hq, set(queued))
            for member in MEMBERS:
                for group in model.groups:
                    if not model.doomed(self.hq, set(queued), member, group):
                        assert local.tags[(member, group)] == view.tags.get((member, group), frozenset()), \
                            (dev.name, member, group)
            mine = {i for i, s in local.interactions.items() if s == dev.actor.staff_id}
            assert mine == dev.baseline | model.interactions
            if not model.in_flight:  # HQ holds exactly what was answered: once each, nothing else
                assert {k: v for k, v in hq.tags.items() if k[1] in model.groups} == \
                       {k: v for k, v in self.hq.tags.items() if k[1] in model.groups}
                assert applied.get(dev.device_id, set()) == set(model.acked)
                pending = {op.interaction for op in model.unacked}
                assert {i for i, s in hq.interactions.items() if s == dev.actor.staff_id} == \
                       dev.baseline | (model.interactions - pending)
        a, local, queued = self.a.model, read_local(self.a.ui, self.task), set(outbox_ids(self.a.ui))
        if a.task_seen and not a.doomed(self.hq, queued, task=True):
            view = a.local_view(self.hq, queued)
            assert local.task == (view.task_status, view.outcomes)
        if not a.in_flight:
            assert hq.task == (self.hq.task_status, self.hq.outcomes)


SETTINGS = settings(max_examples=30, stateful_step_count=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.fixture(scope="module")
def shared_hq(tmp_path_factory) -> Iterator[SharedHQ]:
    base = tmp_path_factory.mktemp("state-machine")
    db = open_hq(f"sqlite:///{base / 'hq.db'}")
    seed(db, members=12, stores=1)
    task = tasks.create_task(db, {"store_code": "SH001", "title": "状态机回访", "targets": [
        {"member_id": m, "advisor_id": "A001"} for m in MEMBERS]})["id"]
    with contextlib.closing(sqlite3.connect(db.path)) as live, \
            contextlib.closing(sqlite3.connect(base / "template.db")) as template:
        live.backup(template)
    open_store(base / "empty-store.db").close()
    with EmbeddedHQ(db) as server, FaultProxy(server.url) as proxy:
        yield SharedHQ(db, proxy, task, base, base / "template.db", base / "empty-store.db")
    db.close()


def test_random_edits_syncs_and_faults_match_the_model(shared_hq):
    run_state_machine_as_test(lambda: SyncMachine(shared_hq), settings=SETTINGS)


def test_a_rejected_change_does_not_hide_a_later_change_of_the_same_push(shared_hq):
    """HQ retired tag 102; A001, not yet told, applies 102 and then 103 in the same single-choice slot. HQ
    refuses 102 (tag_retired) and applies 103. The push is answered but the pull is lost: the device must
    show 103 (HQ's state and the user's last word), not the slot as it was before both changes."""
    machine, member = SyncMachine(shared_hq), MEMBERS[0]
    try:
        machine.hq_changes_the_rules(102)
        machine.tap(machine.a, "apply", member, 102)
        machine.tap(machine.a, "apply", member, 103)
        result = machine.run_sync(machine.a, "/v1/pull", ["drop_request"], None, outage=True)
        assert (result.pushed, result.rejected, result.pending) == (2, 1, 0) and not result.ok
        hq, _ = read_hq(machine.db, machine.task)
        assert hq.tags[(member, 1)] == {103}
        assert read_local(machine.a.ui, machine.task).tags[(member, 1)] == {103}
    finally:
        machine.teardown()
