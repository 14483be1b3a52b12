"""Switch the interface language of an open window in place (View ▸ Language).

Widgets keep the texts they were given, already translated. To show another language
without building the window anew (which would throw away loaded models, results,
selections and a run in progress), each text is taken back to where it came from and
translated again:

1. ``Retranslator.record(window, language)`` reads every text the window shows: label,
   button and group texts, tooltips and status tips, placeholders, spin box prefixes,
   combo items, tab names, menu titles and actions, table headers and cells, list items,
   a read-only log, plot titles, axis labels and legend entries. Each is looked up in the
   catalogue of the language on show (the compiled ``.qm`` the app loaded: context,
   source, translation), in the contexts ``self.tr`` could have used there: the class
   names of the widget and of its ancestors (PySide6 tries the runtime class and its
   bases). A word of the user's data that is a text of the interface elsewhere (a column
   named "label") is not looked up there, so it stays as it is.

   A text is found whole, or as a template with its values filled in ("Step {step} of
   {total}" as "Step 3 of 40"; a value can itself be a translated word), or in pieces
   where code joins translated texts: " · ", line breaks, "; ", a field name before it
   ("dataset: "), rich text around it ("<b>…</b>"), a shortcut after it (" (Ctrl+D)",
   whose key names Qt translates too).
2. The caller installs the new translator (``i18n.install_language``).
3. ``Retranslator.apply()`` sets each text found to its translation in the new
   language; views of item models repaint (models translate in ``data()``); then each
   object with a ``retranslate()`` method re-renders what it formats from its state
   (texts joined without a separator, kept tooltips and notes: ``retranslated()``
   helps there).

What was found is remembered per object and property until the next switch, so a text
whose source is ambiguous in one language (``损失`` is "Loss" and "loss") goes back to
the English it came from. Texts not found (data, user input, an engine's message, a
catalogue entry still missing) stay as they are.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QSignalBlocker, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QGraphicsView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QSpinBox,
    QTabBar,
    QTableWidget,
    QTextEdit,
    QToolBox,
    QTreeWidget,
    QWidget,
)

# ---- the catalogue: displayed text -> (context, source) ------------------------------------

_QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
_QM_MESSAGES = 0x69
# Tags inside the messages block (qtbase/src/corelib/kernel/qtranslator.cpp).
_TAG_END, _TAG_TRANSLATION, _TAG_OBSOLETE1, _TAG_SOURCE, _TAG_CONTEXT, _TAG_OBSOLETE2 = 1, 3, 5, 6, 7, 9


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str


def read_qm(path: str | Path) -> list[Message]:
    """The messages of a compiled Qt catalogue (what the app loads; the .ts may not ship).

    A message without a translation (unfinished) comes back with ``translation == ""``.
    """
    data = Path(path).read_bytes()
    if not data.startswith(_QM_MAGIC):
        raise ValueError(f"{path} is not a Qt translation file (.qm)")
    block = b""
    pos = len(_QM_MAGIC)
    while pos + 5 <= len(data):
        tag = data[pos]
        (size,) = struct.unpack(">I", data[pos + 1:pos + 5])
        if tag == _QM_MESSAGES:
            block = data[pos + 5:pos + 5 + size]
        pos += 5 + size
    messages: list[Message] = []
    fields: dict[int, bytes] = {}
    pos = 0
    while pos < len(block):
        tag = block[pos]
        pos += 1
        if tag == _TAG_END:
            translation = fields.get(_TAG_TRANSLATION, b"").decode("utf-16-be")
            messages.append(Message(fields.get(_TAG_CONTEXT, b"").decode("utf-8"),
                                    fields.get(_TAG_SOURCE, b"").decode("utf-8"), translation))
            fields = {}
            continue
        if tag in (_TAG_OBSOLETE1, _TAG_OBSOLETE2):
            continue
        (size,) = struct.unpack(">I", block[pos:pos + 4])
        pos += 4
        if size == 0xFFFFFFFF:  # a null string
            continue
        if tag == _TAG_TRANSLATION and tag in fields:  # plural forms: the first one is shown
            pos += size
            continue
        fields[tag] = block[pos:pos + size]
        pos += size
    return messages


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::[^{}]*)?\}")
_MARKUP = re.compile(r"<[^<>]*>")  # a number shown in bold is still the number
# Literal text a template needs before it is matched against what a widget shows: a template
# of placeholders and punctuation alone ("{run}: {status}") would match any text at all. One
# with a short word only ("{used} of {size}") matches only values without spaces ("246 of 292",
# never a sentence of the user's data that has "of" in it).
# (A Chinese character is a word: it counts as three letters.)
_WORD = re.compile(r"[^\W\d_]")
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")
_MIN_LITERAL_LETTERS = 2
_STRONG_LITERAL_LETTERS = 4
# How code joins translated pieces into one text (a status line, a tooltip of several lines,
# a list of problems).
_SEPARATORS = re.compile(r"( · |\n|<br>|; )")
_SPACE = re.compile(r"\s")
_JOINED = re.compile(r" · |<br>|\n")
# What code puts before or after a translated text: the time of a log line, a mark ("⚠ "),
# a field name that code matches on ("dataset: no file loaded"); a shortcut (" (Ctrl+D)").
_PREFIX = re.compile(r"((?:\d\d:\d\d:\d\d  )?(?:[^\w\s<&]+ )?(?:[a-z][a-z_]*: )?)(.+)", re.DOTALL)
_SUFFIX = re.compile(r"(.+)( \(([^()]+)\))", re.DOTALL)
# Rich text around a translated text: "<b>Warnings</b>".
_WRAPPED = re.compile(r"((?:<[a-z][^<>]*>)+)([^<>]+)((?:</[a-z]+>)+)")
_MAX_DEPTH = 2  # a template's value may be a template whose values are words
_MAX_SPAN = 4  # pieces a template may cover ("{rows} rows · {format}" covers two)
# Longer texts (a log) are split before templates are tried: a pattern of several ".*?"
# groups can take long on a long text.
_MAX_TEMPLATE_TEXT = 2000


@dataclass(frozen=True)
class Source:
    """Where a displayed text came from: ``translate(context, source)``, then its values filled in.

    ``values``: placeholder -> the text shown for it, or the pieces it is made of where
    code put translated text in its place (``self.tr("comma")`` in
    "{format}, {delimiter}-separated").
    """

    context: str
    source: str
    values: tuple[tuple[str, str | Pieces], ...] = ()
    capital: bool = False  # shown with its first letter upper-cased ("Finished" from "finished")

    def render(self) -> str:
        text = QCoreApplication.translate(self.context, self.source)
        if self.capital:
            text = text[:1].upper() + text[1:]
        if not self.values:
            return text
        filled = {name: value if isinstance(value, str) else render(value) for name, value in self.values}
        return _PLACEHOLDER.sub(lambda m: filled.get(m.group(1), m.group(0)), text)


@dataclass(frozen=True)
class Keys:
    """A shortcut written into a text (" (Ctrl+Return)"): Qt names the keys in the interface's language."""

    portable: str  # QKeySequence's language-independent form
    before: str = " ("
    after: str = ")"

    def render(self) -> str:
        keys = QKeySequence.fromString(self.portable, QKeySequence.SequenceFormat.PortableText)
        return f"{self.before}{keys.toString(QKeySequence.SequenceFormat.NativeText)}{self.after}"


