"""Config fields declared once: a table of fields builds the widgets, applies and restores them.

Orange's ``Setting`` + ``gui.spin`` showed the way (read, written anew here): a
:class:`ConfigField` names the config attribute, the widget kind with its range, the
texts and how the widget's value becomes the config's. An owner (a panel) keeps a
tuple of them and calls one loop each to build its widgets (kept as attributes of the
owner under the names the field gives, so code and tests reach them as before),
connect them, apply them to a config and restore them from one.

The texts are English source strings marked with ``QT_TRANSLATE_NOOP`` in the owner's
translation context, so ``pyside6-lupdate`` files them where ``self.tr`` did and the
catalogue keeps applying; they are translated when the widgets are made.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from workbench.gui.i18n import translate

FieldKind = Literal["int", "float", "combo", "check", "text", "checks"]
# A combo entry whose value means "let the engine choose": shown as the translated "auto".
_AUTO_VALUES = (None, "auto")


@dataclass(frozen=True)
class ConfigField:
    """One config attribute edited by one widget."""

    name: str  # the config attribute, also the field name its problem strings start with
    widget: str  # the owner's attribute holding the widget, e.g. "epochs_spin"
    kind: FieldKind
    tip: str = ""  # English source (QT_TRANSLATE_NOOP); "" = the owner sets the tooltip
    label: str = ""  # the form label, or a check box's own text (English source)
    group: str = ""  # which of the owner's boxes lays the row out; "" = laid out by hand
    lo: float = 0  # spin boxes: the range
    hi: float = 0
    step: float = 1
    decimals: int = 0  # float spin boxes: shown, and the value is rounded to them on apply
    special: str = ""  # spin boxes: the text shown at the minimum ("off", "auto"; English source)
    suffix: str = ""  # spin boxes: after the number (English source)
    none_at_zero: bool = False  # the config's None is shown as 0, and 0 is applied as None
    choices: tuple[Any, ...] = ()  # combos, "checks": the config values offered, in order
    choice_labels: tuple[str, ...] = ()  # "checks": each value's box text (English source)
    keep_unknown: bool = False  # combos: a restored value not offered is added, not replaced by the first
    slot: str = "_on_field_changed"  # the owner's method a change calls


class CheckGroup(QWidget):
    """Check boxes in a row for a tuple setting: the values ticked, in the order offered (report_to)."""

    toggled = Signal(bool)  # any box; as QCheckBox.toggled, so the owner's slots take either

    def __init__(self, values: Sequence[Any], texts: Sequence[str]) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[Any, QCheckBox] = {}
        for value, text in zip(values, texts, strict=True):
            box = QCheckBox(text)
            box.toggled.connect(self.toggled)
            row.addWidget(box)
            self.boxes[value] = box
        row.addStretch(1)

    def setToolTip(self, tip: str) -> None:  # noqa: N802 - Qt's name
        super().setToolTip(tip)
        for box in self.boxes.values():
            box.setToolTip(tip)

    def values(self) -> tuple[Any, ...]:
        return tuple(value for value, box in self.boxes.items() if box.isChecked())

    def set_values(self, values: Sequence[Any]) -> None:
        """Tick exactly ``values`` (the caller blocks this widget's signals; a box's toggle then stops here)."""
        for value, box in self.boxes.items():
            box.setChecked(value in values)


def int_spin(lo: int, hi: int, tip: str, step: int = 1) -> QSpinBox:
    """A whole-number spin box that accelerates when held and corrects typed values to its range."""
    spin = QSpinBox()
    spin.setRange(lo, hi)
    spin.setSingleStep(step)
    spin.setToolTip(tip)
    spin.setAccelerated(True)
    spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    return spin


def float_spin(lo: float, hi: float, decimals: int, step: float, tip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(lo, hi)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setToolTip(tip)
    return spin


def make_widget(field: ConfigField, context: str) -> QWidget:
    """The widget for ``field``, its texts translated in ``context``."""

    def tr(text: str) -> str:
        return translate(context, text) if text else ""

    if field.kind == "checks":  # a tuple setting: one box per value it may hold
        group = CheckGroup(field.choices, [tr(text) for text in field.choice_labels or map(str, field.choices)])
        group.setToolTip(tr(field.tip))
        return group
    if field.kind == "check":
        check = QCheckBox(tr(field.label))
        check.setToolTip(tr(field.tip))
        return check
    if field.kind == "text":  # a free text kept as typed (spaces matter: a prefix, a separator)
        edit = QLineEdit()
        edit.setToolTip(tr(field.tip))
        return edit
    if field.kind == "combo":
        combo = QComboBox()
        for value in field.choices:  # config values: only "auto" is a word to translate
            combo.addItem(translate(context, "auto") if value in _AUTO_VALUES else str(value), value)
        if field.tip:
            combo.setToolTip(tr(field.tip))
        return combo
    spin: QSpinBox | QDoubleSpinBox
    if field.kind == "int":
        spin = int_spin(int(field.lo), int(field.hi), tr(field.tip), step=int(field.step))
    else:
        spin = float_spin(field.lo, field.hi, field.decimals, field.step, tr(field.tip))
    if field.special:
        spin.setSpecialValueText(tr(field.special))
    if field.suffix:
        spin.setSuffix(tr(field.suffix))
    return spin


def build(fields: Iterable[ConfigField], owner: object, context: str) -> None:
    """Make each field's widget and keep it as ``owner.<field.widget>``."""
    for field in fields:
        setattr(owner, field.widget, make_widget(field, context))


