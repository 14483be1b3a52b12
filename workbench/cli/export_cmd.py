"""``workbench export RUN --format onnx --out DIR [--quantize int8]``: the model for ONNX Runtime.

The folder written holds ``model.onnx`` (dynamic batch and sequence axes), the tokenizer,
``config.json`` and ``workbench_onnx.json`` (task, labels, input and output names, the
check's figures). The export is checked with ONNX Runtime against PyTorch; the exit code is
1 when their largest difference exceeds the tolerance (the files stay, for a look).
"""

from __future__ import annotations

import argparse
import json
import sys

from workbench.cli.data_args import add_eval_data_options, eval_source
from workbench.engine.errors import ConfigError
from workbench.engine.export.onnx_graph import EXPORTERS, QUANTIZATIONS

EXIT_CHECK_FAILED = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "export",
        help="export a model to ONNX (checked with ONNX Runtime; optionally int8)",
        description="Write a run's model as an ONNX graph with dynamic batch and sequence axes, plus its "
        "tokenizer and a JSON file naming the task, labels, inputs and outputs; then run it in ONNX Runtime "
        "and PyTorch on sample inputs of several lengths and batch sizes and report their largest difference. "
        "Exports classification, multi-label, token classification and question-answering models. "
        "Needs the export extra: pip install 'transformer-workbench[export]'.",
    )
    p.add_argument("model", metavar="RUN_OR_MODEL_DIR")
    p.add_argument("--format", choices=("onnx",), default="onnx", help="the format to write (onnx)")
    p.add_argument("--out", required=True, metavar="DIR", help="the folder to write into (created if missing)")
    p.add_argument("--quantize", choices=QUANTIZATIONS,
                   help="also write a dynamically quantised model-int8.onnx and measure its accuracy change "
                   "(on the run's held-out data or --data) and its speed-up over the fp32 graph")
    p.add_argument("--data", help="labelled data for the int8 accuracy and the check's inputs (default: the "
                   "data the run validated on)")
    p.add_argument("--limit", type=int, metavar="N", help="evaluate the int8 accuracy on the first N examples only")
    p.add_argument("--repeats", type=int, default=10, metavar="N",
                   help="timed runs of each graph for the speed-up (the median counts; default 10)")
    p.add_argument("--threads", type=int, metavar="N",
                   help="ONNX Runtime threads for the timing (default: its own, all cores)")
    p.add_argument("--exporter", choices=EXPORTERS, default="auto",
                   help="torch's exporter: auto (dynamo, else TorchScript; default), dynamo or torchscript")
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    add_eval_data_options(p, format_flag="--data-format")
    p.add_argument("--allow-pickle-weights", dest="allow_pickle", action="store_true")
    p.add_argument("--trust-remote-code", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.engine.export.onnx_export import (
        ExportFinished,
        ExportStep,
        export_onnx,
        report_lines,
    )

    if args.limit is not None and args.limit < 1:
        raise ConfigError(f"--limit {args.limit}: give a positive number of examples.")
    if args.repeats < 1:
        raise ConfigError(f"--repeats {args.repeats}: give a positive number of runs.")
    if args.threads is not None and args.threads < 1:
        raise ConfigError(f"--threads {args.threads}: give a positive number of threads.")
    if (args.data is not None or args.limit is not None) and not args.quantize:
        print("workbench export: note: --data and --limit serve the int8 accuracy; without --quantize "
              "the data gives the check's inputs only", file=sys.stderr)
    report = None
    for event in export_onnx(
        args.model, args.out, quantize=args.quantize, data=eval_source(args, run_default=False), exporter=args.exporter,
        eval_limit=args.limit, timing_repeats=args.repeats, timing_threads=args.threads, allow_pickle=args.allow_pickle,
        trust_remote_code=args.trust_remote_code,
    ):
        if isinstance(event, ExportStep):
            print(f"workbench export: [{event.step}/{event.steps}] {event.message}", file=sys.stderr)
        elif isinstance(event, ExportFinished):
            report = event.report
    assert report is not None  # the generator always ends with ExportFinished
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False)
        print()
    else:
        print("\n".join(report_lines(report)))
    if not report.check.passed:
        print(f"workbench export: the ONNX graph differs from PyTorch by {report.check.max_abs_diff:.2e}, more than "
              f"{report.check.tolerance:g}; do not deploy it without a look", file=sys.stderr)
        return EXIT_CHECK_FAILED
    return 0
