"""Downloads from a stand-in hub on 127.0.0.1: progress, cancel, resume with Range, loading, offline."""

from __future__ import annotations

import threading
import time

import pytest

from tests import hub_standin
from tests.hub_standin import (
    REPO_ID,
    HubState,
    Throttle,
    closed_port,
    point_hub_at,
    repo_files,
    set_offline,
    start_server,
)
from workbench.engine.errors import ModelError
from workbench.engine.models.hub_download import (
    DownloadCancelled,
    DownloadFinished,
    DownloadPlanned,
    DownloadProgress,
    cached_snapshot,
    download,
    download_events,
    partial_bytes,
    repo_folder,
)

# The stand-in hub's fixtures (tests/hub_standin.py), shared with other test modules.
standin_hub = hub_standin.standin_hub
tiny_model_folder = hub_standin.tiny_model_folder

WANTED = {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"}


def _snapshot_files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_download_reports_progress_up_to_the_total_and_skips_pickle(standin_hub):
    served = standin_hub.files
    assert WANTED <= set(served) and "pytorch_model.bin" in served
    events = []
    result = download(REPO_ID, on_progress=events.append)

    assert isinstance(result, DownloadFinished)
    plan = events[0]
    assert isinstance(plan, DownloadPlanned)
    total = sum(len(served[n]) for n in WANTED)
    assert plan.total_bytes == total and plan.done_bytes == 0
    assert set(plan.files) == WANTED  # never the pickle weights or the README
    progress = [e.done_bytes for e in events if isinstance(e, DownloadProgress)]
    assert progress == sorted(progress) and progress[-1] == total
    assert result.downloaded_bytes == total
    assert "pytorch_model.bin" not in standin_hub.state.gets

    folder = cached_snapshot(REPO_ID)
    assert folder is not None and str(folder) == result.folder
    assert _snapshot_files(folder) == {n: served[n] for n in WANTED}
    # A second download finds everything in the cache and fetches no file body.
    gets = len(standin_hub.state.gets)
    again = download(REPO_ID)
    assert isinstance(again, DownloadFinished) and again.downloaded_bytes == 0
    assert len(standin_hub.state.gets) == gets


def test_cancel_mid_file_keeps_the_partial_and_the_next_download_resumes_it(standin_hub):
    weights = standin_hub.files["model.safetensors"]
    standin_hub.state.throttle = Throttle(chunk=1024, delay_s=0.002)
    cancel = threading.Event()
    seen: list = []

    def on_event(event) -> None:
        seen.append(event)
        if isinstance(event, DownloadProgress) and event.filename == "model.safetensors":
            cancel.set()  # after the first chunk of the weights

    events = download_events(REPO_ID, cancel=cancel, progress_interval_s=0)
    for event in events:
        on_event(event)
    assert isinstance(seen[-1], DownloadCancelled)
    assert cached_snapshot(REPO_ID) is None

    partials = list((repo_folder(REPO_ID) / "blobs").glob("*.incomplete"))
    assert len(partials) == 1
    kept = partials[0].read_bytes()
    assert 0 < len(kept) < len(weights)
    assert kept == weights[: len(kept)]
    assert partial_bytes(REPO_ID) == len(kept)

    standin_hub.state.throttle = None
    standin_hub.state.range_requests.clear()
    plan_events: list = []
    result = download(REPO_ID, on_progress=plan_events.append)
    assert isinstance(result, DownloadFinished)
    assert plan_events[0].done_bytes >= len(kept)  # the partial counts as done from the start
    assert standin_hub.state.range_requests == [("model.safetensors", f"bytes={len(kept)}-")]
    folder = cached_snapshot(REPO_ID)
    assert folder is not None
    assert _snapshot_files(folder) == {n: standin_hub.files[n] for n in WANTED}  # byte for byte
    assert not list((repo_folder(REPO_ID) / "blobs").glob("*.incomplete"))


def test_the_downloaded_model_loads_by_its_hub_id_from_the_cache(standin_hub, monkeypatch):
    import torch

    from workbench.engine.inference import Predictor
    from workbench.engine.models.loading import load_pretrained, resolve_spec

    download(REPO_ID)
    set_offline(monkeypatch)  # from here on only the local cache can serve it
    source = resolve_spec(REPO_ID)
    assert source.kind == "hub"
    predictor = Predictor.load(REPO_ID, task="classification")
    assert predictor.label_names == ["negative", "positive"]
    texts = ["a gorgeous, witty film", "dull and far too long"]
    got = predictor.predict(texts)
    direct = Predictor.load(str(standin_hub.model_folder), task="classification").predict(texts)
    for a, b in zip(got, direct):
        assert a["label"] == b["label"]
        assert a["probabilities"] == pytest.approx(b["probabilities"], abs=1e-6)
    model = load_pretrained(source, "classification", ["negative", "positive"])
    state = model.state_dict()
    from safetensors.torch import load_file

    saved = load_file(str(standin_hub.model_folder / "model.safetensors"))
    assert all(torch.equal(state[k], v) for k, v in saved.items() if k in state)


def test_offline_mode_fails_fast_with_a_model_error(standin_hub, monkeypatch):
    set_offline(monkeypatch)
    start = time.monotonic()
    with pytest.raises(ModelError, match="offline"):
        download(REPO_ID)
    assert time.monotonic() - start < 3.0  # a bound on a hang, not a benchmark
    assert standin_hub.state.gets == []


def test_an_unreachable_hub_fails_fast_with_a_model_error(tmp_path, monkeypatch):
    point_hub_at(monkeypatch, f"http://127.0.0.1:{closed_port()}", tmp_path / "home")
    start = time.monotonic()
    with pytest.raises(ModelError, match="cannot be reached"):
        download(REPO_ID)
    assert time.monotonic() - start < 3.0


def test_unknown_repos_and_pickle_only_repos_are_refused_clearly(
    tiny_model_folder, tmp_path, monkeypatch
):
    files = repo_files(tiny_model_folder)
    pickle_only = {n: d for n, d in files.items() if not n.endswith(".safetensors")}
    state = HubState(repos={REPO_ID: files, "standin/pickle-only": pickle_only})
    server, thread = start_server(state)
    try:
        point_hub_at(monkeypatch, f"http://127.0.0.1:{server.server_address[1]}", tmp_path / "home")
        with pytest.raises(ModelError, match="no model 'standin/nothing-here'"):
            download("standin/nothing-here")
        with pytest.raises(ModelError, match="no safetensors weights"):
            download("standin/pickle-only")
        assert state.gets == []
        with pytest.raises(ModelError, match="not a hub id"):
            download("../../etc")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
