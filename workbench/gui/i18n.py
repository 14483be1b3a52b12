"""The interface languages: Qt translation files, chosen in View ▸ Language and remembered.

Strings in the GUI go through Qt's ``self.tr("…")`` (or ``translate(context, …)``
for module-level text), so ``pyside6-lupdate`` finds them. The catalogues live
in ``resources/i18n``: ``workbench_<lang>.ts`` is the editable source (Qt
Linguist opens it) and ``workbench_<lang>.qm`` the compiled file the app loads.
After changing GUI strings, refresh both with::

    python -m workbench.gui.i18n update

and add translations in Qt Linguist, or from JSON tables ``{context: {source: text}}``
with ``python -m workbench.gui.i18n fill zh_CN TABLE.json...``.

English is the source language and needs no file.

A switch in View ▸ Language retranslates the open window in place
(``workbench/gui/retranslate.py``): texts set from ``self.tr`` are found again in
the catalogue, also when formatted with values or joined with " · ", a line break
or "; ". A widget that joins translated pieces otherwise, or keeps a translated
text to show later, re-renders it in a ``retranslate()`` method, called after the
switch (tests/gui/test_language.py lists what stays untranslated).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from workbench.resources import resource_path

# The installed package's catalogues; in an editable install, the repository's resources/i18n
# (where ``update`` writes: run it from a checkout, a wheel carries only the .qm files).
I18N_DIR = resource_path("i18n")
GUI_DIR = Path(__file__).resolve().parent
# Language code -> its name written in that language (what the menu shows).
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}
DEFAULT_LANGUAGE = "en"

# The translators currently installed, kept referenced: Qt does not own them.
_installed: list[QTranslator] = []
_current = DEFAULT_LANGUAGE


def translate(context: str, text: str) -> str:
    """Translate text that is not inside a QObject method (module-level tables, worker messages)."""
    return QCoreApplication.translate(context, text)


def catalogue(language: str) -> Path:
    return I18N_DIR / f"workbench_{language}.qm"


def catalogues() -> dict[str, Path]:
    """The compiled catalogue of each language but the source one (English needs none)."""
    return {code: catalogue(code) for code in LANGUAGES if code != DEFAULT_LANGUAGE}


def system_language() -> str:
    """The supported language closest to the system locale (first launch only)."""
    name = QLocale.system().name()  # e.g. "zh_CN", "en_GB"
    if name in LANGUAGES:
        return name
    if name.startswith("zh"):
        return "zh_CN"
    return DEFAULT_LANGUAGE


def install_language(language: str) -> bool:
    """Make ``language`` the interface language of the running app.

    Affects texts translated afterwards; an open window takes its texts to the
    new language with ``workbench.gui.retranslate`` (MainWindow.set_language).
    Returns False, leaving English, when the language or its file is missing.
    """
    global _current
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_language needs a QApplication")
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _current = DEFAULT_LANGUAGE
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return language == DEFAULT_LANGUAGE
    ours = QTranslator(app)
    if not ours.load(str(catalogue(language))):
        return False
    _current = language
    app.installTranslator(ours)
    _installed.append(ours)
    # Qt's own strings (standard dialog buttons, context menus), when Qt ships them.
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    return True


def current_language() -> str:
    return _current


# ---- maintenance: refresh the catalogues from the source ----------------------------------

def _tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"pyside6-{name} not found; it comes with PySide6 (pip install PySide6-Essentials).")
    return found


def update_catalogues(fill: dict[str, list[Path]] | None = None) -> list[tuple[str, str]]:
    """Extract the GUI strings into the .ts files (keeping existing translations) and compile them.

    ``fill``: language -> JSON tables whose translations go into the fresh
    entries before compiling (see ``fill_translations``). Returns what is
    still untranslated there.
    """
    sources = sorted(str(p) for p in GUI_DIR.rglob("*.py"))
    missing: list[tuple[str, str]] = []
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue
        ts = I18N_DIR / f"workbench_{language}.ts"
        lupdate = [_tool("lupdate"), "-no-obsolete", *sources, "-ts", str(ts)]
        subprocess.run(lupdate, check=True)
        if fill and language in fill:
            missing += fill_translations(language, fill[language])
            subprocess.run(lupdate, check=True, capture_output=True)  # back to lupdate's own layout
        subprocess.run([_tool("lrelease"), str(ts), "-qm", str(catalogue(language))], check=True)
    return missing


def fill_translations(language: str, tables: list[Path]) -> list[tuple[str, str]]:
    """Fill the unfinished entries of a .ts file from JSON tables ``{context: {source: text}}``.

    For translators who work outside Qt Linguist (and for several people adding
    strings at once: each writes a table, one person merges). A source found
    under another context is used too, so a phrase is translated once. Returns
    the (context, source) pairs still untranslated.
    """
    import json
    import xml.etree.ElementTree as ET

    by_context: dict[str, dict[str, str]] = {}
    for table in tables:
        for context, entries in json.loads(table.read_text(encoding="utf-8")).items():
            by_context.setdefault(context, {}).update(entries)
    anywhere = {src: text for entries in by_context.values() for src, text in entries.items()}
    ts = I18N_DIR / f"workbench_{language}.ts"
    tree = ET.parse(ts)
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or (translation.text and translation.get("type") != "unfinished"):
                continue
            source = message.findtext("source", "")
            text = by_context.get(name, {}).get(source) or anywhere.get(source)
            if text:
                translation.text = text
                translation.attrib.pop("type", None)
            else:
                missing.append((name, source))
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    return missing


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    args = sys.argv[1:]
    if args == ["update"]:
        update_catalogues()
    elif len(args) >= 3 and args[0] == "fill":
        for context, source in update_catalogues({args[1]: [Path(a) for a in args[2:]]}):
            print(f"untranslated: {context}: {source!r}")
    else:
        raise SystemExit("usage: python -m workbench.gui.i18n update | fill LANGUAGE TABLE.json...")
