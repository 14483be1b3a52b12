"""Evaluation reports: a plain dict, a predictions CSV, a JSON file and a self-contained HTML page.

Qt-free and torch-free: everything here works on an ``EvalResult`` (numpy arrays
and a metrics dict) and the ``Examples`` that were evaluated, so the GUI's export
buttons and a script produce the same files. Every file is written atomically
(``runs.atomic_write_text``): an export that fails half-way leaves the old file.

    report = build_report(result, examples, label_names=names, task="classification")
    write_predictions_csv("predictions.csv", result, examples, names, tokenizer=tokenizer)
    write_report_json("report.json", report)
    write_report_html("report.html", report)

The predictions CSV is the one prediction-file format of the workbench: ``workbench
eval --predictions`` and the app's CSV export both write ``predictions_table``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
from collections.abc import Sequence
from datetime import datetime, timezone
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.engine.generation_metrics import METRIC_NAMES
from workbench.engine.result_rows import PROBABILITY_PREFIX, example_table
from workbench.engine.runs import atomic_write_text, json_safe
from workbench.engine.tasks.registry import find_task

if TYPE_CHECKING:
    from workbench.engine.data import Examples
    from workbench.engine.eval_loop import EvalResult
    from workbench.engine.tasks.base import Task

# The HTML report lists this many of the most confident mistakes: enough to see a
# pattern (a mislabelled class, a confusable pair), few enough to read.
TOP_MISTAKES = 25
# Viridis at five stops (matplotlib's values), for shading the HTML confusion matrix
# the same way the app does, without importing a plotting library.
_VIRIDIS = (
    (0.00, (68, 1, 84)),
    (0.25, (59, 82, 139)),
    (0.50, (33, 145, 140)),
    (0.75, (94, 201, 98)),
    (1.00, (253, 231, 37)),
)


# ---------------------------------------------------------------------------- rows


def _task_of(examples: Examples) -> Task | None:
    return find_task(getattr(examples, "task", None))


def prediction_rows(
    result: EvalResult, examples: Examples, label_names: Sequence[str], *, label_separator: str = "|"
) -> list[dict[str, Any]]:
    """One dict per evaluated example, in the examples' order, as their task writes it (``Task.prediction_rows``).

    Classification: ``example, line, text, [text_pair], label, predicted,
    confidence, loss, correct`` (confidence = the predicted class's probability).
    Token classification: ``example, line, text`` (the words), ``label`` and
    ``predicted`` (the tags, space-separated), ``tags_correct, tags_total, correct``.
    Multi-label: as classification, the label sets joined with ``label_separator``.
    Language models and question answering: none.
    """
    task = _task_of(examples)
    if task is None:
        return []
    return task.prediction_rows(result, examples, label_names, label_separator=label_separator)


# -------------------------------------------------------------------------- report


def build_report(
    result: EvalResult,
    examples: Examples,
    *,
    label_names: Sequence[str],
    task: str,
    model: str = "",
    data: str = "",
    top_mistakes: int = TOP_MISTAKES,
    intervals: dict[str, tuple[float, float]] | None = None,
) -> dict[str, Any]:
    """Everything an evaluation found, as JSON-ready values.

    ``metrics`` is the evaluation's metrics dict unchanged (so a report can be
    compared with ``workbench eval --json``); ``mistakes`` holds the most
    confident wrong predictions (classification), the sentences with the most
    wrong tags (token classification) or the lowest sentence scores (generated
    text): ``Task.worst_first``. ``intervals``: bootstrap confidence intervals of
    metrics (``Task.metric_intervals``), listed beside them.
    """
    rows = prediction_rows(result, examples, label_names)
    found = _task_of(examples)
    wrong = found.worst_first(rows) if found is not None else []
    report = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "model": str(model),
        "data": str(data),
        "task": task,
        "num_examples": len(rows) if rows else int(result.metrics.get("eval_examples", 0)),
        "label_names": [str(n) for n in label_names],
        "metrics": json_safe(result.metrics),
        "mistakes": json_safe(wrong[:top_mistakes]),
    }
    if intervals:
        report["intervals"] = {key: [float(low), float(high)] for key, (low, high) in intervals.items()}
    return report


# --------------------------------------------------------------------------- files


def probability_label(column: str) -> str | None:
    """The label of a probability column, for a reader of prediction files (the old ``p(<label>)`` too)."""
    if column.startswith(PROBABILITY_PREFIX):
        return column[len(PROBABILITY_PREFIX):]
    if column.startswith("p(") and column.endswith(")"):  # the app's exports before the two formats became one
        return column[2:-1]
    return None


def predictions_table(
    result: EvalResult,
    examples: Examples,
    label_names: Sequence[str],
    *,
    tokenizer: Any = None,
    max_length: int | None = None,
    label_separator: str = "|",
) -> list[list[Any]]:
    """The prediction file as rows, a header first: ``workbench eval --predictions`` and the app's export.

    Classification and multi-label: one row per example, ``example, line, text,
    [text_pair], label, predicted, confidence, loss, correct`` (1 or 0; empty without a
    label) and ``p_<label>`` per class; multi-label label sets are joined with
    ``label_separator`` (so the file reads back as data). Token classification: one
    row per word, ``example, line, word, label, predicted`` (empty for a word the model
    never saw, cut off by ``max_length``). Question answering: one row per question.
    Floats are written exactly (repr): metrics recomputed from the file are the same.
    """
    task = _task_of(examples)
    if task is None:  # examples of no known task: the per-example header, no rows
        return example_table([], examples, None, [])
    return task.prediction_table(result, examples, label_names, tokenizer=tokenizer, max_length=max_length,
                                 label_separator=label_separator)


def predictions_csv(
    result: EvalResult, examples: Examples, label_names: Sequence[str], **options: Any
) -> str:
    """``predictions_table`` as CSV text (``options``: its tokenizer, max_length, label_separator)."""
    return rows_csv(predictions_table(result, examples, label_names, **options))


def rows_csv(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_rows_csv(path: str | Path, rows: list[list[Any]]) -> None:
    atomic_write_text(Path(path), rows_csv(rows))


def write_predictions_csv(
    path: str | Path, result: EvalResult, examples: Examples, label_names: Sequence[str], **options: Any
) -> None:
    """Write ``predictions_table`` atomically (``options``: its tokenizer, max_length, label_separator)."""
    write_rows_csv(path, predictions_table(result, examples, label_names, **options))


def write_report_json(path: str | Path, report: dict[str, Any]) -> None:
    text = json.dumps(json_safe(report), indent=2, ensure_ascii=False) + "\n"
    atomic_write_text(Path(path), text)


def write_report_html(path: str | Path, report: dict[str, Any]) -> None:
    atomic_write_text(Path(path), report_html(report))


# ---------------------------------------------------------------------------- HTML

REPORT_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px;
       color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
.meta { color: #555; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; }
th { background: #f3f3f3; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.cm td { text-align: center; min-width: 2.2em; padding: 2px 4px; }
table.cm th.col { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
                  vertical-align: bottom; font-weight: normal; }
table.cm th.row { white-space: nowrap; font-weight: normal; }
table.cm.small { font-size: 0.75em; }
table.cm td.z { background: rgb(68,1,84); color: #9a7fa6; }
.note { color: #555; font-size: 0.9em; }
"""


