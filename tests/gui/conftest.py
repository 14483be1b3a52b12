"""GUI test fixtures: offscreen Qt, isolated settings, and no thread left behind."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Each test gets its own QSettings store, so remembered state never leaks between tests."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture(autouse=True)
def english_after_each_test(qapp):
    """The interface language is the app's (a translator installed on QApplication): a test that
    switched it (View ▸ Language, the monkey's random switches) must not leave the next test in
    Chinese. The monkey once ended in Chinese and 25 later tests failed on English texts."""
    yield
    from workbench.gui import i18n

    if i18n.current_language() != i18n.DEFAULT_LANGUAGE:
        i18n.install_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture(autouse=True)
def no_threads_left(qapp):
    """Fail any test that leaves a worker thread running (napari's rule).

    Garbage is collected on the main thread only, as the app does (see
    ``collect_garbage_on_main_thread``), and once more after each test, while no
    worker runs: the windows a test closed go then, not in the next test's worker.
    """
    import gc

    from workbench.gui.app import collect_garbage_on_main_thread, switch_threads_quickly

    collect_garbage_on_main_thread(qapp)
    switch_threads_quickly()  # as the app does (create_app)
    yield
    from workbench.gui.workers import running_workers

    left = running_workers()
    for worker in left:  # do not poison the next test
        worker.quit()
        worker.thread.wait(30_000)
    gc.collect()
    assert not left, f"worker threads left running: {[w.thread.objectName() for w in left]}"


def assert_no_active_timers(widget) -> None:
    """After a window closed, none of its timers may still fire (debounce, redraw, polling)."""
    from PySide6.QtCore import QTimer

    active = [
        f"{t.objectName() or 'timer'} in {type(t.parent()).__name__}"
        for t in widget.findChildren(QTimer)
        if t.isActive()
    ]
    assert not active, f"timers still running after close: {active}"


def install_marker_translator(app, contexts: set[str]):  # noqa: ANN201 - a QTranslator subclass
    """Stand in for a language: every source text of ``contexts`` comes back wrapped in <...>.

    Tests then see exactly which strings went through Qt's translation and which stayed
    identifiers (data, keys code matches on), without the compiled catalogue.
    """
    from PySide6.QtCore import QTranslator

    class MarkerTranslator(QTranslator):
        def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
            return f"<{source}>" if context in contexts else None

        def isEmpty(self) -> bool:
            return False

    translator = MarkerTranslator()
    app.installTranslator(translator)
    return translator


@pytest.fixture
def window(qtbot, tmp_path):
    """The real main window, without the demo, with its workspace in the test's folder."""
    from workbench.gui.main_window import MainWindow
    from workbench.gui.settings import Settings

    settings = Settings()
    settings.set_workspace(tmp_path / "runs")
    w = MainWindow(demo=False, settings=settings)
    qtbot.addWidget(w)
    w.show()
    yield w
    if w.training_panel.running:  # a failed test must not leave a modal "stop training?" question
        w.training_panel.stop_and_wait()
    w.close()
    assert_no_active_timers(w)
