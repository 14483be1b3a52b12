"""bench/finetune.py's measures of the machine: what it is, its matmul peaks, memory, GEMM ceilings."""

from __future__ import annotations

import os
import platform
import resource
import threading
import time
from pathlib import Path
from typing import Any


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info() -> dict[str, Any]:
    import torch

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info: dict[str, Any] = {
        "cpu": cpu_model(), "cores": cores, "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__, "python": platform.python_version(),
        "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
    if torch.cuda.is_available():
        info["gpu"] = torch.cuda.get_device_name(0)
    return info


def bf16_available(device: str) -> bool:
    """Native bf16 here: a GPU that supports it, or a CPU whose oneDNN kernels compute in bf16."""
    import torch

    if device == "cuda":
        return torch.cuda.is_bf16_supported()
    from workbench.engine.training.precision_probe import cpu_bf16_supported

    return cpu_bf16_supported()


def matmul_gflops(device: str = "cpu", seconds: float = 2.0, dtype_name: str | None = None, n: int | None = None) -> float:
    """Sustained square-matmul speed: fp32 1024x1024 on the CPU, bf16 4096x4096 on a GPU, unless told."""
    import torch

    dtype_name = dtype_name or ("bf16" if device == "cuda" else "fp32")
    dtype = torch.bfloat16 if dtype_name == "bf16" else torch.float32
    n = n or (4096 if device == "cuda" else 1024)
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    out = torch.empty(n, n, device=device, dtype=dtype)
    for _ in range(3):  # warm up: thread pool, caches, clocks
        torch.mm(a, b, out=out)
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    sync()
    count, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for _ in range(4):
            torch.mm(a, b, out=out)
        sync()
        count += 4
    return 2 * n**3 * count / (time.perf_counter() - t0) / 1e9


def peak_gflops(device: str, dtype_name: str) -> float:
    """The best of two square sizes (small ones under-use bf16 units), one second each."""
    sizes = (4096, 8192) if device == "cuda" else (1024, 2048)
    return max(matmul_gflops(device, 1.0, dtype_name, n) for n in sizes)


class RssSampler:
    """Peak resident memory of this process during a phase (ru_maxrss cannot be reset)."""

    def __init__(self, interval_s: float = 0.05) -> None:
        self.interval_s = interval_s
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def rss_bytes() -> int:
        try:
            return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.peak = max(self.peak, self.rss_bytes())

    def __enter__(self) -> RssSampler:
        self.peak = self.rss_bytes()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss_bytes())

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 2**20, 1)


def gemm_seconds_per_real_token(model: Any, tokens: int, real_share: float, device: str, seconds: float = 2.0,
                                dtype_name: str = "fp32") -> float:
    """Time of the forward and both backward matrix multiplies of every ``nn.Linear`` in
    ``model`` for a batch of ``tokens`` rows, per real (non-padding) token, in the precision
    the training used (bf16 autocast multiplies bf16 copies of the weights)."""
    import torch

    dtype = torch.bfloat16 if dtype_name == "bf16" else torch.float32
    shapes = [tuple(m.weight.shape) for m in model.modules() if isinstance(m, torch.nn.Linear)]

    def rand(*shape: int) -> Any:
        return torch.randn(*shape, device=device, dtype=dtype)

    mats = [(rand(tokens, i), rand(o, i), rand(tokens, o)) for o, i in shapes]
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)

    def step() -> None:
        for x, w, dy in mats:
            torch.mm(x, w.t())  # forward
            torch.mm(dy, w)  # gradient of the input
            torch.mm(dy.t(), x)  # gradient of the weight

    step()
    sync()
    count, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        sync()
        count += 1
    return (time.perf_counter() - t0) / count / (tokens * real_share)
