"""Reliability scenarios (issue 7), shared by tests/*/test_*reliability*.py and bench/reliability_report.py.

Each scenario drives the real engine (no mocks): real runs that are stopped and
resumed, a real process killed with SIGKILL while it writes checkpoints, real
files damaged byte by byte, real hostile files. Tests run them small; the report
runs them many times and prints the figures.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from tests.conftest import SHARED_DATA
from workbench.engine.runs import RunFolder
from workbench.engine.training import checkpoint_checks
from workbench.engine.training import checkpoints as ckpt
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.control import TrainControl
from workbench.engine.training.events import StepLogged, TrainCancelled
from workbench.engine.training.trainer import Trainer

# --- data -----------------------------------------------------------------------------------


def sst2_slice(folder: Path, n_train: int = 200, n_dev: int = 64) -> tuple[Path, Path]:
    """The first rows of SST-2 train/dev as TSV files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, n in (("train.tsv", n_train), ("dev.tsv", n_dev)):
        lines = (SHARED_DATA / "sst2" / name).read_text(encoding="utf-8").splitlines()[: n + 1]
        path = folder / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out.append(path)
    return out[0], out[1]


def shakespeare_slice(folder: Path, n_lines: int = 300) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (SHARED_DATA / "tinyshakespeare" / "input.txt").read_text(encoding="utf-8").splitlines()[:n_lines]
    path = folder / "corpus.txt"
    path.write_text("\n".join(line for line in text if line.strip()) + "\n", encoding="utf-8")
    return path


def tiny_classifier(train: Path, dev: Path, out: Path, **overrides: Any) -> TrainConfig:
    """A one-layer, 32-wide bert-tiny: a few ms per step, still a real transformer with dropout."""
    values: dict[str, Any] = dict(
        data=str(train), validation=str(dev), model="bert-tiny", max_steps=20, batch_size=16,
        eval_every=1000, seed=0, output=str(out), vocab_size=500, num_threads=1,
        layers=1, hidden=32, heads=2, max_length=48,
    )
    values.update(overrides)
    return TrainConfig(**values)


def tiny_lm(corpus: Path, out: Path, task: str, preset: str, **overrides: Any) -> TrainConfig:
    values: dict[str, Any] = dict(
        data=str(corpus), task=task, model=preset, max_steps=12, batch_size=8, max_length=32,
        eval_every=1000, seed=0, output=str(out), vocab_size=400, num_threads=1,
        layers=1, hidden=32, heads=2,
    )
    values.update(overrides)
    return TrainConfig(**values)


def stopped_run(workdir: Path, stop_at: int = 6, max_steps: int = 10) -> Path:
    """A classifier run stopped at ``stop_at`` with a checkpoint every 2 steps (all kept)."""
    train, dev = sst2_slice(workdir / "data")
    out = workdir / "run"
    control = TrainControl()
    config = tiny_classifier(train, dev, out, max_steps=max_steps, eval_every=2, keep_checkpoints=max_steps)
    for event in Trainer(config).run(control):
        if isinstance(event, StepLogged) and event.step == stop_at:
            control.request_stop()
    assert isinstance(event, TrainCancelled), event
    return out


# --- exact resume -------------------------------------------------------------------------


