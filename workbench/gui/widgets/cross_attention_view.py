"""An encoder-decoder's cross-attention: a (target, source) heatmap, an alignment view, and the
source coloured by integrated gradients of a clicked target token.

The view only draws: the attention panel computes the maps and the attributions in workers
(``engine.inspection.cross_attention``) and hands them over.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.inspection.cross_attention import (
    DEFAULT_IG_STEPS,
    IG_BASELINES,
    Seq2SeqAttention,
    SourceAttribution,
    alignment,
)
from workbench.gui.widgets.heatmap import AttentionHeatmap, label_step

ALIGNMENT_TOP = 2  # links drawn from each target token
_KEY = "cross_attention/"  # QSettings: the explanation's steps and baseline


class CrossAttentionHeatmap(AttentionHeatmap):
    """A (T_target, S_source) map: target tokens down the left, source tokens along the bottom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source: list[str] = []
        self.plot.setLabel("bottom", self.tr("source token (attended to)"))
        self.plot.setLabel("left", self.tr("generated token"))
        self.setToolTip(self.tr(
            "Each row is a generated token; each column a source token. Row t shows where the decoder\n"
            "looked while it produced token t (rows sum to 1). Scroll to zoom; hover a cell for its value."
        ))

    def set_cross(self, matrix: np.ndarray, target: Sequence[str], source: Sequence[str]) -> None:
        matrix = np.asarray(matrix, dtype=np.float32)
        if matrix.shape != (len(target), len(source)):
            raise ValueError(f"a ({len(target)}, {len(source)}) matrix is needed, got {matrix.shape}")
        reshape = self._matrix is None or self._matrix.shape != matrix.shape or list(target) != self._tokens \
            or list(source) != self._source
        self._matrix, self._tokens, self._source = matrix, list(target), list(source)
        self._update_empty()
        self.image.setImage(matrix, levels=(0.0, 1.0), autoLevels=False)
        rows, cols = matrix.shape
        self.image.setRect(QRectF(-0.5, -0.5, cols, rows))
        if reshape:
            self._x_axis.set_labels(self._source)
            self._y_axis.set_labels(self._tokens)
            self.view.setRange(xRange=(-0.5, cols - 0.5), yRange=(-0.5, rows - 0.5), padding=0)
        self._update_label_step()

    @property
    def source_tokens(self) -> list[str]:
        return list(self._source)

    def _update_label_step(self, *_: object) -> None:
        if self._tokens:
            step = label_step(self.view, self._y_axis)
            self._x_axis.set_step(step)
            self._y_axis.set_step(step)

    def _on_scene_mouse_moved(self, pos: QPointF) -> None:
        text = ""
        if self._matrix is not None and self.view.sceneBoundingRect().contains(pos):
            point = self.view.mapSceneToView(pos)
            col, row = round(point.x()), round(point.y())
            if 0 <= row < len(self._tokens) and 0 <= col < len(self._source):
                text = f"{self._tokens[row]} → {self._source[col]}: {self._matrix[row, col]:.3f}"
        self.readout.setText(text)
        self.hovered.emit(text)


