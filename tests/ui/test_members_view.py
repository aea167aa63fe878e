"""My members: the windowed table against SQL — count, filters, sort, opening a member, refresh in place."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

from associate_app import clock
from associate_app.domain.vocabulary import Level, Role
from associate_app.ui.member_table_model import COLUMNS
from associate_app.ui.members_view import MembersView


def shown_members(qtbot, ctx) -> MembersView:
    view = MembersView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.model.ready, timeout=5000)  # the ids past the first page come from the reader
    return view


def column(name: str) -> int:
    return next(i for i, (n, _) in enumerate(COLUMNS) if n == name)


def cell(view: MembersView, row: int, name: str) -> str:
    return view.model.index(row, column(name)).data()


def test_the_advisor_sees_exactly_their_members_counted(qtbot, ui_ctx):
    view = shown_members(qtbot, ui_ctx)
    mine = ui_ctx.store.scalar("SELECT count(*) FROM members WHERE advisor_id = 'A001'")
    assert mine > 0 and view.model.rowCount() == mine
    assert view.findChild(QLabel, "memberCount").text() == f"共 {mine} 位会员"
    first = ui_ctx.store.one("SELECT name, phone FROM members WHERE advisor_id = 'A001' ORDER BY name_sort, id")
    assert cell(view, 0, "name").startswith(first["name"]) and cell(view, 0, "phone") == first["phone"]
    assert view.model.pages_read == 1  # only what is on screen was read


def test_level_and_tag_filters_narrow_to_what_sql_counts(qtbot, ui_ctx):
    view = shown_members(qtbot, ui_ctx)
    level = view.findChild(QComboBox, "filterLevel")
    level.setCurrentIndex(level.findData(str(Level.GOLD)))
    gold = ui_ctx.store.scalar("SELECT count(*) FROM members WHERE advisor_id = 'A001' AND level = 'gold'")
    assert view.model.rowCount() == gold
    assert {cell(view, r, "level") for r in range(gold)} <= {level.currentText()}
    level.setCurrentIndex(0)
    tag = ui_ctx.store.one(
        "SELECT mt.tag_id, count(*) AS n FROM member_tags mt JOIN members m ON m.id = mt.member_id "
        "WHERE m.advisor_id = 'A001' GROUP BY mt.tag_id ORDER BY n DESC LIMIT 1")
    tags = view.findChild(QComboBox, "filterTag")
    tags.setCurrentIndex(tags.findData(tag["tag_id"]))
    assert view.model.rowCount() == tag["n"] and tag["n"] < ui_ctx.store.scalar(
        "SELECT count(*) FROM members WHERE advisor_id = 'A001'")
    due = view.findChild(QCheckBox, "filterFollowUpDue")
    qtbot.mouseClick(due, Qt.MouseButton.LeftButton)
    both = ui_ctx.store.scalar(
        "SELECT count(*) FROM members m JOIN member_tags mt ON mt.member_id = m.id AND mt.tag_id = ? "
        "WHERE m.advisor_id = 'A001' AND m.next_follow_up <= ?", (tag["tag_id"], clock.today().isoformat()))
    assert view.model.rowCount() == both


def test_clicking_points_sorts_the_highest_first_and_phone_does_not_sort(qtbot, ui_ctx):
    view = shown_members(qtbot, ui_ctx)
    header = view.table.horizontalHeader()

    def click(name: str) -> None:
        x = header.sectionViewportPosition(column(name)) + 10
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click("points")
    top = ui_ctx.store.scalar("SELECT max(points) FROM members WHERE advisor_id = 'A001'")
    assert cell(view, 0, "points") == f"{top:,}"
    assert header.sortIndicatorSection() == column("points")
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    click("phone")  # not sortable: the points order stays, and so does its indicator
    assert view.model.order_by == "points" and header.sortIndicatorSection() == column("points")
    click("points")
    low = ui_ctx.store.scalar("SELECT min(points) FROM members WHERE advisor_id = 'A001'")
    assert cell(view, 0, "points") == f"{low:,}"


def test_double_click_opens_the_member_and_a_change_refreshes_in_place(qtbot, ui_ctx):
    view = shown_members(qtbot, ui_ctx)
    index = view.model.index(3, 0)
    pos = view.table.visualRect(index).center()
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    with qtbot.waitSignal(ui_ctx.member_requested) as opened:
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert opened.args == [view.model.member_id(3)]
    assert view.model.member_id(view.model.rowCount() - 1) is not None  # every row's id is known
    view.table.scrollToBottom()
    position = view.table.verticalScrollBar().value()
    member_id = view.model.member_id(view.model.rowCount() - 1)
    with ui_ctx.store.write() as db:  # as a sync brings HQ's new figures
        db.execute("UPDATE members SET points = 987654 WHERE id = ?", (member_id,))
    ui_ctx.changed.emit("sync", None)
    assert cell(view, view.model.rowCount() - 1, "points") == "987,654"
    assert view.table.verticalScrollBar().value() == position


def test_a_manager_sees_the_whole_store(qtbot, ui_ctx_for):
    ctx = ui_ctx_for(Role.MANAGER)
    view = shown_members(qtbot, ctx)
    assert view.model.rowCount() == ctx.store.scalar("SELECT count(*) FROM members")


def test_members_that_arrive_with_a_sync_are_counted_and_listed(qtbot, ui_ctx):
    """The view was shown before a sync brought more members: count and rows follow once the ids are read."""
    view = shown_members(qtbot, ui_ctx)
    before = view.model.rowCount()
    moved = [r["id"] for r in ui_ctx.store.all("SELECT id FROM members WHERE advisor_id <> ? LIMIT 3",
                                                (ui_ctx.actor.staff_id,))]
    with ui_ctx.store.write() as db:  # as a sync moves three members to this advisor
        db.execute(f"UPDATE members SET advisor_id = ? WHERE id IN ({', '.join('?' * len(moved))})",
                   [ui_ctx.actor.staff_id, *moved])
    ui_ctx.changed.emit("sync", None)
    qtbot.waitUntil(lambda: view.model.rowCount() == before + 3, timeout=5000)
    assert view.findChild(QLabel, "memberCount").text() == f"共 {before + 3:,} 位会员"
    shown = {view.model.member_id(row) for row in range(view.model.rowCount())}
    assert set(moved) <= shown