# A text as pieces: literal strings (separators, data) and translated ones.
Pieces = tuple["str | Source | Keys", ...]


def render(pieces: Pieces) -> str:
    return "".join(p if isinstance(p, str) else p.render() for p in pieces)


def _shortcut(text: str) -> Keys | None:
    """``text`` as a key sequence if it is one as Qt writes it ("Ctrl+D", "Del"), not words in brackets."""
    native = QKeySequence.SequenceFormat.NativeText
    keys = QKeySequence.fromString(text, native)
    if keys.isEmpty() or keys.toString(native) != text:
        return None
    return Keys(keys.toString(QKeySequence.SequenceFormat.PortableText))


@dataclass(frozen=True)
class _Template:
    context: str
    source: str
    pattern: re.Pattern[str]
    literal: str  # the longest literal piece: a quick test before the regular expression
    weak: bool  # few literal letters: its values may not contain spaces
    # Where a language says "1 row" and "300 rows" alike, both English sources have this one
    # pattern: the singular source, and the placeholder whose number chooses it.
    singular: str | None = None
    count: str | None = None

    def source_for(self, found: re.Match[str]) -> str:
        if self.singular and self.count and _MARKUP.sub("", found.group(self.count)).strip() == "1":
            return self.singular
        return self.source


def _with_singular(first: _Template, second: _Template) -> _Template | None:
    """One template for two sources translated alike that differ as singular and plural
    ("{rows} row · {format}", "{rows} rows · {format}"): the number before the first
    difference chooses between them. None when they are not such a pair."""
    singular, plural = sorted((first.source, second.source), key=len)
    same = next((i for i, (x, y) in enumerate(zip(singular, plural)) if x != y), len(singular))
    before = _PLACEHOLDER.findall(singular[:same])
    if not before or plural[same:same + 1] != "s" or plural[:same] + plural[same + 1:] != singular:
        return None
    return _Template(first.context, plural, first.pattern, first.literal, first.weak, singular, before[-1])