class RecordingTrainer(Trainer):
    """A real Trainer that also records which samples each optimizer step used (observation only)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[list[list[int]]] = []

    def _step(self, group: list[list[int]], *args: Any) -> tuple[float, int, float]:
        self.groups.append([list(b) for b in group])
        return super()._step(group, *args)


@contextlib.contextmanager
def deterministic() -> Iterator[None]:
    before = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(before)


@dataclass
class ResumeOutcome:
    name: str
    stop_step: int
    total_steps: int
    max_param_diff: float
    losses_equal: bool
    order_equal: bool
    resumed_start: int
    dropout: float


def _step_losses(run: Path) -> list[float]:
    return [r["loss"] for r in RunFolder(run).read_metrics() if r["event"] == "step"]


def max_param_diff(a_file: Path, b_file: Path) -> float:
    from safetensors.torch import load_file

    a, b = load_file(str(a_file)), load_file(str(b_file))
    if a.keys() != b.keys():
        return float("inf")
    return max((float((a[k].double() - b[k].double()).abs().max()) if a[k].numel() else 0.0) for k in a)


def resume_scenario(name: str, make: Callable[[Path], TrainConfig], stop_at: int, workdir: Path) -> ResumeOutcome:
    """Run uninterrupted; run again, stop at ``stop_at``, resume; compare weights, losses and sample order."""
    with deterministic():
        full = RecordingTrainer(make(workdir / f"{name}-full"))
        list(full.run())
        control = TrainControl()
        part_dir = workdir / f"{name}-part"
        part = RecordingTrainer(make(part_dir))
        events = []
        for event in part.run(control):
            events.append(event)
            if isinstance(event, StepLogged) and event.step == stop_at:
                control.request_stop()
        assert isinstance(events[-1], TrainCancelled), events[-1]
        resumed = RecordingTrainer(TrainConfig.load(part_dir / "config.json"), resume_from=part_dir)
        resumed_events = list(resumed.run())
    begin = next(e for e in resumed_events if type(e).__name__ == "TrainBegin")
    dropout = float(getattr(full.model.config, "hidden_dropout_prob", getattr(full.model.config, "resid_pdrop", 0.0)))
    return ResumeOutcome(
        name=name, stop_step=stop_at, total_steps=len(full.groups),
        max_param_diff=max_param_diff(workdir / f"{name}-full" / "model" / "model.safetensors",
                                      part_dir / "model" / "model.safetensors"),
        losses_equal=_step_losses(workdir / f"{name}-full") == _step_losses(part_dir),
        order_equal=full.groups == part.groups + resumed.groups,
        resumed_start=begin.start_step, dropout=dropout,
    )


def resume_scenarios(workdir: Path) -> dict[str, tuple[Callable[[Path], TrainConfig], int]]:
    """name -> (config for an output folder, the step to stop at). 200 rows / 16 = 13 steps per epoch."""
    train, dev = sst2_slice(workdir / "data")
    corpus = shakespeare_slice(workdir / "data")
    return {
        "mid_epoch": (lambda out: tiny_classifier(train, dev, out, max_steps=20, eval_every=6), 5),
        "epoch_boundary": (lambda out: tiny_classifier(train, dev, out, max_steps=20), 13),
        "grad_accum": (lambda out: tiny_classifier(train, dev, out, max_steps=12, grad_accum=2, eval_every=5), 4),
        "masked_lm_dropout": (lambda out: tiny_lm(corpus, out, "masked-lm", "bert-tiny"), 5),
        "causal_lm_dropout": (lambda out: tiny_lm(corpus, out, "causal-lm", "gpt-tiny"), 7),
    }


# --- kill during save -----------------------------------------------------------------------


def tiny_checkpoint_parts(seed: int = 0) -> dict[str, Any]:
    """Everything ``save_checkpoint`` needs, for a 1-layer, 32-wide BERT classifier."""
    from workbench.engine.models.loading import build_from_scratch
    from workbench.engine.training.optim import Schedule, build_optimizer, build_scheduler

    texts = ["a small corpus", "for a tiny tokenizer", "and a tiny model"] * 10
    model, tokenizer = build_from_scratch("bert-tiny", "classification", texts, ["neg", "pos"],
                                          layers=1, hidden=32, heads=2, vocab_size=200, seed=seed)
    optimizer = build_optimizer(model, 1e-3, 0.0, torch.device("cpu"))
    scheduler = build_scheduler(optimizer, Schedule(1000, 0.0))
    # One real step, so the optimizer has state (exp_avg ...) to save.
    batch = tokenizer(["a small corpus"], return_tensors="pt")
    model(**batch, labels=torch.tensor([1])).loss.backward()
    optimizer.step()
    scheduler.step()
    return {"model": model, "tokenizer": tokenizer, "optimizer": optimizer, "scheduler": scheduler,
            "model_meta": {"task": "classification", "label_names": ["neg", "pos"], "base_model": "bert-tiny"},
            "generators": {"mask": torch.Generator().manual_seed(1)}}


def save_step(checkpoints_dir: Path, step: int, parts: dict[str, Any], keep: int = 2) -> Path:
    path = ckpt.save_checkpoint(checkpoints_dir, step, trainer_state={"epoch": 0, "batch_in_epoch": step},
                                **parts)
    ckpt.prune(checkpoints_dir, keep)
    return path


def _writer(checkpoints_dir: Path, parts: dict[str, Any], first_step: int) -> None:  # pragma: no cover - child
    step = first_step
    rng = random.Random(first_step)
    while True:
        # Now and then re-save the same step (save-now, then a stop): the replace-a-folder path.
        if rng.random() >= 0.25:
            step += 1
        with torch.no_grad():
            next(parts["model"].parameters()).add_(1e-3)  # each checkpoint differs from the last
        save_step(checkpoints_dir, step, parts)


@dataclass
class KillReport:
    kills: int = 0
    saves_completed: int = 0
    corrupt_latest: int = 0  # latest named a folder that exists but is not intact
    dangling_latest: int = 0  # latest named a folder moved aside mid re-save (repaired at the next start)
    unrecoverable: int = 0  # no intact checkpoint to resume from after the cleanup
    leftovers_after_clean: int = 0
    killed_mid_write: int = 0  # kills that left a partial folder or file behind (cleaned at the next start)
    problems: list[str] = field(default_factory=list)


def _wait_for_a_new_latest(checkpoints_dir: Path, step: int, timeout_s: float) -> None:
    """Until ``latest`` names a checkpoint past ``step`` (a save completed), or the timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            name = (checkpoints_dir / ckpt.LATEST).read_text(encoding="utf-8").strip()
        except OSError:
            name = ""
        if name > ckpt.checkpoint_name(step):  # fixed-width step numbers sort as they count
            return
        time.sleep(0.002)


