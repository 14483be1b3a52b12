"""Keep freed memory in the process while a CPU run trains (glibc only).

glibc serves every allocation above its mmap threshold (at most 32 MB, 128 KB at start)
with a fresh ``mmap`` and unmaps it on free. A training step allocates and frees the
same large tensors every time - MiniLM's 47 MB word-embedding gradient, bf16 copies of
the weights, activations - so each step page-faults them in again (the kernel zeroes
every 4 KB page) and unmaps them at ``zero_grad``. Raising the thresholds for the run
lets the heap hand the same memory back next step. MiniLM, batch 32 x 48 tokens, bf16,
one thread (``bench/step_profile.py --ab heap``, interleaved pairs): 57,000 minor page
faults a step (224 MB zeroed by the kernel) fall to about 150, and a step takes 0.85-0.94x
the time (medians of per-pair ratios, four runs on a loaded 2-core machine). Whole
Trainer runs (960 SST-2 sentences, 30 steps, 4 interleaved pairs): faults 400-545k to 106k,
time 0.92x (median ratio), the same losses bit for bit.
Numbers are untouched: only where the bytes come from changes. Process-wide, so the
thresholds drop back after the loop and the free heap is handed back (``malloc_trim``).
"""

from __future__ import annotations

import ctypes
import functools
import platform
from collections.abc import Iterator
from contextlib import contextmanager

import torch

_M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
_M_MMAP_THRESHOLD = -3
_RUN_MMAP = 256 << 20  # tensors below this come from (and go back to) the heap
_RUN_TRIM = 1 << 30  # free heap kept for the next step, up to this much
_AFTER_MMAP = 32 << 20  # after the run: where glibc's own threshold ends up anyway
_AFTER_TRIM = 64 << 20  # (glibc keeps the trim threshold at twice the mmap threshold)


@functools.cache  # one handle for the process: the library is loaded once anyway
def _glibc() -> ctypes.CDLL | None:
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def set_thresholds(mmap_bytes: int, trim_bytes: int) -> bool:
    """Set glibc's mmap and trim thresholds (process-wide); False where this is not glibc."""
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, mmap_bytes)) and bool(libc.mallopt(_M_TRIM_THRESHOLD, trim_bytes))


@contextmanager
def reuse_freed_memory(device: torch.device) -> Iterator[None]:
    """For a training loop on the CPU: freed tensors stay in the heap for the next step; after
    it, the thresholds drop to glibc's usual ceiling and the free heap goes back to the system."""
    if device.type != "cpu" or not set_thresholds(_RUN_MMAP, _RUN_TRIM):
        yield
        return
    try:
        yield
    finally:
        set_thresholds(_AFTER_MMAP, _AFTER_TRIM)
        libc = _glibc()
        if libc is not None:
            libc.malloc_trim(0)
