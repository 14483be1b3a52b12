"""``workbench push`` as a user runs it (a subprocess) against a stand-in hub on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hub_standin import closed_port
from tests.hub_upload_standin import TOKEN, UploadState, start_upload_server
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.trainer import Trainer


@pytest.fixture(scope="module")
def run_dir(sst2_small, tmp_path_factory) -> Path:
    train, _ = sst2_small
    out = tmp_path_factory.mktemp("push") / "run"
    config = TrainConfig(data=str(train), model="bert-tiny", max_steps=2, vocab_size=500, batch_size=8,
                         num_threads=1, output=str(out))
    events = list(Trainer(config).run())
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    return out


def _push(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", "push", *args], capture_output=True, text=True,
                          timeout=300, env=env, check=False)


def _env(endpoint: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_TOKEN")}
    return {**env, "HF_ENDPOINT": endpoint, "HF_HOME": str(tmp_path / "hf-home"), **extra}


def test_push_cli_uploads_and_prints_the_url(run_dir, tmp_path):
    state = UploadState()
    server, thread, url = start_upload_server(state)
    try:
        proc = _push(_env(url, tmp_path, HF_TOKEN=TOKEN), str(run_dir), "--repo-id", "team/sst2-cli",
                     "--token-from-env")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"{url}/team/sst2-cli"
    sent = state.files("team/sst2-cli")
    assert sent["README.md"] == (run_dir / "model" / "README.md").read_bytes()
    assert sent["model.safetensors"] == (run_dir / "model" / "model.safetensors").read_bytes()
    assert state.created[0]["visibility"] == "public"


def test_push_cli_offline_and_not_logged_in_say_so(run_dir, tmp_path):
    unreachable = _push(_env(f"http://127.0.0.1:{closed_port()}", tmp_path, HF_TOKEN=TOKEN), str(run_dir),
                        "--repo-id", "team/x", "--token-from-env")
    assert unreachable.returncode == 2 and "cannot be reached" in unreachable.stderr
    assert "Traceback" not in unreachable.stderr
    state = UploadState()
    server, thread, url = start_upload_server(state)
    try:
        no_login = _push(_env(url, tmp_path), str(run_dir), "--repo-id", "team/x")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
    assert no_login.returncode == 2 and "Not logged in" in no_login.stderr
    assert state.created == []