def _template(context: str, source: str, shown: str) -> _Template | None:
    """A regular expression that matches ``shown`` (a translation with placeholders) filled in."""
    parts = _PLACEHOLDER.split(shown)  # literal, name, literal, name, ..., literal
    literals, names = parts[0::2], parts[1::2]
    literal = "".join(literals)
    letters = len(_WORD.findall(literal)) + 2 * len(_IDEOGRAPH.findall(literal))
    if not names or letters < _MIN_LITERAL_LETTERS:
        return None
    regex, seen = [], set()
    for i, literal in enumerate(literals):
        regex.append(re.escape(literal))
        if i < len(names):
            name = names[i]
            regex.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
            seen.add(name)
    try:
        pattern = re.compile("".join(regex), re.DOTALL)
    except re.error:  # pragma: no cover - a placeholder name Python cannot use as a group
        return None
    return _Template(context, source, pattern, max(literals, key=len), letters < _STRONG_LITERAL_LETTERS)


def _pair_plurals(templates: list[_Template]) -> list[_Template]:
    """``templates`` with each singular and plural pair of the same pattern made one."""
    by_pattern: dict[str, _Template] = {}
    kept: list[_Template] = []
    for template in templates:
        earlier = by_pattern.get(template.pattern.pattern)
        paired = _with_singular(earlier, template) if earlier is not None and earlier.singular is None else None
        if paired is not None:
            kept[kept.index(earlier)] = by_pattern[template.pattern.pattern] = paired
            continue
        by_pattern.setdefault(template.pattern.pattern, template)
        kept.append(template)
    return kept


