"""Hourly station data placed on a regular pollutant × station × hour grid.

Long input (station, time, pollutant, value[, unit]) and wide input (station,
time, one column per pollutant) both end up as one float64 array of shape
(6, stations, days × 24), NaN where an hour is missing. Every later statistic
— daily means, 8-hour windows, validity counts, city means — is then an array
operation along an axis, with no loop over stations or days.

The checks run here, all at once, on whole columns: unknown pollutants,
non-numeric or negative values, empty or unparseable times, times not on the
hour, units that are not concentrations, duplicated station-hours and times
out of order within a station.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from envtargets import _unconfirmed
from envtargets._monitoring import (
    canonical_units,
    factorize_text,
    label_of,
    note,
    numbers,
    raise_if,
    require_columns,
    row_problems,
    rows_text,
    times,
)
from envtargets.air.standards import POLLUTANTS, pollutant_id
from envtargets.errors import StandardError
from envtargets.tables.problems import problem

#: Pollutant order along the grid's first axis.
POLLUTANT_IDS = tuple(POLLUTANTS)

# Beyond this many cells (8 bytes each) one in-memory grid is the wrong tool:
# split the data by year or use the Dask path (docs/dask.md).
_MAX_CELLS = 700_000_000


@dataclass
class HourlyGrid:
    """Hourly concentrations on a regular grid.

    Attributes
    ----------
    concentration : numpy.ndarray of float64, shape (6, units, days * 24)
        Concentrations in canonical units [µg/m³; CO mg/m³], NaN where missing;
        pollutants in the order of :data:`POLLUTANT_IDS`; hour ``h`` of day ``d``
        at ``d * 24 + h`` (``h`` = 0 is the hour starting at 00:00).
    units : numpy.ndarray of object
        Station ids (or city names) along the second axis.
    first_day : numpy.datetime64
        Day of the first column, ``datetime64[D]``.
    present : numpy.ndarray of bool
        Which pollutants appear in the input at all.
    label : str
        Name of the input, for ``source`` and messages.
    """

    concentration: np.ndarray
    units: np.ndarray
    first_day: np.datetime64
    present: np.ndarray
    label: str

    @property
    def n_days(self) -> int:
        """Number of days covered."""
        return self.concentration.shape[2] // 24


def hourly_grid(
    hourly: pd.DataFrame,
    *,
    time_label: str | None = None,
    units: Mapping[str, str] | None = None,
    clean: bool = False,
) -> HourlyGrid:
    """Check hourly station data and place it on the grid.

    Parameters
    ----------
    hourly : pandas.DataFrame
        Long: ``station``, ``time``, ``pollutant``, ``value`` and optionally
        ``unit``; or wide: ``station``, ``time`` and pollutant columns.
    time_label : {"start", "end"}, optional
        Whether a time stamp names the start or the end of its hour; default
        :data:`envtargets._unconfirmed.HOUR_LABEL`.
    units : mapping, optional
        Units of the pollutant columns of wide input (default canonical).
    clean : bool
        False: negative values and duplicated station-hours are errors. True:
        negative values become missing and duplicates keep their first row,
        both reported with :class:`~envtargets.DataCleaningWarning`.

    Returns
    -------
    HourlyGrid
        The grid.

    Raises
    ------
    ValidationError
        Listing every problem with file, row and column.
    """
    label = label_of(hourly, "hourly data")
    time_label = _unconfirmed.HOUR_LABEL if time_label is None else time_label
    if time_label not in ("start", "end"):
        raise StandardError(f"time_label must be 'start' or 'end', not {time_label!r}")
    long = "pollutant" in hourly.columns
    require_columns(hourly, ["station", "time", *(["pollutant", "value"] if long else [])], label)
    problems: list[dict] = []
    stamps = times(hourly, "time", label, problems)
    station_codes, station_names = factorize_text(hourly["station"])
    if (station_codes < 0).any():
        problems += row_problems(
            hourly, np.flatnonzero(station_codes < 0), "station", "the station is empty", label
        )
    if long:
        keys, values = _long_values(hourly, label, problems, clean)
        columns = None
    else:
        keys, values = None, None
        columns = _wide_values(hourly, label, problems, units or {}, clean)
    hours = _hours(hourly, stamps, label, problems)
    if problems and not clean:
        # The grid's own duplicate check runs only on clean input: report
        # duplicated station-hours now, with the other problems.
        problems += _duplicate_problems(hourly, station_codes, hours, stamps, label)
    raise_if(problems)  # from here on, every pollutant (key) is known
    del stamps
    if time_label == "end":
        hours -= 1
    if len(hours) == 0:
        return _empty_grid(label)
    first_hour, n_hours = _span(hours, len(station_names), label)
    # The grid position of each row, built in place: national panels have
    # ~90 million rows, and every temporary array costs 720 MB.
    position = hours
    position -= first_hour
    position += np.multiply(station_codes, n_hours, dtype=np.int64)
    del station_codes
    n_units = len(station_names)
    if long:
        present = np.bincount(keys, minlength=len(POLLUTANT_IDS)) > 0
        position += np.multiply(keys, n_units * n_hours, dtype=np.int64)
        del keys
        owner = _owners(hourly, position, (len(POLLUTANT_IDS) * n_units, n_hours), label, clean)
        del position
        grid = _gather(owner, values).reshape(len(POLLUTANT_IDS), n_units, n_hours)
    else:
        owner = _owners(hourly, position, (n_units, n_hours), label, clean)
        del position
        grid = np.full((len(POLLUTANT_IDS), n_units, n_hours), np.nan)
        present = np.zeros(len(POLLUTANT_IDS), dtype=bool)
        for key, column in columns.items():
            grid[key] = _gather(owner, column)
            present[key] = True
    first_day = np.datetime64(int(first_hour // 24), "D")
    return HourlyGrid(grid, np.array(station_names, dtype=object), first_day, present, label)


def _empty_grid(label: str) -> HourlyGrid:
    return HourlyGrid(
        np.empty((len(POLLUTANT_IDS), 0, 24)),
        np.array([], dtype=object),
        np.datetime64("1970-01-01", "D"),
        np.zeros(len(POLLUTANT_IDS), dtype=bool),
        label,
    )


def _span(hours: np.ndarray, n_units: int, label: str) -> tuple[int, int]:
    """First hour (a midnight) and the number of hours of whole days covered."""
    first_hour = int(hours.min()) // 24 * 24
    n_hours = (int(hours.max()) - first_hour) // 24 * 24 + 24
    if len(POLLUTANT_IDS) * n_units * n_hours > _MAX_CELLS:
        raise StandardError(
            f"{label}: {n_units} stations × {n_hours // 24} days is too large for one grid in "
            "memory; split the data by year or pass a Dask DataFrame (docs/dask.md)"
        )
    return first_hour, n_hours


def _long_values(
    hourly: pd.DataFrame, label: str, problems: list[dict], clean: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Pollutant codes (grid order) and values in canonical units of long input."""
    codes, names = factorize_text(hourly["pollutant"])
    ids = [pollutant_id(name) for name in names]
    lookup = np.array([POLLUTANT_IDS.index(i) if i else -1 for i in ids] + [-1], dtype=np.int8)
    keys = lookup[codes]  # code -1 (blank) picks the trailing -1
    unknown = np.flatnonzero(keys < 0)
    if len(unknown):
        known = ", ".join(label for label, _ in POLLUTANTS.values())
        problems += row_problems(
            hourly, unknown, "pollutant", f"unknown pollutant {{value!r}} (known: {known})", label
        )
    values = numbers(hourly, "value", label, problems, negative=True)
    values = _negatives(hourly, values, "value", label, problems, clean)
    unit = hourly["unit"] if "unit" in hourly.columns else None
    names = [POLLUTANTS[key][0] for key in POLLUTANT_IDS]
    canonical = {POLLUTANTS[key][0]: POLLUTANTS[key][1] for key in POLLUTANT_IDS}
    # Unknown pollutants (already a problem) are left out of the unit check.
    values = canonical_units(values, keys, names, unit, canonical, hourly, label, problems)
    return keys, values


