"""The model panel's "Also log to" pair (TensorBoard, MLflow): config round trip and memory between launches."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.conftest import shared
from workbench.engine.training.config import TrainConfig
from workbench.gui.main_window import MainWindow
from workbench.gui.panels.model_panel import ModelPanel
from workbench.gui.settings import Settings


@pytest.fixture
def panel(qtbot):
    p = ModelPanel()
    qtbot.addWidget(p)
    yield p
    p.shutdown()


def _click(qtbot, box) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())


def test_the_check_boxes_round_trip_report_to(qtbot, panel: ModelPanel) -> None:
    boxes = panel.report_to_checks.boxes
    assert [b.text() for b in boxes.values()] == ["TensorBoard", "MLflow"]
    assert "tensorboard --logdir" in boxes["tensorboard"].toolTip()
    assert panel.config().report_to == ()  # off by default

    panel.load_from(TrainConfig(data="x.csv", report_to=("mlflow",)))
    assert not boxes["tensorboard"].isChecked() and boxes["mlflow"].isChecked()
    panel.show()
    with qtbot.waitSignal(panel.changed, timeout=2_000):  # a click counts as an edit (validity, advice)
        _click(qtbot, boxes["tensorboard"])
    assert panel.config().report_to == ("tensorboard", "mlflow")
    assert "--report-to tensorboard,mlflow" in panel.command_text()
    _click(qtbot, boxes["mlflow"])
    config = panel.config()
    assert config.report_to == ("tensorboard",)
    panel.load_from(TrainConfig(data="x.csv"))
    assert panel.report_to_checks.values() == ()
    panel.load_from(config)
    assert panel.report_to_checks.values() == ("tensorboard",)


def test_the_choice_is_remembered_between_launches(qtbot, tmp_path: Path) -> None:
    data = tmp_path / "reviews.tsv"
    data.write_text("\n".join(shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[:201]) + "\n",
                    encoding="utf-8")
    settings = Settings()
    settings.set_workspace(tmp_path / "runs")
    first = MainWindow(demo=False, settings=settings)
    qtbot.addWidget(first)
    with qtbot.waitSignal(first.dataset_panel.dataset_loaded, timeout=30_000):
        first.dataset_panel.open_file(str(data))
    first.show_panel("Model")
    first.show()
    for name in ("tensorboard", "mlflow"):
        _click(qtbot, first.model_panel.report_to_checks.boxes[name])
    assert first.current_config().report_to == ("tensorboard", "mlflow")
    first.close()

    second = MainWindow(demo=True, settings=Settings())
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: not second.dataset_panel.busy, timeout=30_000)
    assert second.model_panel.report_to_checks.values() == ("tensorboard", "mlflow")
    assert second.current_config().report_to == ("tensorboard", "mlflow")
    second.close()
