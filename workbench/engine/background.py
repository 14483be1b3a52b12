"""Runs that outlive the window: start ``workbench train`` as a separate process.

The GUI writes the run's ``config.json`` first and starts::

    python -m workbench train --config RUN/config.json --output RUN --quiet
    python -m torch.distributed.run --nproc-per-node N -m workbench train ...   (several local GPUs)

in a new session (POSIX) or a new process group (Windows), with stdout and stderr
in ``RUN/process.log``, so closing the window (or the terminal it came from) does
not end the run. ``RUN/process.json`` records the pid, the start time and the
command, written atomically, so a later window can tell whether the run still
lives and follow its ``metrics.jsonl`` again. Stopping goes through the portable
``RUN/STOP`` file (``training/stop_file.py``).

Every other training process says the same of itself: the trainer calls
``record_training_process`` once it has made the run folder (``workbench train`` in a
terminal, the app's in-process run) and ``release_training_process`` when the run
ends, so a follower tells a dead process from a slow one at once, without waiting for
the file to stop changing. Only folders written by older versions lack the record.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench.engine.errors import CheckpointError, ConfigError
from workbench.engine.runs import CONFIG_FILE, atomic_write_json, read_json_object
from workbench.engine.training.stop_file import remove_stop_request

PROCESS_FILE = "process.json"
PROCESS_LOG = "process.log"

# Popen objects of the processes this interpreter started, by pid: a finished child
# stays a zombie (its pid still "exists") until it is waited for, so for our own
# children poll() is the only true answer.
_CHILDREN: dict[int, subprocess.Popen] = {}


@dataclass(frozen=True)
class ProcessInfo:
    """What ``RUN/process.json`` holds about the process training in a run folder."""

    pid: int
    started: float  # time.time() when it was launched
    command: list[str]
    nproc: int = 1
    host: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def cuda_device_count() -> int:
    """CUDA devices this process may use, without importing torch when it is not loaded yet.

    The GUI asks on the main thread (to offer torchrun only with two GPUs or more),
    where importing torch would freeze the window for seconds.
    """
    torch = sys.modules.get("torch")
    if torch is not None:
        try:
            return int(torch.cuda.device_count())
        except Exception:  # noqa: BLE001 - a broken driver means no GPU to offer
            return 0
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    driver = Path("/proc/driver/nvidia/gpus")  # Linux: one entry per GPU the driver sees
    found = len(list(driver.iterdir())) if driver.is_dir() else 0
    if visible is not None:
        ids = [v for v in visible.split(",") if v.strip() and not v.strip().startswith("-")]
        return min(len(ids), found) if found else 0
    return found


def train_command(run_dir: str | Path, *, nproc: int = 1, resume: bool = False, checkpoint: str | None = None,
                  python: str | None = None) -> list[str]:
    """The command line that trains (or resumes, from ``checkpoint`` or the latest) ``run_dir``."""
    run_dir = Path(run_dir)
    python = python or sys.executable
    if nproc < 1:
        raise ConfigError(f"processes: must be at least 1 (got {nproc})")
    launcher = [python]
    if nproc > 1:  # torchrun, spelled as a module so it is the same interpreter's torch
        launcher += ["-m", "torch.distributed.run", "--nproc-per-node", str(nproc)]
    if resume:
        args = ["--resume", str(run_dir), *(["--checkpoint", checkpoint] if checkpoint else [])]
    else:
        args = ["--config", str(run_dir / CONFIG_FILE), "--output", str(run_dir)]
    # --quiet: process.log gets the errors and the final lines, not a bar redrawn per step.
    return [*launcher, "-m", "workbench", "train", *args, "--quiet"]


def check_runnable_here(config: Any) -> None:
    """Refuse, before a process or a folder exists, the settings the trainer would refuse at
    its start on this machine (a device that is not here, bf16 on a CPU without bf16 units): the
    same rules, from the same functions, as a run inside the app. Auto's probe is left to the run."""
    from workbench.engine.training.setup import choose_device, precision_choice

    precision_choice(config.precision, choose_device(config.device), measure=False)


