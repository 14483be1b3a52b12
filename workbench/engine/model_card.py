"""The model card (``model/README.md``) of a run, written from what the run recorded.

The card is what the Hugging Face hub shows on a model's page: YAML front matter the hub reads
(``library_name``, ``pipeline_tag``, ``tags``, ``base_model``, ``metrics`` and a ``model-index``
with the final figures), then the base model, task, labels, the training file and its SHA-256,
the hyperparameters (``config.json``), the final metrics (``summary.json``, with per-class tables
when the run has them), training time and hardware, and the task's intended use and limits
(``Task.card_use_and_limits``).

The trainer writes it when it finalises a run (after ``summary.json``); ``workbench push`` writes
it for older runs that have none. Every write is atomic.
"""

from __future__ import annotations

import math
import platform
from pathlib import Path
from typing import Any

from workbench.engine.errors import CheckpointError
from workbench.engine.runs import (
    MODEL_DIR,
    RunFolder,
    atomic_write_text,
    read_json_object,
    read_run_config,
)

CARD_FILE = "README.md"
# Hyperparameters shown in the card, in this order (the rest of config.json is paths and switches).
_HYPERPARAMETERS = (
    "epochs", "max_steps", "max_minutes", "batch_size", "grad_accum", "lr", "warmup_ratio", "weight_decay",
    "max_grad_norm", "max_length", "doc_stride", "seed", "precision", "freeze_embeddings", "freeze_layers",
    "early_stopping_patience", "metric_for_best", "layers", "heads", "hidden", "vocab_size",
    "whole_word_masking", "next_sentence_prediction", "label_separator", "source_prefix",
)  # fmt: skip
# Summary figures that are counts or bookkeeping, not metrics of the model.
_NOT_METRICS = frozenset({"eval_examples"})


# --------------------------------------------------------------------------- facts


def _read_json(path: Path) -> dict[str, Any]:
    return read_json_object(path)[0] or {}


def _task(name: Any) -> Any:
    from workbench.engine.tasks.registry import find_task

    return find_task(name) if isinstance(name, str) else None


def hub_base_model(spec: Any) -> str | None:
    """The hub id a run started from, or None (a preset trained from scratch, or a local folder)."""
    if not isinstance(spec, str) or not spec.strip():
        return None
    from workbench.engine.models.installed import installed_packages
    from workbench.engine.models.presets import PRESETS

    if spec in PRESETS:
        return None
    for name, hub_id, folder in installed_packages():  # an installed checkpoint: its hub id
        if spec.lower() in (name.lower(), hub_id.lower()) or Path(spec).expanduser() == folder:
            return hub_id
    looks_like_path = spec.startswith((".", "/", "~")) or "\\" in spec or spec.count("/") > 1
    if looks_like_path or Path(spec).expanduser().exists():
        return None
    return spec


def scalar_metrics(summary: dict[str, Any]) -> dict[str, float]:
    """The final figures of ``summary.json`` (``eval_accuracy`` -> ``accuracy``), finite numbers only."""
    out: dict[str, float] = {}
    for key, value in summary.items():
        if not key.startswith("eval_") or key in _NOT_METRICS or isinstance(value, bool):
            continue
        if isinstance(value, (int, float)) and math.isfinite(value):
            out[key[len("eval_"):]] = float(value)
    return out


