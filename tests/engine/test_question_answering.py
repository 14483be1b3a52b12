"""Extractive question answering: SQuAD reading, windows, span post-processing, SQuAD v2 scoring."""

from __future__ import annotations

import collections
import json
import math
import re
import string
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.conftest import shared
from workbench.engine.data import detect_format, read_table
from workbench.engine.data.squad import SQUAD_COLUMNS
from workbench.engine.errors import DatasetError, ModelError
from workbench.engine.task_data import compute_stats, default_task, load_dataset
from workbench.engine.tasks import question_answering as qa
from workbench.engine.tasks.question_answering import (
    QAExamples,
    best_span,
    best_threshold,
    compute_exact,
    compute_f1,
    encode_qa,
    normalize_answer,
    score_answer,
    squad_metrics,
)
from workbench.engine.tasks.registry import TASKS

SQUAD = ("squad_v2_dev_subset", "dev-v2.0-first5articles.json")


def squad_doc() -> dict:
    return json.loads(shared(*SQUAD).read_text(encoding="utf-8"))


def write_squad(path: Path, articles: int, paragraphs: int, *, indent: int | None = None) -> Path:
    """The first ``paragraphs`` paragraphs of the first ``articles`` articles of the shared file."""
    doc = squad_doc()
    doc["data"] = [{"title": a["title"], "paragraphs": a["paragraphs"][:paragraphs]} for a in doc["data"][:articles]]
    path.write_text(json.dumps(doc, indent=indent), encoding="utf-8")
    return path


# =========================================================================== scoring


# The official SQuAD v2.0 evaluation script's functions, verbatim (a reference to compare with).
def _official_normalize_answer(s):
    def remove_articles(text):
        regex = re.compile(r"\b(a|an|the)\b", re.UNICODE)
        return re.sub(regex, " ", text)

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return "".join(ch for ch in text if ch not in exclude)

    def lower(text):
        return text.lower()

    return white_space_fix(remove_articles(remove_punc(lower(s))))


def _official_get_tokens(s):
    if not s:
        return []
    return _official_normalize_answer(s).split()


def _official_compute_f1(a_gold, a_pred):
    gold_toks = _official_get_tokens(a_gold)
    pred_toks = _official_get_tokens(a_pred)
    common = collections.Counter(gold_toks) & collections.Counter(pred_toks)
    num_same = sum(common.values())
    if len(gold_toks) == 0 or len(pred_toks) == 0:
        return int(gold_toks == pred_toks)
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(pred_toks)
    recall = 1.0 * num_same / len(gold_toks)
    return (2 * precision * recall) / (precision + recall)


def test_normalization_lowercases_strips_punctuation_articles_and_whitespace() -> None:
    assert normalize_answer("The  Quick, brown fox!") == "quick brown fox"
    assert normalize_answer("An apple a day") == "apple day"
    assert normalize_answer("theatre anthem") == "theatre anthem"  # articles only as whole words
    assert normalize_answer("U.S.A.") == "usa"
    assert normalize_answer("  \tthe\n ") == ""
    # Punctuation goes before articles: "the-end" -> "theend" keeps its letters.
    assert normalize_answer("the-end") == "theend"


def test_exact_match_after_normalization() -> None:
    assert compute_exact("the Eiffel Tower", "Eiffel tower.") == 1
    assert compute_exact("Eiffel Tower", "Eiffel") == 0
    assert compute_exact("", "") == 1


def test_partial_overlap_f1_by_hand() -> None:
    # gold tokens: 10th and 11th centuries (4); predicted: 11th centuries in france (4); 2 shared
    # precision 2/4, recall 2/4 -> F1 0.5
    assert compute_f1("the 10th and 11th centuries", "11th centuries in France") == pytest.approx(0.5)
    # gold: denmark iceland and norway (4); predicted: norway (1): P = 1, R = 1/4 -> 2*0.25/1.25 = 0.4
    assert compute_f1("Denmark, Iceland and Norway", "Norway") == pytest.approx(0.4)
    # Repeated tokens count with multiplicity: gold new york new york, predicted new york:
    # P = 2/2, R = 2/4 -> 2/3
    assert compute_f1("New York, New York", "new york") == pytest.approx(2 / 3)
    assert compute_f1("Paris", "London") == 0.0


