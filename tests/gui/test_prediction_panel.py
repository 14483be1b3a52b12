"""PredictionPanel: live predictions in a worker, newest input wins, errors shown, every task drawn."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from PySide6.QtCore import QCoreApplication, Qt

from tests.conftest import shared
from workbench.engine.inference import Predictor
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.trainer import Trainer
from workbench.gui.panels.prediction_panel import DEBOUNCE_MS, PredictionPanel

WAIT_MS = 20_000


def _train(tmp: Path, data: Path, task: str) -> Path:
    out = tmp / f"run_{task}"
    events = list(
        Trainer(
            TrainConfig(
                data=str(data),
                task=task,
                model="bert-tiny",
                max_steps=5,
                output=str(out),
                vocab_size=1000,
                num_threads=2,
            )
        ).run()
    )
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    return out


@pytest.fixture(scope="module")
def classifier_run(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("cls")
    rows = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:61]
    csv = tmp / "train.csv"
    lines = ["text,label"]
    for row in rows:
        text, label = row.rsplit("\t", 1)
        lines.append(
            '"{}",{}'.format(
                text.strip().replace('"', "'"), "positive" if label.strip() == "1" else "negative"
            )
        )
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return _train(tmp, csv, "classification")


@pytest.fixture(scope="module")
def masked_lm_run(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("mlm")
    text = tmp / "corpus.txt"
    lines = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[:300]
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return _train(tmp, text, "masked-lm")


@pytest.fixture(scope="module")
def tagger_run(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("ner")
    sentences = (
        shared("wnut17", "emerging.dev.conll").read_text(encoding="utf-8").split("\n\n")[:60]
    )
    conll = tmp / "train.conll"
    conll.write_text("\n\n".join(sentences).strip() + "\n", encoding="utf-8")
    return _train(tmp, conll, "token-classification")


@pytest.fixture
def panel(qtbot):
    widget = PredictionPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    yield widget
    widget.shutdown()


def _deliver_stale_signals() -> None:
    """Deliver whatever the (already finished) worker threads queued: stale results would land now."""
    QCoreApplication.sendPostedEvents()


def test_typing_predicts_and_shows_probabilities(qtbot, panel, classifier_run) -> None:
    predictor = Predictor.load(classifier_run)
    panel.set_predictor(predictor)
    assert "Type a sentence" in panel.text_edit.placeholderText()
    seen: list[str] = []
    panel.prediction_ready.connect(lambda p, t, _result: seen.append(t))
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS) as blocker:
        qtbot.keyClicks(panel.text_edit, "a great film")
        assert panel._debounce.isActive()  # waiting for a pause in typing, not predicting yet
    assert blocker.args[0] is predictor and blocker.args[1] == "a great film"
    expected = predictor.predict(["a great film"])[0]
    shown = dict(panel.probability_bars.items())
    assert set(shown) == set(predictor.label_names) == {"negative", "positive"}
    assert abs(sum(shown.values()) - 1.0) < 1e-6
    for name, p in expected["probabilities"].items():
        assert abs(shown[name] - p) < 1e-6
    assert [p for _, p in panel.probability_bars.items()] == sorted(shown.values(), reverse=True)
    assert panel.label_view.text() == expected["label"]
    assert "ms" in panel.status_label.text() and "run_classification" in panel.status_label.text()
    # Rapid typing: one prediction, for the final text only.
    with qtbot.waitSignal(
        panel.prediction_ready,
        timeout=WAIT_MS,
        check_params_cb=lambda p, t, _result: t == "a great film, truly moving",
    ):
        qtbot.keyClicks(panel.text_edit, ", truly moving")
    panel.shutdown()
    _deliver_stale_signals()
    assert seen == ["a great film", "a great film, truly moving"]


def test_newest_request_wins(qtbot, panel, classifier_run) -> None:
    panel.set_predictor(Predictor.load(classifier_run))
    seen: list[str] = []
    panel.prediction_ready.connect(lambda p, t, _result: seen.append(t))
    with qtbot.waitSignal(
        panel.prediction_ready, timeout=WAIT_MS, check_params_cb=lambda p, t, _result: t == "final"
    ):
        for text in ("bad", "not bad", "quite good", "final"):
            panel.set_text(text)
            panel.predict_now()  # each supersedes the previous one
    panel.shutdown()  # every worker thread has ended ...
    _deliver_stale_signals()  # ... and anything they queued is delivered now
    assert seen == ["final"]
    assert panel.last_text == "final"


def test_bad_model_shows_error_and_panel_recovers(qtbot, panel, classifier_run, tmp_path) -> None:
    empty = tmp_path / "not_a_model"
    empty.mkdir()
    panel.set_model(str(empty))
    qtbot.waitUntil(lambda: not panel.banner.isHidden(), timeout=WAIT_MS)
    message = panel.banner.text()
    assert "Could not load the model" in message and "config.json" in message
    assert "Unexpected error" not in message
    assert panel.load_button.isEnabled()
    panel.set_model(str(tmp_path / "missing" / "folder"))
    qtbot.waitUntil(lambda: "not an existing folder" in panel.banner.text(), timeout=WAIT_MS)
    # A good model afterwards: the error goes away and predictions work.
    with qtbot.waitSignal(panel.model_loaded, timeout=WAIT_MS) as loaded:
        panel.set_model(str(classifier_run))
    assert isinstance(loaded.args[0], Predictor) and panel.banner.isHidden()
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        qtbot.keyClicks(panel.text_edit, "dull and boring")
    assert abs(sum(p for _, p in panel.probability_bars.items()) - 1.0) < 1e-6


def test_live_source_replaces_predictor_in_worker(qtbot, panel, classifier_run) -> None:
    first = Predictor.load(classifier_run)
    live = Predictor.load(classifier_run)
    with torch.no_grad():  # make the "latest weights" visibly different
        live.model.classifier.bias.copy_(torch.tensor([4.0, -4.0]))
    threads: list[threading.Thread] = []

    def source() -> Predictor:
        threads.append(threading.current_thread())
        return live

    panel.set_predictor(first)
    panel.set_live_source(source)
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS) as blocker:
        panel.set_text("an okay movie")
        panel.predict_now()
    assert blocker.args[0] is live and panel.predictor is live
    assert threads and all(t is not threading.main_thread() for t in threads)
    expected = live.predict(["an okay movie"])[0]["probabilities"]
    assert expected["negative"] > 0.99  # the bias shift, not the first model's weights
    shown = dict(panel.probability_bars.items())
    assert all(abs(shown[k] - v) < 1e-6 for k, v in expected.items())
    # None from the source keeps the current predictor.
    panel.set_live_source(lambda: None)
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS) as blocker:
        panel.set_text("an okay movie again")
        panel.predict_now()
    assert blocker.args[0] is live


def test_masked_lm_shows_fillers(qtbot, panel, masked_lm_run) -> None:
    predictor = Predictor.load(masked_lm_run)
    panel.set_predictor(predictor)
    assert "[MASK]" in panel.text_edit.placeholderText()
    assert panel.top_k_spin.isVisibleTo(panel) and not panel.generate_button.isVisibleTo(panel)
    panel.top_k_spin.setValue(4)
    text = "the [MASK] of the king , and the [MASK] ."
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        qtbot.keyClicks(panel.text_edit, text)
    expected = predictor.predict([text], top_k=4)[0]["masks"]
    bars = panel.filler_bars()
    assert len(bars) == 2
    for shown, want in zip(bars, expected):
        items = shown.items()
        assert [t for t, _ in items] == [f["token"] or "∅" for f in want]
        assert all(abs(p - f["score"]) < 1e-6 for (_, p), f in zip(items, want))
    # Without a [MASK] the panel says what to do and stays usable.
    panel.set_text("no mask here")
    qtbot.waitUntil(lambda: not panel.banner.isHidden(), timeout=WAIT_MS)
    assert "[MASK]" in panel.banner.text()


def test_token_classification_shows_tags(qtbot, panel, tagger_run) -> None:
    predictor = Predictor.load(tagger_run)
    panel.set_predictor(predictor)
    text = "Alice flew to Paris to meet the Google team"
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        qtbot.keyClicks(panel.text_edit, text)
    expected = predictor.predict([text])[0]
    assert panel.last_result["tags"] == expected["tags"] and len(expected["tags"]) == 9
    html_text = panel.tags_view.text()
    for word in expected["words"]:
        assert word in html_text
    assert panel.tag_chips == [
        (w, t) for w, t in zip(expected["words"], expected["tags"]) if t not in ("O", "")
    ]
    assert panel.results.currentWidget() is panel._tags_page


def test_tag_chips_coloured_by_entity_type(qtbot, panel) -> None:
    """Drawing only: a stub predictor with fixed tags runs through the same worker path."""
    words = ["Alice", "Smith", "flew", "to", "New", "York"]
    tags = ["B-person", "I-person", "O", "O", "B-location", "I-location"]
    stub = SimpleNamespace(
        task="token-classification",
        label_names=["O", "B-person", "I-person", "B-location", "I-location"],
        source=SimpleNamespace(spec="stub", kind="folder"),
        predict=lambda texts, **kw: [{"text": texts[0], "words": words, "tags": tags}],
    )
    panel.set_predictor(stub)
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        panel.set_text(" ".join(words))
    assert panel.tag_chips == [
        ("Alice", "B-person"),
        ("Smith", "I-person"),
        ("New", "B-location"),
        ("York", "I-location"),
    ]
    html_text = panel.tags_view.text()
    person, location = "#ffd8a8", "#b2f2bb"  # the first two palette colours, in label order
    assert html_text.count(person) == 3 and html_text.count(location) == 3  # 2 chips + legend each


def test_causal_lm_generates_only_on_request(qtbot, panel) -> None:
    calls: list[tuple[str, int]] = []

    def generate(texts, *, top_k=5, max_new_tokens=40):
        calls.append((texts[0], max_new_tokens))
        return [{"text": texts[0], "continuation": " and <then> more"}]

    stub = SimpleNamespace(
        task="causal-lm",
        label_names=[],
        source=SimpleNamespace(spec="gpt", kind="hub"),
        predict=generate,
    )
    panel.set_predictor(stub)
    assert panel.generate_button.isVisibleTo(panel) and panel.max_new_spin.isVisibleTo(panel)
    qtbot.keyClicks(panel.text_edit, "Once upon a time")
    assert (
        not panel._debounce.isActive() and not panel._predictions.busy
    )  # no generation while typing
    panel.max_new_spin.setValue(7)
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)
    assert calls == [("Once upon a time", 7)]
    shown = panel.continuation_view.toPlainText()
    assert shown == "Once upon a time and <then> more"
    assert "background-color:#d3f9d8" in panel.continuation_view.toHtml().replace(" ", "")
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        qtbot.keyClick(panel.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(calls) == 2
    assert DEBOUNCE_MS == 250


def test_panel_import_loads_no_torch() -> None:
    code = (
        "import sys; import workbench.gui.panels.prediction_panel, workbench.gui.panels.attention_panel; "
        "bad = [m for m in ('torch', 'transformers') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr
