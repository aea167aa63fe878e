"""A plain-Python reference model of what HQ and each device should hold, for the sync state machine.

Why it can be this simple: each device edits its own tag groups (single writer per group), so with
one clock and an outbox pushed in order, HQ's last-writer-wins rules reduce to replaying the device's
changes in the order they were made. HQ-side edits that can refuse a change (a retired tag, a
cancelled task) happen only while none of that device's changes may be on their way to HQ, so the
model always knows which rule a change met when it arrived.

What the model cannot know: whether a change sent during a sync that failed reached HQ. Such a
change is ``sent`` and stays unacknowledged until a sync succeeds; replaying it twice is harmless
(the effect of a replay only depends on the last change to each tag or slot).

The bottom half reads the same picture from HQ's tables and a device's, to compare with the model.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from associate_app.store import Store
from hq.db import Database

SINGLE = {1: True, 2: False, 3: True, 4: False}  # group -> single choice: 家庭阶段, 育儿关注, 价格敏感度, 到店偏好
GROUPS = tuple(SINGLE)
MEMBERS = (1000000, 1000003, 1000001)  # two of A001's members and one of A002's, in the seeded SH001
RETIRABLE = (102, 202)  # in A001's groups: HQ retires them while the device works
FINAL = ("done", "cancelled", "expired")

Tags = dict[tuple[int, int], frozenset[int]]  # (member, group) -> the tags present


def group_of(tag: int) -> int:
    return tag // 100  # the seeded catalogue numbers a group's tags g01, g02, ...


def change_tags(tags: Tags, member: int, tag: int, present: bool) -> None:
    """One tap: a single-choice group is one slot, a multi-choice group a set."""
    key = (member, group_of(tag))
    held = tags.get(key, frozenset())
    if present:
        tags[key] = frozenset({tag}) if SINGLE[group_of(tag)] else held | {tag}
    else:
        tags[key] = held - {tag}


@dataclass
class Op:
    """One outbox mutation as the model sees it."""

    mutation_id: str
    kind: str  # the outbox kind: tag.apply, tag.remove, interaction.log, task_target.outcome, task.status
    member: int | None = None
    tag: int | None = None
    outcome: str | None = None
    interaction: str | None = None
    sent: bool = False  # a sync began after it was made: it may be on HQ already


@dataclass
class HQModel:
    """What HQ should hold for the members, tags and task the machine plays with."""

    tags: Tags
    retired: set[int]
    task_status: str
    outcomes: dict[int, str | None]
    points: dict[int, int]
    interactions: dict[str, int] = field(default_factory=dict)  # id -> member, logged by the devices

    def refuses(self, op: Op) -> bool:
        """HQ's rules that can refuse a device's change: a retired tag, a closed task."""
        if op.kind == "tag.apply":
            return op.tag in self.retired
        if op.kind == "task_target.outcome":
            return self.task_status in FINAL
        if op.kind == "task.status":
            return self.task_status in ("cancelled", "expired")
        return False

    def apply(self, op: Op, *, enforce: bool = True) -> bool:
        """Play one change; False when HQ refuses it (``enforce=False``: as the device did it locally)."""
        if enforce and self.refuses(op):
            return False
        if op.kind in ("tag.apply", "tag.remove"):
            change_tags(self.tags, op.member, op.tag, op.kind == "tag.apply")
        elif op.kind == "interaction.log":
            self.interactions[op.interaction] = op.member
        elif op.kind == "task_target.outcome":
            self.outcomes[op.member] = op.outcome
            if self.task_status == "pending":
                self.task_status = "in_progress"
        elif op.kind == "task.status":
            self.task_status = "done"
        return True


@dataclass
class DeviceModel:
    """One device's changes: acknowledged by HQ (``acked``, of which HQ refused ``refused``) or not."""

    staff: str
    groups: tuple[int, ...]
    unacked: list[Op] = field(default_factory=list)
    acked: list[str] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    interactions: set[str] = field(default_factory=set)  # every interaction this device logged
    task_seen: bool = True  # False from an HQ-side task change until this device's next good sync

    def made(self, op: Op) -> None:
        self.unacked.append(op)
        if op.interaction:
            self.interactions.add(op.interaction)

    @property
    def in_flight(self) -> bool:
        """Some change may have reached HQ without the device knowing yet."""
        return any(op.sent for op in self.unacked)

    def sync_started(self) -> None:
        for op in self.unacked:
            op.sent = True

    def sync_succeeded(self, hq: HQModel) -> None:
        """A good cycle pushed everything made before its pull began: HQ answered each, in order."""
        for op in [op for op in self.unacked if op.sent]:
            self.acked.append(op.mutation_id)
            if not hq.apply(op):
                self.refused.add(op.mutation_id)
        self.unacked = [op for op in self.unacked if not op.sent]
        self.task_seen = True

    def local_view(self, hq: HQModel, queued: set[str]) -> HQModel:
        """What the device should show: HQ's state, then the changes HQ answered that the model has not
        counted yet (those that left the outbox ``queued``, as HQ ruled on them), then those still queued."""
        view = copy.deepcopy(hq)
        for op in self.unacked:
            view.apply(op, enforce=op.mutation_id not in queued)
        return view

    def doomed(self, hq: HQModel, queued: set[str], member: int | None = None, group: int | None = None,
               task: bool = False) -> bool:
        """A queued change HQ will refuse touches this slot (or the task): until HQ answers it the device
        shows its own change; once the answer is in, HQ's state put back."""
        for op in self.unacked:
            if op.mutation_id not in queued or not hq.refuses(op):
                continue
            if task and op.kind.startswith("task"):
                return True
            if op.tag is not None and (op.member, group_of(op.tag)) == (member, group):
                return True
        return False