class AlignmentView(QWidget):
    """Source tokens on top, generated tokens below; each generated token linked to the source
    tokens it attends to most (thicker and darker: more weight)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source: list[str] = []
        self._target: list[str] = []
        self.links: list[list[tuple[int, float]]] = []  # per target token: (source index, weight)
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip(self.tr("Each generated token (bottom) linked to the source tokens (top) it attends "
                                "to most, special tokens left out."))

    def set_alignment(self, source: Sequence[str], target: Sequence[str], links: list[list[tuple[int, float]]]) -> None:
        self._source, self._target, self.links = list(source), list(target), links
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(t) for t in [*self._source, *self._target]), default=10) + 12
        self.setMinimumWidth(min(2000, widest * max(len(self._source), len(self._target), 1)))
        self.update()

    def _positions(self, count: int) -> list[float]:
        step = self.width() / max(count, 1)
        return [step * (i + 0.5) for i in range(count)]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        if not self._source or not self._target:
            return
        metrics = QFontMetrics(self.font())
        top_y, bottom_y = metrics.height() + 6, self.height() - metrics.height() - 6
        xs_source, xs_target = self._positions(len(self._source)), self._positions(len(self._target))
        for t, links in enumerate(self.links):
            for s, weight in links:
                colour = QColor(31, 119, 180)
                colour.setAlphaF(float(min(1.0, 0.15 + weight)))
                painter.setPen(QPen(colour, 1.0 + 4.0 * weight))
                painter.drawLine(QPointF(xs_target[t], bottom_y), QPointF(xs_source[s], top_y))
        painter.setPen(QColor("#222"))
        for x, token in zip(xs_source, self._source):
            painter.drawText(QRectF(x - 60, 2, 120, metrics.height()), Qt.AlignmentFlag.AlignCenter, token)
        for x, token in zip(xs_target, self._target):
            painter.drawText(QRectF(x - 60, bottom_y + 4, 120, metrics.height()), Qt.AlignmentFlag.AlignCenter,
                             token)
        painter.end()


def attribution_html(tokens: Sequence[str], scores: np.ndarray) -> str:
    """Tokens as HTML spans, red for a positive attribution and blue for a negative one."""
    scale = float(np.max(np.abs(scores))) or 1.0
    spans = []
    for token, score in zip(tokens, scores):
        strength = min(1.0, abs(float(score)) / scale)
        rgb = (214, 39, 40) if score > 0 else (31, 119, 180)
        colour = f"rgba({rgb[0]}, {rgb[1]}, {rgb[2]}, {0.1 + 0.8 * strength:.2f})"
        spans.append(f'<span style="background-color: {colour}; padding: 2px;" title="{float(score):+.4f}">'
                     f"{html.escape(token)}</span>")
    return " ".join(spans)


class CrossAttentionView(QWidget):
    """Layer/head choosers, the cross-attention heatmap, the alignment, and the clickable output."""

    target_clicked = Signal(int)  # index of a generated token: explain it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._maps: Seq2SeqAttention | None = None
        self._matrix: np.ndarray | None = None
        self._rows: list[str] = []
        self._layer = QSpinBox()
        self._layer.setPrefix(self.tr("Layer "))
        self._layer.setToolTip(self.tr("Which decoder layer's cross-attention to show."))
        self._head = QSpinBox()
        self._head.setPrefix(self.tr("Head "))
        self._head.setToolTip(self.tr("Which cross-attention head of the layer to show."))
        self._mean = QCheckBox(self.tr("Mean over heads"))
        self._mean.setToolTip(self.tr("Average the cross-attention of all heads of the layer (rows still sum to 1)."))
        self._whole = QCheckBox(self.tr("Mean over output"))
        self._whole.setToolTip(self.tr(
            "One row: the cross-attention averaged over every generated token, i.e. which source tokens\n"
            "the decoder read most while it wrote the whole output (the row still sums to 1)."))
        self._steps = QSpinBox()
        self._steps.setRange(8, 512)
        self._steps.setSingleStep(8)
        self._steps.setPrefix(self.tr("IG steps "))
        self._steps.setToolTip(self.tr(
            "Integrated gradients: points on the path from the baseline to the source. More steps: a smaller\n"
            "delta (the attributions add up to the change they explain), and a slower explanation."))
        self._baseline = QComboBox()
        for name in IG_BASELINES:
            self._baseline.addItem(self.tr("baseline: pad") if name == "pad" else self.tr("baseline: zero"), name)
        self._baseline.setToolTip(self.tr(
            "What the source is compared with: every word replaced by the padding token (pad), or by a\n"
            "zero embedding (zero). Special tokens stay as they are."))
        bar = QHBoxLayout()
        for widget in (self._layer, self._head, self._mean, self._whole):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self._steps, self._baseline):
            bar.addWidget(widget)
        self._restore()
        self.heatmap = CrossAttentionHeatmap()
        self.alignment = AlignmentView()
        align_scroll = QScrollArea()
        align_scroll.setWidget(self.alignment)
        align_scroll.setWidgetResizable(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.heatmap)
        splitter.addWidget(align_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([360, 180])
        align_scroll.setMinimumHeight(170)
        self._targets = QHBoxLayout()
        self._targets.setSpacing(2)
        targets_box = QWidget()
        targets_box.setLayout(self._targets)
        targets_scroll = QScrollArea()
        targets_scroll.setWidget(targets_box)
        targets_scroll.setWidgetResizable(True)
        targets_scroll.setFixedHeight(48)
        self.target_buttons: list[QPushButton] = []
        self.source_view = QLabel(self.tr("Click a generated token to see which source tokens it comes from."))
        self.source_view.setWordWrap(True)
        self.source_view.setTextFormat(Qt.TextFormat.RichText)
        self.source_view.setToolTip(self.tr(
            "Integrated gradients of the clicked token's log-probability with respect to the source embeddings:\n"
            "red tokens raised it, blue ones lowered it. delta: sum of attributions minus the change it explains."
        ))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(QLabel(self.tr("Generated tokens (click one to explain it):")))
        layout.addWidget(targets_scroll)
        layout.addWidget(self.source_view)
        self._layer.valueChanged.connect(self._update)
        self._head.valueChanged.connect(self._update)
        self._mean.toggled.connect(self._on_mean)
        self._whole.toggled.connect(self._update)
        self._steps.valueChanged.connect(lambda value: QSettings().setValue(_KEY + "ig_steps", value))
        self._baseline.currentIndexChanged.connect(
            lambda _i: QSettings().setValue(_KEY + "ig_baseline", self.ig_baseline))

    def _restore(self) -> None:
        store = QSettings()
        try:
            steps = int(store.value(_KEY + "ig_steps", DEFAULT_IG_STEPS))
        except (TypeError, ValueError):
            steps = DEFAULT_IG_STEPS  # a damaged entry must not stop the panel from opening
        self._steps.setValue(steps)
        self._baseline.setCurrentIndex(max(0, self._baseline.findData(store.value(_KEY + "ig_baseline", "pad"))))

    @property
    def ig_steps(self) -> int:
        return self._steps.value()

    @property
    def ig_baseline(self) -> str:
        return str(self._baseline.currentData())

    @property
    def current_matrix(self) -> np.ndarray | None:
        """The matrix drawn now: (T_target, S_source), or (1, S_source) averaged over the output."""
        return self._matrix

    @property
    def current_rows(self) -> list[str]:
        """The labels of the drawn matrix's rows."""
        return list(self._rows)

    @property
    def coloured_tokens(self) -> int:
        """How many source tokens the last attribution coloured (0 before any click)."""
        return self.source_view.text().count("<span")

    def set_maps(self, maps: Seq2SeqAttention) -> None:
        self._maps = maps
        layers, heads = maps.cross_attentions.shape[:2]
        for spin, count in ((self._layer, layers), (self._head, heads)):
            spin.blockSignals(True)
            spin.setRange(0, count - 1)
            spin.setSuffix(self.tr(" of {last}").format(last=count - 1))
            spin.blockSignals(False)
        self._set_targets(maps.target_tokens)
        self.source_view.setText(self.tr("Click a generated token to see which source tokens it comes from."))
        self._update()

    def set_attribution(self, attribution: SourceAttribution) -> None:
        for i, button in enumerate(self.target_buttons):
            button.setChecked(i == attribution.target_index)
        head = self.tr("Token {index} “{token}”: log p = {logp:.3f}, integrated gradients over {steps} steps, "
                       "delta {delta:+.4f}").format(index=attribution.target_index, token=html.escape(
                           attribution.target_token), logp=attribution.log_probability, steps=attribution.steps,
                           delta=attribution.delta)
        self.source_view.setText(f"{head}<br>{attribution_html(attribution.source_tokens, attribution.attributions)}")

    def set_message(self, text: str) -> None:
        self.source_view.setText(html.escape(text))

    def _set_targets(self, tokens: Sequence[str]) -> None:
        for button in self.target_buttons:
            self._targets.removeWidget(button)
            button.deleteLater()
        self.target_buttons = []
        while self._targets.count():  # the old stretch
            self._targets.takeAt(0)
        for i, token in enumerate(tokens):
            button = QPushButton(token)
            button.setCheckable(True)
            button.setStyleSheet("QPushButton { padding: 2px 6px; min-width: 0px; }")
            button.setToolTip(self.tr("Explain generated token {index}").format(index=i))
            button.clicked.connect(lambda _checked=False, i=i: self.target_clicked.emit(i))
            self._targets.addWidget(button)
            self.target_buttons.append(button)
        self._targets.addStretch(1)

    def _on_mean(self, checked: bool) -> None:
        self._head.setEnabled(not checked)
        self._update()

    def _update(self, *_: object) -> None:
        if self._maps is None:
            return
        layer = self._maps.cross_attentions[self._layer.value()]  # (H, T, S)
        matrix = layer.mean(axis=0) if self._mean.isChecked() else layer[self._head.value()]
        rows = self._maps.target_tokens
        if self._whole.isChecked():  # rows sum to 1, so their mean does too
            matrix = matrix.mean(axis=0, keepdims=True)
            rows = [self.tr("all {count} generated").format(count=len(rows))]
        self._matrix, self._rows = np.asarray(matrix, dtype=np.float32), list(rows)
        what = self.tr("mean over heads") if self._mean.isChecked() else self.tr("head {head}").format(
            head=self._head.value())
        if self._whole.isChecked():
            what += self.tr(" · mean over output")
        self.heatmap.set_title(self.tr("cross-attention · layer {layer} · {what}").format(
            layer=self._layer.value(), what=what))
        self.heatmap.set_cross(self._matrix, self._rows, self._maps.source_tokens)
        links = alignment(self._matrix, ALIGNMENT_TOP, self._maps.source_special)
        self.alignment.set_alignment(self._maps.source_tokens, self._rows, links)
