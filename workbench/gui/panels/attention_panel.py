"""Attention heatmaps of the current input: per layer and head, averaged, without special tokens.

The attention maps of all layers and heads are computed once per input, in a
worker (``compute_attention`` runs an eager twin of the model, so prediction
keeps its fast SDPA path); choosing another layer or head, averaging or hiding
special tokens only redraws. The worker also computes, once per input, the
attention rollout and per-head statistics ("Rollout" and "Head statistics"
tabs); the "Model view" tab draws every layer and head at once. Computation is lazy: ``set_input`` remembers the
input and computes only while the panel is visible (or on ``refresh``).

Run alone:  python -m workbench.gui.panels.attention_panel [MODEL_OR_RUN_DIR] ["some text"]
"""

from __future__ import annotations

import csv
import dataclasses
import html
import sys
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.inspection.aggregate import head_stats, rollout
from workbench.engine.inspection.attention import (
    CAUSAL_NOTE,
    XLNET_NOTE,
    AttentionMaps,
    compute_attention,
    display_tokens,
    drop_special,
    has_attention,
    mean_over_heads,
)
from workbench.engine.inspection.cross_attention import (
    Seq2SeqAttention,
    SourceAttribution,
    predictor_attention,
    predictor_integrated_gradients,
    readable_tokens,
)
from workbench.gui.dialog_folders import remember_folder, start_path
from workbench.gui.widgets.attention_texts import NO_ATTENTION_MESSAGE
from workbench.gui.widgets.cross_attention_view import CrossAttentionView
from workbench.gui.widgets.head_stats_view import HeadStatsView
from workbench.gui.widgets.head_view import HeadView
from workbench.gui.widgets.heatmap import AttentionHeatmap, HeadGrid
from workbench.gui.widgets.model_view import ModelView
from workbench.gui.workers import TaskRunner

_SETTINGS_DIR = "attention/export_dir"
_STRETCH_KEY = "attention/stretch_colours"
_HIDE_SPECIAL_KEY = "attention/hide_special"


# English sources of texts shown through self.tr (other panels reuse them).
ROLLOUT_TITLE = QT_TRANSLATE_NOOP("AttentionPanel", "attention rollout (all layers, residual)")
# The engine's notes on what a map shows, by the engine's constant (the same English text,
# kept here as literals so lupdate can extract them; tests check they still match).
ENGINE_NOTES = {
    CAUSAL_NOTE: QT_TRANSLATE_NOOP(
        "AttentionPanel", "causal: each token attends only to earlier tokens (and itself)"
    ),
    XLNET_NOTE: QT_TRANSLATE_NOOP(
        "AttentionPanel",
        "XLNet: content-stream attention (two-stream relative attention; query stream not shown)",
    ),
}


@dataclasses.dataclass
class AttentionResult:
    """What the worker hands back: the maps and the aggregates drawn from them."""

    maps: AttentionMaps
    rollout: np.ndarray  # (T, T) float64, rows = output positions, columns = input tokens
    stats: dict[str, np.ndarray]  # (L, H) arrays, see aggregate.head_stats


def summarise(maps: AttentionMaps) -> AttentionResult:
    """Rollout and head statistics of ``maps`` (numpy; ~0.3 s for 12 layers of 512 tokens)."""
    # One layer at a time: head_stats works in float64, which for all layers of a
    # long input would need several hundred MB at once.
    per_layer = [
        head_stats(dataclasses.replace(maps, attentions=maps.attentions[i : i + 1]))
        for i in range(maps.num_layers)
    ]
    stats = {key: np.concatenate([s[key] for s in per_layer]) for key in per_layer[0]}
    return AttentionResult(maps, rollout(maps.attentions, residual=True), stats)


def _attention_job(predictor: Any, text: str) -> AttentionResult:
    """Runs in the worker thread (torch work, then the numpy aggregates)."""
    maps = compute_attention(
        predictor.model,
        predictor.tokenizer,
        text,
        max_length=int(getattr(predictor, "max_length", 512) or 512),
    )
    return summarise(maps)


@dataclasses.dataclass
class Seq2SeqResult:
    """An encoder-decoder's maps: the cross-attention, and both self-attentions for the usual views."""

    maps: Seq2SeqAttention
    encoder: AttentionResult
    decoder: AttentionResult  # rows and columns: the decoder's inputs (start token, output shifted right)


