"""Random tap sequences by two staff against a plain-Python model of what the member's tags should be.

The model keeps a single-choice group as one slot (a value or nothing) and a multi-choice group as a
set, so it cannot hold two values of a slot by construction; the store must agree with it after every
step, queue exactly one outbox entry per action that changed something, and never hold two slot values.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from associate_app.demo.generator import tag_catalogue
from associate_app.domain.actor import Actor
from associate_app.domain.tags import apply_tag, remove_tag, toggle_tag, undo_last_tag_change
from associate_app.domain.vocabulary import Role
from associate_app.errors import NothingToUndo, TagNotAllowed
from associate_app.store import hq_data, open_store, outbox

SLOT_TAGS = (101, 102, 103)  # group 1 家庭阶段, single choice
MULTI_TAGS = (201, 202, 203)  # group 2 育儿关注, multi choice
ALL_TAGS = SLOT_TAGS + MULTI_TAGS
MEMBERS = (1, 2, -3)  # -3: a lead enrolled here, not yet confirmed by HQ
ACTORS = (Actor("A001", Role.ADVISOR, "SH001"), Actor("C001", Role.CASHIER, "SH001"))


@dataclass
class Entry:
    """The model's record of one changing action, for undo."""

    staff_id: str
    member_id: int
    added: frozenset[int]
    removed: frozenset[int]
    undone: bool = False


class TagMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = open_store(None)
        groups, tags = tag_catalogue()
        with self.store.write():
            hq_data.upsert_tag_groups(self.store, groups)
            hq_data.upsert_tags(self.store, tags)
            hq_data.upsert_members(self.store, [
                {"id": m, "name": f"会员{m}", "lead_uuid": "lead-3" if m < 0 else None} for m in MEMBERS])
        self.slot: dict[int, int | None] = dict.fromkeys(MEMBERS)
        self.multi: dict[int, set[int]] = {m: set() for m in MEMBERS}
        self.log: list[Entry] = []
        self.changing_actions = 0

    def teardown(self) -> None:
        self.store.close()

    def held(self, member: int) -> frozenset[int]:
        return frozenset(self.multi[member] | ({self.slot[member]} if self.slot[member] else set()))

    @initialize(start=st.fixed_dictionaries({m: st.tuples(st.none() | st.sampled_from(SLOT_TAGS),
                                                          st.sets(st.sampled_from(MULTI_TAGS))) for m in MEMBERS}))
    def start_from_hq_state(self, start: dict[int, tuple[int | None, set[int]]]) -> None:
        rows = []
        for member, (slot, multi) in start.items():
            self.slot[member], self.multi[member] = slot, set(multi)
            rows += [{"member_id": member, "tag_id": t} for t in self.held(member)]
        with self.store.write():
            hq_data.put_member_tags(self.store, rows)

    # --- the model's meaning of each tap ---

    def model_set(self, member: int, tag: int, present: bool) -> None:
        if tag in SLOT_TAGS:
            if present:
                self.slot[member] = tag
            elif self.slot[member] == tag:
                self.slot[member] = None
        elif present:
            self.multi[member].add(tag)
        else:
            self.multi[member].discard(tag)

    def check_result(self, change, member: int, before: frozenset[int]) -> bool:
        after = self.held(member)
        assert set(change.added) == after - before and set(change.removed) == before - after
        assert change.changed == (before != after)
        assert len(change.mutation_ids) == (1 if change.changed else 0)
        self.changing_actions += change.changed
        return change.changed

    def tap(self, operation, actor: Actor, member: int, tag: int, present: bool) -> None:
        before = self.held(member)
        change = operation(self.store, actor, member, tag)
        self.model_set(member, tag, present)
        if self.check_result(change, member, before):
            self.log.append(Entry(actor.staff_id, member, self.held(member) - before, before - self.held(member)))

    # --- rules ---

    @rule(actor=st.sampled_from(ACTORS), member=st.sampled_from(MEMBERS), tag=st.sampled_from(ALL_TAGS))
    def apply(self, actor: Actor, member: int, tag: int) -> None:
        self.tap(apply_tag, actor, member, tag, True)

    @rule(actor=st.sampled_from(ACTORS), member=st.sampled_from(MEMBERS), tag=st.sampled_from(ALL_TAGS))
    def remove(self, actor: Actor, member: int, tag: int) -> None:
        self.tap(remove_tag, actor, member, tag, False)

    @rule(actor=st.sampled_from(ACTORS), member=st.sampled_from(MEMBERS), tag=st.sampled_from(ALL_TAGS))
    def toggle(self, actor: Actor, member: int, tag: int) -> None:
        self.tap(toggle_tag, actor, member, tag, tag not in self.held(member))

    @rule(actor=st.sampled_from(ACTORS), member=st.none() | st.sampled_from(MEMBERS))
    def undo(self, actor: Actor, member: int | None) -> None:
        mine = [e for e in self.log if e.staff_id == actor.staff_id and not e.undone
                and (member is None or e.member_id == member)]
        if not mine:
            try:
                undo_last_tag_change(self.store, actor, member)
            except NothingToUndo:
                return
            raise AssertionError("undo found something the model says is not there")
        entry = mine[-1]
        before = self.held(entry.member_id)
        change = undo_last_tag_change(self.store, actor, member)
        assert change.member_id == entry.member_id
        entry.undone = True
        for tag in entry.removed:  # what the change took away comes back (a slot value evicts the current one)
            self.model_set(entry.member_id, tag, True)
        for tag in entry.added:  # what it added goes, unless the slot's old value already took its place
            if not (tag in SLOT_TAGS and entry.removed):
                self.model_set(entry.member_id, tag, False)
        self.check_result(change, entry.member_id, before)

    @rule(member=st.sampled_from(MEMBERS), tag=st.sampled_from((301, 501)))
    def cashier_refused_advisor_only_group(self, member: int, tag: int) -> None:
        try:
            apply_tag(self.store, ACTORS[1], member, tag)
        except TagNotAllowed:
            return
        raise AssertionError("a cashier applied an advisor-only tag")

    # --- what must always hold ---

    @invariant()
    def store_matches_model(self) -> None:
        rows = self.store.all("SELECT member_id, tag_id FROM member_tags")
        actual = {m: frozenset(r["tag_id"] for r in rows if r["member_id"] == m) for m in MEMBERS}
        assert actual == {m: self.held(m) for m in MEMBERS}
        assert all(len(tags & set(SLOT_TAGS)) <= 1 for tags in actual.values())

    @invariant()
    def one_outbox_entry_per_changing_action(self) -> None:
        assert outbox.pending_count(self.store) == self.changing_actions
        assert self.store.scalar("SELECT count(*) FROM tag_history") == len(self.log)
        assert self.store.scalar("SELECT count(*) FROM tag_history WHERE undone = 1") == sum(
            e.undone for e in self.log)


TestTagSequences = TagMachine.TestCase
TestTagSequences.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
