"""Hugging Face hub data sets: ``hub:NAME[:CONFIG][#SPLIT]`` -> :class:`Table`.

The syntax goes wherever a data file goes (``--data``, ``--validation``, a config's
``data``): ``hub:stanfordnlp/sst2`` (its ``train`` split), ``hub:glue:sst2#validation``
(config ``sst2``, split ``validation``). ``#`` names the part of a source, as it names the
sheet of a workbook (``book.xlsx#Reviews``).

``datasets.load_dataset`` downloads (with its progress bars on the terminal) into its own
cache, so the second read is local. The hub is probed first: offline, the error comes within
seconds instead of after ``datasets``' retries; with ``HF_HUB_OFFLINE=1`` a data set already
in the cache loads without the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from workbench.engine.data.columnar import BATCH_ROWS, batches_to_table, hf_class_names
from workbench.engine.data.table import Table
from workbench.engine.errors import DatasetError
from workbench.engine.extras import require

HUB_PREFIX = "hub:"
_NAME = re.compile(r"^[A-Za-z0-9][\w.\-]*(/[A-Za-z0-9][\w.\-]*)?$")
_SYNTAX_HINT = "Write hub:NAME[:CONFIG][#SPLIT], e.g. hub:stanfordnlp/sst2 or hub:glue:sst2#validation."


@dataclass(frozen=True)
class HubSource:
    name: str
    config: str | None = None
    split: str = "train"

    def __str__(self) -> str:
        config = f":{self.config}" if self.config else ""
        return f"{HUB_PREFIX}{self.name}{config}#{self.split}"


def is_hub_source(source: str | Path) -> bool:
    return str(source).startswith(HUB_PREFIX)


def parse_hub_source(source: str | Path) -> HubSource:
    """``hub:NAME[:CONFIG][#SPLIT]`` -> HubSource; a DatasetError says what is wrong with it."""
    text = str(source)[len(HUB_PREFIX) :].strip()
    text, _, split = text.partition("#")
    name, _, config = text.partition(":")
    if not _NAME.match(name) or ":" in config or (split and not re.match(r"^[\w.\-\[\]:%]+$", split)):
        raise DatasetError(f"{str(source)!r} is not a hub data set id.", hint=_SYNTAX_HINT)
    return HubSource(name, config or None, split or "train")


def _offline_error(source: HubSource) -> DatasetError:
    from workbench.engine.models.hub_download import hub_endpoint

    return DatasetError(
        f"cannot load the hub data set {source.name}: the hub ({hub_endpoint()}) cannot be reached "
        "from this machine.",
        hint="Check the connection (or HF_ENDPOINT). A data set loaded before is in the cache: "
        "set HF_HUB_OFFLINE=1 to use it without the network, or save it with save_to_disk and "
        "open that folder.",
    )


def read_hub_dataset(source: HubSource, *, max_rows: int | None = None) -> Table:
    """The split of a hub data set as a Table, downloaded into the ``datasets`` cache when needed."""
    from workbench.engine.models.hub_download import endpoint_reachable, hub_offline

    datasets = require("datasets", "data", "Reading hub data sets")
    if not hub_offline() and not endpoint_reachable():
        raise _offline_error(source)
    try:
        ds = datasets.load_dataset(source.name, source.config, split=source.split)
    except Exception as exc:  # noqa: BLE001 - datasets raises many kinds; each is the user's to fix
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatasetError(
            f"cannot load the hub data set {source} ({type(exc).__name__}: {message}).",
            hint="Check the name, the config and the split on the data set's hub page. "
            + _SYNTAX_HINT,
        ) from None
    names = hf_class_names(ds.features.to_dict())
    arrow = ds.with_format("arrow")[:] if max_rows is None else ds.select(range(min(max_rows, len(ds)))).with_format("arrow")[:]
    return batches_to_table(
        Path(str(source)), "hub", arrow.schema, arrow.to_batches(max_chunksize=BATCH_ROWS),
        max_rows=max_rows, class_names=names,
    )
