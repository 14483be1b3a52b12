"""heap.reuse_freed_memory: during a CPU run, a freed large tensor serves the next one without
page faults (the kernel zeroing every page of a fresh mmap is what it saves)."""

from __future__ import annotations

import platform
import resource

import pytest
import torch

from workbench.engine.training import heap

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt only")

_PAGES_40MB = (40 << 20) // resource.getpagesize()


def _faults_of_reuse() -> int:
    """Minor page faults of zeroing 40 MB right after 48 MB were freed (a step's pattern:
    MiniLM's word-embedding gradient alone is 47 MB)."""
    freed = torch.zeros(48 << 18)  # float32: 4 bytes each
    del freed
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    again = torch.zeros(40 << 18)
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    del again
    return faults


def test_freed_tensors_are_reused_during_a_cpu_run_and_the_usual_thresholds_come_back_after() -> None:
    with heap.reuse_freed_memory(torch.device("cpu")):
        inside = _faults_of_reuse()
    after = _faults_of_reuse()  # glibc's usual: a fresh mmap, every page faults in
    assert inside < _PAGES_40MB // 10
    assert after > _PAGES_40MB // 2


def test_other_devices_leave_the_allocator_alone() -> None:
    with heap.reuse_freed_memory(torch.device("meta")):
        faults = _faults_of_reuse()
    assert faults > _PAGES_40MB // 2
