"""Unexpected errors: written in full to the log, shown in a dialog whose details can be copied for IT.

Installed as ``sys.excepthook`` (and for threads), so no traceback ever reaches the user's face and the
window stays usable. Repeats of the same error within a few seconds open one dialog, not a cascade.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import time
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from associate_app import __version__
from associate_app.paths import log_dir

log = logging.getLogger("associate_app.unexpected")
_last_shown: dict[str, float] = {}
_open_dialogs: list[QDialog] = []


def details_text(error: BaseException) -> str:
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return (f"associate-app {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
            f"{time.strftime('%Y-%m-%d %H:%M:%S')}\n\n{trace}")


class ErrorDialog(QDialog):
    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Something went wrong"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        text = QLabel(self.tr("An unexpected error happened. What you saved before is safe.\n"
                              "The details below are also in the log file: {0}").format(log_dir()))
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(text)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(220)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(self.tr("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def show_unexpected(error: BaseException, parent: QWidget | None = None) -> None:
    """Log ``error`` with its traceback and show the dialog (non-modal, so a broken view cannot trap the user)."""
    log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    if QCoreApplication.instance() is None:
        return
    key = f"{type(error).__name__}:{error}"
    now = time.monotonic()
    if now - _last_shown.get(key, -60.0) < 5.0:
        return
    _last_shown[key] = now
    dialog = ErrorDialog(details_text(error), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_dialogs.append(dialog)
    dialog.finished.connect(lambda _r: _open_dialogs.remove(dialog) if dialog in _open_dialogs else None)
    dialog.show()


def install_excepthook() -> None:
    """Uncaught exceptions in Qt slots and threads go to the log and the dialog instead of killing the app."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        error.__traceback__ = tb
        show_unexpected(error)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.error("unexpected error in thread %s", args.thread.name if args.thread else "?",
                      exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = hook
    threading.excepthook = thread_hook
