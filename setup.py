"""Only the package list; everything else is in pyproject.toml.

``resources/`` is installed as ``workbench.resources`` (pyproject.toml's
``package-dir``). A package whose folder is mapped cannot be found by
``[tool.setuptools.packages.find]``, and pyproject.toml cannot add one name to
what ``find`` returns; listing every package there instead would drop any new
subpackage someone forgets to add. So the list is computed here.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["workbench", "workbench.*"]), "workbench.resources"])
