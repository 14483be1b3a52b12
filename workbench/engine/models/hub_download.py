"""Download a hub checkpoint into the Hugging Face cache: resumable, with progress and cancel.

Only what the workbench loads is fetched (``config.json``, tokenizer files, ``*.safetensors``):
never pickle weights. Files land in the ordinary Hugging Face cache layout
(``models--org--name/blobs``, ``snapshots/<commit>``, ``refs/main``), so afterwards the model
loads by its hub id through the normal loading code, offline too.

Why not ``snapshot_download`` for the bytes: in huggingface_hub 2.x each file is fetched into a
process-unique temporary file that is deleted when the download fails or is interrupted
(``file_download._download_to_tmp_and_move``, huggingface_hub PR #4228), so a cancelled download
always starts again from byte 0. Here each file is streamed into ``blobs/<etag>.incomplete``
(a stable name), which stays when the download is cancelled or the connection drops; the next
download asks for the rest with ``Range: bytes=N-`` and appends. huggingface_hub still does the
rest: the file list (``HfApi.model_info``), each file's ETag and location
(``get_hf_file_metadata``), its HTTP client and proxies, the lock per blob, and finally
``hf_hub_download``, which finds the blob complete and only links it into the snapshot.

The work is a generator of frozen events (``download_events``); ``download`` wraps it with a
plain callback. Cancellation is a flag checked at every chunk received.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from workbench.engine.errors import ModelError

# What the workbench needs from a repo (top-level files only): the config, every tokenizer
# format transformers reads, and safetensors weights (one file or shards with their index).
ALLOW_PATTERNS: tuple[str, ...] = (
    "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
    "special_tokens_map.json", "added_tokens.json", "vocab.txt", "vocab.json", "merges.txt",
    "spiece.model", "sentencepiece.bpe.model", "*.safetensors", "model.safetensors.index.json",
)  # fmt: skip
# Seconds the reachability probe waits: an offline machine must hear so well under 3 s.
PROBE_TIMEOUT_S = 2.0
# Seconds without a byte before a stalled download gives up (it can be resumed later).
READ_TIMEOUT_S = 20.0
# Progress events at most this often (the GUI redraws on each; cancel is checked per chunk).
PROGRESS_INTERVAL_S = 0.1
REPO_ID_PATTERN = re.compile(r"^[A-Za-z0-9][\w.\-]*(/[A-Za-z0-9][\w.\-]*)?$")

Cancel = Callable[[], bool] | threading.Event | None


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class DownloadPlanned:
    """What will be fetched: ``done_bytes`` are already in the cache (complete or partial)."""

    repo_id: str
    commit: str
    files: tuple[str, ...]
    total_bytes: int
    done_bytes: int


@dataclass(frozen=True)
class DownloadProgress:
    repo_id: str
    filename: str
    done_bytes: int
    total_bytes: int


@dataclass(frozen=True)
class DownloadFinished:
    repo_id: str
    folder: str  # the snapshot folder in the cache (config.json, tokenizer, weights)
    total_bytes: int
    downloaded_bytes: int  # fetched by this call (0 when everything was cached)


@dataclass(frozen=True)
class DownloadCancelled:
    """Stopped on request; the partial file stays, and the next download resumes it."""

    repo_id: str
    done_bytes: int
    total_bytes: int


DownloadEvent = DownloadPlanned | DownloadProgress | DownloadFinished | DownloadCancelled


class _Cancelled(Exception):
    pass


# --------------------------------------------------------------------------- cache, endpoint


def hub_cache_dir() -> Path:
    """The Hugging Face hub cache, as huggingface_hub sees it (without importing it if not yet loaded)."""
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        return Path(constants.HF_HUB_CACHE)
    # The same environment variables, in the same order, as huggingface_hub.constants.
    home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.join(os.path.expanduser("~"), ".cache")),
        "huggingface",
    )
    legacy = os.environ.get("HUGGINGFACE_HUB_CACHE", os.path.join(os.path.expanduser(home), "hub"))
    return Path(os.path.expanduser(os.environ.get("HF_HUB_CACHE", legacy)))


def hub_endpoint() -> str:
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        return str(constants.ENDPOINT)
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def hub_offline() -> bool:
    """Offline mode asked for (HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE), as huggingface_hub reads it."""
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None and constants.HF_HUB_OFFLINE:
        return True
    flags = (os.environ.get("HF_HUB_OFFLINE"), os.environ.get("TRANSFORMERS_OFFLINE"))
    return any((v or "").upper() in ("1", "ON", "YES", "TRUE") for v in flags)


def endpoint_reachable(endpoint: str | None = None, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """A TCP connect to the hub's host: seconds at most, where huggingface_hub would retry for ~30 s.

    The connect runs in a daemon thread joined with ``timeout``: a name lookup that hangs (a
    broken resolver) is not covered by the socket's own timeout, and must not hang the caller.
    """
    if hub_offline():
        return False
    parsed = urlparse(endpoint or hub_endpoint())
    host = parsed.hostname or "huggingface.co"
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    answer: list[bool] = []

    def connect() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                answer.append(True)
        except OSError:
            answer.append(False)

    probe = threading.Thread(target=connect, name="hub-probe", daemon=True)
    probe.start()
    probe.join(timeout)
    return bool(answer and answer[0])


def repo_folder(repo_id: str, cache_dir: Path | None = None) -> Path:
    """``models--org--name`` in the cache (huggingface_hub's ``repo_folder_name``)."""
    return (cache_dir or hub_cache_dir()) / ("models--" + repo_id.replace("/", "--"))


def cached_snapshot(
    repo_id: str, revision: str = "main", cache_dir: Path | None = None
) -> Path | None:
    """The cached snapshot folder of ``repo_id`` if it holds a config and safetensors weights.

    A file read or two, no network and no huggingface_hub import: cheap enough for the GUI thread.
    """
    storage = repo_folder(repo_id, cache_dir)
    try:
        commit = (storage / "refs" / revision).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError, ValueError):  # ValueError: a NUL in typed text
        return None
    snapshot = storage / "snapshots" / commit
    if not (snapshot / "config.json").is_file():
        return None
    if not any(p.exists() for p in snapshot.glob("*.safetensors")):
        return None
    return snapshot


