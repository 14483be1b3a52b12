"""SQuAD 1.1 / 2.0 files: one JSON document -> a :class:`Table` with one row per question.

Reading a file format is the data layer's job; the question-answering task
(``engine/tasks/question_answering.py``) builds its examples from these rows.
Every malformed record raises a :class:`DatasetError` naming the article, the
question id and the line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from workbench.engine.data.table import Table
from workbench.engine.errors import DatasetError

# The columns a SQuAD table shows; "answers" (text + answer_start) rides along in each row.
SQUAD_COLUMNS = ["title", "id", "question", "answer", "context", "is_impossible"]
SQUAD_HINT = (
    'A SQuAD file is one JSON document: {"data": [{"title": ..., "paragraphs": [{"context": '
    '..., "qas": [{"id": ..., "question": ..., "answers": [{"text": ..., "answer_start": N}], '
    '"is_impossible": false}]}]}]}.'
)


class Answer(NamedTuple):
    """A gold answer: its text and the character offset where it starts in the context."""

    text: str
    start: int


def looks_like_squad(text: str) -> bool:
    """Cheap test before a full parse: one JSON object that mentions paragraphs and contexts."""
    head = text.lstrip()[:1]
    return head == "{" and '"paragraphs"' in text and '"context"' in text


def parse_squad(text: str) -> dict[str, Any] | None:
    """The parsed document when ``text`` is a SQuAD file, else None (JSON Lines, other JSON)."""
    if not looks_like_squad(text):
        return None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return None  # e.g. JSON Lines: several objects, "Extra data"
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        return None
    articles = document["data"]
    if articles and not (isinstance(articles[0], dict) and "paragraphs" in articles[0]):
        return None
    return document


class _Lines:
    """Line numbers of successive strings in the file, found by a forward scan.

    SQuAD files are often one single line; the scan then says "line 1" for
    every question, which is the truth. Finding an id is O(distance moved); after
    one id is not found (written in some other way), the scan stops rather than
    search the rest of the file again for every question.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lost = False

    def find(self, value: str) -> int:
        if self.lost:
            return self.line
        at = self.text.find(json.dumps(value, ensure_ascii=False), self.pos)
        if at < 0:
            at = self.text.find(json.dumps(value), self.pos)  # written with \\u escapes
        if at < 0:
            self.lost = True
            return self.line
        self.line += self.text.count("\n", self.pos, at)
        self.pos = at
        return self.line


def _error(path: Path, line: int, where: str, message: str, hint: str | None = None) -> DatasetError:
    return DatasetError(f"{where}: {message}", path=path, line=line, hint=hint)


