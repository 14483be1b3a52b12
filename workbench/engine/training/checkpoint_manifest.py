"""``checksums.json``: the size and SHA-256 of every file of a checkpoint.

Written by ``checkpoints.save_checkpoint`` last inside the temporary folder, before the
rename; read back by ``checkpoint_checks.checkpoint_problems`` before a resume. Here,
below both, so that the writer does not import the checker (stdlib only).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST_FILE = "checksums.json"
_HASH_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(folder: Path) -> None:
    """Record size and SHA-256 of every file in ``folder`` (called on the temporary folder)."""
    files = {
        str(p.relative_to(folder)): {"size": p.stat().st_size, "sha256": sha256_file(p)}
        for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST_FILE
    }
    (folder / MANIFEST_FILE).write_text(json.dumps({"version": 1, "files": files}, indent=1), encoding="utf-8")
