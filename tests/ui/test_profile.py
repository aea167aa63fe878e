"""The member profile as staff use it: one-click tags, undo, logging a contact by keyboard, corrections.

Each test drives the real widgets offscreen in Chinese and checks what the user sees and what the local
database and the outbox now hold; one goes all the way to a real embedded HQ.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from associate_app import clock
from associate_app.domain.vocabulary import Role
from associate_app.store.outbox import pending_count
from associate_app.ui import labels
from associate_app.ui.profile_view import ProfileView
from tests.ui.conftest import wait_idle

STAGE_GROUP, CONCERN_GROUP = 1, 2  # 家庭阶段 (single choice), 育儿关注 (multi choice)


def open_profile(qtbot, ctx, member_id: int) -> ProfileView:
    view = ProfileView(ctx)
    qtbot.addWidget(view)
    view.resize(1150, 650)
    with qtbot.waitActive(view):  # keyboard shortcuts work in the active window only
        view.show()
        view.activateWindow()
    view.show_member(member_id)
    return view


def own_member(ctx) -> int:
    """A member of the signed-in advisor who holds a family-stage tag."""
    return ctx.store.scalar(
        "SELECT m.id FROM members m JOIN member_tags mt ON mt.member_id = m.id JOIN tags t ON t.id = mt.tag_id "
        "WHERE m.advisor_id = 'A001' AND t.group_id = ? ORDER BY m.id LIMIT 1", (STAGE_GROUP,))


def held(ctx, member_id: int, group_id: int) -> set[int]:
    return {r["tag_id"] for r in ctx.store.all(
        "SELECT mt.tag_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = ? "
        "AND t.group_id = ?", (member_id, group_id))}


def click_chip(qtbot, view: ProfileView, tag_id: int) -> None:
    chip = view.findChild(QPushButton, f"tag-{tag_id}")
    assert chip is not None and chip.isEnabled()
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, view.ctx)


def chip_checked(view: ProfileView, tag_id: int) -> bool:
    return view.findChild(QPushButton, f"tag-{tag_id}").isChecked()


def type_chinese(widget, text: str) -> None:
    """Chinese arrives from the input method as committed text (QTest's key clicks are ASCII only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    """Message boxes would block the test: capture their text instead."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: shown.append(text))
    return shown


def test_header_shows_who_the_member_is(ui_ctx, qtbot):
    member_id = own_member(ui_ctx)
    row = ui_ctx.store.one("SELECT name, level, points, phone FROM members WHERE id = ?", (member_id,))
    view = open_profile(qtbot, ui_ctx, member_id)
    texts = [label.text() for label in view.header.findChildren(QLabel)]
    assert view.name.text() == row["name"]
    assert labels.term(row["level"]) in texts
    assert f"{row['points']:,}" in texts
    assert row["phone"] in texts
    assert view.member_id == member_id
    assert view.findChild(QLabel, "factCaption").text() == "手机"


def test_a_click_on_a_chip_applies_the_tag_and_queues_it_for_hq(ui_ctx, qtbot):
    member_id = own_member(ui_ctx)
    view = open_profile(qtbot, ui_ctx, member_id)
    tag_id = ui_ctx.store.scalar("SELECT min(id) FROM tags WHERE group_id = ? AND id NOT IN "
                                 "(SELECT tag_id FROM member_tags WHERE member_id = ?)", (CONCERN_GROUP, member_id))
    before = pending_count(ui_ctx.store)
    assert not chip_checked(view, tag_id)

    click_chip(qtbot, view, tag_id)

    assert tag_id in held(ui_ctx, member_id, CONCERN_GROUP)
    assert pending_count(ui_ctx.store) == before + 1
    assert chip_checked(view, tag_id)


def test_single_choice_toggle_remove_and_undo(ui_ctx, qtbot):
    member_id = own_member(ui_ctx)
    view = open_profile(qtbot, ui_ctx, member_id)
    (old,) = held(ui_ctx, member_id, STAGE_GROUP)
    new = ui_ctx.store.scalar("SELECT min(id) FROM tags WHERE group_id = ? AND id != ?", (STAGE_GROUP, old))

    click_chip(qtbot, view, new)  # the sibling makes way: one value per slot
    assert held(ui_ctx, member_id, STAGE_GROUP) == {new}
    assert chip_checked(view, new) and not chip_checked(view, old)

    click_chip(qtbot, view, new)  # a second click takes it back
    assert held(ui_ctx, member_id, STAGE_GROUP) == set()
    assert not chip_checked(view, new)

    qtbot.mouseClick(view.findChild(QPushButton, "undoTag"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ui_ctx)
    assert held(ui_ctx, member_id, STAGE_GROUP) == {new}

    view.findChild(QPushButton, f"tag-{new}").setFocus()  # Ctrl+Z anywhere in the profile walks further back
    qtbot.keyClick(view.findChild(QPushButton, f"tag-{new}"), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ui_ctx)
    assert held(ui_ctx, member_id, STAGE_GROUP) == {old}
    assert chip_checked(view, old) and not chip_checked(view, new)


def test_a_contact_is_logged_by_keyboard_and_heads_the_timeline(ui_ctx, qtbot):
    member_id = own_member(ui_ctx)
    view = open_profile(qtbot, ui_ctx, member_id)
    form = view.form
    assert form.isVisible()
    before = pending_count(ui_ctx.store)

    qtbot.mouseClick(form.note.viewport(), Qt.MouseButton.LeftButton)
    type_chinese(form.note, "宝宝对新品感兴趣，周六")
    qtbot.keyClicks(form.note, " 10:30")
    qtbot.keyClick(form.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ui_ctx)

    row = ui_ctx.store.one("SELECT type, note FROM interactions WHERE member_id = ? ORDER BY occurred_at DESC "
                           "LIMIT 1", (member_id,))
    assert row == {"type": "call", "note": "宝宝对新品感兴趣，周六 10:30"}
    assert pending_count(ui_ctx.store) == before + 1
    assert "宝宝对新品感兴趣，周六 10:30" in view.timeline.item(0).text()
    assert labels.term("call") in view.timeline.item(0).text()
    assert form.note.toPlainText() == ""


def test_a_follow_up_in_the_past_is_refused_and_the_note_kept(ui_ctx, qtbot, warnings):
    member_id = own_member(ui_ctx)
    view = open_profile(qtbot, ui_ctx, member_id)
    count = ui_ctx.store.scalar("SELECT count(*) FROM interactions WHERE member_id = ?", (member_id,))
    before = pending_count(ui_ctx.store)
    yesterday = clock.today() - dt.timedelta(days=1)

    type_chinese(view.form.note, "约了下周")
    view.form.follow_up.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    qtbot.mouseClick(view.findChild(QPushButton, "saveInteraction"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ui_ctx)

    assert warnings == ["下次跟进日期不能早于今天。"]
    assert ui_ctx.store.scalar("SELECT count(*) FROM interactions WHERE member_id = ?", (member_id,)) == count
    assert pending_count(ui_ctx.store) == before
    assert view.form.note.toPlainText() == "约了下周"


def test_the_quick_buttons_set_the_follow_up(ui_ctx, qtbot):
    view = open_profile(qtbot, ui_ctx, own_member(ui_ctx))
    week = next(b for b in view.form.findChildren(QPushButton, "quickFollowUp") if b.text() == "+1周")
    qtbot.mouseClick(week, Qt.MouseButton.LeftButton)
    assert view.form.follow_up.value() == clock.today() + dt.timedelta(days=7)


def test_a_cashier_sees_the_tills_view(ui_ctx_for, qtbot):
    ctx = ui_ctx_for(Role.CASHIER)
    member_id = own_member(ctx)
    phone = ctx.store.scalar("SELECT phone FROM members WHERE id = ?", (member_id,))
    view = open_profile(qtbot, ctx, member_id)
    texts = [label.text() for label in view.header.findChildren(QLabel)]
    assert phone[:3] + "****" + phone[-4:] in texts and phone not in texts
    advisor_only = ctx.store.scalar("SELECT min(t.id) FROM tags t JOIN tag_groups g ON g.id = t.group_id "
                                    "WHERE g.kind = 'manual' AND g.roles NOT LIKE '%cashier%'")
    assert view.findChild(QPushButton, f"tag-{advisor_only}") is None
    assert view.findChild(QPushButton, f"tag-{own_stage_tag(ctx, member_id)}").isEnabled()
    assert not view.form.isVisible() and not view.timeline.isVisible()
    assert not view.findChild(QPushButton, "proposeCorrection").isVisible()
    assert not view.findChild(QLabel, "sectionCaption").isVisible()  # no automatic tags at the till


def own_stage_tag(ctx, member_id: int) -> int:
    return min(held(ctx, member_id, STAGE_GROUP))


def test_a_correction_proposed_in_the_dialog_waits_for_hq(ui_ctx, qtbot):
    member_id = own_member(ui_ctx)
    view = open_profile(qtbot, ui_ctx, member_id)
    before = pending_count(ui_ctx.store)
    qtbot.mouseClick(view.findChild(QPushButton, "proposeCorrection"), Qt.MouseButton.LeftButton)
    dialog = view._dialog
    assert dialog is not None and dialog.isVisible()
    dialog.select("address")
    assert dialog.current.text() == ui_ctx.store.scalar("SELECT address FROM members WHERE id = ?", (member_id,))
    type_chinese(dialog.text, "上海市浦东新区金桥路1号")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ui_ctx)

    row = ui_ctx.store.one("SELECT field, new_value, status FROM corrections WHERE member_id = ?", (member_id,))
    assert row == {"field": "address", "new_value": "上海市浦东新区金桥路1号", "status": "pending"}
    assert pending_count(ui_ctx.store) == before + 1
    assert not dialog.isVisible()
    assert "上海市浦东新区金桥路1号" in view.corrections.text() and view.corrections.isVisible()


def test_a_tag_applied_in_the_profile_reaches_hq(live_ctx, qtbot):
    ctx = live_ctx
    results = []
    ctx.sync_finished.connect(lambda result, _status: results.append(result))
    member_id = ctx.store.scalar("SELECT min(id) FROM members WHERE advisor_id = ?", (ctx.actor.staff_id,))
    view = open_profile(qtbot, ctx, member_id)
    tag_id = ctx.store.scalar("SELECT min(id) FROM tags WHERE group_id = ? AND id NOT IN "
                              "(SELECT tag_id FROM member_tags WHERE member_id = ?)", (CONCERN_GROUP, member_id))
    click_chip(qtbot, view, tag_id)
    assert tag_id in held(ctx, member_id, CONCERN_GROUP)

    ctx.sync_now()  # the scheduler may already be pushing it (local edits start a sync): either way HQ gets it once
    qtbot.waitUntil(lambda: sum(r.applied for r in results) >= 1 and pending_count(ctx.store) == 0, timeout=30000)
    assert all(r.ok for r in results), [r.summary() for r in results]
    assert tag_id in held(ctx, member_id, CONCERN_GROUP)
    assert chip_checked(view, tag_id)
