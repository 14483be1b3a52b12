"""``workbench attention``: every layer's and head's attention for one text, saved as an .npz file."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from workbench.engine.tasks.registry import TASKS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "attention",
        help="save the attention maps of one text to an .npz file",
        description="Run one text (or text pair) through a model and save its attention weights: "
        "tokens (unicode strings), attentions (float32, layers x heads x T x T, special tokens included; "
        "rows are queries and sum to 1), special (bool per token) and rollout (T x T, Abnar & Zuidema "
        "2020). The file loads with numpy.load(FILE, allow_pickle=False).",
    )
    p.add_argument("model", metavar="RUN_OR_MODEL_DIR", help="run folder, model folder or hub id")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--out", required=True, metavar="FILE.npz", help="where to write the maps")
    p.add_argument("--text-pair", metavar="TEXT", help="second text, for pair classifiers")
    p.add_argument("--max-length", type=int, default=512, help="truncate to this many tokens (default 512)")
    p.add_argument("--task", choices=TASKS,
                   help="load this task's head (not needed: a checkpoint without a task head, such as "
                   "MiniLM, is read through its bare encoder)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--allow-pickle-weights", dest="allow_pickle", action="store_true")
    p.add_argument("--trust-remote-code", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from workbench.engine.errors import ConfigError
    from workbench.engine.inspection import compute_attention, display_tokens, rollout
    from workbench.engine.inspection.attention import load_for_inspection
    from workbench.engine.runs import atomic_write_bytes

    if args.max_length < 1:
        raise ConfigError(f"--max-length must be at least 1 (got {args.max_length}).")
    # Attention needs no head: a head-less checkpoint comes back as its bare encoder or decoder.
    predictor = load_for_inspection(args.model, task=args.task, allow_pickle=args.allow_pickle,
                                    trust_remote_code=args.trust_remote_code, device=args.device)
    maps = compute_attention(predictor.model, predictor.tokenizer, args.text, text_pair=args.text_pair,
                             max_length=args.max_length)
    buffer = io.BytesIO()
    # A unicode array (not object dtype), so the file loads without pickle.
    np.savez(
        buffer,
        tokens=np.array(maps.tokens, dtype=str),
        attentions=maps.attentions.astype(np.float32, copy=False),  # (L, H, T, T)
        special=maps.special.astype(bool),  # (T,)
        rollout=rollout(maps.attentions).astype(np.float32),  # (T, T)
    )
    out = Path(args.out)
    atomic_write_bytes(out, buffer.getvalue())  # a crash leaves the old file or the new one, never half

    L, H, T, _ = maps.attentions.shape
    print(" ".join(display_tokens(maps.tokens)))
    print(f"{L} layers x {H} heads x {T} tokens -> {out}")
    if maps.note:
        print(f"note: {maps.note}")
    return 0
