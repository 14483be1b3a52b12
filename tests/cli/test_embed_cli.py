"""``workbench embed`` through the CLI's own entry point: an .npz that loads without pickle."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pytest

from tests.engine.test_embeddings import fake_run
from workbench.cli import main
from workbench.engine.inspection.embeddings import clear_cache, project


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def workbench(capsys):
    """Run ``workbench ARGS`` in this process (a subprocess would spend most of its time importing torch)."""

    def call(*args: str) -> Finished:
        code = main(list(args))
        captured = capsys.readouterr()
        return Finished(code, captured.out, captured.err)

    return call


def test_embed_writes_vectors_coords_ids_texts_and_labels(tmp_path, sst2_small, workbench) -> None:
    _, dev = sst2_small
    run = fake_run(tmp_path)
    out = tmp_path / "maps" / "dev.npz"
    proc = workbench("embed", str(run), "--data", str(dev), "--out", str(out), "--limit", "40",
                     "--pooling", "mean", "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["examples"] == 40 and summary["dim"] == 384 and summary["method"] == "pca"
    rows = [line.split("\t") for line in dev.read_text(encoding="utf-8").splitlines()[1:41]]
    with np.load(out, allow_pickle=False) as data:
        assert data["vectors"].dtype == np.float32 and data["vectors"].shape == (40, 384)
        assert data["coords"].dtype == np.float32 and data["coords"].shape == (40, 2)
        assert data["ids"].tolist() == list(range(40))
        assert data["lines"].tolist() == list(range(2, 42))  # the header is line 1
        assert [t.strip() for t in data["texts"].tolist()] == [r[0].strip() for r in rows]
        assert data["labels"].tolist() == [r[1].strip() for r in rows]
        np.testing.assert_allclose(data["coords"], project(data["vectors"]).coords, atol=1e-5)
        np.testing.assert_allclose(data["explained"], summary["explained"])
        vectors = data["vectors"].copy()
    # The run keeps the vectors: a second session reads them from RUN/analysis.
    cached = run / "analysis" / f"embeddings-{summary['key']}.npz"
    with np.load(cached, allow_pickle=False) as data:
        np.testing.assert_array_equal(data["vectors"], vectors)
    clear_cache()
    again = workbench("embed", str(run), "--data", str(dev), "--out", str(tmp_path / "b.npz"), "--limit", "40",
                      "--pooling", "mean")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("embedded 40 examples (384 dimensions, layer -1, mean pooling); PCA map")
    with np.load(tmp_path / "b.npz", allow_pickle=False) as data:
        np.testing.assert_array_equal(data["vectors"], vectors)


def test_embed_errors_are_readable(tmp_path, sst2_small, workbench) -> None:
    _, dev = sst2_small
    run = fake_run(tmp_path)
    proc = workbench("embed", str(run), "--data", str(dev), "--out", str(tmp_path / "x.npz"), "--layer", "9")
    assert proc.returncode == 2
    assert "layer 9" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.npz").exists()
