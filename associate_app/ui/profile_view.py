"""The member's 360° profile (会员画像): who they are, their tags, what they buy, what was said, what's next.

One screen, no tabs, because the advisor glances at it while the member is on the phone: the header
says who and what to talk about, the left column holds tags (one click each), purchases, open tasks and
waiting corrections, the right column the contact form and the history it feeds. Everything is drawn
from ``domain.profile.member_profile`` on the UI thread; every change goes through ``ctx.write`` and the
view redraws from the database when ``ctx.changed`` names this member. A cashier gets the reduced view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from associate_app import clock
from associate_app.domain.interactions import timeline
from associate_app.domain.profile import MemberProfile, member_profile
from associate_app.domain.tags import TagGroupState, member_tag_state, toggle_tag, undo_last_tag_change
from associate_app.domain.vocabulary import MemberStatus
from associate_app.errors import UnknownMember
from associate_app.ui import labels
from associate_app.ui.context import AppContext
from associate_app.ui.correction_dialog import CorrectionDialog, field_name, status_name
from associate_app.ui.interaction_form import InteractionForm
from associate_app.ui.profile_parts import (
    SEP,
    Card,
    Facts,
    TimelineList,
    badge,
    money,
    number,
)
from associate_app.ui.tag_chips import AutomaticTagsRow, Chip, ChipGroup, ManualTagsPanel

TIMELINE_LIMIT = 30
STYLE = """
#profileView { background: #f5f7fa; }
#card, #profileHeader { background: #ffffff; border: 1px solid #e5e7eb; border-radius: 8px; }
#cardTitle { font-size: 15px; font-weight: 600; color: #111827; }
#memberName { font-size: 22px; font-weight: 600; color: #111827; }
#factCaption, #fieldCaption, #tagGroupName, #sectionCaption { color: #6b7280; }
#factValue { color: #111827; }
#factValue[alert="true"] { color: #dc2626; font-weight: 600; }
#muted, #emptyNote { color: #9ca3af; }
#timeline { border: none; }
#interactionForm { background: #ffffff; border: 1px solid #e5e7eb; border-radius: 8px; }
#interactionForm QPushButton[kind] { padding: 4px 10px; }
#interactionForm QPushButton[kind]:checked { background: #eff6ff; color: #1d4ed8; border-color: #2563eb; }
#quickFollowUp { padding: 4px 8px; }
QScrollArea#profileColumn { border: none; background: transparent; }
#profileColumnBody { background: transparent; }
"""


class ProfileView(QWidget):
    """``show_member(id)``, ``refresh()``; opened from search, lists and tasks through the main window."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("profileView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self._member_id: int | None = None
        self._lead_uuid: str | None = None
        self._stale = False
        self.profile: MemberProfile | None = None
        self._dialog: CorrectionDialog | None = None

        self.empty = QLabel(self)
        self.empty.setObjectName("emptyNote")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self._build_content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_tag,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        ctx.changed.connect(self._on_changed)
        self.refresh()

    # Building -------------------------------------------------------------------------------
    def _build_content(self) -> QWidget:
        content = QWidget(self)
        self.header = QFrame(content)
        self.header.setObjectName("profileHeader")
        self.name = QLabel(self.header)
        self.name.setObjectName("memberName")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.badges = QHBoxLayout()
        self.badges.setSpacing(6)
        self.correct = QPushButton(self.tr("Correct data…"), self.header)
        self.correct.setObjectName("proposeCorrection")
        self.correct.clicked.connect(self.propose_correction)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.name)
        top.addLayout(self.badges)
        top.addStretch(1)
        top.addWidget(self.correct)
        self.facts = Facts(self.header)
        self.kids = QLabel(self.header)
        self.kids.setObjectName("factValue")
        self.kids.setWordWrap(True)
        head = QVBoxLayout(self.header)
        head.setContentsMargins(18, 14, 18, 14)
        head.setSpacing(10)
        head.addLayout(top)
        head.addWidget(self.facts)
        head.addWidget(self.kids)

        left = QWidget()
        left.setObjectName("profileColumnBody")
        column = QVBoxLayout(left)
        column.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)  # height follows width (chips wrap)
        column.setContentsMargins(0, 0, 6, 0)
        column.setSpacing(12)
        self.tags_card = Card(self.tr("Tags"), left)
        self.undo = QPushButton(self.tr("Undo"), self.tags_card)
        self.undo.setObjectName("undoTag")
        self.undo.setToolTip(self.tr("Undo my last tag change (Ctrl+Z)"))
        self.undo.clicked.connect(self.undo_tag)
        self.tags_card.add_action(self.undo)
        self.auto_caption = QLabel(self.tr("Set by HQ"), self.tags_card)
        self.auto_caption.setObjectName("sectionCaption")
        self.automatic = AutomaticTagsRow(self.tags_card)
        self.manual = ManualTagsPanel(self.tags_card)
        self.manual.toggled.connect(self.toggle_tag)
        auto_row = QHBoxLayout()
        auto_row.addWidget(self.auto_caption, 0, Qt.AlignmentFlag.AlignTop)
        auto_row.addWidget(self.automatic, 1)
        self.tags_card.body.addLayout(auto_row)
        self.tags_card.body.addWidget(self.manual)
        self.purchase_card = Card(self.tr("Purchases"), left)
        self.purchase = Facts(self.purchase_card)
        self.categories = QLabel(self.purchase_card)
        self.categories.setObjectName("factValue")
        self.purchase_card.body.addWidget(self.purchase)
        self.purchase_card.body.addWidget(self.categories)
        self.tasks_card = Card(self.tr("Open tasks"), left)
        self.tasks_list = QVBoxLayout()
        self.tasks_card.body.addLayout(self.tasks_list)
        self.corrections_card = Card(self.tr("Corrections waiting for HQ"), left)
        self.corrections = QLabel(self.corrections_card)
        self.corrections.setObjectName("factValue")
        self.corrections.setWordWrap(True)
        self.corrections_card.body.addWidget(self.corrections)
        for card in (self.tags_card, self.purchase_card, self.tasks_card, self.corrections_card):
            column.addWidget(card)
        column.addStretch(1)
        scroll = QScrollArea(content)
        scroll.setObjectName("profileColumn")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(left)

        self.right = QWidget(content)
        right = QVBoxLayout(self.right)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(12)
        self.form = InteractionForm(self.ctx, self.right)
        self.history_card = Card(self.tr("Contact history"), self.right)
        self.timeline = TimelineList(self.history_card)
        self.history_card.body.addWidget(self.timeline)
        right.addWidget(self.form)
        right.addWidget(self.history_card, 1)

        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(scroll, 11)
        body.addWidget(self.right, 10)
        outer = QVBoxLayout(content)
        outer.setContentsMargins(12, 12, 12, 12)
        outer.setSpacing(12)
        outer.addWidget(self.header)
        outer.addLayout(body, 1)
        return content

    # Public -----------------------------------------------------------------------------------
    @property
    def member_id(self) -> int | None:
        return self._member_id

    def show_member(self, member_id: int, task_id: int | None = None) -> None:
        """Open a member (optionally to log a contact for one of their tasks)."""
        self._member_id = int(member_id)
        self._lead_uuid = None
        self.refresh()
        if task_id is not None and self.profile is not None and not self.profile.reduced:
            self.log_for_task(task_id)

    def refresh(self) -> None:
        """Redraw from the database (a lead HQ confirmed meanwhile is followed to its new id)."""
        self._stale = False
        if self._member_id is None:
            self.empty.setText(self.tr("Find a member to see their profile."))
            self.pages.setCurrentIndex(0)
            return
        try:
            profile = member_profile(self.ctx.store, self.ctx.actor, self._member_id)
        except UnknownMember:
            followed = self._followed_lead()
            if followed is None:
                self.profile = None
                self.empty.setText(self.tr("This member is no longer in this store's data."))
                self.pages.setCurrentIndex(0)
                return
            self._member_id = followed
            profile = member_profile(self.ctx.store, self.ctx.actor, followed)
        self.profile = profile
        if profile.header.is_lead and self._lead_uuid is None:
            self._lead_uuid = self.ctx.store.scalar("SELECT lead_uuid FROM members WHERE id = ?", (self._member_id,))
        self._show(profile)
        self.pages.setCurrentIndex(1)

    def log_for_task(self, task_id: int) -> None:
        self.form.preselect_task(task_id)
        self.form.focus_note()

    # Actions ----------------------------------------------------------------------------------
    def toggle_tag(self, tag_id: int) -> None:
        member_id = self._member_id
        if member_id is None:
            return
        self.ctx.write(lambda store, actor: toggle_tag(store, actor, member_id, tag_id), None,
                       what="tags", member_id=member_id, on_failure=self._tag_refused)

    def undo_tag(self) -> None:
        member_id = self._member_id
        if member_id is None or self.profile is None:
            return
        self.ctx.write(lambda store, actor: undo_last_tag_change(store, actor, member_id),
                       lambda _change: self.ctx.message.emit(self.tr("Tag change undone.")),
                       what="tags", member_id=member_id, on_failure=self._tag_refused)

    def propose_correction(self) -> None:
        if self._member_id is None or self.profile is None or self.profile.reduced:
            return
        self._dialog = CorrectionDialog(self.ctx, self._member_id, self)
        self._dialog.open()

    # Private ----------------------------------------------------------------------------------
    def _tag_refused(self, error: BaseException) -> None:
        self.refresh()  # the clicked chip shows what the database holds again
        self.ctx.refused(error)

    def _on_changed(self, _what: str, member_id: object) -> None:
        if self._member_id is None or (member_id is not None and member_id != self._member_id):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _followed_lead(self) -> int | None:
        if not self._lead_uuid:
            return None
        return self.ctx.store.scalar("SELECT member_id FROM lead_ids WHERE lead_uuid = ?", (self._lead_uuid,))

    def _show(self, profile: MemberProfile) -> None:
        reduced = profile.reduced
        self._show_header(profile)
        self._show_tags(profile)
        self._show_purchase(profile)
        self._show_tasks(profile)
        self._show_corrections(profile)
        self.correct.setVisible(not reduced)
        self.right.setVisible(not reduced)
        if not reduced:
            self.form.set_member(profile.header.id, profile.open_targets)
            self._show_timeline(profile.header.id)

    def _show_header(self, profile: MemberProfile) -> None:
        h = profile.header
        self.name.setText(h.name)
        while self.badges.count():
            widget = self.badges.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        marks = [(labels.term(h.level), h.level)]
        if h.is_lead or h.status == MemberStatus.QUASI:
            marks.append((labels.term(MemberStatus.QUASI), "quasi"))
        if h.lifecycle:
            marks.append((labels.term(h.lifecycle), h.lifecycle))
        if h.rfm_segment and not profile.reduced:
            marks.append((h.rfm_segment, "rfm"))
        for text, kind in marks:
            self.badges.addWidget(badge(text, kind, self.header))
        today = clock.today().isoformat()
        follow_up = h.next_follow_up or ""
        self.facts.set_facts([
            (self.tr("Mobile"), h.phone or self.tr("—"), False),
            (self.tr("Card number"), h.card_no or self.tr("—"), False),
            (self.tr("Points"), number(h.points), False),
            (self.tr("Advisor"), h.advisor_name or self.tr("None"), False),
            (self.tr("Last purchase"), h.last_purchase_at or self.tr("—"), False),
            (self.tr("Last contact"), labels.local_time(h.last_contact_at) or self.tr("—"), False),
            (self.tr("Next follow-up"), follow_up or self.tr("None"), bool(follow_up) and follow_up < today),
        ])
        kids = []
        for child in profile.children:
            gender = {"F": self.tr("girl"), "M": self.tr("boy")}.get(child.gender or "", "")
            parts = [p for p in (child.name or self.tr("Baby"), gender, child.label) if p]
            kids.append(SEP.join(parts))
        caption = self.tr("Children")
        self.kids.setText(self.tr("{0}: {1}").format(caption, self.tr("; ").join(kids)) if kids else "")
        self.kids.setVisible(bool(kids))

    def _show_tags(self, profile: MemberProfile) -> None:
        states = {g.id: g for g in member_tag_state(self.ctx.store, self.ctx.actor, profile.header.id)}
        colors = {g.name: g.color for g in states.values()}
        self.automatic.set_tags([(t.group_name, t.name, colors.get(t.group_name)) for t in profile.automatic_tags])
        self.auto_caption.setVisible(bool(profile.automatic_tags))
        self.manual.set_groups(self._chip_groups(profile, states))
        self.undo.setVisible(any(g.editable for g in profile.manual_tags))

    @staticmethod
    def _chip_groups(profile: MemberProfile, states: dict[int, TagGroupState]) -> list[ChipGroup]:
        """Every pickable tag of each visible group, plus retired ones the member still holds (disabled)."""
        groups = []
        for group in profile.manual_tags:
            state = states.get(group.group_id)
            chips = [Chip(t.id, t.name, t.applied, group.editable) for t in state.tags] if state else []
            shown = {c.tag_id for c in chips}
            chips += [Chip(t.tag_id, t.name, True, False) for t in group.tags if t.tag_id not in shown]
            groups.append(ChipGroup(group.group_id, group.name, group.choice, group.color, tuple(chips)))
        return groups

    def _show_purchase(self, profile: MemberProfile) -> None:
        p = profile.purchase
        self.purchase_card.setVisible(p is not None)
        if p is None:
            return
        self.purchase.set_facts([
            (self.tr("Orders, 12 months"), number(p.orders_12m), False),
            (self.tr("Spent, 12 months"), money(p.total_12m), False),
            (self.tr("Average basket"), money(p.avg_basket), False),
            (self.tr("Last order"), p.last_order or self.tr("—"), False),
        ])
        self.categories.setText(self.tr("Buys most: {0}").format(self.tr(", ").join(p.top_categories))
                                if p.top_categories else "")
        self.categories.setVisible(bool(p.top_categories))

    def _show_tasks(self, profile: MemberProfile) -> None:
        while self.tasks_list.count():
            widget = self.tasks_list.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.tasks_card.setVisible(bool(profile.open_targets) and not profile.reduced)
        for target in profile.open_targets:
            row = QWidget(self.tasks_card)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            title = QLabel(target.title, row)
            title.setObjectName("factValue")
            title.setWordWrap(True)
            details = [self.tr("Due {0}").format(target.due_date) if target.due_date else "",
                       labels.term(target.outcome) if target.outcome else self.tr("Not contacted yet")]
            info = QLabel(SEP.join(d for d in details if d), row)
            info.setObjectName("factCaption")
            log = QPushButton(self.tr("Log contact"), row)
            log.setObjectName(f"logForTask-{target.task_id}")
            log.clicked.connect(lambda _checked=False, task=target.task_id: self.log_for_task(task))
            line.addWidget(title, 1)
            line.addWidget(info)
            line.addWidget(log)
            self.tasks_list.addWidget(row)

    def _show_corrections(self, profile: MemberProfile) -> None:
        names = {c.child_id: c.name for c in profile.children}
        lines = [self.tr("{0}: {1} → {2} ({3})").format(
            field_name(c.field, names.get(c.child_id) if c.child_id else None), c.old_value or self.tr("—"),
            c.new_value, status_name(c.status)) for c in profile.corrections]
        self.corrections.setText("\n".join(lines))
        self.corrections_card.setVisible(bool(lines))

    def _show_timeline(self, member_id: int) -> None:
        self.timeline.set_entries(timeline(self.ctx.store, self.ctx.actor, member_id, limit=TIMELINE_LIMIT))