class Catalogue:
    """Displayed text of one language -> the ``(context, source)`` pairs it can come from."""

    def __init__(self, messages: Iterable[Message], language: str, source_language: str = "en") -> None:
        self.language = language
        self._table: dict[str, list[tuple[str, str]]] = {}
        self._templates: dict[str, list[_Template]] = {}
        for m in messages:
            # English shows the source; so does another language where a message is unfinished.
            shown = m.source if language == source_language or not m.translation else m.translation
            pairs = self._table.setdefault(shown, [])
            if (m.context, m.source) not in pairs:
                pairs.append((m.context, m.source))
            template = _template(m.context, m.source, shown)
            if template is not None:
                self._templates.setdefault(m.context, []).append(template)
        for context, templates in self._templates.items():
            self._templates[context] = _pair_plurals(templates)
        for templates in self._templates.values():  # the most specific first
            templates.sort(key=lambda t: -len(t.pattern.pattern))

    def lookup(self, text: str, contexts: Iterable[str]) -> tuple[str, str] | None:
        """The pair in the nearest of ``contexts`` (class names, nearest first), or None."""
        found = self._table.get(text)
        if not found:
            return None
        for context in contexts:
            for pair in found:
                if pair[0] == context:
                    return pair
        return None

    def match(self, text: str, contexts: list[str], depth: int = 0) -> Source | None:
        """``text`` as one translated string: a static one, or a template filled in with values.

        A value is itself looked up (to ``_MAX_DEPTH``): code puts translated words in templates.
        """
        if not text:
            return None
        pair = self.lookup(text, contexts)
        if pair is not None:
            return Source(*pair)
        if text[:1].isupper():  # code capitalises a status word to start a line
            pair = self.lookup(text[:1].lower() + text[1:], contexts)
            if pair is not None:
                return Source(*pair, capital=True)
        if depth >= _MAX_DEPTH or len(text) > _MAX_TEMPLATE_TEXT:
            return None
        for context in contexts:
            for template in self._templates.get(context, ()):
                if template.literal not in text:
                    continue
                found = template.pattern.fullmatch(text)
                if found is None or any(_JOINED.search(v) or template.weak and _SPACE.search(v)
                                        for v in found.groups()):
                    continue  # a value that spans joined pieces: the pieces are matched one by one
                values = tuple(
                    (name, self.pieces(value, contexts, depth + 1) or value)
                    for name, value in found.groupdict().items()
                )
                return Source(template.context, template.source_for(found), values)
        return None

    def _one(self, text: str, contexts: list[str], depth: int) -> Pieces | None:
        """``text`` as one translated string, maybe with a field name before it or a shortcut after it."""
        found = self.match(text, contexts, depth)
        if found is not None:
            return (found,)
        prefix = _PREFIX.fullmatch(text)
        if prefix is not None and prefix.group(1):
            found = self.match(prefix.group(2), contexts, depth)
            if found is not None:
                return (prefix.group(1), found)
        suffix = _SUFFIX.fullmatch(text)
        if suffix is not None and (keys := _shortcut(suffix.group(3))) is not None:
            found = self.match(suffix.group(1), contexts, depth)
            if found is not None:
                return (found, keys)
        wrapped = _WRAPPED.fullmatch(text)
        if wrapped is not None:
            found = self.match(wrapped.group(2), contexts, depth)
            if found is not None:
                return (wrapped.group(1), found, wrapped.group(3))
        return None

    def pieces(self, text: str, contexts: list[str], depth: int = 0) -> Pieces | None:
        """``text`` as translated pieces: whole, or split where code joins pieces (" · ", lines).

        Runs of neighbouring pieces are tried first, longest first: a template can have
        a separator of its own ("{rows} rows · {format}").
        """
        if not text:
            return None
        whole = self._one(text, contexts, depth)
        if whole is not None:
            return whole
        parts = _SEPARATORS.split(text)  # piece, separator, piece, ..., piece
        if len(parts) == 1:
            return None
        pieces: list[str | Source | Keys] = []
        i = 0
        while i < len(parts):
            for j in range(min(len(parts) - 1, i + 2 * (_MAX_SPAN - 1)), i - 1, -2):
                found = self._one("".join(parts[i:j + 1]), contexts, depth)
                if found is not None:
                    pieces.extend(found)
                    break
            else:
                j = i
                pieces.append(parts[i])
            if j + 1 < len(parts):
                pieces.append(parts[j + 1])  # the separator after the run
            i = j + 2
        return tuple(pieces) if any(isinstance(p, Source) for p in pieces) else None


def catalogue_for(language: str, catalogues: dict[str, Path], source_language: str = "en") -> Catalogue:
    """The catalogue of ``language``; the source language's is built from every other one's sources."""
    if language == source_language:
        messages = [m for path in catalogues.values() if path.is_file() for m in read_qm(path)]
    else:
        messages = read_qm(catalogues[language])
    return Catalogue(messages, language, source_language)


# ---- the texts a window shows ----------------------------------------------------------------

Getter = Callable[[], str]
Setter = Callable[[str], None]


@dataclass
class _Text:
    """One displayed text found in the catalogue, with how to set it again."""

    owner: Any  # a QObject (checked still alive before setting) or a plot item
    key: tuple[int, str]  # (object id, property): the memory of its source
    shown: str
    pieces: Pieces
    get: Getter
    set: Setter


def ancestor_contexts(obj: Any) -> list[str]:
    """Class names that ``self.tr`` of ``obj`` or of one of its ancestors used, nearest first."""
    names: list[str] = []
    seen: set[int] = set()
    node = obj
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        for cls in type(node).__mro__:
            if cls.__name__ not in names:
                names.append(cls.__name__)
        parent = node.parent() if isinstance(node, QObject) else None
        if parent is None and hasattr(node, "parentItem"):  # a plot item: up to its item / view
            parent = node.parentItem() or _scene_view(node)
        node = parent
    return names


def _scene_view(item: Any) -> QWidget | None:
    scene = item.scene() if hasattr(item, "scene") else None
    views = scene.views() if scene is not None else []
    return views[0] if views else None


