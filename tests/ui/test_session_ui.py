"""Signing in against the real embedded HQ, and the counter PC's lock: driven by keys and clicks."""

from __future__ import annotations

import pytest
from keyring.backends import null
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShortcutEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton, QWidget

from associate_app import settings
from associate_app.credentials import CredentialStore
from associate_app.demo.live_hq import DEMO_PASSWORD
from associate_app.domain.vocabulary import Role
from associate_app.settings import Options
from associate_app.ui.lock_screen import IdleWatcher, LockScreen
from associate_app.ui.sign_in_dialog import SignInDialog


@pytest.fixture
def dialog_for(qtbot):
    """Factory: a shown sign-in dialog; any session it opened is closed after the test."""
    made: list[SignInDialog] = []

    def make(options: Options, **kwargs) -> SignInDialog:
        dialog = SignInDialog(options, CredentialStore(backend=null.Keyring()), **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        made.append(dialog)
        return dialog

    yield make
    for dialog in made:
        if dialog.session is not None:
            dialog.session.close()


def sign_in_with(qtbot, dialog: SignInDialog, password: str) -> None:
    field = dialog.findChild(QLineEdit, "password")
    field.clear()
    qtbot.keyClicks(field, password)
    qtbot.mouseClick(dialog.findChild(QPushButton, "signInButton"), Qt.MouseButton.LeftButton)


def message(dialog: SignInDialog) -> QLabel:
    return dialog.findChild(QLabel, "signInMessage")


def test_first_run_sets_up_and_signs_in_against_hq(qtbot, dialog_for, demo_hq):
    dialog = dialog_for(Options())
    assert dialog.findChild(QLineEdit, "hqUrl").isVisible()  # first run: HQ's address is asked
    assert dialog.findChild(QLabel, "credentialsNotice").isVisible()  # no keyring here: the user is told
    qtbot.keyClicks(dialog.findChild(QLineEdit, "hqUrl"), demo_hq.url)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "storeCode"), "sh001")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "staffNo"), "a001")
    sign_in_with(qtbot, dialog, DEMO_PASSWORD)
    button = dialog.findChild(QPushButton, "signInButton")
    assert not button.isEnabled() and dialog.busy  # HQ is asked off the UI thread
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=15000)
    assert dialog.session.actor.staff_id == "A001" and dialog.session.actor.role == Role.ADVISOR
    assert dialog.session.staff_name == "李娜"
    assert dialog.session.store.get_state("store_name") == "上海浦东金桥店"  # the title and the scripts' {store}
    saved = settings.load(settings.settings_file()).options
    assert (saved.hq_url, saved.store_code, saved.staff_no) == (demo_hq.url, "SH001", "A001")


def test_a_wrong_password_says_so_and_saves_nothing(qtbot, dialog_for, demo_hq):
    dialog = dialog_for(demo_hq.options(Role.ADVISOR))
    assert not dialog.findChild(QLineEdit, "hqUrl").isVisible()  # set up already: behind "Change HQ address"
    sign_in_with(qtbot, dialog, "not-the-password")
    qtbot.waitUntil(lambda: message(dialog).isVisible(), timeout=15000)
    assert message(dialog).text() == "门店代码、工号或密码不正确。"
    password = dialog.findChild(QLineEdit, "password")
    assert password.text() == "" and dialog.focusWidget() is password  # ready to type again
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted and dialog.session is None
    assert dialog.findChild(QPushButton, "signInButton").isEnabled()
    assert not settings.settings_file().exists()


def test_a_bad_hq_address_is_refused_before_anything_is_sent(qtbot, dialog_for, demo_hq):
    dialog = dialog_for(demo_hq.options(Role.ADVISOR))
    qtbot.mouseClick(dialog.findChild(QWidget, "changeHq"), Qt.MouseButton.LeftButton)
    url = dialog.findChild(QLineEdit, "hqUrl")
    assert url.isVisible()
    url.clear()
    qtbot.keyClicks(url, "http://hq.example.com")  # plain http to another computer
    sign_in_with(qtbot, dialog, DEMO_PASSWORD)
    assert "总部地址无效" in message(dialog).text() and message(dialog).isVisible()
    assert not dialog.busy and dialog.focusWidget() is url and dialog.session is None
    assert not settings.settings_file().exists()


