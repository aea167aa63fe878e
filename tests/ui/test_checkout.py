"""Checkout mode as the cashier uses it, driven by key events only: scan + Enter, one key per tag.

Each test types into the real view offscreen in Chinese and checks what the cashier sees (the member, the
masked phone, the banner) and what the local database and the outbox now hold; one goes to a real HQ.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from associate_app.domain.vocabulary import Role
from associate_app.store.outbox import pending_count
from associate_app.ui.checkout_parts import TAG_KEYS
from associate_app.ui.checkout_view import CHOICES, ENROL, IDLE, MEMBER, CheckoutView
from associate_app.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle

STAGE_GROUP, CONCERN_GROUP = 1, 2  # 家庭阶段 (single choice), 育儿关注 (multi choice)
ADVISOR_ONLY = (3, 5)
KEYS = dict((name, key) for key, name in TAG_KEYS)


def open_checkout(qtbot, ctx, *, reset_seconds: int | None = None) -> CheckoutView:
    if reset_seconds is not None:
        ctx.session.options = replace(ctx.session.options, checkout_reset_seconds=reset_seconds)
    view = CheckoutView(ctx)
    qtbot.addWidget(view)
    view.resize(760, 640)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    return view


def scan(qtbot, view: CheckoutView, text: str) -> None:
    """What a scanner (or a cashier) does: the characters, then Enter."""
    qtbot.keyClicks(view.input, text)
    qtbot.keyClick(view.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.looking_up, timeout=5000)  # the lookup answers from the reader thread


def press(qtbot, view: CheckoutView, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(view.input, key, modifier)
    wait_idle(qtbot, view.ctx)


def tag_key(view: CheckoutView, tag_id: int) -> Qt.Key:
    return KEYS[view.card.captions[tag_id]]


def held(ctx, member_id: int, group_id: int) -> set[int]:
    return {r["tag_id"] for r in ctx.store.all(
        "SELECT mt.tag_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = ? "
        "AND t.group_id = ?", (member_id, group_id))}


def staged_member(ctx) -> dict:
    """A member with a card who holds a family-stage tag."""
    return ctx.store.one(
        "SELECT m.id, m.card_no, m.phone, m.name FROM members m JOIN member_tags mt ON mt.member_id = m.id "
        "JOIN tags t ON t.id = mt.tag_id WHERE t.group_id = ? AND m.card_no IS NOT NULL ORDER BY m.id LIMIT 1",
        (STAGE_GROUP,))


def free_tag(ctx, member_id: int, group_id: int) -> int:
    return ctx.store.scalar("SELECT min(id) FROM tags WHERE group_id = ? AND retired = 0 AND id NOT IN "
                            "(SELECT tag_id FROM member_tags WHERE member_id = ?)", (group_id, member_id))


def visible_texts(view) -> list[str]:
    shown = [w for w in view.findChildren(QWidget) if isinstance(w, QLabel | QPushButton) and w.isVisibleTo(view)]
    return [w.text() for w in shown] + [view.input.text()]


def test_scan_enter_then_one_digit_saves_the_tag_and_queues_it(ui_ctx_for, qtbot):
    ctx = ui_ctx_for(Role.CASHIER)
    member = staged_member(ctx)
    view = open_checkout(qtbot, ctx)
    tag = free_tag(ctx, member["id"], CONCERN_GROUP)
    before = pending_count(ctx.store)

    scan(qtbot, view, member["card_no"])  # keystroke 1: Enter
    assert view.state == MEMBER and view.card.name.text() == member["name"]
    name = ctx.store.scalar("SELECT name FROM tags WHERE id = ?", (tag,))
    with qtbot.waitSignal(view.saved, timeout=5000):
        qtbot.keyClick(view.input, tag_key(view, tag))  # keystroke 2: the tag's key
    wait_idle(qtbot, ctx)

    assert tag in held(ctx, member["id"], CONCERN_GROUP)
    assert pending_count(ctx.store) == before + 1
    assert view.card.tags.chip(tag).isChecked()
    assert view.banner.text() == f"已添加 {name}" and view.banner.tone == "added" and view.banner.strong


def test_single_choice_replaces_its_sibling_a_second_press_removes_and_ctrl_z_undoes(ui_ctx_for, qtbot):
    ctx = ui_ctx_for(Role.CASHIER)
    member = staged_member(ctx)
    (old,) = held(ctx, member["id"], STAGE_GROUP)
    new = ctx.store.scalar("SELECT min(id) FROM tags WHERE group_id = ? AND id != ?", (STAGE_GROUP, old))
    view = open_checkout(qtbot, ctx)
    scan(qtbot, view, member["card_no"])

    press(qtbot, view, tag_key(view, new))
    assert held(ctx, member["id"], STAGE_GROUP) == {new}
    assert view.card.tags.chip(new).isChecked() and not view.card.tags.chip(old).isChecked()
    assert "替换" in view.banner.text()

    press(qtbot, view, tag_key(view, new))
    assert held(ctx, member["id"], STAGE_GROUP) == set()
    assert view.banner.text().startswith("已移除") and view.banner.tone == "removed"

    press(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert held(ctx, member["id"], STAGE_GROUP) == {new}
    assert view.banner.text().startswith("已撤销") and view.banner.tone == "undone"
    press(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert held(ctx, member["id"], STAGE_GROUP) == {old}
    assert view.card.tags.chip(old).isChecked()


def test_several_matches_are_numbered_and_picked_with_a_digit(ui_ctx_for, qtbot):
    ctx = ui_ctx_for(Role.CASHIER)
    last4 = ctx.store.scalar("SELECT phone_last4 FROM members GROUP BY phone_last4 HAVING count(*) > 1 "
                             "ORDER BY phone_last4 LIMIT 1")
    view = open_checkout(qtbot, ctx)
    scan(qtbot, view, last4)
    assert view.state == CHOICES and view.choices.count() >= 2
    assert view.choices.item(0).text().startswith("1 ")
    second = view.choices.hits[1]
    qtbot.keyClick(view.input, Qt.Key.Key_2)
    assert view.state == MEMBER and view.member.id == second.member_id
    assert view.card.phone.text().startswith(f"手机 {second.phone}") and "****" in second.phone


def test_the_view_clears_itself_after_the_configured_idle_time(ui_ctx_for, qtbot):
    ctx = ui_ctx_for(Role.CASHIER)
    view = open_checkout(qtbot, ctx, reset_seconds=1)
    scan(qtbot, view, staged_member(ctx)["card_no"])
    assert view.state == MEMBER
    qtbot.waitUntil(lambda: view.state == IDLE, timeout=3000)
    assert view.member is None and view.input.text() == "" and view.banner.text() == "请扫下一位顾客"


def test_esc_clears_for_the_next_customer(ui_ctx_for, qtbot):
    ctx = ui_ctx_for(Role.CASHIER)
    view = open_checkout(qtbot, ctx)
    scan(qtbot, view, staged_member(ctx)["card_no"])
    qtbot.keyClick(view.input, Qt.Key.Key_Escape)
    assert view.state == IDLE and view.member is None
    qtbot.keyClicks(view.input, "12")  # digits are text again, not tag keys
    assert view.input.text() == "12"


def test_an_unknown_number_becomes_a_quasi_member_with_one_enter_and_is_tagged_with_one_key(ui_ctx_for, qtbot):
    ctx = ui_ctx_for(Role.CASHIER)
    phone = "13912345678"
    assert ctx.store.scalar("SELECT count(*) FROM members WHERE phone = ?", (phone,)) == 0
    view = open_checkout(qtbot, ctx)
    before = pending_count(ctx.store)

    scan(qtbot, view, phone)
    assert view.state == ENROL and "139****5678" in view.prompt.text() and phone not in view.prompt.text()
    press(qtbot, view, Qt.Key.Key_Return)

    lead = ctx.store.one("SELECT id, is_lead, status FROM members WHERE phone = ?", (phone,))
    assert lead["is_lead"] == 1 and lead["status"] == "quasi"
    assert ctx.store.scalar("SELECT kind FROM outbox ORDER BY rowid DESC LIMIT 1") == "member.enrol"
    assert view.state == MEMBER and view.member.id == lead["id"] and view.member.is_lead
    assert view.banner.text() == "已登记为准会员"
    assert all(phone not in text for text in visible_texts(view))
    tag = free_tag(ctx, lead["id"], STAGE_GROUP)
    press(qtbot, view, tag_key(view, tag))
    assert held(ctx, lead["id"], STAGE_GROUP) == {tag}
    assert pending_count(ctx.store) == before + 2


def test_a_wrong_number_or_an_unknown_card_says_so_and_changes_nothing(ui_ctx_for, qtbot):
    ctx = ui_ctx_for(Role.CASHIER)
    view = open_checkout(qtbot, ctx)
    members, before = ctx.store.scalar("SELECT count(*) FROM members"), pending_count(ctx.store)

    scan(qtbot, view, "12345678901")  # 11 digits, but no mainland mobile starts 12
    assert view.state == IDLE and view.banner.tone == "error"
    assert view.banner.text() == "这不是手机号：应为以 1 开头的 11 位数字。" or "手机" in view.banner.text()
    qtbot.keyClick(view.input, Qt.Key.Key_Escape)
    scan(qtbot, view, "880099999999")
    assert view.state == IDLE and view.banner.tone == "error" and "卡号" in view.banner.text()
    qtbot.keyClick(view.input, Qt.Key.Key_Escape)
    scan(qtbot, view, "12")
    assert view.state == IDLE and view.banner.tone == "error"
    wait_idle(qtbot, ctx)
    assert ctx.store.scalar("SELECT count(*) FROM members") == members
    assert pending_count(ctx.store) == before


def test_a_cashier_typing_a_full_phone_sees_it_masked_and_no_advisor_only_groups(ui_ctx_for, qtbot):
    ctx = ui_ctx_for(Role.CASHIER)
    member = staged_member(ctx)
    view = open_checkout(qtbot, ctx)
    scan(qtbot, view, member["phone"])
    assert view.state == MEMBER and view.member.id == member["id"]
    masked = member["phone"][:3] + "****" + member["phone"][-4:]
    texts = visible_texts(view)
    assert view.card.phone.text().startswith(f"手机 {masked}") and all(member["phone"] not in t for t in texts)
    advisor_only = [r["id"] for r in ctx.store.all("SELECT id FROM tags WHERE group_id IN (?, ?)", ADVISOR_ONLY)]
    assert all(view.card.tags.chip(t) is None for t in advisor_only)
    automatic = ctx.store.scalar("SELECT min(t.id) FROM tags t JOIN tag_groups g ON g.id = t.group_id "
                                 "WHERE g.kind = 'automatic'")
    assert view.card.tags.chip(automatic) is None


def test_an_advisor_at_the_till_gets_the_cashiers_groups_only(ui_ctx_for, qtbot):
    ctx = ui_ctx_for(Role.ADVISOR)
    member = staged_member(ctx)
    view = open_checkout(qtbot, ctx)
    scan(qtbot, view, member["card_no"])
    assert {g.id for g in view.member.groups} == {1, 2, 4}
    assert view.card.phone.text().startswith(f"手机 {member['phone']}")  # an advisor sees the number


def test_the_cashier_opens_into_checkout_scans_route_there_and_always_on_top_is_compact(ui_ctx_for, qtbot):
    ctx = ui_ctx_for(Role.CASHIER)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.nav.item(0).data(256) == "checkout" and window.current_view_name() == "checkout"
    view = window.views["checkout"]
    window._scanned(staged_member(ctx)["card_no"])  # what the scanner listener emits for a burst
    qtbot.waitUntil(lambda: view.state == MEMBER, timeout=5000)

    qtbot.mouseClick(view.on_top, Qt.MouseButton.LeftButton)
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert window.is_compact and not window.nav.isVisible() and window.isVisible()
    assert window.width() <= 600
    qtbot.mouseClick(view.on_top, Qt.MouseButton.LeftButton)
    assert not window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert window.nav.isVisible() and window.isVisible()


def test_every_role_can_switch_to_checkout(ui_ctx_for, qtbot):
    for role in (Role.ADVISOR, Role.MANAGER):
        window = MainWindow(ui_ctx_for(role))
        qtbot.addWidget(window)
        names = [window.nav.item(row).data(256) for row in range(window.nav.count())]
        assert "checkout" in names and names[0] != "checkout"


def test_a_tag_and_an_enrolment_at_the_till_reach_hq(live_ctx_for, qtbot):
    ctx = live_ctx_for(Role.CASHIER)
    results = []
    ctx.sync_finished.connect(lambda result, _status: results.append(result))
    member = staged_member(ctx)
    view = open_checkout(qtbot, ctx)
    scan(qtbot, view, member["card_no"])
    tag = free_tag(ctx, member["id"], CONCERN_GROUP)
    press(qtbot, view, tag_key(view, tag))
    qtbot.keyClick(view.input, Qt.Key.Key_Escape)
    scan(qtbot, view, "13987654321")
    press(qtbot, view, Qt.Key.Key_Return)
    lead_uuid = view.member.lead_uuid
    assert view.member.id < 0 and lead_uuid

    ctx.sync_now()
    qtbot.waitUntil(lambda: sum(r.applied for r in results) >= 2 and pending_count(ctx.store) == 0, timeout=30000)
    assert all(r.ok for r in results), [r.summary() for r in results]
    assert tag in held(ctx, member["id"], CONCERN_GROUP)
    qtbot.waitUntil(lambda: view.member is not None and view.member.id > 0, timeout=30000)  # HQ's id followed
    assert view.member.lead_uuid == lead_uuid or view.member.id == ctx.store.scalar(
        "SELECT member_id FROM lead_ids WHERE lead_uuid = ?", (lead_uuid,))


def test_a_key_pressed_before_the_lookup_answered_is_carried_out_after_it(ui_ctx_for, qtbot):
    """Scan, Enter and the tag key at once: the key waits for the member (the lookup runs on the reader)."""
    ctx = ui_ctx_for(Role.CASHIER)
    member = staged_member(ctx)
    view = open_checkout(qtbot, ctx)
    tag = free_tag(ctx, member["id"], CONCERN_GROUP)
    scan(qtbot, view, member["card_no"])
    key = tag_key(view, tag)  # which key that tag has for this member
    qtbot.keyClick(view.input, Qt.Key.Key_Escape)

    with qtbot.waitSignal(view.saved, timeout=5000):
        qtbot.keyClicks(view.input, member["card_no"])
        qtbot.keyClick(view.input, Qt.Key.Key_Return)
        assert view.looking_up and view.state == IDLE  # the answer is not in yet
        qtbot.keyClick(view.input, key)
    wait_idle(qtbot, ctx)
    assert view.state == MEMBER and tag in held(ctx, member["id"], CONCERN_GROUP)


def test_esc_before_the_answer_drops_it_for_the_next_customer(ui_ctx_for, qtbot):
    ctx = ui_ctx_for(Role.CASHIER)
    member = staged_member(ctx)
    view = open_checkout(qtbot, ctx)
    qtbot.keyClicks(view.input, member["card_no"])
    qtbot.keyClick(view.input, Qt.Key.Key_Return)
    qtbot.keyClick(view.input, Qt.Key.Key_Escape)  # the customer left before the answer came
    wait_idle(qtbot, ctx)
    qtbot.wait(50)
    assert view.state == IDLE and view.member is None and not view.looking_up
