"""Starting the console: Qt application, qasync event loop, language, one instance, sign-in, main window.

``run(args)`` is called by ``associate_app.cli`` for ``associate-app`` and ``associate-app --demo``.
The demo gets its own data folder (``<data>/demo``) and an embedded HQ; ``--screenshot FILE`` renders a
view once the window is ready and exits (offscreen when there is no display).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from argparse import Namespace
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from associate_app import paths, settings

log = logging.getLogger(__name__)


def _needs_offscreen() -> bool:
    """No display to open a window on (a server, CI): render offscreen instead of failing."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    return sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(args: Namespace) -> int:
    """The GUI's main; returns the exit code."""
    if args.screenshot and _needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if args.demo:
        home = Path(args.home) if getattr(args, "home", None) else paths.data_dir() / "demo"
        os.environ["ASSOCIATE_APP_HOME"] = str(home)
        home.mkdir(parents=True, exist_ok=True)

    import qasync
    from PySide6.QtCore import QLockFile
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from associate_app.ui import i18n
    from associate_app.ui.controller import Controller
    from associate_app.ui.error_dialog import install_excepthook

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("associate-app")
    app.setApplicationDisplayName("门店导购工作台")
    app.setOrganizationName("AssociateApp")
    icon = i18n.resources_dir() / "icons" / "app.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    loaded = settings.load()
    language = args.language or loaded.options.language
    i18n.install(app, language)
    install_excepthook()
    for problem in loaded.problems:
        log.warning("settings: %s", problem)

    lock = QLockFile(str(paths.data_dir() / "associate-app.lock"))
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    if not args.screenshot and not lock.tryLock(100):
        QMessageBox.information(None, app.applicationDisplayName(), app.translate(
            "App", "The console is already open for this user. Look for its window in the taskbar."))
        return 1

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="app")
    loop.set_default_executor(executor)
    controller = Controller(app, loaded.options, args)
    try:
        with loop:
            code = loop.run_until_complete(controller.main())
    finally:
        controller.shutdown()
        executor.shutdown(wait=False, cancel_futures=True)
        asyncio.set_event_loop(None)
        lock.unlock()
    return code