def launch_run(config: Any, *, nproc: int = 1, resume: bool = False, checkpoint: str | None = None,
               env: dict[str, str] | None = None, niceness: int = 0) -> ProcessInfo:
    """Start training ``config`` (a ``TrainConfig`` with ``output`` set) in a detached process.

    For ``resume`` the run folder must hold a checkpoint (``checkpoint``, a name such as
    ``step-0000040``, or the latest); its own ``config.json`` is used.
    Returns at once; the process writes the run folder as ``workbench train`` does.
    ``niceness`` > 0 runs it at a lower CPU priority (a window that launches it stays smooth).
    """
    import socket

    if not config.output:
        raise ConfigError("a background run needs an output folder (TrainConfig.output).")
    run_dir = Path(config.output)
    if resume:
        if not (run_dir / "checkpoints" / (checkpoint or "latest")).exists():
            raise CheckpointError(f"{run_dir}: no checkpoint to resume from (checkpoints/latest is missing).")
    else:
        config.validate()
        check_runnable_here(config)
        if (run_dir / "metrics.jsonl").exists():
            raise ConfigError(
                f"{run_dir} already holds a run. Choose another output folder, or resume that run."
            )
        run_dir.mkdir(parents=True, exist_ok=True)
        config.save(run_dir / CONFIG_FILE)
    live = read_process(run_dir)
    if live is not None and process_alive(live):
        raise ConfigError(f"{run_dir}: a process (pid {live.pid}) is already training this run.")
    remove_stop_request(run_dir)  # a stale request would stop the new process at its first step
    command = train_command(run_dir, nproc=nproc, resume=resume, checkpoint=checkpoint)
    child_env = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
    # The child imports the same workbench as this process, whatever folder the app started in.
    package_root = str(Path(__file__).resolve().parents[2])
    child_env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, child_env.get("PYTHONPATH")) if p)
    kwargs: dict[str, Any] = {}
    if os.name == "nt":
        # Its own process group and no console: closing the window's console does not end it.
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS
        if niceness > 0:
            kwargs["creationflags"] |= subprocess.BELOW_NORMAL_PRIORITY_CLASS
    else:
        kwargs["start_new_session"] = True  # no SIGHUP/SIGINT from the GUI's terminal
    started = time.time()
    with open(run_dir / PROCESS_LOG, "ab") as log:
        log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')}: {' '.join(command)}\n".encode())
        log.flush()
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            cwd=os.getcwd(), env=child_env, close_fds=True, **kwargs,
        )
    _CHILDREN[process.pid] = process
    if niceness > 0 and os.name != "nt":
        lower_cpu_priority(process.pid, niceness)  # before the child starts torch's threads, which inherit it
    info = ProcessInfo(process.pid, started, command, nproc, socket.gethostname())
    atomic_write_json(run_dir / PROCESS_FILE, info.to_dict())
    return info


def lower_cpu_priority(task_id: int, by: int) -> bool:
    """POSIX: set process ``task_id`` (on Linux also a thread's native id) to the caller's niceness
    plus ``by``, at most 19; the threads and processes it starts later inherit it. False when the
    system refuses (a sandbox) or the task is gone: it then just runs at full priority."""
    try:
        os.setpriority(os.PRIO_PROCESS, task_id, min(19, os.getpriority(os.PRIO_PROCESS, 0) + by))
    except OSError:
        return False
    return True


def _own_command() -> list[str]:
    """This process's command line as the system shows it (``process_alive`` compares the two)."""
    return _cmdline(os.getpid()) or [sys.executable, *sys.argv]


