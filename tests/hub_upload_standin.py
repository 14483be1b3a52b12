"""A stand-in for the Hugging Face hub's upload side on 127.0.0.1 (``workbench push``'s tests).

It answers what huggingface_hub (2.x, the installed version) sends to publish a folder:

- ``GET /api/whoami-v2`` (``HfApi.whoami``): 401 unless the ``Authorization`` header carries ``TOKEN``;
- ``POST /api/validate-yaml`` (the README's metadata, checked before an upload): 400 unless its front
  matter parses as a YAML mapping; recorded in ``validated``;
- ``POST /api/repos/create`` (``create_repo``): records the payload (name, organisation, visibility);
- ``POST /api/models/{repo}/preupload/{revision}``: every file is "regular" (sent inside the commit,
  base64), so no Xet storage is needed;
- ``POST /api/models/{repo}/commit/{revision}``: the NDJSON commit, decoded and recorded file by file.

``hold_commit`` (an Event) makes the commit wait until it is set, so a test can act mid-upload.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlparse

TOKEN = "hf_standin_write_token"
USER = "standin-user"


@dataclass
class UploadState:
    created: list[dict] = field(default_factory=list)  # create_repo payloads
    preuploads: list[tuple[str, list[str]]] = field(default_factory=list)  # (repo, paths)
    commits: list[dict] = field(default_factory=list)  # {"repo", "revision", "header", "files": {path: bytes}}
    validated: list[str] = field(default_factory=list)  # README texts sent to validate-yaml
    requests: list[str] = field(default_factory=list)  # "METHOD path", in order
    hold_commit: threading.Event | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def files(self, repo_id: str) -> dict[str, bytes]:
        """Everything committed to ``repo_id`` so far (later commits win)."""
        out: dict[str, bytes] = {}
        for commit in self.commits:
            if commit["repo"] == repo_id:
                out.update(commit["files"])
        return out


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _json(self, payload: object, status: int = 200) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") == f"Bearer {TOKEN}":
            return True
        self._json({"error": "Invalid credentials in Authorization header"}, 401)
        return False

    def _log(self) -> None:
        with self.server.state.lock:
            self.server.state.requests.append(f"{self.command} {urlparse(self.path).path}")

    def do_GET(self) -> None:
        self._log()
        if urlparse(self.path).path == "/api/whoami-v2":
            if self._authorised():
                self._json({"type": "user", "name": USER, "auth": {"accessToken": {"role": "write"}}})
            return
        self._json({"error": "not found"}, 404)

    def do_POST(self) -> None:
        self._log()
        path = unquote(urlparse(self.path).path)
        body = self._body()
        if not self._authorised():
            return
        state = self.server.state
        if path == "/api/repos/create":
            payload = json.loads(body)
            with state.lock:
                state.created.append(payload)
            repo = f"{payload.get('organization') or USER}/{payload['name']}"
            return self._json({"url": f"http://{self.headers['Host']}/{repo}", "name": repo})
        if path == "/api/validate-yaml":
            return self._validate(json.loads(body)["content"])
        if m := re.fullmatch(r"/api/models/([^/]+/[^/]+)/preupload/([^/]+)", path):
            files = json.loads(body)["files"]
            with state.lock:
                state.preuploads.append((m.group(1), [f["path"] for f in files]))
            return self._json({"files": [
                {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False, "oid": None} for f in files
            ], "commitOid": "0" * 40})  # fmt: skip
        if m := re.fullmatch(r"/api/models/([^/]+/[^/]+)/commit/([^/]+)", path):
            return self._commit(m.group(1), m.group(2), body)
        self._json({"error": f"no route for {path}"}, 404)

    def _validate(self, content: str) -> None:
        import yaml

        with self.server.state.lock:
            self.server.state.validated.append(content)
        parts = content.split("---\n")
        try:
            ok = content.startswith("---\n") and len(parts) >= 3 and isinstance(yaml.safe_load(parts[1]), dict)
        except yaml.YAMLError:
            ok = False
        if ok:
            return self._json({"warnings": []})
        self._json({"errors": [{"message": "the front matter is not a YAML mapping"}]}, 400)

    def _commit(self, repo: str, revision: str, body: bytes) -> None:
        state = self.server.state
        if state.hold_commit is not None:
            state.hold_commit.wait(30)
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        header = next(item["value"] for item in lines if item["key"] == "header")
        files = {
            item["value"]["path"]: base64.b64decode(item["value"]["content"])
            for item in lines
            if item["key"] == "file"
        }
        oid = hashlib.sha1(body).hexdigest()
        with state.lock:
            state.commits.append({"repo": repo, "revision": revision, "header": header, "files": files})
        host = self.headers["Host"]
        self._json({"commitUrl": f"http://{host}/{repo}/commit/{oid}", "commitOid": oid})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: UploadState


def start_upload_server(state: UploadState) -> tuple[_Server, threading.Thread, str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = state
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="hub-upload-standin", daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.server_address[1]}"
