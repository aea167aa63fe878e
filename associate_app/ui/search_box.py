"""The one member search of the console: phone, last 4 digits, card, member code, name or pinyin.

Why it works this way: ``lookup`` answers in well under a millisecond, so it runs as the user types (a
short debounce only folds a burst of keys, a paste or a scan, into one lookup). It runs on the runner's
reader thread all the same: during a first download the indexes are built only at its end and a lookup
can take a tenth of a second; the window must keep painting meanwhile. An answer for text that has
changed since is dropped; Enter pressed before the answer came is carried out when it comes. The
results list is an overlay on the window rather than a popup window: a popup would take the keyboard,
and the user must keep typing while the list updates. The edit keeps the focus and steers the list
(Up/Down, Enter, Esc). Nothing found, or an invalid / expired member code, is said in the list in the
user's language; the core's English particulars are never shown.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from associate_app.domain.vocabulary import MemberStatus
from associate_app.errors import AssociateError
from associate_app.lookup.search import LookupResult, MemberHit, lookup
from associate_app.ui import labels
from associate_app.ui.style import MUTED, PRIMARY

LIMIT = 20
VISIBLE_ROWS = 8
ID_ROLE = Qt.ItemDataRole.UserRole


class SearchBox(QWidget):
    """The search field and its results list; ``member_chosen`` after ``ctx.open_member``."""

    member_chosen = Signal(int)
    answered = Signal()  # an answer (hits, "nothing found" or a refusal) is on screen
    DEBOUNCE_MS = 10

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("searchBox")
        self.hits: tuple[MemberHit, ...] = ()
        self._asked = 0  # lookups asked for; an answer to an older one is stale
        self._answered = 0
        self._then: str | None = None  # "enter" or "open_single", once the answer is in
        self.edit = QLineEdit(objectName="memberSearch")
        self.edit.setPlaceholderText(
            self.tr("Phone, last 4 digits, card, member code, name or pinyin (Ctrl+F)"))
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)
        self.edit.textEdited.connect(self._typed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

        self.popup = QFrame(objectName="searchPopup")
        self.popup.setFrameShape(QFrame.Shape.StyledPanel)
        self.message = QLabel(objectName="searchMessage")
        self.message.setWordWrap(True)
        self.results = QListWidget(objectName="searchResults")
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.itemClicked.connect(lambda item: self._open(item.data(ID_ROLE)))
        column = QVBoxLayout(self.popup)
        column.setContentsMargins(1, 1, 1, 1)
        column.setSpacing(0)
        column.addWidget(self.message)
        column.addWidget(self.results)
        self.popup.setStyleSheet(
            f"#searchPopup {{ background: #ffffff; border: 1px solid {PRIMARY}; border-radius: 4px; }}"
            "#searchResults { border: none; } #searchResults::item { padding: 6px 8px; }"
            f"#searchMessage {{ color: {MUTED}; padding: 8px; }}")
        self.popup.hide()
        self._timer = QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS)
        self._timer.timeout.connect(self._search)

    # Public -------------------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Ctrl+F from anywhere: focus the field with its text selected, so typing replaces it."""
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()
        if self.edit.text().strip():
            self._show_popup()

    def search_for(self, text: str, *, open_single: bool = False) -> None:
        """Look ``text`` up now (a scan, a paste); ``open_single`` opens a sole exact hit at once."""
        self.edit.setText(text)
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._search()
        self._then = "open_single" if open_single else None

    @property
    def searching(self) -> bool:
        """A lookup is on its way (typed, or asked and not answered yet)."""
        return self._timer.isActive() or self._answered < self._asked

    # Searching ----------------------------------------------------------------------------------

    def _typed(self, _text: str) -> None:
        self._timer.start()

    def _search(self) -> None:
        self._timer.stop()
        text = self.edit.text()
        self._asked += 1
        asked, actor = self._asked, self.ctx.actor
        if not text.strip():
            self._answered = asked
            self.results.clear()
            self.hits = ()
            self.popup.hide()
            return

        def find(store):
            return None if asked != self._asked else lookup(store, actor, text, limit=LIMIT)

        self.ctx.runner.read(find, lambda result: self._show(asked, text, result),
                             lambda error: self._failed(asked, error))

    def _failed(self, asked: int, error: BaseException) -> None:
        if asked != self._asked:
            return
        self._answered = asked
        if not isinstance(error, AssociateError):
            raise error  # a bug: the runner's callback guard reports it
        self.results.clear()
        self.hits = ()
        self._say(self._refusal(error))
        self.answered.emit()

    def _show(self, asked: int, text: str, result: LookupResult | None) -> None:
        if asked != self._asked or result is None:
            return
        self._answered = asked
        self.results.clear()
        self.hits = result.hits
        for hit in result.hits:
            item = QListWidgetItem(self._describe(hit))
            item.setData(ID_ROLE, hit.member_id)
            self.results.addItem(item)
        self._say(self._note(result, text.strip()))
        self.answered.emit()
        then, self._then = self._then, None
        if then == "enter":
            self._enter()
        elif then == "open_single" and len(self.hits) == 1 and self.hits[0].match == "exact":
            self._open(self.hits[0].member_id)

    def _describe(self, hit: MemberHit) -> str:
        parts = [hit.name, hit.phone or "", labels.term(hit.level)]
        if hit.card_no:
            parts.append(self.tr("Card {0}").format(hit.card_no))
        if hit.is_lead:
            parts.append(labels.term(MemberStatus.QUASI))
        if hit.is_own:
            parts.append(self.tr("★ My member"))
        return "   ".join(p for p in parts if p)

    def _note(self, result: LookupResult, text: str) -> str:
        """What to say above the hits: that more matched than are shown, or why nothing was found."""
        if result.hits:
            return self.tr("More than {0} members match: type more to narrow the list.").format(LIMIT) \
                if result.message else ""
        if result.query_kind == "phone":
            return self.tr("No member has the phone number {0}.").format(text)
        if result.query_kind == "phone_last4":
            return self.tr("No member's phone number ends in {0}.").format(text)
        if result.query_kind == "pinyin" and len(text) < 2:
            return self.tr("Type at least two letters of the pinyin.")
        return self.tr("No member found for “{0}”.").format(text)

    def _refusal(self, error: AssociateError) -> str:
        if error.code == "invalid_input":  # half a phone number, a stray symbol: say what can be typed
            return self.tr("Type an 11-digit phone number, its last 4 digits, a card number, a name or its "
                           "pinyin, or scan the member code.")
        return labels.error_message(error)

    def _say(self, note: str) -> None:
        self.message.setText(note)
        self.message.setVisible(bool(note))
        self.results.setVisible(bool(self.hits))
        self._show_popup()

    # The list -----------------------------------------------------------------------------------

    def _show_popup(self) -> None:
        """Place the list under the field, on top of the window's contents, without taking the focus."""
        host = self.window()
        if self.popup.parentWidget() is not host:
            self.popup.setParent(host)
        rows = min(self.results.count(), VISIBLE_ROWS)
        row_height = self.results.sizeHintForRow(0) if rows else 0
        height = rows * row_height + (2 * self.results.frameWidth() + 2 if rows else 0)
        width = max(self.width(), 520)
        if self.message.isVisibleTo(self.popup):
            height += self.message.heightForWidth(width) if self.message.hasHeightForWidth() else 36
        origin = self.mapTo(host, QPoint(0, self.height())) if host is not self else QPoint(0, self.height())
        self.popup.setGeometry(origin.x(), origin.y() + 2, width, height + 4)
        self.popup.show()
        self.popup.raise_()

    def _move(self, step: int) -> None:
        if not self.popup.isVisible() or not self.results.count():
            return
        row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
        self.results.setCurrentRow(row)

    def _enter(self) -> None:
        """Open the selected hit, else the sole hit or the sole exact one; otherwise select the first."""
        if self.searching:
            if self._timer.isActive():
                self._search()
            self._then = "enter"  # carried out when the answer comes
            return
        if not self.hits:
            return
        item = self.results.currentItem()
        if item is not None and item.isSelected():
            self._open(item.data(ID_ROLE))
            return
        exact = [h for h in self.hits if h.match == "exact"]
        if len(self.hits) == 1 or len(exact) == 1:
            self._open((exact or self.hits)[0].member_id)
        else:
            self.results.setCurrentRow(0)

    def _open(self, member_id: int | None) -> None:
        if member_id is None:
            return
        self.edit.clear()
        self.results.clear()
        self.hits = ()
        self.popup.hide()
        self.ctx.open_member(int(member_id))
        self.member_chosen.emit(int(member_id))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit:
            if event.type() == QEvent.Type.KeyPress and self._key(event):
                return True
            if event.type() == QEvent.Type.FocusOut and event.reason() != Qt.FocusReason.PopupFocusReason:
                self.popup.hide()
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Down:
            self._move(1)
        elif key == Qt.Key.Key_Up:
            self._move(-1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._enter()
        elif key == Qt.Key.Key_Escape and self.popup.isVisible():
            self.popup.hide()
        else:
            return False
        return True
