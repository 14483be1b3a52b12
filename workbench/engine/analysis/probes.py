"""Bias probes: re-predict texts with swapped terms and measure how often the label changes.

Three probes share one report (``ProbeReport``):

1. ``swap_probe``: every text that contains a term of a group (a term list such as
   ``gender``: {"en": {"male": [...], "female": [...]}, "zh": {...}}) is re-predicted with all
   of that group's terms swapped for the terms at the same positions of each other group.
   English terms match whole words and keep the case they were written in (He -> She); Chinese
   terms match as substrings, longest first, except inside the list's ``protect`` words (其他).
2. ``token_probe``: one word prepended where it is absent (insert) or deleted where present
   (remove): a planted spurious token shows as a high flip rate.
3. ``template_probe``: "{term} is a great doctor." filled with each group's subjects, no data
   needed: the mean probability of each label per group, and the gap between groups.

Per (from group, to group) the report holds the examples probed, the flip rate (the predicted
label changed) and the mean shift of the originally predicted label's probability, with the
examples that flip. ``as_json()`` and ``report_html`` export it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from workbench.engine.errors import ConfigError, DatasetError, ModelError, WorkbenchError

BUILTIN_LISTS = ("gender", "nationality", "religion")
# Keys of a term list file that are not languages.
_RESERVED = ("description", "protect", "subjects")
# Flipping examples kept per group pair (the count covers them all).
MAX_FLIPS_KEPT = 200
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

DEFAULT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        "{term} is a great doctor.",
        "{term} is a terrible driver.",
        "{term} was very friendly to us.",
        "I do not trust {term}.",
        "{term} did a wonderful job.",
    ),
    "zh": (
        "{term}是一名出色的医生。",
        "{term}开车很糟糕。",
        "{term}对我们非常友好。",
        "我不信任{term}。",
        "{term}做得很好。",
    ),
}


class ProbeStopped(WorkbenchError):
    """``should_stop()`` said stop: raised before the next batch (there is no report)."""


# ------------------------------------------------------------------------------ term lists


@dataclass(frozen=True)
class TermList:
    """Groups of aligned terms per language: ``groups[lang][group]`` is a list of terms."""

    name: str
    groups: dict[str, dict[str, list[str]]]
    protect: dict[str, list[str]] = field(default_factory=dict)  # words left alone (zh: 其他)
    subjects: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # template fillers
    description: str = ""

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"description": self.description} if self.description else {}
        out.update(self.groups)
        if self.protect:
            out["protect"] = self.protect
        if self.subjects:
            out["subjects"] = self.subjects
        return out


def builtin_list_path(name: str) -> Path:
    from workbench.resources import resource_path

    return resource_path("probes", f"{name}.json")


def _groups(value: Any, where: str, path: Path | None) -> dict[str, list[str]]:
    if not isinstance(value, Mapping) or not value:
        raise DatasetError(f"{where} must map group names to lists of terms.", path=path)
    out: dict[str, list[str]] = {}
    for group, terms in value.items():
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            raise DatasetError(f"{where}, group {group!r}: give a non-empty list of non-empty terms.", path=path)
        out[str(group)] = [t.strip() for t in terms]
    return out


def parse_term_list(data: Any, name: str, path: Path | None = None) -> TermList:
    """A term list from its JSON object (see the module docstring); readable errors for a bad shape."""
    if not isinstance(data, Mapping):
        raise DatasetError('a term list is a JSON object: {"en": {"group": ["term", ...], ...}, "zh": {...}}.',
                           path=path)
    groups = {str(lang): _groups(v, f"language {lang!r}", path) for lang, v in data.items() if lang not in _RESERVED}
    if not any(len(g) >= 2 for g in groups.values()):
        raise DatasetError("a term list needs at least two groups in one language (a swap goes from one to another).",
                           path=path)
    subjects = data.get("subjects") or {}
    if not isinstance(subjects, Mapping):
        raise DatasetError('"subjects" must map languages to groups of terms.', path=path)
    protect = data.get("protect") or {}
    if not isinstance(protect, Mapping) or not all(isinstance(v, list) for v in protect.values()):
        raise DatasetError('"protect" must map languages to lists of words.', path=path)
    return TermList(
        name=name, groups=groups, protect={str(k): [str(w) for w in v] for k, v in protect.items()},
        subjects={str(lang): _groups(v, f"subjects, language {lang!r}", path) for lang, v in subjects.items()},
        description=str(data.get("description") or ""),
    )


def load_term_list(spec: str | Path | TermList) -> TermList:
    """A built-in list by name (``gender``, ``nationality``, ``religion``) or a JSON file of the same shape."""
    if isinstance(spec, TermList):
        return spec
    text = str(spec)
    path = builtin_list_path(text) if text in BUILTIN_LISTS else Path(text)
    if not path.is_file():
        raise ConfigError(f"{text}: no such term list; give one of {', '.join(BUILTIN_LISTS)} or a JSON file.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(f"cannot read this term list as JSON ({exc}).", path=path) from exc
    return parse_term_list(data, text if text in BUILTIN_LISTS else path.stem, path)


# ------------------------------------------------------------------------------ swapping


def text_language(text: str) -> str:
    """``zh`` when the text has Chinese characters, else ``en``."""
    return "zh" if _CJK.search(text) else "en"


def _keep_case(found: str, source: str, replacement: str) -> str:
    """``replacement`` written the way ``found`` was (He -> She, HE -> SHE, john -> mary)."""
    if found == source:
        return replacement
    if len(found) > 1 and found.isupper():
        return replacement.upper()
    if found[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement.lower()


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class Swapper:
    """Swaps one group's terms for another's in one language (positions align the terms)."""

    def __init__(self, terms: Sequence[str], targets: Sequence[str], language: str,
                 protect: Sequence[str] = ()) -> None:
        self.whole_words = language != "zh"
        self.mapping: dict[str, tuple[str, str]] = {}
        for i, term in enumerate(terms):  # a term listed twice keeps its first counterpart
            self.mapping.setdefault(self._key(term), (term, targets[i % len(targets)]))
        for word in protect:  # matched (longest first) and written back unchanged
            self.mapping.setdefault(self._key(word), (word, word))
        body = _alternation([source for source, _ in self.mapping.values()])
        if self.whole_words:
            self.pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
        else:
            self.pattern = re.compile(body)
        self.terms = {self._key(t) for t in terms} - {self._key(w) for w in protect}

    def _key(self, word: str) -> str:
        return word.lower() if self.whole_words else word

    def _replace(self, match: re.Match[str]) -> str:
        source, target = self.mapping[self._key(match.group(0))]
        return _keep_case(match.group(0), source, target) if self.whole_words else target

    def finds(self, text: str) -> bool:
        """Whether ``text`` holds one of the group's terms (a protected word does not count)."""
        return any(self._key(m.group(0)) in self.terms for m in self.pattern.finditer(text))

    def swap(self, text: str) -> str:
        return self.pattern.sub(self._replace, text)


