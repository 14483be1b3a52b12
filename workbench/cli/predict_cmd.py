"""``workbench predict``: run a trained model on texts given on the command line or stdin."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from workbench.engine.errors import ConfigError
from workbench.engine.generation import GenerationSettings
from workbench.engine.tasks.registry import TASKS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "predict",
        help="predict with a trained model",
        description="Predict with a run folder, model folder or hub id. Classification prints the label and "
        "probabilities; multi-label the chosen labels and each label's probability/threshold; "
        "token classification the tags per word; masked LM the top fillers for [MASK]; "
        "causal LM a continuation; translation, summarisation and dialogue the generated text. Texts come from "
        "the arguments, or one per line on stdin ('-'). "
        "Question answering takes --question with --context or --context-file instead, and prints the "
        "answer's text, character span and score, or 'no answer' with the null score.",
    )
    p.add_argument("model", metavar="RUN_OR_MODEL_DIR")
    p.add_argument("texts", metavar="TEXT", nargs="*")
    p.add_argument("--question", help="question answering: the question, answered from --context or --context-file")
    p.add_argument("--context", help="question answering: the text to find the answer in")
    p.add_argument("--context-file", metavar="FILE", help="question answering: read the context from a UTF-8 file")
    p.add_argument("--null-threshold", type=float,
                   help="question answering: answer \"\" when no-answer beats the best span by more than this "
                   "(default: the model's, tuned on its validation data, else 0; write a negative one as "
                   "--null-threshold=-2)")
    p.add_argument("--json", action="store_true", help="one JSON object per text, one per line")
    p.add_argument("--task", choices=TASKS,
                   help="only needed for folders not saved by the workbench")
    p.add_argument("--top-k", type=int, default=None,
                   help="masked LM: fillers per [MASK] (default 5); causal LM: sample only among the k most "
                   "likely tokens (default 0 = off)")
    p.add_argument("--max-new-tokens", type=int, default=40,
                   help="length of a continuation (causal LM) or of an output (sequence to sequence)")
    p.add_argument("--temperature", type=float, default=0.0,
                   help="causal LM and sequence to sequence: 0 = greedy (default), 0.7-1.0 for varied text")
    p.add_argument("--top-p", type=float, default=1.0,
                   help="causal LM and sequence to sequence: sample among the most likely tokens that add up to "
                   "this probability (default 1 = off)")
    p.add_argument("--seed", type=int, default=None,
                   help="sampling: seed, to repeat a run (default: random, printed with --json)")
    p.add_argument("--num-beams", type=int, default=None,
                   help="sequence to sequence: beam search with this many beams (default 1 = greedy)")
    p.add_argument("--length-penalty", type=float, default=None,
                   help="sequence to sequence, beam search: above 1 favours longer outputs, below 1 shorter "
                   "(default 1)")
    p.add_argument("--no-repeat-ngram-size", type=int, default=None,
                   help="sequence to sequence: never repeat an n-gram of this size in an output (default 0 = off)")
    p.add_argument("--stream", action="store_true",
                   help="causal LM: print tokens as they are generated (with --json: one {\"piece\": ...} "
                   "line each, then the result)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--precision", choices=["fp32", "bf16", "auto"], default="fp32",
                   help="bf16 autocast on a CUDA GPU or a CPU with AVX-512 BF16 / AMX; auto: bf16 "
                        "where this machine runs it faster (as training decides)")
    p.add_argument("--allow-pickle-weights", dest="allow_pickle", action="store_true")
    p.add_argument("--trust-remote-code", action="store_true")
    p.set_defaults(func=run)


def _stream(predictor: Any, text: str, settings: GenerationSettings, *, as_json: bool) -> None:
    """Print a causal LM's continuation piece by piece as the tokens come (flushed, so a pipe sees them)."""
    stream = predictor.stream(text, settings)
    if not as_json:
        print(text, end="", flush=True)
    for piece in stream:
        print(json.dumps({"piece": piece}, ensure_ascii=False) if as_json else piece, end="\n" if as_json else "",
              flush=True)
    result = stream.result()
    print(json.dumps(result, ensure_ascii=False) if as_json else "", flush=True)
    _notice(result)


def _notice(result: dict) -> None:
    # Generation that ended early for a reason the user did not ask for (the model's
    # position limit) is said on stderr, so stdout stays just the text.
    if result.get("finish_reason") == "max_positions" and result.get("notice"):
        print(f"workbench predict: note: {result['notice']}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from workbench.engine.inference import Predictor

    if args.question is not None or args.context is not None or args.context_file:
        from workbench.cli.qa import answer

        return answer(args)  # question answering: see cli/qa.py
    texts = list(args.texts)
    if texts == ["-"]:
        texts = [line.rstrip("\n") for line in sys.stdin if line.strip()]
    if not texts:
        raise ConfigError("no text to predict: pass TEXT arguments or '-' with lines on stdin.")
    # Checked before loading the model: a typo in a flag should fail in a blink.
    generation = GenerationSettings(temperature=args.temperature, top_k=args.top_k or 0, top_p=args.top_p,
                                    max_new_tokens=args.max_new_tokens, seed=args.seed)
    predictor = Predictor.load(args.model, task=args.task, allow_pickle=args.allow_pickle,
                               trust_remote_code=args.trust_remote_code, device=args.device,
                               precision=args.precision)
    if predictor.source.from_checkpoint:  # not the run's final model: say which weights answer
        print(f"workbench predict: using {predictor.source.description}", file=sys.stderr)
    blank = [n for n, text in enumerate(texts, 1) if not text.strip()]
    if blank and not predictor.task_spec.generative:  # an empty prompt is fine: generation starts a fresh text
        which = "the text is" if len(texts) == 1 else f"text {', '.join(map(str, blank))} of {len(texts)} is"
        raise ConfigError(f"{which} empty or only spaces, so there is nothing to predict: give a sentence.")
    if args.stream:
        if not predictor.task_spec.generative:
            raise ConfigError(f"--stream prints generated text, but this is a {predictor.task} model; drop --stream.")
        for text in texts:
            _stream(predictor, text, generation, as_json=args.json)
        return 0
    results = predictor.predict(texts, top_k=args.top_k, max_new_tokens=args.max_new_tokens,
                                temperature=args.temperature, top_p=args.top_p, seed=args.seed,
                                num_beams=args.num_beams, length_penalty=args.length_penalty,
                                no_repeat_ngram_size=args.no_repeat_ngram_size)
    for result in results:
        print(json.dumps(result, ensure_ascii=False) if args.json else predictor.task_spec.result_line(result))
        _notice(result)
    return 0
