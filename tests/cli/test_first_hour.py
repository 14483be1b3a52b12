"""A new user's first hour, from a wheel installed outside the source tree.

A user once ran ``pip install .`` (not editable): the demo data and the translations
were missing, the first window said ``.../site-packages/resources/demo/reviews.csv does
not exist``, the Chinese interface stayed English and ``workbench tour`` timed out
waiting for the dataset. The developers' editable install hid all of it, because the
source tree was always there. So this builds the wheel (from a copy of the checkout,
which stays clean), installs it into a fresh virtual environment (its dependencies
come from this interpreter's site-packages: nothing is downloaded), and from a folder
outside the repository runs what the README's first hour does: ``workbench doctor``,
``workbench data`` on the packaged demo, a short ``workbench train`` with the default
(pre-trained) model, ``workbench tour``, and the Chinese interface.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_TIMEOUT_S = 600
# What the tour writes (workbench/gui/tour.py), one PNG of the whole window each.
TOUR_PICTURES = ("01-dataset.png", "02-model.png", "03-training.png", "04-prediction.png", "05-attention.png",
                 "06-head-view.png", "07-saliency.png", "08-evaluation.png", "09-whatif.png", "10-runs.png",
                 "11-analysis-map-empty.png", "12-analysis-map.png", "13-analysis-slices.png",
                 "14-analysis-probes.png", "15-analysis-label-errors.png")
TOUR_DIALOGS = ("16-export-dialog.png", "17-publish-dialog.png")  # the File menu's dialogs, at their own size


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    python: Path
    workbench: Path
    home: Path  # the working folder of every command: outside the repository
    env: dict[str, str]

    def run(self, *args: str | Path, program: Path | None = None) -> subprocess.CompletedProcess[str]:
        command = [str(program or self.workbench), *map(str, args)]
        done = subprocess.run(command, cwd=self.home, env=self.env, capture_output=True, text=True,
                              timeout=_TIMEOUT_S, check=False)
        assert done.returncode == 0, f"{' '.join(command)} exited with {done.returncode}:\n{done.stdout}\n{done.stderr}"
        return done

    def python_json(self, code: str) -> dict:
        return json.loads(self.run("-c", code, program=self.python).stdout.strip().splitlines()[-1])


def _copy_checkout(source: Path, target: Path) -> None:
    """The files git would commit (tracked and new, not ignored): no build/, egg-info, runs."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=source, capture_output=True, check=True, timeout=60).stdout
        names = [n for n in listed.decode("utf-8").split("\0") if n]
    except (OSError, subprocess.SubprocessError):
        names = []
    if not names:  # not a git checkout (an unpacked sdist, say)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(
            ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "runs", "tmp"))
        return
    for name in names:
        path = source / name
        if path.is_file():  # a tracked file deleted in the working tree is not there
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / name)


