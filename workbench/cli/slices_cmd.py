"""Placeholder: replaced by the helper that builds this command (issue 17)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    subparsers.add_parser("slices", help="(being built)")
