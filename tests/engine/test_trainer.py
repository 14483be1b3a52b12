"""The trainer end to end on real data (small slices, so CI stays fast)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from tests.conftest import shared
from workbench.engine.errors import ConfigError
from workbench.engine.inference import Predictor
from workbench.engine.runs import RunFolder
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.control import TrainControl
from workbench.engine.training.events import (
    CheckpointSaved,
    EvalDone,
    Status,
    StepLogged,
    TrainBegin,
    TrainCancelled,
    TrainFailed,
    TrainFinished,
)
from workbench.engine.training.trainer import Trainer


def tiny_config(train: Path, dev: Path, out: Path, **overrides) -> TrainConfig:
    values = dict(
        data=str(train), validation=str(dev), model="bert-tiny", max_steps=24, batch_size=16,
        eval_every=8, seed=0, output=str(out), vocab_size=2000, num_threads=1,
    )
    values.update(overrides)
    return TrainConfig(**values)


def run_all(config: TrainConfig, control: TrainControl | None = None, **kw) -> list:
    return list(Trainer(config, **kw).run(control))


@pytest.fixture(scope="module")
def finished_run(sst2_small, tmp_path_factory) -> tuple[Path, list]:
    train, dev = sst2_small
    out = tmp_path_factory.mktemp("run") / "r"
    events = run_all(tiny_config(train, dev, out))
    return out, events


def test_events_and_run_folder(finished_run) -> None:
    out, events = finished_run
    begin = [e for e in events if isinstance(e, TrainBegin)]
    assert len(begin) == 1 and begin[0].total_steps == 24
    steps = [e for e in events if isinstance(e, StepLogged)]
    assert [e.step for e in steps] == list(range(1, 25))
    assert all(e.loss > 0 and e.learning_rate >= 0 for e in steps)
    evals = [e for e in events if isinstance(e, EvalDone)]
    assert [e.step for e in evals] == [8, 16, 24]
    assert isinstance(events[-1], TrainFinished)

    run = RunFolder(out)
    records = run.read_metrics()
    assert [r["event"] for r in records].count("step") == 24
    assert records[-1]["event"] == "finished"
    # The saved config is accepted back as it is.
    assert TrainConfig.load(run.config_path).max_steps == 24
    summary = run.read_summary()
    for key in ("eval_loss", "eval_accuracy", "eval_f1_macro", "train_runtime_s", "train_samples_per_second"):
        assert isinstance(summary[key], float), key
    assert summary["status"] == "finished" and summary["steps"] == 24
    assert summary["label_names"] == ["0", "1"]
    # Checkpoints: the newest two and the best survive pruning.
    assert (run.checkpoints_dir / "latest").read_text().strip() == "step-0000024"
    assert len(list(run.checkpoints_dir.glob("step-*"))) <= 3


def test_model_folder_loads_in_plain_transformers(finished_run, sst2_small) -> None:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    out, _ = finished_run
    model_dir = out / "model"
    assert (model_dir / "model.safetensors").is_file()
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    tok = AutoTokenizer.from_pretrained(model_dir)
    assert model.config.id2label == {0: "0", 1: "1"}

    sentences = [line.split("\t")[0] for line in sst2_small[1].read_text().splitlines()[1:21]]
    predictor = Predictor.load(out)
    ours = predictor.predict(sentences)
    with torch.no_grad():
        for sentence, result in zip(sentences, ours):
            enc = tok(sentence, truncation=True, max_length=128, return_tensors="pt")
            ref = torch.softmax(model(**enc).logits, -1)[0]
            got = torch.tensor([result["probabilities"]["0"], result["probabilities"]["1"]])
            assert torch.allclose(ref, got, atol=1e-5), sentence


def test_resume_gives_identical_weights(sst2_small, tmp_path) -> None:
    """Stopped mid-epoch at step 10 and resumed: the same weights as an uninterrupted run."""
    from safetensors.torch import load_file

    train, dev = sst2_small
    full = tmp_path / "full"
    run_all(tiny_config(train, dev, full, max_steps=20, eval_every=6))

    part = tmp_path / "part"
    control = TrainControl()
    events = []
    for event in Trainer(tiny_config(train, dev, part, max_steps=20, eval_every=6)).run(control):
        events.append(event)
        if isinstance(event, StepLogged) and event.step == 10:
            control.request_stop()
    assert isinstance(events[-1], TrainCancelled) and events[-1].step == 10
    assert RunFolder(part).read_summary()["status"] == "cancelled"
    assert not (part / "model").exists()

    resumed = run_all(TrainConfig.load(part / "config.json"), resume_from=part)
    assert [e.start_step for e in resumed if isinstance(e, TrainBegin)] == [10]
    assert [e.step for e in resumed if isinstance(e, StepLogged)] == list(range(11, 21))

    a = load_file(str(full / "model" / "model.safetensors"))
    b = load_file(str(part / "model" / "model.safetensors"))
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key
    full_losses = [r["loss"] for r in RunFolder(full).read_metrics() if r["event"] == "step"]
    part_losses = [r["loss"] for r in RunFolder(part).read_metrics() if r["event"] == "step"]
    assert part_losses == full_losses


def test_non_finite_loss_stops_and_names_the_step(sst2_small, tmp_path) -> None:
    train, dev = sst2_small
    trainer = Trainer(tiny_config(train, dev, tmp_path / "nan", max_steps=20, eval_every=2))
    events = []
    calls = {"n": 0}

    def poison(module, args, output):
        calls["n"] += module.training  # evaluation forwards do not count
        if module.training and calls["n"] == 5:  # the 5th training forward = step 5
            output.loss = output.loss * float("nan")
        return output

    for event in trainer.run():
        events.append(event)
        if isinstance(event, TrainBegin):
            trainer.model.register_forward_hook(poison)
    failed = events[-1]
    assert isinstance(failed, TrainFailed) and failed.reason == "non_finite_loss" and failed.step == 5
    assert "step 5" in failed.message
    # The last good checkpoint (step 4) is kept and holds finite weights.
    from safetensors.torch import load_file

    assert failed.last_checkpoint and failed.last_checkpoint.endswith("step-0000004")
    weights = load_file(str(Path(failed.last_checkpoint) / "model.safetensors"))
    assert all(torch.isfinite(t).all() for t in weights.values())
    # Stopped within the step: nothing was logged or saved for step 5 or later.
    assert [e.step for e in events if isinstance(e, StepLogged)][-1] == 4
    assert max(p.name for p in (tmp_path / "nan" / "checkpoints").glob("step-*")) == "step-0000004"


def test_save_now_and_pause_requests(sst2_small, tmp_path) -> None:
    train, dev = sst2_small
    control = TrainControl()
    saved = []
    for event in Trainer(tiny_config(train, dev, tmp_path / "s", max_steps=6, eval_every=100)).run(control):
        if isinstance(event, StepLogged) and event.step == 2:
            control.request_save()
        if isinstance(event, CheckpointSaved):
            saved.append(event.step)
    assert saved[0] == 2 and saved[-1] == 6


def test_early_stopping(sst2_small, tmp_path) -> None:
    train, dev = sst2_small
    # lr so high nothing improves after the first evaluation's accuracy.
    config = tiny_config(train, dev, tmp_path / "es", max_steps=200, eval_every=2,
                         early_stopping_patience=2, metric_for_best="loss", lr=0.5)
    events = run_all(config)
    summary = RunFolder(tmp_path / "es").read_summary()
    assert summary["status"] == "early_stopped"
    assert summary["steps"] < 200
    assert isinstance(events[-1], TrainFinished)


def test_time_budget_ends_the_run_normally(sst2_small, tmp_path) -> None:
    train, dev = sst2_small
    # A budget of ~0 minutes: the first step boundary after the first step is past it.
    config = tiny_config(train, dev, tmp_path / "tb", max_steps=200, max_minutes=1e-9)
    events = run_all(config)
    summary = RunFolder(tmp_path / "tb").read_summary()
    assert summary["status"] == "time_limit"
    assert summary["steps"] == 1
    assert "eval_accuracy" in summary  # the final evaluation still ran
    assert isinstance(events[-1], TrainFinished)
    assert (tmp_path / "tb" / "model" / "config.json").exists()


def test_time_budget_fits_the_learning_rate_schedule(sst2_small, tmp_path) -> None:
    train, dev = sst2_small
    # Far more steps planned than 3 seconds allow: the schedule is re-planned from the
    # measured speed, so the learning rate has decayed by the time the budget ends.
    config = tiny_config(train, dev, tmp_path / "fit", max_steps=100_000, max_minutes=0.05, eval_every=10_000)
    events = run_all(config)
    steps = [e for e in events if isinstance(e, StepLogged)]
    assert any(isinstance(e, Status) and e.message.startswith("Time budget") for e in events)
    assert steps[-1].total_steps < 100_000
    peak = max(e.learning_rate for e in steps)
    assert steps[-1].learning_rate < 0.5 * peak
    assert RunFolder(tmp_path / "fit").read_summary()["status"] in ("finished", "time_limit")


def test_a_time_budget_longer_than_the_run_says_the_planned_steps_end_it(sst2_small, tmp_path) -> None:
    train, dev = sst2_small
    config = tiny_config(train, dev, None, max_steps=25, max_minutes=60, eval_every=10_000, output=None)
    events = run_all(config)
    budget = [e.message for e in events if isinstance(e, Status) and e.message.startswith("Time budget")]
    assert budget and all("the 25 planned steps take less than 60 minutes" in m for m in budget), budget
    assert [e for e in events if isinstance(e, StepLogged)][-1].step == 25


def test_invalid_config_is_reported_with_every_problem() -> None:
    with pytest.raises(ConfigError) as info:
        TrainConfig(data="x.csv", batch_size=0, lr=5.0, task="regression").validate()
    message = str(info.value)
    assert "batch_size" in message and "lr" in message and "task" in message


def test_freeze_layers(sst2_small, tmp_path) -> None:
    train, dev = sst2_small
    trainer = Trainer(tiny_config(train, dev, None, max_steps=1, freeze_embeddings=True, freeze_layers=1,
                                  output=None))
    list(trainer.run())
    frozen = {n for n, p in trainer.model.named_parameters() if not p.requires_grad}
    assert any("embeddings" in n for n in frozen)
    assert any("layer.0." in n for n in frozen)
    assert not any("layer.1." in n for n in frozen)


def test_token_classification_wnut(tmp_path) -> None:
    src = shared("wnut17", "emerging.dev.conll")
    blocks = src.read_text(encoding="utf-8").split("\n\n")
    train = tmp_path / "train.conll"
    train.write_text("\n\n".join(blocks[:300]) + "\n", encoding="utf-8")
    dev = tmp_path / "dev.conll"
    dev.write_text("\n\n".join(blocks[300:400]) + "\n", encoding="utf-8")
    out = tmp_path / "tag"
    events = run_all(TrainConfig(data=str(train), validation=str(dev), task="token-classification",
                                 model="bert-tiny", max_steps=10, batch_size=16, output=str(out), vocab_size=2000))
    summary = events[-1].summary
    assert 0 <= summary["eval_accuracy"] <= 1
    assert "eval_entity_f1" in summary
    result = Predictor.load(out).predict(["Empire State Building is in New York"])[0]
    assert len(result["tags"]) == 7 and all(t in summary["label_names"] for t in result["tags"])


@pytest.mark.parametrize("task,preset", [("masked-lm", "bert-tiny"), ("causal-lm", "gpt-tiny")])
def test_language_models(task, preset, tmp_path) -> None:
    text = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[:1500]
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(text) + "\n", encoding="utf-8")
    out = tmp_path / task
    events = run_all(TrainConfig(data=str(corpus), task=task, model=preset, max_steps=8, batch_size=8,
                                 max_length=64, output=str(out), vocab_size=1000))
    summary = events[-1].summary
    assert summary["eval_loss"] > 0 and summary["eval_perplexity"] > 1
    predictor = Predictor.load(out)
    if task == "masked-lm":
        result = predictor.predict(["the king [MASK] here"], top_k=3)[0]
        assert len(result["fillers"]) == 3
        assert all(0 <= f["score"] <= 1 for f in result["fillers"])
    else:
        result = predictor.predict(["ROMEO:"], max_new_tokens=5)[0]
        assert isinstance(result["continuation"], str) and result["continuation"]
    saved = json.loads((out / "model" / "workbench_model.json").read_text())
    assert saved["task"] == task


def test_snapshot_for_live_prediction(sst2_small, tmp_path) -> None:
    """A snapshot taken between steps predicts like the weights at that step, and does not move with training."""
    train, dev = sst2_small
    control = TrainControl()
    trainer = Trainer(tiny_config(train, dev, tmp_path / "snap", max_steps=6, eval_every=100))
    seen = None
    for event in trainer.run(control):
        if isinstance(event, StepLogged) and event.step == 3:
            control.request_snapshot()
        if isinstance(event, StepLogged) and event.step == 4 and seen is None:
            seen = control.latest_snapshot()
            before = seen.predict(["a fine film"])[0]["probabilities"]
    assert seen is not None and seen.model is not trainer.model
    # Training went on to step 6; the snapshot still gives the step-3 answer.
    assert seen.predict(["a fine film"])[0]["probabilities"] == before
    final = Predictor.load(tmp_path / "snap").predict(["a fine film"])[0]["probabilities"]
    assert final != before


def test_thread_setting_is_given_back(sst2_small, tmp_path) -> None:
    train, dev = sst2_small
    original = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        list(Trainer(tiny_config(train, dev, tmp_path / "t", max_steps=1, num_threads=1)).run())
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(original)


def test_whole_word_masking_masks_every_piece_of_a_word() -> None:
    from workbench.engine.models.presets import train_tokenizer
    from workbench.engine.training.batching import continuation_table, mask_tokens

    # Trained on other text, so the words below split into several "##" pieces.
    tok = train_tokenizer("bert", ["the cat sat on a mat with an old dog"] * 20, 80)
    enc = tok(["unbelievable storytelling and wonderful acting"] * 64, return_tensors="pt")
    ids = enc["input_ids"]
    assert any(t.startswith("##") for t in tok.convert_ids_to_tokens(ids[0]))  # words really are split
    continuation = continuation_table(tok)[ids]
    special = torch.isin(ids, torch.tensor(tok.all_special_ids))
    _, labels = mask_tokens(ids, enc["attention_mask"], special, tok.mask_token_id, len(tok),
                            torch.Generator().manual_seed(0), continuation=continuation)
    targets = labels != -100
    assert targets.any()
    # A piece is a target exactly when the token before it (same word) is one.
    pieces = continuation & ~special
    assert torch.equal(targets[:, 1:][pieces[:, 1:]], targets[:, :-1][pieces[:, 1:]])


def test_masked_lm_trains_with_whole_word_masking(tmp_path) -> None:
    text = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[:800]
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(text) + "\n", encoding="utf-8")
    events = run_all(TrainConfig(data=str(corpus), task="masked-lm", model="bert-tiny", max_steps=4, batch_size=8,
                                 max_length=64, output=str(tmp_path / "wwm"), vocab_size=800,
                                 whole_word_masking=True))
    assert events[-1].summary["status"] == "finished" and events[-1].summary["eval_loss"] > 0
