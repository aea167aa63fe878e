"""``--screenshot FILE [--view NAME]``: the window (or one view) as a PNG, for documentation and tests.

Waits for the first sync to finish (so a demo shows HQ's data), shows the view, lets layouts settle and
saves ``window.grab()``. Exit code 0 when a non-empty image was written.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)
VIEWS = ("members", "profile", "tasks", "task_work", "follow_ups", "rejections", "lock", "checkout", "dashboard")


async def _first_sync(ctx, timeout: float) -> None:
    if ctx.sync_status().last_result is not None:
        return
    finished = asyncio.Event()
    ctx.sync_finished.connect(lambda *_: finished.set())
    try:
        await asyncio.wait_for(finished.wait(), timeout)
    except TimeoutError:
        log.warning("screenshot: no sync result within %.0f s; rendering what is there", timeout)


def _prepare(window, ctx, view: str | None) -> None:
    if not view:
        return
    if view == "profile":
        member = ctx.store.one("SELECT member_id FROM interactions WHERE staff_id = ? GROUP BY member_id "
                               "ORDER BY count(*) DESC, member_id LIMIT 1", (ctx.actor.staff_id,))
        member_id = member["member_id"] if member else ctx.store.scalar("SELECT min(id) FROM members")
        window.show_member(member_id)
    elif view == "task_work":
        tasks = window.show_view("tasks")
        start = getattr(tasks, "start_work", None)
        if callable(start):
            start()
    elif view == "lock":
        window.lock()
    elif view == "checkout":  # a customer's card just scanned: the member and the quick-tag keys
        checkout = window.show_view("checkout")
        card = ctx.store.scalar("SELECT m.card_no FROM members m JOIN member_tags mt ON mt.member_id = m.id "
                                "WHERE m.card_no IS NOT NULL GROUP BY m.id ORDER BY count(*) DESC, m.id LIMIT 1")
        if card:
            checkout.take_scan(card)
            free = [t.id for g in (checkout.member.groups if checkout.member else ()) for t in g.tags if not t.applied]
            if free:
                checkout.press_tag(free[0])  # the banner's feedback, as the cashier sees it after one key
    else:
        window.show_view(view)


async def take_screenshot(window, ctx, path: str, view: str | None = None, *, timeout: float = 60.0) -> int:
    if view and view not in VIEWS:
        print(f"associate-app: --view must be one of {', '.join(VIEWS)}")
        return 2
    await _first_sync(ctx, timeout)
    _prepare(window, ctx, view)
    for _ in range(5):  # layouts, lazy models and deferred refreshes settle over a few turns of the loop
        QCoreApplication.processEvents()
        await asyncio.sleep(0.05)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    image = window.grab()
    if image.isNull() or not image.save(str(target)):
        print(f"associate-app: could not write the screenshot to {target}")
        return 1
    print(f"screenshot: {target} ({image.width()}×{image.height()})")
    return 0
