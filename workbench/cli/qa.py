"""``workbench predict RUN --question ... --context ...``: extractive question answering.

Kept beside ``predict_cmd`` (which hands over when a question or a context is
given) so the question-answering options live in one place.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from workbench.engine.errors import ConfigError, DatasetError


def read_context(args: argparse.Namespace) -> str:
    """The context from --context or --context-file (exactly one of them)."""
    if args.context is not None and args.context_file:
        raise ConfigError("give the context once: --context TEXT or --context-file FILE, not both.")
    if args.context_file:
        from workbench.engine.data.readers import read_text

        return read_text(Path(args.context_file))  # UTF-8 checks and clear errors
    if args.context is None:
        raise ConfigError("question answering needs a context: --context TEXT or --context-file FILE.")
    return str(args.context)


def answer(args: argparse.Namespace) -> int:
    from workbench.engine.inference import Predictor

    if not args.question:
        raise ConfigError("question answering needs a question: --question TEXT.")
    if args.texts:
        raise ConfigError("give either TEXT arguments or --question/--context, not both.")
    context = read_context(args)
    if not context.strip():
        raise DatasetError("the context is empty.", path=args.context_file,
                           hint="Give the text the answer should be found in.")
    predictor = Predictor.load(args.model, task=args.task, allow_pickle=args.allow_pickle,
                               trust_remote_code=args.trust_remote_code, device=args.device)
    result = predictor.predict_answer(args.question, context, null_threshold=args.null_threshold)
    print(json.dumps(result, ensure_ascii=False) if args.json else predictor.task_spec.result_line(result))
    return 0
