"""``workbench predict``: run a trained model on texts given on the command line or stdin."""

from __future__ import annotations

import argparse
import json
import sys

from workbench.engine.errors import ConfigError
from workbench.engine.tasks import TASKS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "predict",
        help="predict with a trained model",
        description="Predict with a run folder, model folder or hub id. Classification prints the label and "
        "probabilities; token classification the tags per word; masked LM the top fillers for [MASK]; "
        "causal LM a continuation. Texts come from the arguments, or one per line on stdin ('-').",
    )
    p.add_argument("model", metavar="RUN_OR_MODEL_DIR")
    p.add_argument("texts", metavar="TEXT", nargs="+")
    p.add_argument("--json", action="store_true", help="one JSON object per text, one per line")
    p.add_argument("--task", choices=TASKS,
                   help="only needed for folders not saved by the workbench")
    p.add_argument("--top-k", type=int, default=5, help="fillers per [MASK] (masked LM)")
    p.add_argument("--max-new-tokens", type=int, default=40, help="length of a continuation (causal LM)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--allow-pickle-weights", dest="allow_pickle", action="store_true")
    p.add_argument("--trust-remote-code", action="store_true")
    p.set_defaults(func=run)


def _human(result: dict) -> str:
    if "label" in result:
        probs = "  ".join(f"{k}={v:.3f}" for k, v in result["probabilities"].items())
        return f"{result['label']}\t({probs})\t{result['text']}"
    if "tags" in result:
        return " ".join(f"{w}/{t}" for w, t in zip(result["words"], result["tags"]))
    if "masks" in result:
        return "\n".join(
            "  ".join(f"{f['token']} ({f['score']:.3f})" for f in fillers) for fillers in result["masks"]
        )
    return result["text"] + result["continuation"]


def run(args: argparse.Namespace) -> int:
    from workbench.engine.inference import Predictor

    texts = list(args.texts)
    if texts == ["-"]:
        texts = [line.rstrip("\n") for line in sys.stdin if line.strip()]
    if not texts:
        raise ConfigError("no text to predict: pass TEXT arguments or '-' with lines on stdin.")
    predictor = Predictor.load(args.model, task=args.task, allow_pickle=args.allow_pickle,
                               trust_remote_code=args.trust_remote_code, device=args.device)
    results = predictor.predict(texts, top_k=args.top_k, max_new_tokens=args.max_new_tokens)
    for result in results:
        print(json.dumps(result, ensure_ascii=False) if args.json else _human(result))
    return 0