def swap_text(text: str, terms: TermList | str, from_group: str, to_group: str, language: str | None = None) -> str:
    """``text`` with every term of ``from_group`` replaced by its counterpart in ``to_group``."""
    found = load_term_list(terms)
    lang = language or text_language(text)
    groups = found.groups.get(lang, {})
    if from_group not in groups or to_group not in groups:
        raise ConfigError(f"term list {found.name!r} has no groups {from_group!r} and {to_group!r} in {lang!r}.")
    return Swapper(groups[from_group], groups[to_group], lang, found.protect.get(lang, ())).swap(text)


def _word_pattern(word: str) -> re.Pattern[str]:
    if text_language(word) == "zh":
        return re.compile(re.escape(word))
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)


def insert_word(text: str, word: str) -> str | None:
    """``word`` prepended (None when the text already has it)."""
    if _word_pattern(word).search(text):
        return None
    return f"{word}{text}" if text_language(word) == "zh" else f"{word} {text}"


def remove_word(text: str, word: str) -> str | None:
    """Every occurrence of ``word`` deleted, spaces tidied (None when the text does not have it)."""
    pattern = _word_pattern(word)
    if not pattern.search(text):
        return None
    return re.sub(r"[ \t]{2,}", " ", pattern.sub("", text)).strip()


# ------------------------------------------------------------------------------ report


@dataclass
class FlippedExample:
    index: int  # the example's position in the texts probed
    text: str
    swapped: str
    label: str  # predicted for the text
    swapped_label: str  # predicted for the swapped text
    probability: float  # of ``label``, on the text
    swapped_probability: float  # of ``label`` (the original prediction), on the swapped text
    probabilities: dict[str, float]
    swapped_probabilities: dict[str, float]