def fixed(value: float, digits: int) -> str:
    """``value`` to ``digits`` decimals; a value that rounds to zero reads 0.000, never -0.000."""
    return f"{round(value, digits) + 0.0:.{digits}f}"


def format_value(value: Any, digits: int = 4) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return html.escape(str(value))
    if isinstance(value, float):
        return "–" if math.isnan(value) else fixed(value, digits)
    return html.escape(str(value))


def viridis(t: float) -> tuple[int, int, int]:
    """The viridis colour at ``t`` in [0, 1] (linear between five stops)."""
    t = min(max(float(t), 0.0), 1.0) if math.isfinite(t) else 0.0
    for (t0, c0), (t1, c1) in pairwise(_VIRIDIS):
        if t <= t1:
            f = (t - t0) / (t1 - t0)
            return tuple(round(a + (b - a) * f) for a, b in zip(c0, c1))  # type: ignore[return-value]
    return _VIRIDIS[-1][1]


def _generation_rows(metrics: dict[str, Any], intervals: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(name, value, 95% interval) of each generated-text metric in ``metrics``, then loss and counts."""
    out = []
    for name, info in METRIC_NAMES.items():
        key = f"eval_{name}"
        if key in metrics:
            low_high = intervals.get(key)
            ci = f"{format_value(low_high[0], 2)} – {format_value(low_high[1], 2)}" if low_high else ""
            out.append((info.display_name, format_value(metrics[key], 2), ci))
    for name, key in (("Loss", "eval_loss"), ("Perplexity", "eval_perplexity"),
                      ("Examples", "eval_examples"), ("Generated", "eval_generated")):
        if key in metrics:
            out.append((name, format_value(metrics[key]), ""))
    return out


def _summary_rows(metrics: dict[str, Any], tagging: bool) -> list[tuple[str, str]]:
    if tagging:
        keys = (
            ("Token accuracy", "eval_accuracy"),
            ("Entity precision", "eval_entity_precision"),
            ("Entity recall", "eval_entity_recall"),
            ("Entity F1", "eval_entity_f1"),
            ("Tokens", "eval_num_tokens"),
            ("Loss", "eval_loss"),
            ("Sentences", "eval_examples"),
        )
    else:
        keys = (
            ("Accuracy", "eval_accuracy"),
            ("F1 (micro)", "eval_f1_micro"),  # multi-label
            ("Subset accuracy", "eval_subset_accuracy"),
            ("Hamming loss", "eval_hamming_loss"),
            ("Precision (macro)", "eval_precision_macro"),
            ("Recall (macro)", "eval_recall_macro"),
            ("F1 (macro)", "eval_f1_macro"),
            ("Precision (weighted)", "eval_precision_weighted"),
            ("Recall (weighted)", "eval_recall_weighted"),
            ("F1 (weighted)", "eval_f1_weighted"),
            ("Loss", "eval_loss"),
            ("Examples", "eval_examples"),
        )
    return [(name, format_value(metrics[key])) for name, key in keys if key in metrics]


def _per_class_table(per_class: dict[str, Any], title: str) -> list[str]:
    out = [
        f"<h2>{html.escape(title)}</h2>",
        "<table><tr><th>Label</th><th>Precision</th><th>Recall</th><th>F1</th><th>Support</th></tr>",
    ]
    for name, row in per_class.items():
        out.append(
            f"<tr><th>{html.escape(str(name))}</th>"
            + "".join(
                f'<td class="num">{format_value(row.get(k))}</td>' for k in ("precision", "recall", "f1")
            )
            + f'<td class="num">{format_value(row.get("support"))}</td></tr>'
        )
    out.append("</table>")
    return out


def _confusion_table(matrix: list[list[int]], names: list[str]) -> list[str]:
    counts = np.asarray(matrix, dtype=np.int64)  # (L, L), rows true, cols predicted
    row_sums = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, row_sums, out=np.zeros(counts.shape), where=row_sums > 0)
    small = " small" if len(names) > 20 else ""
    out = [
        "<h2>Confusion matrix</h2>",
        (
            '<p class="note">Rows: true label; columns: predicted label. Cells show counts, '
            "shaded by the share of the row (row-normalised).</p>"
        ),
        f'<table class="cm{small}"><tr><th>true \\ predicted</th>',
    ]
    out += [f'<th class="col">{html.escape(n)}</th>' for n in names]
    out.append("<th>total</th></tr>")
    for i, name in enumerate(names):
        cells = []
        for j in range(len(names)):
            if counts[i, j] == 0:
                cells.append('<td class="z">0</td>')  # most cells of a big matrix: keep them short
                continue
            r, g, b = viridis(share[i, j])
            text = "#fff" if share[i, j] < 0.6 else "#000"
            tip = (
                f"true {name} → predicted {names[j]}: {counts[i, j]} ({share[i, j]:.1%} of the row)"
            )
            cells.append(
                f'<td style="background:rgb({r},{g},{b});color:{text}" '
                f'title="{html.escape(tip)}">{counts[i, j]}</td>'
            )
        out.append(
            f'<tr><th class="row">{html.escape(name)}</th>{"".join(cells)}'
            f'<td class="num">{int(row_sums[i, 0])}</td></tr>'
        )
    out.append("</table>")
    return out


def _worst_outputs_table(rows: list[dict[str, Any]], metric: str) -> list[str]:
    """The lowest-scored generated texts: source, references, prediction and ``metric``."""
    if not rows:
        return []
    shown = METRIC_NAMES[metric].display_name if metric in METRIC_NAMES else metric
    out = [
        "<h2>Lowest-scored outputs</h2>",
        f'<p class="note">Sentence-level {html.escape(shown)} of each output against its references, '
        "lowest first.</p>",
        "<table><tr><th>#</th><th>Line</th><th>Source</th><th>References</th><th>Prediction</th>"
        f"<th>{html.escape(shown)}</th></tr>",
    ]
    for row in rows:
        try:
            references = [str(r) for r in json.loads(row.get("references") or "[]")]
        except (TypeError, ValueError):
            references = [str(row.get("reference", ""))]
        refs = "<br>".join(html.escape(r) for r in references)
        out.append(
            f'<tr><td class="num">{row["example"]}</td><td class="num">{format_value(row.get("line"))}</td>'
            f"<td>{html.escape(str(row.get('source', '')))}</td><td>{refs}</td>"
            f"<td>{html.escape(str(row.get('prediction') or ''))}</td>"
            f'<td class="num">{format_value(row.get(metric), 2)}</td></tr>'
        )
    out.append("</table>")
    return out


def _mistakes_table(mistakes: list[dict[str, Any]], tagging: bool) -> list[str]:
    if not mistakes:
        return []
    if tagging:
        head = "<tr><th>#</th><th>Line</th><th>Words</th><th>Tags</th><th>Predicted</th><th>Right</th></tr>"
    else:
        head = (
            "<tr><th>#</th><th>Line</th><th>Text</th><th>Label</th><th>Predicted</th>"
            "<th>Confidence</th><th>Loss</th></tr>"
        )
    out = [
        "<h2>Most confident mistakes</h2>"
        if not tagging
        else "<h2>Sentences with the most wrong tags</h2>",
        f"<table>{head}",
    ]
    for row in mistakes:
        if tagging:
            right = f"{row['tags_correct']}/{row['tags_total']}"
            cells = [row["text"], row["label"], row["predicted"]]
            tail = f'<td class="num">{html.escape(right)}</td>'
        else:
            cells = [row["text"], row["label"], row["predicted"]]
            tail = f'<td class="num">{format_value(row["confidence"], 3)}</td><td class="num">{format_value(row["loss"], 3)}</td>'
        out.append(
            f'<tr><td class="num">{row["example"]}</td><td class="num">{format_value(row.get("line"))}</td>'
            + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells)
            + tail
            + "</tr>"
        )
    out.append("</table>")
    return out


def _generation_report(report: dict[str, Any], metrics: dict[str, Any], metric: str) -> list[str]:
    """The metrics table (with 95% bootstrap intervals) and the lowest-scored outputs; the page's end."""
    parts = ["<table><tr><th>Metric</th><th>Value</th><th>95% interval</th></tr>"]
    parts += [
        f'<tr><th>{html.escape(name)}</th><td class="num">{value}</td><td class="num">{ci}</td></tr>'
        for name, value, ci in _generation_rows(metrics, dict(report.get("intervals") or {}))
    ]
    parts.append("</table>")
    if report.get("intervals"):
        parts.append('<p class="note">Intervals: percentile bootstrap over the examples generated for.</p>')
    parts += _worst_outputs_table(list(report.get("mistakes") or []), metric)
    parts.append("</body></html>\n")
    return parts


def report_html(report: dict[str, Any]) -> str:
    """A single HTML page (inline CSS, no scripts, no external files)."""
    metrics = report.get("metrics") or {}
    found = find_task(report.get("task"))
    tagging = found is not None and found.tags_words
    names = [str(n) for n in report.get("label_names") or metrics.get("label_names") or []]
    title = "Evaluation report"
    model = str(report.get("model") or "")
    data = str(report.get("data") or "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}{' · ' + html.escape(model) if model else ''}</title>",
        f"<style>{REPORT_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        (
            '<p class="meta">'
            f"Model: <b>{html.escape(model or '–')}</b><br>"
            f"Data: <b>{html.escape(data or '–')}</b><br>"
            f"Task: {html.escape(str(report.get('task', '')))} · "
            f"{format_value(report.get('num_examples', ''))} examples · "
            f"created {html.escape(str(report.get('created', '')))}"
            "</p>"
        ),
        "<h2>Metrics</h2>",
    ]
    if found is not None and found.sentence_metric:  # generated text: scores with their intervals
        parts += _generation_report(report, metrics, found.sentence_metric)
        return "\n".join(parts)
    parts += [
        "<table><tr><th>Metric</th><th>Value</th></tr>",
        *(
            f'<tr><th>{html.escape(name)}</th><td class="num">{value}</td></tr>'
            for name, value in _summary_rows(metrics, tagging)
        ),
    ]
    parts.append("</table>")
    if tagging:
        if metrics.get("eval_per_type"):
            parts += _per_class_table(metrics["eval_per_type"], "Per entity type")
        parts.append(
            '<p class="note">Token classification has no confusion matrix here: entity scores '
            "count a predicted entity as right only if its type, start and end all match.</p>"
        )
        if names:
            parts.append(
                '<p class="note">Tags: ' + ", ".join(html.escape(n) for n in names) + "</p>"
            )
    else:
        if metrics.get("eval_per_class"):
            parts += _per_class_table(metrics["eval_per_class"], "Per class")
        matrix = metrics.get("eval_confusion_matrix")
        if matrix:
            parts += _confusion_table(matrix, names or [str(i) for i in range(len(matrix))])
    parts += _mistakes_table(list(report.get("mistakes") or []), tagging)
    parts.append("</body></html>\n")
    return "\n".join(parts)
