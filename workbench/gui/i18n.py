"""The interface languages: Qt translation files, chosen in View ▸ Language and remembered.

Strings in the GUI go through Qt's ``self.tr("…")`` (or ``translate(context, …)``
for module-level text), so ``pyside6-lupdate`` finds them. The catalogues live
in ``resources/i18n``: ``workbench_<lang>.ts`` is the editable source (Qt
Linguist opens it) and ``workbench_<lang>.qm`` the compiled file the app loads.
After changing GUI strings, refresh both with::

    python -m workbench.gui.i18n update

English is the source language and needs no file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parents[2] / "resources" / "i18n"
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

    Affects widgets created afterwards (the main window rebuilds itself on a
    switch). Returns False, leaving English, when the language or its file is
    missing.
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


def update_catalogues() -> None:
    """Extract the GUI strings into the .ts files (keeping existing translations) and compile them."""
    sources = sorted(str(p) for p in GUI_DIR.rglob("*.py"))
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue
        ts = I18N_DIR / f"workbench_{language}.ts"
        subprocess.run([_tool("lupdate"), "-no-obsolete", *sources, "-ts", str(ts)], check=True)
        subprocess.run([_tool("lrelease"), str(ts), "-qm", str(catalogue(language))], check=True)


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    if sys.argv[1:] != ["update"]:
        raise SystemExit("usage: python -m workbench.gui.i18n update")
    update_catalogues()
