"""Publish a run's final model (weights, tokenizer, model card) to the Hugging Face hub.

``huggingface_hub`` does the work: ``HfApi.whoami`` checks the token, ``create_repo`` makes the
repo (or finds it), ``upload_folder`` sends ``model/`` in one go (the hub's preupload call, then
one commit; large files go through Xet storage). Before any of that the hub's host is probed
with a TCP connect (``hub_download.endpoint_reachable``), so an offline machine hears so in
seconds, and a missing token is reported before anything is sent.

Cancelling: before the upload starts, a cancel stops at the next step. During ``upload_folder``
the library gives no hook for stopping; a cancel aborts its Xet transfers (the large files), which
makes the library end the upload without a commit. The small files go in the commit itself: once
that request is sent it completes, and the push reports it as finished.

The work is a generator of frozen events (``push_events``); ``push`` wraps it with a callback.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.engine.errors import ModelError
from workbench.engine.models.hub_download import (
    REPO_ID_PATTERN,
    Cancel,
    cancel_check,
    endpoint_reachable,
    hub_endpoint,
    hub_offline,
)
from workbench.engine.runs import MODEL_DIR

TOKEN_VARIABLE = "HF_TOKEN"
# How often the upload's waiting loop reports (and looks at the cancel flag).
HEARTBEAT_S = 0.25
# A cancelled upload's thread gets this long to wind down before the push stops waiting for it.
CANCEL_WAIT_S = 15.0


@dataclass(frozen=True)
class PushStarted:
    """What will be sent; ``card_written``: the run had no card, and one was written just now."""

    repo_id: str
    endpoint: str
    files: tuple[str, ...]
    total_bytes: int
    card_written: bool


@dataclass(frozen=True)
class PushProgress:
    """A step of the push (``stage``: "login", "create", "upload"), with time spent in it."""

    repo_id: str
    stage: str
    message: str
    elapsed_s: float


@dataclass(frozen=True)
class PushFinished:
    repo_id: str
    url: str  # the model's page on the hub
    commit_url: str
    files: tuple[str, ...]
    total_bytes: int


@dataclass(frozen=True)
class PushCancelled:
    repo_id: str
    message: str


PushEvent = PushStarted | PushProgress | PushFinished | PushCancelled


# --------------------------------------------------------------------------- checks


def model_folder(run_dir: str | Path) -> Path:
    """The run's ``model/`` folder, or a ModelError when the run has no final model to publish."""
    folder = Path(run_dir) / MODEL_DIR
    if not (folder / "config.json").is_file():
        raise ModelError(
            f"{Path(run_dir)} has no final model ({MODEL_DIR}/config.json): only a run that finished "
            "training can be published. Choose a finished run folder."
        )
    return folder


def check_repo_id(repo_id: str) -> None:
    if not REPO_ID_PATTERN.match(repo_id or "") or repo_id.endswith((".git", ".")) or "--" in repo_id:
        raise ModelError(
            f"{repo_id!r} is not a hub repo name: use 'name' or 'your-name/name' (letters, digits, "
            "'-', '_', '.'), e.g. 'your-name/sst2-minilm'."
        )


def resolve_token(token: str | None = None, *, from_env: bool = False) -> str:
    """The hub token to use: ``token``, else $HF_TOKEN with ``from_env``, else the saved login."""
    if token:
        return token
    if from_env:
        value = os.environ.get(TOKEN_VARIABLE, "").strip()
        if not value:
            raise ModelError(
                f"--token-from-env: ${TOKEN_VARIABLE} is not set. Set it to a hub access token with write "
                "access (https://huggingface.co/settings/tokens)."
            )
        return value
    from huggingface_hub import get_token

    saved = get_token()
    if not saved:
        raise ModelError(
            "Not logged in to the Hugging Face hub: run `hf auth login` (a token with write access), "
            f"or set ${TOKEN_VARIABLE} and use --token-from-env."
        )
    return saved


def _offline_error(endpoint: str) -> ModelError:
    if hub_offline():
        return ModelError("Cannot publish: offline mode is on (HF_HUB_OFFLINE=1). Unset it to publish.")
    return ModelError(
        f"Cannot publish: the hub ({endpoint}) cannot be reached from this machine. "
        "Check the connection (or HF_ENDPOINT) and try again."
    )


def _network_errors() -> tuple[type[BaseException], ...]:
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError

    return (HfHubHTTPError, httpx2.HTTPError, OSError, ValueError)


def _hub_error(repo_id: str, exc: BaseException) -> ModelError:
    """A readable error for a failed hub call (the status decides the advice)."""
    from huggingface_hub.errors import RepositoryNotFoundError

    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if status == 401:
        return ModelError(
            "The hub refused the token (401): it is invalid or expired. Log in again with `hf auth login`, "
            f"or set ${TOKEN_VARIABLE} to a new token."
        )
    if status == 403 or isinstance(exc, RepositoryNotFoundError):
        return ModelError(
            f"The token may not write to {repo_id} (a read-only token, or another user's or organisation's "
            "namespace). Use a token with write access, or a repo under your own name."
        )
    detail = str(exc).splitlines()[0] if str(exc) else ""
    return ModelError(f"Publishing {repo_id} failed ({type(exc).__name__}: {detail}). Try again.")


