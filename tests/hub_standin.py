"""A stand-in for the Hugging Face hub on 127.0.0.1, serving a tiny model the tests build.

It answers exactly what huggingface_hub (2.x, the installed version) asks a hub for:

- ``GET /api/models/{repo_id}/revision/{revision}`` (``HfApi.model_info``; ``blobs=True`` adds
  each sibling's size, blob id and LFS metadata) and ``GET /api/models/{repo_id}`` (no revision);
- ``GET /api/models/{repo_id}/tree/{revision}[/{path}]`` (``list_repo_tree``, which
  ``snapshot_download`` uses for its file list);
- ``HEAD`` and ``GET`` on ``/{repo_id}/resolve/{revision}/{filename}`` with ``X-Repo-Commit``,
  ``ETag``, ``Content-Length`` and ``Accept-Ranges``; a ``Range: bytes=N-`` request is answered
  206 with ``Content-Range`` (the resume path).

Errors carry the hub's ``X-Error-Code`` (RepoNotFound, RevisionNotFound, EntryNotFound), which
huggingface_hub turns into its typed errors. No ``X-Xet-*`` headers are sent, so clients use plain
HTTP. ``throttle`` slows file bodies down (so a test can cancel mid-file); ``range_requests``
records every Range header received.

Use the ``standin_hub`` fixture (import it into a test module): it builds the model, starts the
server on a free port and points huggingface_hub at it with a fresh cache (``HF_HOME`` in the
test's tmp folder), undoing all of it afterwards.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest

REPO_ID = "standin/tiny-bert"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
LABELS = ["negative", "positive"]
_TEXTS = [
    "a gorgeous, witty film", "dull and far too long", "the cast is wonderful",
    "i hated every minute", "a moving, funny story", "flat writing and bad acting",
] * 20  # fmt: skip


@dataclass
class Throttle:
    """Send file bodies ``chunk`` bytes at a time with ``delay_s`` between chunks."""

    chunk: int = 2048
    delay_s: float = 0.01


@dataclass
class HubState:
    """What the server serves and what it has seen (shared with the handler threads)."""

    repos: dict[str, dict[str, bytes]]
    commit: str = COMMIT
    throttle: Throttle | None = None
    range_requests: list[tuple[str, str]] = field(default_factory=list)
    gets: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def build_tiny_model(folder: Path) -> Path:
    """A 2-layer, 32-wide BertForSequenceClassification and its WordPiece tokenizer, saved."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    from workbench.engine.models.presets import train_tokenizer

    tokenizer = train_tokenizer("bert", _TEXTS, 400)
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=128, pad_token_id=tokenizer.pad_token_id,
        num_labels=2, id2label=dict(enumerate(LABELS)), label2id={n: i for i, n in enumerate(LABELS)},
    )  # fmt: skip
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = BertForSequenceClassification(config)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def repo_files(folder: Path) -> dict[str, bytes]:
    """The files of a saved model folder, plus the files a real repo has that must not be fetched."""
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    files["README.md"] = b"# tiny-bert\nA stand-in model.\n"
    # Pickle weights beside the safetensors, as many hub repos have: never to be downloaded.
    files["pytorch_model.bin"] = b"not a real pickle: the downloader must not ask for it" * 100
    return files


