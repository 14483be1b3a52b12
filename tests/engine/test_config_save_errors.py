"""TrainConfig.save into a place it cannot write is a readable error (the monkey test's seed 7
saved the config to a name that was a folder: a raw IsADirectoryError reached the app)."""

from __future__ import annotations

import pytest

from workbench.engine.training.config import TrainConfig
from workbench.engine.training.faults import DiskError


def test_saving_over_a_folder_is_a_disk_error_and_leaves_nothing(tmp_path) -> None:
    folder = tmp_path / "out.json"
    folder.mkdir()
    with pytest.raises(DiskError) as caught:
        TrainConfig(data="x.csv").save(folder)
    assert str(folder) in str(caught.value)
    assert list(tmp_path.iterdir()) == [folder] and list(folder.iterdir()) == []  # no temporary file left
