"""Small building blocks of the profile: titled cards, caption-over-value facts, badges, number formats.

Kept apart from ``profile_view`` so the view reads as "what goes where" and these as "how it looks".
Numbers and money use the UI locale (2,027 / ¥2,752); instants from the database (UTC) show in local time.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QLocale, QModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from associate_app.domain.vocabulary import Outcome
from associate_app.ui import labels

SEP = " · "  # between the parts of one line; punctuation, the same in every language

# Badge colours (background, text): levels in their card colours, the rest calm.
BADGES: dict[str, tuple[str, str]] = {
    "regular": ("#f1f5f9", "#475569"),
    "silver": ("#e2e8f0", "#334155"),
    "gold": ("#fef3c7", "#92400e"),
    "black_gold": ("#1f2937", "#fde68a"),
    "quasi": ("#fce7f3", "#9d174d"),
    "new": ("#dbeafe", "#1e40af"),
    "active": ("#dcfce7", "#166534"),
    "dormant": ("#fef9c3", "#854d0e"),
    "lost": ("#fee2e2", "#991b1b"),
    "rfm": ("#ede9fe", "#5b21b6"),
}


def badge(text: str, kind: str, parent: QWidget | None = None) -> QLabel:
    back, ink = BADGES.get(kind, BADGES["regular"])
    label = QLabel(text, parent)
    label.setObjectName(f"badge-{kind}")
    label.setStyleSheet(f"QLabel {{ background: {back}; color: {ink}; border-radius: 10px; padding: 2px 10px; "
                        "font-size: 13px; font-weight: 600; }")
    return label


def number(value: float | int | None) -> str:
    if value is None:
        return QCoreApplication.translate("ProfileParts", "—")
    return QLocale().toString(round(value))


def money(value: float | int | None) -> str:
    if value is None:
        return QCoreApplication.translate("ProfileParts", "—")
    return QCoreApplication.translate("ProfileParts", "¥{0}").format(QLocale().toString(round(value)))



class Card(QFrame):
    """A white rounded panel with a title line (room for buttons on the right) and a body layout."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.title = QLabel(title, self)
        self.title.setObjectName("cardTitle")
        self._head = QHBoxLayout()
        self._head.addWidget(self.title)
        self._head.addStretch(1)
        self.body = QVBoxLayout()
        self.body.setSpacing(10)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.setSpacing(10)
        layout.addLayout(self._head)
        layout.addLayout(self.body)

    def add_action(self, widget: QWidget) -> None:
        self._head.addWidget(widget)


class Facts(QWidget):
    """A row of small captions over their values (手机 / 199…), in equal columns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(2)
        self._labels: list[QLabel] = []

    def set_facts(self, facts: list[tuple[str, str, bool]]) -> None:
        """(caption, value, alert): an alert value is shown in red (an overdue follow-up)."""
        for label in self._labels:
            self._grid.removeWidget(label)
            label.deleteLater()
        self._labels = []
        for column, (caption, value, alert) in enumerate(facts):
            top = QLabel(caption, self)
            top.setObjectName("factCaption")
            bottom = QLabel(value, self)
            bottom.setObjectName("factValue")
            bottom.setProperty("alert", alert)
            bottom.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._grid.addWidget(top, 0, column)
            self._grid.addWidget(bottom, 1, column)
            self._grid.setColumnStretch(column, 1)
            self._labels += [top, bottom]



HTML_ROLE = Qt.ItemDataRole.UserRole + 1  # the entry as rich text; DisplayRole keeps the plain text


class RichItemDelegate(QStyledItemDelegate):
    """Draws a list item's ``HTML_ROLE`` text wrapped to the view's width (the contact history's entries)."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view

    def _document(self, index: QModelIndex, width: int) -> QTextDocument:
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(self._view.font())
        document.setHtml(index.data(HTML_ROLE) or html.escape(index.data() or ""))
        document.setTextWidth(max(50, width))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, QColor("#eff6ff"))
        painter.setPen(QColor("#f1f5f9"))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        document = self._document(index, self._text_width())
        painter.translate(option.rect.left() + PAD_X, option.rect.top() + PAD_Y)
        document.drawContents(painter)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        width = self._text_width()
        height = self._document(index, width).size().height()
        return QSize(width + 2 * PAD_X, int(height) + 2 * PAD_Y)

    def _text_width(self) -> int:
        """The same with or without a scroll bar: its room is always kept, so heights never go stale."""
        view = self._view
        return view.width() - 2 * view.frameWidth() - view.verticalScrollBar().sizeHint().width() - 2 * PAD_X


PAD_X, PAD_Y = 6, 9


OUTCOME_COLOURS = {
    Outcome.REACHED: "#15803d", Outcome.INTERESTED: "#15803d", Outcome.CONVERTED: "#15803d",
    Outcome.NOT_REACHABLE: "#b45309", Outcome.DECLINED: "#6b7280", Outcome.WRONG_NUMBER: "#b91c1c",
}


class TimelineList(QListWidget):
    """The contact history, newest first: when and how in bold, the outcome in its colour, the note, the task
    and the next follow-up. Each item's plain text (DisplayRole) says the same for tests and screen readers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setItemDelegate(RichItemDelegate(self))
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_entries(self, entries: list[dict]) -> None:
        """``entries``: rows of ``domain.interactions.timeline``."""
        self.clear()
        for entry in entries:
            head = [labels.local_time(entry["occurred_at"]), labels.term(entry["type"])]
            if entry["outcome"]:
                head.append(labels.term(entry["outcome"]))
            who = entry["staff_name"] or entry["staff_id"]
            extra = []
            if entry["task_title"]:
                extra.append(self.tr("Task: {0}").format(entry["task_title"]))
            if entry["next_follow_up"]:
                extra.append(self.tr("Follow up on {0}").format(entry["next_follow_up"]))
            lines = [SEP.join([*head, who]), entry["note"], SEP.join(extra)]
            item = QListWidgetItem("\n".join(line for line in lines if line))
            item.setData(Qt.ItemDataRole.UserRole, entry["id"])
            item.setData(HTML_ROLE, _entry_html(head, who, entry["outcome"], entry["note"], extra))
            self.addItem(item)
        if not entries:
            placeholder = QListWidgetItem(self.tr("No contact logged yet."))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(placeholder)


def _entry_html(head: list[str], who: str, outcome: str | None, note: str, extra: list[str]) -> str:
    when, kind, *rest = (html.escape(part) for part in head)
    colour = OUTCOME_COLOURS.get(outcome or "", "#374151")
    parts = [f"<b style='color:#111827'>{when}</b>&nbsp;&nbsp;<span style='color:#1d4ed8'>{kind}</span>"]
    parts += [f"<span style='color:{colour}; font-weight:600'>{text}</span>" for text in rest]
    text = SEP.join(parts) + f"<span style='color:#9ca3af'>{SEP}{html.escape(who)}</span>"
    if note:
        text += f"<div style='color:#1f2937; margin-top:3px'>{html.escape(note)}</div>"
    if extra:
        text += f"<div style='color:#6b7280; margin-top:3px'>{html.escape(SEP.join(extra))}</div>"
    return text
