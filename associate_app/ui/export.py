"""Export any dashboard table to CSV or Excel, written off the UI thread, failures told in plain words.

CSV is UTF-8 with a byte-order mark: without it Excel on a Chinese Windows reads the file as GBK and
shows mojibake. Excel files carry typed values (counts as numbers, rates as percentages) so a manager
can go on calculating. A file is written beside its target and renamed into place, so a full disk or a
failure half-way never leaves a truncated export where the old one was.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import os
import re
import tempfile
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QToolButton, QWidget

from associate_app.ui.dashboard_tables import RowsModel
from associate_app.ui.tasks_view import percent

CSV, XLSX = "csv", "xlsx"
Table = tuple[list[str], list[list[object]], set[int]]  # headers, typed rows, rate columns


def write_table(path: Path, kind: str, table: Table, sheet: str = "Sheet1") -> Path:
    """Write ``table`` to ``path`` as CSV or .xlsx, atomically; OSError when the folder or disk refuses."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=".export-", suffix=f".{kind}", dir=target.parent)
    os.close(handle)
    try:
        (_write_xlsx if kind == XLSX else _write_csv)(Path(temporary), table, sheet)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _write_csv(path: Path, table: Table, _sheet: str) -> None:
    headers, rows, rates = table
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([percent(v) if i in rates else ("" if v is None else v) for i, v in enumerate(row)])
        out.flush()
        os.fsync(out.fileno())


def _write_xlsx(path: Path, table: Table, sheet: str) -> None:
    from openpyxl import Workbook  # ~0.2 s to import: only an export pays it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    headers, rows, rates = table
    book = Workbook(write_only=True)
    ws = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "Sheet1")
    bold = Font(bold=True)
    ws.append([_cell(ws, WriteOnlyCell, h, font=bold) for h in headers])
    for row in rows:
        ws.append([_cell(ws, WriteOnlyCell, v, number_format="0%" if i in rates else None)
                   for i, v in enumerate(row)])
    book.save(path)


def _cell(ws, cell_type, value: object, *, font=None, number_format: str | None = None):
    cell = cell_type(ws, value=value)
    if font is not None:
        cell.font = font
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def default_name(title: str, kind: str) -> str:
    """门店看板-推送任务-20261202.xlsx: the title with characters Windows refuses taken out, and today."""
    clean = re.sub(r'[<>:"/\\|?*\s]+', "-", title).strip("-") or "export"
    return f"{clean}-{dt.date.today():%Y%m%d}.{kind}"


class ExportButton(QToolButton):
    """"Export" with CSV and Excel; ``export_to(path, kind)`` is the whole job (the menu only asks where)."""

    def __init__(self, ctx, model: RowsModel, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = model
        self.title = title  # changes with the drill-down's figure
        self.setObjectName("exportButton")
        self.setText(self.tr("Export"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        for text, kind in ((self.tr("Export to CSV…"), CSV), (self.tr("Export to Excel…"), XLSX)):
            action = QAction(text, menu)
            action.triggered.connect(lambda _=False, k=kind: self.choose_and_export(k))
            menu.addAction(action)
        self.setMenu(menu)
        self.last_written: Path | None = None  # for tests: the last file written

    def choose_and_export(self, kind: str) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        filters = self.tr("CSV file (*.csv)") if kind == CSV else self.tr("Excel workbook (*.xlsx)")
        suggested = str(Path(folder) / default_name(self.title, kind))
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), suggested, filters)
        if path:
            self.export_to(Path(path), kind)

    def export_to(self, path: Path, kind: str) -> None:
        """Snapshot the rows now (on the UI thread), write them on a worker, then say how it went."""
        table = self.model.table()
        if path.suffix.lower() != f".{kind}":
            path = path.with_name(path.name + f".{kind}")
        self.setEnabled(False)
        self.ctx.run(lambda: write_table(path, kind, table, self.title), self._written, self._failed(path))

    def _written(self, path: Path) -> None:
        self.setEnabled(True)
        self.last_written = path
        self.ctx.message.emit(self.tr("Exported {0} rows to {1}").format(len(self.model.rows), path))

    def _failed(self, path: Path):
        def show(error: BaseException) -> None:
            self.setEnabled(True)
            if not isinstance(error, OSError):
                self.ctx.unexpected(error)
                return
            QMessageBox.warning(self.window(), self.tr("Not exported"),
                                self.tr("{0} could not be saved: {1}").format(path, self.reason(error)))
        return show

    def reason(self, error: OSError) -> str:
        if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return self.tr("the disk is full. Free some space or choose another drive.")
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS) or isinstance(error, PermissionError):
            return self.tr("this folder cannot be written to (read-only, or no permission). Choose another folder.")
        if isinstance(error, FileNotFoundError):
            return self.tr("the folder does not exist. Choose another folder.")
        return self.tr("the file could not be written. Is it open in Excel? Close it, or choose another name.")

