"""Who is at the counter PC: resume or sign in, open the window, switch user, sign out, the demo's accounts.

Runs as a coroutine on qasync's loop. Everything slow (the demo HQ's seeding, signing in over the network)
runs in the loop's executor, so the window never freezes; a session's widgets live and die with it.
"""

from __future__ import annotations

import asyncio
import logging
from argparse import Namespace
from dataclasses import replace

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from associate_app import paths, settings
from associate_app.credentials import CredentialStore
from associate_app.demo.live_hq import DEMO_PASSWORD, DemoHQ, reset_profiles, start_demo_hq
from associate_app.domain.vocabulary import Role
from associate_app.errors import AssociateError
from associate_app.session import NotSignedIn, Session, resume, sign_in, sign_out
from associate_app.settings import Options
from associate_app.ui import labels
from associate_app.ui.context import AppContext
from associate_app.ui.main_window import MainWindow
from associate_app.ui.screenshot import take_screenshot

log = logging.getLogger(__name__)


class Controller(QObject):
    def __init__(self, app: QApplication, options: Options, args: Namespace) -> None:
        super().__init__()
        self.app = app
        self.options = options
        self.args = args
        self.credentials = CredentialStore()
        self.demo: DemoHQ | None = None
        self.window: MainWindow | None = None
        self.ctx: AppContext | None = None
        self._done: asyncio.Future[int] | None = None

    async def main(self) -> int:
        self._done = asyncio.get_running_loop().create_future()
        try:
            session = await (self._demo_session(Role(self.args.role)) if self.args.demo else self._first_session())
        except AssociateError as exc:
            QMessageBox.critical(None, self.app.applicationDisplayName(), labels.error_message(exc))
            return 2
        if session is None:
            return 0
        self._open(session)
        if self.args.screenshot:
            return await take_screenshot(self.window, self.ctx, self.args.screenshot, self.args.view)
        self.app.setQuitOnLastWindowClosed(False)
        return await self._done

    # Sessions -----------------------------------------------------------------------------------

    async def _first_session(self) -> Session | None:
        try:
            return resume(self.options, self.credentials)
        except NotSignedIn:
            return await self._ask_sign_in()

    async def _ask_sign_in(self, options: Options | None = None) -> Session | None:
        from associate_app.ui.sign_in_dialog import SignInDialog

        dialog = SignInDialog(options or self.options, self.credentials)
        answered: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        dialog.finished.connect(lambda result: answered.done() or answered.set_result(bool(result)))
        dialog.open()
        accepted = await answered
        session = dialog.session if accepted else None
        if session is not None:
            self.options = session.options
        dialog.deleteLater()
        return session

    async def _demo_session(self, role: Role) -> Session:
        loop = asyncio.get_running_loop()
        if self.demo is None:
            reset_profiles(paths.data_dir())
            self.demo = await loop.run_in_executor(None, lambda: start_demo_hq(paths.data_dir() / "hq",
                                                                                 self.args.members))
        self.options = self.demo.options(role, language=self.options.language)
        options = self.options
        session = await loop.run_in_executor(None, lambda: sign_in(options, DEMO_PASSWORD, self.credentials))
        settings.save(options)
        return session

    def _open(self, session: Session) -> None:
        self.ctx = AppContext(session)
        self.window = MainWindow(self.ctx, demo=self.demo is not None)
        self.window.sign_out_requested.connect(lambda: asyncio.ensure_future(self._sign_out()))
        self.window.switch_user_requested.connect(lambda: asyncio.ensure_future(self._switch_user()))
        self.window.demo_account_requested.connect(lambda role: asyncio.ensure_future(self._switch_demo(role)))
        self.window.quit_requested.connect(self._quit)
        self.window.show()
        self.ctx.start_sync()

    def _close_session(self) -> Session | None:
        if self.window is None or self.ctx is None:
            return None
        session = self.ctx.session
        self.window.hide()
        self.ctx.close()
        self.window.deleteLater()
        self.window = self.ctx = None
        return session

    async def _sign_out(self) -> None:
        session = self._close_session()
        if session is not None:
            problem = await asyncio.get_running_loop().run_in_executor(None, lambda: sign_out(session))
            if problem:
                log.warning("signed out here; HQ could not be told: %s", problem)
        await self._next_person(replace(self.options, staff_no=""))

    async def _switch_user(self) -> None:
        session = self._close_session()
        if session is not None:
            session.close()  # the token stays: that person resumes without a password after unlocking
        await self._next_person(replace(self.options, staff_no=""))

    async def _switch_demo(self, role: str) -> None:
        session = self._close_session()
        if session is not None:
            session.close()
        self._open(await self._demo_session(Role(role)))

    async def _next_person(self, options: Options) -> None:
        session = await self._ask_sign_in(options)
        if session is None:
            self._quit()
        else:
            self._open(session)

    def _quit(self) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_result(0)

    def shutdown(self) -> None:
        """Stop syncing (a running cycle ends at a page boundary) and the demo HQ."""
        session = self._close_session()
        if session is not None:
            session.close()
        if self.demo is not None:
            self.demo.stop()
            self.demo = None