def _etag(name: str, data: bytes) -> str:
    # The hub's ETag is the git blob sha1 for small files and the sha256 for LFS files (weights).
    if name.endswith((".safetensors", ".bin")):
        return hashlib.sha256(data).hexdigest()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _is_lfs(name: str) -> bool:
    return name.endswith((".safetensors", ".bin"))


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: pytest shows what matters

    # ---------------------------------------------------------------- helpers
    def _send_json(self, payload: object, status: int = 200) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_error(self, status: int, code: str, message: str) -> None:
        body = json.dumps({"error": message}).encode()
        self.send_response(status)
        self.send_header("X-Error-Code", code)
        self.send_header("X-Error-Message", message)
        self.send_header("X-Repo-Commit", self.server.state.commit)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _repo(self, repo_id: str) -> dict[str, bytes] | None:
        return self.server.state.repos.get(repo_id)

    def _revision_ok(self, revision: str) -> bool:
        return unquote(revision) in ("main", self.server.state.commit)

    # ---------------------------------------------------------------- routes
    def do_GET(self) -> None:  # http.server's name
        self._route()

    def do_HEAD(self) -> None:
        self._route()

    def _route(self) -> None:
        url = urlparse(self.path)
        path = unquote(url.path)
        query = parse_qs(url.query)
        if m := re.fullmatch(r"/api/models/([^/]+/[^/]+)/tree/([^/]+)(?:/(.*))?", path):
            return self._tree(m.group(1), m.group(2), m.group(3) or "")
        if m := re.fullmatch(r"/api/models/([^/]+/[^/]+)(?:/revision/([^/]+))?", path):
            return self._info(m.group(1), m.group(2) or "main", "blobs" in query)
        if m := re.fullmatch(r"/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path):
            return self._resolve(m.group(1), m.group(2), m.group(3))
        self._send_error(404, "RepoNotFound", f"no route for {path}")

    def _info(self, repo_id: str, revision: str, blobs: bool) -> None:
        files = self._repo(repo_id)
        if files is None:
            return self._send_error(404, "RepoNotFound", f"Repository {repo_id} not found")
        if not self._revision_ok(revision):
            return self._send_error(404, "RevisionNotFound", f"Invalid rev id: {revision}")
        siblings = []
        for name, data in sorted(files.items()):
            entry: dict[str, object] = {"rfilename": name}
            if blobs:
                entry["size"] = len(data)
                entry["blobId"] = _etag(name, data)[:40]
                if _is_lfs(name):
                    entry["lfs"] = {
                        "size": len(data),
                        "sha256": _etag(name, data),
                        "pointerSize": 134,
                    }
            siblings.append(entry)
        self._send_json({
            "id": repo_id, "modelId": repo_id, "sha": self.server.state.commit, "private": False,
            "gated": False, "disabled": False, "tags": ["transformers", "bert"], "siblings": siblings,
        })  # fmt: skip

    def _tree(self, repo_id: str, revision: str, sub: str) -> None:
        files = self._repo(repo_id)
        if files is None:
            return self._send_error(404, "RepoNotFound", f"Repository {repo_id} not found")
        if not self._revision_ok(revision):
            return self._send_error(404, "RevisionNotFound", f"Invalid rev id: {revision}")
        if sub:  # a flat repo: no folders
            return self._send_error(404, "EntryNotFound", f"{sub} does not exist")
        entries = []
        for name, data in sorted(files.items()):
            entry: dict[str, object] = {
                "type": "file",
                "path": name,
                "size": len(data),
                "oid": _etag(name, data)[:40],
            }
            if _is_lfs(name):
                entry["lfs"] = {"oid": _etag(name, data), "size": len(data), "pointerSize": 134}
            entries.append(entry)
        self._send_json(entries)

    def _resolve(self, repo_id: str, revision: str, filename: str) -> None:
        state = self.server.state
        files = self._repo(repo_id)
        if files is None:
            return self._send_error(404, "RepoNotFound", f"Repository {repo_id} not found")
        if not self._revision_ok(revision):
            return self._send_error(404, "RevisionNotFound", f"Invalid rev id: {revision}")
        if filename not in files:
            return self._send_error(
                404, "EntryNotFound", f"{filename} does not exist at {revision}"
            )
        data = files[filename]
        start = 0
        range_header = self.headers.get("Range")
        if self.command == "GET":
            with state.lock:
                state.gets.append(filename)
                if range_header:
                    state.range_requests.append((filename, range_header))
        if range_header and self.command == "GET":
            m = re.fullmatch(r"bytes=(\d+)-(\d*)", range_header.strip())
            if m is None or int(m.group(1)) >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            start = int(m.group(1))
            end = int(m.group(2)) if m.group(2) else len(data) - 1
            body = data[start : end + 1]
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{start + len(body) - 1}/{len(data)}")
        else:
            body = data
            self.send_response(200)
        etag = _etag(filename, data)
        self.send_header("X-Repo-Commit", state.commit)
        self.send_header("ETag", f'"{etag}"')
        if _is_lfs(filename):
            self.send_header("X-Linked-Etag", f'"{etag}"')
            self.send_header("X-Linked-Size", str(len(data)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD":
            return
        self._write_body(body, state.throttle)

    def _write_body(self, body: bytes, throttle: Throttle | None) -> None:
        try:
            if throttle is None:
                self.wfile.write(body)
                return
            for i in range(0, len(body), throttle.chunk):
                self.wfile.write(body[i : i + throttle.chunk])
                self.wfile.flush()
                time.sleep(throttle.delay_s)  # the server's pace, not a test waiting
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client cancelled mid-file: expected


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: HubState


@dataclass
class StandinHub:
    """A running stand-in: its URL, what it serves, and the files a download should produce."""

    url: str
    state: HubState
    model_folder: Path
    cache_dir: Path

    @property
    def files(self) -> dict[str, bytes]:
        return self.state.repos[REPO_ID]

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


def start_server(state: HubState) -> tuple[_Server, threading.Thread]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = state
    # A short poll interval: shutdown() waits for the next poll.
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="hub-standin", daemon=True
    )
    thread.start()
    return server, thread


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def point_hub_at(
    monkeypatch: pytest.MonkeyPatch, endpoint: str, home: Path, *, offline: bool = False
) -> None:
    """Point huggingface_hub (and transformers, which reads its constants) at ``endpoint``.

    huggingface_hub reads HF_ENDPOINT, HF_HOME and HF_HUB_OFFLINE once, at import, into
    ``huggingface_hub.constants``; the environment alone would not reach it after that.
    """
    from huggingface_hub import constants

    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    if offline:
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    else:
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(constants, "ENDPOINT", endpoint)
    monkeypatch.setattr(
        constants,
        "HUGGINGFACE_CO_URL_TEMPLATE",
        endpoint + "/{repo_id}/resolve/{revision}/{filename}",
    )
    monkeypatch.setattr(constants, "HF_HOME", str(home))
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(home / "hub"))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", offline)


def set_offline(monkeypatch: pytest.MonkeyPatch, offline: bool = True) -> None:
    from huggingface_hub import constants

    if offline:
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    else:
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", offline)


@pytest.fixture(scope="session")
def tiny_model_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("standin-model") / "tiny-bert")


@pytest.fixture
def standin_hub(tiny_model_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The stand-in hub running on 127.0.0.1, with huggingface_hub pointed at it and a fresh cache."""
    state = HubState(repos={REPO_ID: repo_files(tiny_model_folder)})
    server, thread = start_server(state)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    home = tmp_path / "hf-home"
    point_hub_at(monkeypatch, url, home)
    try:
        yield StandinHub(
            url=url, state=state, model_folder=tiny_model_folder, cache_dir=home / "hub"
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
