"""``workbench compare``: two classifiers on one labelled file, and where they disagree.

With ``--attention TEXT`` instead: what changed in every attention head between two
checkpoints (B minus A), for any two models with attention, a head or not (a
plain pre-trained MiniLM against a classifier fine-tuned from it, say).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# The plain-text report lists this many disagreements (--json lists all of them).
SHOWN_DISAGREEMENTS = 20
TEXT_WIDTH = 60  # characters of each text in the plain-text table


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "compare",
        help="compare two classifiers on a labelled file",
        description="Evaluate two models (run folders, checkpoint folders or model folders) with the same "
        "labels on one file: both accuracies, and the examples where their predictions differ, the most "
        "confident first. With --attention TEXT instead of --data: how much each layer's and head's "
        "attention to TEXT changed from A to B (any two checkpoints that share a tokenizer, with or without "
        "a task head).",
    )
    p.add_argument("model_a", metavar="A", help="first run, checkpoint or model folder (e.g. an early checkpoint)")
    p.add_argument("model_b", metavar="B", help="second run, checkpoint or model folder (e.g. the final model)")
    p.add_argument("--data", help="labelled file in the same format as for training")
    p.add_argument("--attention", metavar="TEXT",
                   help="compare the attention to TEXT instead of predictions: mean |B - A| per layer and head")
    p.add_argument("--out", metavar="FILE.npz",
                   help="with --attention: save tokens and the differences (layers x heads x T x T, B - A)")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object: metrics_a, metrics_b and every disagreement")
    p.add_argument("--format", choices=["csv", "tsv", "jsonl"])
    p.add_argument("--text-column")
    p.add_argument("--text-pair-column")
    p.add_argument("--label-column")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--device", default="cpu")
    p.set_defaults(func=run)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _attention(args: argparse.Namespace) -> int:
    """B's minus A's attention to one text: a layer x head table of mean |change|, and the largest cells."""
    import numpy as np

    from workbench.engine.inspection.attention import display_tokens
    from workbench.engine.inspection.compare import compare_attention

    tokens, diff = compare_attention(args.model_a, args.model_b, args.attention, device=args.device)  # (L, H, T, T)
    change = np.abs(diff).mean(axis=(2, 3))  # (L, H): mean |B - A| over all query/key pairs
    if args.out:
        import io

        from workbench.engine.runs import atomic_write_bytes

        buffer = io.BytesIO()
        np.savez(buffer, tokens=np.array(tokens, dtype=str), difference=diff, mean_abs_change=change)
        atomic_write_bytes(Path(args.out), buffer.getvalue())
    if args.json:
        json.dump({"a": args.model_a, "b": args.model_b, "tokens": tokens,
                   "mean_abs_change": change.tolist()}, sys.stdout, ensure_ascii=False)
        print()
        return 0
    shown = display_tokens(tokens)
    print(" ".join(shown))
    print(f"mean |B - A| attention per layer (rows) and head (columns), {len(tokens)} tokens:")
    print("       " + " ".join(f"{'h' + str(h):>7s}" for h in range(change.shape[1])))
    for layer, row in enumerate(change):
        print(f"layer {layer:<2d}" + " ".join(f"{v:7.4f}" for v in row))
    layer, head = np.unravel_index(int(np.argmax(change)), change.shape)
    cells = diff[layer, head]  # (T, T)
    order = np.argsort(-np.abs(cells), axis=None)[:5]
    print(f"\nmost changed head: layer {layer}, head {head}; its largest changes (query -> key: B - A):")
    for flat in order:
        q, k = np.unravel_index(int(flat), cells.shape)
        print(f"  {shown[q]} -> {shown[k]}: {cells[q, k]:+.4f}")
    if args.out:
        print(f"-> {args.out}")
    return 0


def run(args: argparse.Namespace) -> int:
    from workbench.engine.data import ColumnMapping
    from workbench.engine.errors import ConfigError
    from workbench.engine.inspection.compare import compare_models

    if args.attention is not None:
        if args.data:
            raise ConfigError("give --data (compare predictions) or --attention TEXT (compare attention), not both.")
        if not args.attention.strip():
            raise ConfigError("--attention needs a text: it is empty.")
        return _attention(args)
    if not args.data:
        raise ConfigError("give --data FILE (compare predictions on a labelled file) or --attention TEXT "
                          "(compare attention, for any two checkpoints).")
    if args.out:
        raise ConfigError("--out goes with --attention (it saves the attention differences).")
    mapping = None
    if args.text_column:
        mapping = ColumnMapping(args.text_column, args.text_pair_column, args.label_column)
    comparison = compare_models(args.model_a, args.model_b, args.data, mapping=mapping,
                                batch_size=args.batch_size, format=args.format, device=args.device)
    a, b = comparison.summary("a"), comparison.summary("b")
    if args.json:
        out = {
            "a": comparison.spec_a, "b": comparison.spec_b, "examples": len(comparison),
            "metrics_a": a, "metrics_b": b,
            "disagreements": comparison.disagreement_rows(),
        }
        json.dump(out, sys.stdout, ensure_ascii=False)
        print()
        return 0
    n = len(comparison)
    print(f"A  {comparison.spec_a}\n   accuracy {a['accuracy']:.4f}  f1_macro {a['f1_macro']:.4f}  loss {a['loss']:.4f}")
    print(f"B  {comparison.spec_b}\n   accuracy {b['accuracy']:.4f}  f1_macro {b['f1_macro']:.4f}  loss {b['loss']:.4f}")
    print(f"\n{len(comparison.disagreements)} of {n} examples predicted differently")
    rows = comparison.disagreement_rows(SHOWN_DISAGREEMENTS)
    if rows:
        print(f"\n{'text':{TEXT_WIDTH}s}  {'label':12s} {'A':12s} {'B':12s} {'conf A':>6s} {'conf B':>6s}")
        for row in rows:
            print(f"{_cut(row['text'], TEXT_WIDTH):{TEXT_WIDTH}s}  {row['label'][:12]:12s} {row['a'][:12]:12s} "
                  f"{row['b'][:12]:12s} {row['conf_a']:6.3f} {row['conf_b']:6.3f}")
        if len(comparison.disagreements) > SHOWN_DISAGREEMENTS:
            print(f"… and {len(comparison.disagreements) - SHOWN_DISAGREEMENTS} more (--json lists all)")
    return 0