def _cmdline(pid: int) -> list[str] | None:
    """Linux: the command line of process ``pid``; None elsewhere, or for a process gone or hidden."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode(errors="replace") for part in raw.rstrip(b"\0").split(b"\0")] if raw else []


def record_training_process(run_dir: str | Path) -> ProcessInfo | None:
    """Write in ``RUN/process.json`` that this process trains the run; the record written, or None.

    Left as it is when it names a live process: the launcher's record of this very process, or
    torchrun's, whose workers this process is one of. ``release_training_process`` takes the
    record back at the run's end; a process killed before that leaves a record whose pid is
    dead, which is how a follower knows at once that the run crashed.
    """
    import socket

    run_dir = Path(run_dir)
    live = read_process(run_dir)
    if live is not None and (live.pid == os.getpid() or process_alive(live)):
        return None
    info = ProcessInfo(os.getpid(), time.time(), _own_command(), 1, socket.gethostname())
    try:
        atomic_write_json(run_dir / PROCESS_FILE, info.to_dict())
    except OSError:  # a read-only or full disk: the run still trains, followers judge by the writes
        return None
    return info


def release_training_process(run_dir: str | Path, info: ProcessInfo | None) -> None:
    """At a run's end: remove the record ``record_training_process`` wrote, if it is still ours
    (a newer process that took the run over keeps its own)."""
    if info is None:
        return
    path = Path(run_dir) / PROCESS_FILE
    current = read_process(run_dir)
    if current is not None and (current.pid, current.started) == (info.pid, info.started):
        try:
            path.unlink()
        except OSError:
            pass  # gone already, or a read-only disk: its pid is dead once this process ends


def read_process(run_dir: str | Path) -> ProcessInfo | None:
    """The ``process.json`` of a run folder, or None (none there, or unreadable)."""
    data, _problem = read_json_object(Path(run_dir) / PROCESS_FILE)
    if data is None:
        return None
    try:
        return ProcessInfo(int(data["pid"]), float(data["started"]), [str(c) for c in data["command"]],
                           int(data.get("nproc", 1)), str(data.get("host", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs (a zombie does not count)."""
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll() is None
    if pid <= 0:
        return False
    if os.name == "nt":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:  # Linux: a zombie has exited, only its entry is left
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _windows_pid_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return False
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def process_alive(info: ProcessInfo) -> bool:
    """Whether the process of ``info`` still trains: pid alive, and not a reused pid.

    Another host's pid says nothing here (a run folder on a shared disk): treated
    as not alive, the run's own files then tell its state.
    """
    if not same_host(info):
        return False
    if not pid_alive(info.pid):
        return False
    command = _cmdline(info.pid)
    if command is None:  # not Linux, or hidden from us: the pid alone says it
        return True
    # Linux: a pid reused by an unrelated program after ours ended names neither workbench nor
    # the recorded command (an in-process run's is the app's, or a test runner's).
    return not command or command == info.command or "workbench" in " ".join(command)


def same_host(info: ProcessInfo) -> bool:
    """Whether ``info`` describes a process of this machine (its pid means something here)."""
    import socket

    return not info.host or info.host == socket.gethostname()


def exit_code(pid: int) -> int | None:
    """The exit status of a process this interpreter started and that has ended, else None."""
    child = _CHILDREN.get(pid)
    return child.poll() if child is not None else None


def log_tail(run_dir: str | Path, max_chars: int = 2000) -> str:
    """The end of ``RUN/process.log``: what a crashed process said last."""
    path = Path(run_dir) / PROCESS_LOG
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(size - max_chars, 0))
            return handle.read().decode("utf-8", errors="replace").strip()
    except OSError:
        return ""


# How ``workbench`` reports a user error before exiting with code 2 (``workbench/cli/__init__.py``).
_CLI_ERROR_MARK = ": error: "


def failure_message(run_dir: str | Path) -> str | None:
    """The error a run's process reported in ``process.log`` before it exited, or None.

    A setting the engine refuses (bf16 on a CPU, a missing column) ends the process
    with one ``workbench train: error: ...`` paragraph before any metrics are written:
    that run failed, for a reason the user can read, rather than crashed.
    """
    tail = log_tail(run_dir, 4000)
    start = tail.rfind("workbench ")
    while start != -1:
        line_start = tail.rfind("\n", 0, start) + 1
        if line_start == start and _CLI_ERROR_MARK in tail[start:].split("\n", 1)[0]:
            return tail[start:].split(_CLI_ERROR_MARK, 1)[1].strip()
        start = tail.rfind("workbench ", 0, start)
    return None


def terminate(info: ProcessInfo, timeout: float = 10.0) -> bool:
    """End a run's process now (no checkpoint): for tests and a stuck process. True if it ended."""
    import signal

    child = _CHILDREN.get(info.pid)
    if info.pid == os.getpid():  # the app's own in-process run: never kill the window itself
        return False
    if not pid_alive(info.pid):
        return True
    try:
        if os.name == "nt":  # pragma: no cover
            os.kill(info.pid, signal.SIGTERM)
        else:
            try:
                os.killpg(info.pid, signal.SIGKILL)  # its own session: torchrun's workers go too
            except ProcessLookupError:  # not a group leader (started from a terminal): the process alone
                os.kill(info.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child is not None:
            try:
                child.wait(0.1)
            except subprocess.TimeoutExpired:
                continue
            return True
        if not pid_alive(info.pid):
            return True
        time.sleep(0.05)
    return not pid_alive(info.pid)
