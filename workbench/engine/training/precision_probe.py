"""Is bf16 autocast worth it on this CPU? Detect the hardware, measure once, remember.

Modern x86 CPUs (Intel with AMX or AVX-512 BF16, AMD Zen 4 and later) multiply bfloat16
matrices in hardware, often two to four times as fast as fp32; on others bf16 is emulated
and slower. Whether a training step gains depends on the CPU, the thread count and torch's
kernels, so ``precision auto`` asks a short probe: a few training-shaped matrix products
and one small transformer layer's forward and backward, in fp32 and under bf16 autocast
(interleaved, the best of a few repeats; well under a second). The result is cached per
machine in ``cpu_precision.json`` in the workbench's cache folder, keyed by CPU model,
torch version and thread count, so the probe runs once.

``WORKBENCH_CPU_AUTO_PRECISION=fp32`` (or ``bf16``) pins what ``auto`` picks on the CPU
without measuring (the test suite pins fp32 so that its figures do not depend on load);
any other value (``probe``) leaves it to the probe.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
CACHE_FILE = "cpu_precision.json"
PIN_VARIABLE = "WORKBENCH_CPU_AUTO_PRECISION"
# bf16 must beat fp32 by this much to be chosen: a tie is not worth the rounding.
MIN_SPEEDUP = 1.1
_REPEATS = 3
_LOCK = threading.Lock()  # the GUI's advice worker and a training thread may ask at once
_MEMO: dict[str, ProbeResult] = {}


@dataclass(frozen=True)
class ProbeResult:
    """One measurement: seconds per probe step in fp32 and under bf16 autocast."""

    key: str  # cpu model | torch version | threads
    fp32_s: float
    bf16_s: float
    measured_at: str = ""  # UTC, for the doctor's report

    @property
    def speedup(self) -> float:
        return self.fp32_s / self.bf16_s if self.bf16_s > 0 else 0.0

    @property
    def bf16_faster(self) -> bool:
        return self.speedup >= MIN_SPEEDUP


# ---- what the CPU has ------------------------------------------------------------------

def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo`` on Linux, else what the platform says)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def bf16_hardware(cpuinfo: str | None = None) -> str:
    """The CPU's bf16 units by name ("AMX", "AVX-512 BF16"), or "" where /proc/cpuinfo does not say."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
    flags: set[str] = set()
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            flags = set(line.partition(":")[2].split())
            break
    if "amx_bf16" in flags:
        return "AMX"
    if "avx512_bf16" in flags:
        return "AVX-512 BF16"
    return ""


def cpu_bf16_supported() -> bool:
    """Whether torch's CPU kernels (oneDNN) run bf16 natively here; emulated bf16 is slow."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # a torch build without oneDNN
        return False


# ---- the cache ---------------------------------------------------------------------------

def cache_dir() -> Path:
    """The workbench's per-user cache folder (``WORKBENCH_CACHE_DIR`` overrides it)."""
    if explicit := os.environ.get("WORKBENCH_CACHE_DIR"):
        return Path(explicit)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "transformer-workbench"


def probe_key(threads: int | None = None) -> str:
    import torch

    return f"{cpu_model()} | torch {torch.__version__} | {threads or torch.get_num_threads()} threads"


