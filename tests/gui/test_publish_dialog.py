"""File › Publish to the hub… against a stand-in hub on 127.0.0.1: publish a real run, and offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.hub_standin import closed_port, point_hub_at
from tests.hub_upload_standin import TOKEN, UploadState, start_upload_server
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.trainer import Trainer
from workbench.gui.dialogs.publish_dialog import PublishDialog

WAIT_MS = 30_000


@pytest.fixture(scope="module")
def run_dir(sst2_small, tmp_path_factory) -> Path:
    train, _ = sst2_small
    out = tmp_path_factory.mktemp("publish") / "tiny-run"
    config = TrainConfig(data=str(train), model="bert-tiny", max_steps=2, vocab_size=500, batch_size=8,
                         num_threads=1, output=str(out))
    events = list(Trainer(config).run())
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    return out


@pytest.fixture
def hub(tmp_path, monkeypatch):
    from huggingface_hub import constants

    state = UploadState()
    server, thread, url = start_upload_server(state)
    point_hub_at(monkeypatch, url, tmp_path / "hf-home")
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "hf-home" / "token"))
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    try:
        yield state, url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def _open_from_menu(window) -> PublishDialog:
    window.publish_action.trigger()
    dialogs = window.findChildren(PublishDialog)
    assert len(dialogs) == 1
    return dialogs[0]


def test_publish_from_the_file_menu_uploads_the_run(qtbot, window, run_dir, hub):
    state, url = hub
    window.settings.add_recent("runs", str(run_dir))
    dialog = _open_from_menu(window)
    assert dialog.run_edit.text() == str(run_dir) and dialog.repo_edit.text() == "tiny-run"
    dialog.repo_edit.setText("team/tiny-run")
    dialog.env_token_box.setChecked(True)
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)

    assert dialog.url == f"{url}/team/tiny-run", dialog.status_label.text()
    assert dialog.url in dialog.status_label.text() and dialog.progress_bar.value() == dialog.progress_bar.maximum()
    local = {p.name: p.read_bytes() for p in (run_dir / "model").iterdir() if p.is_file()}
    assert state.files("team/tiny-run") == local and "README.md" in local
    assert dialog.publish_button.isEnabled() and not dialog.cancel_button.isEnabled()
    dialog.close()


def test_publish_offline_says_so_at_once(qtbot, run_dir, tmp_path, monkeypatch):
    point_hub_at(monkeypatch, f"http://127.0.0.1:{closed_port()}", tmp_path / "hf-home")
    dialog = PublishDialog(None, str(run_dir))
    qtbot.addWidget(dialog)
    dialog.repo_edit.setText("team/x")
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert "cannot be reached" in dialog.status_label.text() and "b00020" in dialog.status_label.styleSheet()
    assert dialog.url is None and dialog.progress_bar.isHidden()
    dialog.close()
