"""Settings: language, sync interval, auto-lock, checkout reset; HQ's address and the store shown, changed at sign-in.

Values are checked by ``settings.Options`` (the one typed options module); a bad value gets its message
and nothing is saved. Changes take effect at the next start (language) or sign-in (the rest).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QSpinBox, QWidget

from associate_app import settings
from associate_app.errors import AssociateError
from associate_app.settings import Options
from associate_app.ui import labels


class SettingsDialog(QDialog):
    def __init__(self, options: Options, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.options = options
        form = QFormLayout(self)
        form.addRow(self.tr("HQ address"), QLabel(options.hq_url or self.tr("not set up")))
        form.addRow(self.tr("Store code"), QLabel(options.store_code))
        self.language = QComboBox(objectName="language")
        self.language.addItem("中文（简体）", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(options.language)))
        form.addRow(self.tr("Language"), self.language)
        self.interval = QSpinBox(objectName="syncInterval")
        self.interval.setRange(30, 3600)
        self.interval.setSuffix(self.tr(" s"))
        self.interval.setValue(options.sync_interval_seconds)
        form.addRow(self.tr("Sync every"), self.interval)
        self.auto_lock = QSpinBox(objectName="autoLock")
        self.auto_lock.setRange(0, 240)
        self.auto_lock.setSuffix(self.tr(" min"))
        self.auto_lock.setSpecialValueText(self.tr("never"))
        self.auto_lock.setValue(options.auto_lock_minutes)
        form.addRow(self.tr("Lock after idle"), self.auto_lock)
        self.checkout_reset = QSpinBox(objectName="checkoutReset")
        self.checkout_reset.setRange(0, 600)
        self.checkout_reset.setSuffix(self.tr(" s"))
        self.checkout_reset.setSpecialValueText(self.tr("never"))
        self.checkout_reset.setValue(options.checkout_reset_seconds)
        form.addRow(self.tr("Checkout clears after idle"), self.checkout_reset)
        note = QLabel(self.tr("Language changes take effect when the console starts again."))
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        try:
            changed = replace(self.options, language=self.language.currentData(),
                              sync_interval_seconds=self.interval.value(), auto_lock_minutes=self.auto_lock.value(),
                              checkout_reset_seconds=self.checkout_reset.value())
            settings.save(changed)
        except AssociateError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), labels.error_message(exc))
            return
        self.options = changed
        self.accept()
