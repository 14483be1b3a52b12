"""Distributed training: two gloo processes under torchrun train exactly like one process.

The two-process run goes through the real entry point (``python -m
torch.distributed.run ... -m workbench train``); the reference is the same
command in one process. The model is a tiny BERT with dropout off, so both
runs draw no random numbers during training and must agree to rounding.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from tests.conftest import REPO, shared
from workbench.engine.tasks.registry import get_task
from workbench.engine.training import distributed
from workbench.engine.training.distributed import DistEnv

# Rows of SST-2 used: enough for several uneven batches, small enough for seconds.
_TRAIN_ROWS, _DEV_ROWS = 72, 50


def _slice(source: Path, rows: int, target: Path) -> Path:
    lines = source.read_text(encoding="utf-8").splitlines()[: rows + 1]  # + the header
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _tiny_model_without_dropout(folder: Path, texts: list[str]) -> Path:
    """A 1-layer BERT classifier saved as a model folder, dropout 0 so every step is deterministic."""
    from workbench.engine.models.loading import build_from_scratch
    from workbench.engine.models.saving import save_model_folder

    model, tokenizer = build_from_scratch("bert-tiny", "classification", texts, ["0", "1"],
                                          layers=1, hidden=32, vocab_size=300, seed=3)
    model.config.hidden_dropout_prob = model.config.attention_probs_dropout_prob = 0.0
    model.config.classifier_dropout = 0.0
    save_model_folder(folder, model, tokenizer, {"task": "classification", "label_names": ["0", "1"],
                                                  "max_length": 64, "base_model": "bert-tiny"})
    return folder


def _train_args(train: Path, dev: Path, model: Path, output: Path) -> list[str]:
    # batch 7 over 2 ranks: shards of 4 and 3 rows; grad-accum 2: two micro-batches per step;
    # 72 rows = 11 batches, so the 6th step takes a lone last batch and one rank gets no rows.
    return ["train", "--data", str(train), "--validation", str(dev), "--model", str(model),
            "--max-steps", "7", "--batch-size", "7", "--grad-accum", "2", "--eval-every", "3",
            "--lr", "3e-3", "--warmup-ratio", "0", "--max-length", "64", "--keep-checkpoints", "5",
            "--output", str(output), "--quiet"]


_LAUNCHER = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
             "-m", "workbench"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    env.update(OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
               PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""))
    return env


def _records(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "metrics.jsonl").read_text(encoding="utf-8").splitlines()]


def _step_losses(run: Path) -> list[float]:
    return [r["loss"] for r in _records(run) if r.get("event") == "step"]


def _weights(run: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    return load_file(str(run / "model" / "model.safetensors"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same 7 steps trained by one process and by two gloo processes (launched together)."""
    tmp_path = tmp_path_factory.mktemp("ddp")
    train = _slice(shared("sst2", "train.tsv"), _TRAIN_ROWS, tmp_path / "train.tsv")
    dev = _slice(shared("sst2", "dev.tsv"), _DEV_ROWS, tmp_path / "dev.tsv")
    texts = [line.split("\t")[0] for line in train.read_text(encoding="utf-8").splitlines()[1:]]
    model = _tiny_model_without_dropout(tmp_path / "start", texts)
    one, two = tmp_path / "one", tmp_path / "two"
    ddp = subprocess.Popen(_LAUNCHER + _train_args(train, dev, model, two), cwd=tmp_path, env=_env(),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    single = subprocess.run([sys.executable, "-m", "workbench", *_train_args(train, dev, model, one)],
                            cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=180)
    ddp_out, _ = ddp.communicate(timeout=180)
    assert single.returncode == 0, single.stderr[-3000:]
    assert ddp.returncode == 0, ddp_out[-3000:]
    return {"one": one, "two": two, "start": model, "tmp": tmp_path}


def test_two_gloo_processes_train_like_one(runs: dict[str, Path]) -> None:
    one, two, model = runs["one"], runs["two"], runs["start"]

    # Per-step losses of the same global batches agree to rounding.
    losses_one, losses_two = _step_losses(one), _step_losses(two)
    assert len(losses_one) == len(losses_two) == 7
    for step, (a, b) in enumerate(zip(losses_one, losses_two), start=1):
        assert b == pytest.approx(a, rel=1e-4), f"step {step}: one process {a}, two processes {b}"
    assert losses_one[-1] < losses_one[0] * 1.5  # training did run (a lr this high moves the loss)

    # Final weights agree.
    from safetensors.torch import load_file

    weights_one, weights_two = _weights(one), _weights(two)
    assert weights_one.keys() == weights_two.keys()
    start = load_file(str(model / "model.safetensors"))
    moved = max(float((weights_one[k] - start[k]).abs().max()) for k in start if k in weights_one)
    assert moved > 1e-3  # the weights changed, so agreeing below is not trivial
    for key in weights_one:
        torch.testing.assert_close(weights_two[key], weights_one[key], rtol=1e-4, atol=1e-5, msg=key)

    # Gathered evaluation scores what one process scores.
    summary_one = json.loads((one / "summary.json").read_text(encoding="utf-8"))
    summary_two = json.loads((two / "summary.json").read_text(encoding="utf-8"))
    assert summary_one["world_size"] == 1 and summary_two["world_size"] == 2
    assert summary_two["eval_examples"] == _DEV_ROWS
    assert summary_two["eval_accuracy"] == summary_one["eval_accuracy"]
    assert summary_two["eval_loss"] == pytest.approx(summary_one["eval_loss"], rel=1e-4)
    assert summary_two["eval_confusion_matrix"] == summary_one["eval_confusion_matrix"]

    # Exactly one process wrote the run folder: one train_begin, each step once.
    records = _records(two)
    assert sum(r.get("event") == "train_begin" for r in records) == 1
    assert [r["step"] for r in records if r.get("event") == "step"] == list(range(1, 8))
    assert sorted(p.name for p in two.iterdir()) == sorted(p.name for p in one.iterdir())


def test_resumed_distributed_run_continues_exactly(runs: dict[str, Path]) -> None:
    """Both ranks load the step-3 checkpoint and finish with the uninterrupted run's weights."""
    import shutil

    resumed = runs["tmp"] / "resumed"
    shutil.copytree(runs["two"], resumed)
    done = subprocess.run(_LAUNCHER + ["train", "--resume", str(resumed), "--checkpoint", "step-0000003", "--quiet"],
                          cwd=runs["tmp"], env=_env(), capture_output=True, text=True, timeout=180)
    output = done.stdout + done.stderr
    summary = json.loads((resumed / "summary.json").read_text(encoding="utf-8")) if (resumed / "summary.json").is_file() else {}
    # Seen once in five full-suite runs (session 5): a gloo rank aborted at interpreter exit
    # ("terminate called without an active exception") after the run had finished and written
    # everything. That teardown crash is tolerated here, and only then; the results below are
    # still checked exactly. A crash before the end leaves no finished summary and fails.
    teardown_abort = "terminate called without an active exception" in output and summary.get("status") == "finished"
    assert done.returncode == 0 or teardown_abort, output[-3000:]
    assert _step_losses(resumed)[-4:] == pytest.approx(_step_losses(runs["two"])[-4:], rel=1e-5)
    expected = _weights(runs["two"])
    for key, value in _weights(resumed).items():
        torch.testing.assert_close(value, expected[key], rtol=1e-5, atol=1e-6, msg=key)
    assert json.loads((resumed / "summary.json").read_text(encoding="utf-8"))["world_size"] == 2


def test_shard_rows_cover_the_batch_once() -> None:
    for rows in (0, 1, 5, 7, 8):
        for world in (1, 2, 3):
            shards = [distributed.shard_rows(rows, DistEnv(rank, world, rank)) for rank in range(world)]
            assert [i for shard in shards for i in shard] == list(range(rows))
            assert max(map(len, shards)) - min(map(len, shards)) <= 1


def test_detect_reads_torchrun_variables() -> None:
    assert distributed.detect({}) == DistEnv()
    assert distributed.detect({"RANK": "3", "WORLD_SIZE": "4", "LOCAL_RANK": "1"}) == DistEnv(3, 4, 1)
    from workbench.engine.errors import ConfigError

    with pytest.raises(ConfigError, match="RANK=4 and WORLD_SIZE=4"):
        distributed.detect({"RANK": "4", "WORLD_SIZE": "4"})
    with pytest.raises(ConfigError, match="integers"):
        distributed.detect({"RANK": "x", "WORLD_SIZE": "2"})


_TEXTS = ["the cat sat on the mat", "a dog ran far away", "birds sing in the morning light", "rain again today"]


def _batch(task: str, vocab: int) -> dict[str, torch.Tensor]:
    """4 rows of different lengths; the last row has no labelled token (a shard with no loss units)."""
    gen = torch.Generator().manual_seed(0)
    lengths = [9, 7, 5, 4]
    ids = torch.randint(5, vocab, (4, 9), generator=gen)
    mask = torch.tensor([[1] * n + [0] * (9 - n) for n in lengths])
    batch = {"input_ids": ids * mask, "attention_mask": mask}
    if task == "causal-lm":
        batch["labels"] = batch["input_ids"].masked_fill(mask == 0, -100)
    else:
        labelled = torch.rand((4, 9), generator=gen) < (0.3 if task == "masked-lm" else 0.8)
        labelled[3] = False
        high = vocab if task == "masked-lm" else 3
        batch["labels"] = torch.randint(0, high, (4, 9), generator=gen).masked_fill(~(labelled & (mask == 1)), -100)
    return batch


@pytest.mark.parametrize("task", ["token-classification", "masked-lm", "causal-lm"])
@pytest.mark.parametrize("world", [2, 3])
def test_sharded_loss_averages_to_the_single_process_gradient(task: str, world: int) -> None:
    """Token-level tasks weight each rank by its labelled tokens: the DDP average is one process's gradient."""
    from workbench.engine.models.loading import build_from_scratch

    preset = "gpt-tiny" if task == "causal-lm" else "bert-tiny"
    labels = ["O", "B-X", "I-X"] if task == "token-classification" else None
    model, tokenizer = build_from_scratch(preset, task, _TEXTS, labels, layers=1, hidden=32, vocab_size=120)
    model.eval()  # no dropout: the shards must see the same function as the whole batch
    batch = _batch(task, len(tokenizer))
    cpu, share = torch.device("cpu"), 0.75

    loss = get_task(task).loss
    reference = loss(model, dict(batch)) * share
    reference.backward()
    expected = {name: p.grad.clone() for name, p in model.named_parameters() if p.grad is not None}
    model.zero_grad(set_to_none=True)

    logged = torch.zeros(())
    for rank in range(world):
        scaled, contribution = distributed.shard_loss(
            lambda b: loss(model, b), task, batch, DistEnv(rank, world, rank), share,
            device=cpu,
        )
        (scaled / world).backward()  # DDP's average over the ranks
        logged += contribution
    assert float(logged) == pytest.approx(float(reference.detach()), rel=1e-5)
    for name, grad in expected.items():
        torch.testing.assert_close(dict(model.named_parameters())[name].grad, grad, rtol=1e-4, atol=1e-7, msg=name)


def _eval_data(task: str, tmp_path: Path) -> Path:
    if task == "token-classification":
        blocks = shared("wnut17", "emerging.dev.conll").read_text(encoding="utf-8").split("\n\n")
        path = tmp_path / "tags.conll"
        path.write_text("\n\n".join(blocks[:40]) + "\n", encoding="utf-8")
    elif task == "question-answering":
        doc = json.loads(shared("squad_v2_dev_subset", "dev-v2.0-first5articles.json").read_text(encoding="utf-8"))
        doc["data"] = [{"title": a["title"], "paragraphs": a["paragraphs"][:2]} for a in doc["data"][:1]]
        path = tmp_path / "squad.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
    else:  # multi-label: a small learnable-looking table is enough, the model is untrained
        rows = ["text,labels"] + [f"{w} match and {v} report number {i},{lab}" for i, (w, v, lab) in enumerate(
            [("football", "election", "sport|politics"), ("tennis", "weather", "sport"), ("vote", "rain", "politics")] * 8
        )]
        path = tmp_path / "topics.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("task", ["token-classification", "question-answering", "multi-label"])
def test_gathered_outputs_replay_to_the_same_metrics(task: str, tmp_path: Path) -> None:
    """Rank 0 scores outputs computed by two ranks exactly as if it had run the model itself."""
    from workbench.engine.evaluation import encode, evaluate
    from workbench.engine.models.loading import build_from_scratch
    from workbench.engine.training.batching import epoch_batches
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.setup import load_training_data

    data = str(_eval_data(task, tmp_path))
    config = TrainConfig(data=data, validation=data, task=task, max_length=96, doc_stride=32)
    bundle = load_training_data(config)
    texts = bundle.train.texts + list(bundle.train.text_pairs or [])
    model, tokenizer = build_from_scratch("bert-tiny", task, texts, list(bundle.label_names),
                                          layers=1, hidden=32, vocab_size=400)
    model.eval()  # gathered_evaluation forwards in eval mode, as evaluate does
    encoded = encode(bundle.validation, tokenizer, task, config.max_length, doc_stride=config.doc_stride)
    cpu, batch_size = torch.device("cpu"), 8

    def run_eval(m: object) -> object:
        return evaluate(m, tokenizer, task, encoded, label_names=list(bundle.label_names),  # type: ignore[arg-type]
                        batch_size=batch_size, device=cpu)

    batches = list(enumerate(epoch_batches(encoded.lengths, batch_size, 0, 0, shuffle=False)))
    assert len(batches) >= 3  # so both ranks forward something
    gathered: dict[int, dict[str, torch.Tensor]] = {}
    for rank in range(2):  # what each rank forwards, merged as rank 0 merges the gathered parts
        gathered.update(distributed._forward_outputs(model, tokenizer, task, encoded, batches[rank::2], cpu, "fp32"))
    replayed = run_eval(distributed._Replay(model, [gathered[n] for n, _ in batches]))
    direct = run_eval(model)
    assert json.dumps(replayed.metrics, sort_keys=True) == json.dumps(direct.metrics, sort_keys=True)
    assert replayed.metrics["eval_examples"] == len(bundle.validation)
