"""A small trained classifier and SST-2 sentences with gender terms, shared by the bias-probe tests."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import shared

_GENDERED = re.compile(r"(?<!\w)(he|she|his|her|him|man|woman|men|women)(?!\w)", re.IGNORECASE)


def sst2_rows(name: str, n: int | None = None) -> list[str]:
    rows = shared("sst2", name).read_text(encoding="utf-8").splitlines()[1:]
    return rows if n is None else rows[:n]


def gendered_dev_sentences(n: int) -> list[str]:
    """The first ``n`` SST-2 dev sentences with an English gender term."""
    return [r.split("\t")[0] for r in sst2_rows("dev.tsv") if _GENDERED.search(r.split("\t")[0])][:n]


def train_tiny_classifier(folder: Path, steps: int = 120) -> Path:
    """bert-tiny (1 layer, 32 wide) trained on 600 SST-2 rows: a real run folder in seconds."""
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    data = folder / "train.tsv"
    data.write_text("sentence\tlabel\n" + "\n".join(sst2_rows("train.tsv", 600)) + "\n", encoding="utf-8")
    dev = folder / "dev.tsv"
    dev.write_text("sentence\tlabel\n" + "\n".join(sst2_rows("dev.tsv", 200)) + "\n", encoding="utf-8")
    out = folder / "run"
    config = TrainConfig(data=str(data), validation=str(dev), model="bert-tiny", layers=1, heads=2, hidden=32,
                         vocab_size=800, max_steps=steps, batch_size=16, lr=5e-3, eval_every=steps, num_threads=1,
                         output=str(out))
    events = list(Trainer(config).run())
    assert type(events[-1]).__name__ == "TrainFinished"
    return out