def test_hq_out_of_reach_is_told_plainly(qtbot, dialog_for):
    dialog = dialog_for(Options(hq_url="http://127.0.0.1:9", store_code="SH001", staff_no="A001"))
    dialog_options = dialog.options
    assert dialog_options.hq_url == "http://127.0.0.1:9"
    sign_in_with(qtbot, dialog, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: message(dialog).isVisible(), timeout=30000)
    assert "无法连接总部" in message(dialog).text()
    assert dialog.session is None and not settings.settings_file().exists()


# The lock --------------------------------------------------------------------------------------


@pytest.fixture
def locked_window(qtbot, ui_ctx):
    """A stand-in main window with member data, a shortcut and the lock screen over it."""
    from associate_app.session import UNLOCK_KEY, _scrypt

    salt = b"0123456789abcdef"
    with ui_ctx.store.write():  # what sign-in keeps for the quick unlock
        ui_ctx.store.set_state(UNLOCK_KEY, f"{salt.hex()}${_scrypt(DEMO_PASSWORD, salt).hex()}")
    window = QWidget()
    window.resize(900, 600)
    data = QLineEdit("朱丽 19912633920", window)
    data.setGeometry(20, 20, 300, 30)
    window.searches = []
    window.shortcut = QShortcut(QKeySequence("Ctrl+F"), window, lambda: window.searches.append(1))
    lock = LockScreen(ui_ctx, window)
    window.lock_screen = lock
    window.data = data
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    data.setFocus()
    return window


def press_shortcut(shortcut: QShortcut) -> None:
    """What Qt's shortcut map sends when the keys are pressed (offscreen windows never become active)."""
    QApplication.sendEvent(shortcut, QShortcutEvent(shortcut.key(), shortcut))


def test_idle_locks_and_only_the_right_password_unlocks(qtbot, qapp, locked_window):
    lock: LockScreen = locked_window.lock_screen
    watcher = IdleWatcher(50)
    qapp.installEventFilter(watcher)
    watcher.idle.connect(lock.lock)
    try:
        qtbot.waitUntil(lock.isVisible, timeout=3000)
    finally:
        qapp.removeEventFilter(watcher)
        watcher.set_timeout(0)
    assert lock.geometry() == locked_window.rect()  # covers everything underneath
    assert lock.findChild(QLabel, "lockWho").text() == "已登录：李娜 · 导购 A001"
    locked_window.grab().save("/tmp/lock_screen.png")
    unlocked = []
    lock.unlocked.connect(lambda: unlocked.append(True))
    field = lock.findChild(QLineEdit, "unlockPassword")
    assert locked_window.focusWidget() is field
    press_shortcut(locked_window.shortcut)
    qtbot.keyClicks(locked_window.data, "x")  # keys for the widgets underneath go nowhere
    assert locked_window.searches == [] and locked_window.data.text() == "朱丽 19912633920"
    qtbot.keyClicks(field, "wrong")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert lock.isVisible() and not unlocked and field.text() == ""
    assert "密码不正确" in lock.findChild(QLabel, "unlockMessage").text()
    qtbot.keyClicks(field, DEMO_PASSWORD)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not lock.isVisible() and unlocked == [True]
    press_shortcut(locked_window.shortcut)
    assert locked_window.searches == [1]  # shortcuts work again


def test_switch_user_is_offered_while_locked(qtbot, locked_window):
    lock: LockScreen = locked_window.lock_screen
    lock.lock()
    with qtbot.waitSignal(lock.switch_user_requested, timeout=1000):
        qtbot.mouseClick(lock.findChild(QPushButton, "switchUser"), Qt.MouseButton.LeftButton)


def test_idle_watcher_with_zero_never_fires(qtbot, qapp):
    watcher = IdleWatcher(0)
    fired = []
    watcher.idle.connect(lambda: fired.append(1))
    qtbot.wait(100)
    assert fired == [] and watcher.timeout_ms == 0