def _negatives(
    frame: pd.DataFrame,
    values: np.ndarray,
    column: str,
    label: str,
    problems: list[dict],
    clean: bool,
) -> np.ndarray:
    """Negative concentrations: a problem each, or (clean) missing hours, reported."""
    negative = np.flatnonzero(values < 0)
    if not len(negative):
        return values
    if not clean:
        problems += row_problems(
            frame,
            negative,
            column,
            "negative value {value}: a concentration cannot be negative",
            label,
        )
        return values
    where = rows_text(frame, negative, label)
    note(f"{label}: {len(negative)} negative {column} value(s) read as missing hours ({where})")
    values = values.copy()
    values[negative] = np.nan
    return values


def _wide_values(
    hourly: pd.DataFrame,
    label: str,
    problems: list[dict],
    units: Mapping[str, str],
    clean: bool,
) -> dict[int, np.ndarray]:
    """Values of each pollutant column of wide input, in canonical units."""
    from envtargets.units import conversion_factor

    columns: dict[int, np.ndarray] = {}
    for column in hourly.columns:
        key = pollutant_id(column)
        if key is None:
            continue
        values = numbers(hourly, column, label, problems, negative=True)
        values = _negatives(hourly, values, str(column), label, problems, clean)
        given = units.get(column, units.get(key, POLLUTANTS[key][1]))
        factor = conversion_factor(given, POLLUTANTS[key][1])
        if factor != 1.0:
            note(f"{label}: column {column!r} converted from {given} to {POLLUTANTS[key][1]}")
            values = values * factor
        columns[POLLUTANT_IDS.index(key)] = values
    if not columns:
        message = (
            "no pollutant columns: name them SO2, NO2, CO, O3, PM10, PM2.5 (wide form) "
            "or give pollutant and value columns (long form)"
        )
        raise_if([problem(label, None, None, None, message)])
    return columns


