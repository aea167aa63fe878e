"""My tasks, working a task target by target, and follow-ups: driven by keys and clicks, checked in the database."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QProgressBar, QPushButton, QTableWidget

from associate_app import clock
from associate_app.domain.queries import follow_ups
from associate_app.domain.task_lists import my_tasks, task_targets
from associate_app.domain.tasks import FINAL_STATUSES, next_open_target
from associate_app.domain.vocabulary import Outcome, TaskStatus
from associate_app.errors import TaskClosed
from associate_app.store.outbox import pending_count
from associate_app.ui import labels
from associate_app.ui.follow_ups_view import FollowUpsView
from associate_app.ui.task_work_panel import TaskWorkPanel
from associate_app.ui.tasks_view import TasksView
from tests.ui.conftest import wait_idle


def shown_tasks(qtbot, ctx) -> TasksView:
    view = TasksView(ctx)
    qtbot.addWidget(view)
    view.resize(1150, 650)
    view.show()
    qtbot.waitExposed(view)
    return view


def card_figures(view: TasksView, row: int) -> tuple[int, int, str]:
    """(bar value, bar maximum, converted text) of the task card in ``row``."""
    card = view.list.itemWidget(view.list.item(row))
    bar = card.findChild(QProgressBar, "cardProgress")
    return bar.value(), bar.maximum(), card.findChild(QLabel, "cardConverted").text()


def start_work(qtbot, view: TasksView, row: int = 0) -> TaskWorkPanel:
    view.list.setCurrentRow(row)
    qtbot.mouseClick(view.findChild(QPushButton, "workTask"), Qt.MouseButton.LeftButton)
    panel = view.findChild(TaskWorkPanel, "taskWorkPanel")
    assert panel.isVisible()
    return panel


def double_click(qtbot, table: QTableWidget, row: int) -> None:
    """As a user does it: Qt's item views act on a double-click only after the press of the first click."""
    pos = table.visualItemRect(table.item(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def type_chinese(widget, text: str) -> None:
    """Chinese arrives through the input method (QTest can only press ASCII keys)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def target_row(ctx, task_id: int, member_id: int):
    return next(t for t in task_targets(ctx.store, ctx.actor, task_id) if t.member_id == member_id)


def test_task_list_shows_the_advisors_tasks_with_the_domains_progress(qtbot, ui_ctx):
    view = shown_tasks(qtbot, ui_ctx)
    tasks = my_tasks(ui_ctx.store, ui_ctx.actor)
    assert tasks and view.list.count() == len(tasks)
    for row, task in enumerate(tasks):
        card = view.list.itemWidget(view.list.item(row))
        assert card.findChild(QLabel, "cardTitle").text() == task.title
        assert card.findChild(QLabel, "cardStatus").text() == labels.term(task.status)
        p = task.progress
        assert card_figures(view, row) == (p.closed, p.total, f"已成交 {p.converted}")
    first = view.list.itemWidget(view.list.item(0))
    assert first.findChild(QLabel, "cardPriority").text() == "高"  # HQ's priority 1, listed first


def test_selecting_a_task_shows_its_script_figures_and_targets(qtbot, ui_ctx):
    view = shown_tasks(qtbot, ui_ctx)
    tasks = my_tasks(ui_ctx.store, ui_ctx.actor)
    item = view.list.item(1)
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=view.list.visualItemRect(item).center())
    task = tasks[1]
    assert view.findChild(QLabel, "taskScript").text() == task.script
    assert view.stats["converted"].text() == str(task.progress.converted)
    assert view.stats["open"].text() == str(task.progress.open)
    assert view.stats["completion"].text().startswith(f"{task.progress.closed}/{task.progress.total}")
    table = view.findChild(QTableWidget, "targetTable")
    targets = task_targets(ui_ctx.store, ui_ctx.actor, task.id)
    assert table.rowCount() == len(targets)
    for row, target in enumerate(targets):
        assert table.item(row, 0).text() == target.name
        assert table.item(row, 4).text() == (labels.term(target.outcome) if target.outcome else "待联系")

    # Double-clicking a target opens the work panel on that very member.
    chosen = next(r for r, t in enumerate(targets) if t.outcome is None)
    double_click(qtbot, table, chosen)
    panel = view.findChild(TaskWorkPanel, "taskWorkPanel")
    assert panel.isVisible() and panel.target.member_id == targets[chosen].member_id
    assert panel.name.text() == targets[chosen].name


def test_working_a_target_by_keys_records_outcome_and_contact_and_moves_on(qtbot, ui_ctx):
    view = shown_tasks(qtbot, ui_ctx)
    task = my_tasks(ui_ctx.store, ui_ctx.actor)[0]
    panel = start_work(qtbot, view)
    first = next_open_target(ui_ctx.store, ui_ctx.actor, task.id)
    assert panel.target.member_id == first.member_id
    waiting = pending_count(ui_ctx.store)

    qtbot.keyClick(panel, Qt.Key.Key_4)  # converted; the cursor goes to the note
    assert panel.findChild(QPushButton, f"outcome-{Outcome.CONVERTED}").isChecked()
    note = panel.note
    assert note.hasFocus() or panel.focusWidget() is note
    type_chinese(note, "周末到店试饮，买了")
    qtbot.keyClicks(note, "2")  # a digit in the note is text, not an outcome key
    type_chinese(note, "罐")
    qtbot.keyClick(note, Qt.Key.Key_Return)
    wait_idle(qtbot, ui_ctx)

    target = target_row(ui_ctx, task.id, first.member_id)
    assert (target.outcome, target.note) == (Outcome.CONVERTED, "周末到店试饮，买了2罐")
    logged = ui_ctx.store.one("SELECT type, outcome, note, task_id FROM interactions WHERE member_id = ? "
                              "ORDER BY created_at DESC LIMIT 1", (first.member_id,))
    assert logged == {"type": "call", "outcome": "converted", "note": "周末到店试饮，买了2罐", "task_id": task.id}
    assert pending_count(ui_ctx.store) == waiting + 2  # the outcome and the contact, saved together

    expected = next_open_target(ui_ctx.store, ui_ctx.actor, task.id, first.member_id)
    assert panel.target.member_id == expected.member_id and panel.name.text() == expected.name
    assert panel.note.text() == "" and panel.selected_outcome() is None
    now = my_tasks(ui_ctx.store, ui_ctx.actor)[0].progress
    assert now.converted == task.progress.converted + 1
    assert card_figures(view, 0) == (task.progress.closed + 1, task.progress.total, f"已成交 {now.converted}")

    # Not reachable, try again tomorrow: saved, but the member stays open for another try.
    second = panel.target.member_id
    qtbot.keyClick(panel, Qt.Key.Key_2)
    qtbot.mouseClick(panel.follow_up, Qt.MouseButton.LeftButton, pos=QPoint(6, panel.follow_up.height() // 2))
    assert panel.follow_up.isChecked()
    qtbot.keyClick(panel.note, Qt.Key.Key_Return)
    wait_idle(qtbot, ui_ctx)
    assert target_row(ui_ctx, task.id, second).outcome == Outcome.NOT_REACHABLE
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    assert ui_ctx.store.scalar("SELECT next_follow_up FROM members WHERE id = ?", (second,)) == tomorrow
    after = my_tasks(ui_ctx.store, ui_ctx.actor)[0].progress
    assert (after.open, after.not_reachable) == (now.open, now.not_reachable + 1)
    assert panel.target.member_id != second


def test_enter_without_an_outcome_and_skip_change_nothing(qtbot, ui_ctx):
    view = shown_tasks(qtbot, ui_ctx)
    panel = start_work(qtbot, view)
    waiting, current = pending_count(ui_ctx.store), panel.target.member_id
    type_chinese(panel.note, "还没打")
    qtbot.keyClick(panel.note, Qt.Key.Key_Return)
    wait_idle(qtbot, ui_ctx)
    assert panel.hint.text() == "请先选择联系结果：按键 1–6。"
    assert pending_count(ui_ctx.store) == waiting and panel.target.member_id == current
    ui_ctx.changed.emit("sync", None)  # HQ's data arrives while the advisor is typing: the note stays
    assert panel.note.text() == "还没打" and panel.target.member_id == current
    qtbot.mouseClick(panel.findChild(QPushButton, "skipTarget"), Qt.MouseButton.LeftButton)
    assert panel.target.member_id != current and pending_count(ui_ctx.store) == waiting


def test_a_task_hq_cancelled_refuses_and_nothing_is_half_saved(qtbot, ui_ctx, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    view = shown_tasks(qtbot, ui_ctx)
    task = my_tasks(ui_ctx.store, ui_ctx.actor)[0]
    panel = start_work(qtbot, view)
    member = panel.target.member_id
    before = target_row(ui_ctx, task.id, member)
    with ui_ctx.store.write():  # HQ's cancellation arrives by sync while the panel is open
        ui_ctx.store.conn.execute("UPDATE tasks SET status = 'cancelled' WHERE id = ?", (task.id,))
    waiting = pending_count(ui_ctx.store)
    interactions = ui_ctx.store.scalar("SELECT count(*) FROM interactions")

    qtbot.keyClick(panel, Qt.Key.Key_4)
    qtbot.keyClick(panel.note, Qt.Key.Key_Return)
    wait_idle(qtbot, ui_ctx)
    assert warnings == [labels.error_message(TaskClosed("closed"))]
    assert pending_count(ui_ctx.store) == waiting
    assert ui_ctx.store.scalar("SELECT count(*) FROM interactions") == interactions
    assert target_row(ui_ctx, task.id, member) == before
    assert panel.target is None and labels.term(TaskStatus.CANCELLED) in panel.done_text.text()


def test_follow_ups_list_exactly_the_domains_rows_and_open_the_member(qtbot, ui_ctx):
    view = FollowUpsView(ui_ctx)
    qtbot.addWidget(view)
    view.resize(1150, 650)
    view.show()
    qtbot.waitExposed(view)
    due = follow_ups(ui_ctx.store, ui_ctx.actor)
    overdue = view.findChild(QTableWidget, "followUpsOverdue")
    today = view.findChild(QTableWidget, "followUpsToday")
    assert due.overdue and due.today
    assert overdue.member_ids() == [r.member_id for r in due.overdue]
    assert today.member_ids() == [r.member_id for r in due.today]
    assert overdue.item(0, 4).text() == f"{due.overdue[0].days_overdue} 天"
    assert overdue.item(0, 6).text() == (due.overdue[0].last_note or "")

    opened = []
    ui_ctx.member_requested.connect(opened.append)
    double_click(qtbot, today, 1)
    assert opened == [due.today[1].member_id]


def test_an_outcome_recorded_here_is_applied_by_hq(qtbot, live_ctx):
    results = []
    live_ctx.sync_finished.connect(lambda result, status: results.append(result))
    view = shown_tasks(qtbot, live_ctx)
    row = next(r for r, t in enumerate(view.tasks) if t.status not in FINAL_STATUSES and t.progress.open)
    panel = start_work(qtbot, view, row)
    member, task_id = panel.target.member_id, view.tasks[row].id
    qtbot.keyClick(panel, Qt.Key.Key_3)
    type_chinese(panel.note, "有兴趣，周末来看看")
    qtbot.keyClick(panel.note, Qt.Key.Key_Return)
    wait_idle(qtbot, live_ctx)
    assert pending_count(live_ctx.store) >= 2

    live_ctx.sync_now()
    qtbot.waitUntil(lambda: pending_count(live_ctx.store) == 0 and any(r.applied >= 1 for r in results), timeout=30000)
    assert sum(r.applied for r in results) >= 2 and not any(r.rejected for r in results)
    assert target_row(live_ctx, task_id, member).outcome == Outcome.INTERESTED
