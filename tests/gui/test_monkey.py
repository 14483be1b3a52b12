"""A seeded monkey: the real main window under random actions, over a corpus of damaged files.

One ``random.Random(seed)`` picks every action and every value (tabs, buttons, menu entries,
texts typed, spin boxes at their limits, combo choices, files and run folders opened, tiny
training runs with start/pause/stop storms, language switches while training); the answers
of the file dialogs and questions, which the monkey patches, come from it too. Only what Qt's
timing forces varies between two runs of a seed (which buttons are enabled when a worker is
still busy, how many actions fit in the time).

It fails on an exception that reaches a worker's error path as "Unexpected error" or the
excepthook, a Qt critical message, a main-thread stall over 2 s (a 10 ms timer measures how
late it fires), a thread left after the window closed, and a run folder that ended neither
finished, cancelled with a checkpoint, nor failed with a message. On failure it prints the seed
and the last 20 actions. It always prints one summary line.

CI runs one seed for about a minute; ``pytest -m slow`` three seeds for ten minutes each.
``WORKBENCH_MONKEY_SECONDS`` and ``WORKBENCH_MONKEY_SEED`` override the length and the seed;
``WORKBENCH_MONKEY_TRACE=1`` prints each action (and Qt's warnings) to stderr as it happens.
"""

from __future__ import annotations

import logging
import os
import random
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED_DATA
from tests.gui.monkey_corpus import Corpus, build_corpus

CI_SECONDS = 50.0  # with the window, the corpus and the end: about a minute
SLOW_SECONDS = 600.0
CI_SEED = 2026
SLOW_SEEDS = (7, 1234, 99991)
MAX_GAP_S = 2.0  # a main-thread stall longer than this fails the test
_HISTORY = 20

# What the monkey types: empty, huge, Chinese, Arabic (right to left), emoji, control characters.
TEXTS = (
    "",
    "a quietly devastating film",
    "word " * 20_000,
    "这部电影的配乐非常动人，但剧情拖沓。",
    "كان الفيلم رائعا ولكن النهاية مخيبة للآمال",
    "😀🎬🍿 great! 👍🏽👨‍👩‍👧 \u200d\ufe0f",
    "mixed 中文 العربية emoji 🤖 and \t tabs \n newlines",
    "\x00\x01\x7f control \ufffd",
    "   ",
    "-1",
    "1e309",
    "../../../../etc/passwd",
)


def _seconds(default: float) -> float:
    return float(os.environ.get("WORKBENCH_MONKEY_SECONDS", default))


def _seed(default: int) -> int:
    return int(os.environ.get("WORKBENCH_MONKEY_SEED", default))


def _short_traceback(kind: Any, value: Any, tb: Any) -> str:
    """The traceback with every line cut to 300 characters (the monkey types 100,000 of them)."""
    import traceback

    lines = "".join(traceback.format_exception(kind, value, tb)).splitlines()
    return "\n".join(line if len(line) <= 300 else line[:300] + " …" for line in lines)


