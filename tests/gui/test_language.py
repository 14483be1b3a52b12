"""The interface languages: View ▸ Language switches English / 简体中文 at once, and is remembered.

The switch tests use the real catalogue ``resources/i18n/workbench_zh_CN.qm``
(compiled from the .ts by ``python -m workbench.gui.i18n update``) and skip
only while it does not exist yet. Expected texts come from the catalogue
through ``QCoreApplication.translate``, never typed in here, so the tests
follow the translators' wording. Every test ends in English again: the
translator is global to the app and the other GUI tests read English texts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui.conftest import assert_no_active_timers
from workbench.gui import i18n
from workbench.gui.main_window import TAB_NAMES, MainWindow
from workbench.gui.settings import Settings
from workbench.gui.widgets.saliency_view import saliency_html
from workbench.gui.workers import TaskRunner

WAIT_MS = 30_000
MENUS = ("&File", "&Run", "&Inspect", "&View", "&Help")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\d+")


def _zh_qm() -> Path:
    return i18n.catalogue("zh_CN")


def _zh_ts() -> Path:
    return i18n.I18N_DIR / "workbench_zh_CN.ts"


def _needs_catalogue() -> None:
    if not _zh_qm().is_file():
        pytest.skip(f"{_zh_qm()} is not compiled yet (python -m workbench.gui.i18n update)")


def tr(text: str, context: str = "MainWindow") -> str:
    return QCoreApplication.translate(context, text)


@pytest.fixture
def english_afterwards(qapp) -> Iterator[None]:
    yield
    i18n.install_language("en")
    if hasattr(qapp, "workbench_window"):
        del qapp.workbench_window


def _new_window(qtbot, tmp_path: Path) -> MainWindow:
    settings = Settings()
    settings.set_workspace(tmp_path / "runs")
    window = MainWindow(demo=False, settings=settings)
    window.show()
    qtbot.waitUntil(lambda: not window.busy(), timeout=WAIT_MS)
    return window


def _switch(qtbot, window: MainWindow, code: str) -> MainWindow:
    """Choose ``code`` in View ▸ Language as a user does; the rebuilt window replaces ``window``."""
    with qtbot.waitSignal(window.replaced, timeout=WAIT_MS) as blocker:
        window.language_actions[code].trigger()
    new = blocker.args[0]
    qtbot.addWidget(new)
    # The old window is gone for good (closed and deleted), so its panels and models are freed.
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=WAIT_MS)
    assert QApplication.instance().workbench_window is new  # the app holds the current window
    qtbot.waitUntil(lambda: not new.busy(), timeout=WAIT_MS)
    return new


def _menu_titles(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def _close(window: MainWindow) -> None:
    window.close()
    assert_no_active_timers(window)


def test_switching_language_rebuilds_the_window_and_is_remembered(
    qtbot, tmp_path: Path, english_afterwards: None
) -> None:
    _needs_catalogue()
    from workbench.gui.app import create_app

    first = _new_window(qtbot, tmp_path)
    assert [first.tabs.tabText(i) for i in range(first.tabs.count())] == list(TAB_NAMES)
    assert (
        first.language_actions["en"].isChecked() and not first.language_actions["zh_CN"].isChecked()
    )
    # The language names are written in their own language, never translated.
    assert [a.text() for a in first.language_menu.actions()] == ["English", "简体中文"]
    first.show_panel("Attention")

    chinese = _switch(qtbot, first, "zh_CN")
    assert i18n.current_language() == "zh_CN" and Settings().language() == "zh_CN"
    tabs = [chinese.tabs.tabText(i) for i in range(chinese.tabs.count())]
    expected_tabs = [tr(name) for name in TAB_NAMES]
    assert all(t != name for t, name in zip(expected_tabs, TAB_NAMES)), (
        "the catalogue leaves tab names English"
    )
    assert tabs == expected_tabs
    assert _menu_titles(chinese)[: len(MENUS)] == [tr(m) for m in MENUS] != list(MENUS)
    assert chinese.whatif_panel.compute_button.text() == tr("Compare", "WhatIfPanel") != "Compare"
    assert (
        chinese.language_actions["zh_CN"].isChecked()
        and not chinese.language_actions["en"].isChecked()
    )
    assert chinese.tabs.currentIndex() == TAB_NAMES.index(
        "Attention"
    )  # same tab as before the switch
    assert [a.text() for a in chinese.language_menu.actions()] == ["English", "简体中文"]
    _close(chinese)

    # The next start: English installed, then the app installs the remembered language.
    i18n.install_language("en")
    create_app()
    assert i18n.current_language() == "zh_CN"
    second = MainWindow(
        demo=False, settings=Settings()
    )  # not given to qtbot: the switch deletes it
    second.show()
    assert second.tabs.tabText(0) == tr("Dataset") != "Dataset"
    assert second.language_actions["zh_CN"].isChecked()
    qtbot.waitUntil(lambda: not second.busy(), timeout=WAIT_MS)

    english = _switch(qtbot, second, "en")
    assert i18n.current_language() == "en" and Settings().language() == "en"
    assert [english.tabs.tabText(i) for i in range(english.tabs.count())] == list(TAB_NAMES)
    assert _menu_titles(english)[: len(MENUS)] == list(MENUS)
    assert english.language_actions["en"].isChecked()
    _close(english)


def test_running_work_postpones_the_switch_to_the_next_start(
    qtbot, tmp_path: Path, english_afterwards: None
) -> None:
    window = _new_window(qtbot, tmp_path)
    qtbot.addWidget(window)
    gate = threading.Event()
    runner = TaskRunner()
    try:
        runner.run(gate.wait, 30)  # a worker thread busy until the gate opens
        assert window.busy()
        with qtbot.assertNotEmitted(window.replaced):
            window.language_actions["zh_CN"].trigger()
        boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
        assert len(boxes) == 1 and "简体中文" in boxes[0].text() and "next time" in boxes[0].text()
        boxes[0].close()
        # Remembered for the next start, but nothing changed now.
        assert Settings().language() == "zh_CN" and i18n.current_language() == "en"
        assert window.tabs.tabText(0) == "Dataset" and window.successor is None
        assert window.language_actions["zh_CN"].isChecked()
    finally:
        gate.set()
        runner.shutdown()
    _close(window)


def test_chinese_saliency_text_reads_as_written() -> None:
    """One token per character (BERT's Chinese tokenizers): no spaces between the characters."""
    tokens = ["[CLS]", "这", "家", "酒", "店", "很", "干", "净", "，", "good", "##s", "[SEP]"]
    special = np.array([1] + [0] * 10 + [1], dtype=bool)
    text = saliency_html(tokens, np.linspace(-1, 1, len(tokens)), special)
    words = re.sub(r"<[^>]+>", "", text)
    assert words == "这家酒店很干净，goods"
    assert text.count("<span") == 10


def _messages(ts: Path) -> list[tuple[str, str, ET.Element | None]]:
    root = ET.parse(ts).getroot()
    return [
        (
            context.findtext("name") or "",
            message.findtext("source") or "",
            message.find("translation"),
        )
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def test_catalogue_is_complete_and_keeps_placeholders() -> None:
    ts = _zh_ts()
    if not ts.is_file():
        pytest.skip(f"{ts} does not exist yet (python -m workbench.gui.i18n update)")
    problems = []
    for context, source, translation in _messages(ts):
        where = f"{context}: {source!r}"
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(f"unfinished {where}")
            continue
        text = translation.text or ""
        if not text.strip():
            problems.append(f"empty {where}")
        elif sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(text)):
            problems.append(f"placeholders differ {where} -> {text!r}")
        elif re.search(r"&[^&\s]", source) and not re.search(r"&[^&\s]", text):
            problems.append(f"mnemonic lost {where} -> {text!r}")
    assert not problems, "\n".join(problems)


def test_catalogue_has_every_string_of_the_interface(tmp_path: Path) -> None:
    """Strings wrapped in tr() but missing from the catalogue would show in English."""
    ts = _zh_ts()
    if not ts.is_file():
        pytest.skip(f"{ts} does not exist yet (python -m workbench.gui.i18n update)")
    lupdate = shutil.which("pyside6-lupdate")
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed")
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in i18n.GUI_DIR.rglob("*.py"))
    subprocess.run(
        [lupdate, "-no-obsolete", *sources, "-ts", str(fresh)], check=True, capture_output=True
    )
    translated = {
        (c, s) for c, s, t in _messages(ts) if t is not None and t.get("type") is None and t.text
    }
    missing = sorted({(c, s) for c, s, _ in _messages(fresh)} - translated)
    assert not missing, (
        "not translated (run python -m workbench.gui.i18n update, then translate):\n"
        + "\n".join(f"{c}: {s!r}" for c, s in missing)
    )
