# PyInstaller run-time hook (build.spec): runs in the bundle before the application's first import.
#
# qasync picks its Qt binding from the QT_API environment variable, else by trying PyQt5, PyQt6, PySide2 and
# PySide6 in turn. The bundle holds only PySide6, so the choice is made here, overriding a QT_API that the
# counter PC may set for other programs (QT_API=pyqt5 would otherwise stop the console at start-up).
import os

os.environ["QT_API"] = "pyside6"
