"""The ``workbench train`` command line that reproduces a config.

The app shows it ("Show command") and the CLI's tests round-trip it, so it lives
here, below both.
"""

from __future__ import annotations

import shlex
from dataclasses import fields
from typing import Any

from workbench.engine.training.config import TrainConfig

# Fields whose flag is not simply ``--`` + the name with dashes.
_FLAGS = {"allow_pickle": "allow-pickle-weights"}


def command_line(config: Any) -> str:
    """The ``workbench train`` command that reproduces ``config``, default values left out."""
    default = TrainConfig()
    parts = ["workbench", "train"]
    for f in fields(TrainConfig):
        value = getattr(config, f.name)
        # data and model always: the default model depends on what is installed where it runs.
        if value == getattr(default, f.name) and f.name not in ("data", "model") or value is None:
            continue
        if f.name == "epochs" and config.max_steps is not None:
            continue
        flag = "--" + _FLAGS.get(f.name, f.name.replace("_", "-"))
        if isinstance(value, bool):
            if value:
                parts.append(flag)
            continue
        if isinstance(value, tuple):  # report_to: "tensorboard,mlflow"
            value = ",".join(value)
        parts += [flag, str(value)]
    return shlex.join(parts)
