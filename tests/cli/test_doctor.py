"""``workbench doctor``: every check reported with a status, the fixes it derives, offline in seconds."""

from __future__ import annotations

import json
import shutil
import socket
from collections import namedtuple
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.engine.system_check import (
    OK,
    PROBLEM,
    WARNING,
    cpu_flags,
    disk_check,
    display_check,
    font_check,
    hub_check,
    install_commands,
    linux_family,
    missing_libraries,
    qt_libraries_check,
    torch_checks,
)

CHECKS = {"installation", "qt-libraries", "display", "cjk-font", "torch", "gpu", "cpu", "disk", "memory", "hub",
          "checkpoints"}
PLUGIN = Path("/venv/lib/python3.11/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so")

# ldd on PySide6's libqxcb.so on a Debian 12 machine without libxcb-icccm4 and
# libxcb-keysyms1 (shortened): Qt's own error message blamed libxcb-cursor0 there.
LDD_DEBIAN_MISSING = """\
\tlinux-vdso.so.1 (0x00007f027aacf000)
\tlibQt6XcbQpa.so.6 => /venv/lib/python3.11/site-packages/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f027a000000)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f027a971000)
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f027a91e000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f027a917000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f027a90f000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-randr.so.0 => /lib/x86_64-linux-gnu/libxcb-randr.so.0 (0x00007f0279de9000)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0278c1e000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f027aad1000)
"""