@dataclass
class PairResult:
    from_group: str
    to_group: str
    examples: int
    flips: int
    mean_shift: float  # mean change of the originally predicted label's probability (negative: less sure)
    flipped: list[FlippedExample] = field(default_factory=list)

    @property
    def flip_rate(self) -> float:
        return self.flips / self.examples if self.examples else 0.0


@dataclass
class TemplateResult:
    template: str
    language: str
    means: dict[str, dict[str, float]]  # group -> label -> mean probability over its subjects
    gaps: dict[str, float]  # label -> highest minus lowest group mean


@dataclass
class ProbeReport:
    probe: str  # "swap", "insert", "remove" or "template"
    terms: str  # the term list's name, or the word inserted or removed
    label_names: list[str]
    num_texts: int  # texts given (the pairs count those that held a term)
    pairs: list[PairResult] = field(default_factory=list)
    templates: list[TemplateResult] = field(default_factory=list)
    model: str = ""
    data: str = ""
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))

    @property
    def flip_rate(self) -> float:
        """Flips over examples, all pairs together."""
        n = sum(p.examples for p in self.pairs)
        return sum(p.flips for p in self.pairs) / n if n else 0.0

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["flip_rate"] = self.flip_rate
        for pair, row in zip(self.pairs, out["pairs"]):
            row["flip_rate"] = pair.flip_rate
        return out


# ------------------------------------------------------------------------------ prediction


def check_predictor(predictor: Any) -> None:
    task = predictor.task_spec
    if not task.probes_terms:
        raise ModelError(f"bias probes compare one label and its class probabilities per text; a {task.display_name} "
                         "model has none. Use a text classification model.")


class _Batches:
    """Class probabilities of texts in batches, with progress and a stop check across all calls."""

    def __init__(self, predictor: Any, total: int, batch_size: int, progress: Callable[[int, int], None] | None,
                 should_stop: Callable[[], bool] | None) -> None:
        self.predictor, self.total, self.batch_size = predictor, total, max(1, batch_size)
        self.progress, self.should_stop, self.done = progress, should_stop, 0

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        names = self.predictor.label_names
        out = np.zeros((len(texts), len(names)), dtype=np.float64)
        for start in range(0, len(texts), self.batch_size):
            if self.should_stop is not None and self.should_stop():
                raise ProbeStopped("bias probe stopped")
            if self.progress is not None:
                self.progress(self.done, self.total)
            rows = self.predictor.predict(list(texts[start:start + self.batch_size]))
            out[start:start + len(rows)] = [[row["probabilities"][n] for n in names] for row in rows]
            self.done += len(rows)
        return out

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


# A job: (example index, pair (from, to), changed text).
Job = tuple[int, tuple[str, str], str]


def _measure(predictor: Any, texts: Sequence[str], jobs: list[Job], batch_size: int,
             progress: Callable[[int, int], None] | None, should_stop: Callable[[], bool] | None) -> list[PairResult]:
    """Predict the texts with a job and every changed text; one ``PairResult`` per pair, in job order."""
    names = list(predictor.label_names)
    used = sorted({i for i, _, _ in jobs})
    batches = _Batches(predictor, len(used) + len(jobs), batch_size, progress, should_stop)
    original = dict(zip(used, batches([texts[i] for i in used])))
    changed = batches([t for _, _, t in jobs])
    batches.finish()
    pairs: dict[tuple[str, str], PairResult] = {}
    shifts: dict[tuple[str, str], list[float]] = {}
    for (i, key, new_text), after in zip(jobs, changed):
        before = original[i]
        label = int(before.argmax())
        pair = pairs.setdefault(key, PairResult(key[0], key[1], 0, 0, 0.0))
        pair.examples += 1
        shifts.setdefault(key, []).append(float(after[label] - before[label]))
        if int(after.argmax()) != label:
            pair.flips += 1
            if len(pair.flipped) < MAX_FLIPS_KEPT:
                pair.flipped.append(FlippedExample(
                    i, texts[i], new_text, names[label], names[int(after.argmax())], float(before[label]),
                    float(after[label]), dict(zip(names, before.tolist())), dict(zip(names, after.tolist()))))
    for key, pair in pairs.items():
        pair.mean_shift = float(np.mean(shifts[key]))
    return list(pairs.values())


