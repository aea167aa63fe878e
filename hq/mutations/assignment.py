"""member.reassign / task_target.reassign: a store manager gives a member, or one task target, to another advisor.

HQ checks it again, whatever the device did: only a manager (``role_not_allowed``) of the member's store
(``not_your_store``), only to an active advisor of that store (``not_an_advisor``), and only an open target
of a live task (``task_cancelled``, ``task_expired``, ``task_done``, ``target_closed``): a finished target
keeps who worked it. **Last writer wins by the payload's ``at``**, per member and per target (table
``assignments``, also stamped by HQ's own reassignments): an older reassignment arriving late from an
offline device is ``merged``/``superseded`` and HQ keeps the newer advisor. A member's open targets of
live tasks follow them, as when HQ reassigns (hq/admin/members.py), except a target reassigned later
than ``at``; if any stays, the answer is ``merged`` too, so the device puts those targets back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from associate_app.domain.vocabulary import CLOSING_OUTCOMES, Role
from hq.admin.checks import require_staff
from hq.admin.members import move_open_targets, open_targets, stamp_assignments, update_member_tx
from hq.db import Tx
from hq.errors import HQError
from hq.mutations.base import APPLIED, MERGED, Author, Rejected, Result
from hq.mutations.common import document, require_role, resolve_member
from hq.mutations.payload import Fields
from hq.mutations.tasks import target_on_open_task

_MANAGERS = (Role.MANAGER,)
_STAMP = "SELECT at, by_staff FROM assignments WHERE member_id = ? AND task_id = ?"


def reassign_member(tx: Tx, author: Author, payload: dict[str, Any], now: dt.datetime) -> Result:
    require_role(author, _MANAGERS, "reassign members")
    fields = Fields(payload)
    ref, advisor_id, at = fields.member(), fields.text("advisor_id"), fields.instant("at", now)
    member = resolve_member(tx, author, ref)

    def current() -> dict[str, Any]:
        return member_state(tx, member.id)

    _require_advisor(tx, author, advisor_id, current, member.id)
    stamp = tx.one(_STAMP, (member.id, 0))
    if stamp is not None and stamp[0] > at:
        return Result(MERGED, f"{stamp[1] or 'HQ'} reassigned this member later; kept that advisor", "superseded",
                      current(), member.id)
    if member.advisor_id != advisor_id:
        update_member_tx(tx, member.id, {"advisor_id": advisor_id})  # a new version, re-rendered into the feed
    stamp_assignments(tx, [(member.id, 0)], at, author.staff_id)
    kept = [t for t in open_targets(tx, [member.id]) if t[2] != advisor_id and t[3] is not None and t[3] > at]
    moved = move_open_targets(tx, [member.id], advisor_id, at=at, by=author.staff_id)
    if kept:
        return Result(MERGED, f"member given to {advisor_id}; {len(kept)} target(s) reassigned later kept theirs",
                      "superseded", current(), member.id)
    return Result(APPLIED, f"member given to {advisor_id} with {moved} open target(s)", member_id=member.id)


def reassign_target(tx: Tx, author: Author, payload: dict[str, Any], now: dt.datetime) -> Result:
    require_role(author, _MANAGERS, "reassign task targets")
    fields = Fields(payload)
    task_id, advisor_id, at = fields.integer("task_id"), fields.text("advisor_id"), fields.instant("at", now)
    _task, member, key, current, target = target_on_open_task(tx, author, task_id, fields.member(),
                                                               "advisor_id, outcome")
    if target[1] in CLOSING_OUTCOMES:
        raise Rejected("target_closed", f"this target was already worked ({target[1]}); it keeps its advisor",
                       current=current(), member_id=member.id)
    _require_advisor(tx, author, advisor_id, current, member.id)
    stamp = tx.one(_STAMP, (member.id, task_id))
    if stamp is not None and stamp[0] > at:
        return Result(MERGED, f"{stamp[1] or 'HQ'} reassigned this target later; kept that advisor", "superseded",
                      current(), member.id)
    if target[0] != advisor_id:
        tx.execute("UPDATE task_targets SET advisor_id = ? WHERE task_id = ? AND member_id = ?",
                   (advisor_id, task_id, member.id))
        tx.touch("task_target", key)
    stamp_assignments(tx, [(member.id, task_id)], at, author.staff_id)
    return Result(APPLIED, f"target given to {advisor_id}", member_id=member.id)


def member_state(tx: Tx, member_id: int) -> dict[str, Any]:
    """``current`` of a member reassignment: HQ's advisor, when and by whom it was set, and the member's
    targets as a pull delivers them (what the device puts back where HQ's state differs from its own)."""
    stamp = tx.one(_STAMP, (member_id, 0))
    tasks = [r[0] for r in tx.all("SELECT task_id FROM task_targets WHERE member_id = ? ORDER BY task_id",
                                  (member_id,))]
    return {"member_id": member_id,
            "advisor_id": tx.scalar("SELECT advisor_id FROM members WHERE id = ?", (member_id,)),
            "at": stamp[0] if stamp else None, "by": stamp[1] if stamp else None,
            "targets": [document(tx, "task_target", f"{task}:{member_id}") for task in tasks]}


def _require_advisor(tx: Tx, author: Author, advisor_id: str, current: Callable[[], Any], member_id: int) -> None:
    """An active advisor of the author's store, else ``not_an_advisor`` (with HQ's state, to put back)."""
    try:
        require_staff(tx, advisor_id, store=author.store_code)
    except HQError as exc:
        raise Rejected("not_an_advisor", f"{advisor_id} is not an active advisor of {author.store_code} ({exc.code})",
                       current=current(), member_id=member_id) from None
