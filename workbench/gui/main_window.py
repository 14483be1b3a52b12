"""The main window: five panels as tabs, menus with shortcuts, a status line for the run.

Panels do not know each other; this window wires their signals together and
owns the one ``TrainConfig`` they fill in (the same config the CLI takes).
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, qVersion
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from workbench import __version__
from workbench.gui.app import DEMO_DATASET
from workbench.gui.panels.attention_panel import AttentionPanel
from workbench.gui.panels.compare_panel import ComparePanel
from workbench.gui.panels.dataset_panel import DatasetPanel
from workbench.gui.panels.evaluation_panel import EvaluationPanel
from workbench.gui.panels.model_panel import ModelPanel
from workbench.gui.panels.prediction_panel import PredictionPanel
from workbench.gui.panels.training_panel import TrainingPanel, shortcuts
from workbench.gui.panels.whatif_panel import WhatIfPanel
from workbench.gui.settings import Settings
from workbench.gui.workers import TaskRunner

TAB_NAMES = ("Dataset", "Model", "Training", "Prediction", "Attention", "Evaluation", "What-if", "Compare")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _warm_up() -> str:
    """Import the heavy libraries in the background (every worker does that first, see workers.py)."""
    import torch
    import transformers

    return f"torch {torch.__version__}, transformers {transformers.__version__}"


def _live_snapshot(control: Any) -> Any:
    """Runs in the prediction worker: the weights as of the trainer's next step boundary."""
    return control.fresh_snapshot(timeout=10.0)