class Watch:
    """Everything that fails the run, recorded as it happens (with the actions that led there)."""

    def __init__(self, history: deque[str]) -> None:
        self.history = history
        self.problems: list[str] = []
        self.max_gap_s = 0.0
        self.qt_warnings = 0
        self._last_tick = 0.0
        self._timer: Any = None
        self._saved: dict[str, Any] = {}
        self._log_handler: logging.Handler | None = None

    def _fail(self, what: str) -> None:
        last = self.history[-1] if self.history else "(before the first action)"
        self.problems.append(f"{what}  [during: {last[:200]}]")

    # ---- install / uninstall ---------------------------------------------------------
    def install(self) -> None:
        from PySide6.QtCore import QTimer, qInstallMessageHandler

        self._saved["excepthook"] = sys.excepthook
        self._saved["threading_excepthook"] = threading.excepthook
        sys.excepthook = lambda kind, value, tb: self._fail(
            "uncaught exception: " + _short_traceback(kind, value, tb))
        threading.excepthook = lambda args: self._fail(
            f"uncaught exception in thread {args.thread.name if args.thread else '?'}: "
            + _short_traceback(args.exc_type, args.exc_value, args.exc_traceback))
        previous: list[Any] = [None]

        def on_message(kind: Any, context: Any, message: str) -> None:
            from PySide6.QtCore import QtMsgType

            if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
                self._fail(f"Qt critical message: {message}")
            elif kind == QtMsgType.QtWarningMsg:
                self.qt_warnings += 1
                if os.environ.get("WORKBENCH_MONKEY_TRACE"):
                    sys.__stderr__.write(f"Qt warning: {message[:200]}\n")
            if previous[0] is not None:
                previous[0](kind, context, message)

        previous[0] = qInstallMessageHandler(on_message)
        self._saved["qt_handler"] = previous[0]
        self._saved["qt_on_message"] = on_message  # kept alive while installed

        watch = self

        class UnexpectedErrors(logging.Handler):
            """workers.Worker logs every exception that is not a WorkbenchError ("Unexpected error")."""

            def emit(self, record: logging.LogRecord) -> None:
                first = record.getMessage().strip().splitlines()
                watch._fail(f"unexpected error in a worker: {first[0] if first else ''} … "
                            f"{first[-1] if len(first) > 1 else ''}")

        self._log_handler = UnexpectedErrors(logging.ERROR)
        logging.getLogger("workbench.gui.workers").addHandler(self._log_handler)

        from PySide6.QtCore import Qt

        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._last_tick = time.perf_counter()
        self._timer.start(10)
        # Where the main thread is when it stalls: a stall's report names the code, not just the action.
        self._main_ident = threading.get_ident()
        self._stall_stack = ""
        self._watching = True
        self._watcher = threading.Thread(target=self._watch_main_thread, name="monkey-stall-watch", daemon=True)
        self._watcher.start()

    def _watch_main_thread(self) -> None:
        import traceback

        while self._watching:
            time.sleep(0.25)
            if time.perf_counter() - self._last_tick > MAX_GAP_S * 0.75 and not self._stall_stack:
                # Every thread: a main thread inside Qt's C++ may be waiting for a worker's lock.
                names = {t.ident: t.name for t in threading.enumerate()}
                self._stall_stack = "\n".join(
                    f"  [{names.get(ident, ident)}]\n" + "".join(traceback.format_stack(frame)[-6:])
                    for ident, frame in sys._current_frames().items() if ident != threading.get_ident())

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self._last_tick - 0.010
        self._last_tick = now
        if gap > self.max_gap_s:
            self.max_gap_s = gap
        if gap > MAX_GAP_S:
            self._fail(f"the main thread stalled for {gap:.2f} s; it was in:\n{self._stall_stack}")
        self._stall_stack = ""
        from PySide6.QtWidgets import QApplication

        popup = QApplication.activePopupWidget()
        if popup is not None:  # a menu the monkey opened by accident would wait for a click forever
            self.history.append(f"  closed a popup {type(popup).__name__}")
            popup.close()

    def stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
            self._watching = False
            self._watcher.join()

    def uninstall(self) -> None:
        from PySide6.QtCore import qInstallMessageHandler

        self.stop_timer()
        qInstallMessageHandler(self._saved.get("qt_handler"))
        sys.excepthook = self._saved.get("excepthook", sys.__excepthook__)
        threading.excepthook = self._saved.get("threading_excepthook", threading.__excepthook__)
        if self._log_handler is not None:
            logging.getLogger("workbench.gui.workers").removeHandler(self._log_handler)