def _widget_texts(w: QWidget) -> Iterator[tuple[str, Getter, Setter]]:
    """(property, getter, setter) for each static text ``w`` shows."""
    yield "toolTip", w.toolTip, w.setToolTip
    yield "statusTip", w.statusTip, w.setStatusTip
    yield "whatsThis", w.whatsThis, w.setWhatsThis
    if w.isWindow():
        yield "windowTitle", w.windowTitle, w.setWindowTitle
    for kinds, texts in _TEXTS_BY_KIND:
        if isinstance(w, kinds):
            yield from texts(w)


def _own_texts(w: Any) -> Iterator[tuple[str, Getter, Setter]]:
    """The one text property of a widget kind (a label's text, a group box's title ...)."""
    if isinstance(w, (QLabel, QAbstractButton)):
        yield "text", w.text, w.setText
    elif isinstance(w, (QGroupBox, QMenu)):
        yield "title", w.title, w.setTitle
    elif isinstance(w, QProgressBar):
        yield "format", w.format, w.setFormat


def _edit_texts(w: Any) -> Iterator[tuple[str, Getter, Setter]]:
    yield "placeholderText", w.placeholderText, w.setPlaceholderText  # not their text: the user typed it
    if isinstance(w, QPlainTextEdit) and w.isReadOnly():  # a log: its lines, written by the program
        yield "log", w.toPlainText, lambda text, w=w: _set_log(w, text)


def _spin_texts(w: Any) -> Iterator[tuple[str, Getter, Setter]]:
    yield "specialValueText", w.specialValueText, w.setSpecialValueText
    if isinstance(w, (QSpinBox, QDoubleSpinBox)):
        yield "prefix", w.prefix, w.setPrefix
        yield "suffix", w.suffix, w.setSuffix


def _combo_texts(w: QComboBox) -> Iterator[tuple[str, Getter, Setter]]:
    yield "placeholderText", w.placeholderText, w.setPlaceholderText
    for i in range(w.count()):
        # An item whose text is its data is an identifier (a column name, a task id): kept.
        if w.itemData(i) is not None and str(w.itemData(i)) == w.itemText(i):
            continue
        yield (f"item{i}", lambda w=w, i=i: w.itemText(i),
               lambda text, w=w, i=i: _quietly(w, lambda: w.setItemText(i, text)))
        yield (f"itemTip{i}", lambda w=w, i=i: w.itemData(i, Qt.ItemDataRole.ToolTipRole) or "",
               lambda text, w=w, i=i: w.setItemData(i, text, Qt.ItemDataRole.ToolTipRole))


def _tab_texts(w: QTabBar) -> Iterator[tuple[str, Getter, Setter]]:
    for i in range(w.count()):
        yield f"tab{i}", lambda w=w, i=i: w.tabText(i), lambda text, w=w, i=i: w.setTabText(i, text)
        yield (f"tabTip{i}", lambda w=w, i=i: w.tabToolTip(i),
               lambda text, w=w, i=i: w.setTabToolTip(i, text))


def _toolbox_texts(w: QToolBox) -> Iterator[tuple[str, Getter, Setter]]:
    for i in range(w.count()):
        yield f"page{i}", lambda w=w, i=i: w.itemText(i), lambda text, w=w, i=i: w.setItemText(i, text)


def _table_texts(w: QTableWidget) -> Iterator[tuple[str, Getter, Setter]]:
    for orientation, count, item_at in (
        ("h", w.columnCount(), w.horizontalHeaderItem),
        ("v", w.rowCount(), w.verticalHeaderItem),
    ):
        for i in range(count):
            item = item_at(i)
            if item is not None:
                yield f"{orientation}header{i}", item.text, item.setText
                yield f"{orientation}headerTip{i}", item.toolTip, item.setToolTip
    # Cells too: row names of a results table ("Accuracy"); data in them is not a text
    # of the interface in this widget's contexts, so it stays as it is.
    for r in range(w.rowCount()):
        for c in range(w.columnCount()):
            item = w.item(r, c)
            if item is not None:
                yield f"cell{r},{c}", item.text, item.setText
                yield f"cellTip{r},{c}", item.toolTip, item.setToolTip