def test_multiple_gold_answers_take_the_max() -> None:
    assert score_answer(["France", "in France", "Normandy"], "France") == (1, 1.0)
    # vs "France": P 1/2, R 1 -> 2/3; vs "the north of France" (north of france): P 1/2, R 1/3 -> 0.4
    exact, f1 = score_answer(["France", "the north of France"], "northern France")
    assert exact == 0 and f1 == pytest.approx(2 / 3)


def test_unanswerable_and_empty_both_ways() -> None:
    assert score_answer([], "") == (1, 1.0)  # no answer, predicted none: full marks
    assert score_answer([], "France") == (0, 0.0)  # no answer, predicted one
    assert score_answer(["France"], "") == (0, 0.0)  # an answer, predicted none
    # A gold answer that normalises to nothing is dropped, as the official script does.
    assert score_answer(["the"], "") == (1, 1.0)
    assert compute_f1("", "the") == 1.0  # both normalise to no tokens: they agree


@pytest.mark.parametrize("gold,pred", [
    ("The Normans", "Normans"), ("10th and 11th centuries", "in the 10th and 11th centuries"),
    ("Rollo", "rollo."), ("a", "an"), ("", "x"), ("x", ""), ("Café déjà-vu", "cafe deja vu"),
    ("¡Hola!  the  world's", "hola worlds"), ("1,000", "1000"), ("New York New York", "york"),
])  # fmt: skip
def test_scorer_equals_the_official_script(gold: str, pred: str) -> None:
    assert normalize_answer(gold) == _official_normalize_answer(gold)
    assert compute_f1(gold, pred) == pytest.approx(_official_compute_f1(gold, pred))


def _prediction(answer: str, best: str, score: float, null: float) -> qa.SpanPrediction:
    return qa.SpanPrediction(answer, None, None, not answer, score, null, 0.5, best, None, None)


def test_squad_metrics_on_a_hand_made_set() -> None:
    answers = [["France"], ["Denmark, Iceland and Norway"], [], []]
    predictions = [
        _prediction("France", "France", 5.0, 1.0),  # exact
        _prediction("Norway", "Norway", 3.0, 2.0),  # F1 0.4
        _prediction("", "Rollo", 1.0, 4.0),  # correct "no answer"
        _prediction("Paris", "Paris", 6.0, 2.0),  # wrong: should be no answer
    ]
    m = squad_metrics(answers, predictions)
    assert m["eval_exact"] == pytest.approx(2 / 4)
    assert m["eval_f1"] == pytest.approx((1 + 0.4 + 1 + 0) / 4)
    assert m["eval_has_ans_exact"] == pytest.approx(0.5) and m["eval_has_ans_f1"] == pytest.approx(0.7)
    assert m["eval_no_ans_exact"] == pytest.approx(0.5)
    assert m["eval_has_ans_total"] == 2 and m["eval_no_ans_total"] == 2
    # null - best: -4, -1, 3, -4. Answering the examples with diff <= -1 (1, 2 and 4) scores
    # 1 + 0.4 + 1 (example 3 keeps "") = 2.4 of 4; below -4 everything is "": 2 of 4.
    # The threshold lies halfway between -1 and the next diff, 3.
    assert m["eval_best_f1"] == pytest.approx(2.4 / 4) and m["eval_best_f1_thresh"] == 1.0