class Monkey:
    """Picks and performs random actions on one main window."""

    def __init__(self, window: Any, corpus: Corpus, rng: random.Random, qtbot: Any, scratch: Path) -> None:
        self.w = window
        self.corpus = corpus
        self.rng = rng
        self.qtbot = qtbot
        self.scratch = scratch
        self.history: deque[str] = deque(maxlen=_HISTORY)
        self.counts: Counter[str] = Counter()
        self.actions = 0
        self.answer_yes_at_close = False
        self.close_s = 0.0
        self.actions_table: list[tuple[int, Callable[[], str]]] = [
            (10, self.switch_tab), (14, self.click_button), (8, self.trigger_menu), (8, self.type_line),
            (4, self.type_text), (8, self.spin_limit), (6, self.pick_combo), (6, self.open_data_file),
            (5, self.open_run_folder), (3, self.overlay_run), (4, self.runs_select), (3, self.train),
            (3, self.storm), (4, self.switch_language), (3, self.dismiss_dialogs), (6, self.wait),
        ]
        self._weights = [weight for weight, _ in self.actions_table]
        # File › Quit closes the window mid-run: the end of the run does that, once.
        self.quit_action = next(a for m in window.menuBar().actions() if m.menu() is not None
                                for a in m.menu().actions() if a.text() == window.tr("&Quit"))
        # Every run folder a run of this window wrote to (the workspace may change meanwhile).
        self.run_folders: list[Path] = []
        window.training_panel.run_started.connect(self._on_run_started)

    def _on_run_started(self, _control: Any) -> None:
        output = self.w.training_panel.output_dir
        if output and Path(output) not in self.run_folders:
            self.run_folders.append(Path(output))

    # ---- the patched dialogs (their answers come from the same seed) -------------------
    def patch_dialogs(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

        rng = self.rng
        saves = self.scratch / "saved"
        saves.mkdir(exist_ok=True)

        def open_file(*_a: Any, **_k: Any) -> tuple[str, str]:
            choice = rng.choice([*map(str, self.corpus.all_files()), ""])
            self.history.append(f"  file dialog -> {Path(choice).name or 'cancel'}")
            return choice, ""

        def folder(*_a: Any, **_k: Any) -> str:
            options = [*map(str, self.corpus.run_folders), *map(str, self._own_runs()),
                       *map(str, self.corpus.other_folders), ""]
            choice = rng.choice(options)
            self.history.append(f"  folder dialog -> {Path(choice).name or 'cancel'}")
            return choice

        def save_file(*_a: Any, **_k: Any) -> tuple[str, str]:
            choice = rng.choice([str(saves / f"out-{rng.randrange(1000)}.csv"), str(saves / "out.png"), ""])
            self.history.append(f"  save dialog -> {Path(choice).name or 'cancel'}")
            return choice, ""

        def question(*_a: Any, **_k: Any) -> Any:
            yes = self.answer_yes_at_close or rng.random() < 0.5
            self.history.append(f"  question -> {'yes' if yes else 'no'}")
            return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No

        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(open_file))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_file))
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(folder))
        monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
        for name in ("about", "information", "warning", "critical"):
            monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Ok))
        monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *_a, **_k: ("monkey slice", True)))
        monkeypatch.setattr(QDialog, "exec", lambda _self: 0)  # a blocking dialog: cancelled at once
        monkeypatch.setattr(QMessageBox, "exec", lambda _self: int(QMessageBox.StandardButton.Cancel))

    # ---- the loop ------------------------------------------------------------------------
    def run(self, seconds: float, watch: Watch) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not watch.problems:
            _, action = self.rng.choices(self.actions_table, weights=self._weights)[0]
            self.actions += 1
            self.history.append(f"#{self.actions} {action.__name__}: …")
            try:
                detail = action()
            except Exception as exc:  # noqa: BLE001 - an app call that raised: a finding, with its context
                watch._fail(f"{action.__name__} raised " + _short_traceback(type(exc), exc, exc.__traceback__))
                detail = "raised"
            self.history[-1] = f"#{self.actions} {action.__name__}: {detail}"
            if os.environ.get("WORKBENCH_MONKEY_TRACE"):
                sys.__stderr__.write(f"{time.monotonic() - deadline + seconds:7.1f}s {self.history[-1][:160]}\n")
            self.counts[action.__name__] += 1
            self.qtbot.wait(self.rng.choice((0, 5, 20, 50, 100)))

    # ---- helpers -------------------------------------------------------------------------
    def _own_runs(self) -> list[Path]:
        return [folder for folder in self.run_folders if folder.is_dir()]

    def _widgets(self, kind: Any, usable: Callable[[Any], bool] = lambda _w: True) -> list[Any]:
        """The visible, enabled widgets of ``kind`` in the main window itself (not in its dialogs)."""
        return [x for x in self.w.findChildren(kind)
                if x.isVisible() and x.isEnabled() and x.window() is self.w and usable(x)]

    def _pick(self, items: list[Any]) -> Any:
        # Always one draw, whatever the list holds: the sequence of draws does not depend on timing.
        index = self.rng.randrange(1_000_000)
        return items[index % len(items)] if items else None

    @staticmethod
    def _name(widget: Any) -> str:
        text = getattr(widget, "text", lambda: "")() if hasattr(widget, "text") else ""
        return f"{type(widget).__name__}({(widget.objectName() or text or '')[:40]!r})"

    # ---- actions (each returns what it did, for the history) -------------------------------
    def switch_tab(self) -> str:
        from PySide6.QtWidgets import QTabWidget

        tabs = self._pick(self._widgets(QTabWidget))
        index = self.rng.randrange(64)
        if tabs is None or tabs.count() == 0:
            return "no tabs"
        tabs.setCurrentIndex(index % tabs.count())
        return f"{tabs.tabText(tabs.currentIndex())!r}"

    def click_button(self) -> str:
        from PySide6.QtWidgets import QAbstractButton

        t = self.w.training_panel
        # Start with the panels' (random) settings could train for hours: runs start in train().
        excluded = {id(t.start_button), id(t.background_check)}
        button = self._pick(self._widgets(QAbstractButton, lambda b: id(b) not in excluded))
        use_menu = self.rng.random() < 0.5
        entry = self.rng.randrange(1_000_000)  # drawn whether or not the button has a menu
        if button is None:
            return "no button"
        name = self._name(button)
        menu = button.menu() if hasattr(button, "menu") else None
        if menu is not None and (use_menu or not _clicks_without_menu(button)):
            # Clicking would pop the menu up in a nested event loop: choose from it instead.
            entries = [a for a in menu.actions() if a.isEnabled() and not a.isSeparator()]
            action = entries[entry % len(entries)] if entries else None
            if action is None:
                return f"{name}: an empty menu"
            text = action.text()  # before: the action may rebuild its menu and go
            action.trigger()
            return f"{name} › {text}"
        button.click()
        return name

    def trigger_menu(self) -> str:
        actions = []
        for menu_action in self.w.menuBar().actions():
            menu = menu_action.menu()
            for action in menu.actions() if menu is not None else []:
                if action.menu() is not None or action.isSeparator() or not action.isEnabled():
                    continue
                if action is self.w.start_action or action is self.quit_action:
                    continue
                if action in self.w.language_actions.values():
                    continue  # switch_language does that, and remembers it
                actions.append(action)
        action = self._pick(actions)
        if action is None:
            return "no action"
        text = action.text().replace("&", "")  # before: the action may rebuild its menu and go
        action.trigger()
        return text

    def type_line(self) -> str:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QLineEdit

        edit = self._pick(self._widgets(QLineEdit, lambda e: not e.isReadOnly()))
        text = self.rng.choice(TEXTS)
        enter = self.rng.random() < 0.5
        if edit is None:
            return "no line edit"
        name = self._name(edit)
        edit.setText(text)
        if enter:
            self.qtbot.keyClick(edit, Qt.Key.Key_Return)
        return f"{name} <- {text[:20]!r}{'…' if len(text) > 20 else ''} ({len(text)} chars){' + Enter' if enter else ''}"

    def type_text(self) -> str:
        from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

        edits = self._widgets(QPlainTextEdit, lambda e: not e.isReadOnly()) + self._widgets(
            QTextEdit, lambda e: not e.isReadOnly())
        edit = self._pick(edits)
        text = self.rng.choice(TEXTS)
        if edit is None:
            return "no text edit"
        edit.setPlainText(text)
        return f"{self._name(edit)} <- {text[:20]!r} ({len(text)} chars)"

    def spin_limit(self) -> str:
        from PySide6.QtWidgets import QAbstractSpinBox

        spin = self._pick(self._widgets(QAbstractSpinBox, lambda s: hasattr(s, "maximum") and not s.isReadOnly()))
        where = self.rng.choice(("min", "max", "max", "middle"))
        if spin is None:
            return "no spin box"
        value = {"min": spin.minimum(), "max": spin.maximum(),
                 "middle": (spin.minimum() + spin.maximum()) / 2}[where]
        spin.setValue(type(spin.value())(value))
        spin.editingFinished.emit()
        return f"{self._name(spin)} = {where} ({spin.value()})"

    def pick_combo(self) -> str:
        from PySide6.QtWidgets import QComboBox

        combo = self._pick(self._widgets(QComboBox, lambda c: c.count() > 0))
        index = self.rng.randrange(64)
        if combo is None:
            return "no combo"
        index %= combo.count()
        combo.setCurrentIndex(index)
        combo.activated.emit(index)
        return f"{self._name(combo)} = {combo.itemText(index)[:30]!r}"

    def open_data_file(self) -> str:
        path = self.rng.choice(self.corpus.all_files())
        self.w.dataset_panel.open_file(str(path))
        return path.name

    def open_run_folder(self) -> str:
        folder = self._pick([*self.corpus.run_folders, *self._own_runs(), *self.corpus.other_folders])
        self.w.open_run(str(folder))
        return folder.name

    def overlay_run(self) -> str:
        folder = self._pick([*self.corpus.run_folders, *self._own_runs()])
        self.w.training_panel.open_run(str(folder))
        return folder.name

    def runs_select(self) -> str:
        r = self.w.runs_panel
        refresh = self.rng.random() < 0.3
        picks = [self.rng.randrange(1000) for _ in range(self.rng.choice((1, 1, 2, 3)))]
        if refresh:
            r.refresh()
        rows = r.proxy.rowCount()
        if rows == 0:
            return "no runs listed"
        selection = r.table.selectionModel()
        selection.clearSelection()
        from PySide6.QtCore import QItemSelectionModel

        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for pick in picks:
            selection.select(r.proxy.index(pick % rows, 0), flags)
        return f"rows {[p % rows for p in picks]}{' after refresh' if refresh else ''}"

    def train(self, steps: int | None = None) -> str:
        """Start a tiny run (bert-tiny, a few steps) on the good data set, unless one runs."""
        from workbench.engine.training.config import TrainConfig

        steps = steps or self.rng.choice((5, 10, 20, 40))
        t = self.w.training_panel
        if t.running:
            return "a run is in progress"
        config = TrainConfig(data=str(self.corpus.good_data), model="bert-tiny", max_steps=steps, batch_size=8,
                             vocab_size=2000, max_length=64, eval_every=5, keep_checkpoints=2,
                             validation_fraction=0.2)
        self.w.model_panel.load_from(config)
        self.w.dataset_panel.load_from(config)
        try:
            self.qtbot.waitUntil(lambda: not self.w.problems() or t.running, timeout=30_000)
        except Exception:  # noqa: BLE001 - pytest-qt's TimeoutError: the monkey goes on
            return f"could not start: {self.w.problems()}"
        t.start()
        return f"started {steps} steps -> {Path(t.output_dir or '?').name}"

    def storm(self) -> str:
        """Pause, resume, stop, save, switch language and tabs in quick succession while a run trains."""
        t = self.w.training_panel
        ops = [self.rng.choice(("pause", "pause", "resume", "save", "stop", "language", "tab", "wait"))
               for _ in range(self.rng.randint(3, 15))]
        waits = [self.rng.choice((0, 5, 20, 100, 300)) for _ in ops]
        steps = self.rng.choice((10, 20, 40))  # drawn whether or not a run has to start
        started = ""
        if not t.running:
            started = self.train(steps) + "; "
        done = []
        for op, wait in zip(ops, waits):
            if op == "pause":
                t._on_pause_clicked()  # the Pause/Resume button's own slot (and the menu's)
            elif op == "resume":
                t.resume()
            elif op == "save":
                t.save_now()
            elif op == "stop":
                t.stop()
            elif op == "language":
                self.switch_language()
            elif op == "tab":
                self.switch_tab()
            done.append(op)
            self.qtbot.wait(wait)
        return started + " ".join(done)

    def switch_language(self) -> str:
        from workbench.gui import i18n

        code = self.rng.choice(sorted(i18n.LANGUAGES))
        self.w.set_language(code)
        return code

    def dismiss_dialogs(self) -> str:
        from PySide6.QtWidgets import QApplication, QDialog

        dialogs = [d for d in QApplication.topLevelWidgets() if isinstance(d, QDialog) and d.isVisible()]
        for dialog in dialogs:
            dialog.reject()
        return f"{len(dialogs)} closed"

    def wait(self) -> str:
        ms = self.rng.choice((50, 200, 500, 1500))
        self.qtbot.wait(ms)
        return f"{ms} ms"