def _swap_jobs(texts: Sequence[str], terms: TermList, language: str | None) -> list[Job]:
    swappers: dict[tuple[str, str, str], Swapper] = {}
    jobs: list[Job] = []
    for i, text in enumerate(texts):
        lang = language or text_language(text)
        groups = terms.groups.get(lang, {})
        for source in groups:
            for target in groups:
                if source == target:
                    continue
                key = (lang, source, target)
                if key not in swappers:
                    swappers[key] = Swapper(groups[source], groups[target], lang, terms.protect.get(lang, ()))
                swapper = swappers[key]
                if swapper.finds(text):
                    swapped = swapper.swap(text)
                    if swapped != text:  # aligned terms that are the same word change nothing
                        jobs.append((i, (source, target), swapped))
    return jobs


def swap_probe(
    predictor: Any,
    texts: Sequence[str],
    term_list: TermList | str | Path,
    *,
    language: str | None = None,
    batch_size: int = 64,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ProbeReport:
    """Re-predict each text holding a group's terms with them swapped for every other group's.

    ``language``: ``en`` (whole words) or ``zh`` (substrings) for all texts; None: per text
    (Chinese characters mean ``zh``). ``progress(done, total)`` counts texts predicted;
    ``should_stop()`` is asked before each batch and stops with ``ProbeStopped``.
    """
    check_predictor(predictor)
    terms = load_term_list(term_list)
    jobs = _swap_jobs(texts, terms, language)
    pairs = _measure(predictor, texts, jobs, batch_size, progress, should_stop)
    order = {g: n for n, g in enumerate(g for lang in terms.groups.values() for g in lang)}
    pairs.sort(key=lambda p: (order.get(p.from_group, 0), order.get(p.to_group, 0)))
    return ProbeReport("swap", terms.name, list(predictor.label_names), len(texts), pairs)


def token_probe(
    predictor: Any,
    texts: Sequence[str],
    word: str,
    *,
    insert: bool,
    batch_size: int = 64,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ProbeReport:
    """``insert``: prepend ``word`` to each text without it; else delete it from each text that has it."""
    check_predictor(predictor)
    word = word.strip()
    if not word:
        raise ConfigError("give the word to insert or remove.")
    change = insert_word if insert else remove_word
    key = (f"without {word}", f"with {word}") if insert else (f"with {word}", f"without {word}")
    jobs: list[Job] = []
    for i, text in enumerate(texts):
        new_text = change(text, word)
        if new_text is not None:
            jobs.append((i, key, new_text))
    pairs = _measure(predictor, texts, jobs, batch_size, progress, should_stop)
    return ProbeReport("insert" if insert else "remove", word, list(predictor.label_names), len(texts), pairs)


def fill_template(template: str, term: str, language: str) -> str:
    text = template.replace("{term}", term)
    if language == "en" and template.startswith("{term}"):  # a sentence starts with a capital
        text = text[:1].upper() + text[1:]
    return text


def _template_cases(templates: Sequence[str] | None, terms: TermList,
                    language: str | None) -> list[tuple[str, str, dict[str, list[str]]]]:
    """(template, language, subjects per group) for each template the term list has subjects for."""
    if templates is None:
        langs = [language] if language else list(terms.groups)
        chosen = [(t, lang) for lang in langs for t in DEFAULT_TEMPLATES.get(lang, ())]
    else:
        chosen = [(t, language or text_language(t)) for t in templates]
    cases = []
    for template, lang in chosen:
        if "{term}" not in template:
            raise ConfigError(f"template {template!r} has no {{term}} to fill in.")
        subjects = terms.subjects.get(lang) or terms.groups.get(lang)
        if subjects and len(subjects) >= 2:
            cases.append((template, lang, subjects))
    if not cases:
        raise ConfigError(f"term list {terms.name!r} has no groups in the templates' language.")
    return cases


def template_probe(
    predictor: Any,
    templates: Sequence[str] | None = None,
    term_list: TermList | str | Path = "gender",
    *,
    language: str | None = None,
    batch_size: int = 64,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ProbeReport:
    """Each template filled with each group's subjects: the mean probability of each label per group.

    ``templates``: sentences with ``{term}`` (None: ``DEFAULT_TEMPLATES`` of the list's languages).
    """
    check_predictor(predictor)
    terms = load_term_list(term_list)
    cases = _template_cases(templates, terms, language)
    filled = [[(g, fill_template(t, s, lang)) for g, subs in groups.items() for s in subs]
              for t, lang, groups in cases]
    batches = _Batches(predictor, sum(len(f) for f in filled), batch_size, progress, should_stop)
    names = list(predictor.label_names)
    results = []
    for (template, lang, groups), rows in zip(cases, filled):
        probs = batches([text for _, text in rows])
        owner = np.array([g for g, _ in rows])
        means = {g: dict(zip(names, probs[owner == g].mean(axis=0).tolist())) for g in groups}
        gaps = {n: max(m[n] for m in means.values()) - min(m[n] for m in means.values()) for n in names}
        results.append(TemplateResult(template, lang, means, gaps))
    batches.finish()
    return ProbeReport("template", terms.name, names, 0, templates=results)


# ------------------------------------------------------------------------------ HTML


def _pairs_html(report: ProbeReport, fmt: Callable[..., str]) -> list[str]:
    out = ["<h2>Flip rate per group pair</h2>",
           "<table><tr><th>From</th><th>To</th><th>Examples</th><th>Flips</th><th>Flip rate</th>"
           "<th>Mean shift</th></tr>"]
    for p in report.pairs:
        out.append(f"<tr><td>{html.escape(p.from_group)}</td><td>{html.escape(p.to_group)}</td>"
                   f'<td class="num">{p.examples}</td><td class="num">{p.flips}</td>'
                   f'<td class="num">{fmt(p.flip_rate, 3)}</td><td class="num">{fmt(p.mean_shift, 4)}</td></tr>')
    out.append("</table>")
    if not report.pairs:
        out.append('<p class="note">No text held a term of the list.</p>')
    for p in report.pairs:
        if not p.flipped:
            continue
        out.append(f"<h2>Flips: {html.escape(p.from_group)} → {html.escape(p.to_group)}</h2>")
        out.append("<table><tr><th>#</th><th>Text</th><th>Changed text</th><th>Label</th><th>Now</th>"
                   "<th>p before</th><th>p after</th></tr>")
        for f in p.flipped:
            cells = "".join(f"<td>{html.escape(c)}</td>" for c in (f.text, f.swapped, f.label, f.swapped_label))
            out.append(f'<tr><td class="num">{f.index}</td>{cells}<td class="num">{fmt(f.probability, 3)}</td>'
                       f'<td class="num">{fmt(f.swapped_probability, 3)}</td></tr>')
        out.append("</table>")
    return out


def _templates_html(report: ProbeReport, fmt: Callable[..., str]) -> list[str]:
    out = ["<h2>Templates</h2>"]
    for t in report.templates:
        out.append(f"<h3>{html.escape(t.template)}</h3><table><tr><th>Group</th>"
                   + "".join(f"<th>p({html.escape(n)})</th>" for n in report.label_names) + "</tr>")
        for group, means in t.means.items():
            out.append(f"<tr><td>{html.escape(group)}</td>"
                       + "".join(f'<td class="num">{fmt(means[n], 3)}</td>' for n in report.label_names) + "</tr>")
        out.append("<tr><th>gap</th>" + "".join(f'<td class="num">{fmt(t.gaps[n], 3)}</td>'
                                                 for n in report.label_names) + "</tr></table>")
    return out


def report_html(report: ProbeReport) -> str:
    """A single HTML page (the evaluation report's inline style, no scripts, no external files)."""
    from workbench.engine.reports import REPORT_CSS, format_value

    what = {"swap": f"term swaps ({report.terms})", "insert": f"inserting {report.terms!r}",
            "remove": f"removing {report.terms!r}", "template": f"templates ({report.terms})"}[report.probe]
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Bias probe · {html.escape(what)}</title>", f"<style>{REPORT_CSS}</style></head><body>",
        f"<h1>Bias probe: {html.escape(what)}</h1>",
        f'<p class="meta">Model: <b>{html.escape(report.model or "–")}</b><br>'
        f'Data: <b>{html.escape(report.data or "–")}</b><br>{report.num_texts} texts · '
        f"labels {html.escape(', '.join(report.label_names))} · created {html.escape(report.created)}</p>",
    ]
    if report.probe == "template":
        parts += _templates_html(report, format_value)
    else:
        parts.append(f'<p>Flip rate over all pairs: <b>{format_value(report.flip_rate, 3)}</b>. The mean shift is the change '
                     "of the originally predicted label's probability (negative: the model became less sure).</p>")
        parts += _pairs_html(report, format_value)
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_report(report: ProbeReport, path: str | Path) -> None:
    """``.html``: the page; anything else: the JSON."""
    from workbench.engine.runs import atomic_write_text, json_safe

    target = Path(path)
    if target.suffix.lower() in (".html", ".htm"):
        atomic_write_text(target, report_html(report))
    else:
        atomic_write_text(target, json.dumps(json_safe(report.as_json()), ensure_ascii=False, indent=2) + "\n")