def kill_during_save(run_dir: Path, kills: int, seed: int = 0, load_every: int = 10) -> KillReport:
    """Fork a writer that saves checkpoints in a loop; SIGKILL it at random times ``kills`` times.

    After each kill: ``latest`` must name an intact checkpoint (or one the cleanup
    puts back), the cleanup must leave no leftovers, and the run resumes from there.
    Forking (instead of starting Python again) costs milliseconds, so hundreds of
    kills fit in a minute; the child touches only plain file I/O and CPU tensors.
    """
    from workbench.engine.models.loading import load_pretrained, resolve_spec

    checkpoints_dir = run_dir / "checkpoints"
    parts = tiny_checkpoint_parts()
    save_step(checkpoints_dir, 0, parts)  # the first save also warms caches: time the second
    t0 = time.perf_counter()
    save_step(checkpoints_dir, 0, parts)
    save_time = time.perf_counter() - t0
    rng = random.Random(seed)
    report = KillReport()
    last_step = 0
    for i in range(kills):
        first = int(ckpt.load_trainer_state(checkpoint_checks.resolve_resume_checkpoint(run_dir))["step"])
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                _writer(checkpoints_dir, parts, first)
            finally:
                os._exit(1)
        if i % 2:
            # Every other kill comes after at least one completed save, so the writer is seen to
            # make progress whatever the machine's speed (a forked child can save much slower
            # than the parent's timed save; then every kill could land in the first save).
            _wait_for_a_new_latest(checkpoints_dir, first, timeout_s=60.0)
        # Anywhere from before the (next) save ends to a few saves in.
        time.sleep(rng.uniform(0.0, 4 * save_time))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        report.kills += 1
        report.killed_mid_write += any(p.name.startswith(".") for p in checkpoints_dir.iterdir())
        pointer = checkpoints_dir / ckpt.LATEST
        name = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else ""
        target = checkpoints_dir / name
        if not name:
            report.problems.append(f"kill {i}: latest missing")
            report.corrupt_latest += 1
        elif not target.is_dir():
            report.dangling_latest += 1
        elif problems := checkpoint_checks.checkpoint_problems(target):
            report.corrupt_latest += 1
            report.problems.append(f"kill {i}: {problems[0]}")
        try:
            resumable = checkpoint_checks.resolve_resume_checkpoint(run_dir)  # cleans leftovers first
        except Exception as exc:  # noqa: BLE001 - counted, reported
            report.unrecoverable += 1
            report.problems.append(f"kill {i}: {type(exc).__name__}: {exc}")
            continue
        leftovers = [p.name for p in checkpoints_dir.iterdir() if p.name.startswith(".")]
        report.leftovers_after_clean += len(leftovers)
        step = int(ckpt.load_trainer_state(resumable)["step"])
        report.saves_completed += max(step - last_step, 0)
        last_step = step
        if load_every and i % load_every == 0:
            load_pretrained(resolve_spec(str(resumable)), "classification", ["neg", "pos"])  # really loadable
    return report


