"""How fast does a 2-million-row Parquet file preview, and how much memory does it take?

Issue 18's measurement: SST-2 training sentences repeated to 2,000,000 rows (sentence,
label), written once to /tmp as Parquet (row groups of 128k rows, as pyarrow writes by
default), then ``preview_table`` reads the first 1,000 rows in a fresh process. Reported:
the preview's wall time, the whole process's peak RSS, and the file size. ``--full`` also
times ``read_table`` on the whole file (every row as a Python dict: seconds and gigabytes,
which is what the preview avoids). ``--gui`` also opens the file in the Dataset panel
(offscreen, torch and transformers imported first, as the app has by then) and times the
preview's first rows on screen and the whole load. Figures only, never a test:

    python bench/big_parquet.py [--rows 2000000] [--preview 1000] [--full] [--gui] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SST2 = Path(__file__).resolve().parents[2] / "shared" / "data" / "sst2"


def write_file(path: Path, rows: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    body = (SST2 / "train.tsv").read_text(encoding="utf-8").splitlines()[1:]
    pairs = [line.rsplit("\t", 1) for line in body]
    sentences = [p[0] for p in pairs]
    labels = [int(p[1]) for p in pairs]
    reps = rows // len(pairs) + 1
    table = pa.table({"sentence": (sentences * reps)[:rows], "label": (labels * reps)[:rows]})
    pq.write_table(table, path, row_group_size=128 * 1024)


def measure(path: Path, preview_rows: int, full: bool) -> dict:
    """Run in a fresh process (``--child``) so that peak RSS is the preview's own."""
    t0 = time.perf_counter()
    from workbench.engine.data.preview import preview_table

    t_import = time.perf_counter() - t0
    t1 = time.perf_counter()
    preview = preview_table(path, preview_rows)
    t_preview = time.perf_counter() - t1
    out = {
        "rows_in_file": preview.total_rows,
        "preview_rows": len(preview.table),
        "import_s": round(t_import, 3),
        "preview_s": round(t_preview, 3),
        "peak_rss_mib_after_preview": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if full:
        from workbench.engine.data import read_table

        t2 = time.perf_counter()
        table = read_table(path)
        out["full_read_s"] = round(time.perf_counter() - t2, 2)
        out["full_rows"] = len(table)
        out["peak_rss_mib_after_full_read"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def measure_gui(path: Path) -> dict:
    """Seconds from DatasetPanel.open_file to the preview's rows in the table, and to the whole load."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from workbench.gui.panels.dataset_panel import DatasetPanel
    from workbench.gui.workers import ensure_heavy_imports

    ensure_heavy_imports()
    panel = DatasetPanel()
    panel.show()
    t0 = time.perf_counter()
    panel.open_file(str(path))
    shown = None
    while time.perf_counter() - t0 < 600 and (shown is None or panel.busy):
        app.processEvents()
        if shown is None and panel.table_model.rowCount() > 0:
            shown = time.perf_counter() - t0
        time.sleep(0.002)
    out = {"gui_preview_shown_s": round(shown or -1, 3), "gui_full_load_s": round(time.perf_counter() - t0, 1)}
    panel.shutdown()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--preview", type=int, default=1000)
    parser.add_argument("--full", action="store_true", help="also read the whole file with read_table")
    parser.add_argument("--gui", action="store_true", help="also time the Dataset panel's preview")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--path", type=Path, default=None, help="the Parquet file (default: /tmp/big_sst2_<rows>.parquet)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = args.path or Path(f"/tmp/big_sst2_{args.rows}.parquet")
    if args.child:
        result = measure_gui(path) if args.gui else measure(path, args.preview, args.full)
        print(json.dumps(result))
        return 0
    if not path.exists():
        t0 = time.perf_counter()
        write_file(path, args.rows)
        print(f"wrote {path} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    cmd = [sys.executable, __file__, "--child", "--path", str(path), "--preview", str(args.preview)]
    t0 = time.perf_counter()
    done = subprocess.run(cmd + (["--full"] if args.full else []), check=True, capture_output=True, text=True)
    result = json.loads(done.stdout)
    result["process_s"] = round(time.perf_counter() - t0, 3)
    result["file_mib"] = round(path.stat().st_size / 2**20, 1)
    if args.gui:
        gui = subprocess.run(cmd + ["--gui"], check=True, capture_output=True, text=True)
        result.update(json.loads(gui.stdout.strip().splitlines()[-1]))
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for key, value in result.items():
            print(f"{key:>30}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