def read_squad(path: str | Path, text: str, document: dict[str, Any] | None = None) -> Table:
    """One table row per question of a SQuAD 1.1 or 2.0 file.

    A question is unanswerable when ``is_impossible`` is true, or (SQuAD 1.1
    style, no flag) when it has no answers. Every answer must be found at its
    ``answer_start`` in the context: a misplaced offset would teach the model
    the wrong span, so it is an error, not a warning.
    """
    path = Path(path)
    if document is None:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DatasetError(
                f"invalid JSON: {exc.msg}.", path=path, line=exc.lineno, column=exc.colno,
                hint=SQUAD_HINT,
            ) from None
        except (ValueError, RecursionError) as exc:
            raise DatasetError(f"cannot read this JSON ({type(exc).__name__}: {exc}).", path=path) from None
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise DatasetError(
            'not a SQuAD file: the top level must be a JSON object with a "data" list of articles.',
            path=path, line=1, hint=SQUAD_HINT,
        )
    lines = _Lines(text)
    rows: list[dict[str, object]] = []
    starts: list[int] = []
    paragraph_number = 0
    for a, article in enumerate(document["data"], 1):
        if not isinstance(article, dict):
            raise _error(path, lines.line, f"article {a}", "is not a JSON object.", SQUAD_HINT)
        title = article.get("title")
        title = str(title) if title not in (None, "") else f"article {a}"
        where_article = f"article {a} ({title!r})"
        paragraphs = article.get("paragraphs")
        if not isinstance(paragraphs, list):
            raise _error(path, lines.line, where_article, 'has no "paragraphs" list.', SQUAD_HINT)
        for p, paragraph in enumerate(paragraphs, 1):
            where = f"{where_article}, paragraph {p}"
            if not isinstance(paragraph, dict):
                raise _error(path, lines.line, where, "is not a JSON object.", SQUAD_HINT)
            context = paragraph.get("context")
            if not isinstance(context, str) or not context.strip():
                raise _error(path, lines.line, where, 'has no "context" text.',
                             "Give every paragraph its context as a non-empty string.")
            qas = paragraph.get("qas", [])
            if not isinstance(qas, list):
                raise _error(path, lines.line, where, '"qas" must be a list of questions.', SQUAD_HINT)
            for q, qa in enumerate(qas, 1):
                if not isinstance(qa, dict):
                    raise _error(path, lines.line, f"{where}, question {q}", "is not a JSON object.")
                qid = qa.get("id")
                # Ids key the predictions; a hand-made file without them still works.
                line = lines.find(str(qid)) if qid not in (None, "") else lines.line
                qid = str(qid) if qid not in (None, "") else f"{a}.{p}.{q}"
                rows.append(_question_row(path, line, where_article, title, context, qid, qa, a, paragraph_number))
                starts.append(line)
            paragraph_number += 1
    if not rows:
        raise DatasetError(
            "the file holds no questions (every paragraph's \"qas\" list is empty).",
            path=path, line=1, hint=SQUAD_HINT,
        )
    return Table(path, "squad", list(SQUAD_COLUMNS), rows, starts)


def _question_row(
    path: Path, line: int, where_article: str, title: str, context: str, qid: str,
    qa: dict[str, Any], article: int, paragraph: int,
) -> dict[str, object]:
    where = f"{where_article}, question {qid!r}"
    question = qa.get("question")
    if not isinstance(question, str) or not question.strip():
        raise _error(path, line, where, 'has no "question" text.', "Write the question as a non-empty string.")
    raw = qa.get("answers", [])
    if not isinstance(raw, list):
        raise _error(path, line, where, '"answers" must be a list.', SQUAD_HINT)
    answers: list[Answer] = []
    for n, item in enumerate(raw, 1):
        text = item.get("text") if isinstance(item, dict) else None
        start = item.get("answer_start") if isinstance(item, dict) else None
        if not isinstance(text, str) or not isinstance(start, int) or isinstance(start, bool):
            raise _error(path, line, where, f'answer {n} needs a "text" string and an integer "answer_start".',
                         SQUAD_HINT)
        if context[start : start + len(text)] != text or start < 0:
            found = context.find(text)
            hint = (f"The text occurs at offset {found}." if found >= 0
                    else "The text does not occur in the context at all.")
            raise _error(
                path, line, where,
                f"answer {n} {text!r} is not at answer_start {start} of the context "
                f"(which has {context[max(start, 0) : max(start, 0) + len(text)]!r} there).",
                hint + " Fix answer_start (a character offset, counting from 0).",
            )
        answers.append(Answer(text, start))
    flag = qa.get("is_impossible")
    if flag is not None and not isinstance(flag, bool):
        raise _error(path, line, where, '"is_impossible" must be true or false.')
    if flag and answers:
        raise _error(path, line, where, 'is marked "is_impossible" but has answers.',
                     'SQuAD 2.0 keeps answers of impossible questions under "plausible_answers"; '
                     'leave "answers" empty.')
    if flag is False and not answers:
        raise _error(path, line, where, 'is marked answerable ("is_impossible": false) but has no answers.',
                     'Add its answer, or set "is_impossible" to true.')
    shown = list(dict.fromkeys(a.text for a in answers))
    return {
        "title": title,
        "id": qid,
        "question": question,
        "answer": " | ".join(shown),
        "context": context,
        "is_impossible": not answers,
        "answers": answers,  # not a column: the offsets training and scoring need
        "article": article,
        "paragraph": paragraph,
    }
