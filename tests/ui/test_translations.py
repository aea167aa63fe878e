"""Chinese first: every string the UI shows has a translation, and none slips past Qt's translation files.

Three nets: the .ts files hold a finished translation for every source string (and are up to date with
the code: lupdate into a scratch copy adds nothing); the vocabulary's Chinese equals the core's ``ZH``;
and every view of every role, rendered in zh_CN, shows no English words.
"""

from __future__ import annotations

import re
import shutil

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLabel, QLineEdit, QWidget

from associate_app.domain.vocabulary import ZH, Role
from associate_app.ui import i18n, labels
from associate_app.ui.main_window import MainWindow

# Words that are the same in Chinese text: key names, units, IDs. Anything else in Latin letters is English.
ALLOWED = {"Ctrl", "Enter", "Esc", "Tab", "Alt", "Shift", "RFM", "VIP", "HQ", "PDF", "CSV", "Excel"}
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def test_every_source_string_has_a_chinese_translation():
    assert i18n.untranslated("zh_CN") == []


def test_translation_files_are_up_to_date_with_the_code(tmp_path, monkeypatch):
    """lupdate over the current code into a copy of the .ts files finds no new string."""
    copy = tmp_path / "resources"
    shutil.copytree(i18n.resources_dir(), copy)
    monkeypatch.setattr(i18n, "resources_dir", lambda: copy)
    i18n.update("zh_CN")
    assert i18n.untranslated("zh_CN") == []


def test_vocabulary_in_chinese_is_the_cores_vocabulary():
    for code, chinese in ZH.items():
        assert labels.term(code) == chinese, code


def _visible_texts(root: QWidget) -> list[tuple[str, str]]:
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root):
            continue
        texts = []
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += _model_texts(widget.model())
        texts.append(widget.toolTip())
        found += [(widget.objectName() or type(widget).__name__, t) for t in texts if t]
    return found


def _model_texts(model: QAbstractItemModel, rows: int = 5) -> list[str]:
    """Column headers and the first rows as displayed."""
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
    texts = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)]
    for row in range(min(rows, model.rowCount())):
        texts += [str(model.index(row, c).data() or "") for c in range(columns)]
    return texts


def _english(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    plain = [(name, re.sub(r"<[^>]+>", " ", text)) for name, text in texts]
    return [(name, text) for name, text in plain
            if any(word not in ALLOWED for word in ENGLISH_WORD.findall(text))]


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.CASHIER, Role.MANAGER])
def test_no_view_shows_english_in_the_chinese_interface(ui_ctx_for, qtbot, role):
    ctx = ui_ctx_for(role)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    names = [window.nav.item(row).data(256) for row in range(window.nav.count())]
    member = ctx.store.scalar("SELECT min(id) FROM members")
    window.show_member(member)
    shown = _english(_visible_texts(window))
    for name in names:
        window.show_view(name)
        shown += _english(_visible_texts(window))
    assert shown == []
