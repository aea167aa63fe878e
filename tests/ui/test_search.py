"""The one member search and the barcode scanner: typed as a user types, checked against the lookup."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from associate_app.domain.vocabulary import Role
from associate_app.errors import MemberCodeInvalid
from associate_app.lookup.name_keys import name_syllables
from associate_app.ui import labels
from associate_app.ui.scanner import ScannerListener
from associate_app.ui.search_box import SearchBox


class Window(QWidget):
    """The search box on top and another field below, as in the main window."""

    box: SearchBox
    other: QLineEdit


def shown_search(qtbot, ctx) -> Window:
    window = Window()
    qtbot.addWidget(window)
    box = SearchBox(ctx)
    other = QLineEdit(objectName="otherField")
    layout = QVBoxLayout(window)
    layout.addWidget(box)
    layout.addWidget(other)
    layout.addStretch(1)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    box.edit.setFocus()
    window.box, window.other = box, other
    return window


def listed(qtbot, box: SearchBox) -> list[str]:
    """The result lines once the popup shows them (after the debounce)."""
    answered(qtbot, box)
    return [box.results.item(i).text() for i in range(box.results.count())]


def answered(qtbot, box: SearchBox) -> None:
    """Lookups run on the reader thread: wait for the answer to be shown."""
    qtbot.waitUntil(lambda: box.popup.isVisible() and not box.searching, timeout=2000)


def own_member(ctx) -> dict:
    return ctx.store.one("SELECT id, name, phone, phone_last4 FROM members WHERE advisor_id = ? AND is_lead = 0 "
                         "AND length(name) = 2 ORDER BY id LIMIT 1", (ctx.actor.staff_id,))


def test_full_phone_finds_the_member_and_enter_opens_it(qtbot, ui_ctx):
    window = shown_search(qtbot, ui_ctx)
    box = window.box
    member = own_member(ui_ctx)
    qtbot.keyClicks(box.edit, member["phone"])
    lines = listed(qtbot, box)
    assert len(lines) == 1 and member["name"] in lines[0] and member["phone"] in lines[0]
    assert "我的会员" in lines[0]
    with qtbot.waitSignal(ui_ctx.member_requested) as opened, qtbot.waitSignal(box.member_chosen):
        qtbot.keyClick(box.edit, Qt.Key.Key_Return)
    assert opened.args == [member["id"]]
    assert box.edit.text() == "" and not box.popup.isVisible()


def test_last_four_digits_list_every_match_and_arrows_pick_one(qtbot, ui_ctx):
    window = shown_search(qtbot, ui_ctx)
    box = window.box
    member = own_member(ui_ctx)
    expected = ui_ctx.store.scalar("SELECT count(*) FROM members WHERE phone_last4 = ?", (member["phone_last4"],))
    qtbot.keyClicks(box.edit, member["phone_last4"])
    lines = listed(qtbot, box)
    assert len(lines) == min(expected, 20) and any(member["phone"] in line for line in lines)
    row = next(i for i, line in enumerate(lines) if member["phone"] in line)
    for _ in range(row + 1):
        qtbot.keyClick(box.edit, Qt.Key.Key_Down)
    assert box.results.currentRow() == row
    with qtbot.waitSignal(ui_ctx.member_requested) as opened:
        qtbot.keyClick(box.edit, Qt.Key.Key_Enter)
    assert opened.args == [member["id"]]


def test_chinese_name_and_pinyin_find_the_member(qtbot, ui_ctx):
    window = shown_search(qtbot, ui_ctx)
    box = window.box
    member = own_member(ui_ctx)
    commit = QInputMethodEvent("", [])
    commit.setCommitString(member["name"])  # Chinese arrives through the input method
    QApplication.sendEvent(box.edit, commit)
    assert any(line.startswith(member["name"]) and member["phone"] in line for line in listed(qtbot, box))
    qtbot.keyClick(box.edit, Qt.Key.Key_Escape)
    assert not box.popup.isVisible()
    box.edit.clear()
    qtbot.keyClicks(box.edit, "".join(name_syllables(member["name"])[0]))
    assert any(member["phone"] in line for line in listed(qtbot, box))


def test_nothing_found_and_bad_input_are_said_in_chinese(qtbot, ui_ctx):
    window = shown_search(qtbot, ui_ctx)
    box = window.box
    unknown = next(p for p in (f"139{n:08d}" for n in range(100))
                   if not ui_ctx.store.scalar("SELECT 1 FROM members WHERE phone = ?", (p,)))
    qtbot.keyClicks(box.edit, unknown)
    assert listed(qtbot, box) == []
    assert box.message.isVisible() and box.message.text() == f"没有手机号为 {unknown} 的会员。"
    qtbot.keyClick(box.edit, Qt.Key.Key_Return)  # nothing to open: nothing happens
    assert box.edit.text() == unknown
    box.search_for("KWM1.123.456." + "A" * 86)  # a forged member code
    answered(qtbot, box)
    assert box.results.count() == 0 and box.message.text() == labels.error_message(MemberCodeInvalid("forged"))
    box.search_for("138")  # half a phone number
    answered(qtbot, box)
    assert "11 位手机号" in box.message.text()


def test_a_cashier_sees_masked_phones(qtbot, ui_ctx_for):
    ctx = ui_ctx_for(Role.CASHIER)
    window = shown_search(qtbot, ctx)
    box = window.box
    member = ctx.store.one("SELECT phone, phone_last4 FROM members WHERE phone IS NOT NULL ORDER BY id LIMIT 1")
    qtbot.keyClicks(box.edit, member["phone_last4"])
    lines = listed(qtbot, box)
    assert lines and all("****" in line for line in lines)
    assert not any(ch.isdigit() and len(ch) == 11 for line in lines for ch in line.split())


@pytest.fixture
def scanner(qapp):
    """The listener on the whole application with a clock the test moves."""
    now = [1000.0]
    listener = ScannerListener(clock=lambda: now[0])
    qapp.installEventFilter(listener)
    yield listener, now
    qapp.removeEventFilter(listener)


def press(qtbot, widget, text: str, now: list[float], gap: float) -> None:
    for ch in text:
        now[0] += gap
        qtbot.keyClick(widget, ch)


def test_a_fast_burst_with_enter_is_a_scan_and_never_reaches_the_focused_field(qtbot, ui_ctx, scanner):
    listener, now = scanner
    window = shown_search(qtbot, ui_ctx)
    box, other = window.box, window.other
    other.setText("note")
    other.setFocus()
    with qtbot.waitSignal(listener.scanned) as scan:
        press(qtbot, other, "6200123456", now, 0.004)
        now[0] += 0.004
        qtbot.keyClick(other, Qt.Key.Key_Return)
    assert scan.args == ["6200123456"]
    qtbot.wait(60)  # longer than the scanner's window: nothing is replayed later either
    assert other.text() == "note"
    press(qtbot, box.edit, "3920", now, 0.004)  # in the search field keys pass straight through
    assert box.edit.text() == "3920"


def test_slow_typing_is_not_a_scan_and_reaches_the_field(qtbot, ui_ctx, scanner):
    listener, now = scanner
    window = shown_search(qtbot, ui_ctx)
    other = window.other
    other.setFocus()
    scans: list[str] = []
    listener.scanned.connect(scans.append)
    press(qtbot, other, "hello world", now, 0.12)
    qtbot.waitUntil(lambda: other.text() == "hello world", timeout=1000)
    press(qtbot, other, "abc", now, 0.004)  # fast, but too short and no Enter: typing after all
    now[0] += 0.004
    qtbot.keyClick(other, Qt.Key.Key_Return)
    assert other.text() == "hello worldabc" and scans == []


def test_enter_before_the_answer_opens_the_member_when_it_comes(qtbot, ui_ctx):
    """A scanner or a fast typist presses Enter before the lookup (on the reader thread) has answered."""
    window = shown_search(qtbot, ui_ctx)
    box = window.box
    member = own_member(ui_ctx)
    with qtbot.waitSignal(ui_ctx.member_requested, timeout=2000) as opened:
        qtbot.keyClicks(box.edit, member["phone"])
        assert box.searching  # the answer is not in yet
        qtbot.keyClick(box.edit, Qt.Key.Key_Return)
    assert opened.args == [member["id"]]
    assert box.edit.text() == ""


def test_an_answer_to_older_text_is_not_shown(qtbot, ui_ctx):
    window = shown_search(qtbot, ui_ctx)
    box = window.box
    member = own_member(ui_ctx)
    box.search_for(member["phone"][:3])  # half a phone number: refused, but its answer comes after the next ask
    box.search_for(member["phone"])
    lines = listed(qtbot, box)
    assert len(lines) == 1 and member["phone"] in lines[0] and not box.message.isVisible()


def test_the_hold_learns_a_fast_scanner_and_keeps_a_slow_ones_margin(qtbot, ui_ctx, scanner):
    """A lone key waits 35 ms until a scan was seen; then 3x the scanner's slowest gap, 15 ms at least."""
    listener, now = scanner
    window = shown_search(qtbot, ui_ctx)
    other = window.other
    other.setFocus()
    assert listener.max_gap == pytest.approx(0.035)
    with qtbot.waitSignal(listener.scanned):
        press(qtbot, other, "880001000005", now, 0.002)  # a USB scanner: a character every 2 ms
        now[0] += 0.002
        qtbot.keyClick(other, Qt.Key.Key_Return)
    assert listener.max_gap == pytest.approx(0.015)  # the floor: a tag key now waits 15 ms, not 35
    with qtbot.waitSignal(listener.scanned) as scan:
        press(qtbot, other, "880001000006", now, 0.010)  # a slower scanner's burst is still one scan
        now[0] += 0.010
        qtbot.keyClick(other, Qt.Key.Key_Return)
    assert scan.args == ["880001000006"] and listener.max_gap == pytest.approx(0.030)
    now[0] += 1
    press(qtbot, other, "7", now, 0.0)  # a lone key is replayed to the field once the hold has passed
    qtbot.waitUntil(lambda: other.text() == "7", timeout=1000)
