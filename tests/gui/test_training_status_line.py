"""A notice that arrives during training is logged; the status line keeps saying "training"."""

from __future__ import annotations

import socket

from workbench.engine.training.config import TrainConfig
from workbench.gui.panels.training_panel import TrainingPanel


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def test_a_reporter_failing_mid_run_is_not_shown_as_preparing(qtbot, sst2_small, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "5")
    train, dev = sst2_small
    panel = TrainingPanel(lambda: TrainConfig(
        data=str(train), validation=str(dev), model="bert-tiny", max_steps=4, eval_every=2, batch_size=16,
        vocab_size=1000, num_threads=1, output=str(tmp_path / "run"), report_to=("mlflow",)))
    qtbot.addWidget(panel)
    statuses: list[str] = []
    panel.state_changed.connect(lambda _text: statuses.append(panel.status))
    with qtbot.waitSignal(panel.run_finished, timeout=120_000) as finished:
        panel.start()
    assert finished.args[0] == "finished"
    assert "MLflow reporting stopped" in panel.log.toPlainText()
    began = next(i for i, s in enumerate(statuses) if s.startswith("training"))
    assert not [s for s in statuses[began:] if s.startswith("preparing")], statuses
    panel.shutdown()
