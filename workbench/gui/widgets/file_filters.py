"""The file-dialog filters for data files, shared by the panels that open them."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from workbench.gui.i18n import translate

# The catalogue holds these under the Dataset panel's context, where they were first used.
_CONTEXT = "DatasetPanel"
_FILTERS = (
    QT_TRANSLATE_NOOP(
        "DatasetPanel",
        "Data files (*.csv *.tsv *.jsonl *.ndjson *.txt *.conll *.bio *.iob *.bioes *.conllu *.json "
        "*.parquet *.arrow *.feather *.ipc *.xlsx *.xlsm dataset_info.json dataset_dict.json)",
    ),
    "CSV (*.csv)",
    "TSV (*.tsv)",
    "JSON Lines (*.jsonl *.ndjson)",
    QT_TRANSLATE_NOOP("DatasetPanel", "Plain text, one example per line (*.txt)"),
    "CoNLL (*.conll *.bio *.iob *.bioes)",
    "CoNLL-U (*.conllu)",
    QT_TRANSLATE_NOOP("DatasetPanel", "SQuAD question answering (*.json)"),
    "Parquet (*.parquet)",
    "Arrow / Feather (*.arrow *.feather *.ipc)",
    QT_TRANSLATE_NOOP("DatasetPanel", "Excel workbooks (*.xlsx *.xlsm)"),
    # A folder written by datasets' save_to_disk is chosen by one of the files it holds.
    QT_TRANSLATE_NOOP("DatasetPanel", "Saved datasets folders (dataset_info.json dataset_dict.json)"),
    QT_TRANSLATE_NOOP("DatasetPanel", "All files (*)"),
)
# In English, for places that need no translation.
FILE_FILTERS = ";;".join(_FILTERS)


def file_filters() -> str:
    """FILE_FILTERS in the interface language (format names without words stay as they are)."""
    return ";;".join(translate(_CONTEXT, f) for f in _FILTERS)
