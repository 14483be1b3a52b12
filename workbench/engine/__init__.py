"""The Qt-free engine: data, models, training, evaluation, inference.

Nothing under this package may import Qt (a test checks it). Heavy libraries
(torch, transformers) are imported inside the modules that need them, so that
``import workbench.engine`` stays cheap.
"""

from __future__ import annotations
