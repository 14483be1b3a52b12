"""Folders written by ``datasets``: ``Dataset.save_to_disk`` and ``DatasetDict.save_to_disk``.

A ``Dataset`` folder holds Arrow stream files, ``dataset_info.json`` (the features: which
columns are class labels, with their names) and ``state.json`` (the Arrow files, in order).
A ``DatasetDict`` folder holds ``dataset_dict.json`` (the split names) and one such folder
per split.

Read with pyarrow, not ``datasets.load_from_disk``: the files are plain Arrow streams, memory
mapped and read batch by batch (a preview touches the first batch only); only the ``[data]``
extra's pyarrow is needed, and importing ``datasets`` (seconds, and a large dependency tree)
is spared. The features come from ``dataset_info.json``, as ``datasets`` itself reads them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.engine.data.columnar import batches_to_table, hf_class_names, pyarrow_module
from workbench.engine.data.table import Table
from workbench.engine.errors import DatasetError

INFO_FILE = "dataset_info.json"
STATE_FILE = "state.json"
DICT_FILE = "dataset_dict.json"
# The files a user may pick in a file dialog to mean the folder that holds them.
MARKER_FILES = (INFO_FILE, STATE_FILE, DICT_FILE)

# Split names -> the role the workbench gives them (train / validation / test).
_ROLES = {
    "train": "train", "training": "train",
    "validation": "validation", "valid": "validation", "val": "validation", "dev": "validation",
    "test": "test", "testing": "test",
}  # fmt: skip

_HINT_FOLDER = (
    "Choose a data file, or a folder written by the `datasets` library's save_to_disk "
    "(it holds dataset_info.json and .arrow files)."
)


def folder_of(path: Path) -> Path | None:
    """The data set folder ``path`` names (the folder itself, or one of its marker files), else None."""
    from workbench.engine.typed_paths import names_folder

    if names_folder(path):  # typed text too long to look up names no folder
        return path
    if path.name in MARKER_FILES and path.is_file():
        return path.parent
    return None


def _json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError(
            f"cannot read {path.name} ({exc}).",
            path=path,
            hint="The folder may be damaged; save the data set again with save_to_disk.",
        ) from None
    if not isinstance(value, dict):
        raise DatasetError(f"{path.name} does not hold a JSON object.", path=path)
    return value


def dict_splits(folder: Path) -> list[str]:
    """The split names of a DatasetDict folder, in its order; [] for any other folder."""
    marker = folder / DICT_FILE
    if not marker.is_file():
        return []
    splits = _json(marker).get("splits")
    if not isinstance(splits, list) or not splits:
        raise DatasetError("dataset_dict.json names no splits.", path=marker)
    return [str(s) for s in splits]


def split_roles(folder: Path) -> dict[str, Path]:
    """``{"train": ..., "validation": ..., "test": ...}``: the split folders of a DatasetDict folder by role.

    A split whose name is none of the usual ones (``train``, ``validation``/``dev``/``valid``,
    ``test``) gets no role; without a ``train`` split the first split is trained on.
    """
    splits = dict_splits(folder)
    out: dict[str, Path] = {}
    for name in splits:
        role = _ROLES.get(name.lower())
        if role and role not in out:
            out[role] = folder / name
    if splits and "train" not in out:
        out["train"] = folder / splits[0]
    return out


def _data_files(folder: Path) -> list[Path]:
    if not (folder / INFO_FILE).is_file():
        if any(folder.glob("*.arrow")):
            what = "has .arrow files but no dataset_info.json"
        else:
            what = "is not a data set folder: it has no dataset_info.json (nor dataset_dict.json)"
        raise DatasetError(f"this folder {what}.", path=folder, hint=_HINT_FOLDER)
    state = _json(folder / STATE_FILE) if (folder / STATE_FILE).is_file() else {}
    names = [f.get("filename") for f in state.get("_data_files", []) if isinstance(f, dict)]
    files = [folder / n for n in names if n] or sorted(folder.glob("*.arrow"))
    missing = [f.name for f in files if not f.is_file()]
    if not files or missing:
        raise DatasetError(
            f"the data files {', '.join(missing)} are missing." if missing else "the folder has no .arrow data files.",
            path=folder,
            hint="Copy the whole folder that save_to_disk wrote, or save the data set again.",
        )
    return files


def _stream_batches(files: list[Path]) -> Iterator[Any]:
    pa = pyarrow_module("Reading `datasets` folders")
    for file in files:
        try:
            reader = pa.ipc.open_stream(pa.memory_map(str(file)))
            yield from reader
        except (pa.ArrowException, OSError) as exc:
            raise DatasetError(
                f"cannot read {file.name} ({exc}).",
                path=file,
                hint="The file may be truncated or damaged; save the data set again with save_to_disk.",
            ) from None


def read_dataset_folder(folder: Path, *, max_rows: int | None = None) -> Table:
    """A save_to_disk folder as a Table; a DatasetDict folder gives its training split."""
    roles = split_roles(folder)
    if roles:
        folder = roles["train"]
    files = _data_files(folder)
    pa = pyarrow_module("Reading `datasets` folders")
    try:
        schema = pa.ipc.open_stream(pa.memory_map(str(files[0]))).schema
    except (pa.ArrowException, OSError) as exc:
        raise DatasetError(
            f"cannot read {files[0].name} ({exc}).",
            path=files[0],
            hint="The file may be truncated or damaged; save the data set again with save_to_disk.",
        ) from None
    names = hf_class_names(_json(folder / INFO_FILE).get("features"))
    return batches_to_table(
        folder, "dataset", schema, _stream_batches(files), max_rows=max_rows, class_names=names
    )
