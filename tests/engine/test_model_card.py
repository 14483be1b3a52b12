"""The model card a run writes (``model/README.md``) and publishing a run to a stand-in hub.

The run is real (bert-tiny, 10 steps on SST-2 rows); the hub is a local HTTP server that answers
what huggingface_hub sends (tests/hub_upload_standin.py) and records what arrives.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
import yaml

from tests.hub_standin import closed_port, point_hub_at, set_offline
from tests.hub_upload_standin import TOKEN, USER, UploadState, start_upload_server
from workbench.engine import model_card
from workbench.engine.errors import ModelError
from workbench.engine.models.hub_upload import (
    PushCancelled,
    PushFinished,
    PushStarted,
    push,
    push_events,
)
from workbench.engine.runs import RunFolder
from workbench.engine.tasks.registry import get_task
from workbench.engine.training.checkpoint_checks import sha256_file
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.trainer import Trainer


@pytest.fixture(scope="module")
def run_dir(sst2_small, tmp_path_factory) -> Path:
    train, dev = sst2_small
    out = tmp_path_factory.mktemp("card") / "sst2-tiny"
    config = TrainConfig(data=str(train), validation=str(dev), model="bert-tiny", max_steps=10, vocab_size=1000,
                         batch_size=16, eval_every=10, num_threads=1, output=str(out))
    events = list(Trainer(config).run())
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    return out


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """The upload stand-in, huggingface_hub pointed at it, $HF_TOKEN holding its token."""
    from huggingface_hub import constants

    state = UploadState()
    server, thread, url = start_upload_server(state)
    point_hub_at(monkeypatch, url, tmp_path / "hf-home")
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "hf-home" / "token"))  # no saved login
    monkeypatch.setattr(constants, "HF_STORED_TOKENS_PATH", str(tmp_path / "hf-home" / "stored_tokens"))
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    try:
        yield state, url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def _copy_run(run_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / run_dir.name
    shutil.copytree(run_dir, copy, ignore=shutil.ignore_patterns("checkpoints"))
    return copy


# --------------------------------------------------------------------------- the card


def test_finished_run_has_a_card_with_summary_metrics_and_data_hash(run_dir, sst2_small):
    card = (run_dir / "model" / "README.md").read_text(encoding="utf-8")
    summary = RunFolder(run_dir).read_summary()
    train, _ = sst2_small
    assert summary["data_file_sha256"] == sha256_file(train)
    assert summary["data_file_sha256"] in card

    front = yaml.safe_load(card.split("---\n")[1])  # the block between the first two --- lines
    assert front == model_card.read_front_matter(card)
    assert front["library_name"] == "transformers"
    assert front["pipeline_tag"] == get_task("classification").hub_pipeline_tag == "text-classification"
    assert "base_model" not in front  # bert-tiny is a preset trained from scratch: no hub model to name
    reported = {m["type"]: m["value"] for m in front["model-index"][0]["results"][0]["metrics"]}
    expected = {k[5:]: v for k, v in summary.items()
                if k.startswith("eval_") and isinstance(v, float)}
    assert set(expected) <= set(reported) and expected
    for name, value in expected.items():
        assert reported[name] == pytest.approx(value, abs=1e-6)
        assert f"| {name} | " in card  # the Markdown table lists it too

    # The per-class table: one row per label with its support, as summary.json has it.
    for label, row in summary["eval_per_class"].items():
        assert f"| {label} | " in card and f" | {row['support']} |" in card
    assert get_task("classification").card_use_and_limits in card
    assert "| batch_size | 16 |" in card and "| max_steps | 10 |" in card  # from config.json


def test_card_names_a_hub_base_model_and_rebuilds_from_the_files(run_dir, tmp_path):
    from workbench.engine.runs import atomic_write_json

    copy = _copy_run(run_dir, tmp_path)
    summary = RunFolder(copy).read_summary()
    atomic_write_json(copy / "summary.json", {**summary, "model": "google-bert/bert-base-uncased"})
    (copy / "model" / "README.md").unlink()
    path, written = model_card.ensure_card(copy)
    assert written and path.is_file()
    front = model_card.read_front_matter(path.read_text(encoding="utf-8"))
    assert front["base_model"] == "google-bert/bert-base-uncased"
    assert model_card.ensure_card(copy) == (path, False)  # present: left as it is


def test_every_task_has_a_pipeline_tag_and_its_own_limits():
    from workbench.engine.tasks.base import Task
    from workbench.engine.tasks.registry import all_tasks

    for task in all_tasks():
        assert task.hub_pipeline_tag, task.name
        assert task.card_use_and_limits != Task.card_use_and_limits, task.name


# --------------------------------------------------------------------------- publishing


def test_push_sends_model_tokenizer_and_card_to_the_hub(run_dir, tmp_path, hub):
    state, url = hub
    copy = _copy_run(run_dir, tmp_path)
    events = []
    last = push(copy, "sst2-tiny", private=True, token_from_env=True, on_progress=events.append)

    assert isinstance(last, PushFinished), last
    repo = f"{USER}/sst2-tiny"  # a bare name lands under the token's user
    assert last.repo_id == repo and last.url == f"{url}/{repo}"
    assert state.created == [{"name": "sst2-tiny", "organization": USER, "visibility": "private", "type": "model"}]
    local = {p.name: p.read_bytes() for p in (copy / "model").iterdir() if p.is_file()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "README.md"} <= set(local)
    assert state.files(repo) == local  # every file arrived, byte for byte, in one commit
    assert state.validated == [local["README.md"].decode("utf-8")]  # the hub checked the card's metadata
    assert len(state.commits) == 1 and "sst2-tiny" in state.commits[0]["header"]["summary"]
    started = next(e for e in events if isinstance(e, PushStarted))
    assert started.card_written is False and set(started.files) == set(local)


def test_push_writes_the_card_of_an_old_run_first(run_dir, tmp_path, hub):
    state, _ = hub
    copy = _copy_run(run_dir, tmp_path)
    (copy / "model" / "README.md").unlink()  # a run from before cards existed
    events = list(push_events(copy, "team/old-run", token_from_env=True))
    assert next(e for e in events if isinstance(e, PushStarted)).card_written
    card = state.files("team/old-run")["README.md"].decode("utf-8")
    assert card == (copy / "model" / "README.md").read_text(encoding="utf-8")
    assert RunFolder(copy).read_summary()["data_file_sha256"] in card


def test_push_cancelled_before_the_upload_sends_nothing(run_dir, tmp_path, hub):
    state, _ = hub
    stop = threading.Event()
    events = []
    for event in push_events(_copy_run(run_dir, tmp_path), "team/x", token_from_env=True, cancel=stop):
        events.append(event)
        if isinstance(event, PushStarted):
            stop.set()
    assert isinstance(events[-1], PushCancelled)
    assert state.created == [] and state.commits == []


def test_push_refuses_a_wrong_token_and_a_missing_login(run_dir, tmp_path, hub, monkeypatch):
    state, _ = hub
    with pytest.raises(ModelError, match="refused the token"):
        push(run_dir, "team/x", token="hf_wrong")
    monkeypatch.delenv("HF_TOKEN")
    with pytest.raises(ModelError, match="HF_TOKEN is not set"):
        push(run_dir, "team/x", token_from_env=True)
    with pytest.raises(ModelError, match="Not logged in"):
        push(run_dir, "team/x")
    assert state.created == [] and state.commits == []


def test_push_offline_or_unreachable_fails_fast(run_dir, tmp_path, monkeypatch):
    point_hub_at(monkeypatch, f"http://127.0.0.1:{closed_port()}", tmp_path / "hf-home")
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    with pytest.raises(ModelError, match="cannot be reached"):
        push(run_dir, "team/x", token_from_env=True)
    set_offline(monkeypatch)
    with pytest.raises(ModelError, match="offline mode is on"):
        push(run_dir, "team/x", token_from_env=True)


def test_push_needs_a_finished_run_and_a_valid_name(tmp_path, run_dir):
    with pytest.raises(ModelError, match="no final model"):
        push(tmp_path, "team/x")
    with pytest.raises(ModelError, match="not a hub repo name"):
        push(run_dir, "a/b/c")


def test_a_cancel_during_the_commit_comes_too_late_and_says_finished(run_dir, tmp_path, hub):
    # Small files travel inside the commit request: once it is sent, the hub takes it. The push
    # must then report what happened (finished), not a cancel that did not take place.
    state, _ = hub
    state.hold_commit = threading.Event()
    stop = threading.Event()
    events = []
    for event in push_events(_copy_run(run_dir, tmp_path), "team/late", token_from_env=True, cancel=stop):
        events.append(event)
        if getattr(event, "stage", None) == "upload" and not stop.is_set() and state.preuploads:
            stop.set()
            threading.Timer(0.3, state.hold_commit.set).start()  # the hub answers the commit a little later
    assert isinstance(events[-1], PushFinished), events[-1]
    assert "README.md" in state.files("team/late")
