"""Pieces of the checkout screen: the tag keys, the feedback banner, the member card and the numbered list.

Why a banner that flashes: the cashier looks at the customer and the till, not at this window. A change is
confirmed by a full-width band in a strong colour (green added, amber removed, blue undone, red refused)
that settles to a pale tint after a moment, so the last outcome stays readable without shouting forever.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from associate_app.domain.checkout import CheckoutMember
from associate_app.domain.vocabulary import MemberStatus
from associate_app.lookup.search import MemberHit
from associate_app.ui import labels
from associate_app.ui.profile_parts import badge
from associate_app.ui.style import DANGER, OK, PRIMARY
from associate_app.ui.tag_chips import Chip, ChipGroup, ManualTagsPanel, chip_style

# Tag keys in button order: 1–9, then F1–F12 (a till keyboard has both rows; nothing else is reserved).
TAG_KEYS: tuple[tuple[Qt.Key, str], ...] = (
    *((Qt.Key(Qt.Key.Key_1 + i), str(i + 1)) for i in range(9)),
    *((Qt.Key(Qt.Key.Key_F1 + i), f"F{i + 1}") for i in range(12)),
)
PICK_KEYS = {key: index for index, (key, _name) in enumerate(TAG_KEYS[:9])}  # digit → row of the list
FLASH_MS = 2500
TONES = {  # tone: (strong background, pale background, ink on pale)
    "added": (OK, "#dcfce7", "#14532d"),
    "removed": ("#d97706", "#fef3c7", "#78350f"),
    "undone": (PRIMARY, "#dbeafe", "#1e3a8a"),
    "error": (DANGER, "#fee2e2", "#7f1d1d"),
    "info": ("#475569", "#f1f5f9", "#334155"),
}

STYLE = f"""
#checkoutView {{ background: #f5f7fa; }}
#checkoutInput {{ font-size: 22px; padding: 8px 12px; border: 2px solid {PRIMARY}; border-radius: 8px; }}
#checkoutHint, #checkoutKeys {{ color: #6b7280; font-size: 15px; }}
#checkoutName {{ font-size: 28px; font-weight: 700; color: #111827; }}
#checkoutPhone {{ font-size: 20px; color: #374151; }}
#checkoutCard {{ background: #ffffff; border: 1px solid #e5e7eb; border-radius: 10px; }}
#checkoutChoices {{ font-size: 20px; }}
#checkoutChoices::item {{ padding: 8px 10px; }}
#checkoutPrompt {{ font-size: 20px; color: #111827; }}
#tagGroupName {{ color: #6b7280; font-size: 15px; }}
QPushButton#alwaysOnTop:checked {{ background: {PRIMARY}; color: #ffffff; border-color: {PRIMARY}; }}
"""


def big_chip_style(color: str | None) -> str:
    """The profile's chip in the group colour, large enough to read and hit at the till."""
    return chip_style(color) + ("QPushButton { font-size: 18px; padding: 8px 14px; border-radius: 8px; "
                                "min-height: 30px; }")


def assign_keys(groups: list[ChipGroup]) -> list[tuple[Qt.Key, str, int]]:
    """(key, key name, tag id) in drawing order; tags beyond the last key get none (click only)."""
    tags = [chip.tag_id for group in groups for chip in group.chips if chip.editable]
    return [(key, name, tag) for tag, (key, name) in zip(tags, TAG_KEYS, strict=False)]


def chip_groups(member: CheckoutMember) -> list[ChipGroup]:
    return [ChipGroup(g.id, g.name, g.choice, g.color, tuple(Chip(t.id, t.name, t.applied, True) for t in g.tags))
            for g in member.groups]


class Banner(QLabel):
    """One line of feedback; ``flash(text, tone)`` shows it strong, then pale after ``FLASH_MS``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkoutBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setMinimumHeight(56)
        self.tone = "info"
        self.strong = False
        self._timer = QTimer(self, singleShot=True, interval=FLASH_MS)
        self._timer.timeout.connect(lambda: self._paint(strong=False))

    def flash(self, text: str, tone: str) -> None:
        self.setText(text)
        self.tone = tone
        self._paint(strong=tone != "info")
        self._timer.start()

    def _paint(self, *, strong: bool) -> None:
        self.strong = strong
        fill, pale, ink = TONES[self.tone]
        back, color = (fill, "#ffffff") if strong else (pale, ink)
        edge = QColor(back).darker(110).name()
        self.setStyleSheet(f"QLabel {{ background: {back}; color: {color}; font-size: 22px; font-weight: 700; "
                           f"border-radius: 8px; padding: 8px 12px; border: 1px solid {edge}; }}")


class MemberCard(QWidget):
    """Name, level, quasi-member mark and the phone as the role may see it; the quick tags below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkoutCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.name = QLabel(self, objectName="checkoutName")
        self._marks = QHBoxLayout()
        self._marks.setSpacing(6)
        self.phone = QLabel(self, objectName="checkoutPhone")
        self.phone.setWordWrap(True)
        self.captions: dict[int, str] = {}  # tag id → key name
        self.keys: dict[Qt.Key, int] = {}  # key → tag id
        self.tags = ManualTagsPanel(self, caption=lambda chip: f"{self.captions.get(chip.tag_id, '')}  {chip.name}",
                                    style=big_chip_style, focusable=False)
        self.no_tags = QLabel(self.tr("HQ has opened no tag groups to the till."), self, objectName="checkoutHint")
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.name)
        top.addLayout(self._marks)
        top.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 12)
        column.setSpacing(10)
        column.addLayout(top)
        column.addWidget(self.phone)
        column.addWidget(self.tags)
        column.addWidget(self.no_tags)
        column.addStretch(1)

    def show_member(self, member: CheckoutMember) -> None:
        self.name.setText(member.name or self.tr("(no name yet)"))
        while self._marks.count():
            widget = self._marks.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self._marks.addWidget(badge(labels.term(member.level), member.level, self))
        if member.is_lead:
            self._marks.addWidget(badge(labels.term(MemberStatus.QUASI), "quasi", self))
        parts = [self.tr("Mobile {0}").format(member.phone) if member.phone else "",
                 self.tr("Card {0}").format(member.card_no) if member.card_no else ""]
        self.phone.setText("   ".join(p for p in parts if p))
        groups = chip_groups(member)
        keys = assign_keys(groups)
        self.captions = {tag: name for _key, name, tag in keys}
        self.keys = {key: tag for key, _name, tag in keys}
        self.tags.set_groups(groups)
        self.no_tags.setVisible(not groups)


class ChoiceList(QListWidget):
    """Several members matched: one numbered line each, picked with its digit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkoutChoices")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hits: tuple[MemberHit, ...] = ()

    def set_hits(self, hits: tuple[MemberHit, ...]) -> None:
        self.clear()
        self.hits = hits[:len(PICK_KEYS)]
        for number, hit in enumerate(self.hits, start=1):
            parts = [f"{number}", hit.name, hit.phone or "", labels.term(hit.level)]
            if hit.is_lead:
                parts.append(labels.term(MemberStatus.QUASI))
            item = QListWidgetItem("   ".join(p for p in parts if p))
            item.setData(Qt.ItemDataRole.UserRole, hit.member_id)
            self.addItem(item)
