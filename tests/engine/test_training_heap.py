"""heap.reuse_freed_memory: during a CPU run, a freed large tensor serves the next one without
page faults (the kernel zeroing every page of a fresh mmap is what it saves).

In a fresh interpreter: how a long-lived process's heap answers depends on everything it
allocated before (a free chunk left by an earlier test serves 40 MB without an mmap).
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt only")

_PAGES_40MB = (40 << 20) // resource.getpagesize()

_PROBE = """
import json, resource, sys
import torch
from workbench.engine.training import heap

def faults_of_reuse():
    # Zeroing 40 MB right after 48 MB were freed: a step's pattern (MiniLM's word-embedding
    # gradient alone is 47 MB).
    freed = torch.zeros(48 << 18)
    del freed
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    again = torch.zeros(40 << 18)
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    del again
    return faults

with heap.reuse_freed_memory(torch.device(sys.argv[1])):
    inside = faults_of_reuse()
after = faults_of_reuse()
print(json.dumps({"inside": inside, "after": after}))
"""


def _faults(device: str) -> dict[str, int]:
    done = subprocess.run([sys.executable, "-c", _PROBE, device], capture_output=True, text=True, timeout=120,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_freed_tensors_are_reused_during_a_cpu_run_and_the_usual_thresholds_come_back_after() -> None:
    faults = _faults("cpu")
    assert faults["inside"] < _PAGES_40MB // 10
    assert faults["after"] > _PAGES_40MB // 2  # glibc's usual: a fresh mmap, every page faults in


def test_other_devices_leave_the_allocator_alone() -> None:
    assert _faults("meta")["inside"] > _PAGES_40MB // 2