@dataclasses.dataclass(frozen=True)
class Generated:
    """The output the prediction panel showed for a source: its ids (start token first) and, for
    dialogue, the earlier turns the source was composed with. The maps are of this very output,
    however it was decoded (beams, sampling, its own max new tokens)."""

    output_ids: list[int] | None = None  # None: the model's greedy output is generated here
    history: tuple[str, ...] = ()

    @classmethod
    def from_result(cls, result: Any) -> Generated:
        if not isinstance(result, dict):
            return cls()
        ids = result.get("output_ids")
        return cls(list(ids) if isinstance(ids, list) else None, tuple(result.get("history") or ()))


def _seq2seq_job(predictor: Any, text: str, generated: Generated) -> Seq2SeqResult:
    """Runs in the worker thread: one teacher-forced forward over the shown output (generated here when
    there is none), the aggregates of both sides."""
    maps = predictor_attention(predictor, text, output_ids=generated.output_ids, history=generated.history)
    model_type = str(getattr(predictor.model.config, "model_type", ""))
    special = set(predictor.tokenizer.all_special_ids)
    encoder = AttentionMaps(maps.source_tokens, maps.encoder_attentions, maps.source_special, model_type, "")
    decoder_special = np.array([i in special for i in maps.decoder_input_ids], dtype=bool)
    decoder = AttentionMaps(readable_tokens(predictor.tokenizer, maps.decoder_input_ids), maps.decoder_attentions,
                            decoder_special, model_type, CAUSAL_NOTE)
    return Seq2SeqResult(maps, summarise(encoder), summarise(decoder))


def _explain_job(predictor: Any, text: str, generated: Generated, index: int, steps: int,
                 baseline: str) -> SourceAttribution:
    """Runs in the worker thread: integrated gradients of generated token ``index``."""
    return predictor_integrated_gradients(predictor, text, index, output_ids=generated.output_ids,
                                          history=generated.history, steps=steps, baseline=baseline)


def is_seq2seq(predictor: Any) -> bool:
    """Whether the predictor's task is sequence to sequence (a bare model has no task)."""
    return bool(getattr(getattr(predictor, "task_spec", None), "sequence_to_sequence", False))


def drop_special_all(maps: AttentionMaps) -> np.ndarray:
    """(L, H, T, T) -> (L, H, T', T'): special rows and columns dropped, rows renormalised."""
    keep = ~np.asarray(maps.special, dtype=bool)
    sub = maps.attentions[:, :, keep][:, :, :, keep]
    sums = sub.sum(axis=-1, keepdims=True)
    return np.divide(sub, sums, out=np.zeros_like(sub), where=sums > 0)


