"""Headers: the column names users write (指标, 地区, 时间 …), read as the table's columns.

Part of normalising (read → normalise → check → typed frame). The words are
data, in ``aliases.csv`` beside this module; a table's own words win over the
words every table shares (数值 is an observation's value, 目标值 a target's).
"""

from __future__ import annotations

import importlib.resources
import re
import unicodedata
from functools import cache

import pandas as pd

from envtargets.errors import ValidationError
from envtargets.tables.columns import LOCATION_COLUMNS, REQUIRED
from envtargets.tables.notes import Note
from envtargets.tables.problems import problem


def clean_header(name: object) -> str:
    """Return a header without a byte-order mark and surrounding spaces."""
    return str(name).replace("\ufeff", "").strip()


def missing_columns(frame: pd.DataFrame, table: str, files: list[str]) -> list[dict]:
    """Return a problem for each required column that ``frame`` lacks, in each of ``files``."""
    missing = [column for column in REQUIRED[table] if column not in frame.columns]
    found = ", ".join(str(c) for c in frame.columns if c not in LOCATION_COLUMNS)
    return [
        problem(
            file,
            None,
            column,
            None,
            f"missing required column {column!r} (the header has: {found})",
        )
        for file in files
        for column in missing
    ]


@cache
def _aliases() -> pd.DataFrame:
    text = importlib.resources.files("envtargets.tables").joinpath("aliases.csv")
    with text.open(encoding="utf-8") as handle:
        aliases = pd.read_csv(handle, comment="#", dtype=str, skipinitialspace=True)
    aliases["key"] = aliases["alias"].map(_header_key)
    return aliases


def _header_key(name: str) -> str:
    """Compare headers without case, spaces, underscores or full-width forms."""
    folded = unicodedata.normalize("NFKC", str(name)).casefold()
    return re.sub(r"[\s_\-]+", "", folded)


def rename_headers(frame: pd.DataFrame, table: str, file: str) -> tuple[pd.DataFrame, list[Note]]:
    """Give the columns their canonical names (指标 → indicator), noting each rename.

    Parameters
    ----------
    frame : pandas.DataFrame
        One file's cells.
    table : {"indicators", "targets", "observations"}
    file : str
        The file name, for notes and errors.

    Returns
    -------
    tuple of (pandas.DataFrame, list of Note)

    Raises
    ------
    ValidationError
        When two columns of the file mean the same thing (``地区`` and ``region``).
    """
    frame = frame.rename(columns=clean_header)
    aliases = _aliases()
    known = aliases[aliases["table"].isin([table, "*"])]
    # A table's own words win over the words every table shares.
    known = known.sort_values("table", key=lambda t: t == "*", kind="stable")
    lookup: dict[str, str] = {}
    for key, column in zip(known["key"], known["column"], strict=True):
        lookup.setdefault(key, column)
    renamed: dict[str, str] = {}
    notes: list[Note] = []
    claimed: dict[str, str] = {}
    for name in frame.columns:
        if name in LOCATION_COLUMNS:
            continue
        canonical = lookup.get(_header_key(name), name)
        if canonical in claimed:
            raise ValidationError(
                [
                    {
                        "file": file,
                        "row": 1,
                        "column": name,
                        "value": name,
                        "message": f"columns {claimed[canonical]!r} and {name!r} both mean "
                        f"{canonical!r}; keep one",
                    }
                ]
            )
        claimed[canonical] = name
        if canonical != name:
            renamed[name] = canonical
    if renamed:
        words = ", ".join(f"{name} → {canonical}" for name, canonical in renamed.items())
        notes.append(Note(file, 1, None, None, f"headers read as {words}"))
    return frame.rename(columns=renamed), notes
