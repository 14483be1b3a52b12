"""Understand the data and the model: the embedding map, slices, bias probes and label errors.

Each tab is a widget of its own (``widgets/embedding_map_view.py``, ``slices_view.py``,
``probes_view.py``, ``label_errors_view.py``), each running its engine work in workers. The panel
hands them the last evaluation of the Evaluation tab (``EvalOutcome``: the model, the examples and
their per-example predictions) and the data and model the other panels hold, and passes on their
requests: open an example in the prediction panel, train on a cleaned file.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from workbench.gui.widgets.embedding_map_view import EmbeddingMapView
from workbench.gui.widgets.label_errors_view import LabelErrorsView
from workbench.gui.widgets.probes_view import ProbesView
from workbench.gui.widgets.slices_view import SlicesView


class AnalysisPanel(QWidget):
    example_chosen = Signal(object, str)  # (Predictor, text): open it in the prediction panel
    retrain_requested = Signal(str)  # a cleaned data file: load it in the dataset panel and train

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.map_view = EmbeddingMapView()
        self.slices_view = SlicesView()
        self.probes_view = ProbesView()
        self.label_errors_view = LabelErrorsView()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.map_view, self.tr("Embedding map"))
        self.tabs.addTab(self.slices_view, self.tr("Slices"))
        self.tabs.addTab(self.probes_view, self.tr("Bias probes"))
        self.tabs.addTab(self.label_errors_view, self.tr("Label errors"))
        self.tabs.setToolTip(self.tr(
            "Where the model fails and why: its examples as a map, groups of examples compared, "
            "predictions with swapped terms, and training rows that look mislabeled."
        ))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        for view in self.views():
            view.example_chosen.connect(self.example_chosen)
        self.map_view.selection_saved.connect(self.slices_view.add_selection)
        self.slices_view.slices_changed.connect(self.map_view.set_slices)  # the map colours by slice
        self.label_errors_view.retrain_requested.connect(self.retrain_requested)

    def views(self) -> list[Any]:
        return [self.map_view, self.slices_view, self.probes_view, self.label_errors_view]

    def set_outcome(self, outcome: Any) -> None:
        """The Evaluation tab's latest ``EvalOutcome`` (None: the model or the data changed)."""
        for view in self.views():
            view.set_outcome(outcome)

    def set_sources(self, data_path: str | None, model_spec: str | None) -> None:
        """The training file and the model the other panels hold: the label-error search starts from them."""
        self.label_errors_view.set_sources(data_path, model_spec)

    def shutdown(self) -> None:
        for view in self.views():
            view.shutdown()
