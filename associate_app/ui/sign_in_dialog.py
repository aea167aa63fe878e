"""First-run setup and sign-in in one dialog: HQ's address (first run, or on request), store, staff number, password.

Signing in talks to HQ, so it runs on a worker thread and answers through a queued signal: the dialog
stays responsive while it waits. Settings are saved only after HQ said yes; a refusal clears the password,
says why in the user's language and changes nothing on disk.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from associate_app import settings
from associate_app.credentials import CredentialStore
from associate_app.errors import AssociateError, InvalidInput
from associate_app.session import Session, sign_in
from associate_app.settings import Options
from associate_app.ui import labels
from associate_app.ui.error_dialog import show_unexpected
from associate_app.ui.style import DANGER, PRIMARY, STYLE

log = logging.getLogger(__name__)


class SignInDialog(QDialog):
    """``exec()``/``open()``; after ``accepted`` the signed-in ``Session`` is ``dialog.session``."""

    _answered = Signal(object, object)  # Session | None, error | None; emitted on the worker thread

    def __init__(self, options: Options, credentials: CredentialStore, parent: QWidget | None = None, *,
                 locked_account: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setStyleSheet(STYLE)
        self.setWindowTitle(self.tr("Sign in · Store Associate Console"))
        self.setMinimumWidth(460)
        self.options = options
        self.credentials = credentials
        self.session: Session | None = None
        self.busy = False
        self._abandoned = False
        self._pool: ThreadPoolExecutor | None = None
        self._answered.connect(self._finish, Qt.ConnectionType.QueuedConnection)
        self._build(locked_account)

    def _build(self, locked_account: bool) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        heading = QLabel(self.tr("Sign in") if self.options.hq_url else self.tr("Set up this computer"),
                         objectName="signInHeading")
        heading.setStyleSheet("font-size: 18px; font-weight: 600;")
        layout.addWidget(heading)
        form = QFormLayout()
        self.hq_url = QLineEdit(self.options.hq_url, objectName="hqUrl")
        self.hq_url.setPlaceholderText("https://hq.example.com")
        self._hq_label = QLabel(self.tr("HQ address"))
        form.addRow(self._hq_label, self.hq_url)
        self.store_code = QLineEdit(self.options.store_code, objectName="storeCode")
        self.store_code.setPlaceholderText(self.tr("e.g. SH001"))
        form.addRow(self.tr("Store code"), self.store_code)
        self.staff_no = QLineEdit(self.options.staff_no, objectName="staffNo")
        self.staff_no.setPlaceholderText(self.tr("e.g. A001"))
        form.addRow(self.tr("Staff number"), self.staff_no)
        self.password = QLineEdit(objectName="password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Password"), self.password)
        layout.addLayout(form)
        first_run = not self.options.hq_url
        self.change_hq = QPushButton(self.tr("Change HQ address"), objectName="changeHq")
        self.change_hq.setCheckable(True)
        self.change_hq.setStyleSheet(f"border: none; background: transparent; color: {PRIMARY}; padding: 2px 0;")
        self.change_hq.setVisible(not first_run and not locked_account)
        self.change_hq.toggled.connect(self._show_hq)
        layout.addWidget(self.change_hq, 0, Qt.AlignmentFlag.AlignLeft)
        self._show_hq(first_run)
        if locked_account:
            for field in (self.store_code, self.staff_no):
                field.setReadOnly(True)
        self.message = QLabel(objectName="signInMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {DANGER};")
        self.message.hide()
        layout.addWidget(self.message)
        if self.credentials.notice_code is not None:  # no keyring: say what that means
            layout.addWidget(self._notice())
        self.sign_in_button = QPushButton(self.tr("Sign in"), objectName="signInButton")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setProperty("primary", True)
        self.sign_in_button.clicked.connect(self.submit)
        layout.addWidget(self.sign_in_button)
        empty = [f for f in (self.hq_url, self.store_code, self.staff_no) if not f.isHidden() and not f.text()]
        (empty or [self.password])[0].setFocus()

    def _notice(self) -> QLabel:
        """No keyring: the token lives only as long as this run (``credentials.notice_code``)."""
        notice = QLabel(self.tr("This computer has no secure place to keep your sign-in: it is kept only until "
                                "the console closes, and you will sign in again next time."),
                        objectName="credentialsNotice")
        notice.setWordWrap(True)
        notice.setStyleSheet("background: #fef3c7; color: #92400e; border-radius: 6px; padding: 8px;")
        return notice

    def _show_hq(self, shown: bool) -> None:
        self._hq_label.setVisible(shown)
        self.hq_url.setVisible(shown)
        if not shown:
            self.hq_url.setText(self.options.hq_url)
        else:
            self.hq_url.setFocus()

    # Signing in ---------------------------------------------------------------------------------

    def submit(self) -> None:
        """Check what was typed, then sign in on a worker thread."""
        if self.busy:
            return
        wanted = self._typed_options()
        if wanted is None:
            return
        password = self.password.text()
        if not password:
            self._fail(self.tr("Enter your password."))
            return
        self._set_busy(True)
        self.message.hide()
        credentials = self.credentials
        self._pool = self._pool or ThreadPoolExecutor(max_workers=1, thread_name_prefix="sign-in")
        future = self._pool.submit(sign_in, wanted, password, credentials)
        future.add_done_callback(self._from_worker)

    def _typed_options(self) -> Options | None:
        """The options as typed, or None after telling the user which field is wrong."""
        try:
            url = settings.validate_hq_url(self.hq_url.text())
        except InvalidInput:
            self._fail(self.tr("The HQ address is not valid: it starts with https:// and the server's name "
                               "(http:// only for this computer)."), self.hq_url)
            return None
        checks = ((self.store_code, "store_code", self.tr("Enter the store code, e.g. SH001.")),
                  (self.staff_no, "staff_no", self.tr("Enter your staff number, e.g. A001.")))
        codes = []
        for field, name, problem in checks:
            try:
                code = settings.normalise_code(field.text(), name)
            except InvalidInput:
                code = ""
            if not code:
                self._fail(problem, field)
                return None
            codes.append(code)
        try:
            return replace(self.options, hq_url=url, store_code=codes[0], staff_no=codes[1])
        except InvalidInput as exc:
            self._fail(labels.error_message(exc))
            return None

    def _from_worker(self, future: Future) -> None:
        """On the worker thread: hand the answer to the UI thread (or close it if the dialog is gone)."""
        error = future.exception()
        session = None if error is not None else future.result()
        try:
            self._answered.emit(session, error)
        except RuntimeError:  # the dialog was destroyed meanwhile: nobody will use this session
            if session is not None:
                session.close()

    def _finish(self, session: Session | None, error: BaseException | None) -> None:
        self._set_busy(False)
        if self._abandoned:
            if session is not None:
                session.close()
            return
        if error is not None:
            self._refused(error)
            return
        try:
            settings.save(session.options)
        except AssociateError as exc:  # signed in all the same; only next start's defaults are lost
            log.warning("sign-in settings not saved: %s", exc)
        self.session = session
        self.accept()

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, AssociateError):
            log.error("sign-in failed unexpectedly", exc_info=error)
            show_unexpected(error, self)
            self._fail("", self.password)
            return
        code = getattr(error, "code", "")
        if code == "offline":
            text = self.tr("HQ cannot be reached: check the network and HQ's address, then try again.")
        elif code == "certificate":
            text = self.tr("HQ's certificate is not trusted: tell IT. Nothing was sent.")
        elif code == "too_many_attempts" and getattr(error, "retry_after", None):
            minutes = max(1, round(float(error.retry_after) / 60))
            text = self.tr("Too many failed sign-ins: try again in {0} minutes.").format(minutes)
        else:
            text = labels.error_message(error)
        self._fail(text, self.password)

    def _fail(self, text: str, field: QLineEdit | None = None) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        target = field or self.password
        if target is self.password:
            self.password.clear()
        target.setFocus()
        target.selectAll()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.sign_in_button.setEnabled(not busy)
        self.sign_in_button.setText(self.tr("Signing in…") if busy else self.tr("Sign in"))
        for field in (self.hq_url, self.store_code, self.staff_no, self.password, self.change_hq):
            field.setEnabled(not busy)

    def reject(self) -> None:
        """Closing while HQ is asked: the answer, when it comes, is thrown away."""
        if self.busy:
            self._abandoned = True
        super().reject()

    def done(self, result: int) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None
        super().done(result)