def widgets(fields: Iterable[ConfigField], owner: object) -> list[QWidget]:
    return [getattr(owner, field.widget) for field in fields]


def connect(fields: Iterable[ConfigField], owner: object) -> None:
    """Each widget's change signal to the owner's ``field.slot``."""
    for field in fields:
        w = getattr(owner, field.widget)
        slot = getattr(owner, field.slot)
        if field.kind in ("check", "checks"):
            w.toggled.connect(slot)
        elif field.kind == "text":
            w.editingFinished.connect(slot)  # once per edit, not per keystroke
        elif field.kind == "combo":
            w.currentIndexChanged.connect(slot)
        else:
            w.valueChanged.connect(slot)


def read(field: ConfigField, w: Any) -> Any:
    """The config value ``w`` shows."""
    if field.kind == "check":
        return w.isChecked()
    if field.kind == "checks":
        return w.values()
    if field.kind == "text":
        return w.text()
    if field.kind == "combo":
        return w.currentData()
    value = w.value()
    if field.kind == "float":
        value = round(value, field.decimals)  # 0.1 + 0.2 from the arrows is saved as 0.3
    return (value or None) if field.none_at_zero else value


def write(field: ConfigField, w: Any, value: Any) -> None:
    """Show the config value ``value`` in ``w`` (the caller blocks its signals)."""
    if field.kind == "check":
        w.setChecked(value)
    elif field.kind == "checks":
        w.set_values(value or ())
    elif field.kind == "text":
        w.setText(value)
    elif field.kind == "combo":
        index = w.findData(value)
        if index < 0 and field.keep_unknown:  # e.g. a metric the list does not offer: keep it
            w.addItem(str(value), value)
            index = w.count() - 1
        w.setCurrentIndex(max(index, 0))
    elif field.none_at_zero:
        w.setValue(value or 0)
    else:
        w.setValue(value)


def apply(fields: Sequence[ConfigField], owner: object, config: object) -> None:
    """Every field's widget value into ``config``."""
    for field in fields:
        setattr(config, field.name, read(field, getattr(owner, field.widget)))


def restore(fields: Sequence[ConfigField], owner: object, config: object) -> None:
    """Every field's widget from ``config`` (the caller blocks the widgets' signals)."""
    for field in fields:
        write(field, getattr(owner, field.widget), getattr(config, field.name))