def test_doctor_json_reports_every_check_offline_without_touching_the_network(capsys, monkeypatch) -> None:
    def no_network(*args, **kwargs):
        raise AssertionError("the system check opened a connection although HF_HUB_OFFLINE=1")

    monkeypatch.setattr(socket, "create_connection", no_network)
    assert main(["doctor", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    checks = {c["name"]: c for c in report["checks"]}
    assert set(checks) == CHECKS
    for check in report["checks"]:
        assert check["status"] in (OK, WARNING, PROBLEM), check
        assert check["detail"], check
        if check["status"] == PROBLEM:
            assert check["fix"], f"a problem without a fix: {check}"
    # tests/conftest.py sets HF_HUB_OFFLINE=1: the hub line says so and nothing was probed.
    assert "offline" in checks["hub"]["detail"]
    assert report["facts"]["hub"]["reachable"] is None
    # The raw facts are the real ones.
    import torch

    assert report["facts"]["torch"]["version"] == torch.__version__
    assert checks["torch"]["status"] == OK
    assert Path(report["facts"]["workbench"]["demo"]).is_file()
    assert "zh_CN" in report["facts"]["workbench"]["translations"]
    assert checks["installation"]["status"] == OK


def test_doctor_text_marks_each_line_and_exits_0_with_problems(capsys) -> None:
    assert main(["doctor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    marked = [i for i, line in enumerate(lines) if line.startswith(("OK ", "WARNING ", "PROBLEM "))]
    assert len(marked) == len(CHECKS)
    for i in marked:
        assert ": " in lines[i]
        if lines[i].startswith("PROBLEM "):
            assert lines[i + 1].strip().startswith("fix: "), lines[i + 1]


def test_ldd_parsing_lists_each_missing_library_once() -> None:
    assert missing_libraries(LDD_DEBIAN_MISSING) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert missing_libraries(LDD_DEBIAN_MISSING.replace("not found", "/usr/lib/x.so (0x1)")) == []


def test_qt_check_names_the_missing_libraries_and_the_packages_to_install() -> None:
    check = qt_libraries_check(LDD_DEBIAN_MISSING, [PLUGIN], "debian")
    assert check.status == PROBLEM
    assert "libxcb-icccm.so.4" in check.detail and "libxcb-keysyms.so.1" in check.detail
    assert check.fix == "sudo apt install libxcb-icccm4 libxcb-keysyms1"
    assert qt_libraries_check(LDD_DEBIAN_MISSING, [PLUGIN], "fedora").fix == (
        "sudo dnf install xcb-util-wm xcb-util-keysyms"
    )
    both = qt_libraries_check(LDD_DEBIAN_MISSING, [PLUGIN], None).fix.splitlines()
    assert both == ["Debian/Ubuntu: sudo apt install libxcb-icccm4 libxcb-keysyms1",
                    "Fedora: sudo dnf install xcb-util-wm xcb-util-keysyms"]
    healthy = LDD_DEBIAN_MISSING.replace("=> not found", "=> /lib/x86_64-linux-gnu/lib.so (0x1)")
    assert qt_libraries_check(healthy, [PLUGIN], "debian").status == OK


def test_a_library_missing_from_the_table_is_still_listed_by_file_name() -> None:
    ldd = LDD_DEBIAN_MISSING + "\tlibfancy-xcb.so.7 => not found\n\tlibEGL.so.1 => not found\n"
    check = qt_libraries_check(ldd, [PLUGIN], "debian")
    assert "libfancy-xcb.so.7" in check.detail
    fix = check.fix.splitlines()
    assert fix[0] == "sudo apt install libxcb-icccm4 libxcb-keysyms1 libegl1"
    assert "libfancy-xcb.so.7" in fix[1]
    assert install_commands(["libfancy-xcb.so.7"], "debian")[1] == ["libfancy-xcb.so.7"]


@pytest.mark.parametrize(("os_release", "family"), [
    ('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n', "debian"),
    ('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n', "debian"),
    ('NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\n', "fedora"),
    ("ID=fedora\n", "fedora"),
    ("ID=arch\n", None),
    ("", None),
])
def test_linux_family_from_os_release(os_release: str, family: str | None) -> None:
    assert linux_family(os_release) == family


def test_cpu_flags_from_cpuinfo() -> None:
    cpuinfo = "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 avx512f avx512bw amx_tile amx_bf16\n\nprocessor\t: 1\n"
    assert cpu_flags(cpuinfo) == ["avx2", "avx512f", "amx_bf16", "amx_tile"]
    assert cpu_flags("processor\t: 0\nFeatures\t: fp asimd\n") == []


def test_display_check() -> None:
    assert display_check("Linux", {})[0].status == WARNING
    assert display_check("Linux", {"DISPLAY": ":0"})[0].status == OK
    assert display_check("Linux", {"WAYLAND_DISPLAY": "wayland-0"})[0].status == OK
    offscreen = display_check("Linux", {"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"})[0]
    assert offscreen.status == WARNING and "unset QT_QPA_PLATFORM" in offscreen.fix
    assert display_check("Darwin", {})[0].status == OK


def test_font_check() -> None:
    missing = font_check("Linux", "debian", [], None)[0]
    assert missing.status == WARNING and missing.fix == "sudo apt install fonts-noto-cjk"
    assert font_check("Linux", "fedora", [], [])[0].fix == "sudo dnf install google-noto-sans-cjk-fonts"
    assert "unknown" in font_check("Linux", None, None, None)[0].detail
    found = font_check("Linux", "debian", [], ["Noto Sans CJK SC"])[0]  # what Qt sees counts too
    assert found.status == OK and "Noto Sans CJK SC" in found.detail
    assert font_check("Darwin", None, None, None)[0].status == OK


def test_hub_check_says_offline_without_probing_and_probes_otherwise() -> None:
    def probe_must_not_run() -> bool:
        raise AssertionError("probed although offline")

    offline = hub_check({"HF_HUB_OFFLINE": "1"}, probe_must_not_run)[0]
    assert offline.status == OK and "offline" in offline.detail
    unreachable = hub_check({}, lambda: False)[0]
    assert unreachable.status == WARNING and "cannot be reached" in unreachable.detail and unreachable.fix
    assert hub_check({}, lambda: True)[0].status == OK


def test_disk_check_measures_the_nearest_existing_folder(tmp_path: Path, monkeypatch) -> None:
    check = disk_check([tmp_path / "runs" / "not-yet"])[0]
    assert check.status in (OK, WARNING, PROBLEM) and "GiB free" in check.detail
    Usage = namedtuple("Usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(10 * 2**30, 10 * 2**30 - 2**28, 2**28))
    low = disk_check([tmp_path / "runs"])[0]
    assert low.status == PROBLEM and "0.2 GiB free" in low.detail and low.fix


def test_the_engine_check_imports_no_qt() -> None:
    import subprocess
    import sys

    code = ("import sys, workbench.engine.system_check as s; s.run_checks(); "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "[]"


def test_torch_checks_list_the_cuda_devices(monkeypatch) -> None:
    import torch

    Props = namedtuple("Props", "name total_memory")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "get_device_properties", lambda i: Props(f"GPU {i}", 80 * 2**30))
    checks, facts = torch_checks("flags\t: fpu avx2 amx_tile amx_bf16\n")
    by_name = {c.name: c for c in checks}
    assert by_name["gpu"].status == OK and by_name["gpu"].detail == "CUDA: GPU 0 (80.0 GiB); GPU 1 (80.0 GiB)"
    assert facts["cuda_devices"] == [{"name": "GPU 0", "memory_gib": 80.0}, {"name": "GPU 1", "memory_gib": 80.0}]
    assert "amx_bf16" in by_name["cpu"].detail and "bfloat16 runs in hardware" in by_name["cpu"].detail
    assert facts["cpu_capability"] == torch.backends.cpu.get_cpu_capability()
