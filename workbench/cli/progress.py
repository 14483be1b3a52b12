"""A dependency-free progress bar for the trainer's events, drawn on stderr."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from workbench.engine.formatting import format_duration
from workbench.engine.tasks.registry import summary_metric_names
from workbench.engine.training.events import (
    CheckpointSaved,
    EvalDone,
    Event,
    Paused,
    Status,
    StepLogged,
    TrainBegin,
    TrainCancelled,
    TrainFailed,
    TrainFinished,
)

_WIDTH = 28
# Redraw at most this often: a tiny model can take thousands of steps a second.
_MIN_REDRAW_S = 0.1


def _main_metrics(metrics: dict) -> str:
    # Events do not say their task: every task's figures (engine.tasks), those this run has.
    keys = ("eval_loss", *summary_metric_names())
    return "  ".join(f"{k[5:]}={metrics[k]:.4f}" for k in keys if isinstance(metrics.get(k), (int, float)))


class ProgressPrinter:
    def __init__(self, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.interactive = self.stream.isatty()
        self._last_draw = 0.0
        self._bar_open = False

    def _line(self, text: str) -> None:
        if self._bar_open:
            self.stream.write("\n" if not self.interactive else "\r\033[K")
            self._bar_open = False
        self.stream.write(text + "\n")
        self.stream.flush()

    def __call__(self, event: Event) -> None:
        if self.quiet:
            return
        if isinstance(event, Status):
            self._line(event.message)
        elif isinstance(event, TrainBegin):
            self._line(
                f"Training {event.num_parameters:,} parameters on {event.device}: "
                f"{event.num_train_examples:,} examples, {event.num_validation_examples:,} for validation, "
                f"{event.total_steps:,} steps" + (f" (resuming at step {event.start_step})" if event.start_step else "")
            )
        elif isinstance(event, StepLogged):
            now = time.monotonic()
            if now - self._last_draw < _MIN_REDRAW_S and event.step < event.total_steps:
                return
            self._last_draw = now
            filled = int(_WIDTH * event.step / max(event.total_steps, 1))
            bar = "#" * filled + "-" * (_WIDTH - filled)
            text = (
                f"[{bar}] {event.step}/{event.total_steps}  loss {event.loss:.4f}  "
                f"lr {event.learning_rate:.2e}  {event.samples_per_second:.0f} samples/s  "
                f"ETA {format_duration(event.eta_s)}"
            )
            if self.interactive:
                self.stream.write("\r\033[K" + text)
                self._bar_open = True
                self.stream.flush()
            elif event.step == event.total_steps or now - getattr(self, "_last_plain", 0) > 10:
                self._last_plain = now  # a log file gets a line every 10 s, not every step
                self._line(text)
        elif isinstance(event, EvalDone):
            self._line(f"step {event.step}: {_main_metrics(event.metrics)}")
        elif isinstance(event, CheckpointSaved):
            pass  # too frequent to be news; the run folder has them
        elif isinstance(event, Paused):
            self._line(f"paused at step {event.step}")
        elif isinstance(event, TrainCancelled):
            self._line(f"cancelled at step {event.step}; resume with --resume (checkpoint {event.checkpoint})")
        elif isinstance(event, TrainFailed):
            self._line(f"FAILED at step {event.step}: {event.message}")
        elif isinstance(event, TrainFinished):
            self._line(f"finished after {event.step} steps: {_main_metrics(event.summary)}")
