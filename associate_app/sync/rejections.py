"""The changes HQ did not take as made, for the user to see and act on.

HQ's reason codes become a sentence about what happened and one about what the person can do (both
English with stable codes; the UI translates by code, as for every core message). A change HQ refused
only because its author has not signed in on this device can be sent again once they have.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from associate_app.errors import InvalidInput
from associate_app.store.database import Store
from associate_app.store.outbox import enqueue

# reason -> (what happened, what to do)
EXPLAIN: dict[str, tuple[str, str]] = {
    "superseded": ("A later change made at HQ or on another device won.",
                   "Check the member; change it again if needed."),
    "tag_retired": ("HQ retired this tag, so it was not applied.", "Choose another tag."),
    "tag_not_allowed": ("Your role may not use this tag group.", "Ask an advisor or the store manager."),
    "tag_read_only": ("This tag is set by HQ automatically.", "Nothing to do."),
    "unknown_tag": ("HQ no longer has this tag.", "Choose another tag."),
    "task_cancelled": ("HQ cancelled this task, so the result was not recorded.", "Nothing to do."),
    "task_expired": ("The task had expired, so the result was not recorded.", "Nothing to do."),
    "task_done": ("The task was already finished.", "Nothing to do."),
    "not_assignee": ("This task or member was assigned to someone else.", "Ask the store manager."),
    "not_a_target": ("This member is no longer a target of the task.", "Nothing to do."),
    "field_changed_at_hq": ("HQ changed this field meanwhile; your correction waits for HQ's review.",
                            "Nothing to do: HQ will decide."),
    "same_phone": ("This phone number already belonged to a member; the new entry was merged into them.",
                   "Nothing to do."),
    "unknown_member": ("HQ does not know this member (removed, or its enrolment never reached HQ).",
                       "Look the member up again."),
    "not_your_store": ("This member or task now belongs to another store.", "Nothing to do."),
    "author_not_on_device": ("The person who made this change has not signed in on this computer.",
                             "Have them sign in here, then send it again."),
    "role_not_allowed": ("This role may not make this change.", "Ask an advisor or the store manager."),
    "illegal_transition": ("The task could not move to that status.", "Nothing to do."),
    "not_permitted": ("Only HQ can make this change.", "Nothing to do."),
    "id_conflict": ("HQ already has a different record with this id.", "Report it to IT."),
    "not_an_advisor": ("The chosen advisor is no longer an active advisor of this store; nothing was reassigned.",
                       "Choose another advisor."),
    "target_closed": ("This member had already been contacted for the task, so the target keeps its advisor.",
                      "Nothing to do."),
}
UNKNOWN = ("HQ did not accept this change.", "Report it to IT if it matters.")
RESENDABLE = ("author_not_on_device",)


@dataclass(frozen=True)
class Rejection:
    mutation_id: str
    kind: str
    status: str  # rejected | merged
    reason: str | None
    what_happened: str
    what_to_do: str
    member_id: int | None
    staff_id: str
    made_at: str
    answered_at: str
    payload: dict[str, Any]
    current: Any
    seen: bool

    @property
    def can_resend(self) -> bool:
        return self.status == "rejected" and self.reason in RESENDABLE


def rejections(store: Store, *, include_seen: bool = False, limit: int = 200) -> list[Rejection]:
    """Newest first."""
    rows = store.all(
        "SELECT * FROM sync_rejections" + ("" if include_seen else " WHERE seen = 0")
        + " ORDER BY answered_at DESC, created_at DESC LIMIT ?", (limit,))
    return [_rejection(r) for r in rows]


def unseen_count(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM sync_rejections WHERE seen = 0"))


def dismiss(store: Store, mutation_id: str) -> None:
    with store.write():
        store.conn.execute("UPDATE sync_rejections SET seen = 1 WHERE mutation_id = ?", (mutation_id,))


def resend(store: Store, mutation_id: str) -> str:
    """Queue a rejected change again (as a new mutation) where the reason allows; returns the new id."""
    # Imported here: the console imports this module at start-up for the list, and the replica's
    # modules (which the sync process needs) would add a tenth of a second to every start.
    from associate_app.sync import overlay
    from associate_app.sync.leads import resolve_member
    from associate_app.sync.replica import Touched

    with store.write():
        row = store.one("SELECT * FROM sync_rejections WHERE mutation_id = ?", (mutation_id,))
        if row is None or not _rejection(row).can_resend:
            raise InvalidInput("This change cannot be sent again.", mutation_id=mutation_id)
        payload = json.loads(row["payload"])
        new_id = enqueue(store, row["kind"], payload, row["staff_id"])
        store.conn.execute("UPDATE sync_rejections SET seen = 1 WHERE mutation_id = ?", (mutation_id,))
        member = resolve_member(store.conn, payload.get("member"))
        overlay.reapply(store.conn, Touched(members=set() if member is None else {member},
                                            tasks={payload["task_id"]} if "task_id" in payload else set()))
    return new_id


def _rejection(row: dict[str, Any]) -> Rejection:
    what, todo = EXPLAIN.get(row["reason"] or "", UNKNOWN)
    return Rejection(
        mutation_id=row["mutation_id"], kind=row["kind"], status=row["status"], reason=row["reason"],
        what_happened=what, what_to_do=todo, member_id=row["member_id"], staff_id=row["staff_id"],
        made_at=row["created_at"], answered_at=row["answered_at"], payload=json.loads(row["payload"]),
        current=None if row["current"] is None else json.loads(row["current"]), seen=bool(row["seen"]),
    )
