"""Reassign to… (改派给): pick the advisor who takes over the selected members or task targets.

The choice list is ``assignment.store_advisors`` (active advisors of the store, with how many members
each holds now, so the manager can spread the load). ``reassign_rows`` applies the choice row by row
through the core: a member row moves the member (their open targets follow), a task-target row moves
that target only; a row the core refuses (a target already worked, a task HQ closed) is reported and
does not stop the others. HQ checks every reassignment again when it arrives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from associate_app.domain.actor import Actor
from associate_app.domain.assignment import StoreAdvisor, reassign_member, reassign_target
from associate_app.domain.dashboard_members import BehindRow
from associate_app.errors import AssociateError
from associate_app.store.database import Store


@dataclass
class Reassigned:
    """What a batch did: rows changed, rows that already had that advisor, rows the core refused."""

    changed: int = 0
    unchanged: int = 0
    refused: list[tuple[BehindRow, AssociateError]] = field(default_factory=list)


def reassign_rows(store: Store, actor: Actor, rows: Sequence[BehindRow], advisor_id: str) -> Reassigned:
    """Each row to ``advisor_id`` (on the writer thread); a member listed twice is moved once."""
    done = Reassigned()
    seen: set[tuple[int | None, int]] = set()
    for row in rows:
        key = (row.task_id, row.member_id)
        if key in seen:
            continue
        seen.add(key)
        try:
            if row.task_id is None:
                result = reassign_member(store, actor, row.member_id, advisor_id)
            else:
                result = reassign_target(store, actor, row.task_id, row.member_id, advisor_id)
        except AssociateError as error:
            done.refused.append((row, error))
            continue
        if result.changed:
            done.changed += 1
        else:
            done.unchanged += 1
    return done


class ReassignDialog(QDialog):
    """Choose one advisor; ``advisor_id`` is the choice after ``exec()`` returned Accepted."""

    def __init__(self, advisors: Sequence[StoreAdvisor], count: int, *, targets: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reassignDialog")
        self.setWindowTitle(self.tr("Reassign to…"))
        what = (self.tr("Give the {0} selected task targets to:") if targets
                else self.tr("Give the {0} selected members to:")).format(count)
        hint = QLabel(what, objectName="reassignWhat")
        note = QLabel(self.tr("Members take their open task targets with them. HQ checks every change when it "
                              "arrives.") if not targets else
                      self.tr("Only targets still open can be reassigned: the ones already worked keep who "
                              "worked them."), objectName="reassignNote")
        note.setWordWrap(True)
        self.advisors = QListWidget(objectName="reassignAdvisors")
        for advisor in advisors:
            item = QListWidgetItem(self.tr("{0} ({1}) · {2} members").format(advisor.name, advisor.id,
                                                                          advisor.members))
            item.setData(Qt.ItemDataRole.UserRole, advisor.id)
            self.advisors.addItem(item)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Reassign"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.advisors.currentItemChanged.connect(lambda *_: self._enable())
        self.advisors.itemDoubleClicked.connect(lambda *_: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.advisors, 1)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.resize(420, 360)
        self._enable()

    @property
    def advisor_id(self) -> str | None:
        item = self.advisors.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def choose(self, advisor_id: str) -> None:
        """Select ``advisor_id`` in the list (keyboard users and tests)."""
        for row in range(self.advisors.count()):
            if self.advisors.item(row).data(Qt.ItemDataRole.UserRole) == advisor_id:
                self.advisors.setCurrentRow(row)

    def _enable(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.advisor_id is not None)
