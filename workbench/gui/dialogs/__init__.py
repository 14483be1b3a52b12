"""Dialogs the main window opens from its menus (each one module, shown on its own with ``python -m``)."""