class MainWindow(QMainWindow):
    def __init__(self, *, demo: bool = True, settings: Settings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Transformer Workbench")
        self.settings = settings or Settings()
        self._warmup = TaskRunner(self)
        self._closing = False

        self.dataset_panel = DatasetPanel()
        self.model_panel = ModelPanel(config_provider=self.current_config)
        self.training_panel = TrainingPanel(self.current_config)
        self.prediction_panel = PredictionPanel()
        self.attention_panel = AttentionPanel()
        self.evaluation_panel = EvaluationPanel()
        self.whatif_panel = WhatIfPanel()
        self.compare_panel = ComparePanel()
        self.tabs = QTabWidget()
        for name, panel in zip(TAB_NAMES, self.panels()):
            self.tabs.addTab(panel, name)
        self.setCentralWidget(self.tabs)

        self.status_label = QLabel("Idle")
        self.statusBar().addPermanentWidget(self.status_label, 1)
        self._build_menus()
        self._connect()
        self._restore(demo)
        QTimer.singleShot(0, self._on_window_shown)

    def panels(self) -> list[QWidget]:
        return [self.dataset_panel, self.model_panel, self.training_panel, self.prediction_panel,
                self.attention_panel, self.evaluation_panel, self.whatif_panel, self.compare_panel]

    def show_panel(self, name: str) -> None:
        self.tabs.setCurrentIndex(TAB_NAMES.index(name))

    # ---- the one config ----------------------------------------------------------------
    def current_config(self) -> Any:
        """The config the panels describe now; a fresh run folder under the workspace."""
        from workbench.engine.training.config import TrainConfig

        config = TrainConfig()
        self.dataset_panel.apply_to(config)
        self.model_panel.apply_to(config)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        config.output = str(self.settings.workspace() / f"{Path(config.model).name}-{stamp}")
        return config

    def problems(self) -> list[str]:
        return self.dataset_panel.problems() + self.model_panel.problems()

    # ---- menus -------------------------------------------------------------------------
    def _action(self, menu: Any, text: str, slot: Any, shortcut: QKeySequence | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        keys = shortcuts()
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "Open &dataset…", self._on_open_dataset, QKeySequence.StandardKey.Open,
                     "Open a CSV, TSV, JSONL, text, CoNLL or CoNLL-U file")
        self._action(file_menu, "Open &run…", self._on_open_run, "Ctrl+Shift+O",
                     "Show a run folder's curves and use its model for prediction")
        self.recent_menu = file_menu.addMenu("Recent datasets")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        run_menu = self.menuBar().addMenu("&Run")
        self.start_action = self._action(run_menu, "&Start", self._on_start, keys["start"], "Start training")
        self._action(run_menu, "&Pause / resume", self.training_panel._on_pause_clicked, keys["pause"])
        self._action(run_menu, "S&top", self.training_panel.stop, keys["stop"],
                     "Stop at the next step and save a checkpoint")
        self._action(run_menu, "Save &checkpoint now", self.training_panel.save_now, keys["save"])
        inspect_menu = self.menuBar().addMenu("&Inspect")
        self._action(inspect_menu, "&What if…", self._on_what_if, "Ctrl+I",
                     "Edit the sentence in the prediction panel and compare prediction, saliency and attention")
        view_menu = self.menuBar().addMenu("&View")
        for i, name in enumerate(TAB_NAMES):
            self._action(view_menu, name, lambda _=False, i=i: self.tabs.setCurrentIndex(i), f"Ctrl+{i + 1}")
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About", self._on_about)
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent("datasets"):
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.dataset_panel.open_file(p))
        self.recent_menu.setEnabled(bool(self.settings.recent("datasets")))

    # ---- wiring ------------------------------------------------------------------------
    def _connect(self) -> None:
        d, m, t, p, a, e, *_ = self.panels()
        d.task_suggested.connect(m.set_task)
        m.task_changed.connect(d.set_task)
        m.model_changed.connect(d.set_model_spec)
        m.max_length_changed.connect(d.set_max_length)
        d.dataset_loaded.connect(self._on_dataset_loaded)
        d.changed.connect(self._update_validity)
        m.changed.connect(self._update_validity)
        m.validity_changed.connect(lambda _problems: self._update_validity())
        t.state_changed.connect(self._on_training_state_changed)
        t.run_started.connect(self._on_training_run_started)
        t.run_finished.connect(self._on_training_run_finished)
        p.prediction_ready.connect(a.set_input)
        e.example_chosen.connect(self._on_evaluation_example_chosen)

    def _update_validity(self) -> None:
        problems = self.problems()
        self.training_panel.set_blocked(problems)
        self.start_action.setEnabled(not problems and not self.training_panel.running)

    # ---- slots -------------------------------------------------------------------------
    def _on_window_shown(self) -> None:
        self._warmup.run(_warm_up, on_result=lambda text: self.statusBar().showMessage(f"Ready: {text}", 5000))

    def _on_open_dataset(self) -> None:
        self.show_panel("Dataset")
        self.dataset_panel.open_dialog()

    def _on_open_run(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Open a run folder")
        if folder:
            self.open_run(folder)

    def open_run(self, folder: str) -> None:
        """Overlay a run's curves; if it has a final model, predict and inspect with it."""
        self.training_panel.open_run(folder)
        self.show_panel("Training")
        if (Path(folder) / "model" / "config.json").is_file() and not self.training_panel.running:
            self.prediction_panel.set_model(folder)
            self.evaluation_panel.set_model(folder)
        self.settings.add_recent("runs", folder)

    def _offer_comparison(self, output: str) -> None:
        config_path = Path(output) / "config.json"
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        checkpoints = sorted((Path(output) / "checkpoints").glob("step-*"))
        if checkpoints:  # the earliest checkpoint kept vs the final model
            self.compare_panel.set_models(str(checkpoints[0]), output)
        if config.get("validation"):
            self.compare_panel.set_data(str(config["validation"]))

    def _on_what_if(self) -> None:
        """Open the sentence of the prediction panel (and its model) in the what-if panel."""
        predictor = self.prediction_panel.predictor
        if predictor is None or predictor.task != "classification":
            self.statusBar().showMessage("What-if needs a classification model in the prediction panel.", 5000)
            return
        self.whatif_panel.set_predictor(predictor)
        self.whatif_panel.set_original(self.prediction_panel.text())
        self.show_panel("What-if")

    def _on_evaluation_example_chosen(self, predictor: Any, text: str) -> None:
        """From a row of the evaluation table to its prediction, saliency and attention."""
        self.prediction_panel.set_predictor(predictor)
        self.prediction_panel.set_text(text)
        self.show_panel("Prediction")

    def _on_dataset_loaded(self, bundle: Any) -> None:
        path = str(getattr(bundle.train, "source", "") or "")
        if path and Path(path).resolve() != DEMO_DATASET:
            self.settings.add_recent("datasets", path)
            self._update_recent_menu()
        self._update_validity()

    def _on_start(self) -> None:
        self.show_panel("Training")
        self.training_panel.start()

    def _on_training_state_changed(self, text: str) -> None:
        self.status_label.setText(text[:1].upper() + text[1:])
        self.start_action.setEnabled(not self.training_panel.running and not self.problems())

    def _on_training_run_started(self, control: Any) -> None:
        config = self.current_config()
        self.settings.set_last_config(config.to_dict())
        self.model_panel.set_recent_models(self.settings.add_recent("models", config.model))
        self.prediction_panel.set_live_source(lambda c=control: _live_snapshot(c))
        self.start_action.setEnabled(False)

    def _on_training_run_finished(self, status: str, output: str) -> None:
        self.prediction_panel.set_live_source(None)
        if status == "finished" and output and not self._closing:
            self.prediction_panel.set_model(output)
            self.evaluation_panel.set_model(output)
            # Compare the fine-tuned model with the one it started from.
            self._offer_comparison(output)
            self.settings.add_recent("runs", output)
        if status == "error" and self.training_panel.last_error and not self._closing:
            box = QMessageBox(QMessageBox.Icon.Warning, "Training failed", self.training_panel.last_error,
                              QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()  # window-modal, does not block the event loop
        self._update_validity()

    def _on_about(self) -> None:
        QMessageBox.about(
            self,
            "About Transformer Workbench",
            f"<b>Transformer Workbench</b> {__version__}<br>"
            f"torch {_version('torch')}<br>transformers {_version('transformers')}<br>"
            f"tokenizers {_version('tokenizers')}<br>Qt {qVersion()} (PySide6 {_version('PySide6-Essentials')})<br>"
            f"pyqtgraph {_version('pyqtgraph')}",
        )

    # ---- state between launches ----------------------------------------------------------
    def _restore(self, demo: bool) -> None:
        from workbench.engine.training.config import TrainConfig

        geometry = self.settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 860)
        self.tabs.setCurrentIndex(min(self.settings.current_tab(), len(TAB_NAMES) - 1))
        self.model_panel.set_recent_models(self.settings.recent("models"))
        last = self.settings.last_config()
        config = None
        if last:
            try:
                config = TrainConfig.from_dict(last)
            except Exception:  # noqa: BLE001 - a stale settings entry must never block start-up
                config = None
        if config is not None and config.data and Path(config.data).exists():
            self.dataset_panel.load_from(config)
            self.model_panel.load_from(config)
        elif demo:
            self.load_demo()
        self._update_validity()

    def load_demo(self) -> None:
        """The built-in demo: a small sentiment set and the first model available."""
        from workbench.engine.models.loading import installed_checkpoints
        from workbench.engine.training.config import TrainConfig

        installed = installed_checkpoints()
        config = TrainConfig(
            data=str(DEMO_DATASET),
            model=str(installed[0]) if installed else "bert-tiny",
            epochs=3,
            batch_size=16,
        )
        self.model_panel.load_from(config)
        self.dataset_panel.load_from(config)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.training_panel.running:
            answer = QMessageBox.question(
                self, "Training is running",
                "A run is in progress. Stop it at the next step, save a checkpoint and quit?\n"
                "(It can be resumed later with workbench train --resume.)",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self._closing = True
            self.status_label.setText("Stopping the run and saving a checkpoint…")
            deadline = time.monotonic() + 120
            self.training_panel.stop_and_wait(int((deadline - time.monotonic()) * 1000))
        self._closing = True
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_current_tab(self.tabs.currentIndex())
        self.settings.set_last_config(self.current_config().to_dict())
        self.settings.sync()
        for panel in self.panels():
            panel.shutdown()
        self._warmup.shutdown()
        self.statusBar().clearMessage()  # stops the status bar's message timer
        event.accept()
