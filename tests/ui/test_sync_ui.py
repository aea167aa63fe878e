"""The sync line and HQ's rejections against the real embedded HQ: what staff see, and what the outbox holds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar, QPushButton, QTableWidget

from associate_app.domain import tags as tag_ops
from associate_app.domain import tasks as task_ops
from associate_app.store.outbox import pending_count
from associate_app.sync import rejections
from associate_app.sync.results import SyncProgress
from associate_app.sync.retry import RetryPolicy
from associate_app.ui import labels
from associate_app.ui.context import AppContext
from associate_app.ui.rejections_view import RejectionsView
from associate_app.ui.sync_status import SyncStatusWidget
from tests.ui.conftest import wait_idle


def status_bar(qtbot, ctx: AppContext) -> SyncStatusWidget:
    ctx.session.scheduler.debounce = ctx.session.scheduler.max_debounce = 600  # only "Sync now" syncs
    widget = SyncStatusWidget(ctx)
    qtbot.addWidget(widget)
    widget.resize(1366, 34)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def text(widget: SyncStatusWidget, name: str) -> str:
    return widget.findChild(QLabel, name).text()


def sync_now(qtbot, ctx: AppContext, widget: SyncStatusWidget) -> None:
    """Click "Sync now" as a user does and wait for the cycle's answer to reach the window."""
    with qtbot.waitSignal(ctx.sync_finished, timeout=30000):
        qtbot.mouseClick(widget.findChild(QPushButton, "syncNow"), Qt.MouseButton.LeftButton)
        assert widget.findChild(QLabel, "syncBusy").isVisible()
        assert not widget.findChild(QPushButton, "syncNow").isEnabled()


def toggle_a_tag(qtbot, ctx: AppContext) -> None:
    member = ctx.store.scalar("SELECT id FROM members WHERE advisor_id = 'A001' ORDER BY id LIMIT 1")
    tag = ctx.store.scalar("SELECT t.id FROM tags t JOIN tag_groups g ON g.id = t.group_id "
                           "WHERE g.kind = 'manual' AND g.choice = 'multi' AND g.retired = 0 "
                           "AND g.roles LIKE '%advisor%' ORDER BY t.id LIMIT 1")
    ctx.write(lambda store, actor: tag_ops.toggle_tag(store, actor, member, tag), what="tags", member_id=member)
    wait_idle(qtbot, ctx)


def test_waiting_changes_upload_on_sync_now_and_stay_while_offline(qtbot, live_ctx, demo_hq):
    widget = status_bar(qtbot, live_ctx)
    assert text(widget, "syncConnection") == "在线" and text(widget, "pendingCount") == "待上传 0 条"
    toggle_a_tag(qtbot, live_ctx)
    assert text(widget, "pendingCount") == "待上传 1 条" and pending_count(live_ctx.store) == 1
    sync_now(qtbot, live_ctx, widget)
    assert text(widget, "pendingCount") == "待上传 0 条" and pending_count(live_ctx.store) == 0
    assert text(widget, "syncConnection") == "在线" and text(widget, "lastSynced").startswith("上次同步 ")
    assert text(widget, "syncOutcome") == ""
    widget.grab().save("/tmp/sync_status_online.png")

    demo_hq.stop()  # HQ goes away: the change must stay queued here, and the line must say so
    live_ctx.session.client.retry = RetryPolicy(attempts=1)
    toggle_a_tag(qtbot, live_ctx)
    sync_now(qtbot, live_ctx, widget)
    assert text(widget, "syncConnection") == "离线"
    assert text(widget, "syncOutcome") == labels.sync_outcome("offline") == "无法连接总部：正在离线工作。"
    assert text(widget, "pendingCount") == "待上传 1 条" and pending_count(live_ctx.store) == 1
    assert widget.findChild(QPushButton, "syncNow").isEnabled()
    widget.grab().save("/tmp/sync_status_offline.png")


def test_a_full_download_shows_a_progress_bar(qtbot, ui_ctx):
    widget = SyncStatusWidget(ui_ctx)
    qtbot.addWidget(widget)
    widget.show()
    bar = widget.findChild(QProgressBar, "syncProgress")
    ui_ctx.sync_progress.emit(SyncProgress("downloading", done=250, total=1000, full_download=True))
    assert bar.isVisible() and bar.value() == 250
    ui_ctx.sync_progress.emit(SyncProgress("pushing", done=1, total=3))
    assert not bar.isVisible() and text(widget, "syncBusy") == "正在上传 1/3…"
    assert text(widget, "syncConnection") == "尚未连接"


def test_a_change_hq_rejected_is_explained_and_can_be_dismissed(qtbot, live_ctx, demo_hq):
    from hq.admin import tasks as hq_tasks

    ctx = live_ctx
    widget = status_bar(qtbot, ctx)
    target = ctx.store.one("SELECT tt.task_id, tt.member_id FROM task_targets tt JOIN tasks t ON t.id = tt.task_id "
                           "WHERE tt.advisor_id = 'A001' AND tt.outcome IS NULL AND t.status IN "
                           "('pending', 'in_progress') ORDER BY tt.task_id, tt.member_id LIMIT 1")
    ctx.write(lambda store, actor: task_ops.record_outcome(store, actor, target["task_id"], target["member_id"],
                                                             "converted"), what="task", member_id=target["member_id"])
    wait_idle(qtbot, ctx)
    hq_tasks.cancel_task(demo_hq._db, target["task_id"])  # HQ cancels the task meanwhile: HQ's cancellation wins
    badge = widget.findChild(QPushButton, "rejectionsBadge")
    assert not badge.isVisible()
    sync_now(qtbot, ctx, widget)
    assert badge.isVisible() and badge.text() == "被总部驳回 1 条"
    with qtbot.waitSignal(widget.rejections_requested, timeout=1000):
        qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)

    view = RejectionsView(ctx)
    qtbot.addWidget(view)
    view.resize(1150, 500)
    view.show()
    qtbot.waitExposed(view)
    table = view.findChild(QTableWidget, "rejectionList")
    name = ctx.store.scalar("SELECT name FROM members WHERE id = ?", (target["member_id"],))
    title = ctx.store.scalar("SELECT title FROM tasks WHERE id = ?", (target["task_id"],))
    row = [table.item(0, c).text() for c in range(table.columnCount())]
    assert table.rowCount() == 1
    assert row[1:] == [name, f"任务结果：{title} · 已成交", "总部已取消这个任务，所以结果没有记录。", "无需处理。"]
    assert not view.findChild(QPushButton, "resendRejection").isVisible()  # nothing to send again
    view.grab().save("/tmp/rejections_view.png")
    opened = []
    ctx.member_requested.connect(opened.append)
    qtbot.mouseClick(view.findChild(QPushButton, "openRejectedMember"), Qt.MouseButton.LeftButton)
    assert opened == [target["member_id"]]

    qtbot.mouseClick(view.findChild(QPushButton, "dismissRejection"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert table.isHidden() and view.findChild(QLabel, "rejectionsEmpty").isVisible()
    assert rejections.unseen_count(ctx.store) == 0 and not badge.isVisible()
    view.findChild(QCheckBox, "showDismissed").setChecked(True)
    assert table.rowCount() == 1 and not view.findChild(QPushButton, "dismissRejection").isEnabled()