# -- the same picture, read from HQ's and a device's tables ----------------------------------------------


def _in(values: tuple) -> str:
    return ", ".join(str(v) for v in values)


def _tags(rows: list) -> Tags:
    tags: Tags = {(m, g): frozenset() for m in MEMBERS for g in GROUPS}
    for member, group, tag in rows:
        tags[(member, group)] |= {tag}
    return tags


@dataclass
class Side:
    """One side's state of the things the machine plays with (HQ's, or a device's)."""

    tags: Tags
    task: tuple[str, dict[int, str | None]]
    points: dict[int, int]
    retired: frozenset[int]
    interactions: dict[str, str]  # id -> staff


def read_hq(db: Database, task_id: int) -> tuple[Side, dict[str, set[str]]]:
    """HQ's state, straight from its tables, and the mutation ids it recorded per device."""
    with db.read() as tx:
        tags = tx.all("SELECT mt.member_id, t.group_id, mt.tag_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id"
                      f" WHERE mt.present = 1 AND mt.member_id IN ({_in(MEMBERS)}) AND t.group_id IN ({_in(GROUPS)})")
        status = tx.scalar("SELECT status FROM tasks WHERE id = ?", (task_id,))
        outcomes = dict(tx.all("SELECT member_id, outcome FROM task_targets WHERE task_id = ?", (task_id,)))
        points = dict(tx.all(f"SELECT id, points FROM members WHERE id IN ({_in(MEMBERS)})"))
        retired = {r[0] for r in tx.all(f"SELECT id FROM tags WHERE retired = 1 AND id IN ({_in(RETIRABLE)})")}
        interactions = dict(tx.all("SELECT id, staff_id FROM interactions"))
        applied: dict[str, set[str]] = {}
        for device, mutation in tx.all("SELECT device_id, mutation_id FROM applied_mutations"):
            applied.setdefault(device, set()).add(mutation)
    return Side(_tags(tags), (status, outcomes), points, frozenset(retired), interactions), applied


def read_local(store: Store, task_id: int) -> Side:
    tags = store.conn.execute(
        "SELECT mt.member_id, t.group_id, mt.tag_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id"
        f" WHERE mt.member_id IN ({_in(MEMBERS)}) AND t.group_id IN ({_in(GROUPS)})").fetchall()
    status = store.scalar("SELECT status FROM tasks WHERE id = ?", (task_id,))
    outcomes = dict(store.conn.execute("SELECT member_id, outcome FROM task_targets WHERE task_id = ?",
                                       (task_id,)).fetchall())
    points = dict(store.conn.execute(f"SELECT id, points FROM members WHERE id IN ({_in(MEMBERS)})").fetchall())
    retired = {r[0] for r in store.conn.execute(
        f"SELECT id FROM tags WHERE retired = 1 AND id IN ({_in(RETIRABLE)})").fetchall()}
    interactions = dict(store.conn.execute("SELECT id, staff_id FROM interactions").fetchall())
    return Side(_tags(tags), (status, outcomes), points, frozenset(retired), interactions)


def outbox_ids(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT mutation_id FROM outbox ORDER BY seq").fetchall()]


def with_pending(base: Side, model: DeviceModel) -> tuple[Tags, tuple[str, dict[int, str | None]]]:
    """``base`` (HQ's actual state) with the device's unacknowledged changes played on top."""
    view = HQModel(dict(base.tags), set(), base.task[0], dict(base.task[1]), {})
    for op in model.unacked:
        view.apply(op, enforce=False)
    return view.tags, (view.task_status, view.outcomes)
