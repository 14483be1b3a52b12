"""File ▸ Export model…: the dialog exports in a worker with progress, and shows the check or the error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.export_kit import save_masked_lm, train_task_sample

pytest.importorskip("onnxruntime")
pytest.importorskip("onnxscript")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_task_sample(tmp_path_factory.mktemp("cls"), "classification")


def test_the_dialog_exports_a_run_and_shows_the_check(qtbot, run: Path, tmp_path: Path) -> None:
    from workbench.gui.dialogs.export_dialog import ExportDialog

    dialog = ExportDialog(None, str(run))
    qtbot.addWidget(dialog)
    assert dialog.out_edit.text() == str(run / "onnx")  # the default: a folder inside the run
    out = tmp_path / "deploy"
    dialog.out_edit.setText(str(out))
    dialog.out_edit.textEdited.emit(str(out))
    steps: list[tuple[int, int]] = []
    dialog.progress_bar.valueChanged.connect(lambda v: steps.append((v, dialog.progress_bar.maximum())))
    with qtbot.waitSignal(dialog.exported, timeout=120_000) as signal:
        qtbot.mouseClick(dialog.export_button, qtbot_left())
        assert dialog.busy and not dialog.export_button.isEnabled() and dialog.cancel_button.isEnabled()
    report = signal.args[0]
    assert report.check.passed and (out / "model.onnx").is_file()
    meta = json.loads((out / "workbench_onnx.json").read_text(encoding="utf-8"))
    assert meta["check"]["max_abs_diff"] == report.check.max_abs_diff
    assert dialog.status_label.text() == f"Exported to {out}; ONNX Runtime matches PyTorch."
    assert "largest difference of probabilities" in dialog.report_text.toPlainText()
    assert (1, 3) in steps or (2, 3) in steps  # the bar counted the stages
    from workbench.engine.run_index import find_runs

    assert find_runs(tmp_path) == []  # the export holds a config.json, yet the Runs tab lists no run for it
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.export_button.isEnabled() and not dialog.cancel_button.isEnabled()
    dialog.close()


def test_cancel_stops_the_export_at_its_next_stage(qtbot, run: Path, tmp_path: Path) -> None:
    from PySide6.QtCore import QTimer

    from workbench.gui.dialogs.export_dialog import ExportDialog

    dialog = ExportDialog(None, str(run))
    qtbot.addWidget(dialog)
    out = tmp_path / "cancelled"
    dialog.out_edit.setText(str(out))
    dialog.out_edit.textEdited.emit(str(out))
    dialog.int8_check.setChecked(True)
    # Cancel as the graph export starts (it takes seconds): the generator stops at the check's step.
    started: list[int] = []

    def on_step(value: int) -> None:  # as a user's click: after the event has been shown
        if value == 1 and not started:
            started.append(value)
            QTimer.singleShot(0, dialog.cancel)

    dialog.progress_bar.valueChanged.connect(on_step)
    dialog.start()
    qtbot.waitUntil(lambda: bool(started) and not dialog.busy, timeout=60_000)
    assert dialog.status_label.text() == "Export cancelled; the files written so far stay."
    assert not dialog.busy and dialog.export_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert dialog.shutdown()  # the worker thread ends, at the end of its stage
    assert not (out / "workbench_onnx.json").exists() and not (out / "model-int8.onnx").exists()
    assert dialog.report is None
    dialog.close()


def test_a_refused_task_shows_the_readable_message(qtbot, tmp_path: Path) -> None:
    from workbench.gui.dialogs.export_dialog import ExportDialog

    folder = save_masked_lm(tmp_path / "mlm")
    dialog = ExportDialog(None, str(folder))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=60_000) as signal:
        dialog.start()
    assert signal.args[0].startswith("ONNX export does not support masked language model models (task 'masked-lm')")
    assert dialog.status_label.text() == "The export failed:"
    assert dialog.report_text.toPlainText() == signal.args[0]  # the message, no traceback
    assert not dialog.progress_bar.isVisible()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    dialog.close()


def test_the_file_menu_opens_it_for_the_model_in_use(qtbot, window, run: Path) -> None:
    from workbench.gui.dialogs.export_dialog import ExportDialog

    window.prediction_panel.model_edit.setText(str(run))
    file_menu = window.menuBar().actions()[0].menu()
    action = next(a for a in file_menu.actions() if a.text() == "&Export model…")
    assert action is window.export_action
    action.trigger()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.model_edit.text() == str(run) and dialog.out_edit.text() == str(run / "onnx")
    dialog.close()


def qtbot_left():  # noqa: ANN201 - Qt's enum
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
