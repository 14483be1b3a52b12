"""``workbench train``: fine-tune or pre-train a model, writing a run folder."""

from __future__ import annotations

import argparse
import signal
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

from workbench.cli.data_args import SOURCES_HELP, add_sheet_option, with_sheet
from workbench.engine.data import FORMATS
from workbench.engine.errors import ConfigError
from workbench.engine.tasks.registry import TASKS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "train",
        help="fine-tune or pre-train a model",
        description="Fine-tune a checkpoint or pre-train a from-scratch preset on your data. "
        "Writes a run folder (config.json, metrics.jsonl, checkpoints/, model/, summary.json).",
    )
    p.add_argument("--config", help="a config JSON file (a run folder's config.json works); flags override it")
    p.add_argument("--resume", metavar="RUN_DIR", help="continue a stopped run from its last checkpoint")
    p.add_argument("--checkpoint", metavar="NAME",
                   help="with --resume: the checkpoint to continue from (e.g. step-0000040) instead of the "
                   "latest, for when the latest one is damaged")
    p.add_argument("--data", help="training file (CSV, TSV, JSONL, TXT, CoNLL, CoNLL-U, SQuAD JSON; " + SOURCES_HELP + ")")
    add_sheet_option(p)
    p.add_argument("--validation", help="validation file (default: a seeded, stratified 10%% of --data)")
    p.add_argument("--validation-fraction", type=float)
    p.add_argument("--format", choices=FORMATS)
    p.add_argument("--model", help="preset (bert-tiny, bert-mini, modernbert-mini, gpt-tiny, bilstm, t5-tiny, bart-tiny), installed "
                   "checkpoint (all-MiniLM-L6-v2), model folder, run folder or hub id (default: the installed "
                   "pre-trained checkpoint, else bert-tiny)")
    p.add_argument("--task", choices=TASKS)
    p.add_argument("--text-column", "--source-column", dest="text_column",
                   help="the column of the text (sequence to sequence: of the source)")
    p.add_argument("--text-pair-column")
    p.add_argument("--label-column", "--target-column", dest="label_column",
                   help="the column of the label (sequence to sequence: of the target text)")
    p.add_argument("--label-separator", metavar="S",
                   help="multi-label: what separates a row's labels (default '|', as in \"news|sport\")")
    p.add_argument("--source-prefix", metavar="TEXT",
                   help="sequence to sequence: text put before every source, for T5-style models "
                   "(e.g. 'translate English to Chinese: '); saved with the model, so prediction adds it too")
    p.add_argument("--context-turns", type=int,
                   help="dialogue: the turns of a conversation a context holds (default 1, the previous one; "
                   "more need conversation and turn columns, such as TopicalChat's conv and turn)")
    p.add_argument("--turn-separator", metavar="S", help="dialogue: what joins the turns of a context (default ' | ')")
    p.add_argument("--eval-generate-samples", type=int,
                   help="sequence to sequence: validation examples generated for the metrics at each evaluation "
                   "during the run (default 200; the last evaluation generates for all)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--epochs", type=float)
    g.add_argument("--max-steps", type=int)
    p.add_argument("--max-minutes", type=float,
                   help="stop after this many minutes of training (the run then ends normally)")
    p.add_argument("--batch-size", type=int,
                   help="examples per micro-batch, in all: under torchrun it is the global batch, "
                   "split over the processes (default 32)")
    p.add_argument("--lr", type=float, help="peak learning rate (default: 1e-3 from scratch; for checkpoints 1e-4 below 60M parameters, else 5e-5)")
    p.add_argument("--warmup-ratio", type=float)
    p.add_argument("--weight-decay", type=float)
    p.add_argument("--max-grad-norm", type=float)
    p.add_argument("--grad-accum", type=int, help="micro-batches per optimizer step")
    p.add_argument("--max-length", type=int, help="longest input in tokens (default 128; 384 for question answering)")
    p.add_argument("--doc-stride", type=int,
                   help="question answering: tokens shared by consecutive windows of a long context (default 128)")
    p.add_argument("--seed", type=int)
    p.add_argument("--eval-every", type=int, help="steps between evaluations")
    p.add_argument("--metric-for-best")
    p.add_argument("--early-stopping-patience", type=int)
    p.add_argument("--keep-checkpoints", type=int)
    p.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"])
    p.add_argument("--precision", choices=["auto", "fp32", "bf16", "fp16"],
                   help="auto (default): bf16 autocast on a GPU with bf16, or on a CPU with AVX-512 BF16 / "
                        "AMX where a one-time probe measured it faster; fp32 elsewhere. fp32 always wins")
    p.add_argument("--num-threads", type=int)
    p.add_argument("--freeze-embeddings", action="store_true", default=None)
    p.add_argument("--freeze-layers", type=int)
    p.add_argument("--whole-word-masking", action="store_true", default=None,
                   help="masked LM: mask every piece of a chosen word together")
    p.add_argument("--next-sentence-prediction", action="store_true", default=None,
                   help="masked LM: also train BERT's next-sentence prediction on sentence pairs "
                   "drawn from the corpus (BERT-family models only)")
    p.add_argument("--layers", type=int, help="from-scratch presets: number of layers")
    p.add_argument("--heads", type=int, help="from-scratch presets: attention heads")
    p.add_argument("--hidden", type=int, help="from-scratch presets: hidden size")
    p.add_argument("--vocab-size", type=int, help="from-scratch presets: tokenizer vocabulary size")
    p.add_argument("--tokenizer", metavar="DIR",
                   help="from-scratch presets: use this tokenizer folder (from `workbench tokenizer train`) "
                   "instead of training one")
    p.add_argument("--allow-pickle-weights", dest="allow_pickle", action="store_true", default=None,
                   help="allow loading pickle-format weights (can run code: only for files you trust)")
    p.add_argument("--trust-remote-code", action="store_true", default=None,
                   help="allow a model's own Python code to run (only for authors you trust)")
    p.add_argument("--report-to", type=_report_to, metavar="TOOLS",
                   help="also log to these tools, comma-separated: tensorboard (event files in the run "
                   "folder: tensorboard --logdir runs), mlflow (MLFLOW_TRACKING_URI, else a file store "
                   "beside the run folders); none turns it off. Needs the [tracking] extra")
    p.add_argument("--output", "-o", help="run folder to write (default: runs/<model>-<time>)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    p.set_defaults(func=run)


def _report_to(text: str) -> tuple[str, ...]:
    from workbench.engine.training.reporters import parse_report_to

    try:
        return parse_report_to(text)
    except ConfigError as exc:  # argparse prints it as "argument --report-to: ..."
        raise argparse.ArgumentTypeError(str(exc).removeprefix("report_to: ")) from exc


def config_from_args(args: argparse.Namespace) -> Any:
    from workbench.engine.training.config import TrainConfig

    if args.resume:
        config = TrainConfig.load(Path(args.resume) / "config.json")
    elif args.config:
        config = TrainConfig.load(args.config)
    else:
        config = TrainConfig()
    values = vars(args)
    for f in fields(TrainConfig):
        value = values.get(f.name)
        if value is not None:
            setattr(config, f.name, value)
    if args.max_steps is not None:
        config.max_steps = args.max_steps
    elif args.epochs is not None:
        config.max_steps = None
    if getattr(args, "sheet", None):
        config.data = with_sheet(config.data, args.sheet) or ""
    if args.resume:
        config.output = args.resume
    if args.max_length is None and not (args.config or args.resume):
        from workbench.engine.tasks.registry import find_task

        task = find_task(config.task)  # None: unknown, which validation reports
        if task is not None and task.default_max_length is not None:
            config.max_length = task.default_max_length  # e.g. a SQuAD paragraph fits one window
    if not config.data:
        raise ConfigError("no training data: pass --data FILE (or a --config that names it).")
    if not config.output:
        from workbench.engine.runs import default_run_name

        config.output = str(Path("runs") / default_run_name(config.model))
    return config


def run(args: argparse.Namespace) -> int:
    from workbench.cli.progress import ProgressPrinter
    from workbench.engine.training.events import TrainCancelled, TrainFailed, TrainFinished
    from workbench.engine.training.pretraining import baseline_summary
    from workbench.engine.training.stop_file import STOP_FILE, StopFileControl
    from workbench.engine.training.trainer import Trainer

    if getattr(args, "checkpoint", None) and not args.resume:
        raise ConfigError("--checkpoint chooses where a resumed run continues from: pass --resume RUN_DIR too.")
    config = config_from_args(args)
    if args.model is None and not (args.config or args.resume) and not args.quiet:
        from workbench.engine.models.loading import default_model_choice

        choice = default_model_choice()
        if choice.spec == config.model:  # what TrainConfig() chose: say which and why
            print(f"workbench train: no --model given, so using {choice.reason}", file=sys.stderr)
    # Also stops when RUN/STOP appears: how the GUI stops a run it started as a process.
    control = StopFileControl(Path(config.output) / STOP_FILE)
    # Ctrl-C asks for a stop at the next step boundary (with a checkpoint);
    # a second Ctrl-C interrupts at once.
    previous = signal.getsignal(signal.SIGINT)
    from workbench.engine.training.distributed import detect

    launch = detect()
    args.quiet = args.quiet or not launch.is_main  # torchrun: rank 0 prints, the others train silently
    if not args.quiet and not args.resume:  # a choice unlikely to work, and what to choose instead
        from workbench.engine.advice import advice_lines

        for line in advice_lines(config):
            print(line, file=sys.stderr)

    def on_interrupt(signum: int, frame: Any) -> None:
        if launch.is_main:
            print("\nstopping at the next step (Ctrl-C again to abort)...", file=sys.stderr)
        control.request_stop()
        # Under torchrun one Ctrl-C arrives twice (from the terminal and forwarded by torchrun):
        # keep stopping cleanly; torchrun kills the processes after its --shutdown-timeout (30 s).
        if not launch.enabled:
            signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, on_interrupt)
    signal.signal(signal.SIGTERM, lambda *_: control.request_stop())
    printer = ProgressPrinter(quiet=args.quiet)
    trainer = Trainer(config, resume_from=args.resume, checkpoint=getattr(args, "checkpoint", None))
    outcome = 1
    try:
        for event in trainer.run(control):
            printer(event)
            if isinstance(event, TrainFinished):
                outcome = 0
                baseline = baseline_summary(event.summary)
                if baseline and not args.quiet:  # what the LM learned beyond word frequencies
                    print(f"model vs. baselines: {baseline}", file=sys.stderr)
            elif isinstance(event, (TrainCancelled, TrainFailed)):
                outcome = 1
    finally:
        signal.signal(signal.SIGINT, previous)
        control.consume()  # a handled stop request must not stop the next --resume
    if not args.quiet:
        print(f"run folder: {config.output}", file=sys.stderr)
    return outcome