def test_best_threshold_sweep() -> None:
    # Each example: score with its span, score with "", null - best.
    span = [1.0, 0.0, 1.0, 0.0]
    null = [0.0, 1.0, 0.0, 1.0]
    diffs = [-2.0, -1.0, 0.5, math.inf]  # the last has no span at all: never switched
    best, threshold = best_threshold(span, null, diffs)
    # all "": 2/4; switch ex0 (diff -2): 3/4; +ex1: 2/4; +ex2 (0.5): 3/4 (not better): best after
    # ex0, so the threshold is halfway from -2 to the next diff, -1.
    assert best == pytest.approx(3 / 4) and threshold == -1.5
    # The best is to answer every example that has a span: above the largest diff.
    assert best_threshold([1.0, 1.0], [0.0, 0.0], [-1.0, 2.0]) == (1.0, 3.0)
    # Ties switch together: both at -1 give +1 and -1, so neither threshold helps.
    best, threshold = best_threshold([1.0, 0.0], [0.0, 1.0], [-1.0, -1.0])
    assert best == pytest.approx(0.5) and threshold < -1.0


# =========================================================================== reading


def test_reads_the_shared_squad_file() -> None:
    path = shared(*SQUAD)
    assert detect_format(path) == "squad"
    table = read_table(path)
    assert table.format == "squad" and default_task(table) == "question-answering"
    assert len(table) == 1407 and table.columns == SQUAD_COLUMNS
    assert sum(1 for r in table.rows if r["is_impossible"]) == 702
    first = table.rows[0]
    assert first["question"] == "In what country is Normandy located?" and first["answer"] == "France"
    assert first["answers"][0] == qa.Answer("France", 159)
    assert "question-answering" in TASKS


def test_a_jsonl_file_named_json_is_still_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "rows.json"
    path.write_text('{"text": "good", "label": 1}\n{"text": "bad", "label": 0}\n', encoding="utf-8")
    assert read_table(path).format == "jsonl"


def test_split_holds_out_whole_articles() -> None:
    bundle = load_dataset(shared(*SQUAD), "question-answering")
    train, validation = bundle.train, bundle.validation
    assert isinstance(train, QAExamples) and isinstance(validation, QAExamples)
    assert set(validation.titles) == {"Victoria_(Australia)"} and len(validation) == 247
    assert len(set(train.titles)) == 4 and len(train) == 1407 - 247
    assert not set(train.paragraphs) & set(validation.paragraphs)
    stats = compute_stats(train, validation)
    assert stats["rows"] == 1160 and stats["overlap"] == 0


def test_one_article_splits_by_paragraph_never_inside_one(tmp_path: Path) -> None:
    path = write_squad(tmp_path / "one.json", articles=1, paragraphs=10)
    bundle = load_dataset(path, "question-answering", validation_fraction=0.2)
    train, validation = bundle.train, bundle.validation
    assert len(validation) >= 0.2 * (len(train) + len(validation))
    assert not set(train.paragraphs) & set(validation.paragraphs)  # type: ignore[union-attr]
    assert validation.paragraphs[-1] == 9  # type: ignore[union-attr]  # the last paragraphs are held out


def test_a_validation_file(tmp_path: Path) -> None:
    train = write_squad(tmp_path / "train.json", articles=2, paragraphs=2)
    doc = squad_doc()
    doc["data"] = [{"title": "V", "paragraphs": doc["data"][4]["paragraphs"][:1]}]
    val = tmp_path / "val.json"
    val.write_text(json.dumps(doc), encoding="utf-8")
    bundle = load_dataset(train, "question-answering", validation_path=val)
    assert set(bundle.validation.titles) == {"V"}  # type: ignore[union-attr]


def _broken(tmp_path: Path, edit) -> Path:
    doc = squad_doc()
    doc["data"] = [{"title": a["title"], "paragraphs": a["paragraphs"][:2]} for a in doc["data"][:2]]
    edit(doc)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def _answerable(doc: dict, article: int, paragraph: int) -> dict:
    return next(q for q in doc["data"][article]["paragraphs"][paragraph]["qas"] if q["answers"])


