"""Small trained models for the ONNX export tests: real run folders in seconds."""

from __future__ import annotations

from pathlib import Path

from tests.probe_kit import sst2_rows


def train_task_sample(folder: Path, task_name: str, model: str = "bert-tiny") -> Path:
    """A 1-layer, 32-wide ``model`` trained 3 steps on the task's own sample (``Task.sample``): its run folder."""
    from workbench.engine.tasks.registry import get_task
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    task = get_task(task_name)
    assert task.sample is not None
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / task.sample.filename
    data.write_text(task.sample.text, encoding="utf-8")
    values = dict(
        data=str(data), task=task_name, model=model, max_steps=3, batch_size=8, eval_every=3,
        max_length=32, vocab_size=200, layers=1, hidden=32, validation_fraction=0.25,
        seed=0, num_threads=1, output=str(folder / "run"),
    )  # fmt: skip
    if model != "bilstm":  # a BiLSTM has no attention heads
        values["heads"] = 2
    values.update(task.sample.config)
    events = list(Trainer(TrainConfig(**values)).run())
    assert type(events[-1]).__name__ == "TrainFinished"
    return folder / "run"


def save_masked_lm(folder: Path) -> Path:
    """A tiny BERT masked-LM folder saved by plain transformers (a task the export refuses)."""
    from transformers import BertConfig, BertForMaskedLM

    from workbench.engine.models.presets import train_tokenizer

    tokenizer = train_tokenizer("bert", dev_sentences(200), 300)
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64)
    BertForMaskedLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def dev_sentences(n: int) -> list[str]:
    """The first ``n`` SST-2 dev sentences."""
    return [row.split("\t")[0] for row in sst2_rows("dev.tsv", n)]


def dev_labels(n: int) -> list[int]:
    return [int(row.split("\t")[1]) for row in sst2_rows("dev.tsv", n)]
