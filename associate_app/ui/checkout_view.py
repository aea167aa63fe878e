"""Checkout mode (收银台): identify the customer at the till and pick HQ's quick tags with a scan and a key.

Why it works by keyboard alone: the cashier has a queue. Scan (or type a phone number, its last 4 digits or
a card) and Enter shows the member; one key (1–9, then F1–F12) toggles a tag, saved at once in the local
database and queued for HQ by the core. Several matches are a numbered list picked with a digit; an unknown
mobile number offers a quasi-member in one Enter; Ctrl+Z undoes the cashier's last change; Esc, or
``checkout_reset_seconds`` without input, clears the screen for the next customer.

While a member or a list is shown and the field is empty, digits are keys, not text: the next customer is
scanned (the window's scanner listener tells a scan's burst from a key and hands it to ``take_scan``) or
typed after Esc. A lookup runs on the runner's reader thread (a few milliseconds on 200,000 members,
but a cashier PC's first download builds its indexes only at the end, and the till must not freeze
meanwhile); keys pressed before its answer wait and are carried out after it, in order, so "Enter, 3"
typed at once still tags the member found. Every write goes through ``ctx.write`` on the writer thread.
Refusals are said in the banner, never in a dialog that would take the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from associate_app.domain.checkout import CheckoutMember, checkout_member, confirmed_id
from associate_app.domain.enrolment import enrol_lead
from associate_app.domain.privacy import mask_phone
from associate_app.domain.tags import TagChange, toggle_tag, undo_last_tag_change
from associate_app.errors import AlreadyMember, AssociateError, UnknownMember
from associate_app.lookup.search import LookupResult, classify, lookup
from associate_app.ui import labels
from associate_app.ui.checkout_parts import PICK_KEYS, STYLE, Banner, ChoiceList, MemberCard
from associate_app.ui.context import AppContext

IDLE, CHOICES, MEMBER, ENROL = "idle", "choices", "member", "enrol"
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class CheckoutView(QWidget):
    """The till's screen; ``take_scan(text)`` for a scan, ``clear()`` for the next customer."""

    saved = Signal(object)  # a TagChange, once the database holds it (tests and the benchmark wait on it)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("checkoutView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.state = IDLE
        self.member: CheckoutMember | None = None
        self._phone = ""  # the number an enrolment offer is for
        self._asked = self._answered = 0  # lookups asked for and answered; an older answer is dropped
        self._waiting_keys: list[QKeyEvent] = []  # pressed while a lookup was on its way
        self._build()
        self._idle = QTimer(self, singleShot=True)
        self._idle.timeout.connect(self.clear)
        self.set_reset_seconds(ctx.session.options.checkout_reset_seconds)
        ctx.changed.connect(self._on_changed)
        self.clear()

    def _build(self) -> None:
        self.input = QLineEdit(self, objectName="checkoutInput")
        self.input.setPlaceholderText(self.tr("Scan the member code or card, or type a phone number or its last 4 "
                                              "digits, then Enter"))
        self.input.installEventFilter(self)
        self.on_top = QPushButton(self.tr("Always on top"), self, objectName="alwaysOnTop")
        self.on_top.setCheckable(True)
        self.on_top.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.on_top.setToolTip(self.tr("A small window above the till software"))
        self.on_top.toggled.connect(self.set_on_top)
        top = QHBoxLayout()
        top.addWidget(self.input, 1)
        top.addWidget(self.on_top)
        self.banner = Banner(self)
        self.hint = QLabel(self, objectName="checkoutHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.choices = ChoiceList(self)
        self.choices.itemClicked.connect(lambda item: self.show_member(item.data(Qt.ItemDataRole.UserRole)))
        self.card = MemberCard(self)
        self.card.tags.toggled.connect(self.press_tag)
        self.prompt = QLabel(self, objectName="checkoutPrompt")
        self.prompt.setWordWrap(True)
        self.enrol_button = QPushButton(self.tr("Enrol as quasi-member (Enter)"), self, objectName="enrolLead")
        self.enrol_button.setProperty("primary", True)
        self.enrol_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.enrol_button.clicked.connect(self.enrol)
        offer = QWidget(self)
        column = QVBoxLayout(offer)
        column.addWidget(self.prompt)
        column.addWidget(self.enrol_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        self.pages = QStackedWidget(self)
        for page in (self.hint, self.choices, self.card, offer):
            self.pages.addWidget(page)
        self.keys_help = QLabel(self, objectName="checkoutKeys")
        self.keys_help.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.keys_help)

    # Public -------------------------------------------------------------------------------------

    def take_scan(self, text: str) -> None:
        """A scanner's burst (routed here by the window): look it up whatever is on screen."""
        self.input.setText(text)
        self.look_up()

    @property
    def looking_up(self) -> bool:
        """A lookup has been asked and not answered yet (tests and the benchmark wait on it)."""
        return self._answered < self._asked

    def look_up(self) -> None:
        """Enter: the member, a numbered list, an enrolment offer, or why nothing can be shown."""
        text = self.input.text().strip()
        if not text:
            return
        self._touch()
        try:
            query = classify(text)
        except AssociateError as error:
            self._refuse_lookup(error)
            return
        self._asked += 1
        asked, actor = self._asked, self.ctx.actor

        def find(store) -> tuple[LookupResult, tuple, CheckoutMember | None] | None:
            if asked != self._asked:
                return None  # Esc or another lookup since: not worth the query
            result = lookup(store, actor, text, limit=len(PICK_KEYS))
            hits = result.hits
            if query.kind == "phone":
                hits = tuple(h for h in hits if h.match == "exact")  # same mask, another number: not this one
            exact = [h for h in hits if h.match == "exact"]
            one = (exact or list(hits))[0].member_id if len(hits) == 1 or len(exact) == 1 else None
            return result, hits, None if one is None else checkout_member(store, actor, one)

        self.ctx.runner.read(find, lambda found: self._found(asked, query, text, found),
                             lambda error: self._lookup_failed(asked, error))

    def _found(self, asked: int, query, text: str,
               found: tuple[LookupResult, tuple, CheckoutMember | None] | None) -> None:
        if asked != self._asked or found is None:
            return
        self._answered = asked
        result, hits, member = found
        if query.kind == "phone" and not hits:
            self._offer_enrolment(query.value)
        elif member is not None:
            self.input.clear()
            self._show(member)
        elif hits:
            self.input.clear()
            self._show_choices(result, hits)
        else:
            self.input.clear()
            self._show_page(IDLE)
            self.banner.flash(self._nobody(result, text), "error")
        self._replay_keys()

    def _lookup_failed(self, asked: int, error: BaseException) -> None:
        if asked != self._asked:
            return
        self._answered = asked
        if not isinstance(error, AssociateError):
            self._waiting_keys.clear()
            self.ctx.unexpected(error)
            return
        self._refuse_lookup(error)
        self._replay_keys()

    def _refuse_lookup(self, error: AssociateError) -> None:
        self._show_page(IDLE)
        self.input.selectAll()  # the cashier types over it or presses Esc; nothing was changed
        self.banner.flash(self._refusal(error), "error")

    def _replay_keys(self) -> None:
        keys, self._waiting_keys = self._waiting_keys, []
        for key in keys:  # through the field's filter, as if pressed now: a tag key, a pick, or text
            QApplication.sendEvent(self.input, key)

    def show_member(self, member_id: int, *, note: str | None = None) -> None:
        """A member picked from the list or just enrolled (one read by primary key)."""
        try:
            member = checkout_member(self.ctx.store, self.ctx.actor, int(member_id))
        except UnknownMember:
            self.clear()
            self.banner.flash(self.tr("This member is not in this store's data (yet): sync, or look them up by "
                                      "phone."), "error")
            return
        self._show(member, note=note)

    def _show(self, member: CheckoutMember, *, note: str | None = None) -> None:
        self.member = member
        self.card.show_member(member)
        self._show_page(MEMBER)
        self.banner.flash(note or self.tr("{0}: press a tag's key").format(member.name or self.tr("Member")),
                          "added" if note else "info")

    def press_tag(self, tag_id: int) -> None:
        """One key, one change: applied, or removed when the member has it (a sibling makes way)."""
        if self.member is None:
            return
        member_id, names = self.member.id, self._tag_names()
        self._touch()
        self.ctx.write(lambda store, actor: toggle_tag(store, actor, member_id, tag_id),
                       lambda change: self._tag_saved(change, names, undone=False),
                       what="tags", member_id=member_id, on_failure=self._refused)

    def undo(self) -> None:
        if self.member is None:
            return
        member_id, names = self.member.id, self._tag_names()
        self._touch()
        self.ctx.write(lambda store, actor: undo_last_tag_change(store, actor, member_id),
                       lambda change: self._tag_saved(change, names, undone=True),
                       what="tags", member_id=member_id, on_failure=self._refused)

    def enrol(self) -> None:
        """The offered number becomes a quasi-member, findable and taggable at once (HQ confirms later)."""
        if self.state != ENROL or not self._phone:
            return
        phone = self._phone
        self._touch()
        self.ctx.write(lambda store, actor: enrol_lead(store, actor, phone),
                       lambda enrolled: self.show_member(enrolled.member_id,
                                                         note=self.tr("Enrolled as quasi-member")),
                       what="member", on_failure=self._enrol_refused)

    def clear(self) -> None:
        """Ready for the next customer: nothing shown, the field empty and focused."""
        self._idle.stop()
        self._asked += 1  # an answer still on its way is for the customer who left: dropped
        self._answered = self._asked
        self._waiting_keys.clear()
        self.member, self._phone = None, ""
        self.input.clear()
        self._show_page(IDLE)
        self.banner.flash(self.tr("Next customer"), "info")
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_reset_seconds(self, seconds: int) -> None:
        """Clear after this many seconds without input (0: never)."""
        self._idle.setInterval(max(0, int(seconds)) * 1000)

    def set_on_top(self, on: bool) -> None:
        """The window stays above the till software, compact (the main window hides its other parts)."""
        window = self.window()
        compact = getattr(window, "set_compact", None)
        if callable(compact):
            compact(on)
        elif window is not self or on != bool(window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint):
            window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on)
            window.show()  # changing a window's flags hides it
        if self.on_top.isChecked() != on:
            self.on_top.setChecked(on)
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self) -> None:
        """Shown again (the window calls this): redraw the member from the database."""
        if self.member is not None:
            self._redraw()
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)

    # Keys ---------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.input and event.type() == QEvent.Type.KeyPress:
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        self._touch()
        key = Qt.Key(event.key())
        empty = not self.input.text()
        if key == Qt.Key.Key_Escape:
            self.clear()
        elif self.looking_up:  # its answer decides what this key means: keep it until then
            self._waiting_keys.append(QKeyEvent(event.type(), event.key(), event.modifiers(), event.text(),
                                                event.isAutoRepeat(), event.count()))
        elif event.matches(QKeySequence.StandardKey.Undo) and self.state == MEMBER:
            self.undo()
        elif key in _ENTER:
            if not empty:
                self.look_up()
            elif self.state == ENROL:
                self.enrol()
        elif self.state == MEMBER and key in self.card.keys and (empty or not event.text()):
            self.press_tag(self.card.keys[key])
        elif self.state == CHOICES and empty and key in PICK_KEYS and PICK_KEYS[key] < len(self.choices.hits):
            self.show_member(self.choices.hits[PICK_KEYS[key]].member_id)
        else:
            return False
        return True

    # Private ------------------------------------------------------------------------------------

    def _show_page(self, state: str) -> None:
        self.state = state
        self.pages.setCurrentIndex((IDLE, CHOICES, MEMBER, ENROL).index(state))
        if state == IDLE:
            self.member = None
            self.hint.setText(self.tr("Scan the member code or card, or type a phone number or its last 4 digits."))
        self.keys_help.setText({
            IDLE: self.tr("Enter: look up · Esc: clear"),
            CHOICES: self.tr("Press the member's number · Esc: clear"),
            MEMBER: self.tr("1–9, F1–F12: add or remove a tag · Ctrl+Z: undo · Esc: next customer (then type, "
                            "or just scan)"),
            ENROL: self.tr("Enter: enrol · Esc: cancel"),
        }[state])

    def _show_choices(self, result: LookupResult, hits: tuple) -> None:
        self.choices.set_hits(hits)
        self._show_page(CHOICES)
        more = len(hits) >= len(PICK_KEYS) and result.message is not None
        self.banner.flash(self.tr("More members match: pick one, or type the full number or scan the code.") if more
                          else self.tr("{0} members match: press the member's number.").format(len(self.choices.hits)),
                          "info")

    def _offer_enrolment(self, phone: str) -> None:
        self._phone = phone
        self.input.clear()
        shown = mask_phone(phone)  # what the cashier typed, shown as they may see any number
        self.prompt.setText(self.tr("No member has the number {0}. Enrol this customer as a quasi-member with "
                                    "just the number?").format(shown))
        self._show_page(ENROL)
        self.banner.flash(self.tr("New number {0}: Enter enrols a quasi-member").format(shown), "info")

    def _redraw(self) -> None:
        """The shown member again from the database (a quasi-member HQ confirmed is followed to its id)."""
        member = self.member
        if member is None:
            return
        try:
            self.member = checkout_member(self.ctx.store, self.ctx.actor, member.id)
        except UnknownMember:
            followed = confirmed_id(self.ctx.store, member.lead_uuid)
            if followed is None:
                self.clear()
                return
            self.member = checkout_member(self.ctx.store, self.ctx.actor, followed)
        self.card.show_member(self.member)

    def _tag_saved(self, change: TagChange, names: dict[int, str], *, undone: bool) -> None:
        added = self.tr(", ").join(names.get(t, "") for t in change.added)
        removed = self.tr(", ").join(names.get(t, "") for t in change.removed)
        if undone:
            text, tone = self.tr("Undone"), "undone"
            if added or removed:
                text = self.tr("Undone: {0}").format(self.tr("{0} back").format(added) if added
                                                      else self.tr("{0} removed").format(removed))
        elif added and removed:
            text, tone = self.tr("Added {0} (instead of {1})").format(added, removed), "added"
        elif added:
            text, tone = self.tr("Added {0}").format(added), "added"
        else:
            text, tone = self.tr("Removed {0}").format(removed), "removed"
        self.banner.flash(text, tone)
        self.saved.emit(change)

    def _tag_names(self) -> dict[int, str]:
        return {t.id: t.name for g in (self.member.groups if self.member else ()) for t in g.tags}

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, AssociateError):
            self.ctx.unexpected(error)
            return
        self._redraw()
        self.banner.flash(labels.error_message(error), "error")

    def _enrol_refused(self, error: BaseException) -> None:
        if isinstance(error, AlreadyMember) and error.details.get("member_id") is not None:
            self.show_member(error.details["member_id"])  # a sync brought the number in meanwhile
            return
        self._refused(error)

    def _refusal(self, error: AssociateError) -> str:
        if error.code == "invalid_input":
            return self.tr("Not a number to look up: scan the code or card, or type 11 digits or the last 4.")
        if error.code == "unknown_member":
            return self.tr("This member code is genuine, but the member is not on this computer yet: sync, "
                           "or type the phone number.")
        return labels.error_message(error)

    def _nobody(self, result: LookupResult, text: str) -> str:
        if result.query_kind == "phone_last4":
            return self.tr("No member's phone number ends in {0}.").format(text)
        return self.tr("No member found for “{0}”.").format(text)

    def _touch(self) -> None:
        """Input: the idle countdown starts again (only while something is shown)."""
        if self._idle.interval() > 0:
            self._idle.start()

    def _on_changed(self, _what: str, member_id: object) -> None:
        if self.member is not None and (member_id is None or member_id == self.member.id):
            self._redraw()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)