def per_class_tables(summary: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """``eval_per_class`` / ``eval_per_type``: label -> {precision, recall, f1, support}."""
    tables = {}
    for key, value in summary.items():
        if key.startswith("eval_per_") and isinstance(value, dict) and value:
            if all(isinstance(row, dict) for row in value.values()):
                tables[key[len("eval_per_"):]] = value
    return tables


def hardware_description(device: Any = None) -> str:
    """The machine a run trained on, in words: the GPU's name, or the CPU and its core count."""
    import os

    kind = getattr(device, "type", str(device or "cpu"))
    if kind == "cuda":
        import torch

        try:
            return torch.cuda.get_device_name(device)
        except (RuntimeError, AssertionError):
            return "CUDA GPU"
    cpu = platform.processor() or platform.machine() or "CPU"
    return f"{cpu}, {os.cpu_count() or '?'} cores ({platform.system()})" if kind == "cpu" else kind


def _language(config: dict[str, Any], meta: dict[str, Any]) -> list[str]:
    """The language codes a run recorded (none of today's tasks records one: then the card has none)."""
    found: list[str] = []
    for source in (config, meta):
        for key in ("language", "source_lang", "target_lang"):
            value = source.get(key)
            for code in value if isinstance(value, list) else [value]:
                if isinstance(code, str) and code and code not in found:
                    found.append(code)
    return found


# --------------------------------------------------------------------------- card text


def card_metadata(run_dir: Path) -> dict[str, Any]:
    """The front matter of the run's card, as a dict (what the hub reads)."""
    run = RunFolder(run_dir)
    summary, config = run.read_summary(), read_run_config(run_dir)
    meta = _read_json(run.model_dir / "workbench_model.json")
    model_config = _read_json(run.model_dir / "config.json")
    task = _task(summary.get("task") or config.get("task") or meta.get("task"))
    tags = ["transformer-workbench"]
    if task is not None:
        tags.append(task.name)
    if isinstance(model_config.get("model_type"), str):
        tags.append(model_config["model_type"])
    data: dict[str, Any] = {"library_name": "transformers"}
    if task is not None and task.hub_pipeline_tag:
        data["pipeline_tag"] = task.hub_pipeline_tag
    if languages := _language(config, meta):
        data["language"] = languages
    data["tags"] = tags
    base = hub_base_model(summary.get("model") or config.get("model") or meta.get("base_model"))
    if base:
        data["base_model"] = base
    metrics = scalar_metrics(summary)
    if metrics:
        data["metrics"] = list(metrics)
        data["model-index"] = [_model_index(run_dir, summary, config, task, metrics)]
    return data


def _model_index(
    run_dir: Path, summary: dict[str, Any], config: dict[str, Any], task: Any, metrics: dict[str, float]
) -> dict[str, Any]:
    data_file = summary.get("validation") or summary.get("data") or config.get("data") or "data"
    split = "validation" if summary.get("validation") or config.get("validation") else "held-out part of training"
    return {
        "name": Path(run_dir).name,
        "results": [{
            "task": {"type": (task.hub_pipeline_tag if task else None) or "other",
                     "name": task.display_name if task else "unknown"},
            "dataset": {"name": Path(str(data_file)).name, "type": "local-file", "split": split},
            "metrics": [{"type": name, "name": name, "value": round(value, 6)} for name, value in metrics.items()],
        }],
    }  # fmt: skip


def _yaml(data: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)


def _fmt(value: Any) -> str:
    if value is None:
        return "default"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e-3 or abs(value) >= 1e4 else f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value).replace("|", "\\|")


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_fmt(cell) for cell in row) + " |" for row in rows]


def _metrics_section(summary: dict[str, Any]) -> list[str]:
    metrics = scalar_metrics(summary)
    if not metrics:
        return ["## Results", "", "The run recorded no evaluation metrics (it had no validation data).", ""]
    lines = ["## Results", ""]
    examples = summary.get("eval_examples")
    where = f" on {examples} validation examples" if isinstance(examples, int) else ""
    lines += [f"Final evaluation of the saved model{where} (from the run's `summary.json`):", ""]
    lines += _table(["metric", "value"], [[name, value] for name, value in metrics.items()]) + [""]
    for kind, table in per_class_tables(summary).items():
        columns = list(dict.fromkeys(col for row in table.values() for col in row))
        lines += [f"Per {kind}:", ""]
        lines += _table([kind, *columns], [[name, *(row.get(c, "") for c in columns)] for name, row in table.items()])
        lines.append("")
    return lines