def _setuptools_builds_wheels() -> bool:
    try:
        import setuptools
    except ImportError:
        return False
    major, minor = (int(part) for part in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("first-hour")
    source, dist, venv, home = root / "source", root / "dist", root / "venv", root / "home"
    _copy_checkout(REPO, source)
    # This interpreter's setuptools builds the wheel (no download) when it can: bdist_wheel is
    # built into setuptools since 70.1; with an older one (a venv's bundled 65) pip builds in isolation.
    own_setuptools = ["--no-build-isolation"] if _setuptools_builds_wheels() else []
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", *own_setuptools, "--quiet",
                    "-w", str(dist), str(source)], check=True, capture_output=True, timeout=_TIMEOUT_S)
    (wheel,) = dist.glob("transformer_workbench-*.whl")
    # --system-site-packages: torch, PySide6... come from this interpreter, nothing is
    # downloaded. --without-pip saves ensurepip's seconds: this interpreter's pip (seen
    # through the system site-packages) installs into the venv all the same.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
                   check=True, capture_output=True, timeout=_TIMEOUT_S)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    if sys.prefix != sys.base_prefix:
        # This interpreter is a venv itself: --system-site-packages shows the base
        # interpreter's packages, not this one's (torch, PySide6...), so add those.
        purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                 check=True, capture_output=True, text=True, timeout=60).stdout.strip()
        lines = [f"import site; site.addsitedir({p!r})\n" for p in site.getsitepackages()]
        (Path(purelib) / "first_hour_parent.pth").write_text("".join(lines), encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
                   check=True, capture_output=True, timeout=_TIMEOUT_S)
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update({
        "QT_QPA_PLATFORM": "offscreen", "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
        # The app's and the tour's remembered settings go here, not to the user's.
        "XDG_CONFIG_HOME": str(root / "config"),
    })
    return Installed(wheel, venv, python, bin_dir / ("workbench.exe" if os.name == "nt" else "workbench"), home, env)


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_the_wheel_carries_the_demo_and_the_translations_but_not_the_screenshots(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert "workbench/resources/demo/reviews.csv" in names
    assert "workbench/resources/i18n/workbench_zh_CN.qm" in names
    assert "workbench/resources/__init__.py" in names
    assert not [n for n in names if "screenshots" in n or n.endswith(".ts") or n.startswith("resources/")]
    # Every package of the source tree is in it (setup.py finds them).
    packages = {str(p.parent.relative_to(REPO)).replace(os.sep, "/") for p in (REPO / "workbench").rglob("__init__.py")}
    assert {f"{p}/__init__.py" for p in packages} <= names


def test_the_installed_package_runs_from_the_venv_not_the_repository(installed: Installed) -> None:
    where = installed.python_json(
        "import json, workbench, workbench.resources as r; from workbench.gui.app import DEMO_DATASET; "
        "print(json.dumps({'package': workbench.__file__, 'resources': r.__file__, 'demo': str(DEMO_DATASET)}))"
    )
    for name, path in where.items():
        assert Path(path).is_relative_to(installed.venv), f"{name} comes from {path}, not the venv"
        assert not Path(path).is_relative_to(REPO), f"{name} comes from the repository: {path}"
    assert Path(where["demo"]).is_file()


def test_doctor_reports_on_the_installed_package(installed: Installed) -> None:
    report = json.loads(installed.run("doctor", "--json").stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["installation"]["status"] == "ok", checks["installation"]
    assert Path(report["facts"]["workbench"]["location"]).is_relative_to(installed.venv)
    assert "zh_CN" in report["facts"]["workbench"]["translations"]
    assert "offline" in checks["hub"]["detail"]
    assert all(c["status"] in ("ok", "warning", "problem") for c in report["checks"])


def _packaged_demo(installed: Installed) -> Path:
    found = installed.python_json(
        "import json; from workbench.resources import resource_path; "
        "print(json.dumps({'demo': str(resource_path('demo', 'reviews.csv'))}))"
    )
    return Path(found["demo"])


def test_data_reads_the_packaged_demo(installed: Installed) -> None:
    demo = _packaged_demo(installed)
    assert demo.is_relative_to(installed.venv)
    stats = json.loads(installed.run("data", demo, "--json").stdout)
    assert stats["rows"] == 300
    assert stats["label_counts"] == {"negative": 150, "positive": 150}


def test_train_fine_tunes_the_default_pretrained_model_on_the_packaged_demo(installed: Installed) -> None:
    demo = _packaged_demo(installed)
    # No --model: the default is the pre-trained checkpoint that pip installed as a dependency.
    installed.run("train", "--data", demo, "--max-steps", "5", "--batch-size", "8", "--output", "runs/first")
    run = installed.home / "runs" / "first"
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "finished" and summary["steps"] == 5
    assert "minilm" in summary["model"].lower(), summary["model"]
    assert summary["num_parameters"] > 20_000_000  # MiniLM's 22.7 M, not a from-scratch preset
    assert 0.0 <= summary["eval_accuracy"] <= 1.0
    assert (run / "model" / "model.safetensors").is_file()


def test_tour_drives_the_installed_app_on_the_packaged_demo(installed: Installed) -> None:
    # bert-tiny and 2 steps: the tour trains twice, evaluates and explains; the pictures are the point here.
    installed.run("tour", "tour", "--steps", "2", "--model", "bert-tiny", "--no-export")  # ONNX: 20 s more
    out = installed.home / "tour"
    for name in TOUR_PICTURES:
        assert _png_size(out / name) == (1400, 900), name
    for name in TOUR_DIALOGS:
        width, height = _png_size(out / name)
        assert 300 < width < 1400 and 100 < height < 900, name


def test_the_packaged_chinese_translation_loads(installed: Installed) -> None:
    loaded = installed.python_json(
        "import json\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "from workbench.gui import i18n\n"
        "ok = i18n.install_language('zh_CN')\n"
        "print(json.dumps({'ok': ok, 'catalogue': str(i18n.catalogue('zh_CN')),\n"
        "                  'file': QCoreApplication.translate('MainWindow', '&File')}))\n"
    )
    assert loaded["ok"] is True
    assert Path(loaded["catalogue"]).is_relative_to(installed.venv)
    assert loaded["file"] != "&File" and any("\u4e00" <= ch <= "\u9fff" for ch in loaded["file"]), loaded["file"]
