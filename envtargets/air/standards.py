"""The air-quality standards as data, and the choice of version.

The figures — IAQI breakpoints (HJ 633), concentration limits (GB 3095), AQI
categories and the minimum-data rules — are CSV files in this package, read
once with :mod:`importlib.resources`. Code only looks them up.

Two generations are in force at different times: HJ 633—2012/GB 3095—2012 for
data before 2026-03-01, HJ 633—2026/GB 3095—2026 from then on, the latter with
transitional limits until 2030-12-31 and final limits from 2031-01-01.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from envtargets._monitoring import round_half_even
from envtargets.errors import StandardError

#: Day on which HJ 633—2026 and GB 3095—2026 came into force.
SWITCH_2026 = np.datetime64("2026-03-01", "D")
#: First day of the GB 3095—2026 final limits.
FINAL_LIMITS_FROM = np.datetime64("2031-01-01", "D")

#: Pollutants measured hourly: id → (label as the standards print it, canonical unit).
POLLUTANTS = {
    "so2": ("SO2", "µg/m³"),
    "no2": ("NO2", "µg/m³"),
    "co": ("CO", "mg/m³"),
    "o3": ("O3", "µg/m³"),
    "pm10": ("PM10", "µg/m³"),
    "pm25": ("PM2.5", "µg/m³"),
}

# Spellings of the pollutants in data files, compared after folding case and
# dropping spaces, dots, dashes and underscores.
_ALIASES = {
    "so2": "so2",
    "二氧化硫": "so2",
    "no2": "no2",
    "二氧化氮": "no2",
    "co": "co",
    "一氧化碳": "co",
    "o3": "o3",
    "臭氧": "o3",
    "pm10": "pm10",
    "可吸入颗粒物": "pm10",
    "pm25": "pm25",
    "细颗粒物": "pm25",
}


def pollutant_id(name: object) -> str | None:
    """Return the pollutant id (``pm25`` …) of a name as data files write it, or None.

    Parameters
    ----------
    name : object
        ``PM2.5``, ``pm2_5``, ``PM₂.₅``, ``细颗粒物`` …

    Returns
    -------
    str or None
        One of the keys of :data:`POLLUTANTS`, or None for an unknown name.
    """
    import unicodedata

    folded = unicodedata.normalize("NFKC", str(name)).casefold()
    for char in " ._-":
        folded = folded.replace(char, "")
    return _ALIASES.get(folded)


@dataclass(frozen=True)
class Standard:
    """A choice of standards: the HJ 633 version for the AQI and the GB 3095 limits.

    Attributes
    ----------
    aqi : str
        ``"2012"`` or ``"2026"`` (HJ 633 version, also HJ 663's).
    limits : str
        ``"2012"``, ``"2026-transitional"`` or ``"2026-final"`` (GB 3095 limits).
    chosen_by : str
        ``"argument"`` when the caller named it, ``"data dates"`` when it is the
        version in force on the data's dates.
    """

    aqi: str
    limits: str
    chosen_by: str = "argument"

    @property
    def label(self) -> str:
        """Human-readable name, e.g. ``HJ 633—2026, GB 3095—2026 transitional limits``."""
        phase = {"2026-transitional": " transitional limits", "2026-final": " final limits"}
        return f"HJ 633—{self.aqi}, GB 3095—{self.limits[:4]}{phase.get(self.limits, '')}"

    @property
    def note(self) -> str:
        """One sentence saying which standard was used and why."""
        why = (
            "as requested"
            if self.chosen_by == "argument"
            else "the version in force on the data's dates"
        )
        return f"Computed under {self.label} ({why})."


_AVERAGING = {
    **dict.fromkeys(("24h", "24小时", "日平均", "daily", "day"), "24h"),
    **dict.fromkeys(("1h", "1小时", "小时", "hourly", "hour"), "1h"),
    **dict.fromkeys(("8h", "8小时", "日最大8小时"), "8h"),
}


def averaging_id(name: object) -> str | None:
    """Return the averaging-time id of a name as users and files write it, or None.

    Parameters
    ----------
    name : object
        ``24h``, ``日平均``, ``daily``, ``1h``, ``1小时``, ``8h``, ``日最大8小时`` …

    Returns
    -------
    str or None
        ``"24h"``, ``"1h"`` or ``"8h"``, or None for an unknown name.
    """
    return _AVERAGING.get(str(name).strip().lower())


def round_concentration(pollutant: str, concentration: np.ndarray) -> np.ndarray:
    """Round concentrations as HJ 633—2026 does before the IAQI.

    µg/m³ to whole numbers, CO (mg/m³) to one decimal, by GB/T 8170 (round half
    to even), applied to the exact decimal the value stands for
    (:func:`envtargets._monitoring.round_half_even`): a mean of 0.95 mg/m³ held
    as 0.9499999999999998 rounds to 1.0.

    Parameters
    ----------
    pollutant : str
        Pollutant id (``co`` is rounded to one decimal, the others to integers).
    concentration : numpy.ndarray [µg/m³, CO mg/m³]
        Concentrations.

    Returns
    -------
    numpy.ndarray
        Rounded concentrations.

    References
    ----------
    .. [1] HJ 633—2026, 5.2; GB/T 8170—2008 数值修约规则.
    """
    return round_half_even(concentration, 1 if pollutant == "co" else 0)


def aqi_versions(dates: object) -> np.ndarray:
    """Return the HJ 633 version in force on each date.

    Parameters
    ----------
    dates : array-like of date-like
        Dates (strings, datetimes or ``datetime64``).

    Returns
    -------
    numpy.ndarray of object
        ``"2012"`` before 2026-03-01, ``"2026"`` from then, one per date.

    Raises
    ------
    StandardError
        For a missing or unreadable date (the version depends on it).
    """
    values = np.atleast_1d(np.asarray(dates, dtype=object)).ravel()
    try:
        days = pd.to_datetime(pd.Series(values)).to_numpy().astype("datetime64[D]")
    except (ValueError, TypeError) as error:
        raise StandardError(f"not a date: {error}") from None
    if np.isnat(days).any():
        raise StandardError("a date is missing: the HJ 633 version depends on it")
    return np.where(days < SWITCH_2026, "2012", "2026").astype(object)


_VERSIONS = {
    "2012": ("2012", "2012"),
    "2026-transitional": ("2026", "2026-transitional"),
    "transitional": ("2026", "2026-transitional"),
    "2026-final": ("2026", "2026-final"),
    "final": ("2026", "2026-final"),
}


def resolve_standard(standard: str | Standard | None, last_day: object = None) -> Standard:
    """Return the standard to use for data ending on ``last_day``.

    Parameters
    ----------
    standard : {"2012", "2026", "2026-transitional", "2026-final", None} or Standard
        ``"2026"`` alone takes the transitional or final limits by ``last_day``
        (transitional until 2030-12-31). None takes the version in force on
        ``last_day`` (2012 before 2026-03-01).
    last_day : date-like, optional
        Last day of the data or period; today's versions when None.

    Returns
    -------
    Standard
        The versions, and whether the caller or the dates chose them.

    Raises
    ------
    StandardError
        For any other version text.
    """
    if isinstance(standard, Standard):
        return standard
    day = np.datetime64(pd.Timestamp(last_day if last_day is not None else "today"), "D")
    phase = "2026-final" if day >= FINAL_LIMITS_FROM else "2026-transitional"
    if standard is None:
        if day < SWITCH_2026:
            return Standard("2012", "2012", "data dates")
        return Standard("2026", phase, "data dates")
    text = str(standard).strip().lower().replace("gb 3095—", "").replace("hj 633—", "")
    if text == "2026":
        return Standard("2026", phase)
    if text in _VERSIONS:
        return Standard(*_VERSIONS[text])
    raise StandardError(
        f"unknown standard {standard!r}: use '2012', '2026', '2026-transitional' or '2026-final'"
    )


@cache
def _read(name: str) -> pd.DataFrame:
    path = importlib.resources.files("envtargets.air") / name
    with path.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype={"standard": str})


def breakpoint_table() -> pd.DataFrame:
    """Return the HJ 633 IAQI breakpoints of both versions.

    Returns
    -------
    pandas.DataFrame
        Columns ``standard`` (``2012``/``2026``), ``pollutant``, ``averaging``
        (``24h``, ``1h``, ``8h``), ``iaqi``, ``concentration`` and ``unit``.

    References
    ----------
    .. [1] HJ 633—2012 环境空气质量指数（AQI）技术规定（试行）, table 1.
    .. [2] HJ 633—2026, table 1.
    """
    return _read("breakpoints.csv").copy()


def limit_table() -> pd.DataFrame:
    """Return the GB 3095 concentration limits (2012, 2026 transitional and final).

    Returns
    -------
    pandas.DataFrame
        Columns ``standard``, ``pollutant``, ``averaging`` (``annual``, ``24h``,
        ``8h``, ``1h``), ``grade_1``, ``grade_2`` and ``unit``.

    References
    ----------
    .. [1] GB 3095—2012 环境空气质量标准, table 1.
    .. [2] GB 3095—2026, table 1.
    """
    return _read("limits.csv").copy()


@cache
def breakpoints(version: str, pollutant: str, averaging: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the breakpoints of one column of the HJ 633 IAQI table.

    Parameters
    ----------
    version : {"2012", "2026"}
        HJ 633 version.
    pollutant : str
        Pollutant id (``so2``, ``no2``, ``co``, ``o3``, ``pm10``, ``pm25``).
    averaging : {"24h", "1h", "8h"}
        Averaging time of the column.

    Returns
    -------
    concentration : numpy.ndarray [µg/m³; CO mg/m³]
        Breakpoint concentrations, ascending.
    iaqi : numpy.ndarray [dimensionless]
        The IAQI at each breakpoint (0, 50, 100, 150, 200, 300, 400, 500 or fewer).

    Raises
    ------
    StandardError
        When the version has no such column (e.g. PM 1-h in 2012).
    """
    table = _read("breakpoints.csv")
    label = POLLUTANTS[pollutant][0]
    rows = table[
        (table["standard"] == version)
        & (table["pollutant"] == label)
        & (table["averaging"] == averaging)
    ]
    if rows.empty:
        raise StandardError(
            f"HJ 633—{version} has no {averaging} breakpoints for {label}"
            + (" (real-time PM reports use 24-h moving means)" if pollutant[:2] == "pm" else "")
        )
    ordered = rows.sort_values("iaqi")
    return (
        ordered["concentration"].to_numpy(dtype="float64"),
        ordered["iaqi"].to_numpy(dtype="float64"),
    )


@cache
def limit(version: str, pollutant: str, averaging: str, grade: int = 2) -> float:
    """Return one GB 3095 concentration limit.

    Parameters
    ----------
    version : {"2012", "2026-transitional", "2026-final"}
        GB 3095 version (``Standard.limits``).
    pollutant : str
        Pollutant id (``so2``, ``no2``, ``co``, ``o3``, ``pm10``, ``pm25``).
    averaging : {"annual", "24h", "8h", "1h"}
        Averaging time.
    grade : {2, 1}
        Limit grade (二级 or 一级).

    Returns
    -------
    float [µg/m³; CO mg/m³]
        The limit, NaN when the standard sets none for that averaging time.

    Raises
    ------
    StandardError
        For a grade other than 1 or 2.
    """
    if grade not in (1, 2):
        raise StandardError(f"GB 3095 has grades 1 and 2, not {grade!r}")
    table = _read("limits.csv")
    rows = table[
        (table["standard"] == version)
        & (table["pollutant"] == POLLUTANTS[pollutant][0])
        & (table["averaging"] == averaging)
    ]
    return float(rows[f"grade_{grade}"].iloc[0]) if len(rows) else float("nan")


@cache
def minimum(rule: str) -> int:
    """Return a minimum-data figure of GB 3095 table 4 / HJ 663 (``validity.csv``).

    Parameters
    ----------
    rule : str
        ``hours_per_day``, ``hours_per_8h_window``, ``windows_per_day``,
        ``days_per_year``, ``days_per_month`` or ``days_per_february``.

    Returns
    -------
    int [hours, windows or days, as the rule says]
        The minimum number of valid values.
    """
    table = _read("validity.csv")
    return int(table.loc[table["rule"] == rule, "minimum"].iloc[0])


def categories() -> pd.DataFrame:
    """Return the six AQI categories.

    Returns
    -------
    pandas.DataFrame
        ``level`` (1–6), ``aqi_low`` and ``aqi_high`` [dimensionless],
        ``name_zh`` (优 … 严重污染) and ``name_en``; a copy, free to change.
    """
    return _read("categories.csv").copy()
