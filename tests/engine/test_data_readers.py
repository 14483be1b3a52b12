"""Readers: format detection, unusual-but-valid files, malformed files, real data."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.engine.data import detect_format, read_table
from workbench.engine.errors import DatasetError
from workbench.engine.task_data import build_examples, default_task, detect_columns, load_dataset

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "data" / "good"
BAD = ROOT / "tests" / "data" / "bad"
SHARED = ROOT / ".." / "shared" / "data"

# Every malformed file: (task, physical line of the problem, words the message must hold).
# task None: the default for the format (what `workbench data FILE` uses).
BAD_FILES: dict[str, tuple[str | None, int, tuple[str, ...]]] = {
    "binary_garbage.csv": (None, 1, ("binary",)),
    "broken_line.jsonl": (None, 3, ("invalid JSON", "column 28")),
    "conll_docstart_only.conll": (None, 1, ("no sentences",)),
    "conll_empty_tag.bio": (None, 4, ("tag is empty",)),
    "conll_one_column.conll": (None, 3, ("expected 2 columns", "found 1")),
    "conll_single_tag.conll": (None, 1, ("at least two",)),
    "conll_three_columns.conll": (None, 1, ("expected 2 columns", "found 3")),
    "conllu_bad_id.conllu": (None, 2, ("'x'",)),
    "conllu_short_row.conllu": (None, 3, ("expected 10", "found 7")),
    "conllu_spaces_not_tabs.conllu": (None, 2, ("expected 10", "found 1")),
    "cp1252_bytes.csv": (None, 3, ("0xe9", "byte offset 26", "UTF-8")),
    "duplicate_header.csv": (None, 1, ("'text' twice",)),
    "empty.csv": (None, 1, ("empty",)),
    "empty_text_column.csv": (None, 2, ("empty in every row",)),
    "float_label.csv": (None, 2, ("0.75", "regression")),
    "fractional_label.jsonl": (None, 2, ("0.5", "regression")),
    "gbk_bytes.csv": (None, 2, ("byte offset 15", "UTF-8")),
    "gzip_renamed.csv": (None, 1, ("gzip",)),
    "header_only.csv": (None, 1, ("no data rows",)),
    "header_only_blank_lines.tsv": (None, 1, ("no data rows",)),
    "json_array_line.jsonl": (None, 2, ("found a JSON array",)),
    "json_string_line.jsonl": (None, 3, ("found a JSON string",)),
    "list_label.jsonl": (None, 1, ("multi-label",)),
    "missing_label.csv": (None, 4, ("label is missing",)),
    "missing_label_key.jsonl": (None, 2, ("label is missing",)),
    "missing_label_whitespace.tsv": (None, 4, ("label is missing",)),
    "nan_label.jsonl": (None, 2, ("nan",)),
    "no_label_column.csv": (None, 1, ("label", "columns are: text")),
    "nul_in_text.tsv": (None, 3, ("NUL", "byte offset 24")),
    "null_label.jsonl": (None, 3, ("null",)),
    "null_text.jsonl": (None, 2, ("null", "'text'")),
    "old_excel.csv": (None, 1, ("Excel",)),
    "pdf_renamed.txt": (None, 1, ("PDF",)),
    "plain_text_for_classification.txt": ("classification", 1, ("no labels",)),
    "ragged_row.tsv": (None, 3, ("expected 2 fields", "found 3")),
    "ragged_row_extra_field.csv": (None, 3, ("expected 2 fields", "found 3")),
    "ragged_row_missing_field.csv": (None, 3, ("expected 2 fields", "found 1")),
    "single_class.csv": (None, 2, ("at least two classes", "'pos'")),
    "tokens_tags_mismatch.jsonl": ("token-classification", 2, ("2 words but 1 tags",)),
    "unclosed_quote.csv": (None, 3, ("never closed",)),
    "utf16_no_bom.csv": (None, 1, ("UTF-16",)),
    "whitespace_only.csv": (None, 1, ("whitespace",)),
    "whitespace_only.txt": (None, 1, ("whitespace",)),
    "whole_file_json_array.jsonl": (None, 1, ("JSON Lines",)),
    "xlsx_renamed.csv": (None, 1, ("ZIP", "Excel", "export")),
    "zip_archive.jsonl": (None, 1, ("ZIP archive",)),
    # Added for issue 7 (bad data): encodings, renamed binaries, pages and pointers, odd JSON.
    "bom_header_only.csv": (None, 1, ("no data rows",)),
    "bzip2_renamed.tsv": (None, 1, ("bzip2", "Decompress")),
    "conll_mixed_columns.conll": (None, 2, ("expected 2 columns", "found 4")),
    "deep_nesting.jsonl": (None, 2, ("JSON",)),
    "docx_renamed.txt": (None, 1, ("Word document",)),
    "first_row_too_long.csv": (None, 2, ("expected 3 fields", "found 2", "header names more")),
    "git_lfs_pointer.csv": (None, 1, ("Git LFS", "git lfs pull")),
    "html_page.csv": (None, 1, ("HTML", "raw file")),
    "invalid_utf8_continuation.tsv": (None, 3, ("0xc3", "byte offset 22", "UTF-8")),
    "jsonl_label_object.jsonl": (None, 2, ("JSON object",)),
    "jsonl_text_object.jsonl": (None, 3, ("JSON dict", "not a string")),
    "misnamed_columns.csv": (None, 1, ("cannot tell", "review_txt", "--label-column")),
    "nan_label.csv": (None, 3, ("'NaN'", "missing")),
    "ods_renamed.csv": (None, 1, ("LibreOffice", "CSV")),
    "only_delimiters.csv": (None, 2, ("empty in every row",)),
    "parquet_renamed.csv": (None, 1, ("Parquet",)),
    "png_renamed.csv": (None, 1, ("PNG",)),
    "python_dict_line.jsonl": (None, 2, ("invalid JSON", "Python dict", "json.dumps")),
    "sep_line_ragged.csv": (None, 4, ("expected 2 fields", "found 3", "';'")),
    "surrogate_escape.jsonl": (None, 2, ("unpaired surrogate", "'text'")),
    "truncated_utf8.txt": (None, 2, ("0xe4", "UTF-8")),
    "utf16_cut_off.csv": (None, 4, ("UTF-16", "byte offset 50")),
    "utf16_lone_surrogate.csv": (None, 3, ("UTF-16", "surrogate")),
    "xml_export.csv": (None, 1, ("XML",)),
    "xz_renamed.jsonl": (None, 1, ("xz-compressed",)),
}

_TOKEN_EXTENSIONS = (".conll", ".conllu", ".bio", ".iob", ".bioes")


def task_for(name: str) -> str:
    task = BAD_FILES[name][0]
    if task:
        return task
    return "token-classification" if Path(name).suffix in _TOKEN_EXTENSIONS else "classification"


# --------------------------------------------------------------------------- malformed files


def test_bad_folder_is_complete() -> None:
    files = sorted(p.name for p in BAD.iterdir())
    assert len(files) >= 30
    assert set(files) == set(BAD_FILES), "every bad file needs an expectation (and vice versa)"
    assert all((BAD / f).stat().st_size < 2048 for f in files)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_raises_dataset_error_with_file_and_line(name: str) -> None:
    _, line, words = BAD_FILES[name]
    path = BAD / name
    with pytest.raises(DatasetError) as info:
        load_dataset(path, task_for(name), validation_fraction=0)
    err = info.value
    assert err.path is not None and err.path.name == name
    assert err.line == line
    message = str(err)
    assert name in message and f"line {line}" in message
    for word in words:
        assert word in message


def test_missing_file_and_folder() -> None:
    with pytest.raises(DatasetError, match="does not exist"):
        read_table(BAD / "no_such_file.csv")
    with pytest.raises(DatasetError, match="folder"):
        read_table(BAD)


def test_unknown_format_and_bad_delimiter() -> None:
    with pytest.raises(DatasetError, match="unknown format 'xml'"):
        read_table(GOOD / "crlf.csv", "xml")
    with pytest.raises(DatasetError, match="delimiter"):
        read_table(GOOD / "crlf.csv", delimiter='"')


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("semicolon.csv", "csv"),
        ("tab_delimited.csv", "tsv"),
        ("pairs.tsv", "tsv"),
        ("pipe.psv", "csv"),
        ("corpus.txt", "text"),
        ("space_separated.conll", "conll"),
        ("tiny.test.annotated", "conll"),
        ("multiword.conllu", "conllu"),
        ("objects.json", "jsonl"),
        ("tokens.jsonl", "jsonl"),
    ],
)
def test_detect_format(name: str, fmt: str) -> None:
    assert detect_format(GOOD / name) == fmt
    assert read_table(GOOD / name).format == fmt


def test_sniff_unknown_extension(tmp_path: Path) -> None:
    conllu = (GOOD / "multiword.conllu").read_text()
    (tmp_path / "ud.data").write_text(conllu)
    assert detect_format(tmp_path / "ud.data") == "conllu"
    (tmp_path / "prose.data").write_text("One sentence here.\nAnother one.\n")
    assert detect_format(tmp_path / "prose.data") == "text"
    # Two tab columns without blank lines between blocks is a TSV, not CoNLL.
    (tmp_path / "two.data").write_text("sentence\tlabel\ngood\t1\nbad\t0\n")
    assert detect_format(tmp_path / "two.data") == "tsv"
    (tmp_path / "ner.data").write_text("-DOCSTART- -X- O O\n\nParis\tB-LOC\n\nRome\tB-LOC\n")
    assert detect_format(tmp_path / "ner.data") == "conll"
    (tmp_path / "lines.data").write_text('{"text": "a"}\n\n{"text": "b"}\n')
    assert detect_format(tmp_path / "lines.data") == "jsonl"
    assert read_table(tmp_path / "lines.data", "auto").format == "jsonl"


def test_explicit_format_and_delimiter_override(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text("text;label\na;x\nb;y\n")
    assert read_table(path).format == "text"
    table = read_table(path, "csv")
    assert table.delimiter == ";" and table.columns == ["text", "label"]
    table = read_table(path, delimiter=";")
    assert table.rows == [{"text": "a", "label": "x"}, {"text": "b", "label": "y"}]


# --------------------------------------------------------------------------- unusual but valid


def test_semicolon_delimiter() -> None:
    table = read_table(GOOD / "semicolon.csv")
    assert (table.format, table.delimiter) == ("csv", ";")
    assert table.columns == ["text", "label"]
    assert table.rows == [
        {"text": "hello, world", "label": "pos"},
        {"text": "a; quoted", "label": "neg"},
        {"text": "plain", "label": "pos"},
    ]
    assert table.lines == [2, 3, 4]


def test_utf8_bom_is_not_part_of_the_first_column() -> None:
    table = read_table(GOOD / "bom.csv")
    assert table.columns == ["text", "label"]
    assert table.rows[0] == {"text": "na\u00efve caf\u00e9", "label": "1"}


def test_crlf_line_ends() -> None:
    table = read_table(GOOD / "crlf.csv")
    # A CRLF inside a quoted field becomes "\n", like every line end.
    assert [r["text"] for r in table.rows] == ["good one", "bad one", "multi\nline"]
    assert [r["label"] for r in table.rows] == ["1", "0", "1"]
    assert table.lines == [2, 3, 4]


def test_lone_cr_line_ends() -> None:
    table = read_table(GOOD / "cr_only.csv")
    assert table.rows == [{"text": "good", "label": "1"}, {"text": "bad", "label": "0"}]
    assert table.lines == [2, 3]


def test_quoted_newlines_keep_text_and_physical_lines() -> None:
    table = read_table(GOOD / "quoted_newlines.csv")
    assert table.rows == [
        {"id": "1", "text": "first line\nsecond line\nthird line", "label": "pos"},
        {"id": "2", "text": 'say "hi"', "label": "neg"},
        {"id": "3", "text": "after", "label": "pos"},
    ]
    assert table.lines == [2, 5, 6]
    examples = build_examples(table, "classification")
    assert examples.texts[0] == "first line\nsecond line\nthird line"
    assert examples.lines == [2, 5, 6]


def test_na_like_strings_stay_text() -> None:
    examples = build_examples(read_table(GOOD / "na_strings.csv"), "classification")
    assert examples.texts == ["NA", "null", "None", "nan", "", "N/A"]
    assert examples.label_names == ["a", "b"]
    assert examples.labels == [0, 1, 0, 1, 0, 1]


def test_pipe_delimiter() -> None:
    table = read_table(GOOD / "pipe.psv")
    assert table.delimiter == "|"
    assert [r["text"] for r in table.rows] == ["hello, world", "second", "third"]


def test_tab_delimited_file_named_csv() -> None:
    table = read_table(GOOD / "tab_delimited.csv")
    assert table.rows == [{"text": "good, really", "label": "1"}, {"text": "bad", "label": "0"}]


def test_trailing_empty_fields_are_ignored() -> None:
    table = read_table(GOOD / "trailing_empty_fields.csv")
    assert table.rows == [{"text": "good", "label": "1"}, {"text": "bad", "label": "0"}]


def test_plain_text_one_example_per_non_empty_line() -> None:
    table = read_table(GOOD / "corpus.txt")
    assert table.columns == ["text"]
    assert [r["text"] for r in table.rows] == [
        "First line of the corpus.",
        "Second paragraph line.",
        "Third.",
    ]
    assert table.lines == [1, 3, 5]
    assert default_task(table) == "causal-lm"
    examples = build_examples(table, "masked-lm")
    assert examples.labels is None and examples.label_names == []
    assert len(examples) == 3


def test_conll_with_space_separator_and_docstart() -> None:
    table = read_table(GOOD / "space_separated.conll")
    assert table.rows == [
        {"tokens": ["Paris", "is", "nice"], "tags": ["B-LOC", "O", "O"]},
        {"tokens": ["Rome"], "tags": ["B-LOC"]},
    ]
    assert table.lines == [3, 7]
    assert table.token_lines == [[3, 4, 5], [7]]


def test_conll_lone_tab_separates_sentences() -> None:
    table = read_table(GOOD / "tiny.test.annotated")
    assert [r["tokens"] for r in table.rows] == [["Paris", "is"], ["Rome", "rocks"]]
    assert table.lines == [1, 4]


def test_conllu_skips_comments_multiword_ranges_and_empty_nodes() -> None:
    table = read_table(GOOD / "multiword.conllu")
    assert table.rows == [
        {
            "tokens": ["I", "do", "n't", "know", "."],
            "tags": ["PRON", "AUX", "PART", "VERB", "PUNCT"],
        },
        {"tokens": ["Yes"], "tags": ["INTJ"]},
    ]
    assert table.lines == [3, 12]
    examples = build_examples(table, "token-classification")
    assert examples.words == [["I", "do", "n't", "know", "."], ["Yes"]]
    assert examples.texts[0] == "I do n't know ."
    assert examples.label_names == ["AUX", "INTJ", "PART", "PRON", "PUNCT", "VERB"]
    assert examples.labels == [[3, 0, 2, 5, 4], [1]]


def test_label_first_column_is_detected() -> None:
    table = read_table(GOOD / "label_first.csv")
    mapping = detect_columns(table, "classification")
    assert (mapping.text, mapping.label) == ("review", "label")
    examples = build_examples(table, "classification")
    assert examples.texts[2] == "\u4e0d\u9519,\u63a8\u8350"
    assert examples.label_names == ["0", "1"]


def test_jsonl_with_json_extension() -> None:
    table = read_table(GOOD / "objects.json")
    assert table.rows == [{"text": "a", "label": 1}, {"text": "b", "label": 0}]


def test_very_long_text_is_kept(tmp_path: Path) -> None:
    long_text = "word " * 200_000  # 1 MB in one field, past the csv module's default limit
    path = tmp_path / "long.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerows([["text", "label"], [long_text, "a"], ["short", "b"]])
    examples = load_dataset(path, validation_fraction=0).train
    assert examples.texts[0] == long_text
    assert examples.lines == [2, 3]


def test_jsonl_columns_are_the_union_in_first_seen_order(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "a", "label": 1}\n\n{"label": 0, "text": "b", "meta": {"x": 1}}\n')
    table = read_table(path)
    assert table.columns == ["text", "label", "meta"]
    assert table.lines == [1, 3]


# --------------------------------------------------------------------------- real data


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def test_real_sst2_dev() -> None:
    bundle = load_dataset(shared("sst2", "dev.tsv"), validation_fraction=0)
    assert bundle.format == "tsv"
    assert bundle.mapping is not None and bundle.mapping.text == "sentence"
    assert len(bundle.train) == 872
    assert bundle.label_names == ["0", "1"]
    assert bundle.train.texts[0].startswith("it 's a charming")
    assert bundle.train.lines[:2] == [2, 3]


def test_real_banking77_test_crlf_77_labels() -> None:
    bundle = load_dataset(shared("banking77", "test.csv"), validation_fraction=0)
    assert (bundle.format, bundle.delimiter) == ("csv", ",")
    assert bundle.mapping is not None and bundle.mapping.label == "category"
    assert len(bundle.train) == 3080
    assert len(bundle.label_names) == 77
    assert not any(t.endswith("\r") for t in bundle.train.texts)


def test_real_wnut17_dev_token_classification() -> None:
    bundle = load_dataset(
        shared("wnut17", "emerging.dev.conll"), "token-classification", validation_fraction=0
    )
    train = bundle.train
    assert bundle.format == "conll"
    assert len(train) == 1009
    assert "O" in train.label_names and "B-person" in train.label_names
    assert train.words is not None and train.words[0][:2] == ["Stabilized", "approach"]
    assert all(len(w) == len(t) for w, t in zip(train.words, train.labels))  # type: ignore[arg-type]


def test_real_wnut17_test_annotated_is_sniffed_as_conll() -> None:
    assert detect_format(shared("wnut17", "emerging.test.annotated")) == "conll"


def test_real_ud_english_ewt_dev_upos() -> None:
    bundle = load_dataset(
        shared("ud_english_ewt", "en_ewt-ud-dev.conllu"),
        "token-classification",
        validation_fraction=0,
    )
    assert bundle.format == "conllu"
    assert len(bundle.train) == 2001
    assert 15 <= len(bundle.label_names) <= 18
    assert {"NOUN", "VERB", "PUNCT", "PROPN"} <= set(bundle.label_names)
    assert bundle.train.words is not None
    assert bundle.train.words[0] == ["From", "the", "AP", "comes", "this", "story", ":"]


def test_real_chinese_label_first_csv() -> None:
    path = shared("zh_chnsenticorp_htl", "ChnSentiCorp_htl_all.csv")
    table = read_table(path)
    assert table.columns == ["label", "review"]
    mapping = detect_columns(table, "classification")
    assert (mapping.text, mapping.label) == ("review", "label")
    examples = build_examples(table, "classification", mapping)
    assert examples.label_names == ["0", "1"]
    assert len(examples) == 7766
    assert examples.texts[1].startswith("\u5546\u52a1\u5927\u5e8a\u623f")


def test_data_layer_imports_no_heavy_or_gui_modules() -> None:
    code = (
        "import sys, workbench.engine.data, workbench.cli.data_cmd; "
        "print(sorted(m for m in ('torch', 'transformers', 'PySide6', 'pandas') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
