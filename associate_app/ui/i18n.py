"""Languages through Qt's own machinery: English source strings, ``resources/i18n/<lang>/*.ts`` translations.

One ``.ts`` per UI module (kept in git, edited with Qt Linguist or by hand); the build compiles them into
one ``resources/i18n/associate_app_<lang>.qm`` (not in git). Qt's own strings (dialog buttons, the
context menu of a text field) come from Qt's ``qtbase_<lang>.qm``.

    python -m associate_app.ui.i18n update [MODULE…]  # lupdate: new strings into the .ts files
    python -m associate_app.ui.i18n fill MODULE FILE.json  # {"English": "中文"} into MODULE.ts
    python -m associate_app.ui.i18n check    # exit 1 and list every string without a translation
    python -m associate_app.ui.i18n build    # lrelease: the .qm files
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

TRANSLATED = ("zh_CN",)  # English is the source language
UI_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    """``resources/`` beside the package, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) / "resources" if bundle else UI_DIR.parents[1] / "resources"


def ts_dir(language: str) -> Path:
    return resources_dir() / "i18n" / language


def qm_path(language: str) -> Path:
    return resources_dir() / "i18n" / f"associate_app_{language}.qm"


def _tool(name: str) -> list[str]:
    """PySide6's lupdate/lrelease, run through its wrapper module (works in a venv and on Windows)."""
    return [sys.executable, "-c", f"import sys; from PySide6.scripts.pyside_tool import {name}; "
            f"sys.argv[0] = '{name}'; sys.exit({name}())"]


def ui_sources() -> list[Path]:
    return sorted(p for p in UI_DIR.rglob("*.py") if p.name != "__init__.py")


def build(language: str) -> Path:
    """Compile the language's .ts files into its .qm (``lrelease``); returns the .qm path."""
    sources = sorted(ts_dir(language).glob("*.ts"))
    target = qm_path(language)
    if not sources:
        raise FileNotFoundError(f"no translations in {ts_dir(language)}")
    subprocess.run([*_tool("lrelease"), "-silent", *map(str, sources), "-qm", str(target)], check=True)
    return target


def is_stale(language: str) -> bool:
    target = qm_path(language)
    if not target.exists():
        return True
    built = target.stat().st_mtime
    return any(ts.stat().st_mtime > built for ts in ts_dir(language).glob("*.ts"))


def update(language: str, modules: list[str] | None = None) -> None:
    """Extract the strings of each UI module (or of ``modules``) into its own .ts (translations kept)."""
    ts_dir(language).mkdir(parents=True, exist_ok=True)
    for source in ui_sources():
        if modules and source.stem not in modules:
            continue
        target = ts_dir(language) / f"{source.stem}.ts"
        subprocess.run([*_tool("lupdate"), "-silent", "-no-obsolete", "-locations", "none", "-source-language", "en",
                        "-target-language", language, str(source), "-ts", str(target)], check=True)
        if not _messages(target):
            target.unlink()  # a module with no visible text
    if not modules:
        write_core_messages(language)


def core_messages() -> dict[str, list[str]]:
    """English sentences the core owns and the UI shows translated (lupdate cannot see them)."""
    from associate_app.sync.rejections import EXPLAIN, UNKNOWN

    rejections = [text for pair in [*EXPLAIN.values(), UNKNOWN] for text in pair]
    return {"Rejections": list(dict.fromkeys(rejections))}


def write_core_messages(language: str) -> Path:
    """``core.ts``: the core's sentences, keeping the translations already made."""
    target = ts_dir(language) / "core.ts"
    known = {(c, s): t for c, s, t in _messages(target)} if target.exists() else {}
    root = ET.Element("TS", version="2.1", language=language, sourcelanguage="en")
    for name, sources in core_messages().items():
        context = ET.SubElement(root, "context")
        ET.SubElement(context, "name").text = name
        for source in sources:
            message = ET.SubElement(context, "message")
            ET.SubElement(message, "source").text = source
            old = known.get((name, source))
            translation = ET.SubElement(message, "translation")
            if old is not None and (old.text or "").strip() and old.get("type") != "unfinished":
                translation.text = old.text
            else:
                translation.set("type", "unfinished")
    ET.indent(root)
    target.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                      + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")
    return target


def _messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) for every message of a .ts file."""
    root = ET.parse(ts).getroot()
    found = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None:
                found.append((name, message.findtext("source") or "", translation))
    return found


def untranslated(language: str) -> list[str]:
    """``file: context: source`` for each message with no finished translation."""
    missing = []
    for ts in sorted(ts_dir(language).glob("*.ts")):
        for context, source, translation in _messages(ts):
            kind = translation.get("type")
            if kind not in ("vanished", "obsolete") and (kind == "unfinished" or not (translation.text or "").strip()):
                missing.append(f"{ts.name}: {context}: {source!r}")
    return missing


def fill(ts: Path, translations: dict[str, str]) -> int:
    """Set the translation of each message whose source is a key of ``translations``; returns how many."""
    tree = ET.parse(ts)
    count = 0
    for message in tree.getroot().iter("message"):
        source, translation = message.findtext("source"), message.find("translation")
        if translation is not None and source in translations:
            translation.text = translations[source]
            translation.attrib.pop("type", None)
            count += 1
    ET.indent(tree.getroot())
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                  + ET.tostring(tree.getroot(), encoding="unicode") + "\n", encoding="utf-8")
    return count


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load Qt's and our translations for ``language`` (building ours first if a .ts is newer)."""
    QLocale.setDefault(QLocale(language))
    if language not in TRANSLATED:
        return []
    if is_stale(language):
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            build(language)  # fails on a read-only install: the .qm that shipped is used, or English
    installed = []
    for path, name in ((QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), f"qtbase_{language}"),
                       (str(qm_path(language).parent), qm_path(language).stem)):
        translator = QTranslator(app)
        if translator.load(name, path):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    for language in TRANSLATED:
        if command == "update":
            update(language, argv[1:])
        elif command == "fill":  # fill MODULE FILE.json: {"English source": "译文", ...}
            import json

            ts = ts_dir(language) / f"{argv[1]}.ts"
            print(f"{fill(ts, json.loads(Path(argv[2]).read_text(encoding='utf-8')))} translations set in {ts}")
        elif command == "build":
            print(build(language))
        elif command == "check":
            missing = untranslated(language)
            for line in missing:
                print(f"{language}: untranslated: {line}")
            if missing:
                return 1
        else:
            print(__doc__)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
