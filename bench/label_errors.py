"""Does the label-error search find planted flips, and does cleaning win back the accuracy they cost?

Issue 17's measurement: 4,000 SST-2 training rows (a seeded sample), 5 % of their labels
flipped; k-fold fine-tuning of MiniLM (two epochs per fold) and confident learning rank the
rows; precision and recall at the number planted. Then MiniLM is trained on the noisy file,
on the cleaned files (``workbench label-errors --clean relabel`` and ``--clean drop``: every
flagged row relabeled to the suggestion, or dropped), on the noisy file with exactly the
planted rows dropped (the oracle: the most any cleaning can give) and on the clean file, each
once per ``--train-seeds`` seed, and scored on SST-2's dev set. The share of the accuracy lost
to noise that cleaning recovers is (cleaned - noisy) / (clean - noisy) on the seeds' means, one
per action. Use several seeds: one run's dev accuracy moves by up to a point from seed to seed,
as much as 5 % noise costs, so a one-seed recovery figure is mostly that noise. Confident
learning flags more rows than were planted (2.7 times as many here: a fold model's confident
mistakes count too), so relabeling all of them adds more wrong labels than it fixes. Figures
only, never a test. About 12 minutes with one seed on 2 idle CPU cores, 4 more per extra seed:

    python bench/label_errors.py --threads 2 [--json] [--rows 4000] [--folds 5] [--flip 0.05]
        [--fold-epochs 2] [--epochs 2] [--action both|relabel|drop] [--train-seeds 0,1,2]
        [--fold-model SPEC]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._finetune_sides import minilm_dir  # noqa: E402

SST2 = Path(__file__).resolve().parents[2] / "shared" / "data" / "sst2"


def make_files(folder: Path, rows: int, flip: float, seed: int) -> tuple[Path, Path, set[int]]:
    """(clean file, noisy file, the file lines whose label was flipped)."""
    import numpy as np

    header, *body = (SST2 / "train.tsv").read_text(encoding="utf-8").splitlines()
    rng = np.random.default_rng(seed)
    picked = [body[i] for i in sorted(rng.choice(len(body), size=rows, replace=False))]
    flipped = set(rng.choice(rows, size=int(round(rows * flip)), replace=False).tolist())
    noisy = []
    for i, line in enumerate(picked):
        text, label = line.rsplit("\t", 1)
        noisy.append(f"{text}\t{1 - int(label)}" if i in flipped else line)
    clean_path, noisy_path = folder / "clean.tsv", folder / "noisy.tsv"
    clean_path.write_text("\n".join([header, *picked]) + "\n", encoding="utf-8")
    noisy_path.write_text("\n".join([header, *noisy]) + "\n", encoding="utf-8")
    return clean_path, noisy_path, {i + 2 for i in flipped}  # line 1 is the header


def train_and_score(data: Path, args: argparse.Namespace, seed: int) -> float:
    """Dev accuracy of MiniLM trained on ``data`` (the same schedule for every file)."""
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.events import TrainFinished
    from workbench.engine.training.trainer import Trainer

    config = TrainConfig(data=str(data), validation=str(SST2 / "dev.tsv"), model=str(minilm_dir()), epochs=args.epochs,
                         max_length=args.max_length, num_threads=args.threads, seed=seed, eval_every=10**9)
    for event in Trainer(config).run():
        if isinstance(event, TrainFinished):
            return float(event.summary["eval_accuracy"])
    raise RuntimeError(f"training on {data} did not finish")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--flip", type=float, default=0.05)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--fold-epochs", type=float, default=2.0, help="epochs of each fold's fine-tuning")
    parser.add_argument("--epochs", type=float, default=2.0, help="epochs of the three final runs")
    parser.add_argument("--max-length", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--action", choices=["both", "relabel", "drop"], default="both")
    parser.add_argument("--fold-model", help="the model the folds fine-tune (default MiniLM, as the final trainings): "
                        "a stronger one makes fewer confident mistakes for confident learning to mistake for label errors")
    parser.add_argument("--train-seeds", default="0", help="seeds of the final trainings, e.g. 0,1,2 (means reported)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--oof-out", help="also save the out-of-fold probabilities here (.npz) to study rankings")
    args = parser.parse_args()

    from workbench.engine.analysis.label_errors import Decision, find_label_errors, write_cleaned
    from workbench.engine.training.config import TrainConfig

    out: dict[str, Any] = {"fold_model": args.fold_model or "minilm", "rows": args.rows, "flip": args.flip, "folds": args.folds, "fold_epochs": args.fold_epochs, "epochs": args.epochs,
                           "max_length": args.max_length, "threads": args.threads, "action": args.action}
    with tempfile.TemporaryDirectory(prefix="bench-label-errors-") as tmp:
        clean, noisy, planted = make_files(Path(tmp), args.rows, args.flip, args.seed)
        start = time.perf_counter()
        config = TrainConfig(data=str(noisy), model=args.fold_model or str(minilm_dir()), epochs=args.fold_epochs, max_length=args.max_length,
                             num_threads=args.threads, seed=0)
        def progress(p: Any) -> None:
            if p.done == p.total and p.total:
                print(f"fold {p.fold}/{p.folds} {p.phase} done at {time.perf_counter() - start:.0f} s", file=sys.stderr)

        report = find_label_errors(config, args.folds, progress=progress)
        out["search_s"] = round(time.perf_counter() - start, 1)
        lines = report.out_of_fold.examples.lines
        if args.oof_out:
            import numpy as np

            np.savez(args.oof_out, probabilities=report.out_of_fold.probabilities, labels=report.out_of_fold.labels,
                     lines=np.asarray(lines), planted=np.asarray(sorted(planted)))
        top = {lines[i] for i in report.learning.ranking[: len(planted)]}
        out["planted"] = len(planted)
        out["precision_at_planted"] = out["recall_at_planted"] = len(top & planted) / len(planted)
        flagged = {i.line for i in report.issues}
        out["flagged"] = len(flagged)
        out["flagged_precision"] = len(flagged & planted) / max(len(flagged), 1)
        out["flagged_recall"] = len(flagged & planted) / len(planted)
        print(f"precision = recall at {len(planted)} planted: {out['precision_at_planted']:.3f}; flagged "
              f"{len(flagged)} (precision {out['flagged_precision']:.3f}, recall {out['flagged_recall']:.3f})",
              file=sys.stderr)
        actions = ["relabel", "drop"] if args.action == "both" else [args.action]
        files = [("noisy", noisy)] + [
            (f"cleaned_{action}", write_cleaned(noisy, report.decisions_from_suggestions(action),
                                                label_column=report.label_column))
            for action in actions
        ]
        oracle_dir = Path(tmp) / "oracle"  # its own folder: the cleaned name would clash with the others
        oracle_dir.mkdir()
        (oracle_dir / noisy.name).write_bytes(noisy.read_bytes())
        files += [("oracle", write_cleaned(oracle_dir / noisy.name, [Decision(line, "drop") for line in planted])),
                  ("clean", clean)]
        seeds = [int(s) for s in args.train_seeds.split(",")]
        out["train_seeds"] = seeds
        start = time.perf_counter()
        for seed in seeds:
            for name, path in files:
                accuracy = train_and_score(path, args, seed)
                out.setdefault(f"dev_accuracies_{name}", []).append(accuracy)
                print(f"seed {seed}: dev accuracy, trained on the {name} file: {accuracy:.4f}", file=sys.stderr)
        for name, _ in files:
            values = out[f"dev_accuracies_{name}"]
            out[f"dev_accuracy_{name}"] = sum(values) / len(values)
        out["train_s"] = round(time.perf_counter() - start, 1)
    lost = out["dev_accuracy_clean"] - out["dev_accuracy_noisy"]
    for name in [f"cleaned_{action}" for action in actions] + ["oracle"]:
        gained = out[f"dev_accuracy_{name}"] - out["dev_accuracy_noisy"]
        out[f"recovered_share_{name.removeprefix('cleaned_')}"] = gained / lost if lost > 0 else None
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for key, value in out.items():
            print(f"{key:24s} {value:.4f}" if isinstance(value, float) else f"{key:24s} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
