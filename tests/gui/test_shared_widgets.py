"""Widgets panels share (issue 15: panels do not import each other): the error banner,
the data-file filters and the no-attention text keep their behaviour and translations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from workbench.gui import i18n
from workbench.gui.retranslate import Retranslator
from workbench.gui.widgets.attention_texts import NO_ATTENTION_MESSAGE
from workbench.gui.widgets.error_banner import ErrorBanner
from workbench.gui.widgets.file_filters import FILE_FILTERS, file_filters

HIDE_TIP = "Hide this message (the problem stays until another file is loaded)"


@pytest.fixture
def english_afterwards(qapp) -> Iterator[None]:
    yield
    i18n.install_language("en")


def test_the_banner_shows_a_message_and_the_close_button_hides_it(qtbot) -> None:
    panel = QWidget()
    qtbot.addWidget(panel)
    banner = ErrorBanner(panel)
    panel.show()  # inside a shown panel the banner stays hidden until there is a message
    assert banner.isHidden()
    banner.show_message("the file has no label column")
    assert banner.isVisible() and banner.message == "the file has no label column"
    assert banner.close_button.toolTip() == HIDE_TIP
    qtbot.mouseClick(banner.close_button, Qt.MouseButton.LeftButton)
    assert banner.isHidden() and banner.message == "the file has no label column"


def test_shared_texts_keep_their_chinese_translations(qtbot, english_afterwards) -> None:
    if not i18n.install_language("zh_CN"):
        pytest.skip("the zh_CN catalogue is not installed")
    banner = ErrorBanner()
    qtbot.addWidget(banner)
    tip = banner.close_button.toolTip()
    assert tip != HIDE_TIP and "隐藏" in tip
    filters = file_filters().split(";;")
    assert len(filters) == len(FILE_FILTERS.split(";;")) and filters[1] == "CSV (*.csv)"
    assert filters[-1] != "All files (*)" and "(*)" in filters[-1]
    assert i18n.translate("AttentionPanel", NO_ATTENTION_MESSAGE) != NO_ATTENTION_MESSAGE


def test_the_banner_follows_a_language_switch(qtbot, english_afterwards) -> None:
    banner = ErrorBanner()
    qtbot.addWidget(banner)
    switch = Retranslator(i18n.catalogues())
    switch.record(banner, "en")
    if not i18n.install_language("zh_CN"):
        pytest.skip("the zh_CN catalogue is not installed")
    switch.apply()
    assert "隐藏" in banner.close_button.toolTip()
