"""Browse models… (Ctrl+M in the model panel): the model catalogue, with downloads.

Lists the curated hub checkpoints (``workbench.engine.models.catalogue``) with their size,
download size, the training memory and the time per epoch they would need for the loaded
data on this machine, their language, and whether they are installed or already in the
Hugging Face cache. Choosing one that is not here downloads it in a worker thread with a
progress bar and Cancel (a cancelled download resumes on the next try); then it becomes the
model. Offline, the dialog says so within seconds and the list stays browsable: installed
and cached models can still be chosen.

Three small jobs run in workers, one runner each (Orange's rule: one task per owner):
the hub probe (a TCP connect, seconds at most), the FLOP/s probe (a fraction of a second,
once per session) and the download (a generator of events).

Run on its own: ``python -m workbench.gui.dialogs.catalogue_dialog``.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.advice import DataFacts
from workbench.engine.models import catalogue as cat
from workbench.engine.models.catalogue import CATALOGUE, CatalogueEntry
from workbench.engine.models.hub_download import (
    DownloadCancelled,
    DownloadFinished,
    DownloadPlanned,
    DownloadProgress,
    cached_snapshot,
    download_events,
    endpoint_reachable,
    hub_endpoint,
    hub_offline,
    partial_bytes,
)
from workbench.engine.models.installed import installed_folder
from workbench.engine.training.config import TrainConfig
from workbench.gui.workers import TaskRunner

_COLUMNS = ("model", "language", "parameters", "download", "memory", "epoch", "status")
_PROGRESS_STEPS = 1000  # the bar counts permille: byte counts overflow a QProgressBar's int
_WAIT_MS = 30_000


def probe_hub(endpoint: str) -> bool:
    """Worker job: can the hub be reached (a TCP connect, a few seconds at most)?"""
    return endpoint_reachable(endpoint)


def probe_flops(device: str, dtype: str) -> tuple[str, float]:
    """Worker job: the matmul FLOP/s of the training device (measured once per session)."""
    device = cat.resolve_device(device)
    return device, cat.measure_flops(device, dtype)


class CatalogueDialog(QDialog):
    """The catalogue as a table; Download / Use puts the chosen model into ``model_chosen``."""

    model_chosen = Signal(str)  # the spec to use: a hub id, or an installed folder
    hub_checked = Signal(bool)  # after the probe: True = online

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        data_facts: Callable[[], DataFacts | None] | None = None,
        config: Callable[[], TrainConfig] | None = None,
        entries: Sequence[CatalogueEntry] = CATALOGUE,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("model catalogue")
        self.setWindowTitle(self.tr("Browse models"))
        self.resize(1000, 520)
        self._data_facts = data_facts or (lambda: None)
        self._config = config or TrainConfig
        self.entries: list[CatalogueEntry] = list(entries)
        self.online: bool | None = None  # None while probing
        self._flops: tuple[str, float] | None = None
        self._cancel: threading.Event | None = None
        self._downloading: str | None = None
        self._closed = False
        self._probe_runner = TaskRunner(self)
        self._flops_runner = TaskRunner(self)
        self._download_runner = TaskRunner(self)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.estimate_label = QLabel()
        self.estimate_label.setWordWrap(True)
        self.estimate_label.setToolTip(
            self.tr(
                "Training memory ≈ parameters × 16 bytes (fp32 weights, gradients, AdamW's two moments) + "
                "batch × max length × hidden × layers × {fp32} bytes of activations ({mixed} in bf16/fp16).\n"
                "Time per epoch ≈ 6 × parameters (without the embeddings) × tokens in the training data, "
                "divided by this machine's measured matmul speed × {efficiency} (what a real fine-tuning step "
                "reaches). Rough figures: evaluation and tokenising come on top."
            ).format(
                fp32=cat.ACTIVATION_BYTES_FP32,
                mixed=cat.ACTIVATION_BYTES_16BIT,
                efficiency=cat.EFFICIENCY,
            )
        )

        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels([
            self.tr("Model"), self.tr("Language"), self.tr("Parameters"), self.tr("Download"),
            self.tr("Training memory"), self.tr("Time / epoch"), self.tr("Here"),
        ])  # fmt: skip
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self._on_use_clicked())

        self.other_edit = QLineEdit()
        self.other_edit.setPlaceholderText(self.tr("or any hub id, e.g. org/model-name"))
        self.other_edit.setToolTip(
            self.tr(
                "Download another model from the hub by its id: its config, tokenizer and safetensors "
                "weights (never pickle weights)"
            )
        )
        self.other_edit.textChanged.connect(lambda _t: self._update_buttons())
        self.other_edit.returnPressed.connect(self._on_use_clicked)

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, _PROGRESS_STEPS)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        self.progress_label = QLabel()
        self.progress_label.setWordWrap(True)

        self.use_button = QPushButton(self.tr("&Download and use"))
        self.use_button.setDefault(True)
        self.use_button.clicked.connect(self._on_use_clicked)
        self.cancel_button = QPushButton(self.tr("&Cancel download"))
        self.cancel_button.setToolTip(
            self.tr(
                "Stop the download; what arrived is kept, and the next download continues from there"
            )
        )
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_download)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        other = QHBoxLayout()
        other.addWidget(QLabel(self.tr("Other model:")))
        other.addWidget(self.other_edit, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.estimate_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(other)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.progress_label)
        layout.addWidget(buttons)

        self._fill_table()
        if self.entries:
            self.table.selectRow(0)
        self._update_status()

    # ================================================================== public
    @property
    def busy(self) -> bool:
        return self._probe_runner.busy or self._flops_runner.busy or self._download_runner.busy

    @property
    def downloading(self) -> bool:
        return self._download_runner.busy

    def refresh(self) -> None:
        """Probe the hub and the machine again and redraw every row (the data may have changed)."""
        self._fill_table()
        if hub_offline():  # said at once: no network call can change it
            self._on_probe_result(False)
        else:
            self.online = None
            self._probe_runner.run(probe_hub, hub_endpoint(), on_result=self._on_probe_result,
                                   on_error=lambda _m: self._on_probe_result(False))  # fmt: skip
        if self._flops is None and not self._flops_runner.busy:
            config = self._config()
            dtype = config.precision if config.precision in ("bf16", "fp16") else "fp32"
            self._flops_runner.run(
                probe_flops, config.device, dtype, on_result=self._on_flops_result
            )
        self._update_status()

    def select(self, spec: str) -> bool:
        """Select the row of ``spec`` (a hub id or alias); False if it is not listed."""
        entry = cat.catalogue_entry(spec)
        for row, e in enumerate(self.entries):
            if e.repo_id == spec or (entry is not None and e.repo_id == entry.repo_id):
                self.table.selectRow(row)
                return True
        return False

    def selected_repo(self) -> str | None:
        """The hub id Download would fetch: the "other model" field if filled, else the selected row."""
        other = self.other_edit.text().strip()
        if other:
            return other
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()].repo_id if rows else None

    def start_download(self, repo_id: str) -> None:
        self._cancel = threading.Event()
        self._downloading = repo_id
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        self.progress_label.setStyleSheet("")
        self.progress_label.setText(self.tr("Asking the hub for {model}…").format(model=repo_id))
        self._download_runner.run(
            download_events, repo_id, cancel=self._cancel,
            on_event=self._on_download_event, on_error=self._on_download_error,
            on_finished=self._on_download_finished,
        )  # fmt: skip
        self._update_buttons()

    def cancel_download(self) -> None:
        """Stop at the next chunk; the partial file stays for the next try."""
        if self._cancel is not None:
            self._cancel.set()
        self.progress_label.setText(self.tr("Cancelling…"))

    def shutdown(self, timeout_ms: int = _WAIT_MS) -> None:
        self._closed = True
        if self._cancel is not None:
            self._cancel.set()
        for runner in (self._download_runner, self._probe_runner, self._flops_runner):
            runner.shutdown(timeout_ms)

    # ================================================================== Qt
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._closed = False
        if not self.downloading:
            self.refresh()

    def done(self, result: int) -> None:
        # Closing cancels a running download (resumable) and waits for every worker.
        self.shutdown()
        self._downloading = None
        self.cancel_button.setEnabled(False)
        super().done(result)

    # ================================================================== table
    def _row_state(self, entry: CatalogueEntry) -> tuple[str, str | None]:
        """("installed" | "cached" | "partial" | "", the spec to use if it is here)."""
        folder = installed_folder(entry.repo_id)
        if folder is not None:
            return "installed", str(folder)
        if cached_snapshot(entry.repo_id) is not None:
            return "cached", entry.repo_id
        if partial_bytes(entry.repo_id):
            return "partial", None
        return "", None

    def _fill_table(self) -> None:
        config = self._config()
        data = self._data_facts()
        mixed = config.precision in ("bf16", "fp16")
        device = self._flops[0] if self._flops else "cpu"
        available = cat.available_memory_bytes(device)
        selected = self.table.currentRow()
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            facts = cat.entry_facts(entry)
            memory = (
                cat.facts_memory_bytes(
                    facts, config.batch_size, config.max_length, mixed_precision=mixed
                )
                or 0
            )
            if data is not None and data.rows and self._flops is not None:
                seconds = cat.epoch_seconds(
                    facts, data.rows, data.tokens_per_example, config.max_length, self._flops[1]
                )
                epoch = cat.human_duration(seconds) if seconds else "—"
            else:
                epoch = "…" if data is not None and data.rows else "—"
            state, _spec = self._row_state(entry)
            here = {
                "installed": self.tr("installed"), "cached": self.tr("in cache"),
                "partial": self.tr("partly downloaded ({size})").format(
                    size=cat.human_bytes(partial_bytes(entry.repo_id))),
                "": "",
            }[state]  # fmt: skip
            cells = (
                entry.name, self._language_name(entry.language), _human_count(entry.params),
                cat.human_bytes(entry.download_bytes), cat.human_bytes(memory), epoch, here,
            )  # fmt: skip
            tip = "\n".join((
                f"{entry.repo_id}", entry.description,
                self.tr("Tasks: {tasks}").format(tasks=", ".join(entry.tasks)),
            ))  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, entry.repo_id)
                if column == 4 and available and memory > available * 0.9:
                    item.setForeground(Qt.GlobalColor.red)
                    item.setToolTip(
                        self.tr("More than this machine has available ({memory})").format(
                            memory=cat.human_bytes(available)
                        )
                    )
                self.table.setItem(row, column, item)
        if 0 <= selected < len(self.entries):
            self.table.selectRow(selected)
        self._update_estimate_label(config, data)
        self._update_buttons()

    def _language_name(self, language: str) -> str:
        names = {
            "en": self.tr("English"),
            "zh": self.tr("Chinese"),
            "multi": self.tr("multilingual"),
        }
        return names.get(language, language)

    def _update_estimate_label(self, config: TrainConfig, data: DataFacts | None) -> None:
        if data is None or not data.rows:
            text = self.tr(
                "Load a dataset to see the time per epoch. Memory for batch {batch} × {length} tokens."
            ).format(batch=config.batch_size, length=config.max_length)
        else:
            text = self.tr(
                "Estimates for your data: {rows} training rows of ~{tokens} tokens, batch {batch} × "
                "{length} tokens."
            ).format(rows=f"{data.rows:,}", tokens=f"{data.tokens_per_example:.0f}",
                     batch=config.batch_size, length=config.max_length)  # fmt: skip
            if self._flops is not None:
                text += " " + self.tr("Time measured on {device}: {gflops} GFLOP/s.").format(
                    device=self._flops[0], gflops=f"{self._flops[1] / 1e9:.0f}"
                )
        self.estimate_label.setText(text)

    def _update_status(self) -> None:
        if self.online is None:
            self.status_label.setText(self.tr("Checking whether the hub can be reached…"))
            self.status_label.setStyleSheet("")
        elif self.online:
            self.status_label.setText(
                self.tr(
                    "Online: choose a model and press Download and use. Only its config, tokenizer and "
                    "safetensors weights are fetched, into the Hugging Face cache."
                )
            )
            self.status_label.setStyleSheet("")
        else:
            reason = (
                self.tr("offline mode is on (HF_HUB_OFFLINE)")
                if hub_offline()
                else self.tr("the hub ({endpoint}) cannot be reached").format(
                    endpoint=hub_endpoint()
                )
            )
            self.status_label.setText(
                self.tr(
                    "Offline: {reason}. Models that are installed or already in the cache can still be "
                    "used; the others need a connection to download."
                ).format(reason=reason)
            )
            self.status_label.setStyleSheet("color: #b00020;")

    def _update_buttons(self) -> None:
        repo = self.selected_repo()
        downloading = self.downloading
        here = None
        if repo is not None:
            entry = next((e for e in self.entries if e.repo_id == repo), None)
            if entry is not None:
                here = self._row_state(entry)[1]
            elif installed_folder(repo) is not None:
                here = str(installed_folder(repo))
            elif "/" in repo and cached_snapshot(repo) is not None:
                here = repo
        self.use_button.setText(self.tr("&Use") if here else self.tr("&Download and use"))
        self.use_button.setEnabled(
            repo is not None and not downloading and (here is not None or self.online is not False)
        )
        self.cancel_button.setEnabled(downloading)

    # ================================================================== slots
    def _on_table_selection_changed(self) -> None:
        if self.table.selectionModel().selectedRows() and self.other_edit.text():
            self.other_edit.blockSignals(True)
            self.other_edit.clear()  # a row picked after typing: the row wins
            self.other_edit.blockSignals(False)
        self._update_buttons()

    def _on_use_clicked(self) -> None:
        repo = self.selected_repo()
        if repo is None or self.downloading:
            return
        entry = next((e for e in self.entries if e.repo_id == repo), None)
        here = self._row_state(entry)[1] if entry is not None else None
        if here is None and installed_folder(repo) is not None:
            here = str(installed_folder(repo))
        if here is None and "/" in repo and cached_snapshot(repo) is not None:
            here = repo
        if here is not None:
            self.model_chosen.emit(here)
            self.accept()
            return
        if self.online is False:
            return
        self.start_download(repo)

    def _on_probe_result(self, online: bool) -> None:
        if self._closed:
            return
        self.online = bool(online)
        self._update_status()
        self._update_buttons()
        self.hub_checked.emit(self.online)

    def _on_flops_result(self, result: tuple[str, float]) -> None:
        if self._closed:
            return
        self._flops = result
        self._fill_table()

    def _on_download_event(self, event: Any) -> None:
        if isinstance(event, DownloadPlanned):
            self._set_progress(event.done_bytes, event.total_bytes)
            text = self.tr("Downloading {model}: {files} files, {size}").format(
                model=event.repo_id, files=len(event.files), size=cat.human_bytes(event.total_bytes)
            )
            if event.done_bytes:
                text += self.tr(" ({size} already here: resuming)").format(
                    size=cat.human_bytes(event.done_bytes)
                )
            self.progress_label.setText(text)
        elif isinstance(event, DownloadProgress):
            self._set_progress(event.done_bytes, event.total_bytes)
            if not (self._cancel is not None and self._cancel.is_set()):
                self.progress_label.setText(self.tr("{file}: {done} of {total}").format(
                    file=event.filename, done=cat.human_bytes(event.done_bytes),
                    total=cat.human_bytes(event.total_bytes)))  # fmt: skip
        elif isinstance(event, DownloadCancelled):
            self._set_progress(event.done_bytes, event.total_bytes)
            self.progress_label.setText(
                self.tr(
                    "Cancelled: {done} of {total} kept. Download again continues from there."
                ).format(
                    done=cat.human_bytes(event.done_bytes), total=cat.human_bytes(event.total_bytes)
                )
            )
        elif isinstance(event, DownloadFinished):
            self._set_progress(event.total_bytes, event.total_bytes)
            self.progress_label.setText(self.tr("Downloaded {model}.").format(model=event.repo_id))
            self._fill_table()
            self.model_chosen.emit(event.repo_id)
            self._downloading = None
            self.accept()

    def _on_download_error(self, message: str) -> None:
        if self._closed:
            return
        self.progress_label.setStyleSheet("color: #b00020;")
        self.progress_label.setText(message)

    def _on_download_finished(self) -> None:
        self._downloading = None
        if self._closed:
            return
        self._fill_table()  # "partly downloaded" after a cancel
        self._update_buttons()

    def _set_progress(self, done: int, total: int) -> None:
        self.progress_bar.setValue(int(_PROGRESS_STEPS * done / total) if total else 0)
        self.progress_bar.setFormat(f"{cat.human_bytes(done)} / {cat.human_bytes(total)}")


def _human_count(n: int) -> str:
    return (
        f"{n / 1e9:.2f} B" if n >= 1e9 else f"{n / 1e6:.0f} M" if n >= 1e6 else f"{n / 1e3:.0f} k"
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m workbench.gui.dialogs.catalogue_dialog``: the dialog on its own."""
    from PySide6.QtWidgets import QApplication

    app: Any = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    dialog = CatalogueDialog()
    dialog.model_chosen.connect(lambda spec: print(spec))
    dialog.show()
    code = int(app.exec())
    dialog.shutdown()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
