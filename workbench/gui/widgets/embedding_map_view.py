"""The embedding map: the evaluation set as points in 2-D, coloured by what the model got right.

Compute embeds the Evaluation tab's examples with its model (the [CLS] vector or the mean of
the tokens of a chosen layer) and projects them with PCA or UMAP, in a worker with progress
and Cancel (``workbench.engine.inspection.embeddings``); the vectors are kept per model, data,
layer and pooling, so switching PCA and UMAP embeds nothing again (the engine's cache). The drawing, hover and
selections are ``MapScatter``'s (``map_scatter.py``).

A selection (box or lasso) lists its examples in a table; one opens in the prediction panel
(``example_chosen``) and the whole selection can be saved as a slice (``selection_saved``).
A typed sentence is embedded the same way (worker) and drawn as a star with its nearest
examples listed. "Compare with…" draws a second checkpoint's map of the same examples beside
the first, in the same colours; a selection in either is ringed in both.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.errors import WorkbenchError
from workbench.gui.dialog_folders import start_folder
from workbench.gui.i18n import translate
from workbench.gui.widgets.layout_boxes import column_box, row_layout
from workbench.gui.widgets.map_scatter import MapScatter
from workbench.gui.widgets.stoppable_task import ProgressRelay, StoppableTask, show_started
from workbench.gui.widgets.table_model import format_value
from workbench.gui.widgets.table_setup import setup_rows_view
from workbench.gui.workers import TaskRunner

NEIGHBOURS = 10  # nearest examples listed for a typed sentence
CONTINUOUS_STEPS = 32  # a continuous column is drawn in this many shades (one brush each)
_CATEGORY_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                     "#7f7f7f", "#bcbd22", "#17becf"]
_CORRECT_COLOURS = {True: "#2ca02c", False: "#d62728"}
_MISSING_COLOUR = "#c8c8c8"  # no value (NaN, not in the slice)
_SLICE_KEY = "slice:"  # colour choice "slice:NAME": that slice against the rest
_TOOLTIP_CHARS = 2000  # of an example's text (its cell shows format_value's few hundred)
_ERROR_STYLE = "QLabel { background: #ffe3e3; color: #8a1c1c; padding: 4px 8px; border-radius: 3px; }"


class MapCancelled(WorkbenchError):
    """Raised in the worker when Cancel was pressed (never shown: the result is dropped)."""


@dataclass(frozen=True)
class MapData:
    """One drawn map: the examples' facts, their vectors and where they landed on the plane."""

    table: Any  # workbench.engine.analysis.example_table.ExampleTable
    coords: np.ndarray  # float32 (N, 2)
    embeddings: Any = None  # engine Embeddings (None for a map drawn from coordinates alone)
    projection: Any = None  # engine Projection
    predictor: Any = None
    model: str = ""


@dataclass(frozen=True)
class Colouring:
    """Per-point colour codes into ``colours``, and what the legend says about them."""

    codes: np.ndarray  # int (N,)
    colours: list[str]
    legend: list[tuple[str, str, int]]  # categorical: (colour, name, count); empty when continuous
    value_range: tuple[float, float] | None = None  # continuous: the values the ends of the bar stand for


def umap_available() -> bool:
    return importlib.util.find_spec("umap") is not None


def categorical_colouring(values: Sequence[Any], names: dict[Any, str] | None = None) -> Colouring:
    """One colour per distinct value (sorted; ``names`` words a value for the legend)."""
    values = np.asarray(values, dtype=object)
    distinct, codes = np.unique(values.astype(str), return_inverse=True) if len(values) else ([], np.zeros(0))
    colours = [_CATEGORY_COLOURS[i % len(_CATEGORY_COLOURS)] for i in range(len(distinct))]
    counts = np.bincount(codes.astype(np.int64), minlength=len(distinct)) if len(values) else []
    names = names or {}
    legend = [(colours[i], names.get(str(v), str(v)), int(counts[i])) for i, v in enumerate(distinct)]
    return Colouring(np.asarray(codes, dtype=np.int64), colours, legend)


