"""``workbench push RUN --repo-id NAME``: publish a run's final model, tokenizer and model card to the hub."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "push",
        help="publish a run's model to the Hugging Face hub",
        description="Upload a finished run's model/ folder (weights, tokenizer, workbench_model.json) and its model "
        "card (model/README.md, written first if the run has none) to a model repo on the Hugging Face hub, "
        "creating the repo if needed. Needs a token with write access: `hf auth login`, or $HF_TOKEN with "
        "--token-from-env. HF_ENDPOINT chooses another hub.",
    )
    p.add_argument("run", metavar="RUN", help="a run folder (it must hold model/, the final model)")
    p.add_argument("--repo-id", required=True, metavar="NAME",
                   help="the repo: 'name' (under your own user) or 'user-or-org/name'")
    p.add_argument("--private", action="store_true", help="create the repo as private (an existing repo keeps its "
                   "visibility)")
    p.add_argument("--token-from-env", action="store_true",
                   help="use the token in $HF_TOKEN instead of the saved login")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.engine.models.hub_upload import (
        PushCancelled,
        PushFinished,
        PushProgress,
        PushStarted,
        push_events,
    )

    # Ctrl+C ends the process, and with it the upload thread (a daemon) before its commit, if not yet sent.
    last_stage = None
    for event in push_events(args.run, args.repo_id, private=args.private, token_from_env=args.token_from_env):
        if isinstance(event, PushStarted):
            if event.card_written:
                print(f"wrote the model card: {args.run}/model/README.md", file=sys.stderr)
            print(f"publishing {len(event.files)} files ({event.total_bytes / 1e6:.1f} MB) to {event.repo_id} "
                  f"on {event.endpoint}", file=sys.stderr)
        elif isinstance(event, PushProgress) and event.stage != last_stage:
            last_stage = event.stage
            print(f"{event.message}...", file=sys.stderr)
        elif isinstance(event, PushFinished):
            print(event.url)  # stdout: the one thing a script wants
            return 0
        elif isinstance(event, PushCancelled):
            print(f"workbench push: {event.message}", file=sys.stderr)
            return 130
    return 1