def read_cached(key: str, path: Path | None = None) -> ProbeResult | None:
    """The cached result for ``key``; None when absent or the file is unreadable (it is only a cache)."""
    try:
        entries = json.loads((path or cache_dir() / CACHE_FILE).read_text(encoding="utf-8"))
        entry = entries[key]
        return ProbeResult(key, float(entry["fp32_s"]), float(entry["bf16_s"]), str(entry.get("measured_at", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_cached(result: ProbeResult, path: Path | None = None) -> None:
    """Add ``result`` to the cache file (other machines' entries kept); a failed write is ignored."""
    path = path or cache_dir() / CACHE_FILE
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(entries, dict):
            entries = {}
    except (OSError, ValueError):
        entries = {}
    entry = asdict(result)
    entries[entry.pop("key")] = entry
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entries, indent=1), encoding="utf-8")
        os.replace(tmp, path)  # atomic: a second process never reads half a file
    except OSError:
        pass  # read-only home: the probe runs again next time, nothing worse


# ---- the measurement ---------------------------------------------------------------------

def _probe_step(parts: dict[str, Any], bf16: bool) -> float:
    """Seconds for one training-shaped forward and backward (MiniLM's width, 4 × 48 tokens)."""
    import torch

    layer, x, a, w = parts["layer"], parts["x"], parts["a"], parts["w"]
    start = time.perf_counter()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        h = (a @ w).relu() @ w.t()  # the feed-forward shape: 384 -> 1536 -> 384
        out = layer(x)
        loss = out.float().square().mean() + h.float().mean()
    loss.backward()
    layer.zero_grad(set_to_none=True)
    w.grad = None
    return time.perf_counter() - start


def measure(repeats: int = _REPEATS, budget_s: float = 0.4) -> ProbeResult:
    """Time the probe step in fp32 and bf16 autocast, interleaved (a load spike hits both), best of ``repeats``."""
    import torch

    gen = torch.Generator().manual_seed(0)
    with torch.random.fork_rng(devices=[]):  # the user's seed stream is not advanced
        torch.manual_seed(0)
        layer = torch.nn.TransformerEncoderLayer(384, 6, 1536, dropout=0.0, batch_first=True)
    parts = {
        "layer": layer,
        "x": torch.randn(4, 48, 384, generator=gen),
        "a": torch.randn(192, 384, generator=gen),
        "w": torch.randn(384, 1536, generator=gen, requires_grad=True),
    }
    _probe_step(parts, False)  # warm-up: allocations and kernel choice
    _probe_step(parts, True)
    fp32, bf16 = [], []
    deadline = time.perf_counter() + budget_s  # a busy machine gets fewer repeats, not a longer wait
    for _ in range(repeats):
        fp32.append(_probe_step(parts, False))
        bf16.append(_probe_step(parts, True))
        if time.perf_counter() > deadline:
            break
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return ProbeResult(probe_key(), min(fp32), min(bf16), stamp)


def probe_result(*, measure_if_missing: bool = True, refresh: bool = False) -> ProbeResult | None:
    """This machine's probe result: from memory, the cache file, or measured now (and cached).

    None where the CPU has no native bf16 (nothing to measure) or, with ``measure_if_missing``
    False, where it has not been measured yet.
    """
    if not cpu_bf16_supported():
        return None
    key = probe_key()
    with _LOCK:
        if not refresh:
            known = _MEMO.get(key) or read_cached(key)
            if known is not None:
                _MEMO[key] = known
                return known
        if not measure_if_missing and not refresh:
            return None
        import torch

        try:
            with torch.inference_mode(False), torch.enable_grad():  # a caller's no-grad must not break backward
                result = measure()
        except RuntimeError:  # a torch build whose bf16 kernels fail: not measured, auto stays fp32
            log.warning("the bf16 probe failed; precision auto uses fp32", exc_info=True)
            return None
        _MEMO[key] = result
        write_cached(result)
        return result


def pinned_choice() -> str | None:
    """``fp32`` or ``bf16`` when ``WORKBENCH_CPU_AUTO_PRECISION`` pins the CPU's auto choice."""
    value = os.environ.get(PIN_VARIABLE, "").strip().lower()
    return value if value in ("fp32", "bf16") else None


def forget() -> None:
    """Drop the in-memory result (tests; after the cache file was changed by hand)."""
    with _LOCK:
        _MEMO.clear()


def doctor_report(cpuinfo: str | None = None) -> tuple[str, dict[str, Any]]:
    """(a clause for ``workbench doctor``'s CPU line, the facts): native bf16 or not, and the
    probe's figures (measured now if this machine has none cached: under a second)."""
    hardware = bf16_hardware(cpuinfo)
    facts: dict[str, Any] = {"native": cpu_bf16_supported(), "hardware": hardware, "pinned": pinned_choice()}
    if not facts["native"]:
        return "; bf16: not native here (precision auto trains in fp32)", facts
    result = probe_result()
    if result is None:  # unreachable unless the probe itself failed
        return "; bf16: native", facts
    facts.update(probe=asdict(result), speedup=round(result.speedup, 2))
    auto = facts["pinned"] or ("bf16" if result.bf16_faster else "fp32")
    clause = (f"; bf16 autocast {'on ' + hardware if hardware else 'native'}: a training step measured "
              f"{result.speedup:.2f}x the speed of fp32 ({result.fp32_s * 1000:.0f} vs {result.bf16_s * 1000:.0f} "
              f"ms, {result.measured_at or 'now'}), so precision auto trains in {auto}")
    return clause + (f" (pinned by {PIN_VARIABLE})" if facts["pinned"] else ""), facts
