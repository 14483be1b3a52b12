"""The main window: ten panels as tabs, menus with shortcuts, a status line for the run.

The panels: Dataset, Tokenizer, Model, Training, Prediction, Attention, Evaluation,
What-if, Compare and Runs (``TAB_NAMES``). Panels do not know each other (none imports
another; what they share lives in ``workbench/gui/widgets/``, and
tests/engine/test_layers.py checks it); this window wires their signals together and
owns the one ``TrainConfig`` they fill in (the same config the CLI takes).
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, qVersion
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QTabWidget,
    QWidget,
)

from workbench import __version__
from workbench.engine.runs import default_run_name
from workbench.gui import i18n
from workbench.gui.app import DEMO_DATASET
from workbench.gui.panels.analysis_panel import AnalysisPanel
from workbench.gui.panels.attention_panel import AttentionPanel
from workbench.gui.panels.compare_panel import ComparePanel
from workbench.gui.panels.dataset_panel import DatasetPanel
from workbench.gui.panels.evaluation_panel import EvaluationPanel
from workbench.gui.panels.model_panel import ModelPanel
from workbench.gui.panels.prediction_panel import PredictionPanel
from workbench.gui.panels.runs_panel import RunsPanel
from workbench.gui.panels.tokenizer_panel import TokenizerPanel
from workbench.gui.panels.training_panel import RESUME_SHORTCUT, TrainingPanel, shortcuts
from workbench.gui.panels.whatif_panel import WhatIfPanel
from workbench.gui.retranslate import Retranslator
from workbench.gui.settings import Settings
from workbench.gui.tasks import view_for
from workbench.gui.workers import TaskRunner

# English names: the identifiers show_panel() and the tests use; the tabs show them translated.
TAB_NAMES = (
    QT_TRANSLATE_NOOP("MainWindow", "Dataset"),
    QT_TRANSLATE_NOOP("MainWindow", "Tokenizer"),
    QT_TRANSLATE_NOOP("MainWindow", "Model"),
    QT_TRANSLATE_NOOP("MainWindow", "Training"),
    QT_TRANSLATE_NOOP("MainWindow", "Prediction"),
    QT_TRANSLATE_NOOP("MainWindow", "Attention"),
    QT_TRANSLATE_NOOP("MainWindow", "Evaluation"),
    QT_TRANSLATE_NOOP("MainWindow", "Analysis"),
    QT_TRANSLATE_NOOP("MainWindow", "What-if"),
    QT_TRANSLATE_NOOP("MainWindow", "Compare"),
    QT_TRANSLATE_NOOP("MainWindow", "Runs"),
)


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


# How long closing mid-run waits for the run to stop and save its checkpoint before it closes anyway.
_CLOSE_DEADLINE_MS = 120_000


class MainWindow(QMainWindow):
    def __init__(self, *, demo: bool = True, settings: Settings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Transformer Workbench")  # the product's name: never translated
        self.settings = settings or Settings()
        self._warmup = TaskRunner(self)
        self._closing = False
        self._stopping_to_close = False  # closed mid-run: waiting for the run's checkpoint
        # Takes the texts to another language in place (View ▸ Language).
        self._retranslator = Retranslator(i18n.catalogues())

        self.dataset_panel = DatasetPanel()
        self.tokenizer_panel = TokenizerPanel()
        self.model_panel = ModelPanel(config_provider=self.current_config)
        self.training_panel = TrainingPanel(self.current_config)
        self.prediction_panel = PredictionPanel()
        self.attention_panel = AttentionPanel()
        self.evaluation_panel = EvaluationPanel()
        self.analysis_panel = AnalysisPanel()
        self.whatif_panel = WhatIfPanel()
        self.compare_panel = ComparePanel()
        self.runs_panel = RunsPanel(self.settings)
        self.tabs = QTabWidget()
        for name, panel in zip(TAB_NAMES, self.panels()):
            self.tabs.addTab(panel, self.tr(name))
        self.setCentralWidget(self.tabs)

        self.status_label = QLabel(self.tr("Idle"))
        self.statusBar().addPermanentWidget(self.status_label, 1)
        self._close_busy = self._build_close_indicator()
        self.statusBar().addPermanentWidget(self._close_busy)
        # Closing mid-run waits this long for the checkpoint, then closes anyway.
        self._close_deadline = QTimer(self)
        self._close_deadline.setObjectName("close_deadline")
        self._close_deadline.setSingleShot(True)
        self._close_deadline.timeout.connect(self.close)
        self._build_menus()
        self._connect()
        self._restore(demo)
        QTimer.singleShot(0, self._on_window_shown)

    def _build_close_indicator(self) -> QWidget:
        """A busy bar beside "Stopping the run and saving a checkpoint…": shown while a close waits for the run."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.close_label = QLabel(self.tr("Stopping the run and saving a checkpoint…"))
        self.close_progress = QProgressBar()
        self.close_progress.setRange(0, 0)  # busy: how long the save takes is not known
        self.close_progress.setMaximumWidth(120)
        self.close_progress.setTextVisible(False)
        row.addWidget(self.close_label)
        row.addWidget(self.close_progress)
        box.setToolTip(self.tr("The window closes once the checkpoint is saved. "
                               "Close it again to quit at once, without the checkpoint."))
        box.hide()
        return box

    def panels(self) -> list[QWidget]:
        return [self.dataset_panel, self.tokenizer_panel, self.model_panel, self.training_panel, self.prediction_panel,
                self.attention_panel, self.evaluation_panel, self.analysis_panel, self.whatif_panel, self.compare_panel,
                self.runs_panel]

    def show_panel(self, name: str) -> None:
        self.tabs.setCurrentIndex(TAB_NAMES.index(name))

    # ---- the one config ----------------------------------------------------------------
    def current_config(self) -> Any:
        """The config the panels describe now; a fresh run folder under the workspace."""
        from workbench.engine.training.config import TrainConfig

        config = TrainConfig()
        self.dataset_panel.apply_to(config)
        self.model_panel.apply_to(config)
        config.output = str(self.settings.workspace() / default_run_name(config.model))
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
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self._action(file_menu, self.tr("Open &dataset…"), self._on_open_dataset, QKeySequence.StandardKey.Open,
                     self.tr("Open a CSV, TSV, JSONL, text, CoNLL or CoNLL-U file"))
        self._action(file_menu, self.tr("Open &run…"), self._on_open_run, "Ctrl+Shift+O",
                     self.tr("Show a run folder's curves and use its model for prediction"))
        self.recent_menu = file_menu.addMenu(self.tr("Recent datasets"))
        file_menu.addSeparator()
        self.export_action = self._action(
            file_menu, self.tr("&Export model…"), self._on_export_model,
            tip=self.tr("Export a run's model to ONNX with its tokenizer, checked with ONNX Runtime"))
        from workbench.gui.dialogs.publish_dialog import open_publish_dialog

        self.publish_action = self._action(
            file_menu, self.tr("&Publish to the hub…"),
            lambda _=False: open_publish_dialog(self, self.settings.recent("runs")),
            tip=self.tr("Upload a run's model, tokenizer and model card to the Hugging Face hub"))
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        run_menu = self.menuBar().addMenu(self.tr("&Run"))
        self.start_action = self._action(run_menu, self.tr("&Start"), self._on_start, keys["start"],
                                         self.tr("Start training"))
        self._action(run_menu, self.tr("&Pause / resume"), self.training_panel._on_pause_clicked, keys["pause"])
        self._action(run_menu, self.tr("S&top"), self.training_panel.stop, keys["stop"],
                     self.tr("Stop at the next step and save a checkpoint"))
        self._action(run_menu, self.tr("Save &checkpoint now"), self.training_panel.save_now, keys["save"])
        self._action(run_menu, self.tr("&Resume stopped run"), self._on_resume_stopped_run,
                     RESUME_SHORTCUT, self.tr("Continue the run shown in the training panel from its latest "
                                              "checkpoint, with the settings it was started with"))
        inspect_menu = self.menuBar().addMenu(self.tr("&Inspect"))
        self._action(inspect_menu, self.tr("&What if…"), self._on_what_if, "Ctrl+I",
                     self.tr("Edit the sentence in the prediction panel and compare prediction, saliency and attention"))
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        for i, name in enumerate(TAB_NAMES):
            self._action(view_menu, self.tr(name), lambda _=False, i=i: self.tabs.setCurrentIndex(i),
                         f"Ctrl+{(i + 1) % 10}" if i < 10 else None)  # the tenth tab is Ctrl+0
        view_menu.addSeparator()
        self._build_language_menu(view_menu.addMenu(self.tr("&Language")))
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        from workbench.gui.dialogs.system_check_dialog import open_system_check

        self.system_check_action = self._action(
            help_menu, self.tr("&System check…"),
            lambda _=False: open_system_check(self, self.settings.workspace()),
            tip=self.tr("Check Qt's system libraries, fonts, torch and its devices, disk and the model hub"))
        self._action(help_menu, self.tr("&About"), self._on_about)
        self._update_recent_menu()

    def _build_language_menu(self, menu: Any) -> None:
        """One checkable entry per language, named in that language (so anyone finds their own)."""
        self.language_menu = menu
        group = QActionGroup(self)
        group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        chosen = self.settings.language() or i18n.current_language()
        for code, name in i18n.LANGUAGES.items():
            action = QAction(name, self)
            action.setCheckable(True)
            action.setChecked(code == chosen)
            tip = self.tr("Show the interface in {language}").format(language=name)
            action.setStatusTip(tip)
            action.setToolTip(tip)
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            group.addAction(action)
            menu.addAction(action)
            self.language_actions[code] = action

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent("datasets"):
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.dataset_panel.open_file(p))
        self.recent_menu.setEnabled(bool(self.settings.recent("datasets")))

    # ---- wiring ------------------------------------------------------------------------
    def _connect(self) -> None:
        d, tk, m, t, p, a, e, *_ = self.panels()
        d.dataset_loaded.connect(tk.set_dataset)  # the workshop's default corpus
        d.dataset_loaded.connect(m.set_dataset)  # rows and texts for the model advice and the catalogue
        d.task_suggested.connect(m.set_task)
        m.task_changed.connect(d.set_task)
        m.model_changed.connect(d.set_model_spec)
        m.max_length_changed.connect(d.set_max_length)
        d.dataset_loaded.connect(self._on_dataset_loaded)
        d.changed.connect(self._update_validity)
        # A load that ends (or fails) changes why Start is blocked without any edit.
        d.validity_changed.connect(lambda _problems: self._update_validity())
        m.changed.connect(self._update_validity)
        m.validity_changed.connect(lambda _problems: self._update_validity())
        t.state_changed.connect(self._on_training_state_changed)
        t.run_started.connect(self._on_training_run_started)
        t.run_finished.connect(self._on_training_run_finished)
        p.prediction_ready.connect(a.set_input)
        e.example_chosen.connect(self._on_evaluation_example_chosen)
        e.outcome_ready.connect(self.analysis_panel.set_outcome)
        self.analysis_panel.example_chosen.connect(self._on_evaluation_example_chosen)
        self.analysis_panel.retrain_requested.connect(self._on_retrain_requested)
        d.dataset_loaded.connect(lambda _bundle: self._update_analysis_sources())
        m.model_changed.connect(lambda _spec: self._update_analysis_sources())
        self.runs_panel.open_run_requested.connect(self.open_run)
        self.runs_panel.open_model_requested.connect(self._on_runs_open_model)
        self.runs_panel.resume_requested.connect(self._on_runs_resume)

    def _update_validity(self) -> None:
        problems = self.problems()
        self.training_panel.set_blocked(problems)
        self.start_action.setEnabled(not problems and not self.training_panel.running)

    # ---- slots -------------------------------------------------------------------------
    def _on_window_shown(self) -> None:
        if self._closing:  # closed before the event loop came round to this: no thread after close
            return
        self._warmup.run(_warm_up, on_result=lambda text: self.statusBar().showMessage(
            self.tr("Ready: {libraries}").format(libraries=text), 5000))

    def _on_open_dataset(self) -> None:
        self.show_panel("Dataset")
        self.dataset_panel.open_dialog()

    def _on_export_model(self) -> None:
        from workbench.gui.dialogs.export_dialog import open_export_dialog

        open_export_dialog(self, self.prediction_panel.model_edit.text().strip())  # the model in use

    def _on_open_run(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, self.tr("Open a run folder"))
        if folder:
            self.open_run(folder)

    def open_run(self, folder: str) -> None:
        """Overlay a run's curves; predict and inspect with its final model, else its newest checkpoint.

        A run that still trains in another process is followed live instead (re-attached).
        """
        from workbench.engine.run_index import RUNNING, run_status
        from workbench.gui.widgets.runs_model import status_text

        self.show_panel("Training")
        status = run_status(folder)
        if status == RUNNING and self.training_panel.attach(folder):
            self.settings.add_recent("runs", folder)
            return
        self.statusBar().showMessage(
            self.tr("{run}: {status}").format(run=Path(folder).name, status=status_text(status)), 10_000)
        self.training_panel.open_run(folder)
        if not self.training_panel.running:
            self._show_run_model(folder, status, just_ended=False)
        self.settings.add_recent("runs", folder)

    def _show_run_model(self, run: str, status: str, *, just_ended: bool) -> None:
        """Prediction and evaluation move to ``run``'s weights (its final model, else its newest
        checkpoint), and the prediction panel's model line says which."""
        from workbench.engine.run_index import model_spec
        from workbench.gui.panels.prediction_panel import run_model_origin
        from workbench.gui.widgets.runs_model import status_text

        spec = model_spec(run)
        if spec is not None:
            # just_ended: the model in use is unloaded at once, so a load that fails leaves none, not a stale one.
            self.prediction_panel.set_model(spec, origin=lambda: run_model_origin(spec, status),
                                            drop_current=just_ended)
            self.evaluation_panel.set_model(spec)
        elif just_ended:
            # The run saved no weights. The model in use is unloaded rather than kept: it may be a
            # snapshot of this very run (live prediction while it trained, perhaps the weights that
            # failed), or an earlier model whose predictions would pass for this run's. The line names
            # the earlier model, which the Runs tab (Open model) or Load brings back in one step.
            self.prediction_panel.clear_model(lambda: self.tr(
                "No model: {run} {status} before saving any checkpoint, so it has no weights to predict with."
            ).format(run=Path(run).name, status=status_text(status)))

    def _offer_comparison(self, output: str) -> None:
        from workbench.engine.runs import read_run_config

        config = read_run_config(output)
        if not config:
            return
        checkpoints = sorted((Path(output) / "checkpoints").glob("step-*"))
        if checkpoints:  # the earliest checkpoint kept vs the final model
            self.compare_panel.set_models(str(checkpoints[0]), output)
        if config.get("validation"):
            self.compare_panel.set_data(str(config["validation"]))

    def _on_runs_open_model(self, spec: str) -> None:
        """From the runs panel to prediction (and attention, which follows each prediction)."""
        from workbench.gui.panels.prediction_panel import run_model_origin

        self.prediction_panel.set_model(spec, origin=lambda: run_model_origin(spec))
        self.evaluation_panel.set_model(spec)
        self.show_panel("Prediction")

    def _on_resume_stopped_run(self) -> None:
        """Run ▸ Resume stopped run: the training panel's run; or why there is none to resume."""
        if not self.training_panel.can_resume:
            self.statusBar().showMessage(self.training_panel.resume_run_button.toolTip(), 10_000)
            return
        self.show_panel("Training")
        self.training_panel.resume_run()

    def _on_runs_resume(self, folder: str, checkpoint: str) -> None:
        """Runs tab › Resume: continue the run in the training panel (its own config, the panel's mode)."""
        if self.training_panel.running:
            self.statusBar().showMessage(
                self.tr("A run is in progress: stop it first, then resume {run}.").format(run=Path(folder).name),
                10_000)
            return
        self.show_panel("Training")
        self.training_panel.resume_run(folder, checkpoint or None)

    def _on_what_if(self) -> None:
        """Open the sentence of the prediction panel (and its model) in the what-if panel."""
        predictor = self.prediction_panel.predictor
        view = view_for(predictor.task) if predictor is not None else None
        if view is None or not view.explains:  # what-if compares saliency towards a label
            self.statusBar().showMessage(
                self.tr("What-if needs a classification model in the prediction panel."), 5000)
            return
        self.whatif_panel.set_predictor(predictor)
        self.whatif_panel.set_original(self.prediction_panel.text())
        self.show_panel("What-if")

    def _on_evaluation_example_chosen(self, predictor: Any, text: str) -> None:
        """From a row of the evaluation table to its prediction, saliency and attention."""
        self.prediction_panel.set_predictor(predictor)
        self.prediction_panel.set_text(text)
        self.show_panel("Prediction")

    def _update_analysis_sources(self) -> None:
        """The label-error search starts from the loaded training file and the chosen model."""
        bundle = self.dataset_panel.bundle
        path = str(getattr(getattr(bundle, "train", None), "source", "") or "") or None
        self.analysis_panel.set_sources(path, self.model_panel.model_spec or None)

    def _on_retrain_requested(self, path: str) -> None:
        """A cleaned data file (Analysis › Label errors): load it, then train from the Training tab."""
        self.dataset_panel.open_file(path)
        self.show_panel("Dataset")

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
        if control is not None:  # None: the run trains in another process (no live weights here)
            self.prediction_panel.set_live_source(lambda c=control: _live_snapshot(c))
        self.start_action.setEnabled(False)

    def _on_training_run_finished(self, status: str, output: str) -> None:
        self.prediction_panel.set_live_source(None)
        if output and not self._closing:
            # Whatever way the run ended, prediction moves to its weights or says it has none:
            # never an older model kept silently.
            self._show_run_model(output, "failed" if status == "error" else status, just_ended=True)
        if status == "finished" and output and not self._closing:
            # Compare the fine-tuned model with the one it started from.
            self._offer_comparison(output)
            self.settings.add_recent("runs", output)
        if status in ("error", "failed") and self.training_panel.last_error and not self._closing:
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Training failed"), self.training_panel.last_error,
                              QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            if fallback := self.training_panel.resume_fallback:  # the latest checkpoint is damaged
                button = box.addButton(self.tr("Resume from {checkpoint}").format(checkpoint=fallback),
                                       QMessageBox.ButtonRole.AcceptRole)
                button.setToolTip(self.tr("Continue the run from the newest checkpoint that is intact"))
                button.clicked.connect(self.training_panel.resume_from_fallback)
            box.open()  # window-modal, does not block the event loop
        self._update_validity()

    def _on_about(self) -> None:
        missing = self.tr("not installed")

        def version(package: str) -> str:
            found = _version(package)
            return missing if found == "not installed" else found

        QMessageBox.about(
            self,
            self.tr("About Transformer Workbench"),
            f"<b>Transformer Workbench</b> {__version__}<br>"
            f"torch {version('torch')}<br>transformers {version('transformers')}<br>"
            f"tokenizers {version('tokenizers')}<br>Qt {qVersion()} (PySide6 {version('PySide6-Essentials')})<br>"
            f"pyqtgraph {version('pyqtgraph')}",
        )

    # ---- interface language ----------------------------------------------------------------
    def set_language(self, code: str) -> None:
        """View ▸ Language: show ``code`` at once, in this window, and remember it.

        The window keeps everything it holds (models, texts, curves, results, selections)
        and running work goes on: only the texts change (see workbench/gui/retranslate.py).
        """
        if code not in i18n.LANGUAGES:
            raise ValueError(f"unknown interface language {code!r}; known: {', '.join(i18n.LANGUAGES)}")
        self.settings.set_language(code)
        self.settings.sync()
        self.language_actions[code].setChecked(True)
        before = i18n.current_language()
        if code == before:
            return
        self._retranslator.record(self, before)
        loaded = i18n.install_language(code)  # on failure it leaves English installed
        self._retranslator.apply()
        if not loaded:
            now = i18n.current_language()
            self.settings.set_language(now)
            self.language_actions[now].setChecked(True)
            self._inform(self.tr("Language"), self.tr(
                "The {language} translation ({path}) could not be loaded; the interface stays in {current}."
            ).format(language=i18n.LANGUAGES[code], path=str(i18n.catalogue(code)), current=i18n.LANGUAGES[now]))

    def retranslate(self) -> None:
        """After a language switch: the window's own texts formatted with values.

        (Called after the panels' retranslate(): the training panel's has sent its status
        for the status line, the dataset panel's has its messages in the new language.)
        """
        for code, action in self.language_actions.items():
            tip = self.tr("Show the interface in {language}").format(language=i18n.LANGUAGES[code])
            action.setStatusTip(tip)
            action.setToolTip(tip)
        self._update_validity()  # the reasons Start is blocked, in the new language

    def _inform(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal, does not block the event loop

    def _save_state(self) -> None:
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_current_tab(self.tabs.currentIndex())
        self.settings.set_last_config(self.current_config().to_dict())
        self.settings.sync()

    # ---- state between launches ----------------------------------------------------------
    def _restore(self, demo: bool) -> None:
        from workbench.engine.data.sources import split_sheet
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
        if config is not None and config.data and Path(split_sheet(config.data)[0]).exists():  # "book.xlsx#Sheet" too
            self.dataset_panel.load_from(config)
            self.model_panel.load_from(config)
        elif demo:
            self.load_demo()
        self._update_validity()

    def load_demo(self) -> None:
        """The built-in demo: a small sentiment set and the first model available."""
        from workbench.engine.models.loading import default_model
        from workbench.engine.training.config import TrainConfig

        config = TrainConfig(
            data=str(DEMO_DATASET),
            model=default_model(),  # the installed checkpoint, else bert-tiny: as the CLI and new configs
            epochs=3,
            batch_size=16,
        )
        self.model_panel.load_from(config)
        self.dataset_panel.load_from(config)

    def _stop_run_then_close(self) -> None:
        """Ask the run to stop at its next step and save a checkpoint; close when its worker ends.

        Saving takes seconds: the window stays responsive meanwhile (a busy indicator, the
        panels disabled so no new work starts), rather than block the main thread on the worker.
        """
        self._closing = True  # no "compare the models?" or failure dialog when the run ends
        self._stopping_to_close = True
        self.centralWidget().setEnabled(False)
        self.menuBar().setEnabled(False)
        self._close_busy.show()
        self.training_panel.run_finished.connect(self._close_after_run)
        self._close_deadline.start(_CLOSE_DEADLINE_MS)
        self.training_panel.stop()

    def _close_after_run(self, *_: Any) -> None:
        # After the worker's own slots have run (TaskRunner is still in its finished handler).
        QTimer.singleShot(0, self.close)

    def closeEvent(self, event: QCloseEvent) -> None:
        # A run in another process is not asked about: it trains on, and Open run follows it again.
        # A second close request while the run stops (or the deadline) quits without waiting for it:
        # the panel's shutdown then ends the run at its next step, without a checkpoint.
        if self.training_panel.running_in_process and not self._stopping_to_close:
            answer = QMessageBox.question(
                self, self.tr("Training is running"),
                self.tr("A run is in progress. Stop it at the next step, save a checkpoint and quit?\n"
                        "(To continue it later: in the app, Runs tab › Resume, or Training › Resume run; "
                        "on the command line, workbench train --resume {run}.)"
                        ).format(run=self.training_panel.output_dir or "RUN"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self._stop_run_then_close()
            event.ignore()  # closed for real once the worker has saved its checkpoint and ended
            return
        self._closing = True
        self._close_deadline.stop()
        self._save_state()
        for panel in self.panels():
            panel.shutdown()
        self._warmup.shutdown()
        self.statusBar().clearMessage()  # stops the status bar's message timer
        event.accept()
