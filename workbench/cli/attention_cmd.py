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
        "2020). For a sequence-to-sequence model the model first generates its output (greedy; or --target is "
        "used) and the file also holds cross_attentions (float32, layers x heads x T_target x T_source: rows "
        "are the generated tokens), encoder_attentions, decoder_attentions, source_tokens and target_tokens; "
        "tokens and attentions are then the encoder's. The file loads with numpy.load(FILE, allow_pickle=False).",
    )
    p.add_argument("model", metavar="RUN_OR_MODEL_DIR", help="run folder, model folder or hub id")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--out", required=True, metavar="FILE.npz", help="where to write the maps")
    p.add_argument("--text-pair", metavar="TEXT", help="second text, for pair classifiers")
    p.add_argument("--max-length", type=int, default=512, help="truncate to this many tokens (default 512)")
    p.add_argument("--task", choices=TASKS,
                   help="load this task's head (not needed: a checkpoint without a task head, such as "
                   "MiniLM, is read through its bare encoder)")
    p.add_argument("--target", metavar="TEXT",
                   help="sequence-to-sequence: look at this target instead of the model's greedy output")
    p.add_argument("--max-new-tokens", type=int, default=40,
                   help="sequence-to-sequence: the longest output generated (default 40)")
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
    task = getattr(predictor, "task_spec", None)  # a BareModel has no task
    if task is not None and task.sequence_to_sequence:
        return _run_seq2seq(args, predictor)
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


def _run_seq2seq(args: argparse.Namespace, predictor: object) -> int:
    """Generate (or take --target), then save the encoder's, the decoder's and the cross-attention."""
    import numpy as np

    from workbench.engine.errors import ConfigError
    from workbench.engine.inspection import rollout
    from workbench.engine.inspection.cross_attention import predictor_attention
    from workbench.engine.runs import atomic_write_bytes

    if args.max_new_tokens < 1:
        raise ConfigError(f"--max-new-tokens must be at least 1 (got {args.max_new_tokens}).")
    maps = predictor_attention(predictor, args.text, target=args.target,  # type: ignore[arg-type]
                               max_new_tokens=args.max_new_tokens)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        tokens=np.array(maps.source_tokens, dtype=str),  # the encoder's, as for any other model
        attentions=maps.encoder_attentions,  # (L_enc, H, S, S)
        special=maps.source_special.astype(bool),
        rollout=rollout(maps.encoder_attentions).astype(np.float32),
        source_tokens=np.array(maps.source_tokens, dtype=str),
        target_tokens=np.array(maps.target_tokens, dtype=str),
        source_ids=np.array(maps.source_ids, dtype=np.int64),
        target_ids=np.array(maps.target_ids, dtype=np.int64),
        encoder_attentions=maps.encoder_attentions,  # (L_enc, H, S, S)
        decoder_attentions=maps.decoder_attentions,  # (L_dec, H, T, T)
        cross_attentions=maps.cross_attentions,  # (L_dec, H, T, S)
        target_special=maps.target_special.astype(bool),
    )
    out = Path(args.out)
    atomic_write_bytes(out, buffer.getvalue())
    L, H, T, S = maps.cross_attentions.shape
    print(maps.output)
    print("source: " + " ".join(maps.source_tokens))
    print("target: " + " ".join(maps.target_tokens))
    print(f"cross-attention: {L} layers x {H} heads x {T} target x {S} source tokens -> {out}")
    return 0