# ---- the end of a run: every run folder's final state, threads ---------------------------
def run_outcome(folder: Path) -> tuple[str, bool]:
    """(final state, acceptable): finished, cancelled with a checkpoint, or failed with a message."""
    from workbench.engine import background
    from workbench.engine.run_index import ENDED, run_status, tail_records

    status = run_status(folder)
    records = tail_records(folder / "metrics.jsonl")
    if status == "cancelled":
        latest = folder / "checkpoints" / "latest"
        name = latest.read_text(encoding="utf-8").strip() if latest.is_file() else ""
        return status, bool(name) and (folder / "checkpoints" / name).is_dir()
    if status == "failed":
        failed = next((r for r in reversed(records) if r.get("event") == "failed"), {})
        return status, bool(str(failed.get("message") or "").strip() or background.failure_message(folder))
    return status, status in ENDED


def _clicks_without_menu(button: Any) -> bool:
    """A split button (the menu on its arrow): a click runs the button's own action."""
    from PySide6.QtWidgets import QToolButton

    return isinstance(button, QToolButton) and button.popupMode() == QToolButton.ToolButtonPopupMode.MenuButtonPopup


def _alive(thread: threading.Thread) -> bool:
    """Whether a thread still runs (a foreign thread Python saw once stays listed after it ends)."""
    native = getattr(thread, "native_id", None)
    if native is not None and Path(f"/proc/self/task/{native}").exists():
        return True
    return thread.is_alive() and not isinstance(thread, threading._DummyThread)  # type: ignore[attr-defined]


