"""Every atomic write into a place it cannot write is a readable ``DiskError`` that leaves nothing
behind. The monkey test found two: seed 7 saved the config to a name that was a folder, and
later exported an HTML report over a folder named ``out.png``; both reached the app as a raw
``IsADirectoryError``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.engine import reports
from workbench.engine.runs import atomic_write_json
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.faults import DiskError

WRITERS: dict[str, Callable[[Path], None]] = {
    "config": lambda path: TrainConfig(data="x.csv").save(path),
    "html report": lambda path: reports.write_report_html(path, {"title": "t", "metrics": {}}),
    "csv rows": lambda path: reports.write_rows_csv(path, [["text", "label"], ["a", "b"]]),
    "json": lambda path: atomic_write_json(path, {"a": 1}),
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_writing_over_a_folder_is_a_disk_error_and_leaves_nothing(tmp_path: Path, writer: str) -> None:
    folder = tmp_path / "out.png"
    folder.mkdir()
    with pytest.raises(DiskError) as caught:
        WRITERS[writer](folder)
    assert str(folder) in str(caught.value) and "Is a directory" in str(caught.value)
    assert isinstance(caught.value, OSError)  # callers that treat a failed write as best effort still catch it
    assert list(tmp_path.iterdir()) == [folder] and list(folder.iterdir()) == []  # no temporary file left


def test_a_folder_that_cannot_be_made_is_a_disk_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(DiskError):
        atomic_write_json(blocker / "run" / "config.json", {})
