"""Propose a data correction (资料修正): the advisor heard the right value; HQ reviews and decides.

The member row is never edited here (HQ owns it). The dialog shows the value the profile holds now next
to the new one, so the advisor sees what HQ will see, and stays open with everything typed if the core
refuses (a date out of range, the same value, a proposal already waiting).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from associate_app import clock
from associate_app.domain.corrections import CHILD_FIELDS, CorrectionProposed, propose_correction
from associate_app.domain.profile import member_profile
from associate_app.domain.vocabulary import CorrectionField, CorrectionStatus
from associate_app.ui.context import AppContext

FIELD_NAMES: dict[str, str] = {
    CorrectionField.PHONE: QT_TRANSLATE_NOOP("CorrectionDialog", "Mobile number"),
    CorrectionField.BIRTHDAY: QT_TRANSLATE_NOOP("CorrectionDialog", "Birthday"),
    CorrectionField.ADDRESS: QT_TRANSLATE_NOOP("CorrectionDialog", "Address"),
    CorrectionField.CHILD_BIRTHDAY: QT_TRANSLATE_NOOP("CorrectionDialog", "Child's birthday"),
    CorrectionField.CHILD_DUE_DATE: QT_TRANSLATE_NOOP("CorrectionDialog", "Due date"),
}
STATUS_NAMES: dict[str, str] = {
    CorrectionStatus.PENDING: QT_TRANSLATE_NOOP("CorrectionDialog", "Waiting to upload"),
    CorrectionStatus.SUBMITTED: QT_TRANSLATE_NOOP("CorrectionDialog", "HQ is reviewing"),
    CorrectionStatus.ACCEPTED: QT_TRANSLATE_NOOP("CorrectionDialog", "Accepted by HQ"),
    CorrectionStatus.REJECTED: QT_TRANSLATE_NOOP("CorrectionDialog", "Rejected by HQ"),
}
DATE_FIELDS = frozenset({CorrectionField.BIRTHDAY, *CHILD_FIELDS})


def field_name(field: str, child_name: str | None = None) -> str:
    """The field as staff call it; a child's field names the child (朱欣梓 · 宝宝生日)."""
    source = FIELD_NAMES.get(field)
    text = QCoreApplication.translate("CorrectionDialog", source) if source else field
    if not child_name:
        return text
    return QCoreApplication.translate("CorrectionDialog", "{0} · {1}").format(child_name, text)


def status_name(status: str) -> str:
    source = STATUS_NAMES.get(status)
    return QCoreApplication.translate("CorrectionDialog", source) if source else status


class CorrectionDialog(QDialog):
    """Field chooser (member's and each child's), current value, new value; Save proposes it to HQ."""

    def __init__(self, ctx: AppContext, member_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.member_id = member_id
        self.setObjectName("correctionDialog")
        self.setWindowTitle(self.tr("Correct member data"))
        self.setMinimumWidth(460)
        profile = member_profile(ctx.store, ctx.actor, member_id)
        header = profile.header
        self._choices: list[tuple[str, int | None, str | None]] = []  # (field, child id, current value)

        self.field = QComboBox(self)
        self.field.setObjectName("correctionField")
        for field, value in ((CorrectionField.PHONE, header.phone), (CorrectionField.BIRTHDAY, header.birthday),
                             (CorrectionField.ADDRESS, header.address)):
            self._add(field_name(field), (str(field), None), value)
        for child in profile.children:
            name = child.name or self.tr("Baby")
            if child.birthday or not child.due_date:
                self._add(field_name(CorrectionField.CHILD_BIRTHDAY, name),
                          (str(CorrectionField.CHILD_BIRTHDAY), child.child_id), child.birthday)
            if child.due_date or not child.birthday:
                self._add(field_name(CorrectionField.CHILD_DUE_DATE, name),
                          (str(CorrectionField.CHILD_DUE_DATE), child.child_id), child.due_date)
        self.current = QLabel(self)
        self.current.setObjectName("currentValue")
        self.current.setWordWrap(True)
        self.text = QLineEdit(self)
        self.text.setObjectName("newValue")
        self.date = QDateEdit(self)
        self.date.setObjectName("newDate")
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setCalendarPopup(True)

        form = QFormLayout()
        form.setSpacing(10)
        form.addRow(self.tr("Field"), self.field)
        form.addRow(self.tr("Current value"), self.current)
        value_row = QHBoxLayout()
        value_row.addWidget(self.text, 1)
        value_row.addWidget(self.date, 1)
        form.addRow(self.tr("Correct value"), value_row)
        hint = QLabel(self.tr("HQ reviews every correction; the profile shows it as waiting until then."), self)
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        self.save = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save.setObjectName("saveCorrection")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.field.currentIndexChanged.connect(self._field_changed)
        self._field_changed()

    def _add(self, text: str, data: tuple[str, int | None], value: str | None) -> None:
        self._choices.append((*data, value))
        self.field.addItem(text)

    def choice(self) -> tuple[str, int | None, str | None]:
        """(field, child id, current value) of the chosen line."""
        return self._choices[self.field.currentIndex()]

    def select(self, field: str, child_id: int | None = None) -> None:
        keys = [(f, c) for f, c, _value in self._choices]
        self.field.setCurrentIndex(keys.index((str(field), child_id)) if (str(field), child_id) in keys else 0)

    def _field_changed(self) -> None:
        field, _child, value = self.choice()
        self.current.setText(value or self.tr("(none)"))
        is_date = field in DATE_FIELDS
        self.text.setVisible(not is_date)
        self.date.setVisible(is_date)
        self.text.clear()
        day = QDate.fromString(value or "", "yyyy-MM-dd")
        if not day.isValid():
            today = clock.today()
            day = QDate(today.year, today.month, today.day)
        self.date.setDate(day)
        (self.date if is_date else self.text).setFocus()

    def new_value(self) -> str:
        field = self.choice()[0]
        return self.date.date().toString("yyyy-MM-dd") if field in DATE_FIELDS else self.text.text()

    def submit(self) -> None:
        """Queue the proposal; the dialog closes only when it is saved (a refusal keeps the input)."""
        (field, child_id, _old), value = self.choice(), self.new_value()
        member_id = self.member_id
        self.save.setEnabled(False)

        def failed(error: BaseException) -> None:
            self.save.setEnabled(True)
            self.ctx.refused(error)

        self.ctx.write(lambda store, actor: propose_correction(store, actor, member_id, field, value,
                                                               child_id=child_id),
                       self._saved, what="correction", member_id=member_id, on_failure=failed)

    def _saved(self, _result: CorrectionProposed) -> None:
        self.ctx.message.emit(self.tr("Correction saved; HQ will review it."))
        self.accept()