# --- corrupt checkpoints --------------------------------------------------------------------


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) * 3 // 4] ^= 0xFF  # in the tensor data, past the header
    path.write_bytes(bytes(data))


CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "truncated_weights": lambda c: _truncate(c / "model.safetensors"),
    "flipped_byte_weights": lambda c: _flip(c / "model.safetensors"),
    "flipped_byte_optimizer": lambda c: _flip(c / ckpt.OPTIMIZER_FILE),
    "zero_length_weights": lambda c: (c / "model.safetensors").write_bytes(b""),
    "bad_json_state": lambda c: (c / ckpt.STATE_FILE).write_text("{not json", encoding="utf-8"),
    "bad_json_config": lambda c: (c / "config.json").write_text("[1, 2", encoding="utf-8"),
    "missing_optimizer": lambda c: (c / ckpt.OPTIMIZER_FILE).unlink(),
    "missing_weights": lambda c: (c / "model.safetensors").unlink(),
    "missing_manifest_and_bad_header": lambda c: ((c / checkpoint_checks.MANIFEST_FILE).unlink(),
                                                  _header_past_eof(c / "model.safetensors")),
}


# --- hostile files --------------------------------------------------------------------------


class _Evil:
    """Unpickling this runs ``code`` (what a malicious pytorch_model.bin does)."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __reduce__(self) -> tuple[Any, ...]:
        return (exec, (self.code,))


def sentinel_code(sentinel: Path) -> str:
    return f"open({str(sentinel)!r}, 'w').write('code ran')"


def _header_past_eof(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes((len(data) * 10).to_bytes(8, "little") + data[8:])


def _enormous_header(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes((10**12).to_bytes(8, "little") + data[8:])


def _bad_json_header(path: Path) -> None:
    n = int.from_bytes(path.read_bytes()[:8], "little")
    data = bytearray(path.read_bytes())
    data[8 : 8 + min(n, 16)] = b"{\"oops\": [1, 2,"[: min(n, 16)].ljust(min(n, 16), b" ")
    path.write_bytes(bytes(data))


def _rewrite_header(path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    data = path.read_bytes()
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + n])
    edit(header)
    raw = json.dumps(header).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    path.write_bytes(len(raw).to_bytes(8, "little") + raw + data[8 + n :])


def _overlapping_offsets(path: Path) -> None:
    def edit(header: dict[str, Any]) -> None:
        names = sorted((k for k in header if k != "__metadata__"), key=lambda k: header[k]["data_offsets"][0])
        big = max(names, key=lambda k: header[k]["data_offsets"][1] - header[k]["data_offsets"][0])
        other = next(k for k in names if k != big)
        # Point ``other`` into the middle of ``big``'s bytes (same length, so only the overlap is wrong).
        length = header[other]["data_offsets"][1] - header[other]["data_offsets"][0]
        begin = header[big]["data_offsets"][0]
        header[other]["data_offsets"] = [begin, begin + length]

    _rewrite_header(path, edit)


def _shape_size_mismatch(path: Path) -> None:
    def edit(header: dict[str, Any]) -> None:
        name = next(k for k in header if k != "__metadata__" and header[k]["shape"])
        header[name]["shape"] = [d * 1000 for d in header[name]["shape"]]

    _rewrite_header(path, edit)


MALFORMED_SAFETENSORS: dict[str, Callable[[Path], None]] = {
    "header_past_eof": _header_past_eof,
    "enormous_header": _enormous_header,
    "bad_json_header": _bad_json_header,
    "overlapping_offsets": _overlapping_offsets,
    "shape_size_mismatch": _shape_size_mismatch,
}


def save_tiny_model(folder: Path) -> Path:
    """A tiny, valid model folder (bert, 1 layer) to make hostile variants of."""
    from workbench.engine.models.saving import save_model_folder

    parts = tiny_checkpoint_parts()
    save_model_folder(folder, parts["model"], parts["tokenizer"], parts["model_meta"])
    return folder


def make_hostile(kind: str, folder: Path, sentinel: Path) -> Path:
    """A model folder of ``kind``; loading it must run no code and raise a readable error."""
    save_tiny_model(folder)
    if kind == "pickle_weights":
        weights = folder / "model.safetensors"
        with open(folder / "pytorch_model.bin", "wb") as handle:
            import pickle

            pickle.dump({"weights": _Evil(sentinel_code(sentinel))}, handle)
        weights.unlink()
    elif kind == "auto_map_model":
        config = json.loads((folder / "config.json").read_text())
        config["auto_map"] = {"AutoModelForSequenceClassification": "modeling_evil.EvilModel",
                              "AutoConfig": "modeling_evil.EvilConfig"}
        (folder / "config.json").write_text(json.dumps(config))
        (folder / "modeling_evil.py").write_text(sentinel_code(sentinel) + "\n")
    elif kind == "auto_map_tokenizer":
        tok_config = json.loads((folder / "tokenizer_config.json").read_text())
        tok_config["auto_map"] = {"AutoTokenizer": ["tokenization_evil.EvilTokenizer", None]}
        (folder / "tokenizer_config.json").write_text(json.dumps(tok_config))
        (folder / "tokenization_evil.py").write_text(sentinel_code(sentinel) + "\n")
    elif kind in MALFORMED_SAFETENSORS:
        MALFORMED_SAFETENSORS[kind](folder / "model.safetensors")
    else:
        raise ValueError(kind)
    return folder


HOSTILE_KINDS = ("pickle_weights", "auto_map_model", "auto_map_tokenizer", *MALFORMED_SAFETENSORS)


def hostile_run_folder(kind: str, run_dir: Path, sentinel: Path, base: TrainConfig) -> Path:
    """A run folder whose latest checkpoint is hostile (for the resume path); ``base`` is its config."""
    checkpoint = run_dir / "checkpoints" / ckpt.checkpoint_name(4)
    make_hostile(kind, checkpoint, sentinel)
    (checkpoint / ckpt.STATE_FILE).write_text(json.dumps({"step": 4, "epoch": 0, "batch_in_epoch": 4}))
    from safetensors.torch import save_file

    save_file({}, str(checkpoint / ckpt.OPTIMIZER_FILE))  # so the checks reach the weights themselves
    if kind == "pickle_weights":
        with open(checkpoint / "optimizer.pt", "wb") as handle:  # never read: optimizer state is safetensors
            import pickle

            pickle.dump(_Evil(sentinel_code(sentinel)), handle)
    (run_dir / "checkpoints" / ckpt.LATEST).write_text(checkpoint.name + "\n")
    base.output = str(run_dir)
    base.save(run_dir / "config.json")
    return run_dir
