"""Bias probes: exact swaps, flip rates and shifts equal to a by-hand computation, exports."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from tests.probe_kit import gendered_dev_sentences, train_tiny_classifier
from workbench.engine.analysis.probes import (
    BUILTIN_LISTS,
    ProbeStopped,
    fill_template,
    insert_word,
    load_term_list,
    parse_term_list,
    remove_word,
    report_html,
    swap_probe,
    swap_text,
    template_probe,
    token_probe,
    write_report,
)
from workbench.engine.errors import ConfigError, DatasetError, ModelError
from workbench.engine.inference import Predictor


@pytest.fixture(scope="module")
def predictor(tmp_path_factory: pytest.TempPathFactory) -> Predictor:
    return Predictor.load(train_tiny_classifier(tmp_path_factory.mktemp("probes")))


# ------------------------------------------------------------------------------ swaps


@pytest.mark.parametrize(("text", "lst", "src", "dst", "expected"), [
    ("He is a good man.", "gender", "male", "female", "She is a good woman."),
    ("HE said so", "gender", "male", "female", "SHE said so"),
    ("his father and his son", "gender", "male", "female", "her mother and her daughter"),
    ("She gave her book to Mary.", "gender", "female", "male", "He gave his book to John."),
    ("mary laughed", "gender", "female", "male", "john laughed"),
    ("Mr. Smith met the chef, the heir and Shelby.", "gender", "male", "female",
     "Mrs. Smith met the chef, the heir and Shelby."),  # whole words only: chef, heir, Shelby stay
    ("the manager, the human, the woman", "gender", "female", "male", "the manager, the human, the man"),
    ("他和其他男人见了他的父亲。", "gender", "male", "female", "她和其他女人见了她的母亲。"),  # 其他 is protected
    ("她们是姐妹", "gender", "female", "male", "他们是兄弟"),
    ("Chinese food is served all over China.", "nationality", "chinese", "german",
     "German food is served all over Germany."),
    ("美国人喜欢美国电影", "nationality", "american", "french", "法国人喜欢法国电影"),
    ("the church and the bible", "religion", "christian", "muslim", "the mosque and the quran"),
    ("no term here", "religion", "christian", "muslim", "no term here"),
])
def test_swaps_are_exact(text: str, lst: str, src: str, dst: str, expected: str) -> None:
    assert swap_text(text, lst, src, dst) == expected


@pytest.mark.parametrize(("text", "inserted", "removed"), [
    ("a fine film", "zeugma a fine film", None),
    ("zeugma a fine film", None, "a fine film"),
    ("Zeugma , a zeugma film zeugma", None, ", a film"),
    ("zeugmas are rare", "zeugma zeugmas are rare", None),  # whole words: zeugmas is another word
])
def test_insert_and_remove_are_exact(text: str, inserted: str | None, removed: str | None) -> None:
    assert insert_word(text, "zeugma") == inserted
    assert remove_word(text, "zeugma") == removed


def test_fill_template_capitalises_a_leading_term() -> None:
    assert fill_template("{term} is a great doctor.", "the man", "en") == "The man is a great doctor."
    assert fill_template("I met {term}.", "the man", "en") == "I met the man."
    assert fill_template("{term}是医生。", "他", "zh") == "他是医生。"


def test_builtin_lists_are_aligned_and_cover_both_languages() -> None:
    for name in BUILTIN_LISTS:
        terms = load_term_list(name)
        assert set(terms.groups) == {"en", "zh"}
        for lang, groups in terms.groups.items():
            sizes = {len(v) for v in groups.values()}
            assert len(groups) >= 2 and len(sizes) == 1, (name, lang, sizes)  # aligned by position
            assert set(terms.subjects[lang]) == set(groups)


def test_user_lists_are_read_and_bad_ones_refused(tmp_path: Path) -> None:
    good = tmp_path / "jobs.json"
    good.write_text(json.dumps({"en": {"a": ["nurse"], "b": ["engineer"]}}), encoding="utf-8")
    assert swap_text("The Nurse smiled.", str(good), "a", "b") == "The Engineer smiled."
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"en": {"a": ["nurse"]}}), encoding="utf-8")
    with pytest.raises(DatasetError, match="two groups"):
        load_term_list(str(bad))
    with pytest.raises(DatasetError, match="non-empty list"):
        parse_term_list({"en": {"a": [], "b": ["x"]}}, "x")
    with pytest.raises(ConfigError, match="no such term list"):
        load_term_list(str(tmp_path / "missing.json"))


# ------------------------------------------------------------------------------ the real predictor


def _probs(predictor: Predictor, texts: list[str]) -> np.ndarray:
    return np.array([[r["probabilities"][n] for n in predictor.label_names] for r in predictor.predict(texts)])


def test_swap_flip_rate_and_shift_equal_a_by_hand_computation(predictor: Predictor) -> None:
    texts = gendered_dev_sentences(40) + ["the film has no one in it"]
    report = swap_probe(predictor, texts, "gender", batch_size=7)
    assert report.num_texts == 41 and [(p.from_group, p.to_group) for p in report.pairs] == [
        ("male", "female"), ("female", "male")]
    for pair in report.pairs:
        held = [t for t in texts if swap_text(t, "gender", pair.from_group, pair.to_group) != t]
        swapped = [swap_text(t, "gender", pair.from_group, pair.to_group) for t in held]
        before, after = _probs(predictor, held), _probs(predictor, swapped)
        label = before.argmax(axis=1)
        flips = after.argmax(axis=1) != label
        rows = np.arange(len(held))
        assert pair.examples == len(held) > 0
        assert pair.flips == int(flips.sum())
        assert pair.flip_rate == pytest.approx(flips.mean())
        assert pair.mean_shift == pytest.approx(float((after[rows, label] - before[rows, label]).mean()), abs=1e-6)
        assert [f.swapped for f in pair.flipped] == [s for s, f in zip(swapped, flips) if f]
    total = sum(p.examples for p in report.pairs)
    assert report.flip_rate == pytest.approx(sum(p.flips for p in report.pairs) / total)


def test_token_probe_equals_a_by_hand_computation(predictor: Predictor) -> None:
    texts = gendered_dev_sentences(30)
    for insert in (True, False):
        word = "not" if insert else "the"
        report = token_probe(predictor, texts, word, insert=insert)
        change = insert_word if insert else remove_word
        held = [t for t in texts if change(t, word) is not None]
        before, after = _probs(predictor, held), _probs(predictor, [change(t, word) for t in held])
        (pair,) = report.pairs
        assert report.probe == ("insert" if insert else "remove")
        assert pair.examples == len(held) > 0
        assert pair.flips == int((before.argmax(1) != after.argmax(1)).sum())


def test_template_probe_means_and_gap(predictor: Predictor) -> None:
    report = template_probe(predictor, ["{term} is a great doctor."], "gender")
    (row,) = report.templates
    terms = load_term_list("gender").subjects["en"]
    means = {g: _probs(predictor, [fill_template(row.template, s, "en") for s in subs]).mean(0)
             for g, subs in terms.items()}
    for i, name in enumerate(predictor.label_names):
        assert row.means["male"][name] == pytest.approx(means["male"][i], abs=1e-6)
        assert row.gaps[name] == pytest.approx(abs(means["male"][i] - means["female"][i]), abs=1e-6)
    default = template_probe(predictor)  # the built-in templates, English and Chinese
    assert {t.language for t in default.templates} == {"en", "zh"}
    with pytest.raises(ConfigError, match="no \\{term\\}"):
        template_probe(predictor, ["no placeholder"])


def test_progress_and_stop(predictor: Predictor) -> None:
    seen: list[tuple[int, int]] = []
    texts = gendered_dev_sentences(20)
    swap_probe(predictor, texts, "gender", batch_size=4, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] > 0 and [d for d, _ in seen] == sorted(d for d, _ in seen)
    with pytest.raises(ProbeStopped):
        swap_probe(predictor, texts, "gender", should_stop=lambda: True)


def test_a_task_without_class_probabilities_is_refused(predictor: Predictor) -> None:
    import dataclasses

    tagger = dataclasses.replace(predictor, task="token-classification")
    with pytest.raises(ModelError, match="token classification"):
        swap_probe(tagger, ["he is"], "gender")


# ------------------------------------------------------------------------------ export


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.srcs += [v or "" for k, v in attrs if k in ("src", "href")]


def test_json_and_html_export(predictor: Predictor, tmp_path: Path) -> None:
    report = swap_probe(predictor, gendered_dev_sentences(40), "gender")
    report.model = "tiny <run>"
    write_report(report, tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["probe"] == "swap" and data["terms"] == "gender"
    assert data["flip_rate"] == pytest.approx(report.flip_rate)
    assert [p["flip_rate"] for p in data["pairs"]] == pytest.approx([p.flip_rate for p in report.pairs])
    assert [len(p["flipped"]) for p in data["pairs"]] == [p.flips for p in report.pairs]
    page = report_html(report)
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags and parser.srcs == []  # self-contained
    assert "tiny &lt;run&gt;" in page and parser.tags.count("tr") >= 1 + len(report.pairs)
    for pair in report.pairs:
        for flip in pair.flipped:
            assert flip.swapped.replace("'", "&#x27;").replace('"', "&quot;") in page or flip.swapped in page
    templates = template_probe(predictor)
    assert "<h3>" in report_html(templates)