class AttentionPanel(QWidget):
    attention_ready = Signal(object)  # AttentionMaps, after each computation (drawn already)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._predictor: Any = None
        self._text = ""
        self._generated = Generated()
        self._dirty = False  # an input is waiting to be computed (the panel was hidden)
        self._maps: AttentionMaps | None = None
        self._matrix: np.ndarray | None = None
        self._tokens: list[str] = []
        self._rollout_full: np.ndarray | None = None  # (T, T), special tokens included
        self._rollout: np.ndarray | None = None  # (T', T'), as drawn
        self._stats: dict[str, np.ndarray] | None = None
        self.computations = 0  # attention runs started (redraws do not count)
        self._runner = TaskRunner(self)
        self._explainer = TaskRunner(self)  # integrated gradients of a clicked generated token
        self._seq2seq: Seq2SeqResult | None = None
        self._build()
        self._update_controls()

    # ---- public API -------------------------------------------------------------------

    def set_input(self, predictor: Any, text: str, result: dict[str, Any] | None = None) -> None:
        """Remember the input (and the prediction's ``result``: an encoder-decoder's output is inspected
        as it was shown); compute now if visible, else when the panel is next shown."""
        self._predictor = predictor
        self._text = text
        self._generated = Generated.from_result(result)
        self._dirty = True
        if not has_attention(predictor.model):
            self._show_not_applicable()  # nothing to compute, visible or not
        elif self.isVisible():
            self.refresh()
        else:
            self._status.setText(self.tr("Attention will be computed when this panel is shown."))

    def refresh(self) -> None:
        """Compute the maps of the remembered input now, visible or not."""
        if self._predictor is None:
            self._status.setText(self.tr("No model yet: make a prediction first."))
            return
        if not self._text.strip():
            self._status.setText(self.tr("No text yet: type a sentence in the prediction panel."))
            return
        if not has_attention(self._predictor.model):
            self._show_not_applicable()
            return
        self._dirty = False
        self.computations += 1
        self._status.setText(self.tr("Computing attention…"))
        if is_seq2seq(self._predictor):
            self._runner.run(_seq2seq_job, self._predictor, self._text, self._generated,
                             on_result=self._on_seq2seq_result, on_error=self._on_worker_error)
            return
        self._seq2seq = None
        self._show_seq2seq(False)
        self._runner.run(
            _attention_job,
            self._predictor,
            self._text,
            on_result=self._on_worker_result,
            on_error=self._on_worker_error,
        )

    def shutdown(self) -> None:
        self._runner.shutdown()
        self._explainer.shutdown()

    def retranslate(self) -> None:
        """After a language switch (View ▸ Language): the spin boxes' " of N", formatted from the maps."""
        if self._maps is not None:
            self._layer.setSuffix(self.tr(" of {last}").format(last=self._maps.num_layers - 1))
            self._head.setSuffix(self.tr(" of {last}").format(last=self._maps.num_heads - 1))

    @property
    def current_matrix(self) -> np.ndarray | None:
        """The 2-D matrix currently drawn, (T', T'), rows = queries."""
        return self._matrix

    @property
    def current_tokens(self) -> list[str]:
        """The tokens labelling the drawn matrix (as the tokenizer wrote them)."""
        return list(self._tokens)

    @property
    def maps(self) -> AttentionMaps | None:
        return self._maps

    @property
    def rollout_matrix(self) -> np.ndarray | None:
        """The rollout as drawn in the Rollout tab (special tokens dropped when hidden)."""
        return self._rollout

    @property
    def head_statistics(self) -> dict[str, np.ndarray] | None:
        """The (L, H) statistics shown in the Head statistics tab."""
        return self._stats

    # ---- UI ----------------------------------------------------------------------------

    def _build(self) -> None:
        self._layer = QSpinBox()
        self._layer.setPrefix(self.tr("Layer "))
        self._layer.setToolTip(
            self.tr("Which layer's attention to show (0 = the first, nearest the input).")
        )
        self._head = QSpinBox()
        self._head.setPrefix(self.tr("Head "))
        self._head.setToolTip(self.tr("Which attention head of the layer to show. Or click a thumbnail."))
        self._mean = QCheckBox(self.tr("Mean over heads"))
        self._mean.setToolTip(
            self.tr("Average the attention of all heads of the layer (rows still sum to 1).")
        )
        self._hide_special = QCheckBox(self.tr("Hide special tokens"))
        self._hide_special.setToolTip(self.tr(
            "Leave out [CLS], [SEP], <|endoftext|> and other special tokens, and renormalise each row "
            "to sum to 1. They often take most of the attention and flatten the rest of the map."
        ))
        self._stretch = QCheckBox(self.tr("Stretch colours"))
        self._stretch.setToolTip(self.tr(
            "Colour each map from 0 to its own largest weight instead of from 0 to 1. A long input "
            "spreads attention thin, which on the 0 to 1 scale is drawn almost all dark; stretched, "
            "the colour bar shows each map's range, and colours no longer compare between maps."
        ))
        settings = QSettings()
        self._stretch.setChecked(settings.value(_STRETCH_KEY, False, type=bool))
        self._hide_special.setChecked(settings.value(_HIDE_SPECIAL_KEY, False, type=bool))
        self._export_png = QPushButton(self.tr("Export PNG…"))
        self._export_png.setToolTip(self.tr("Save the heatmap as it is drawn, as a PNG image."))
        self._export_csv = QPushButton(self.tr("Export CSV…"))
        self._export_csv.setToolTip(
            self.tr("Save the drawn matrix as CSV: the first row and column hold the tokens.")
        )
        self._refresh_button = QPushButton(self.tr("Recompute"))
        self._refresh_button.setToolTip(
            self.tr("Compute the attention of the current input again (e.g. after more training).")
        )
        for widget in (self._layer, self._head):
            widget.setKeyboardTracking(False)

        # An encoder-decoder has two self-attentions; the usual views show the chosen one.
        self._side = QComboBox()
        self._side.addItem(self.tr("Encoder self-attention"))
        self._side.addItem(self.tr("Decoder self-attention"))
        self._side.setToolTip(self.tr("Which self-attention of the encoder-decoder the views below show."))
        self._side.hide()
        bar = QHBoxLayout()
        bar.addWidget(self._side)
        for widget in (self._layer, self._head, self._mean, self._hide_special, self._stretch):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self._refresh_button, self._export_png, self._export_csv):
            bar.addWidget(widget)

        self._note = QLabel()
        self._note.setWordWrap(True)
        self._note.setStyleSheet(
            "QLabel { background: #fff4d6; color: #5a4500; padding: 4px 8px; border-radius: 3px; }"
        )
        self._note.setToolTip(self.tr("What this map shows for this kind of model."))
        self._note.hide()
        self._status = QLabel(self.tr("Make a prediction to see the model's attention."))
        self._status.setWordWrap(True)
        self._status.setToolTip(self.tr("What the attention view is doing."))
        self._status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.heatmap = AttentionHeatmap()
        self.heatmap.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.heads = HeadGrid()
        self._heads_scroll = QScrollArea()
        self._heads_scroll.setWidget(self.heads)
        self._heads_scroll.setWidgetResizable(True)
        self._fit_heads_scroll()
        self._heads_scroll.setToolTip(
            self.tr("Every head of the selected layer. Click one to show it large.")
        )
        # Two views of the same matrix: the heatmap, and bertviz-style lines
        # between the tokens (hover a token to isolate its links).
        self.head_view = HeadView()
        self.views = QTabWidget()
        self.views.addTab(self.heatmap, self.tr("Heatmap"))
        self.views.addTab(self.head_view, self.tr("Head view"))
        # Every layer and head at once; the rollout over all layers; per-head numbers.
        self.model_view = ModelView()
        self._model_scroll = QScrollArea()
        self._model_scroll.setWidget(self.model_view)
        self._model_scroll.setWidgetResizable(True)
        self.views.addTab(self._model_scroll, self.tr("Model view"))
        self.rollout_view = AttentionHeatmap()
        self.rollout_view.set_title(self.tr(ROLLOUT_TITLE))
        self.rollout_view.plot.setLabel("bottom", self.tr("input token"))
        self.rollout_view.plot.setLabel("left", self.tr("position at the top layer"))
        self.rollout_view.setToolTip(self.tr(
            "Attention rollout (Abnar & Zuidema 2020): the heads of each layer averaged, the\n"
            "residual connection added (0.5 A + 0.5 I), and the layers multiplied bottom-up.\n"
            "Row i: how much of each input token reaches position i at the top layer."
        ))
        self.views.addTab(self.rollout_view, self.tr("Rollout"))
        for view in (self.heatmap, self.rollout_view):
            view.set_stretch(self._stretch.isChecked())
        self.stats_view = HeadStatsView()
        self.views.addTab(self.stats_view, self.tr("Head statistics"))
        self.cross_view = CrossAttentionView()
        self.views.addTab(self.cross_view, self.tr("Cross-attention"))
        self.views.setTabVisible(self.views.indexOf(self.cross_view), False)
        self.views.setToolTip(self.tr(
            "The attention as a heatmap, as lines between the tokens, as all heads at once, "
            "rolled out over the layers, or summarised per head."
        ))
        maps_row = QHBoxLayout()
        maps_row.addWidget(self.views, 1)
        maps_row.addWidget(self._heads_scroll, 0)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self._note)
        layout.addLayout(maps_row, 1)
        layout.addWidget(self._status)

        self._layer.valueChanged.connect(self._on_layer_changed)
        self._head.valueChanged.connect(self._on_head_changed)
        self._mean.toggled.connect(self._on_mean_toggled)
        self._hide_special.toggled.connect(self._on_hide_special_toggled)
        self._stretch.toggled.connect(self._on_stretch_toggled)
        self.heads.head_clicked.connect(self._on_heads_clicked)
        self.model_view.cell_clicked.connect(self._show_head)
        self.stats_view.head_activated.connect(self._show_head)
        self._export_png.clicked.connect(self._on_export_png_clicked)
        self._export_csv.clicked.connect(self._on_export_csv_clicked)
        self._refresh_button.clicked.connect(self.refresh)
        self._side.currentIndexChanged.connect(self._on_side_changed)
        self.cross_view.target_clicked.connect(self._on_target_clicked)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    # ---- slots ---------------------------------------------------------------------------

    def _on_worker_result(self, result: AttentionResult | AttentionMaps) -> None:
        if isinstance(result, AttentionMaps):  # maps from elsewhere: aggregate them here
            result = summarise(result)
        maps = result.maps
        self._maps = maps
        self.views.show()  # hidden while a model without attention was shown
        self._heads_scroll.show()
        self._rollout_full = result.rollout
        self._stats = result.stats
        self._layer.blockSignals(True)
        self._head.blockSignals(True)
        self._layer.setRange(0, maps.num_layers - 1)
        self._head.setRange(0, maps.num_heads - 1)
        self._layer.setSuffix(self.tr(" of {last}").format(last=maps.num_layers - 1))
        self._head.setSuffix(self.tr(" of {last}").format(last=maps.num_heads - 1))
        self._layer.blockSignals(False)
        self._head.blockSignals(False)
        self._note.setText(self.tr(ENGINE_NOTES[maps.note]) if maps.note in ENGINE_NOTES else maps.note)
        self._note.setVisible(bool(maps.note))
        specials = int(maps.special.sum())
        self._hide_special.setEnabled(specials > 0)
        self._status.setText(
            self.tr(
                "{tokens} tokens ({specials} special) · {layers} layers × {heads} heads · "
                "{model} · rows: query, columns: key"
            ).format(
                tokens=len(maps.tokens), specials=specials, layers=maps.num_layers,
                heads=maps.num_heads, model=maps.model_type or self.tr("model"),
            )
        )
        self._update_controls()
        self._update_thumbnails()
        self._update_map()
        self._update_model_view()
        self._update_rollout()
        self.stats_view.set_stats(result.stats, len(maps.tokens))
        self.attention_ready.emit(maps)

    # ---- encoder-decoders ----------------------------------------------------------------

    @property
    def seq2seq_maps(self) -> Seq2SeqAttention | None:
        """The last encoder-decoder maps (None for other models)."""
        return self._seq2seq.maps if self._seq2seq is not None else None

    def _show_seq2seq(self, shown: bool) -> None:
        self._side.setVisible(shown)
        self.views.setTabVisible(self.views.indexOf(self.cross_view), shown)

    def _on_seq2seq_result(self, result: Seq2SeqResult) -> None:
        self._seq2seq = result
        self._show_seq2seq(True)
        self.cross_view.set_maps(result.maps)
        self._on_side_changed(self._side.currentIndex())
        self.views.setCurrentWidget(self.cross_view)

    def _on_side_changed(self, index: int) -> None:
        if self._seq2seq is not None:
            self._on_worker_result(self._seq2seq.decoder if index == 1 else self._seq2seq.encoder)

    def _on_target_clicked(self, index: int) -> None:
        if self._predictor is None or self._seq2seq is None:
            return
        self.cross_view.set_message(self.tr("Computing integrated gradients…"))
        self._explainer.run(_explain_job, self._predictor, self._text, self._generated, index,
                            self.cross_view.ig_steps, self.cross_view.ig_baseline,
                            on_result=self.cross_view.set_attribution, on_error=self.cross_view.set_message)

    def _show_not_applicable(self) -> None:
        """A model without attention: say so where the maps would be; no worker, no error."""
        self._dirty = False
        self._runner.cancel()
        self._maps = None
        self._matrix = None
        self._tokens = []
        self.views.hide()
        self._heads_scroll.hide()
        self._note.setText(self.tr(NO_ATTENTION_MESSAGE))
        self._note.show()
        self._status.setText(self.tr(NO_ATTENTION_MESSAGE))
        self._update_controls()

    @property
    def not_applicable(self) -> bool:
        """True while the current model has no attention (the BiLSTM)."""
        return self._predictor is not None and not has_attention(self._predictor.model)

    def _on_worker_error(self, message: str) -> None:
        self._status.setText(
            "<b>{}</b> {}".format(self.tr("Attention could not be computed."), html.escape(message))
        )

    def _on_layer_changed(self, _value: int) -> None:
        self._update_thumbnails()
        self._update_map()

    def _on_head_changed(self, _value: int) -> None:
        self.heads.set_selected(None if self._mean.isChecked() else self._head.value())
        self._update_map()

    def _on_mean_toggled(self, checked: bool) -> None:
        self._head.setEnabled(not checked and self._maps is not None)
        self.heads.set_selected(None if checked else self._head.value())
        self._update_map()

    def _on_hide_special_toggled(self, checked: bool) -> None:
        QSettings().setValue(_HIDE_SPECIAL_KEY, checked)
        self._update_thumbnails()
        self._update_map()
        self._update_model_view()
        self._update_rollout()

    def _on_stretch_toggled(self, checked: bool) -> None:
        QSettings().setValue(_STRETCH_KEY, checked)
        for view in (self.heatmap, self.rollout_view):
            view.set_stretch(checked)
        self._update_thumbnails()
        self._update_model_view()

    def _show_head(self, layer: int, head: int) -> None:
        """Select ``layer`` and ``head`` (a small map or a statistics row) and show it large."""
        self._mean.setChecked(False)
        self._layer.setValue(layer)
        self._head.setValue(head)
        self.views.setCurrentWidget(self.heatmap)

    def _on_heads_clicked(self, head: int) -> None:
        self._mean.setChecked(False)
        self._head.setValue(head)

    def _showing_cross(self) -> bool:
        return self.views.currentWidget() is self.cross_view and self.cross_view.current_matrix is not None

    def _on_export_png_clicked(self) -> None:
        if self._matrix is None:
            return
        cross = self._showing_cross()
        path = self._ask_path(
            self.tr("Export heatmap as PNG"), "cross-attention.png" if cross else "attention.png",
            self.tr("PNG image (*.png)"),
        )
        if not path:
            return
        heatmap = self.cross_view.heatmap if cross else self.heatmap
        if not heatmap.export_image().save(path, "PNG"):
            self._status.setText(
                self.tr("Could not write {path}: check the folder exists and is writable.").format(
                    path=html.escape(path)
                )
            )
            return
        self._status.setText(self.tr("Saved {path}").format(path=html.escape(path)))

    def _on_export_csv_clicked(self) -> None:
        if self._matrix is None:
            return
        cross = self._showing_cross()
        path = self._ask_path(
            self.tr("Export matrix as CSV"), "cross-attention.csv" if cross else "attention.csv",
            self.tr("CSV file (*.csv)"),
        )
        if not path:
            return
        try:
            if cross:  # rows: generated tokens; columns: source tokens
                view = self.cross_view
                write_matrix_csv(path, view.current_rows, view.current_matrix, view.heatmap.source_tokens,
                                 corner="generated \\ source")
            else:
                write_matrix_csv(path, self._tokens, self._matrix)
        except OSError as exc:
            self._status.setText(
                self.tr("Could not write {path}: {error}").format(
                    path=html.escape(path), error=html.escape(str(exc))
                )
            )
            return
        self._status.setText(self.tr("Saved {path}").format(path=html.escape(path)))

    # ---- refreshes -------------------------------------------------------------------

    def _update_controls(self) -> None:
        has = self._maps is not None
        for widget in (self._layer, self._mean, self._export_png, self._export_csv):
            widget.setEnabled(has)
        self._head.setEnabled(has and not self._mean.isChecked())
        self._hide_special.setEnabled(has and bool(self._maps.special.any()) if has else False)

    def _layer_maps(self) -> np.ndarray:
        """(H, T', T') for the selected layer, special tokens dropped when asked."""
        assert self._maps is not None
        heads = self._maps.attentions[self._layer.value()]  # (H, T, T)
        if self._hide_special.isChecked() and self._maps.special.any():
            return np.stack([drop_special(self._maps, h)[1] for h in heads])
        return heads

    def _update_map(self) -> None:
        if self._maps is None:
            return
        layer = self._maps.attentions[self._layer.value()]  # (H, T, T)
        if self._mean.isChecked():
            matrix = mean_over_heads(layer)  # (T, T)
        else:
            matrix = layer[self._head.value()]  # (T, T)
        tokens = list(self._maps.tokens)
        if self._hide_special.isChecked() and self._maps.special.any():
            tokens, matrix = drop_special(self._maps, matrix)  # (T', T')
        self._matrix = np.asarray(matrix, dtype=np.float32)
        self._tokens = tokens
        layer_name = self.tr("layer {layer}").format(layer=self._layer.value())
        what = (
            self.tr("mean over heads")
            if self._mean.isChecked()
            else self.tr("head {head}").format(head=self._head.value())
        )
        hidden = self.tr(" · special tokens hidden") if len(tokens) < len(self._maps.tokens) else ""
        self.heatmap.set_title(f"{layer_name} · {what}{hidden}")
        self.model_view.set_selected(
            None if self._mean.isChecked() else (self._layer.value(), self._head.value())
        )
        self.head_view.set_title(f"{layer_name} · {what}{hidden}")
        if tokens:
            self.heatmap.set_matrix(self._matrix, display_tokens(tokens))
            self.head_view.set_maps(display_tokens(tokens), self._matrix)
        else:
            # Keep the last picture rather than AttentionHeatmap.clear(): after a clear,
            # pyqtgraph 0.14 leaves the widget blank even when a new matrix is set.
            self.heatmap.set_title(self.tr("nothing to show: the input has only special tokens"))
            self.head_view.clear()

    def _update_thumbnails(self) -> None:
        if self._maps is None:
            return
        maps = self._layer_maps()
        if maps.shape[-1] == 0:
            return
        self.heads.set_maps(maps, None if self._mean.isChecked() else self._head.value(), self._stretch.isChecked())
        self._fit_heads_scroll()

    def _update_model_view(self) -> None:
        if self._maps is None:
            return
        hide = self._hide_special.isChecked() and self._maps.special.any()
        att = drop_special_all(self._maps) if hide else self._maps.attentions
        if att.shape[-1] == 0:
            return
        self.model_view.set_maps(att, self._stretch.isChecked())
        self.model_view.set_selected(
            None if self._mean.isChecked() else (self._layer.value(), self._head.value())
        )

    def _update_rollout(self) -> None:
        if self._maps is None or self._rollout_full is None:
            return
        matrix = self._rollout_full
        tokens = list(self._maps.tokens)
        hidden = ""
        if self._hide_special.isChecked() and self._maps.special.any():
            tokens, matrix = drop_special(self._maps, matrix)
            hidden = self.tr(" · special tokens hidden")
        self._rollout = np.asarray(matrix, dtype=np.float64)
        causal = (
            self.tr(" · causal: follows the causal mask (each position mixes only earlier tokens)")
            if self._maps.note == CAUSAL_NOTE
            else ""
        )
        self.rollout_view.set_title(f"{self.tr(ROLLOUT_TITLE)}{causal}{hidden}")
        if tokens:
            self.rollout_view.set_matrix(self._rollout, display_tokens(tokens))
        else:
            self.rollout_view.clear()

    # ---- helpers -----------------------------------------------------------------------

    def _fit_heads_scroll(self) -> None:
        # As wide as the thumbnails (plus a scroll bar), never wider: the big map gets the rest.
        width = (
            self.heads.minimumWidth()
            + self._heads_scroll.verticalScrollBar().sizeHint().width()
            + 6
        )
        self._heads_scroll.setMinimumWidth(min(width, 200))
        self._heads_scroll.setMaximumWidth(width)

    def _ask_path(self, title: str, name: str, filters: str) -> str:
        settings = QSettings()
        start = start_path(settings.value(_SETTINGS_DIR), name)
        path, _ = QFileDialog.getSaveFileName(self, title, start, filters)
        if path:
            remember_folder(_SETTINGS_DIR, Path(path).parent, settings)
        return path


