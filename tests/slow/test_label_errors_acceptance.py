"""Issue 17's label-error check, smaller: planted flips in 1,500 SST-2 rows, found by the real CLI.

(``bench/label_errors.py`` runs the full measurement: 4,000 rows, 5 folds, and the retraining.)
The folds train for the CLI's default two epochs, three times over (``--repeats 3``): one epoch
on 1,000 rows leaves MiniLM under-fit (precision 0.29 to 0.43 at the number planted), and one
two-epoch run is a draw (0.57, 0.49, 0.48 for seeds 0, 1, 2); their average gives 0.53.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import minilm_dir, shared

pytestmark = pytest.mark.slow


def test_planted_flips_rank_first_with_minilm(tmp_path) -> None:
    header, *body = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()
    rng = np.random.default_rng(3)
    rows = [body[i] for i in sorted(rng.choice(len(body), size=1500, replace=False))]
    flipped = set(rng.choice(len(rows), size=75, replace=False).tolist())  # 5 %
    noisy = [f"{r.rsplit(chr(9), 1)[0]}\t{1 - int(r.rsplit(chr(9), 1)[1])}" if i in flipped else r
             for i, r in enumerate(rows)]
    data = tmp_path / "noisy.tsv"
    data.write_text("\n".join([header, *noisy]) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "workbench", "label-errors", "--data", str(data), "--model", str(minilm_dir()),
         "--folds", "3", "--repeats", "3", "--max-length", "64", "--json"],
        capture_output=True, text=True, timeout=3600,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    planted = {i + 2 for i in flipped}  # file lines: the header is line 1
    top = {issue["line"] for issue in out["issues"][: len(planted)]}
    assert len(top & planted) / len(planted) >= 0.5
    assert all(issue["suggested"] != issue["given"] for issue in out["issues"])
