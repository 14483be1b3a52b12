"""``workbench embed``: one vector per example from a model's hidden states, and a 2-D map of them.

The data is read as ``workbench eval`` reads it (``EvalData``: a named file, or without
``--data`` the data a run validated on). The ``.npz`` written holds ``vectors`` (N, H)
float32, ``coords`` (N, 2) float32, ``ids`` (the example's index), ``lines`` (the file
line it starts on), ``texts`` (and ``text_pairs`` for pairs) and, for labelled data with one class per example,
``labels`` (the class names); everything loads with ``np.load(..., allow_pickle=False)``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from workbench.cli.data_args import add_eval_data_options, eval_source
from workbench.engine.errors import ConfigError
from workbench.engine.inspection.embeddings import METHODS, POOLINGS
from workbench.engine.tasks.registry import TASKS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "embed",
        help="embed a data file with a model and map it to 2-D (PCA or UMAP)",
        description="One vector per example: the summary token ([CLS], or the last token for models that "
        "classify from it) or the mean over real tokens of a chosen layer's hidden states, and their 2-D "
        "coordinates (PCA, or UMAP when umap-learn is installed), written to one .npz file. A run folder "
        "keeps the vectors in RUN/analysis/, so a second call on the same data is instant.",
    )
    p.add_argument("model", metavar="RUN_OR_MODEL_DIR")
    p.add_argument("--data", help="the file to embed, read as for training (default, for a run folder: the data "
                   "it validated on, as workbench eval picks it)")
    p.add_argument("--out", required=True, metavar="FILE.npz", help="where to write the vectors and coordinates")
    p.add_argument("--layer", type=int, default=-1,
                   help="which hidden state: 0 is the embeddings, 1 the first layer, -1 the last (default)")
    p.add_argument("--pooling", choices=POOLINGS, default="cls",
                   help="cls: the summary token (default); mean: the mean over real tokens")
    p.add_argument("--method", choices=METHODS, default="pca", help="the 2-D map (umap needs umap-learn)")
    p.add_argument("--seed", type=int, default=0, help="UMAP's seed (PCA is deterministic)")
    p.add_argument("--limit", type=int, metavar="N", help="embed only the first N examples")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--task", choices=TASKS)
    add_eval_data_options(p)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--device", default="cpu")
    p.add_argument("--allow-pickle-weights", dest="allow_pickle", action="store_true")
    p.add_argument("--trust-remote-code", action="store_true")
    p.set_defaults(func=run)


def _label_names(examples: Any) -> list[str] | None:
    """The class name of each example, when every example has one class (not a set, not tags)."""
    labels = examples.labels
    if not labels or not all(isinstance(label, int) for label in labels):
        return None
    names = examples.label_names
    return [names[label] if 0 <= label < len(names) else str(label) for label in labels]


def _write_npz(path: Path, arrays: dict[str, Any]) -> None:
    """Write atomically: a reader never sees half a file, and a failed write leaves the old one."""
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".npz", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(out, **arrays)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from workbench.engine.inference import Predictor
    from workbench.engine.inspection.embeddings import embed_examples, project

    if args.limit is not None and args.limit < 1:
        raise ConfigError(f"--limit {args.limit}: give a positive number of examples.")
    out = Path(args.out)
    if out.suffix != ".npz":
        raise ConfigError(f"--out {out}: the file must end in .npz (numpy saves it under that name).")
    source = eval_source(args)  # before loading: a model folder without --data fails fast
    predictor = Predictor.load(args.model, task=args.task, allow_pickle=args.allow_pickle,
                               trust_remote_code=args.trust_remote_code, device=args.device)
    if predictor.source.from_checkpoint:
        print(f"workbench embed: using {predictor.source.description}", file=sys.stderr)
    if args.data is None:
        print(f"workbench embed: embedding {source.description}", file=sys.stderr)
    labelled = predictor.task_spec.labelled
    examples, note = source.examples(predictor.task, predictor.label_names if labelled else None,
                                     label_separator=predictor.label_separator)
    if note:
        print(f"workbench embed: note: {note}", file=sys.stderr)
    if args.limit is not None and args.limit < len(examples):
        examples = examples.subset(range(args.limit))
    found = embed_examples(predictor, examples, layer=args.layer, pooling=args.pooling, batch_size=args.batch_size)
    projection = project(found.vectors, args.method, seed=args.seed)
    arrays: dict[str, Any] = {
        "vectors": np.asarray(found.vectors, dtype=np.float32),
        "coords": np.asarray(projection.coords, dtype=np.float32),
        "ids": np.arange(len(examples), dtype=np.int64),
        "lines": np.asarray(examples.lines, dtype=np.int64),
        "texts": np.asarray(examples.texts, dtype=np.str_),
        "layer": np.int64(args.layer), "pooling": np.str_(args.pooling), "method": np.str_(args.method),
    }  # fmt: skip
    if examples.text_pairs is not None:
        arrays["text_pairs"] = np.asarray(examples.text_pairs, dtype=np.str_)
    labels = _label_names(examples)
    if labels is not None:
        arrays["labels"] = np.asarray(labels, dtype=np.str_)
    if projection.explained is not None:
        arrays["explained"] = np.asarray(projection.explained, dtype=np.float64)
    _write_npz(out, arrays)
    summary = {
        "out": str(out), "examples": len(examples), "dim": int(found.vectors.shape[1]), "layer": args.layer,
        "pooling": args.pooling, "method": args.method, "labelled": labels is not None, "key": found.key,
        "explained": list(projection.explained) if projection.explained is not None else None,
    }  # fmt: skip
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False)
        print()
        return 0
    axes = ""
    if projection.explained is not None:
        axes = f", axes explain {projection.explained[0]:.1%} and {projection.explained[1]:.1%} of the variance"
    print(f"embedded {len(examples):,} examples ({summary['dim']} dimensions, layer {args.layer}, "
          f"{args.pooling} pooling); {args.method.upper()} map{axes}; wrote {out}")
    return 0