def _files(folder: Path) -> list[Path]:
    """What ``upload_folder`` sends: every file of ``model/`` but hidden leftovers (``.tmp-*``)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


# --------------------------------------------------------------------------- push


def push_events(
    run_dir: str | Path,
    repo_id: str,
    *,
    private: bool = False,
    token: str | None = None,
    token_from_env: bool = False,
    cancel: Cancel = None,
    endpoint: str | None = None,
    heartbeat_s: float = HEARTBEAT_S,
) -> Iterator[PushEvent]:
    """Publish ``run_dir``'s ``model/`` (with its card, written first if missing) as ``repo_id``.

    Ends with ``PushFinished`` or ``PushCancelled``; raises ModelError for what stops it (no final
    model, a bad name, offline or unreachable hub within seconds, no token, a refused token).
    """
    from workbench.engine.model_card import ensure_card

    check_repo_id(repo_id)
    folder = model_folder(run_dir)
    endpoint = (endpoint or hub_endpoint()).rstrip("/")
    if not endpoint_reachable(endpoint):
        raise _offline_error(endpoint)
    token = resolve_token(token, from_env=token_from_env)
    cancelled = cancel_check(cancel)
    _, card_written = ensure_card(run_dir)
    files = _files(folder)
    names = tuple(p.relative_to(folder).as_posix() for p in files)
    total = sum(p.stat().st_size for p in files)

    from huggingface_hub import HfApi

    api = HfApi(endpoint=endpoint, token=token)
    yield PushProgress(repo_id, "login", "Checking the token", 0.0)
    try:
        user = api.whoami(token=token)
    except _network_errors() as exc:
        raise _hub_error(repo_id, exc) from exc
    if "/" not in repo_id and isinstance(user.get("name"), str):
        repo_id = f"{user['name']}/{repo_id}"  # the hub puts a bare name under the user's own
    yield PushStarted(repo_id, endpoint, names, total, card_written)
    if cancelled():
        yield PushCancelled(repo_id, "Cancelled before anything was sent.")
        return
    yield PushProgress(repo_id, "create", f"Creating {repo_id}", 0.0)
    try:
        api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
    except _network_errors() as exc:
        raise _hub_error(repo_id, exc) from exc
    if cancelled():
        yield PushCancelled(repo_id, f"Cancelled: {repo_id} exists on the hub, but no files were sent.")
        return
    yield from _upload(api, folder, repo_id, names, total, cancelled, heartbeat_s, Path(run_dir).name)


def _upload(
    api: Any, folder: Path, repo_id: str, names: tuple[str, ...], total: int,
    cancelled: Callable[[], bool], heartbeat_s: float, run_name: str,
) -> Iterator[PushEvent]:
    """``upload_folder`` in a thread, reporting while it runs; a cancel aborts its Xet transfers."""
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["info"] = api.upload_folder(
                repo_id=repo_id, folder_path=str(folder), repo_type="model",
                commit_message=f"Upload {run_name} from Transformer Workbench", ignore_patterns=[".*"],
            )  # fmt: skip
        except BaseException as exc:  # handed to the generator's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="hub-upload", daemon=True)
    started = time.monotonic()
    worker.start()
    aborted = False
    while worker.is_alive():
        worker.join(heartbeat_s)
        if cancelled() and not aborted:
            aborted = True
            _abort_transfers()
            worker.join(CANCEL_WAIT_S)
            break
        yield PushProgress(repo_id, "upload", f"Uploading {len(names)} files ({total / 1e6:.1f} MB)",
                           time.monotonic() - started)
    if "info" in outcome:
        info = outcome["info"]
        yield PushFinished(repo_id, f"{api.endpoint}/{repo_id}", str(getattr(info, "commit_url", "")), names, total)
        return
    if aborted and worker.is_alive():  # its last request is still out: the hub may yet take it
        yield PushCancelled(repo_id, f"Cancelled. A request was still under way: check {api.endpoint}/{repo_id}.")
        return
    if aborted:
        yield PushCancelled(repo_id, f"Cancelled: the upload stopped before its commit; {repo_id} got no new files.")
        return
    error = outcome.get("error")
    if isinstance(error, _network_errors()):
        raise _hub_error(repo_id, error) from error
    if error is not None:
        raise error
    raise ModelError(f"Publishing {repo_id}: the upload ended without a result.")


def _abort_transfers() -> None:
    """Stop huggingface_hub's in-flight Xet transfers (its own way of ending an interrupted upload)."""
    try:
        from huggingface_hub.utils._xet import abort_xet_session
    except ImportError:
        return
    abort_xet_session()


def push(
    run_dir: str | Path,
    repo_id: str,
    *,
    on_progress: Callable[[PushEvent], Any] | None = None,
    **options: Any,
) -> PushFinished | PushCancelled:
    """``push_events`` with a plain callback (called with every event); returns the last event."""
    last: PushEvent | None = None
    for event in push_events(run_dir, repo_id, **options):
        last = event
        if on_progress is not None:
            on_progress(event)
    assert isinstance(last, (PushFinished, PushCancelled))
    return last
