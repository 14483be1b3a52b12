"""Start the desktop app: ``workbench`` with no arguments, or ``python -m workbench``.

Only Qt and the light parts of the engine are imported before the window shows;
torch and transformers load in a background thread afterwards. The top of the GUI:
it imports the main window, which imports the panels, which import ``app`` (the
QApplication and the stand-alone panel runner); nothing imports this module but
the command line's launcher.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from workbench.gui.app import create_app


def main(argv: Sequence[str] = ()) -> int:
    app = create_app(argv)
    # Imported after create_app: the QApplication and its translator exist before any panel module loads.
    from workbench.gui.main_window import MainWindow

    # The app object holds the window (no local here), where code that has only the app finds it.
    app.workbench_window = MainWindow(demo=True)  # type: ignore[attr-defined]
    app.workbench_window.show()  # type: ignore[attr-defined]
    return int(app.exec())  # type: ignore[attr-defined]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