def _list_texts(w: QListWidget) -> Iterator[tuple[str, Getter, Setter]]:
    for r in range(w.count()):
        item = w.item(r)
        yield f"row{r}", item.text, item.setText
        yield f"rowTip{r}", item.toolTip, item.setToolTip


def _tree_texts(w: QTreeWidget) -> Iterator[tuple[str, Getter, Setter]]:
    header = w.headerItem()
    for i in range(header.columnCount()):
        yield (f"header{i}", lambda h=header, i=i: h.text(i),
               lambda text, h=header, i=i: h.setText(i, text))


# Which texts each kind of widget shows, beyond the tips every widget has (a widget may be
# of several kinds: a read-only QPlainTextEdit is an edit and a log).
_TEXTS_BY_KIND: tuple[tuple[type | tuple[type, ...], Callable[[Any], Iterator[tuple[str, Getter, Setter]]]], ...] = (
    ((QLabel, QAbstractButton, QGroupBox, QMenu, QProgressBar), _own_texts),
    ((QLineEdit, QTextEdit, QPlainTextEdit), _edit_texts),
    (QAbstractSpinBox, _spin_texts),
    (QComboBox, _combo_texts),
    (QTabBar, _tab_texts),
    (QToolBox, _toolbox_texts),
    (QTableWidget, _table_texts),
    (QListWidget, _list_texts),
    (QTreeWidget, _tree_texts),
)


def _set_log(log: QPlainTextEdit, text: str) -> None:
    """Replace a log's text, keeping it scrolled to the end if it was (where new lines show)."""
    bar = log.verticalScrollBar()
    at_end = bar.value() >= bar.maximum()
    position = bar.value()
    log.setPlainText(text)
    bar.setValue(bar.maximum() if at_end else position)


def _quietly(widget: QObject, change: Callable[[], None]) -> None:
    """Change a text without signals: a panel must not take a retranslated item for a new choice."""
    blocker = QSignalBlocker(widget)
    try:
        change()
    finally:
        blocker.unblock()


def _action_texts(a: QAction) -> Iterator[tuple[str, Getter, Setter]]:
    yield "text", a.text, a.setText
    yield "toolTip", a.toolTip, a.setToolTip
    yield "statusTip", a.statusTip, a.setStatusTip
    yield "whatsThis", a.whatsThis, a.setWhatsThis


def _plot_texts(view: QGraphicsView) -> Iterator[tuple[Any, tuple[str, Getter, Setter]]]:
    """Titles, axis labels, legend entries and text items of a pyqtgraph view."""
    try:
        import pyqtgraph as pg
    except ImportError:  # pragma: no cover - pyqtgraph is a dependency
        return
    scene = view.scene()
    if scene is None:
        return
    for item in scene.items():
        if isinstance(item, pg.LabelItem):
            yield item, ("text", lambda i=item: str(i.text or ""), item.setText)
        elif isinstance(item, pg.AxisItem):
            yield item, ("labelText", lambda i=item: str(i.labelText or ""),
                         lambda text, i=item: i.setLabel(text=text, units=i.labelUnits or None,
                                                         **i.labelStyle))
        elif isinstance(item, pg.TextItem):
            yield item, ("text", item.toPlainText, item.setText)


# During Retranslator.apply(): the retranslator and the language the window showed before.
_switching: tuple[Retranslator, str] | None = None


def retranslated(text: str, owner: Any) -> str:
    """``text``, kept by ``owner`` from before a language switch, in the language installed now.

    For the ``retranslate()`` methods of panels that keep a translated text to show again
    later (a tooltip to restore, a note): found as a displayed text is, in the contexts of
    ``owner``; unchanged when it is not found, or outside a switch.
    """
    if _switching is None or not text:
        return text
    retranslator, before = _switching
    pieces = retranslator.catalogue(before).pieces(text, ancestor_contexts(owner))
    return render(pieces) if pieces is not None else text