def test_a_misplaced_answer_names_the_question_and_its_line(tmp_path: Path) -> None:
    def edit(doc: dict) -> None:
        _answerable(doc, 1, 1)["answers"][0]["answer_start"] += 3

    path = _broken(tmp_path, edit)
    qid = _answerable(json.loads(path.read_text()), 1, 1)["id"]
    with pytest.raises(DatasetError) as info:
        read_table(path)
    err = info.value
    assert qid in str(err) and "answer_start" in str(err) and "Computational_complexity_theory" in str(err)
    lines = path.read_text().splitlines()
    assert err.line is not None and f'"{qid}"' in lines[err.line - 1]


@pytest.mark.parametrize("edit,needle", [
    (lambda d: d["data"][0]["paragraphs"][0].pop("context"), 'no "context"'),
    (lambda d: d["data"][0]["paragraphs"][0]["qas"][0].update(question=""), 'no "question"'),
    (lambda d: _answerable(d, 0, 1).update(is_impossible=True), "is_impossible"),
    (lambda d: _answerable(d, 0, 0).update(answers=[]), "marked answerable"),
    (lambda d: _answerable(d, 0, 0)["answers"][0].update(answer_start="159"), "integer"),
    (lambda d: d["data"][1].update(paragraphs={}), 'no "paragraphs"'),
])  # fmt: skip
def test_malformed_records_are_named(tmp_path: Path, edit, needle: str) -> None:
    path = _broken(tmp_path, edit)
    with pytest.raises(DatasetError, match=re.escape(needle)) as info:
        read_table(path)
    assert "article" in str(info.value) and info.value.path == path


