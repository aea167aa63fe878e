"""Changes HQ did not take as made (被总部驳回): when, for whom, what it was, why, and what to do now.

Nothing a user entered may vanish silently: every change HQ rejected or merged is listed with HQ's reason
in plain words (``labels.rejection_text``) until the user dismisses it. One whose author simply had not
signed in on this computer can be sent again; the member can be opened to check or redo the change.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from associate_app.domain.vocabulary import MutationKind
from associate_app.sync import rejections
from associate_app.sync.leads import resolve_member
from associate_app.sync.rejections import Rejection
from associate_app.ui import labels
from associate_app.ui.refreshing import RefreshWhenShown
from associate_app.ui.style import MUTED

KINDS: dict[str, str] = {
    MutationKind.TAG_APPLY: QT_TRANSLATE_NOOP("RejectionsView", "Tag added"),
    MutationKind.TAG_REMOVE: QT_TRANSLATE_NOOP("RejectionsView", "Tag removed"),
    MutationKind.INTERACTION_LOG: QT_TRANSLATE_NOOP("RejectionsView", "Interaction"),
    MutationKind.TARGET_OUTCOME: QT_TRANSLATE_NOOP("RejectionsView", "Task outcome"),
    MutationKind.TASK_STATUS: QT_TRANSLATE_NOOP("RejectionsView", "Task status"),
    MutationKind.CORRECTION_PROPOSE: QT_TRANSLATE_NOOP("RejectionsView", "Data correction"),
    MutationKind.MEMBER_ENROL: QT_TRANSLATE_NOOP("RejectionsView", "Enrolment"),
}
ID_ROLE = Qt.ItemDataRole.UserRole



class RejectionsView(RefreshWhenShown, QWidget):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("rejectionsView")
        self._stale = True
        self._shown: list[Rejection] = []
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Rejected by HQ"), objectName="viewTitle")
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        layout.addWidget(title)
        intro = QLabel(self.tr("These changes were saved here but HQ did not accept them as made. "
                               "Read why, do what is suggested, then dismiss them."))
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {MUTED};")
        layout.addWidget(intro)
        self.show_dismissed = QCheckBox(self.tr("Show dismissed ones too"), objectName="showDismissed")
        self.show_dismissed.toggled.connect(self.refresh)
        layout.addWidget(self.show_dismissed)
        headers = [self.tr("When"), self.tr("Member"), self.tr("Change"), self.tr("What happened"),
                   self.tr("What to do")]
        self.table = QTableWidget(0, len(headers), objectName="rejectionList")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.activated.connect(lambda _index: self.open_member())
        layout.addWidget(self.table, 1)
        self.empty = QLabel(self.tr("Nothing was rejected by HQ."), objectName="rejectionsEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(f"color: {MUTED}; padding: 24px;")
        layout.addWidget(self.empty, 1)  # takes the table's room while the table is hidden
        buttons = QHBoxLayout()
        self.dismiss_button = QPushButton(self.tr("Dismiss"), objectName="dismissRejection")
        self.dismiss_button.clicked.connect(self.dismiss)
        self.resend_button = QPushButton(self.tr("Send again"), objectName="resendRejection")
        self.resend_button.setToolTip(self.tr("Only for changes whose author has now signed in on this computer"))
        self.resend_button.clicked.connect(self.resend)
        self.open_button = QPushButton(self.tr("Open member"), objectName="openRejectedMember")
        self.open_button.clicked.connect(self.open_member)
        for button in (self.dismiss_button, self.resend_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        ctx.changed.connect(self._changed)
        self.refresh()

    # Reading ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._stale = False
        self._shown = rejections.rejections(self.ctx.store, include_seen=self.show_dismissed.isChecked())
        self.table.setRowCount(len(self._shown))
        for r, item in enumerate(self._shown):
            happened, to_do = labels.rejection_text(item.reason)
            values = [labels.local_time(item.answered_at, "%m-%d %H:%M"), self._member_name(item), self._kind(item),
                      happened, to_do]
            for c, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setData(ID_ROLE, item.mutation_id)
                cell.setToolTip(text if c >= 3 else "")
                if item.seen:
                    cell.setForeground(QBrush(QColor(MUTED)))
                self.table.setItem(r, c, cell)
        self.table.resizeRowsToContents()
        self.empty.setVisible(not self._shown)
        self.table.setVisible(bool(self._shown))
        if self._shown:
            self.table.selectRow(0)
        self._update_buttons()

    def _member_id(self, item: Rejection) -> int | None:
        if item.member_id is not None:
            return item.member_id
        return resolve_member(self.ctx.store.conn, item.payload.get("member"))

    def _member_name(self, item: Rejection) -> str:
        member_id = self._member_id(item)
        name = self.ctx.store.scalar("SELECT name FROM members WHERE id = ?", (member_id,)) if member_id else None
        return name or item.payload.get("name") or self.tr("(not on this computer)")

    def _kind(self, item: Rejection) -> str:
        """The kind of change, with the tag or task it was about when that is still known here."""
        source = KINDS.get(item.kind)
        kind = QCoreApplication.translate("RejectionsView", source) if source else item.kind
        detail = None
        if "tag_id" in item.payload:
            detail = self.ctx.store.scalar("SELECT name FROM tags WHERE id = ?", (item.payload["tag_id"],))
        elif "task_id" in item.payload:
            detail = self.ctx.store.scalar("SELECT title FROM tasks WHERE id = ?", (item.payload["task_id"],))
            if item.payload.get("outcome"):
                detail = f"{detail or ''} · {labels.term(item.payload['outcome'])}".strip(" ·")
        return self.tr("{0}: {1}").format(kind, detail) if detail else kind

    def selected(self) -> Rejection | None:
        row = self.table.currentRow()
        return self._shown[row] if 0 <= row < len(self._shown) and self.table.selectedItems() else None

    def _update_buttons(self) -> None:
        item = self.selected()
        self.dismiss_button.setEnabled(item is not None and not item.seen)
        self.resend_button.setEnabled(item is not None and item.can_resend)
        self.resend_button.setVisible(any(r.can_resend for r in self._shown))
        self.open_button.setEnabled(item is not None and self._member_id(item) is not None)


    # Acting -------------------------------------------------------------------------------------

    def dismiss(self) -> None:
        item = self.selected()
        if item is not None:
            mutation_id = item.mutation_id
            self.ctx.write(lambda store, _actor: rejections.dismiss(store, mutation_id), None,
                           what="rejections", member_id=self._member_id(item))

    def resend(self) -> None:
        item = self.selected()
        if item is not None and item.can_resend:
            mutation_id = item.mutation_id
            self.ctx.write(lambda store, _actor: rejections.resend(store, mutation_id), self._resent,
                           what="rejections", member_id=self._member_id(item))

    def _resent(self, _new_id: str) -> None:
        self.ctx.message.emit(self.tr("Queued to send again."))

    def open_member(self) -> None:
        item = self.selected()
        member_id = self._member_id(item) if item is not None else None
        if member_id is not None:
            self.ctx.open_member(member_id)
