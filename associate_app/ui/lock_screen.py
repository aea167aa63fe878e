"""The shared counter PC's lock: an opaque cover over the whole window, opened again by the same password.

The window locks after ``auto_lock_minutes`` without keyboard or mouse input (``IdleWatcher``) or on
demand. While locked nothing underneath can be seen or reached: the cover is opaque and fills the window,
keys meant for the widgets below and the window's shortcuts are swallowed, Tab stays on the cover. The
password is checked offline against the hash kept at sign-in (``Session.verify_password``); "Switch user"
lets the next person sign in instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from associate_app.ui import labels
from associate_app.ui.style import DANGER, PRIMARY

_INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
                    QEvent.Type.InputMethod, QEvent.Type.TabletPress})
_KEYS = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride,
                   QEvent.Type.InputMethod})

_STYLE = f"""
#lockScreen {{ background: #1e293b; }}
#lockCard {{ background: #ffffff; border-radius: 12px; }}
#lockTitle {{ font-size: 22px; font-weight: 600; color: #111827; }}
#lockWho {{ font-size: 16px; color: #374151; }}
#unlockMessage {{ color: {DANGER}; }}
#switchUser {{ border: none; background: transparent; color: {PRIMARY}; }}
"""


class IdleWatcher(QObject):
    """Install on the QApplication; emits ``idle`` after ``timeout_ms`` with no input (0 = never)."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_timeout(timeout_ms)

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    def set_timeout(self, timeout_ms: int) -> None:
        """A new idle time, counted from now (the settings dialog may change it)."""
        self._timer.setInterval(max(0, int(timeout_ms)))
        if timeout_ms > 0:
            self._timer.start()
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT and self._timer.interval() > 0:
            self._timer.start()
        return False


class LockScreen(QWidget):
    """A child of the main window; ``lock()`` covers it, the right password uncovers it."""

    unlocked = Signal()
    switch_user_requested = Signal()

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.locked = False
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.setStyleSheet(_STYLE)
        self._build()
        if parent is not None:
            parent.installEventFilter(self)
        self.hide()

    def _build(self) -> None:
        card = QFrame(objectName="lockCard")
        card.setFixedWidth(420)
        column = QVBoxLayout(card)
        column.setContentsMargins(32, 28, 32, 24)
        column.setSpacing(12)
        column.addWidget(QLabel(self.tr("Screen locked"), objectName="lockTitle"))
        actor = self.ctx.actor
        who = self.tr("Signed in: {0} · {1} {2}").format(self.ctx.session.staff_name, labels.term(actor.role),
                                                         actor.staff_id)
        column.addWidget(QLabel(who, objectName="lockWho"))
        hint = QLabel(self.tr("Enter your password to continue. Member data stays hidden while locked."))
        hint.setWordWrap(True)
        column.addWidget(hint)
        self.password = QLineEdit(objectName="unlockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.returnPressed.connect(self.try_unlock)
        column.addWidget(self.password)
        self.message = QLabel(objectName="unlockMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        column.addWidget(self.message)
        self.unlock_button = QPushButton(self.tr("Unlock"), objectName="unlockButton")
        self.unlock_button.setProperty("primary", True)
        self.unlock_button.clicked.connect(self.try_unlock)
        column.addWidget(self.unlock_button)
        switch = QPushButton(self.tr("Not you? Switch user"), objectName="switchUser")
        switch.clicked.connect(self.switch_user_requested)
        column.addWidget(switch, 0, Qt.AlignmentFlag.AlignHCenter)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    # Locking ------------------------------------------------------------------------------------

    def lock(self) -> None:
        """Cover the parent window entirely and take the keyboard."""
        if self.parentWidget() is not None:
            self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.activate()

    def activate(self) -> None:
        """Called once shown; a second call (idle again while locked) keeps what is being typed."""
        if not self.locked:
            self.locked = True
            self.password.clear()
            self.message.hide()
            QApplication.instance().installEventFilter(self)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def try_unlock(self) -> None:
        if self.ctx.session.verify_password(self.password.text()):
            self.locked = False
            QApplication.instance().removeEventFilter(self)
            self.password.clear()
            self.hide()
            self.unlocked.emit()
            return
        self.password.clear()
        self.message.setText(self.tr("Wrong password. The screen stays locked."))
        self.message.show()
        self.password.setFocus()

    # Keeping the window underneath out of reach -------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.parentWidget() and kind == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        if not self.locked or self._inside(watched):
            return False
        if kind == QEvent.Type.Shortcut:
            return True  # the window's shortcuts (search, lock, back…) do nothing while locked
        if kind in _KEYS and isinstance(watched, QWidget) and watched.window() is self.window():
            self.password.setFocus()
            return True
        return False

    def _inside(self, obj: QObject | None) -> bool:
        while obj is not None:
            if obj is self:
                return True
            obj = obj.parent()
        return False

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab cycles among the cover's own fields, never to the widgets underneath."""
        chain = [w for w in (self.password, self.unlock_button, self.findChild(QPushButton, "switchUser"))
                 if w.isEnabled()]
        current = QApplication.focusWidget()
        index = chain.index(current) if current in chain else -1
        chain[(index + (1 if next else -1)) % len(chain)].setFocus(Qt.FocusReason.TabFocusReason)
        return True