def partial_bytes(repo_id: str, cache_dir: Path | None = None) -> int:
    """Bytes sitting in ``.incomplete`` files of ``repo_id`` (a cancelled download to resume)."""
    blobs = repo_folder(repo_id, cache_dir) / "blobs"
    return sum(p.stat().st_size for p in blobs.glob("*.incomplete")) if blobs.is_dir() else 0


def wanted(filename: str) -> bool:
    """Whether a repo file is one the workbench downloads (top-level, never pickle)."""
    from fnmatch import fnmatchcase

    return "/" not in filename and any(fnmatchcase(filename, p) for p in ALLOW_PATTERNS)


# --------------------------------------------------------------------------- download


def cancel_check(cancel: Cancel) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if isinstance(cancel, threading.Event):
        return cancel.is_set
    return cancel


def _check_repo_id(repo_id: str) -> None:
    if not REPO_ID_PATTERN.match(repo_id or ""):
        raise ModelError(
            f"{repo_id!r} is not a hub id (letters, digits, '-', '_', '.', at most one '/', "
            "like 'distilbert-base-uncased' or 'google-bert/bert-base-uncased')."
        )


def _offline_error(repo_id: str, endpoint: str) -> ModelError:
    if hub_offline():
        return ModelError(
            f"Cannot download {repo_id}: offline mode is on (HF_HUB_OFFLINE=1). Unset it to download, "
            "or choose a model that is installed or already in the cache."
        )
    return ModelError(
        f"Cannot download {repo_id}: the hub ({endpoint}) cannot be reached from this machine. "
        "Check the connection (or HF_ENDPOINT), or choose a model that is installed or already in the cache."
    )


