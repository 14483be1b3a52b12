"""``workbench explain``: which tokens pushed a classifier towards a label (token saliency)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from workbench.engine.tasks.registry import TASKS

if TYPE_CHECKING:
    from workbench.engine.inference import Predictor
    from workbench.engine.inspection.saliency import Attribution


def register(subparsers: argparse._SubParsersAction) -> None:
    from workbench.engine.inspection.cross_attention import DEFAULT_IG_STEPS
    from workbench.engine.inspection.saliency import BASELINES, DEFAULT_STEPS, METHODS

    p = subparsers.add_parser(
        "explain",
        help="token saliency of a classifier (integrated gradients, gradient x input)",
        description="Attribute a classifier's score for a label to each input token. Integrated gradients "
        "(ig, the default) also prints delta, the gap between the sum of the attributions and the change of "
        "the label's logit from the baseline to the text: near 0 means the path integral was computed "
        "precisely. Texts come from the arguments, '-' (one per line on stdin) or --file (one JSON line "
        "per text). Saliency explains a prediction, so it needs a classification head: a plain pre-trained "
        "checkpoint without one (MiniLM) says so and how to fine-tune it; its attention needs no head "
        "(workbench attention). For a sequence-to-sequence model (translation, summarisation, dialogue) it attributes "
        "the log-probability of one generated token (--target-index) to the source tokens.",
    )
    p.add_argument("model", metavar="RUN_OR_MODEL_DIR", help="run folder, model folder or hub id")
    p.add_argument("texts", metavar="TEXT", nargs="*")
    p.add_argument("--method", choices=METHODS, default="ig")
    p.add_argument("--target", metavar="LABEL", help="label name or index to explain (default: the predicted one)")
    p.add_argument("--steps", type=int, default=None,
                   help=f"points on the integration path (ig; default {DEFAULT_STEPS}, {DEFAULT_IG_STEPS} for "
                   "sequence-to-sequence models)")
    p.add_argument("--baseline", choices=BASELINES, default="pad",
                   help="what a token is compared with (ig): the [PAD] or [MASK] token, or a zero vector")
    p.add_argument("--target-index", type=int, default=0, metavar="K",
                   help="sequence-to-sequence: explain the K-th generated token (from 0; default 0)")
    p.add_argument("--target-text", metavar="TEXT",
                   help="sequence-to-sequence: explain this target instead of the model's greedy output")
    p.add_argument("--text-pair", metavar="TEXT", help="second text for a pair classifier (with one TEXT)")
    p.add_argument("--json", action="store_true", help="one JSON object per text, one per line")
    p.add_argument("--file", metavar="FILE", help="explain every text of a data file (CSV, TSV, JSONL, text)")
    p.add_argument("--text-column", help="the column of --file that holds the text (default: detected)")
    p.add_argument("--format", choices=["csv", "tsv", "jsonl", "text"], help="format of --file (default: detected)")
    p.add_argument("--task", choices=TASKS,
                   help="only needed for folders not saved by the workbench")
    p.add_argument("--device", default="cpu")
    p.add_argument("--allow-pickle-weights", dest="allow_pickle", action="store_true")
    p.add_argument("--trust-remote-code", action="store_true")
    p.set_defaults(func=run)


def _human(text: str, a: Attribution) -> str:
    from workbench.engine.inspection import display_tokens

    head = f"{text}\n  target {a.target} (p={a.probability:.3f}), {a.method}"
    if a.delta is not None:
        head += f", {a.steps} steps, baseline {a.baseline}, delta {a.delta:+.4f}"
    rows = [f"  {score:+9.4f}  {token}" for token, score in zip(display_tokens(a.tokens), a.attributions)]
    return "\n".join([head, *rows])


def _run_seq2seq(args: argparse.Namespace, predictor: Predictor, texts: list[str]) -> int:
    """Integrated gradients of generated token --target-index, per source token, for each text."""
    from workbench.engine.errors import ConfigError
    from workbench.engine.inspection.cross_attention import (
        DEFAULT_IG_STEPS,
        predictor_integrated_gradients,
    )

    if args.method != "ig":
        raise ConfigError("sequence-to-sequence models are explained with integrated gradients (--method ig).")
    steps = DEFAULT_IG_STEPS if args.steps is None else args.steps
    for text in texts:
        a = predictor_integrated_gradients(predictor, text, args.target_index, target=args.target_text, steps=steps,
                                           baseline=args.baseline)
        if args.json or args.file is not None:
            print(json.dumps({"text": text, **a.as_dict()}, ensure_ascii=False), flush=True)
            continue
        print(f"{text}\n  target token {a.target_index} {a.target_token!r} (log p={a.log_probability:.4f}), ig, "
              f"{a.steps} steps, baseline {a.baseline}, delta {a.delta:+.4f}")
        print("\n".join(f"  {score:+9.4f}  {token}" for token, score in zip(a.source_tokens, a.attributions)))
    return 0


def _file_texts(args: argparse.Namespace) -> tuple[list[str], list[int]]:
    """The texts of --file and their line numbers, with the data layer's column detection and errors."""
    from workbench.engine.data import ColumnMapping, read_table
    from workbench.engine.task_data import build_examples, complete_mapping

    table = read_table(args.file, args.format)
    # Texts only: a label column may be there or not, so map as for a language model.
    mapping = complete_mapping(table, "causal-lm", text=args.text_column)
    examples = build_examples(table, "causal-lm", ColumnMapping(mapping.text))
    return examples.texts, examples.lines


def run(args: argparse.Namespace) -> int:
    from workbench.engine.errors import ConfigError
    from workbench.engine.inference import Predictor
    from workbench.engine.inspection.saliency import DEFAULT_STEPS, explain_file

    texts = list(args.texts)
    lines: list[int] | None = None
    if args.file:
        if texts:
            raise ConfigError("give either TEXT arguments or --file, not both.")
        texts, lines = _file_texts(args)
    elif texts == ["-"]:
        texts = [line.rstrip("\n") for line in sys.stdin if line.strip()]
    if not texts:
        raise ConfigError("no text to explain: pass TEXT arguments, '-' with lines on stdin, or --file.")
    if args.text_pair is not None and len(texts) != 1:
        raise ConfigError("--text-pair goes with exactly one TEXT.")
    if args.steps is not None and args.steps < 1:
        raise ConfigError(f"--steps must be at least 1 (got {args.steps}).")

    predictor = Predictor.load(args.model, task=args.task, allow_pickle=args.allow_pickle,
                               trust_remote_code=args.trust_remote_code, device=args.device)
    if predictor.task_spec.sequence_to_sequence:
        return _run_seq2seq(args, predictor, texts)
    args.steps = DEFAULT_STEPS if args.steps is None else args.steps
    pairs = [args.text_pair] if args.text_pair is not None else None
    results = explain_file(predictor, texts, args.method, target=args.target, steps=args.steps,
                           baseline=args.baseline, text_pairs=pairs)
    as_json = args.json or args.file is not None  # a whole file is for machines: JSON lines
    for i, (text, attribution) in enumerate(zip(texts, results)):
        if as_json:
            record = {"text": text, **attribution.as_dict()}
            if lines is not None:
                record["line"] = lines[i]
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            print(_human(text, attribution))
    return 0
