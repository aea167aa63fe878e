"""The manager's dashboard, driven like a user: figures against SQL of our own, drill-down, chart, export,
and a reassignment that reaches the real HQ."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import os
import tempfile
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from associate_app import clock
from associate_app.domain.dashboard import week_start
from associate_app.domain.dashboard_history import task_history
from associate_app.domain.vocabulary import Role
from associate_app.errors import TargetClosed
from associate_app.store.outbox import pending_count
from associate_app.sync.engine import LAST_SYNC
from associate_app.ui import export, labels
from associate_app.ui.dashboard_view import DashboardView
from associate_app.ui.reassign_dialog import ReassignDialog
from associate_app.ui.sync_status import clock_time
from tests.ui.conftest import wait_idle

SPOKEN_TO = ("reached", "interested", "converted", "declined")
TASK_HEADERS = ["推送任务", "状态", "截止日期", "目标会员", "已触达", "已成交", "已拒绝", "待联系", "完成率", "转化率"]
ADVISOR_HEADERS = ["导购", "负责会员", "本周联系", "逾期跟进", "目标会员", "待联系", "已成交", "完成率", "转化率"]


def shown_dashboard(qtbot, ctx) -> DashboardView:
    view = DashboardView(ctx)
    qtbot.addWidget(view)
    view.resize(1180, 660)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.loaded and view.chart.history is not None, timeout=10000)
    wait_idle(qtbot, ctx)
    return view


def texts(table) -> list[list[str]]:
    model = table.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def headers(table) -> list[str]:
    model = table.model()
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def double_click(qtbot, table, row: int, column: int) -> None:
    """As a user does it: a press on the cell first, then the double-click."""
    pos = table.visualRect(table.model().index(row, column)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def drill(qtbot, view: DashboardView, table, row: int, header: str) -> list[int]:
    """Double-click the figure under ``header`` and wait for the member ids behind it."""
    double_click(qtbot, table, row, headers(table).index(header))
    assert view.stack.currentWidget() is view.drill_page
    qtbot.waitUntil(lambda: view.drill_page.loaded, timeout=10000)
    return [r.member_id for r in view.drill_page.table.model_.rows]


def test_the_figures_are_the_datas(qtbot, ui_ctx_for):
    ctx = ui_ctx_for(Role.MANAGER)
    store = ctx.store
    with store.write():  # an overdue task, a cancelled one (left out of the advisors' figures)
        store.conn.execute("UPDATE tasks SET due_date = '2020-01-01' WHERE id = 503")
        store.conn.execute("UPDATE tasks SET status = 'cancelled' WHERE id = 501")
    view = shown_dashboard(qtbot, ctx)

    assert headers(view.tasks) == TASK_HEADERS and headers(view.advisors) == ADVISOR_HEADERS
    spoken = ", ".join(f"'{o}'" for o in SPOKEN_TO)
    expected_tasks = {}
    for t in store.all("SELECT id, title FROM tasks"):
        row = store.one(
            f"SELECT count(*) AS total, count(outcome IN ({spoken}) OR NULL) AS spoken, "
            "count(outcome = 'converted' OR NULL) AS conv, count(outcome = 'declined' OR NULL) AS declined, "
            "count(outcome IS NULL OR outcome = 'not_reachable' OR NULL) AS open "
            "FROM task_targets WHERE task_id = ?", (t["id"],))
        closed = row["total"] - row["open"]
        expected_tasks[t["title"]] = [str(row[k]) for k in ("total", "spoken", "conv", "declined", "open")] + [
            pct(closed, row["total"]), pct(row["conv"], row["total"])]
    shown = {r[0]: r[3:] for r in texts(view.tasks)}
    assert shown == expected_tasks
    overdue = next(r for r in texts(view.tasks) if r[2] == "2020-01-01")
    assert overdue[1] == "已逾期"
    assert next(r for r in texts(view.tasks) if r[0].startswith("宝宝生日"))[1] == "已取消"

    monday, today = week_start(clock.today()), clock.today().isoformat()
    expected_advisors = []
    for a in store.all("SELECT id, name FROM staff WHERE role = 'advisor' ORDER BY id"):
        members = store.scalar("SELECT count(*) FROM members WHERE advisor_id = ?", (a["id"],))
        contacts = store.scalar("SELECT count(*) FROM interactions WHERE staff_id = ? AND occurred_at >= ?",
                                (a["id"], monday))
        late = store.scalar("SELECT count(*) FROM members WHERE advisor_id = ? AND next_follow_up < ?",
                            (a["id"], today))
        t = store.one("SELECT count(*) AS total, count(tt.outcome IS NULL OR tt.outcome = 'not_reachable' OR NULL) "
                      "AS open, count(tt.outcome = 'converted' OR NULL) AS conv "
                      "FROM task_targets tt JOIN tasks k ON k.id = tt.task_id "
                      "WHERE tt.advisor_id = ? AND k.status <> 'cancelled'", (a["id"],))
        expected_advisors.append([a["name"], str(members), str(contacts), str(late), str(t["total"]), str(t["open"]),
                                  str(t["conv"]), pct(t["total"] - t["open"], t["total"]), pct(t["conv"], t["total"])])
    assert texts(view.advisors) == expected_advisors
    assert any(int(r[3]) for r in expected_advisors) and any(int(r[2]) for r in expected_advisors)

    # Offline and never synced, it says so; after a sync it says since when.
    assert view.as_of.text() == "尚未同步：数据来自本机"
    synced = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=7)
    with store.write():
        store.set_state(LAST_SYNC, clock.to_iso(synced))
    view.refresh()
    assert view.as_of.text() == f"截至上次同步 {clock_time(synced)}"
    view.grab().save("/tmp/dashboard_view.png")


def test_double_clicking_a_number_lists_exactly_the_members_behind_it(qtbot, ui_ctx_for):
    ctx = ui_ctx_for(Role.MANAGER)
    view = shown_dashboard(qtbot, ctx)
    first = view.tasks.model_.rows[0]
    converted = drill(qtbot, view, view.tasks, 0, "已成交")
    expected = [r["member_id"] for r in ctx.store.all(
        "SELECT member_id FROM task_targets WHERE task_id = ? AND outcome = 'converted' ORDER BY sort_order, member_id",
        (first.task_id,))]
    assert converted == expected and len(converted) == int(texts(view.tasks)[0][5]) > 0
    assert view.drill_page.title.text() == f"{first.title} · 已成交"
    assert view.drill_page.count.text() == f"共 {len(expected)} 行"
    assert {r[4] for r in texts(view.drill_page.table)} == {"已成交"}

    view.drill_page.back.emit()
    assert view.stack.currentIndex() == 0
    still_open = drill(qtbot, view, view.tasks, 0, "待联系")
    assert len(still_open) == int(texts(view.tasks)[0][7])

    view.drill_page.back.emit()
    members = drill(qtbot, view, view.advisors, 1, "负责会员")
    advisor = view.advisors.model_.rows[1]
    assert sorted(members) == [r["id"] for r in ctx.store.all(
        "SELECT id FROM members WHERE advisor_id = ? ORDER BY id", (advisor.advisor_id,))]
    assert len(members) == int(texts(view.advisors)[1][1])
    view.drill_page.back.emit()
    contacts = drill(qtbot, view, view.advisors, 0, "本周联系")
    assert len(contacts) == int(texts(view.advisors)[0][2])  # one row per contact, as counted
    view.grab().save("/tmp/dashboard_drill.png")

    # A member in the list opens their profile.
    opened = []
    ctx.member_requested.connect(opened.append)
    table = view.drill_page.table
    double_click(qtbot, table, 1, 0)
    assert opened == [table.model_.rows[1].member_id]


def test_the_chart_follows_the_selected_task_to_its_figures(qtbot, ui_ctx_for):
    ctx = ui_ctx_for(Role.MANAGER)
    view = shown_dashboard(qtbot, ctx)
    task = view.tasks.model_.rows[2]
    view.tasks.selectRow(2)
    qtbot.waitUntil(lambda: view.chart.history is not None and view.chart.history.task_id == task.task_id,
                    timeout=10000)
    history = task_history(ctx.store, ctx.actor, task.task_id)
    assert view.chart.values("closed") == [p.closed for p in history.days]
    assert view.chart.values("converted") == [p.converted for p in history.days]
    assert view.chart.values("closed")[-1] == task.targets.closed
    assert view.chart.values("contacted")[-1] == task.targets.contacted
    assert view.chart.chart().title() == f"完成进度走势 · {task.title}"


def test_every_table_exports_to_csv_and_excel_with_its_rows(qtbot, ui_ctx_for, tmp_path):
    ctx = ui_ctx_for(Role.MANAGER)
    view = shown_dashboard(qtbot, ctx)
    csv_path, xlsx_path = tmp_path / "任务进度.csv", tmp_path / "导购"
    view.task_export.export_to(csv_path, export.CSV)
    view.advisor_export.export_to(xlsx_path, export.XLSX)  # the suffix is added
    wait_idle(qtbot, ctx)

    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [TASK_HEADERS, *texts(view.tasks)]

    book = openpyxl.load_workbook(tmp_path / "导购.xlsx")
    sheet = book.active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == ADVISOR_HEADERS
    advisors = view.advisors.model_.rows
    assert [r[0] for r in cells[1:]] == [a.name for a in advisors]
    assert [r[1] for r in cells[1:]] == [a.members for a in advisors]  # numbers, not text
    assert cells[1][7] == pytest.approx(advisors[0].completion_rate)
    assert sheet.cell(row=2, column=8).number_format == "0%"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".export-")]

    # The drill-down list exports the members it shows.
    drill(qtbot, view, view.tasks, 0, "已拒绝")
    members = tmp_path / "members.csv"
    view.drill_page.export.export_to(members, export.CSV)
    wait_idle(qtbot, ctx)
    with members.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f))[1:] == texts(view.drill_page.table)


def read_only_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        os.close(tempfile.mkstemp(dir=folder)[0])
    except PermissionError:
        return folder
    if Path("/sys").is_dir():  # root may write anywhere but a kernel file system
        return Path("/sys")
    pytest.skip("no read-only folder available")


def test_a_failed_export_says_why_and_leaves_nothing_behind(qtbot, ui_ctx_for, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    ctx = ui_ctx_for(Role.MANAGER)
    view = shown_dashboard(qtbot, ctx)

    target = read_only_folder(tmp_path) / "tasks.csv"
    view.task_export.export_to(target, export.CSV)
    wait_idle(qtbot, ctx)
    assert warnings == [f"无法保存 {target}：该文件夹无法写入（只读或没有权限）。请换一个文件夹。"]
    assert view.task_export.isEnabled()

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export, "_write_xlsx", full)
    full_disk = tmp_path / "tasks.xlsx"
    view.task_export.export_to(full_disk, export.XLSX)
    wait_idle(qtbot, ctx)
    assert warnings[1] == f"无法保存 {full_disk}：磁盘已满。请清理空间，或换一个磁盘保存。"
    assert not full_disk.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".export-")]


def reassign(qtbot, ctx, page, advisor_id: str) -> None:
    """Click "Reassign to…", pick the advisor, confirm; wait for the write and the re-read list."""
    qtbot.mouseClick(page.reassign_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(ReassignDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.choose(advisor_id)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)


def test_a_target_already_worked_is_not_reassigned_and_the_manager_is_told(qtbot, ui_ctx_for, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    ctx = ui_ctx_for(Role.MANAGER)
    view = shown_dashboard(qtbot, ctx)
    task = view.tasks.model_.rows[0]
    drill(qtbot, view, view.tasks, 0, "目标会员")
    page = view.drill_page
    rows = page.table.model_.rows
    worked = next(i for i, r in enumerate(rows) if r.detail == "converted")
    still_open = next(i for i, r in enumerate(rows) if r.detail is None and r.advisor_id != "A003")
    flags = page.table.selectionModel().SelectionFlag.Select | page.table.selectionModel().SelectionFlag.Rows
    for i in (worked, still_open):
        page.table.selectionModel().select(page.table.model().index(i, 0), flags)
    reassign(qtbot, ctx, page, "A003")

    def advisor(i: int) -> str:
        return ctx.store.scalar("SELECT advisor_id FROM task_targets WHERE task_id = ? AND member_id = ?",
                                (task.task_id, rows[i].member_id))

    assert advisor(still_open) == "A003" and advisor(worked) == rows[worked].advisor_id
    assert pending_count(ctx.store) == 1
    assert warnings == [f"已改派 1 个；1 个未能改派（{rows[worked].name}）：{labels.error_message(TargetClosed('x'))}"]
    assert "已联系" in labels.error_message(TargetClosed("x"))


def test_a_reassignment_from_the_drill_down_reaches_hq(qtbot, live_ctx_for, demo_hq):
    ctx = live_ctx_for(Role.MANAGER)
    ctx.session.scheduler.debounce = ctx.session.scheduler.max_debounce = 600  # only sync_now syncs
    view = shown_dashboard(qtbot, ctx)
    row = next(i for i, a in enumerate(view.advisors.model_.rows) if a.advisor_id == "A001")
    drill(qtbot, view, view.advisors, row, "负责会员")
    page = view.drill_page
    page.table.selectRow(0)
    flags = page.table.selectionModel().SelectionFlag.Select | page.table.selectionModel().SelectionFlag.Rows
    page.table.selectionModel().select(page.table.model().index(2, 0), flags)
    moved = [r.member_id for r in page.table.selected_rows()]
    assert len(moved) == 2

    reassign(qtbot, ctx, page, "A002")
    marks = ", ".join("?" * len(moved))
    assert {r["advisor_id"] for r in ctx.store.all(f"SELECT advisor_id FROM members WHERE id IN ({marks})",
                                                    moved)} == {"A002"}
    assert pending_count(ctx.store) == 2
    assert not set(moved) & {r.member_id for r in page.table.model_.rows}  # they left A001's list at once

    # One open target of a task, to a third advisor: the target moves, its member stays where they are.
    page.back.emit()
    task_row = next(i for i, t in enumerate(view.tasks.model_.rows) if t.targets.open and t.status != "cancelled")
    task_id = view.tasks.model_.rows[task_row].task_id
    drill(qtbot, view, view.tasks, task_row, "待联系")
    target = next(i for i, r in enumerate(page.table.model_.rows) if r.advisor_id != "A003")
    member = page.table.model_.rows[target].member_id
    member_advisor = ctx.store.scalar("SELECT advisor_id FROM members WHERE id = ?", (member,))
    page.table.selectRow(target)
    reassign(qtbot, ctx, page, "A003")
    assert pending_count(ctx.store) == 3

    results = []
    ctx.sync_finished.connect(lambda result, status: results.append(result))
    ctx.sync_now()
    qtbot.waitUntil(lambda: bool(results) and pending_count(ctx.store) == 0, timeout=30000)
    assert results[-1].ok and not any(r.rejected for r in results)
    with demo_hq._db.read() as tx:
        on_hq = dict(tx.all(f"SELECT id, advisor_id FROM members WHERE id IN ({marks})", moved))
        target_on_hq = tx.scalar("SELECT advisor_id FROM task_targets WHERE task_id = ? AND member_id = ?",
                                 (task_id, member))
        member_on_hq = tx.scalar("SELECT advisor_id FROM members WHERE id = ?", (member,))
    assert on_hq == dict.fromkeys(moved, "A002")
    assert (target_on_hq, member_on_hq) == ("A003", member_advisor)