def _hub_error(repo_id: str, exc: Exception) -> ModelError:
    from huggingface_hub.errors import (
        GatedRepoError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    if isinstance(exc, GatedRepoError):
        return ModelError(
            f"{repo_id} is a gated model: accept its terms on the hub and log in (`hf auth login`) first."
        )
    if isinstance(exc, RepositoryNotFoundError):
        return ModelError(
            f"There is no model {repo_id!r} on the hub (or it is private). Check the spelling, e.g. "
            "'google-bert/bert-base-uncased'."
        )
    if isinstance(exc, RevisionNotFoundError):
        return ModelError(f"{repo_id}: no such revision on the hub.")
    return ModelError(
        f"Downloading {repo_id} failed ({type(exc).__name__}: {exc}). Press Download again to resume "
        "where it stopped."
    )


@dataclass
class _File:
    name: str
    size: int
    etag: str
    url: str
    sha256: str | None  # LFS files: their content hash, checked after the last byte

    def blob(self, storage: Path) -> Path:
        return storage / "blobs" / self.etag

    def partial(self, storage: Path) -> Path:
        return storage / "blobs" / f"{self.etag}.incomplete"


def download_events(
    repo_id: str,
    *,
    revision: str = "main",
    cancel: Cancel = None,
    endpoint: str | None = None,
    token: str | bool | None = None,
    progress_interval_s: float = PROGRESS_INTERVAL_S,
) -> Iterator[DownloadEvent]:
    """Download ``repo_id``'s config, tokenizer and safetensors into the cache, yielding events.

    Ends with ``DownloadFinished`` (the snapshot folder) or ``DownloadCancelled``. Offline or
    with the hub unreachable it raises ModelError within ``PROBE_TIMEOUT_S``.
    """
    _check_repo_id(repo_id)
    endpoint = (endpoint or hub_endpoint()).rstrip("/")
    if not endpoint_reachable(endpoint):
        raise _offline_error(repo_id, endpoint)
    cancelled = cancel_check(cancel)
    cache_dir = hub_cache_dir()
    storage = repo_folder(repo_id, cache_dir)
    commit, files = _plan(repo_id, revision, endpoint, token)

    total = sum(f.size for f in files)
    done = sum(_bytes_present(f, storage) for f in files)
    yield DownloadPlanned(repo_id, commit, tuple(f.name for f in files), total, done)
    _check_disk_space(storage, total - done)

    downloaded = 0
    last_emit = 0.0
    for f in files:
        if f.blob(storage).is_file():
            continue
        try:
            for received in _fetch(f, storage, cache_dir, repo_id, endpoint, cancelled, token):
                done += received
                downloaded += received
                now = time.monotonic()
                if now - last_emit >= progress_interval_s:
                    last_emit = now
                    yield DownloadProgress(repo_id, f.name, done, total)
        except _Cancelled:
            yield DownloadCancelled(repo_id, done, total)
            return
        except _network_errors() as exc:
            raise _hub_error(repo_id, exc) from exc
        yield DownloadProgress(repo_id, f.name, done, total)
    snapshot = _link_snapshot(repo_id, files, revision, endpoint, cache_dir, token)
    yield DownloadFinished(repo_id, snapshot, total, downloaded)


def _network_errors() -> tuple[type[BaseException], ...]:
    """What a failed request raises (imported late: huggingface_hub is slow to import)."""
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError

    return (HfHubHTTPError, httpx2.HTTPError, OSError)


def _bytes_present(f: _File, storage: Path) -> int:
    """How much of ``f`` an earlier download left: all of it, a partial file, or nothing."""
    if f.blob(storage).is_file():
        return f.size
    if f.partial(storage).is_file():
        return min(f.partial(storage).stat().st_size, f.size)
    return 0


def _plan(
    repo_id: str, revision: str, endpoint: str, token: str | bool | None
) -> tuple[str, list[_File]]:
    """The commit and the files to fetch (config, tokenizer, safetensors), with sizes and ETags."""
    from huggingface_hub import HfApi, get_hf_file_metadata, hf_hub_url

    try:
        info = HfApi(endpoint=endpoint, token=token).model_info(
            repo_id, revision=revision, files_metadata=True, timeout=READ_TIMEOUT_S
        )
        names = [s.rfilename for s in info.siblings or [] if wanted(s.rfilename)]
        lfs = {s.rfilename: s.lfs.sha256 for s in info.siblings or [] if s.lfs is not None}
        if "config.json" not in names:
            raise ModelError(f"{repo_id} has no config.json: it is not a transformers model.")
        if not any(n.endswith(".safetensors") for n in names):
            raise ModelError(
                f"{repo_id} has no safetensors weights, only other formats (such as pickle, which can "
                "run code when loaded): the workbench does not download those. Look for a safetensors "
                "copy of the model."
            )
        commit = str(info.sha)
        files = []
        for name in names:
            meta = get_hf_file_metadata(
                hf_hub_url(repo_id, name, revision=commit, endpoint=endpoint),
                timeout=READ_TIMEOUT_S, endpoint=endpoint, token=token,
            )  # fmt: skip
            if meta.etag is None or meta.size is None:
                raise ModelError(
                    f"{repo_id}/{name}: the hub sent no ETag or size for this file; try again later."
                )
            files.append(_File(name, meta.size, meta.etag, meta.location, lfs.get(name)))
    except ModelError:
        raise
    except _network_errors() as exc:
        raise _hub_error(repo_id, exc) from exc
    return commit, files


def _link_snapshot(
    repo_id: str, files: list[_File], revision: str, endpoint: str, cache_dir: Path,
    token: str | bool | None,
) -> str:
    """The snapshot folder, once every blob is complete.

    huggingface_hub links the blobs into snapshots/<commit> and writes refs/<revision>,
    exactly as its own download would have.
    """
    from huggingface_hub import hf_hub_download

    try:
        paths = [
            hf_hub_download(
                repo_id, f.name, revision=revision, endpoint=endpoint, cache_dir=cache_dir, token=token
            )
            for f in files
        ]
    except _network_errors() as exc:
        raise _hub_error(repo_id, exc) from exc
    return str(Path(paths[0]).parent)


def _fetch(
    f: _File,
    storage: Path,
    cache_dir: Path,
    repo_id: str,
    endpoint: str,
    cancelled: Callable[[], bool],
    token: str | bool | None,
) -> Iterator[int]:
    """Stream one file into ``blobs/<etag>.incomplete`` from where it stopped; yield bytes received."""
    import httpx2
    from filelock import Timeout
    from huggingface_hub.utils import (
        WeakFileLock,
        build_hf_headers,
        get_session,
        hf_raise_for_status,
    )

    partial = f.partial(storage)
    partial.parent.mkdir(parents=True, exist_ok=True)
    # The lock huggingface_hub takes for the same blob, so two downloads never write one file.
    lock = cache_dir / ".locks" / storage.name / f"{f.etag}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        with WeakFileLock(lock, timeout=5):
            have = partial.stat().st_size if partial.is_file() else 0
            if have > f.size:  # not this file's bytes: start again
                partial.unlink()
                have = 0
            if have < f.size:
                headers = build_hf_headers(token=token)
                headers["Accept-Encoding"] = "identity"  # byte offsets must be the file's own
                if urlparse(f.url).netloc != urlparse(endpoint).netloc:
                    headers.pop("authorization", None)  # a CDN location: the token stays on the hub
                if have:
                    headers["Range"] = f"bytes={have}-"
                timeout = httpx2.Timeout(READ_TIMEOUT_S, connect=PROBE_TIMEOUT_S * 2)
                with get_session().stream(
                    "GET", f.url, headers=headers, timeout=timeout, follow_redirects=True
                ) as r:
                    hf_raise_for_status(r)
                    mode = "ab"
                    if (
                        have and r.status_code == 200
                    ):  # the server ignored Range: the whole file comes
                        yield -have
                        have, mode = 0, "wb"
                    with partial.open(mode) as out:
                        for chunk in r.iter_bytes():
                            if cancelled():
                                raise _Cancelled
                            out.write(chunk)
                            have += len(chunk)
                            yield len(chunk)
                if cancelled():
                    raise _Cancelled
            if have != f.size:
                raise ModelError(
                    f"{repo_id}/{f.name}: received {have:,} of {f.size:,} bytes (the connection dropped?). "
                    "Press Download again to resume where it stopped."
                )
            if f.sha256 is not None and _sha256(partial) != f.sha256:
                partial.unlink()  # resumed onto the wrong bytes: the next try starts clean
                raise ModelError(
                    f"{repo_id}/{f.name}: the downloaded file does not match the hub's checksum and was "
                    "deleted. Download it again."
                )
            os.replace(partial, f.blob(storage))
    except Timeout as exc:
        raise ModelError(
            f"{repo_id}/{f.name} is being downloaded by another program (lock {lock}). Wait for it, "
            "or delete the lock file if no download is running."
        ) from exc


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_disk_space(storage: Path, needed: int) -> None:
    folder = storage
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise ModelError(
            f"Not enough disk space for the download: {needed / 1e9:.2f} GB needed, {free / 1e9:.2f} GB free "
            f"under {folder}. Free some space or set HF_HOME to a larger disk."
        )


def download(
    repo_id: str,
    *,
    on_progress: Callable[[DownloadEvent], Any] | None = None,
    cancel: Cancel = None,
    revision: str = "main",
    endpoint: str | None = None,
    token: str | bool | None = None,
) -> DownloadFinished | DownloadCancelled:
    """``download_events`` with a plain callback (called with every event); returns the last event."""
    last: DownloadEvent | None = None
    for event in download_events(
        repo_id, revision=revision, cancel=cancel, endpoint=endpoint, token=token
    ):
        last = event
        if on_progress is not None:
            on_progress(event)
    assert isinstance(last, (DownloadFinished, DownloadCancelled))
    return last