def _hours(frame: pd.DataFrame, stamps: np.ndarray, label: str, problems: list[dict]) -> np.ndarray:
    """Hours since 1970 of each row; a time that is not on the hour is a problem."""
    known = ~np.isnat(stamps)
    on_hour = stamps.astype("datetime64[h]")
    off = np.flatnonzero(known & (on_hour != stamps))
    if len(off):
        problems += row_problems(
            frame, off, "time", "{value!r} is not on the hour (hourly data)", label
        )
    return on_hour.view(np.int64)


def _owners(
    frame: pd.DataFrame, position: np.ndarray, shape: tuple[int, int], label: str, clean: bool
) -> np.ndarray:
    """Row number occupying each grid cell (-1: empty), after the duplicate and order checks.

    ``shape`` is (lines, hours): a line is one station (and pollutant), so the
    order check runs along each line's hours.
    """
    dtype = np.int32 if len(position) < 2**31 - 1 else np.int64
    rows = np.arange(len(position), dtype=dtype)
    owner = np.full(shape[0] * shape[1], -1, dtype=dtype)
    owner[position] = rows
    if np.count_nonzero(owner >= 0) < len(position):
        owner = _duplicates(frame, position, owner, rows, label, clean)
    owner = owner.reshape(shape)
    _order_check(owner, frame, label)
    return owner


def _duplicates(
    frame: pd.DataFrame,
    position: np.ndarray,
    owner: np.ndarray,
    rows: np.ndarray,
    label: str,
    clean: bool,
) -> np.ndarray:
    """Rows sharing a grid cell: an error naming them, or (clean) the first row kept, reported."""
    lost = np.flatnonzero(owner[position] != rows)
    involved = np.flatnonzero(np.isin(position, position[lost]))
    if not clean:
        raise_if(_duplicate_rows(frame, involved, label))
    np.minimum.at(owner, position[involved], rows[involved])
    where = rows_text(frame, involved, label, shown=6)
    note(f"{label}: {len(lost)} duplicated station-hour row(s) dropped, the first kept ({where})")
    return owner


def _duplicate_rows(frame: pd.DataFrame, involved: np.ndarray, label: str) -> list[dict]:
    """One problem per row of a duplicated station-hour."""
    message = "duplicated station-hour {value!r}: another row has the same station and time"
    if "pollutant" in frame.columns:
        message += " and pollutant"
    return row_problems(frame, involved, "time", message, label)


def _duplicate_problems(
    frame: pd.DataFrame, stations: np.ndarray, hours: np.ndarray, stamps: np.ndarray, label: str
) -> list[dict]:
    """Duplicated station-hours among rows with a known station, pollutant and on-the-hour time.

    Used when other problems stop the input before the grid is built, so that
    the error lists every problem at once.
    """
    keys = {"station": stations, "hour": hours}
    known = ~np.isnat(stamps) & (stamps.astype("datetime64[h]") == stamps) & (stations >= 0)
    if "pollutant" in frame.columns:
        codes, names = factorize_text(frame["pollutant"])
        ids = [pollutant_id(name) for name in names]
        lookup = np.array([POLLUTANT_IDS.index(i) if i else -1 for i in ids] + [-1])
        keys["pollutant"] = lookup[codes]
        known &= keys["pollutant"] >= 0
    rows = np.flatnonzero(known)
    table = pd.DataFrame({name: values[rows] for name, values in keys.items()})
    return _duplicate_rows(frame, rows[table.duplicated(keep=False).to_numpy()], label)


def _order_check(owner: np.ndarray, frame: pd.DataFrame, label: str) -> None:
    """Report rows whose time is earlier than that of a previous row of the same station.

    Order changes no statistic (each value is placed by its station and time),
    but it often betrays a mixed-up file, so it is said.
    """
    if owner.shape[1] < 2:
        return
    latest = np.maximum.accumulate(owner, axis=1)
    late = (owner[:, 1:] >= 0) & (owner[:, 1:] < latest[:, :-1])
    if not late.any():
        return
    rows = np.sort(owner[:, 1:][late])
    note(
        f"{label}: {len(rows)} row(s) have a time earlier than a previous row of the same station "
        f"({rows_text(frame, rows, label)}); every value was placed by its station and time"
    )


def _gather(owner: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Values of the rows that own each cell, NaN for empty cells."""
    if not len(values):
        return np.full(owner.shape, np.nan)
    out = np.take(values, owner)  # an empty cell (-1) takes the last value …
    out[owner < 0] = np.nan  # … and is then emptied
    return out
