"""A scripted tour of the real app: one PNG of the whole window per panel.

``workbench tour OUTDIR`` starts the app offscreen on its demo, fine-tunes for a
few dozen steps, types a sentence into the prediction panel, shows its
attention, and saves the pictures the README uses. Nothing is mocked: it is the
same window a user sees, driven through its public methods.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TOUR_SENTENCE = "An absolutely wonderful film with a moving story and a brilliant cast."
TOUR_EDIT = TOUR_SENTENCE.replace("wonderful", "dreadful").replace("brilliant", "wooden")
# The sentence and its what-if edit for a Chinese data set (hotel reviews, say).
TOUR_SENTENCE_ZH = "房间很干净，服务也很周到，下次还会再来。"
TOUR_EDIT_ZH = "房间很脏，服务也很差，下次不会再来。"


class TourError(RuntimeError):
    pass


def _wait(app: Any, condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TourError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


def _settle(app: Any, seconds: float = 0.4) -> None:
    """Let timers (debounce, capped redraws) fire before a picture is taken."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def run_tour(outdir: str | Path, *, steps: int = 40, model: str | None = None, size: tuple[int, int] = (1400, 900),
             log: Callable[[str], None] = print, language: str | None = None, data: str | None = None,
             sentence: str | None = None, edited: str | None = None, export: bool = True) -> list[Path]:
    """``language``: the interface language (default English); ``data``: a data set instead of the demo;
    ``export``: run File ▸ Export model… (ONNX, tens of seconds) rather than show it filled in."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from workbench.gui.app import create_app
    from workbench.gui.i18n import install_language

    app = create_app()
    install_language(language or "en")
    chinese = (language or "").startswith("zh")
    sentence = sentence or (TOUR_SENTENCE_ZH if chinese else TOUR_SENTENCE)
    edited = edited or (TOUR_EDIT_ZH if chinese else TOUR_EDIT)
    from PySide6.QtCore import QSettings

    from workbench.engine.models.presets import PRESETS
    from workbench.engine.run_index import find_runs
    from workbench.gui.main_window import MainWindow

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    # The tour never touches the user's remembered state or workspace.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(out / ".settings"))
    from workbench.gui.settings import Settings

    settings = Settings()
    settings.set_workspace(out / "runs")
    window = MainWindow(demo=True, settings=settings)
    window.resize(*size)
    window.show()
    saved: list[Path] = []

    def shoot(panel: str, name: str) -> None:
        window.show_panel(panel)
        _settle(app)
        path = out / name
        window.grab().save(str(path))
        saved.append(path)
        log(f"saved {path}")

    try:
        d, m, t, p, a, e, w = (window.dataset_panel, window.model_panel, window.training_panel,
                               window.prediction_panel, window.attention_panel, window.evaluation_panel,
                               window.whatif_panel)  # by name: the tab order changes as tabs are added
        if data:
            d.open_file(data)
        _wait(app, lambda: not d.busy and not d.problems(), 60, "the dataset")
        shoot("Dataset", "01-dataset.png")

        config = window.current_config()
        if model:
            config.model = model
        config.max_steps = steps
        config.eval_every = max(steps // 5, 1)
        m.load_from(config)
        _wait(app, lambda: not m.problems() and not m.busy, 60, "the model's size to be counted")
        shoot("Model", "02-model.png")

        loaded: list[Any] = []
        p.model_loaded.connect(lambda predictor: loaded.append(predictor))
        window.show_panel("Training")
        t.start()
        _wait(app, lambda: not t.running, 900, "training to finish")
        if t.status.startswith("failed"):
            raise TourError(f"training failed: {t.last_error}")
        t.curves.flush()
        shoot("Training", "03-training.png")

        ready: list[Any] = []
        p.prediction_ready.connect(lambda predictor, text, _result: ready.append(text))
        _wait(app, lambda: bool(loaded), 120, "the trained model to load for prediction")
        window.show_panel("Prediction")
        p.set_text(sentence)
        _wait(app, lambda: sentence in ready, 120, "a prediction")
        shoot("Prediction", "04-prediction.png")

        window.show_panel("Attention")
        a.refresh()
        _wait(app, lambda: a.current_matrix is not None, 120, "the attention map")
        shoot("Attention", "05-attention.png")
        a.views.setCurrentIndex(1)  # the head view, with one token's links isolated
        a.head_view.hover_token("left", min(3, len(a.current_tokens) - 1))
        shoot("Attention", "06-head-view.png")
        a.views.setCurrentIndex(0)

        explained: list[Any] = []
        p.saliency_ready.connect(lambda attribution: explained.append(attribution))
        window.show_panel("Prediction")
        p.saliency.enabled_check.setChecked(True)
        _wait(app, lambda: bool(explained), 120, "the saliency of the sentence")
        shoot("Prediction", "07-saliency.png")

        evaluated: list[Any] = []
        e.evaluated.connect(lambda metrics: evaluated.append(metrics))
        window.show_panel("Evaluation")
        e.set_data(config.data)
        e.evaluate()
        _wait(app, lambda: bool(evaluated), 300, "the evaluation")
        confusion = e.confusion
        if confusion is not None and confusion.shape[0] > 1:
            e.click_cell(0, 1)  # the examples of the first class taken for the second
        shoot("Evaluation", "08-evaluation.png")
        _analysis_pictures(app, window, shoot)
        _dialog_pictures(app, window, out, saved, log, export)

        compared: list[Any] = []
        w.computed.connect(lambda result: compared.append(result.edited.text))
        window.show_panel("Prediction")
        window._on_what_if()
        w.edited_view.text_edit.setPlainText(edited)
        w.compute()
        _wait(app, lambda: edited in compared, 120, "the what-if comparison")
        shoot("What-if", "09-whatif.png")

        # A second run with half the learning rate, so the runs panel has two to compare.
        config.lr = (config.lr or config.resolved_lr(config.model in PRESETS, 0)) / 2
        m.load_from(config)
        _wait(app, lambda: not m.problems() and not m.busy, 60, "the second run's model")
        window.show_panel("Training")
        t.start()
        _wait(app, lambda: not t.running, 900, "the second training run to finish")
        scanned: list[int] = []
        r = window.runs_panel
        r.scanned.connect(scanned.append)
        window.show_panel("Runs")
        r.refresh()
        _wait(app, lambda: bool(scanned) and scanned[-1] >= 2, 60, "the runs to be listed")
        drawn: list[Any] = []
        r.curves_drawn.connect(drawn.append)
        r.select_paths([str(path) for path in find_runs(settings.workspace())])
        _wait(app, lambda: bool(drawn) and len(drawn[-1]) >= 2, 60, "the runs' curves")
        diffs: list[Any] = []
        r.diff_ready.connect(diffs.append)
        r.diff_selected()
        _wait(app, lambda: bool(diffs), 60, "the config diff")
        r.details.setCurrentWidget(r.curves)  # the two runs' curves on one pair of axes
        shoot("Runs", "10-runs.png")
    finally:
        window.close()
        app.processEvents()
    return saved


def _analysis_pictures(app: Any, window: Any, shoot: Callable[[str, str], None]) -> None:
    """The Analysis tab on the evaluation just made: the map before and after Compute, slices, probes."""
    an = window.analysis_panel
    an.tabs.setCurrentWidget(an.map_view)
    shoot("Analysis", "11-analysis-map-empty.png")  # what the map says before it is computed
    drawn: list[bool] = []
    an.map_view.map_ready.connect(lambda: drawn.append(True))
    an.map_view.compute()
    _wait(app, lambda: bool(drawn) or not an.map_view.banner.isHidden(), 300, "the embedding map")
    shoot("Analysis", "12-analysis-map.png")
    an.tabs.setCurrentWidget(an.slices_view)
    _wait(app, lambda: not an.slices_view.busy, 300, "the slices")
    rows = an.slices_view.rows
    if len(rows) > 1:
        an.slices_view.select_slice(rows[1].spec.name)  # a slice's examples in the table below
    shoot("Analysis", "13-analysis-slices.png")
    an.tabs.setCurrentWidget(an.probes_view)
    probed: list[Any] = []
    an.probes_view.report_ready.connect(probed.append)
    an.probes_view.run_probe()
    _wait(app, lambda: bool(probed) or not an.probes_view.busy, 300, "the bias probe")
    shoot("Analysis", "14-analysis-probes.png")
    an.tabs.setCurrentWidget(an.label_errors_view)
    shoot("Analysis", "15-analysis-label-errors.png")
    an.tabs.setCurrentWidget(an.map_view)


def _dialog_pictures(app: Any, window: Any, out: Path, saved: list[Path], log: Callable[[str], None],
                     export_now: bool) -> None:
    """File ▸ Export model… run on the tour's model, and File ▸ Publish to the hub… filled in (not sent)."""
    from workbench.gui.dialogs.export_dialog import ExportDialog
    from workbench.gui.dialogs.publish_dialog import PublishDialog

    def shoot_dialog(dialog: Any, name: str) -> None:
        _settle(app)
        path = out / name
        dialog.grab().save(str(path))
        saved.append(path)
        log(f"saved {path}")

    window.export_action.trigger()
    export = window.findChild(ExportDialog)
    if export_now:
        export.start()
        _wait(app, lambda: not export.busy, 600, "the ONNX export")
    shoot_dialog(export, "16-export-dialog.png")
    export.close()
    window.publish_action.trigger()
    publish = window.findChild(PublishDialog)
    shoot_dialog(publish, "17-publish-dialog.png")
    publish.close()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The tour's options, for ``workbench tour`` and ``python -m workbench.gui.tour`` alike."""
    parser.add_argument("outdir", metavar="OUTDIR")
    parser.add_argument("--steps", type=int, default=40, help="training steps (default 40)")
    parser.add_argument("--model", help="model spec (default: the demo's model)")
    parser.add_argument("--language", choices=["en", "zh_CN"], help="interface language (default en)")
    parser.add_argument("--data", help="a data set to use instead of the built-in demo")
    parser.add_argument("--sentence", help="the sentence typed into the prediction panel")
    parser.add_argument("--no-export", dest="export", action="store_false",
                        help="show the export dialog filled in instead of exporting to ONNX (faster)")


def run_from_args(args: argparse.Namespace) -> int:
    run_tour(args.outdir, steps=args.steps, model=args.model, language=args.language, data=args.data,
             sentence=args.sentence, export=args.export)
    return 0


def main(argv: list[str] | None = None) -> int:
    # Its own parser: the GUI does not import the CLI (issue 15).
    parser = argparse.ArgumentParser(prog="python -m workbench.gui.tour", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run_from_args(parser.parse_args(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
