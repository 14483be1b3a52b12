"""``workbench eval``: the metrics of a trained model on a labelled file.

Without ``--data``, a run folder (or one of its checkpoints) is evaluated on the data it
validated on: its validation file, or the part of its training file it held out, rebuilt
and checked as the app's evaluation panel does (``workbench.engine.eval_data``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.cli.data_args import add_eval_data_options, eval_source
from workbench.engine.errors import ConfigError, DatasetError
from workbench.engine.tasks.registry import TASKS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "eval",
        help="evaluate a trained model on a labelled file",
        description="Accuracy, precision, recall, F1 and the confusion matrix (classification); micro/macro F1, "
        "subset accuracy, Hamming loss and per-label scores at the model's thresholds (multi-label); token accuracy "
        "and entity F1 (tagging); loss and perplexity (language models); exact match and F1 as the official "
        "SQuAD v2 script computes them, as fractions (question answering). Without --data, a run folder is "
        "evaluated on the data it validated on.",
    )
    p.add_argument("model", metavar="RUN_OR_MODEL_DIR")
    p.add_argument("--data", help="labelled file in the same format as for training (default, for a run folder or "
                   "one of its checkpoints: the data the run validated on, i.e. its validation file, or else the "
                   "part of its training file it held out (validation_fraction, seed), rebuilt exactly; refused "
                   "if that file changed since the run)")
    add_eval_data_options(p)
    p.add_argument("--json", action="store_true", help="print the metrics as one JSON object")
    p.add_argument("--task", choices=TASKS)
    p.add_argument("--null-threshold", type=float,
                   help="question answering: answer \"\" when no-answer beats the best span by more than this "
                   "(default: the model's, tuned on its validation data, else 0; write a negative one as "
                   "--null-threshold=-2)")
    p.add_argument("--label-separator", metavar="S",
                   help="multi-label: what separates a row's labels (default: the one the model was trained with)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--predictions", metavar="FILE.csv",
                   help="also write one row per example (classification: example, line, text, label, predicted, "
                   "confidence, loss, correct, p_<label>...; multi-label: the same with label sets; tagging: one row "
                   "per word; question answering: one row per question), as the app's CSV export does")
    p.add_argument("--device", default="cpu")
    p.add_argument("--precision", choices=["fp32", "bf16", "auto"], default="fp32",
                   help="bf16 autocast on a CUDA GPU or a CPU with AVX-512 BF16 / AMX; auto: bf16 "
                        "where this machine runs it faster (as training decides)")
    p.add_argument("--allow-pickle-weights", dest="allow_pickle", action="store_true")
    p.add_argument("--trust-remote-code", action="store_true")
    p.set_defaults(func=run)


def _print_report(metrics: dict) -> None:
    for key, value in metrics.items():
        if isinstance(value, float):
            print(f"{key:28s} {value:.4f}")
        elif isinstance(value, int):
            print(f"{key:28s} {value}")
    per_class = metrics.get("eval_per_class")
    if per_class:
        print(f"\n{'label':24s} {'precision':>9s} {'recall':>9s} {'f1':>9s} {'support':>8s}")
        for name, row in per_class.items():
            print(f"{name[:24]:24s} {row['precision']:9.4f} {row['recall']:9.4f} {row['f1']:9.4f} {row['support']:8d}")
    matrix = metrics.get("eval_confusion_matrix")
    if matrix and len(matrix) <= MAX_MATRIX_LABELS:
        print("\nconfusion matrix (rows: true, columns: predicted)")
        print(confusion_table(matrix, metrics.get("label_names") or [str(i) for i in range(len(matrix))]))
    elif matrix:
        print(f"\nconfusion matrix: {len(matrix)} labels, too wide to print here; --json has it by label")


# Wider than this, a confusion matrix no longer fits a terminal: --json has it instead.
MAX_MATRIX_LABELS = 12
_LABEL_WIDTH = 16  # longer label names are cut with an ellipsis in the table


def _short(name: str) -> str:
    return name if len(name) <= _LABEL_WIDTH else name[: _LABEL_WIDTH - 1] + "…"


def confusion_table(matrix: list[list[int]], names: list[str]) -> str:
    """The matrix as text, labels as row and column headers (rows: true, columns: predicted)."""
    labels = [_short(n) for n in names]
    corner = "true \\ predicted"
    first = max(len(corner), *(len(n) for n in labels))
    widths = [max(len(n), *(len(str(row[j])) for row in matrix), 4) for j, n in enumerate(labels)]
    lines = [f"{corner:<{first}}  " + "  ".join(f"{n:>{w}}" for n, w in zip(labels, widths))]
    for name, row in zip(labels, matrix):
        lines.append(f"{name:<{first}}  " + "  ".join(f"{v:>{w}d}" for v, w in zip(row, widths)))
    return "\n".join(lines)


def confusion_by_label(matrix: list[list[int]], names: list[str]) -> dict[str, dict[str, int]]:
    """{true label: {predicted label: count}}: the matrix with its labels, for --json."""
    return {true: dict(zip(names, row)) for true, row in zip(names, matrix)}


def run(args: argparse.Namespace) -> int:
    from workbench.engine.evaluation import evaluate_model
    from workbench.engine.inference import Predictor
    from workbench.engine.reports import predictions_table, write_rows_csv
    from workbench.engine.runs import json_safe

    source = eval_source(args)  # before loading: a model folder without --data fails fast
    predictor = Predictor.load(args.model, task=args.task, allow_pickle=args.allow_pickle,
                               trust_remote_code=args.trust_remote_code, device=args.device,
                               precision=args.precision)
    if predictor.source.from_checkpoint:  # not the run's final model: say which weights answer
        print(f"workbench eval: using {predictor.source.description}", file=sys.stderr)
    if args.predictions and not predictor.task_spec.writes_predictions:
        raise ConfigError(
            f"--predictions is for classification, multi-label, token classification and question answering "
            f"(one row per example, word or question); this model's task is {predictor.task}. Leave it out."
        )
    if args.data is None:  # one line on stderr (stdout stays the report, or pure JSON with --json)
        print(f"workbench eval: evaluating on {source.description}", file=sys.stderr)
    labelled = predictor.task_spec.labelled
    separator = args.label_separator or predictor.label_separator  # multi-label only
    # A LABEL_0/LABEL_1 checkpoint reads data labelled 0/1 by position, and says so; a run's
    # held-out split is refused when its training file changed since the run.
    examples, note = source.examples(predictor.task, predictor.label_names if labelled else None,
                                     label_separator=separator)
    if note:
        print(f"workbench eval: note: {note}", file=sys.stderr)
    if labelled and examples.labels is None:
        raise DatasetError("no label column found; evaluation needs labels (use --label-column).", path=source.path)
    result = evaluate_model(predictor, examples, batch_size=args.batch_size, null_threshold=args.null_threshold)
    if args.predictions:  # the app's CSV export writes the same file (reports.predictions_table)
        write_rows_csv(Path(args.predictions), predictions_table(
            result, examples, predictor.label_names or [str(i) for i in range(predictor.model.config.num_labels)],
            tokenizer=predictor.tokenizer, max_length=predictor.max_length, label_separator=separator,
        ))
    if args.json:
        metrics = dict(result.metrics)
        # Generated text: a 95% bootstrap interval per corpus metric (eval_chrf_ci: [low, high]).
        for key, (low, high) in predictor.task_spec.metric_intervals(result, examples).items():
            metrics[f"{key}_ci"] = [low, high]
        if metrics.get("eval_confusion_matrix") and metrics.get("label_names"):
            metrics["eval_confusion_by_label"] = confusion_by_label(metrics["eval_confusion_matrix"],
                                                                    metrics["label_names"])
        json.dump(json_safe(metrics), sys.stdout, ensure_ascii=False)
        print()
    else:
        _print_report(result.metrics)
    return 0