def write_matrix_csv(path: str | Path, tokens: list[str], matrix: np.ndarray, columns: list[str] | None = None,
                     corner: str = "query \\ key") -> None:
    """The matrix with the tokens as header row and first column (rows = queries); ``columns``:
    other column tokens (cross-attention: the source)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([corner, *(tokens if columns is None else columns)])
        for token, row in zip(tokens, matrix):
            writer.writerow([token, *(f"{v:.6g}" for v in row)])


def main(argv: list[str] | None = None) -> int:
    """Show the panel alone on a model (default: the installed MiniLM checkpoint)."""
    from workbench.gui.app import create_app, exec_panel

    argv = list(sys.argv[1:] if argv is None else argv)
    create_app()
    panel = AttentionPanel()
    text = (
        argv[1]
        if len(argv) > 1
        else "The quick brown fox jumps over the lazy dog because it was bored."
    )
    loader = TaskRunner(panel)

    def load(spec: str | None) -> Any:
        from workbench.engine.inspection.attention import load_for_inspection
        from workbench.engine.models.loading import installed_checkpoints

        if spec:
            return load_for_inspection(spec)
        found = installed_checkpoints()
        if not found:
            raise RuntimeError("give a model or run folder: no installed checkpoint found")
        return load_for_inspection(found[0])  # no head: attention is the bare encoder's

    loader.run(
        load,
        argv[0] if argv else None,
        on_result=lambda p: panel.set_input(p, text),
        on_error=lambda m: panel._status.setText(html.escape(m)),
    )
    code = exec_panel(panel, "Attention")
    loader.shutdown()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
