"""The app's run-time files: the demo data set and the compiled translations.

In the repository this is the top-level ``resources/`` folder; installed, it is the
package ``workbench.resources`` (``package-dir`` in pyproject.toml maps one onto the
other, and its ``package-data`` names what a wheel carries: ``demo/*`` and
``i18n/*.qm``; the screenshots and the editable ``.ts`` catalogues stay in the
repository). Code finds these files with ``resource_path``, never by a path relative
to the source tree, so an installed wheel (site-packages) and an editable install
(this folder) both work.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """The absolute path of ``parts`` under the resources (it need not exist)."""
    # A plain folder for every install pip makes (wheels are unpacked), so a Path is
    # honest here; str() keeps it a Path on Python 3.10, whose files() has no joinpath(*parts).
    return Path(str(files(__name__))).resolve().joinpath(*parts)