def test_invalid_json_and_wrong_pairings(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"data": [{"title": "x",\n "paragraphs": [}]}', encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        read_table(bad, "squad")
    assert info.value.line == 2
    csv = tmp_path / "rows.csv"
    csv.write_text("text,label\ngood,1\nbad,0\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="needs a SQuAD JSON file"):
        load_dataset(csv, "question-answering")
    with pytest.raises(DatasetError, match="invalid JSON"):
        read_table(csv, "squad")
    squad = write_squad(tmp_path / "s.json", 1, 1)
    with pytest.raises(DatasetError, match="question-answering task"):
        load_dataset(squad, "classification")


# =========================================================================== encoding


@pytest.fixture(scope="module")
def wordpiece():
    from workbench.engine.models.presets import train_tokenizer

    texts = [p["context"] for a in squad_doc()["data"][:2] for p in a["paragraphs"]]
    return train_tokenizer("bert", texts, 2000)


def _one(question: str, context: str, answers: list[qa.Answer]) -> QAExamples:
    ex = QAExamples.single(question, context)
    ex.answers = [answers]
    return ex


def test_long_context_gives_overlapping_windows_that_map_back(wordpiece) -> None:
    doc = squad_doc()
    paragraph = doc["data"][0]["paragraphs"][0]
    qa_item = next(q for q in paragraph["qas"] if q["answers"] and q["answers"][0]["answer_start"] > 300)
    gold = qa.Answer(qa_item["answers"][0]["text"], qa_item["answers"][0]["answer_start"])
    context = paragraph["context"]
    encoded = encode_qa(_one(qa_item["question"], context, [gold]), wordpiece, max_length=48, doc_stride=12)
    assert len(encoded) > 3 and set(encoded.example_index) == {0}
    context_tokens = len(wordpiece(context, add_special_tokens=False)["input_ids"])
    seen: list[tuple[int, int]] = []
    answered = 0
    for w, (feature, offsets) in enumerate(zip(encoded.features, encoded.offsets)):
        assert len(feature["input_ids"]) <= 48
        inside = [o for o in offsets if o is not None]
        if w:  # consecutive windows share exactly doc_stride context tokens
            previous = [o for o in encoded.offsets[w - 1] if o is not None]
            assert previous[-12:] == inside[:12]
        seen.extend(inside)
        s, e = feature["start_positions"], feature["end_positions"]
        if (s, e) != (0, 0):
            answered += 1
            assert context[offsets[s][0] : offsets[e][1]] == gold.text  # exact characters back
    assert answered >= 1  # the answer is whole in at least one window (others point at [CLS])
    assert len(set(seen)) == context_tokens  # every context token is in some window


def test_bert_checkpoint_tokenizer_gives_segment_ids() -> None:
    from tests.conftest import minilm_dir
    from workbench.engine.models.loading import load_tokenizer

    tokenizer = load_tokenizer(str(minilm_dir()))
    context = "The Normans gave their name to Normandy, a region in France. " * 12
    start = context.index("France")
    encoded = encode_qa(_one("Where is Normandy?", context, [qa.Answer("France", start)]), tokenizer, 64, 16)
    assert len(encoded) > 1
    for feature, offsets in zip(encoded.features, encoded.offsets):
        # Segment 1 exactly on the context tokens (and the final [SEP]), 0 on [CLS] + question.
        types = feature["token_type_ids"]
        assert [t for t, o in zip(types, offsets) if o is not None] == [1] * sum(o is not None for o in offsets)
        assert types[0] == 0 and types[1] == 0
    first = encoded.features[0]
    assert context[encoded.offsets[0][first["start_positions"]][0]:
                   encoded.offsets[0][first["end_positions"]][1]] == "France"


def test_unanswerable_and_cut_answers_point_at_cls(wordpiece) -> None:
    context = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike " * 3
    none = encode_qa(_one("what is it?", context, []), wordpiece, 24, 4)
    assert len(none) > 1 and all((f["start_positions"], f["end_positions"]) == (0, 0) for f in none.features)
    start = context.index("kilo")
    cut = encode_qa(_one("what?", context, [qa.Answer(context[start : start + 9], start)]), wordpiece, 24, 4)
    assert any((f["start_positions"], f["end_positions"]) != (0, 0) for f in cut.features)
    for feature, offsets in zip(cut.features, cut.offsets):
        inside = [o for o in offsets if o is not None]
        whole = inside[0][0] <= start and inside[-1][1] >= start + 9  # "kilo lima" whole in the window
        assert ((feature["start_positions"], feature["end_positions"]) != (0, 0)) == whole


def test_byte_level_bpe_tokenizer_works_and_left_padding_is_refused(wordpiece) -> None:
    from workbench.engine.models.presets import train_tokenizer

    context = "The Normans came from Normandy, a region in France."
    bpe = train_tokenizer("gpt", [context] * 5, 300)
    start = context.index("France")
    encoded = encode_qa(_one("Where is Normandy?", context, [qa.Answer("France", start)]), bpe, 32, 8)
    feature, offsets = encoded.features[0], encoded.offsets[0]
    assert "token_type_ids" not in feature
    assert context[offsets[feature["start_positions"]][0] : offsets[feature["end_positions"]][1]] == "France"
    bpe.padding_side = "left"
    with pytest.raises(ModelError, match="pad on the left"):
        encode_qa(_one("q", context, []), bpe, 32, 8)


def test_a_long_question_is_cut_and_stride_shrinks(wordpiece) -> None:
    question = "why " * 60
    context = "the normans were a people " * 20
    encoded = encode_qa(_one(question, context, []), wordpiece, max_length=40, doc_stride=128)
    assert encoded.num_at_max_length == 1  # one question cut
    assert all(len(f["input_ids"]) <= 40 for f in encoded.features)
    assert encoded.strides[0] < 128 and len(encoded) > 1


# =========================================================================== post-processing


CONTEXT = "Alpha Bravo Charlie Delta"
# [CLS] q q [SEP] Alpha Bravo Charlie Delta [SEP]
OFFSETS = [None, None, None, None, (0, 5), (6, 11), (12, 19), (20, 25), None]


def _logits(values: dict[int, float]) -> np.ndarray:
    out = np.full(len(OFFSETS), -5.0)
    for i, v in values.items():
        out[i] = v
    return out


def test_best_span_from_hand_made_logits() -> None:
    start = _logits({0: 0.0, 1: 9.0, 5: 4.0, 6: 1.0})  # token 1 is a question token: never a start
    end = _logits({0: 0.0, 4: 8.0, 6: 3.0})  # token 4 ends before the best start: invalid
    pred = best_span(CONTEXT, [start], [end], [OFFSETS])
    # valid: (5, 6) 4 + 3 = 7 beats (6, 6) 1 + 3 = 4 and (5, 7) 4 - 5
    assert (pred.answer, pred.start, pred.end, pred.score) == ("Bravo Charlie", 6, 19, 7.0)
    assert pred.null_score == 0.0 and not pred.no_answer and 0 < pred.probability < 1
    # The same logits with spans capped at one token: (6, 6) "Charlie" wins.
    short = best_span(CONTEXT, [start], [end], [OFFSETS], max_answer_tokens=1)
    assert short.answer == "Charlie" and short.score == 4.0


def test_null_answer_wins_by_more_than_the_threshold() -> None:
    start, end = _logits({0: 5.0, 5: 2.0}), _logits({0: 4.0, 5: 2.0})  # null 9, span 4
    pred = best_span(CONTEXT, [start], [end], [OFFSETS])
    assert pred.no_answer and pred.answer == "" and pred.start is None and pred.best_text == "Bravo"
    assert pred.null_diff == 5.0
    assert not best_span(CONTEXT, [start], [end], [OFFSETS], null_threshold=5.0).no_answer  # 5 is not > 5
    assert best_span(CONTEXT, [start], [end], [OFFSETS], null_threshold=4.9).no_answer


def test_windows_combine_min_null_and_best_span() -> None:
    a_start, a_end = _logits({0: 3.0, 4: 1.0}), _logits({0: 3.0, 4: 1.0})  # null 6, "Alpha" 2
    b_start, b_end = _logits({0: -1.0, 7: 2.5}), _logits({0: 0.0, 7: 2.5})  # null -1, "Delta" 5
    pred = best_span(CONTEXT, [a_start, b_start], [a_end, b_end], [OFFSETS, OFFSETS])
    assert pred.null_score == -1.0  # the lowest null over the windows
    assert pred.answer == "Delta" and pred.score == 5.0


def test_postprocess_matches_brute_force_on_a_real_model(tmp_path: Path) -> None:
    """Predictor.predict_answer == the best valid span found by brute force from plain transformers."""
    from transformers import AutoModelForQuestionAnswering, AutoTokenizer

    from workbench.engine.inference import Predictor
    from workbench.engine.models.loading import build_from_scratch
    from workbench.engine.models.saving import save_model_folder

    texts = [p["context"] for p in squad_doc()["data"][0]["paragraphs"][:5]]
    model, tokenizer = build_from_scratch("bert-tiny", "question-answering", texts, [], vocab_size=800,
                                          layers=1, hidden=64, heads=2, seed=3)
    folder = tmp_path / "model"
    save_model_folder(folder, model, tokenizer, {"task": "question-answering", "max_length": 64,
                                                 "doc_stride": 16, "null_threshold": 1e9})
    predictor = Predictor.load(folder)
    question, context = "Who ruled Normandy?", "Rollo ruled the Normans in France."
    result = predictor.predict_answer(question, context)
    assert result["null_threshold"] == 1e9 and not result["no_answer"]  # the stored threshold is used

    hf_tok = AutoTokenizer.from_pretrained(folder)
    hf_model = AutoModelForQuestionAnswering.from_pretrained(folder).eval()
    enc = hf_tok(question, context, return_offsets_mapping=True, return_tensors="pt")
    offsets = enc.pop("offset_mapping")[0].tolist()
    with torch.no_grad():
        out = hf_model(**enc)
    s, e = out.start_logits[0].tolist(), out.end_logits[0].tolist()
    inside = [i for i, t in enumerate(enc.sequence_ids(0)) if t == 1]
    assert len(inside) < qa.N_BEST  # short: the n-best lists hold every token
    score, i, j = max((s[i] + e[j], i, j) for i in inside for j in inside if i <= j < i + qa.MAX_ANSWER_TOKENS)
    assert result["answer"] == context[offsets[i][0] : offsets[j][1]]
    assert result["score"] == pytest.approx(score, abs=1e-4)
    assert result["null_score"] == pytest.approx(s[0] + e[0], abs=1e-4)
    # A threshold far below: "no answer", and the best span is still reported.
    low = predictor.predict_answer(question, context, null_threshold=-1e9)
    assert low["no_answer"] and low["answer"] == "" and low["best_span"]["text"] == result["answer"]


# =========================================================================== training


def test_tiny_training_run_evaluates_and_saves(tmp_path: Path) -> None:
    from transformers import AutoModelForQuestionAnswering

    from workbench.engine.evaluation import evaluate
    from workbench.engine.inference import Predictor
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    data = write_squad(tmp_path / "small.json", articles=3, paragraphs=2)
    config = TrainConfig(
        data=str(data), task="question-answering", model="bert-tiny", max_steps=6, batch_size=16,
        max_length=64, doc_stride=16, vocab_size=600, layers=1, hidden=64, heads=2, validation_fraction=0.2,
        output=str(tmp_path / "run"), num_threads=2, seed=1,
    )
    trainer = Trainer(config)
    events = list(trainer.run())
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    evals = [e for e in events if type(e).__name__ == "EvalDone"]
    metrics = evals[-1].metrics
    for key in ("eval_exact", "eval_f1", "eval_has_ans_exact", "eval_has_ans_f1", "eval_no_ans_exact", "eval_loss"):
        assert key in metrics and math.isfinite(metrics[key]), key
    assert 0 <= metrics["eval_exact"] <= metrics["eval_f1"] <= 1
    assert trainer.metric_for_best() == ("eval_f1", True)
    # The validation set is the third article, whole.
    assert metrics["eval_examples"] == len(trainer.bundle.validation) and set(trainer.bundle.validation.titles) == {
        squad_doc()["data"][2]["title"]}

    meta = json.loads((tmp_path / "run" / "model" / "workbench_model.json").read_text())
    assert meta["task"] == "question-answering" and meta["doc_stride"] == 16
    assert meta["null_threshold"] == metrics["eval_best_f1_thresh"]
    AutoModelForQuestionAnswering.from_pretrained(tmp_path / "run" / "model")  # plain transformers loads it

    # Evaluating the saved model again gives the trainer's figures, and the per-question rows agree.
    predictor = Predictor.load(tmp_path / "run")
    assert (predictor.task, predictor.doc_stride) == ("question-answering", 16)
    from workbench.engine.evaluation import encode

    encoded = encode(trainer.bundle.validation, predictor.tokenizer, "question-answering", 64, doc_stride=16)
    result = evaluate(predictor.model, predictor.tokenizer, "question-answering", encoded)
    assert result.metrics["eval_f1"] == pytest.approx(metrics["eval_f1"], abs=1e-6)
    rows = result.qa_predictions
    assert len(rows) == len(trainer.bundle.validation)
    assert sum(r["f1"] for r in rows) / len(rows) == pytest.approx(result.metrics["eval_f1"])
    for row, context in zip(rows, trainer.bundle.validation.contexts):
        assert row["no_answer"] or context[row["start"] : row["end"]] == row["answer"]
    with pytest.raises(ModelError, match="question and a context"):
        predictor.predict(["a text"])
