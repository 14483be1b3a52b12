"""``workbench eval``: the metrics of a trained model on a labelled file."""

from __future__ import annotations

import argparse
import json
import sys

from workbench.engine.errors import DatasetError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "eval",
        help="evaluate a trained model on a labelled file",
        description="Accuracy, precision, recall, F1 and the confusion matrix (classification); token accuracy "
        "and entity F1 (tagging); loss and perplexity (language models).",
    )
    p.add_argument("model", metavar="RUN_OR_MODEL_DIR")
    p.add_argument("--data", required=True, help="labelled file in the same format as for training")
    p.add_argument("--json", action="store_true", help="print the metrics as one JSON object")
    p.add_argument("--task", choices=["classification", "token-classification", "masked-lm", "causal-lm"])
    p.add_argument("--format", choices=["csv", "tsv", "jsonl", "text", "conll", "conllu"])
    p.add_argument("--text-column")
    p.add_argument("--text-pair-column")
    p.add_argument("--label-column")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--device", default="cpu")
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
    if matrix and len(matrix) <= 12:
        print("\nconfusion matrix (rows: true, columns: predicted)")
        for row in matrix:
            print(" ".join(f"{v:6d}" for v in row))


def run(args: argparse.Namespace) -> int:
    from workbench.engine.data import ColumnMapping, read_table, build_examples
    from workbench.engine.encoding import encode
    from workbench.engine.evaluation import evaluate
    from workbench.engine.inference import Predictor
    from workbench.engine.runs import json_safe

    predictor = Predictor.load(args.model, task=args.task, allow_pickle=args.allow_pickle,
                               trust_remote_code=args.trust_remote_code, device=args.device)
    mapping = None
    if args.text_column:
        mapping = ColumnMapping(args.text_column, args.text_pair_column, args.label_column)
    table = read_table(args.data, args.format)
    labelled = predictor.task in ("classification", "token-classification")
    examples = build_examples(table, predictor.task, mapping, label_names=predictor.label_names if labelled else None)
    if labelled and examples.labels is None:
        raise DatasetError("no label column found; evaluation needs labels (use --label-column).", path=args.data)
    encoded = encode(examples, predictor.tokenizer, predictor.task, predictor.max_length)
    result = evaluate(predictor.model, predictor.tokenizer, predictor.task, encoded,
                      label_names=predictor.label_names, batch_size=args.batch_size)
    if args.json:
        json.dump(json_safe(result.metrics), sys.stdout, ensure_ascii=False)
        print()
    else:
        _print_report(result.metrics)
    return 0
