"""Margin-less boxes of widgets, the building blocks of the analysis views' splitters.

An item is a widget or a layout, or ``(item, stretch)`` for one that takes the free room.
"""

from __future__ import annotations

from typing import Union

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLayout, QVBoxLayout, QWidget

Item = Union[QWidget, QLayout, tuple[Union[QWidget, QLayout], int]]


def _fill(layout: QBoxLayout, items: tuple[Item, ...]) -> None:
    for item in items:
        thing, stretch = item if isinstance(item, tuple) else (item, 0)
        if isinstance(thing, QLayout):
            layout.addLayout(thing, stretch)
        else:
            layout.addWidget(thing, stretch)


def column_box(*items: Item) -> QWidget:
    """A widget holding ``items`` top to bottom, with no margin of its own (it sits in a splitter)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    _fill(layout, items)
    return box


def row_layout(*items: Item) -> QHBoxLayout:
    """``items`` left to right."""
    layout = QHBoxLayout()
    _fill(layout, items)
    return layout