class Retranslator:
    """Takes a window's texts from one language to another; see the module's docstring."""

    def __init__(self, catalogues: dict[str, Path], source_language: str = "en") -> None:
        self._paths = catalogues
        self._source_language = source_language
        self._catalogues: dict[str, Catalogue] = {}
        # (object id, property) -> (the text set, its pieces): the way back, without guessing.
        self._memory: dict[tuple[int, str], tuple[str, Pieces]] = {}
        self._recorded: list[_Text] = []
        self._root: QWidget | None = None
        self._language = source_language  # the language of what was recorded

    def catalogue(self, language: str) -> Catalogue:
        if language not in self._catalogues:
            self._catalogues[language] = catalogue_for(language, self._paths, self._source_language)
        return self._catalogues[language]

    def pieces_of(self, owner: Any, prop: str, text: str, language: str,
                  contexts: list[str] | None = None) -> Pieces | None:
        """What ``text`` on ``owner`` was translated from, or None (data, user input, unknown)."""
        if not text:
            return None
        remembered = self._memory.get((id(owner), prop))
        if remembered is not None and remembered[0] == text:
            return remembered[1]
        if contexts is None:
            contexts = ancestor_contexts(owner)
        return self.catalogue(language).pieces(text, contexts)

    def texts(self, root: QWidget) -> Iterator[tuple[Any, str, Getter, Setter]]:
        """Every static text under ``root``: (owner, property, getter, setter)."""
        widgets = [root, *root.findChildren(QWidget)]
        for w in widgets:
            for prop, get, set_ in _widget_texts(w):
                yield w, prop, get, set_
            if isinstance(w, QGraphicsView):
                for item, (prop, get, set_) in _plot_texts(w):
                    yield item, prop, get, set_
        for a in root.findChildren(QAction):
            for prop, get, set_ in _action_texts(a):
                yield a, prop, get, set_

    def record(self, root: QWidget, language: str) -> int:
        """Read what ``root`` shows in ``language`` (installed now); returns how many texts were found."""
        self._root = root
        self._language = language
        self._recorded = []
        contexts: dict[int, list[str]] = {}  # per owner: walking up the ancestors once
        for owner, prop, get, set_ in self.texts(root):
            shown = get()
            if not shown:
                continue
            if id(owner) not in contexts:
                contexts[id(owner)] = ancestor_contexts(owner)
            pieces = self.pieces_of(owner, prop, shown, language, contexts[id(owner)])
            if pieces is not None:
                self._recorded.append(_Text(owner, (id(owner), prop), shown, pieces, get, set_))
        return len(self._recorded)

    def apply(self) -> None:
        """After the new translator is installed: set each recorded text; objects re-render theirs."""
        memory: dict[tuple[int, str], tuple[str, Pieces]] = {}
        for text in self._recorded:
            if not _alive(text.owner) or text.get() != text.shown:
                continue  # gone, or changed by the program meanwhile: its new text is already right
            new = render(text.pieces)
            if new != text.shown:
                text.set(new)
            memory[text.key] = (new, text.pieces)
        self._memory = memory
        self._recorded = []
        root, self._root = self._root, None
        if root is None or not _alive(root):
            return
        for view in root.findChildren(QAbstractItemView):
            _repaint_model_texts(view)
        for widget in [root, *root.findChildren(QWidget)]:  # texts painted in paintEvent()
            widget.update()
            if isinstance(widget, QAbstractScrollArea):
                widget.viewport().update()
        global _switching
        _switching = (self, self._language)
        try:
            # Children before their parents: a panel's line may use what its widgets show.
            for obj in reversed([root, *root.findChildren(QObject)]):
                method = getattr(obj, "retranslate", None)
                if callable(method) and _alive(obj):
                    method()
        finally:
            _switching = None


def _alive(obj: Any) -> bool:
    return not isinstance(obj, QObject) or shiboken6.isValid(obj)


def _repaint_model_texts(view: QAbstractItemView) -> None:
    """Models translate in data()/headerData(): tell the view every text may have changed."""
    if isinstance(view, (QTableWidget, QTreeWidget, QListWidget, QHeaderView)) or _in_combo_box(view):
        return  # item widgets store their texts (handled as texts); a header or a popup list follows its view
    model = view.model()
    if model is None:
        return
    rows, columns = model.rowCount(), model.columnCount()
    if columns:
        model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
    if rows:
        model.headerDataChanged.emit(Qt.Orientation.Vertical, 0, rows - 1)
        if columns:
            model.dataChanged.emit(model.index(0, 0), model.index(rows - 1, columns - 1))
    view.viewport().update()


def _in_combo_box(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox):
            return True
        parent = parent.parentWidget()
    return False