def run_monkey(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, seed: int,
               seconds: float) -> None:
    from PySide6.QtCore import QThreadPool

    from workbench.gui.main_window import MainWindow
    from workbench.gui.settings import Settings
    from workbench.gui.workers import ensure_heavy_imports, running_workers

    ensure_heavy_imports()  # before the clock starts: the first worker would do it anyway
    workspace = tmp_path / "runs"
    corpus = build_corpus(tmp_path / "corpus", workspace, SHARED_DATA if SHARED_DATA.is_dir() else None)
    threads_before = {t.ident for t in threading.enumerate()}
    settings = Settings()
    settings.set_workspace(workspace)
    window = MainWindow(demo=False, settings=settings)
    qtbot.addWidget(window)
    window.show()
    rng = random.Random(seed)
    monkey = Monkey(window, corpus, rng, qtbot, tmp_path)
    monkey.patch_dialogs(monkeypatch)
    watch = Watch(monkey.history)
    watch.install()
    started = time.monotonic()
    try:
        monkey.run(seconds, watch)
        # The end: the last run stops with a checkpoint (the event loop keeps turning meanwhile).
        t = window.training_panel
        if t.running:
            monkey.history.append("end: stop the run")
            t.resume()
            t.stop()
            try:
                qtbot.waitUntil(lambda: not t.running, timeout=180_000)
            except Exception:  # noqa: BLE001 - pytest-qt's TimeoutError
                watch._fail("the run did not stop within 180 s of Stop")
        monkey.dismiss_dialogs()
        watch.stop_timer()  # closing waits for the workers: a stall by design
        monkey.answer_yes_at_close = True
        monkey.history.append("end: close the window")
        closing = time.monotonic()
        window.close()
        monkey.close_s = time.monotonic() - closing
        qtbot.wait(50)
    finally:
        watch.uninstall()
    elapsed = time.monotonic() - started

    left = [w.thread.objectName() for w in running_workers()]
    if left:
        watch.problems.append(f"worker threads left after close: {left}")
    if QThreadPool.globalInstance().activeThreadCount():
        watch.problems.append(f"{QThreadPool.globalInstance().activeThreadCount()} QThreadPool task(s) left running")
    python_left = [t.name for t in threading.enumerate() if t.ident not in threads_before and _alive(t)]
    if python_left:
        watch.problems.append(f"threads left after close: {python_left}")
    states: Counter[str] = Counter()
    for folder in [f for f in monkey.run_folders if f.is_dir()]:  # Runs › Delete may have removed some
        state, ok = run_outcome(folder)
        states[state] += 1
        if not ok:
            watch.problems.append(f"run folder {folder.name} ended {state!r}: neither finished, cancelled with "
                                  "a checkpoint, nor failed with a message")

    summary = (f"monkey seed={seed}: {monkey.actions} actions in {elapsed:.0f} s, largest main-thread gap "
               f"{watch.max_gap_s * 1000:.0f} ms, run folders {dict(sorted(states.items())) or '{}'}, "
               f"{watch.qt_warnings} Qt warnings, closed in {monkey.close_s:.1f} s, problems {len(watch.problems)}")
    with capsys.disabled():  # shown even where pytest captures the output
        print("\n" + summary)
    if watch.problems:
        pytest.fail(
            f"monkey seed {seed} (rerun: WORKBENCH_MONKEY_SEED={seed}):\n  "
            + "\n  ".join(problem[:3000] for problem in watch.problems[:10])
            + "\nlast actions:\n  " + "\n  ".join(monkey.history), pytrace=False)


def test_monkey(qtbot, tmp_path, monkeypatch, capsys) -> None:
    """About a minute of random use (CI)."""
    run_monkey(qtbot, tmp_path, monkeypatch, capsys, _seed(CI_SEED), _seconds(CI_SECONDS))


@pytest.mark.slow
@pytest.mark.parametrize("seed", SLOW_SEEDS)
def test_monkey_long(qtbot, tmp_path, monkeypatch, capsys, seed: int) -> None:
    """Ten minutes per seed (``pytest -m slow``)."""
    run_monkey(qtbot, tmp_path, monkeypatch, capsys, _seed(seed) if "WORKBENCH_MONKEY_SEED" in os.environ else seed,
               _seconds(SLOW_SECONDS))