def _training_section(summary: dict[str, Any], config: dict[str, Any], hardware: str | None) -> list[str]:
    lines = ["## Training", ""]
    data = summary.get("data") or config.get("data")
    if data:
        lines.append(f"- Training data: `{Path(str(data)).name}` (`{data}`)")
        sha = summary.get("data_file_sha256")
        digest = f"`{sha}`" if sha else "not recorded (a run from before the workbench recorded it)"
        lines.append(f"- SHA-256 of the training data: {digest}")  # a folder: of all its files
    validation = summary.get("validation") or config.get("validation")
    lines.append(f"- Validation data: `{validation}`" if validation else
                 f"- Validation data: a held-out {config.get('validation_fraction', 0.1)} of the training file")
    seconds = summary.get("train_runtime_s")
    if isinstance(seconds, (int, float)):
        from workbench.engine.formatting import format_duration

        steps = summary.get("steps", "?")
        lines.append(f"- Training time: {format_duration(float(seconds))} ({float(seconds):.1f} s, {steps} steps)")
    device = summary.get("device")
    if device or hardware:
        world = summary.get("world_size") or 1
        processes = f", {world} processes" if world > 1 else ""
        lines.append(f"- Hardware: {', '.join(str(p) for p in (hardware, device) if p)}{processes}")
    if isinstance(summary.get("num_parameters"), int):
        lines.append(f"- Parameters: {summary['num_parameters']:,}")
    # Unset options are left out, but for the learning rate: None there means the task's default.
    rows = [[key, config[key]] for key in _HYPERPARAMETERS
            if key in config and config[key] not in ("", False) and (config[key] is not None or key == "lr")]
    if rows:
        lines += ["", "Hyperparameters (the run's `config.json`; `default` = the workbench's default):", ""]
        lines += _table(["setting", "value"], rows)
    return lines + [""]


def build_card(run_dir: str | Path, *, hardware: str | None = None) -> str:
    """The whole card (front matter and Markdown) of the run in ``run_dir``."""
    run_dir = Path(run_dir)
    run = RunFolder(run_dir)
    summary, config = run.read_summary(), read_run_config(run_dir)
    meta = _read_json(run.model_dir / "workbench_model.json")
    task = _task(summary.get("task") or config.get("task") or meta.get("task"))
    base = summary.get("model") or config.get("model") or meta.get("base_model") or "unknown"
    labels = summary.get("label_names") or meta.get("label_names") or []
    lines = ["---", _yaml(card_metadata(run_dir)).rstrip(), "---", "", f"# {run_dir.name}", ""]
    task_words = task.display_name if task is not None else str(summary.get("task") or "unknown task")
    lines += [f"A {task_words} model fine-tuned with Transformer Workbench.", ""]
    hub = hub_base_model(base)
    if hub:
        lines.append(f"- Base model: [{hub}](https://huggingface.co/{hub})")
    else:  # a preset (random weights) or a local folder: no hub page to link
        lines.append(f"- Base model: `{base}`" + (" (trained from scratch)" if _is_preset(base) else ""))
    lines.append(f"- Task: {task_words}")
    if labels:
        lines.append(f"- Labels ({len(labels)}): " + ", ".join(f"`{name}`" for name in labels[:50])
                     + (" ..." if len(labels) > 50 else ""))
    lines += [f"- Run status: {summary.get('status', 'unknown')}", ""]
    lines += _training_section(summary, config, hardware)
    lines += _metrics_section(summary)
    lines += ["## Intended use and limits", ""]
    lines += [task.card_use_and_limits if task is not None else _UNKNOWN_TASK_LIMITS, ""]
    return "\n".join(lines)


_UNKNOWN_TASK_LIMITS = (
    "The run does not say which task this model was trained for. Test it on your own data before any use."
)


def _is_preset(spec: Any) -> bool:
    from workbench.engine.models.presets import PRESETS

    return isinstance(spec, str) and spec in PRESETS


# --------------------------------------------------------------------------- writing


def card_path(run_dir: str | Path) -> Path:
    return Path(run_dir) / MODEL_DIR / CARD_FILE


def write_card(run_dir: str | Path, *, hardware: str | None = None) -> Path:
    """Write (or rewrite) ``model/README.md`` of a run, atomically; returns its path."""
    run_dir = Path(run_dir)
    if not (run_dir / MODEL_DIR).is_dir():
        raise CheckpointError(f"{run_dir}: no {MODEL_DIR}/ folder (the run has not saved a final model).")
    path = card_path(run_dir)
    atomic_write_text(path, build_card(run_dir, hardware=hardware))
    return path


def ensure_card(run_dir: str | Path) -> tuple[Path, bool]:
    """The run's card, written first when it is missing (older runs); (path, whether written now)."""
    path = card_path(run_dir)
    if path.is_file():
        return path, False
    return write_card(run_dir), True


def read_front_matter(card: str) -> dict[str, Any]:
    """The YAML front matter of a card's text ({} when it has none)."""
    import yaml

    if not card.startswith("---\n"):
        return {}
    end = card.find("\n---\n", 4)
    if end < 0:
        return {}
    data = yaml.safe_load(card[4:end])
    return data if isinstance(data, dict) else {}