def correct_colouring(correct: np.ndarray, right: str, wrong: str) -> Colouring:
    flags = np.asarray(correct, dtype=bool)
    codes = np.where(flags, 0, 1).astype(np.int64)
    colours = [_CORRECT_COLOURS[True], _CORRECT_COLOURS[False]]
    legend = [(colours[0], right, int(flags.sum())), (colours[1], wrong, int((~flags).sum()))]
    return Colouring(codes, colours, legend)


def continuous_colouring(values: np.ndarray, steps: int = CONTINUOUS_STEPS) -> Colouring:
    """Viridis shades from the smallest to the largest value; NaN in grey (the last colour)."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    lo = float(values[finite].min()) if finite.any() else 0.0
    hi = float(values[finite].max()) if finite.any() else 1.0
    scaled = (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)
    codes = np.clip((np.nan_to_num(scaled) * steps).astype(np.int64), 0, steps - 1)
    codes[~finite] = steps
    lut = pg.colormap.get("viridis").getLookupTable(nPts=steps, alpha=False)
    colours = ["#%02x%02x%02x" % tuple(int(c) for c in rgb[:3]) for rgb in lut] + [_MISSING_COLOUR]
    return Colouring(codes, colours, [], (lo, hi))


def slice_colouring(n: int, indices: list[int], inside: str, outside: str) -> Colouring:
    """One slice's examples in colour, the rest grey. One slice at a time: slices overlap (every
    example is in a gold-label slice and a length slice), so "the first slice that holds it"
    would only ever show the first kind."""
    codes = np.ones(n, dtype=np.int64)
    codes[np.asarray([i for i in indices if 0 <= i < n], dtype=np.int64)] = 0
    colours = [_CATEGORY_COLOURS[1], _MISSING_COLOUR]
    counts = np.bincount(codes, minlength=2)
    legend = [(colours[0], inside, int(counts[0])), (colours[1], outside, int(counts[1]))]
    return Colouring(codes, colours, legend)


# ---- worker jobs (run in a TaskRunner's thread) ----------------------------------------------


def _map_job(
    outcome: Any,
    predictor: Any,
    model: str,
    layer: int,
    pooling: str,
    method: str,
    progress: Callable[[int, int], None],
    should_stop: Callable[[], bool],
) -> MapData:
    """Embed and project the outcome's examples with ``predictor`` (the engine caches the vectors
    per model, data, layer and pooling). ``predictor`` None: load ``model`` (a checkpoint to compare).
    """
    from workbench.engine.analysis.example_table import example_table
    from workbench.engine.inference import Predictor
    from workbench.engine.inspection.embeddings import EmbeddingStopped, embed_examples, project

    table = example_table(outcome)
    if predictor is None:
        predictor = Predictor.load(model)
    if should_stop():
        raise MapCancelled("cancelled")
    try:
        embeddings = embed_examples(predictor, outcome.examples, layer=layer, pooling=pooling,
                                    progress=progress, should_stop=should_stop)
    except EmbeddingStopped as stopped:
        raise MapCancelled("cancelled") from stopped
    if should_stop():
        raise MapCancelled("cancelled")
    projection = project(embeddings.vectors, method)
    coords = np.asarray(projection.coords, dtype=np.float32)
    return MapData(table, coords, embeddings, projection, predictor, model)


def _query_job(map_data: MapData, text: str, k: int) -> tuple[np.ndarray, list[tuple[int, float]]]:
    """A typed sentence: where it lands on the map, and its nearest examples (cosine)."""
    from workbench.engine.inspection.embeddings import embed_texts, nearest

    emb = map_data.embeddings
    query = np.asarray(embed_texts(map_data.predictor, [text], layer=emb.layer, pooling=emb.pooling))
    xy = np.asarray(map_data.projection.transform(query), dtype=np.float64)[0]
    return xy, [(int(i), float(s)) for i, s in nearest(emb.vectors, query[0], k=k)]


class MapSelectionModel(QAbstractTableModel):
    """The selected examples: row (file line), text, gold, predicted, confidence."""

    COLUMNS = ("row", "text", "gold", "predicted", "confidence")
    # Translated in headerData, so a language switch shows at the next repaint.
    HEADERS = (
        QT_TRANSLATE_NOOP("MapSelectionModel", "Row"),
        QT_TRANSLATE_NOOP("MapSelectionModel", "Text"),
        QT_TRANSLATE_NOOP("MapSelectionModel", "Gold"),
        QT_TRANSLATE_NOOP("MapSelectionModel", "Predicted"),
        QT_TRANSLATE_NOOP("MapSelectionModel", "Confidence"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.indices = np.zeros(0, dtype=np.int64)
        self.table: Any = None

    def set_rows(self, table: Any, indices: np.ndarray) -> None:
        self.beginResetModel()
        self.table = table
        self.indices = np.asarray(indices, dtype=np.int64)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802 - Qt's name
        return 0 if parent is not None and parent.isValid() else len(self.indices)

    def columnCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802 - Qt's name
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return translate("MapSelectionModel", self.HEADERS[section])
        return None

    def example_at(self, row: int) -> int:
        return int(self.indices[row])

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.table is None:
            return None
        example = int(self.indices[index.row()])
        column = self.COLUMNS[index.column()]
        # Capped: a 1 MB text laid out whole in a cell or a tooltip froze the window.
        if role == Qt.ItemDataRole.ToolTipRole and column == "text":
            return format_value(self.table.texts[example], _TOOLTIP_CHARS)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == "row":
            lines = self.table.lines
            return str(lines[example]) if example < len(lines) else str(example)
        if column == "text":
            return format_value(self.table.texts[example])
        values = self.table.columns.get(column)
        if values is None:
            return ""
        return f"{float(values[example]):.3f}" if column == "confidence" else str(values[example])


class EmbeddingMapView(QWidget):
    example_chosen = Signal(object, str)  # (Predictor, text): open it in the prediction panel
    selection_saved = Signal(str, list)  # (slice name, example indices)
    map_ready = Signal()  # a map (the first or the compared one) was drawn
    neighbours_ready = Signal()  # a typed sentence was placed and its neighbours listed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome: Any = None
        self.map: MapData | None = None
        self.compared: MapData | None = None
        self.slices: dict[str, list[int]] = {}
        self.selected = np.zeros(0, dtype=np.int64)
        self.query_point: np.ndarray | None = None
        self.query_neighbours: list[tuple[int, float]] = []
        # The map and the compared one: each job has a stop flag (embedding checks it between batches).
        self._map_task = StoppableTask(self)
        self._compare_task = StoppableTask(self)
        self._query_runner = TaskRunner(self)
        self._relay = ProgressRelay(self._on_progress, self)  # the bar shows the latest map job
        self._build()
        self.compare_plot.set_empty_hint(self.tr("Embedding the examples with the other checkpoint…"))
        self._show_outcome_status()
        self._update_controls()

    # ---- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_compute_row())
        layout.addLayout(self._build_view_row())
        self.banner = QLabel()
        self.banner.setStyleSheet(_ERROR_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.plot = MapScatter()
        self.compare_plot = MapScatter()
        self.compare_title = QLabel()
        self.close_compare_button = QToolButton()
        self.close_compare_button.setText(self.tr("Close comparison"))
        self.close_compare_button.clicked.connect(self.close_comparison)
        self.compare_box = column_box(row_layout((self.compare_title, 1), self.close_compare_button),
                                      self.compare_plot)
        self.compare_box.hide()
        self.plot_title = QLabel()
        maps = QSplitter(Qt.Orientation.Horizontal)
        maps.addWidget(column_box(self.plot_title, self.plot))
        maps.addWidget(self.compare_box)
        for scatter in (self.plot, self.compare_plot):
            scatter.selection_changed.connect(self._on_plot_selection_changed)
        # Esc anywhere in the view lets go of the selection, as in other tools that select by dragging.
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        clear.activated.connect(lambda: self._set_selection(np.zeros(0, dtype=np.int64)))
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.colour_bar = QLabel()
        self.colour_bar.setFixedSize(160, 12)
        self.colour_bar.hide()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(column_box((maps, 1), row_layout(self.colour_bar, (self.legend, 1))))
        split.addWidget(self._build_tables())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([500, 300])
        layout.addWidget(split, 1)

    def _build_compute_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.layer_spin = QSpinBox()
        self.layer_spin.setRange(-64, 64)
        self.layer_spin.setValue(-1)
        self.layer_spin.setToolTip(self.tr(
            "The hidden layer whose vectors are drawn: 0 is the embeddings, 1 the first layer; "
            "negative counts from the top (-1 = the last layer)."
        ))
        self.pooling_combo = QComboBox()
        self.pooling_combo.addItem(self.tr("CLS token"), "cls")
        self.pooling_combo.addItem(self.tr("Mean of tokens"), "mean")
        self.pooling_combo.setToolTip(self.tr("One vector per example: the first token's, or the mean of all its tokens."))
        self.method_combo = QComboBox()
        self.method_combo.addItem(self.tr("PCA"), "pca")
        self.method_combo.addItem(self.tr("UMAP"), "umap")
        if not umap_available():
            item = self.method_combo.model().item(1)
            item.setEnabled(False)
            item.setToolTip(self.tr("UMAP needs the umap-learn package: pip install umap-learn"))
            self.method_combo.setItemData(1, item.toolTip(), Qt.ItemDataRole.ToolTipRole)
        self.compute_button = QPushButton(self.tr("Compute"))
        self.compute_button.setToolTip(self.tr("Embed the evaluated examples with the model and draw them in 2-D."))
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(200)
        self.progress_bar.hide()
        self.status = QLabel()
        for label, widget in ((self.tr("Layer"), self.layer_spin), (self.tr("Pooling"), self.pooling_combo),
                              (self.tr("Method"), self.method_combo)):
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        for widget in (self.compute_button, self.cancel_button, self.progress_bar):
            row.addWidget(widget)
        row.addWidget(self.status, 1)
        return row

    def _build_view_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.colour_combo = QComboBox()
        # Its choices come with the first map: sized once while empty, it clipped "Correct or not".
        self.colour_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.colour_combo.currentIndexChanged.connect(self._update_colours)
        row.addWidget(QLabel(self.tr("Colour by")))
        row.addWidget(self.colour_combo)
        self.mode_group = QButtonGroup(self)
        for mode, text, tip in (
            ("pan", self.tr("Pan"), self.tr("Drag to pan, wheel to zoom.")),
            ("box", self.tr("Box"), self.tr("Drag a box to select (or Shift+drag in any mode).")),
            ("lasso", self.tr("Lasso"), self.tr("Draw around points to select them (or Ctrl+drag in any mode).")),
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setCheckable(True)
            button.setChecked(mode == "pan")
            button.setProperty("mode", mode)
            self.mode_group.addButton(button)
            row.addWidget(button)
        self.mode_group.buttonClicked.connect(lambda b: self.set_mode(str(b.property("mode"))))
        self.compare_button = QPushButton(self.tr("Compare with…"))
        self.compare_button.setToolTip(self.tr(
            "Draw the map of another checkpoint of the same examples beside this one: the run's "
            "base model, or one of its checkpoints (checkpoints/step-N)."
        ))
        self.compare_button.clicked.connect(self._on_compare_button_clicked)
        row.addWidget(self.compare_button)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Type a sentence…"))
        self.search_edit.setToolTip(self.tr("Press Enter: the sentence is placed on the map and its nearest examples listed."))
        self.search_edit.returnPressed.connect(lambda: self.search(self.search_edit.text()))
        row.addWidget(self.search_edit, 1)
        return row

    def _build_tables(self) -> QWidget:
        self.selection_model = MapSelectionModel(self)
        self.selection_view = QTableView()
        self.selection_view.setModel(self.selection_model)
        setup_rows_view(self.selection_view, stretch=1)
        self.selection_view.activated.connect(self._on_selection_view_activated)  # double-click, Enter
        self.selection_label = QLabel()
        self.save_slice_button = QPushButton(self.tr("Save as slice…"))
        self.save_slice_button.clicked.connect(self.save_selection)
        self.neighbours_table = QTableWidget(0, 3)
        self.neighbours_table.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Similarity"), self.tr("Text")])
        setup_rows_view(self.neighbours_table, stretch=2)
        self.neighbours_table.activated.connect(self._on_neighbours_table_activated)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(column_box(row_layout((self.selection_label, 1), self.save_slice_button),
                                   self.selection_view))
        split.addWidget(column_box(QLabel(self.tr("Nearest examples to the typed sentence")), self.neighbours_table))
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 1)
        return split

    # ---- public API ---------------------------------------------------------------------------

    def set_outcome(self, outcome: Any) -> None:
        """The Evaluation tab's latest ``EvalOutcome`` (None: nothing to draw)."""
        self.cancel()
        self._query_runner.cancel()
        self.outcome = outcome
        self.map = None
        self.close_comparison()
        self.plot.clear()
        self._set_selection(np.zeros(0, dtype=np.int64))
        self._clear_query()
        self._hide_banner()
        self._show_outcome_status()
        self._update_controls()

    def _show_outcome_status(self) -> None:
        if self.outcome is None:
            self.status.setText(self.tr("Evaluate a model in the Evaluation tab first."))
        else:
            self.status.setText(self.tr("Press Compute to draw the {count} evaluated examples.").format(
                count=len(self.outcome.examples)))

    def set_slices(self, slices: dict[str, list[int]]) -> None:
        """Named groups of examples: each joins the colour choices as "Slice: NAME"."""
        self.slices = {str(name): [int(i) for i in indices] for name, indices in slices.items()}
        self._fill_colour_choices()

    def add_selection(self, name: str, indices: list[int]) -> None:
        self.set_slices({**self.slices, name: list(indices)})

    def set_mode(self, mode: str) -> None:
        """What a plain drag does in both maps: "pan", "box" or "lasso"."""
        for scatter in (self.plot, self.compare_plot):
            scatter.mode = mode
        for button in self.mode_group.buttons():
            button.setChecked(button.property("mode") == mode)

    def compute(self) -> None:
        """Embed and project the outcome's examples (worker); the map is drawn when done."""
        if self.outcome is None:
            return
        self._start_map_job(self._map_task, self.outcome.predictor, str(getattr(self.outcome, "model", "")),
                            self._on_map_ready, self._show_error)

    def compare_with(self, spec: str) -> None:
        """Draw the map of the checkpoint ``spec`` (a model or run folder) beside the first (worker)."""
        if self.outcome is None or self.map is None:
            return
        self.compare_box.show()
        self.compare_title.setText(self.tr("{model} (loading…)").format(model=Path(spec).name or spec))
        self._start_map_job(self._compare_task, None, spec, self._on_compared_ready, self._on_compare_failed)

    def close_comparison(self) -> None:
        self._compare_task.cancel()
        self.compared = None
        self.compare_plot.clear()
        self.compare_box.hide()

    def show_map(self, map_data: MapData) -> None:
        """Draw ``map_data`` (computed here, or coordinates made elsewhere)."""
        self.map = map_data
        self._set_selection(np.zeros(0, dtype=np.int64))
        self._clear_query()
        self._fill_colour_choices(recolour=False)  # drawn with its colours just below
        colouring = self._colouring()
        self.plot.set_points(map_data.coords, colouring.codes, self._brushes(colouring), map_data.table.texts)
        self.plot_title.setText(self._map_title(map_data))
        self._update_legend(colouring)
        self._update_controls()

    def search(self, text: str) -> None:
        """Place ``text`` on the map and list its nearest examples (worker)."""
        text = text.strip()
        if not text or self.map is None or self.map.embeddings is None or self.map.predictor is None:
            return
        self.status.setText(self.tr("Embedding the sentence…"))
        self._query_runner.run(_query_job, self.map, text, NEIGHBOURS,
                               on_result=self._on_query_ready, on_error=self._show_error)

    def save_selection(self) -> None:
        """Ask a name and emit ``selection_saved`` with the selected examples."""
        if not len(self.selected):
            return
        name, ok = QInputDialog.getText(self, self.tr("Save as slice"), self.tr("Name of the slice:"),
                                        text=self.tr("map selection {n}").format(n=len(self.slices) + 1))
        name = name.strip()
        if ok and name:
            indices = [int(i) for i in self.selected]
            self.add_selection(name, indices)
            self.selection_saved.emit(name, indices)

    def cancel(self) -> None:
        """Stop computing the map and the compared one (their results are dropped)."""
        for task in (self._map_task, self._compare_task):
            task.cancel()
        self.status.setText("")
        self._update_controls()

    def shutdown(self) -> None:
        for task in (self._map_task, self._compare_task):
            task.stop_flag.set()  # both stop at once, then both are waited for
        for task in (self._map_task, self._compare_task, self._query_runner):
            task.shutdown()
        self.plot.shutdown()
        self.compare_plot.shutdown()

    # ---- workers --------------------------------------------------------------------------------

    def _start_map_job(self, task: StoppableTask, predictor: Any, model: str,
                       on_result: Callable[[MapData], None], on_error: Callable[[str], None]) -> None:
        self._hide_banner()
        layer, pooling, method = self.layer_spin.value(), self.pooling_combo.currentData(), self.method_combo.currentData()
        stop, _ = task.begin()  # the task's running job stops at its next batch
        progress = self._relay.callback()  # one bar for both maps: the latest job's progress
        show_started(self.progress_bar, self.status,
                     self.tr("Embedding {count} examples…").format(count=len(self.outcome.examples)))
        task.run(_map_job, self.outcome, predictor, model, layer, pooling, method, progress,
                 stop.is_set, on_result=on_result, on_error=on_error, on_finished=self._update_controls)
        self._update_controls()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)

    def _on_map_ready(self, data: MapData) -> None:
        self.show_map(data)
        drawn = len(data.coords)
        self.status.setText((self.tr("{count} example drawn.") if drawn == 1
                             else self.tr("{count} examples drawn.")).format(count=drawn))
        self.map_ready.emit()

    def _on_compared_ready(self, data: MapData) -> None:
        self.compared = data
        colouring = self._colouring()
        self.compare_plot.set_points(data.coords, colouring.codes, self._brushes(colouring), data.table.texts)
        self.compare_plot.highlight(self.selected)
        self.compare_title.setText(self._map_title(data))
        self.status.setText(self.tr("{model} drawn beside.").format(model=Path(data.model).name or data.model))
        self.map_ready.emit()

    def _on_compare_failed(self, message: str) -> None:
        self.compare_plot.clear()
        self.compare_box.hide()
        self._show_error(message)

    def _on_query_ready(self, result: tuple[np.ndarray, list[tuple[int, float]]]) -> None:
        xy, neighbours = result
        self.query_point, self.query_neighbours = np.asarray(xy), list(neighbours)
        self.plot.show_query(xy)
        self.plot.show_neighbours([i for i, _ in neighbours])
        table = self.map.table if self.map is not None else None
        self.neighbours_table.setRowCount(len(neighbours))
        for row, (example, similarity) in enumerate(neighbours):
            line = table.lines[example] if table is not None and example < len(table.lines) else example
            text = format_value(table.texts[example]) if table is not None else ""  # capped, as in the table
            for column, value in enumerate((str(line), f"{similarity:.3f}", text)):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, example)
                self.neighbours_table.setItem(row, column, item)
        self.status.setText(self.tr("The star is the typed sentence; its nearest examples are listed below."))
        self.neighbours_ready.emit()

    # ---- slots ----------------------------------------------------------------------------------

    def _on_plot_selection_changed(self, indices: np.ndarray) -> None:
        self._set_selection(indices)

    def _on_selection_view_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open_example(self.selection_model.example_at(index.row()))

    def _on_neighbours_table_activated(self, index: QModelIndex) -> None:
        item = self.neighbours_table.item(index.row(), 0)
        if item is not None:
            self._open_example(int(item.data(Qt.ItemDataRole.UserRole)))

    def _on_compare_button_clicked(self) -> None:
        start = str(getattr(self.outcome, "model", "") or "")
        checkpoints = Path(start) / "checkpoints"
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose another checkpoint of the same run"),
            start_folder(checkpoints, start),
        )
        if folder:
            self.compare_with(folder)

    # ---- updates --------------------------------------------------------------------------------

    def _open_example(self, example: int) -> None:
        if self.outcome is None or not 0 <= example < len(self.outcome.examples.texts):
            return
        predictor = self.map.predictor if self.map is not None and self.map.predictor is not None else self.outcome.predictor
        self.example_chosen.emit(predictor, self.outcome.examples.texts[example])

    def _set_selection(self, indices: np.ndarray) -> None:
        self.selected = np.unique(np.asarray(indices, dtype=np.int64))
        for scatter in (self.plot, self.compare_plot):
            scatter.highlight(self.selected)
        self.selection_model.set_rows(self.map.table if self.map is not None else None,
                                      self.selected if self.map is not None else np.zeros(0, dtype=np.int64))
        self._update_selection_label()
        self._update_controls()

    def _update_selection_label(self) -> None:
        count = len(self.selected)
        if not count:
            text = self.tr("Select examples with a box (Shift+drag) or a lasso (Ctrl+drag); Esc lets go.")
        elif count == 1:
            text = self.tr("1 example selected")
        else:
            text = self.tr("{count} examples selected").format(count=count)
        self.selection_label.setText(text)

    def retranslate(self) -> None:
        """After a language switch: what is formatted from state (legend, titles, the count)."""
        if self.map is not None:
            self._update_legend(self._colouring())
            self.plot_title.setText(self._map_title(self.map))
        if self.compared is not None:
            self.compare_title.setText(self._map_title(self.compared))
        self._update_selection_label()

    def _clear_query(self) -> None:
        self.query_point, self.query_neighbours = None, []
        self.plot.show_query(None)
        self.plot.show_neighbours([])
        self.neighbours_table.setRowCount(0)

    def _colour_choices(self) -> list[tuple[str, str]]:
        if self.map is None:
            return []  # nothing to colour: a choice kept from now would outlast the default ("correct")
        columns = self.map.table.columns
        choices = [
            ("gold", self.tr("Gold label")), ("predicted", self.tr("Predicted label")),
            ("correct", self.tr("Correct or not")), ("confidence", self.tr("Confidence")),
            ("loss", self.tr("Loss")), ("score", self.tr("Sentence score")), ("length", self.tr("Text length")),
        ]
        offered = [(key, text) for key, text in choices if key in columns]
        offered += [(f"{_SLICE_KEY}{name}", self.tr("Slice: {name}").format(name=name)) for name in self.slices]
        return offered

    def _fill_colour_choices(self, recolour: bool = True) -> None:
        current = self.colour_combo.currentData()
        self.colour_combo.blockSignals(True)
        self.colour_combo.clear()
        for key, text in self._colour_choices():
            self.colour_combo.addItem(text, key)
        found = self.colour_combo.findData(current) if current is not None else -1
        if found < 0:  # nothing chosen yet, or the chosen slice was removed: the default
            found = self.colour_combo.findData("correct")
        self.colour_combo.setCurrentIndex(max(found, 0))
        self.colour_combo.blockSignals(False)
        if recolour and self.map is not None:
            self._update_colours()

    def set_colour_by(self, key: str) -> None:
        found = self.colour_combo.findData(key)
        if found >= 0:
            self.colour_combo.setCurrentIndex(found)

    def _colouring(self) -> Colouring:
        n = len(self.map.coords) if self.map is not None else 0
        key = self.colour_combo.currentData()
        columns = self.map.table.columns if self.map is not None else {}
        name = key.removeprefix(_SLICE_KEY) if isinstance(key, str) and key.startswith(_SLICE_KEY) else None
        if name in self.slices:
            return slice_colouring(n, self.slices[name], name, self.tr("not in {name}").format(name=name))
        if key == "correct" and key in columns:
            return correct_colouring(columns[key], self.tr("correct"), self.tr("wrong"))
        if key in ("confidence", "loss", "score", "length") and key in columns:
            return continuous_colouring(columns[key])
        if key in columns:
            return categorical_colouring(columns[key])
        return Colouring(np.zeros(n, dtype=np.int64), [_CATEGORY_COLOURS[0]], [])

    @staticmethod
    def _brushes(colouring: Colouring) -> list[QBrush]:
        return [QBrush(QColor(c)) for c in colouring.colours]

    def _update_colours(self) -> None:
        if self.map is None:
            return
        colouring = self._colouring()
        brushes = self._brushes(colouring)
        self.plot.set_colours(colouring.codes, brushes)
        if self.compared is not None:
            self.compare_plot.set_colours(colouring.codes, brushes)
        self._update_legend(colouring)

    def _update_legend(self, colouring: Colouring) -> None:
        if colouring.value_range is not None:
            lo, hi = colouring.value_range
            stops = ", ".join(f"stop:{i / (len(colouring.colours) - 2):.3f} {c}"
                              for i, c in enumerate(colouring.colours[:-1]))
            self.colour_bar.setStyleSheet(
                f"QLabel {{ background: qlineargradient(x1:0, y1:0, x2:1, y2:0, {stops}); }}")
            self.colour_bar.show()
            self.legend.setText(self.tr("{low} (dark) to {high} (yellow)").format(low=f"{lo:.3g}", high=f"{hi:.3g}"))
            return
        self.colour_bar.hide()
        self.legend.setText("&nbsp;&nbsp;".join(
            f'<span style="color:{colour}">■</span>&nbsp;{_escape(name)} ({count})'
            for colour, name, count in colouring.legend
        ))

    def _map_title(self, data: MapData) -> str:
        projection = data.projection
        method = (getattr(projection, "method", "") or "").upper()
        explained = getattr(projection, "explained", None)
        name = Path(data.model).name if data.model else ""
        if explained:
            return self.tr("{model} {method}: the axes explain {x} and {y} of the variance").format(
                model=name, method=method, x=f"{explained[0]:.0%}", y=f"{explained[1]:.0%}")
        return f"{name} {method}".strip()

    def _update_controls(self) -> None:
        busy = self._map_task.busy or self._compare_task.busy
        has_outcome = self.outcome is not None
        self.compute_button.setEnabled(has_outcome and not busy)
        self.cancel_button.setEnabled(busy)
        if not busy:
            self.progress_bar.hide()
        has_map = self.map is not None and self.map.embeddings is not None
        self.compare_button.setEnabled(has_map and not busy)
        self.colour_combo.setEnabled(self.map is not None)
        self.plot.set_empty_hint(self._empty_hint(self._map_task.busy))
        self.search_edit.setEnabled(has_map)
        self.save_slice_button.setEnabled(bool(len(self.selected)))

    def _empty_hint(self, computing: bool) -> str:
        """What the empty map says: what to do to get one."""
        if self.outcome is None:
            return self.tr("No map yet.\nEvaluate a model in the Evaluation tab, then press Compute here: "
                           "its examples are drawn as points in 2-D, coloured by what the model got right.")
        if computing:
            return self.tr("Embedding the {count} examples… the map appears here when they are done.").format(
                count=len(self.outcome.examples))
        return self.tr("No map yet.\nPress Compute to draw the {count} evaluated examples in 2-D "
                       "(choose the layer, pooling and method first).").format(count=len(self.outcome.examples))

    def _show_error(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.show()
        self.status.setText("")
        self._update_controls()

    def _hide_banner(self) -> None:
        self.banner.hide()


def _escape(text: str) -> str:
    import html

    return html.escape(str(text))
