"""Validate a safetensors file's header before any library reads it.

safetensors cannot run code, but a hostile or damaged file can still make a
reader allocate a huge header, read past the end of the file, or hand out two
tensors that share bytes. This check reads only the 8-byte length and the JSON
header (capped in size), so it is cheap, and it turns every such problem into a
``ModelError`` that names the file and what is wrong.

Format (https://github.com/huggingface/safetensors): ``u64 little-endian N``,
then ``N`` bytes of JSON ``{name: {"dtype", "shape", "data_offsets": [begin, end]},
"__metadata__": {str: str}}``, then the data; offsets are relative to the data.
"""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path
from typing import Any

from workbench.engine.errors import ModelError

# The reference implementation refuses headers over 100 MB; a real header is a few
# hundred bytes per tensor, so this allows ~100k tensors.
MAX_HEADER_BYTES = 100 * 1024 * 1024

DTYPE_BYTES = {
    "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "F8_E8M0": 1,
    "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
    "I32": 4, "U32": 4, "F32": 4,
    "I64": 8, "U64": 8, "F64": 8,
    "C64": 8,
}


def safetensors_problems(path: str | Path) -> list[str]:
    """Everything wrong with the file's header and layout; empty when it is sound."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
            if len(head) < 8:
                return [f"too short to be a safetensors file ({size} bytes; the header length alone takes 8)"]
            (n,) = struct.unpack("<Q", head)
            if n > MAX_HEADER_BYTES:
                return [f"declares a header of {n:,} bytes, over the {MAX_HEADER_BYTES:,}-byte limit"]
            if 8 + n > size:
                return [f"declares a header of {n:,} bytes, past the end of the file ({size:,} bytes)"]
            raw = handle.read(n)
    except OSError as exc:
        return [f"cannot be read ({exc.strerror or exc})"]
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"its header is not valid JSON ({exc})"]
    if not isinstance(header, dict):
        return ["its header is not a JSON object"]
    return _layout_problems(header, size - 8 - n)


def _layout_problems(header: dict[str, Any], data_len: int) -> list[str]:
    problems: list[str] = []
    spans: list[tuple[int, int, str]] = []
    for name, entry in header.items():
        if name == "__metadata__":
            if not isinstance(entry, dict) or not all(isinstance(v, str) for v in entry.values()):
                problems.append("__metadata__ must map strings to strings")
            continue
        if not isinstance(entry, dict):
            problems.append(f"tensor {name!r}: entry is not an object")
            continue
        dtype, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
        if dtype not in DTYPE_BYTES:
            problems.append(f"tensor {name!r}: unknown dtype {dtype!r}")
            continue
        if not isinstance(shape, list) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0
                                                  for d in shape):
            problems.append(f"tensor {name!r}: shape {shape!r} is not a list of non-negative integers")
            continue
        if (not isinstance(offsets, list) or len(offsets) != 2
                or not all(isinstance(o, int) and not isinstance(o, bool) for o in offsets)):
            problems.append(f"tensor {name!r}: data_offsets {offsets!r} is not [begin, end]")
            continue
        begin, end = offsets
        if not 0 <= begin <= end <= data_len:
            problems.append(f"tensor {name!r}: bytes {begin}..{end} lie outside the data ({data_len:,} bytes)")
            continue
        expected = math.prod(shape) * DTYPE_BYTES[dtype]
        if end - begin != expected:
            problems.append(f"tensor {name!r}: holds {end - begin} bytes but {dtype}{shape} needs {expected}")
            continue
        spans.append((begin, end, name))
    spans.sort()
    for (_, a_end, a), (b_begin, _, b) in zip(spans, spans[1:]):
        if b_begin < a_end:
            problems.append(f"tensors {a!r} and {b!r} overlap in the file")
    return problems


def check_safetensors(path: str | Path) -> None:
    """Raise ``ModelError`` naming the file when its header is unsafe or damaged."""
    problems = safetensors_problems(path)
    if problems:
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
        raise ModelError(
            f"{path}: not a valid safetensors file: {shown}. It was not loaded. "
            "Re-download or re-save the model (the file may be damaged or crafted)."
        )


def check_folder_safetensors(folder: Path) -> None:
    """Check every ``*.safetensors`` file in a model folder."""
    for file in sorted(folder.glob("*.safetensors")):
        check_safetensors(file)
