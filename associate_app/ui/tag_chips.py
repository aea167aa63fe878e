"""Tag chips: HQ's automatic tags as quiet read-only badges, manual tags as one-click toggle buttons.

Each manual tag group is one line (its name, then its chips flowing), coloured with HQ's group colour so
a family stage and a parenting concern are told apart at a glance. A chip's checked state is always what
the database says: the panel is told the state after every write and only re-checks its buttons when the
catalogue is unchanged, so the chip under the mouse (or keyboard focus) survives a toggle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from associate_app.domain.vocabulary import Choice
from associate_app.ui.flow_layout import FlowLayout

DEFAULT_COLOR = "#64748b"


# ------------------------------------------------------------------------------------------- colours
def _luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def text_on(fill: QColor) -> str:
    """White or near-black, whichever reads better on ``fill`` (WCAG contrast ratio)."""
    light = _luminance(fill)
    return "#ffffff" if (1.05 / (light + 0.05)) >= ((light + 0.05) / 0.05) * 0.8 else "#1f2937"


def _mix(color: QColor, other: str, share: float) -> str:
    """``color`` moved ``share`` of the way towards ``other`` (tints and shades of a group colour)."""
    towards = QColor(other)
    parts = [round(a + (b - a) * share) for a, b in ((color.red(), towards.red()), (color.green(), towards.green()),
                                                      (color.blue(), towards.blue()))]
    return QColor(*parts).name()


def chip_style(color: str | None) -> str:
    """Rounded chip: outlined and tinted text when off, filled with the group colour when on."""
    base = QColor(color or DEFAULT_COLOR)
    if not base.isValid():
        base = QColor(DEFAULT_COLOR)
    ink = _mix(base, "#000000", 0.35)
    return (
        f"QPushButton {{ border: 1px solid {_mix(base, '#ffffff', 0.35)}; border-radius: 12px; padding: 2px 10px; "
        f"background: #ffffff; color: {ink}; min-height: 18px; }}"
        f"QPushButton:hover {{ background: {_mix(base, '#ffffff', 0.88)}; border-color: {base.name()}; }}"
        f"QPushButton:checked {{ background: {base.name()}; border-color: {base.name()}; color: {text_on(base)}; }}"
        f"QPushButton:focus {{ border: 2px solid {ink}; padding: 1px 9px; }}"
        "QPushButton:disabled { background: #f3f4f6; border-color: #e5e7eb; color: #9ca3af; }"
        f"QPushButton:checked:disabled {{ background: {_mix(base, '#ffffff', 0.55)}; color: #ffffff; }}"
    )


def badge_style(color: str | None) -> str:
    """A read-only badge: a pale tint of the colour with dark text of the same hue."""
    base = QColor(color or DEFAULT_COLOR)
    if not base.isValid():
        base = QColor(DEFAULT_COLOR)
    return (f"QLabel {{ background: {_mix(base, '#ffffff', 0.86)}; color: {_mix(base, '#000000', 0.4)}; "
            "border-radius: 11px; padding: 2px 10px; }")


# -------------------------------------------------------------------------------------------- model
@dataclass(frozen=True)
class Chip:
    tag_id: int
    name: str
    applied: bool
    editable: bool


@dataclass(frozen=True)
class ChipGroup:
    """One manual group as drawn: every tag that may be picked plus any retired one still applied."""

    group_id: int
    name: str
    choice: str
    color: str | None
    chips: tuple[Chip, ...]


class AutomaticTagsRow(QWidget):
    """HQ's computed tags (RFM, category preference, spending power): seen, never clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("automaticTags")
        self._flow = FlowLayout(self, spacing=6, line_spacing=6)

    def set_tags(self, tags: list[tuple[str, str, str | None]]) -> None:
        """``tags``: (group name, tag name, colour)."""
        self._flow.clear()
        for group, name, color in tags:
            badge = QLabel(name, self)
            badge.setStyleSheet(badge_style(color))
            badge.setToolTip(self.tr("{0} (set by HQ automatically)").format(group))
            self._flow.addWidget(badge)
        self.setVisible(bool(tags))


class ManualTagsPanel(QWidget):
    """Manual tag groups as lines of chips; ``toggled(tag_id)`` when the user clicks one.

    ``caption`` and ``style`` let another screen draw the same chips its own way (checkout: big buttons
    named after their key, which never take the keyboard focus from the scan field).
    """

    toggled = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, caption: Callable[[Chip], str] | None = None,
                 style: Callable[[str | None], str] = chip_style, focusable: bool = True) -> None:
        super().__init__(parent)
        self._caption = caption or (lambda chip: chip.name)
        self._style = style
        self._focusable = focusable
        self.setObjectName("manualTags")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(8)
        self._grid.setColumnStretch(1, 1)
        self._shape: tuple = ()
        self._chips: dict[int, QPushButton] = {}
        self._rows: list[QWidget] = []

    def set_groups(self, groups: list[ChipGroup]) -> None:
        """Draw the groups; when only checked states changed, update the buttons in place."""
        shape = tuple((g.group_id, tuple((c.tag_id, self._caption(c), c.editable) for c in g.chips)) for g in groups)
        if shape != self._shape:
            self._rebuild(groups)
            self._shape = shape
        for group in groups:
            for chip in group.chips:
                button = self._chips[chip.tag_id]
                button.setChecked(chip.applied)

    def chip(self, tag_id: int) -> QPushButton | None:
        return self._chips.get(tag_id)

    def _rebuild(self, groups: list[ChipGroup]) -> None:
        for widget in self._rows:
            self._grid.removeWidget(widget)
            widget.setParent(None)
            widget.deleteLater()
        self._rows, self._chips = [], {}
        for row, group in enumerate(groups):
            title = QLabel(group.name, self)
            title.setObjectName("tagGroupName")
            title.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            title.setContentsMargins(0, 5, 0, 0)
            single = group.choice == Choice.SINGLE
            title.setToolTip(self.tr("Pick one") if single else self.tr("Pick any"))
            holder = QWidget(self)
            flow = FlowLayout(holder, spacing=6, line_spacing=6)
            style = self._style(group.color)
            editable = any(c.editable for c in group.chips)
            for chip in group.chips:
                button = QPushButton(self._caption(chip), holder)
                button.setObjectName(f"tag-{chip.tag_id}")
                button.setCheckable(True)
                button.setEnabled(chip.editable)
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                if not self._focusable:
                    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setStyleSheet(style)
                button.clicked.connect(lambda _checked=False, tag=chip.tag_id: self.toggled.emit(tag))
                flow.addWidget(button)
                self._chips[chip.tag_id] = button
            if not editable:
                title.setToolTip(self.tr("Your role cannot change this group"))
            self._grid.addWidget(title, row, 0)
            self._grid.addWidget(holder, row, 1)
            self._rows += [title, holder]
