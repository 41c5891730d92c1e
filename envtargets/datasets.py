"""The bundled data: targets and observations transcribed from the source documents.

The files live in the project's top-level ``data/`` folder and ship inside the
package as ``envtargets.data``; they are found with :mod:`importlib.resources`,
so this works from a wheel as from a source checkout.
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from importlib.resources.abc import Traversable

import pandas as pd

from envtargets.tables import read_indicators, read_observations, read_targets


def data_files() -> Traversable:
    """Return the folder of the bundled data (``indicators.csv``, ``targets/`` …).

    Returns
    -------
    importlib.resources.abc.Traversable
        The ``envtargets.data`` package folder.
    """
    return importlib.resources.files("envtargets.data")


def _csv_files(folder: str) -> list[Traversable]:
    return sorted(
        (item for item in data_files().joinpath(folder).iterdir() if item.name.endswith(".csv")),
        key=lambda item: item.name,
    )


def _as_paths(items: list[Traversable]):
    # Readers take paths; bundled resources are plain files in every install
    # layout we ship (wheel or editable), so their str() is a real path.
    return [str(item) for item in items]


@cache
def _indicators() -> pd.DataFrame:
    return read_indicators(str(data_files().joinpath("indicators.csv")))


@cache
def _targets() -> pd.DataFrame:
    return read_targets(*_as_paths(_csv_files("targets")), indicators=_indicators())


@cache
def _observations() -> pd.DataFrame:
    return read_observations(*_as_paths(_csv_files("observations")), indicators=_indicators())


def load_indicators() -> pd.DataFrame:
    """Return the bundled indicator definitions.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator, name_zh, name_en, unit, better, domain`` (plus
        ``source_file``, ``row``): one row per indicator the sources quantify.
    """
    return _indicators().copy()


def load_targets() -> pd.DataFrame:
    """Return the bundled targets (Shenzhen and Heyuan documents).

    Returns
    -------
    pandas.DataFrame
        The documented target columns (docs/user-guide.md) plus ``note``; every row keeps ``source``
        (the document's file name in ``data/sources/``) and ``quote``.
    """
    return _targets().copy()


def load_observations() -> pd.DataFrame:
    """Return the bundled observations (Shenzhen and Heyuan documents).

    Returns
    -------
    pandas.DataFrame
        The documented observation columns plus ``note``, with ``source`` and ``quote``.
    """
    return _observations().copy()
