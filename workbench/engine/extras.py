"""Optional extras: import a library that only an extra installs, or say which extra to install.

Heavy libraries (pyarrow, datasets, tensorboard, onnx ...) are optional extras of the package;
engine code imports them inside the function that needs them, through :func:`require`, so a
missing one is a readable :class:`MissingExtraError` instead of an ImportError traceback.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from workbench.engine.errors import WorkbenchError

PACKAGE = "transformer-workbench"


class MissingExtraError(WorkbenchError):
    """A feature needs a library from an optional extra that is not installed."""

    def __init__(self, feature: str, module: str, extra: str) -> None:
        self.feature, self.module, self.extra = feature, module, extra
        # From a checkout (the README's set-up) the same extra is ``pip install -e '.[extra]'``.
        super().__init__(f"{feature} needs {module}: pip install '{PACKAGE}[{extra}]' "
                         f"(in a checkout: pip install -e '.[{extra}]')")


def require(module: str, extra: str, feature: str) -> ModuleType:
    """``import module``, or a MissingExtraError: "{feature} needs {module}: pip install ...[extra]"."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(feature, module.split(".")[0], extra) from None
