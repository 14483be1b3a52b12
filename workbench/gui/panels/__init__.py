"""One module per panel: ``<thing>_panel.py`` holds ``class ThingPanel(QWidget)``."""
