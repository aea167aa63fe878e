"""The console's window: a search box reachable from anywhere, the views of the person's role, sync status.

Views are built the first time they are shown (start-up pays only for the first one) and refresh
themselves on ``ctx.changed``. A member opened from anywhere (search, scan, a list, a task) shows in the
profile page; Back returns to where the user was.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from associate_app.domain.vocabulary import Role
from associate_app.ui import labels
from associate_app.ui.context import AppContext
from associate_app.ui.lock_screen import IdleWatcher, LockScreen
from associate_app.ui.scanner import ScannerListener
from associate_app.ui.search_box import SearchBox
from associate_app.ui.style import STYLE
from associate_app.ui.sync_status import SyncStatusWidget

ViewFactory = Callable[[AppContext], QWidget]
COMPACT_SIZE = QSize(600, 720)  # checkout mode beside the till software


def _members(ctx: AppContext) -> QWidget:
    from associate_app.ui.members_view import MembersView
    return MembersView(ctx)


def _tasks(ctx: AppContext) -> QWidget:
    from associate_app.ui.tasks_view import TasksView
    return TasksView(ctx)


def _follow_ups(ctx: AppContext) -> QWidget:
    from associate_app.ui.follow_ups_view import FollowUpsView
    return FollowUpsView(ctx)


def _rejections(ctx: AppContext) -> QWidget:
    from associate_app.ui.rejections_view import RejectionsView
    return RejectionsView(ctx)


def _checkout(ctx: AppContext) -> QWidget:
    from associate_app.ui.checkout_view import CheckoutView
    return CheckoutView(ctx)


def _dashboard(ctx: AppContext) -> QWidget:
    from associate_app.ui.dashboard_view import DashboardView
    return DashboardView(ctx)


def _profile(ctx: AppContext) -> QWidget:
    from associate_app.ui.profile_view import ProfileView
    return ProfileView(ctx)


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    switch_user_requested = Signal()
    demo_account_requested = Signal(str)
    quit_requested = Signal()

    def __init__(self, ctx: AppContext, *, demo: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        ctx.set_window(self)
        self.setObjectName("mainWindow")
        self.setStyleSheet(STYLE)
        self.setWindowTitle(self.tr("Store Associate Console"))
        self.resize(1366, 768)
        self.views: dict[str, QWidget] = {}
        self._factories: dict[str, ViewFactory] = {}
        self._history: list[str] = []
        self._build(demo)
        self._lock = LockScreen(ctx, self)
        self._lock.hide()
        self._lock.switch_user_requested.connect(self.switch_user_requested)
        self._idle = IdleWatcher(ctx.session.options.auto_lock_minutes * 60_000, self)
        self._idle.idle.connect(self.lock)
        self._scanner = ScannerListener(self)
        self._scanner.scanned.connect(self._scanned)
        QApplication.instance().installEventFilter(self._scanner)
        QApplication.instance().installEventFilter(self._idle)
        ctx.member_requested.connect(self.show_member)
        ctx.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.show_view(self._first_view())

    # Layout -------------------------------------------------------------------------------------

    def _build(self, demo: bool) -> None:
        top = QWidget(objectName="topBar")
        bar = QHBoxLayout(top)
        bar.setContentsMargins(12, 6, 12, 6)
        store_name = self.ctx.store.get_state("store_name") or self.ctx.actor.store_code
        title = QLabel(self.tr("Store Associate Console · {0}").format(store_name), objectName="appTitle")
        bar.addWidget(title)
        self.search = SearchBox(self.ctx)
        self.search.setMinimumWidth(460)
        bar.addWidget(self.search, 1)
        bar.addWidget(self._user_button(demo))

        self.nav = QListWidget(objectName="navigation")
        self.nav.setFixedWidth(168)
        self.nav.setIconSize(QSize(18, 18))
        self.nav.currentItemChanged.connect(self._navigated)
        for name, text, factory in self._views_for(self.ctx.actor.role):
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.nav.addItem(item)
            self._factories[name] = factory
        self._factories["profile"] = _profile

        self.stack = QStackedWidget(objectName="viewStack")
        self._back = QPushButton(self.tr("← Back"), objectName="backButton")
        self._back.clicked.connect(self.back)
        self._back.hide()
        body = QWidget()
        middle = QVBoxLayout(body)
        middle.setContentsMargins(12, 8, 12, 4)
        middle.addWidget(self._back, 0, Qt.AlignmentFlag.AlignLeft)
        middle.addWidget(self.stack, 1)
        centre = QWidget()
        row = QHBoxLayout(centre)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(body, 1)
        outer = QWidget()
        column = QVBoxLayout(outer)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(top)
        column.addWidget(centre, 1)
        self.setCentralWidget(outer)
        self.sync_status = SyncStatusWidget(self.ctx)
        self.sync_status.rejections_requested.connect(lambda: self.show_view("rejections"))
        self.sync_status.sign_in_required.connect(self._sign_in_again)
        self.statusBar().addPermanentWidget(self.sync_status, 1)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.focus_search)
        QShortcut(QKeySequence("Ctrl+L"), self, self.lock)
        QShortcut(QKeySequence("Alt+Left"), self, self.back)

    def _views_for(self, role: Role) -> list[tuple[str, str, ViewFactory]]:
        views: list[tuple[str, str, ViewFactory]] = []
        if role == Role.MANAGER:
            views.append(("dashboard", self.tr("Store dashboard"), _dashboard))  # the manager's first view
        checkout = ("checkout", self.tr("Checkout"), _checkout)
        if role == Role.CASHIER:
            views.append(checkout)  # the till opens straight into checkout mode
        if role != Role.CASHIER:
            views += [("members", self.tr("My members"), _members), ("tasks", self.tr("My tasks"), _tasks),
                      ("follow_ups", self.tr("Follow-ups"), _follow_ups)]
        if role != Role.CASHIER:
            views.append(checkout)  # anyone may stand in at the till
        views.append(("rejections", self.tr("Rejected by HQ"), _rejections))
        return views

    def _navigated(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_view(item.data(Qt.ItemDataRole.UserRole))

    def _first_view(self) -> str:
        return self.nav.item(0).data(Qt.ItemDataRole.UserRole)

    def _user_button(self, demo: bool) -> QToolButton:
        button = QToolButton(objectName="userMenu")
        button.setText(f"{self.ctx.session.staff_name} · {labels.term(self.ctx.actor.role)}")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        for text, slot, shortcut in ((self.tr("Sync now"), self.ctx.sync_now, None),
                                     (self.tr("Settings…"), self._settings, None),
                                     (self.tr("Lock"), self.lock, "Ctrl+L"),
                                     (self.tr("Switch user"), self.switch_user_requested.emit, None),
                                     (self.tr("Sign out"), self.sign_out_requested.emit, None),
                                     (self.tr("Quit"), self.quit_requested.emit, None)):
            action = QAction(text, menu)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            menu.addAction(action)
        if demo:
            menu.addSeparator()
            for role in (Role.ADVISOR, Role.CASHIER, Role.MANAGER):
                action = QAction(self.tr("Demo: sign in as {0}").format(labels.term(role)), menu)
                action.setEnabled(role != self.ctx.actor.role)
                action.triggered.connect(lambda _=False, r=role: self.demo_account_requested.emit(str(r)))
                menu.addAction(action)
        button.setMenu(menu)
        return button

    # Navigation ---------------------------------------------------------------------------------

    def view(self, name: str) -> QWidget:
        """The named view, built on first use."""
        if name not in self.views:
            widget = self._factories[name](self.ctx)
            self.views[name] = widget
            self.stack.addWidget(widget)
        return self.views[name]

    def show_view(self, name: str, *, remember: bool = True) -> QWidget:
        widget = self.view(name)
        current = self.current_view_name()
        if remember and current and current != name:
            self._history.append(current)
        self.stack.setCurrentWidget(widget)
        self._back.setVisible(name == "profile" and bool(self._history))
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name and self.nav.currentRow() != row:
                self.nav.blockSignals(True)
                self.nav.setCurrentRow(row)
                self.nav.blockSignals(False)
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()
        return widget

    def current_view_name(self) -> str | None:
        current = self.stack.currentWidget()
        return next((name for name, widget in self.views.items() if widget is current), None)

    def show_member(self, member_id: int) -> None:
        profile = self.view("profile")
        profile.show_member(member_id)
        self.show_view("profile")

    def back(self) -> None:
        if self._history:
            self.show_view(self._history.pop(), remember=False)

    def _scanned(self, text: str) -> None:
        """A scan goes to the current view if it takes scans (checkout), else to the member search."""
        if self._lock.isVisible():
            return
        take = getattr(self.stack.currentWidget(), "take_scan", None)
        if callable(take):
            take(text)
        else:
            self.search.search_for(text)

    def set_compact(self, compact: bool) -> None:
        """Beside the till: only the current view, small and above other windows; or back to normal."""
        if compact == self.is_compact:
            return
        if compact:
            self._normal_geometry = self.saveGeometry()
        for widget in (self.findChild(QWidget, "topBar"), self.nav):
            widget.setVisible(not compact)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, compact)
        self.show()  # changing a window's flags hides it
        if compact:
            for layout in (self.centralWidget().layout(), self.layout()):
                layout.activate()  # the hidden bars no longer count towards the minimum size
            self.resize(COMPACT_SIZE)
        else:
            self.restoreGeometry(self._normal_geometry)

    @property
    def is_compact(self) -> bool:
        return bool(self.windowFlags() & Qt.WindowType.WindowStaysOnTopHint)

    # Session actions ----------------------------------------------------------------------------

    def lock(self) -> None:
        self._lock.setGeometry(self.rect())
        self._lock.show()
        self._lock.raise_()
        self._lock.activate()

    def _sign_in_again(self) -> None:
        self.statusBar().showMessage(labels.sync_outcome("auth_required"), 10000)

    def _settings(self) -> None:
        from associate_app.ui.settings_dialog import SettingsDialog

        SettingsDialog(self.ctx.session.options, self).open()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._lock.isVisible():
            self._lock.setGeometry(self.rect())

    def closeEvent(self, event: QCloseEvent) -> None:
        QApplication.instance().removeEventFilter(self._scanner)
        QApplication.instance().removeEventFilter(self._idle)
        self.quit_requested.emit()
        super().closeEvent(event)
