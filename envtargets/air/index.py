"""Individual and overall air quality index (IAQI, AQI) by HJ 633—2012 and HJ 633—2026.

Everything is array arithmetic: one ``searchsorted`` per indicator column finds
the bracketing breakpoints, so a national year of station-days (≈ 620,000
rows) costs a few milliseconds. See docs/standards.md for the rules.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from envtargets import _unconfirmed
from envtargets._monitoring import row_problems
from envtargets.air._labels import LABELS, describe
from envtargets.air.standards import (
    POLLUTANTS,
    aqi_versions,
    averaging_id,
    pollutant_id,
    resolve_standard,
    round_concentration,
)
from envtargets.errors import StandardError, ValidationError

#: Indicators (IAQI columns): id → (pollutant, averaging time, label in reports).
INDICATORS = {key: (key.split("_")[0], key.split("_")[1], label) for key, label in LABELS.items()}

#: Column names that mean a 24-hour (daily) mean, as :func:`envtargets.air.daily` writes them.
DAILY_COLUMNS = {key: f"{key}_24h" for key in ("so2", "no2", "co", "pm10", "pm25")}

#: The indicators of a daily AQI report: seven in 2012, six in 2026 (O3 1-h is real-time only).
DAILY_SET = {
    "2012": ("so2_24h", "no2_24h", "co_24h", "pm10_24h", "pm25_24h", "o3_8h", "o3_1h"),
    "2026": ("so2_24h", "no2_24h", "co_24h", "pm10_24h", "pm25_24h", "o3_8h"),
}

# Columns whose last breakpoint HJ 633 rules explicitly: 2012 computes no IAQI
# above it (aqi() then substitutes another column), 2026 fixes the IAQI.
_ABOVE_TABLE = {
    ("2012", "so2", "1h"): np.nan,
    ("2012", "o3", "8h"): np.nan,
    ("2026", "so2", "1h"): 200.0,
    ("2026", "o3", "8h"): 300.0,
}
# 2012 substitutions for those columns: the IAQI to report instead.
_SUBSTITUTE_2012 = {"so2_1h": "so2_24h", "o3_8h": "o3_1h"}

# Interpolation in float64 can land a hair above a whole number (90.00000000000001);
# rounding up must not turn that into 91.
_CEIL_TOLERANCE = 1e-9


def _version(standard: object) -> str:
    return resolve_standard(standard).aqi


def _iaqi_array(version: str, pollutant: str, averaging: str, c: np.ndarray) -> np.ndarray:
    """IAQI of concentrations already in canonical units (no checks, no rounding)."""
    from envtargets.air.standards import breakpoints

    if pollutant in ("pm10", "pm25") and averaging == "1h":
        if version == "2012":
            raise StandardError(
                "HJ 633—2012 has no 1-h breakpoints for PM (real-time reports use 24-h moving "
                "means); HJ 633—2026 applies the daily breakpoints to 1-h PM values"
            )
        averaging = "24h"
    bp, ia = breakpoints(version, pollutant, averaging)
    lo = np.clip(np.searchsorted(bp, c, side="right") - 1, 0, len(bp) - 2)
    # Multiply before dividing: whole-number concentrations then give exact results.
    value = ia[lo] + (ia[lo + 1] - ia[lo]) * (c - bp[lo]) / (bp[lo + 1] - bp[lo])
    # Adding 0.0 turns the -0.0 that ceil gives just below zero (C = 0) into 0.0.
    value = np.ceil(value - _CEIL_TOLERANCE) + 0.0
    above = c > bp[-1]
    if above.any():
        value[above] = _ABOVE_TABLE.get(
            (version, pollutant, averaging), _unconfirmed.IAQI_ABOVE_TABLE
        )
    return value


def iaqi(
    pollutant: str,
    concentration: float | np.ndarray | pd.Series,
    averaging: str = "24h",
    standard: str | None = None,
    *,
    date: object = None,
) -> float | np.ndarray | pd.Series:
    r"""Individual air quality index (IAQI) of concentrations of one pollutant.

    .. math:: IAQI_P = \frac{IAQI_{Hi} - IAQI_{Lo}}{BP_{Hi} - BP_{Lo}} (C_P - BP_{Lo}) + IAQI_{Lo}

    rounded up to a whole number. Under HJ 633—2026 the concentration is first
    rounded (µg/m³ to integers, CO to one decimal, half to even).

    A bare concentration carries no date, so there is no default version: name
    it with ``standard``, or give the ``date`` of the concentrations to use the
    version in force then (HJ 633—2026 from 2026-03-01).

    Parameters
    ----------
    pollutant : str
        ``SO2``, ``NO2``, ``CO``, ``O3``, ``PM10``, ``PM2.5`` (any case; Chinese names too).
    concentration : float, array-like or pandas.Series [µg/m³; CO mg/m³]
        Concentrations; NaN gives NaN.
    averaging : {"24h", "1h", "8h"}
        Averaging time (8h for O3 only). PM with ``1h`` is allowed in 2026 only
        (it uses the daily breakpoints).
    standard : {"2012", "2026"}, optional
        HJ 633 version (``"2026-final"`` etc. are accepted and mean 2026).
        Required unless ``date`` is given; it wins over ``date``.
    date : date-like or array-like of dates, optional
        Date of the concentrations (one date, or one per concentration in the
        same shape): each value then uses the version in force on its date.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        IAQI [dimensionless], as float (NaN where not computed). Above the last
        breakpoint: 2012 SO2 1-h and O3 8-h give NaN (:func:`aqi` substitutes
        the SO2 24-h and O3 1-h IAQI); 2026 gives 200 and 300; other columns
        give 500 (*unconfirmed*, see docs/standards.md).

    Raises
    ------
    StandardError
        For an unknown pollutant, averaging time or version, when neither
        ``standard`` nor ``date`` is given, or for a missing or unreadable date.
    ValidationError
        For negative concentrations, naming their positions.

    References
    ----------
    .. [1] HJ 633—2012 环境空气质量指数（AQI）技术规定（试行）, 5.1 and table 1.
    .. [2] HJ 633—2026, 5.1–5.2 and table 1.

    Examples
    --------
    >>> float(iaqi("PM2.5", 50, standard="2012")), float(iaqi("PM2.5", 50, standard="2026"))
    (69.0, 80.0)
    >>> iaqi("PM2.5", [68, 68], date=["2026-02-28", "2026-03-01"]).tolist()
    [92.0, 108.0]
    """
    key = pollutant_id(pollutant)
    if key is None:
        raise StandardError(
            f"unknown pollutant {pollutant!r}: use one of SO2, NO2, CO, O3, PM10, PM2.5"
        )
    period = averaging_id(averaging)
    if period is None or (period == "8h" and key != "o3"):
        raise StandardError(
            f"unknown averaging time {averaging!r} for {POLLUTANTS[key][0]}: "
            "use 24h, 1h or (O3 only) 8h"
        )
    c = np.asarray(concentration, dtype="float64")
    flat = np.atleast_1d(c).ravel()
    versions = _iaqi_versions(standard, date, c.shape)
    negative = np.flatnonzero(flat < 0)
    if len(negative):
        frame = pd.DataFrame({"concentration": flat})
        raise ValidationError(
            row_problems(
                frame, negative, "concentration", "negative concentration {value}", "concentrations"
            )
        )
    result = np.full(len(flat), np.nan)
    for version in pd.unique(versions):
        rows = versions == version
        part = round_concentration(key, flat[rows]) if version == "2026" else flat[rows]
        result[rows] = _iaqi_array(str(version), key, period, part)
    if isinstance(concentration, pd.Series):
        return pd.Series(result, index=concentration.index, name=f"iaqi_{key}")
    return result.reshape(c.shape) if c.ndim else float(result[0])


def _iaqi_versions(standard: str | None, date: object, shape: tuple[int, ...]) -> np.ndarray:
    """HJ 633 version of each concentration (flattened): as named, or by its date."""
    if standard is not None:
        return np.full(max(int(np.prod(shape)), 1), _version(standard), dtype=object)
    if date is None:
        raise StandardError(
            "iaqi() needs the HJ 633 version: pass standard='2012' or standard='2026', "
            "or date=... to use the version in force on that date (2026 from 2026-03-01)"
        )
    try:
        dates = np.broadcast_to(np.asarray(date, dtype=object), shape)
    except ValueError:
        raise StandardError(f"date: give one date or one per concentration {shape}") from None
    return aqi_versions(dates)


def _indicator_of(column: str) -> str | None:
    name = str(column).strip().lower()
    if name in INDICATORS:
        return name
    return DAILY_COLUMNS.get(name)


def _aqi_arrays(
    concentrations: Mapping[str, np.ndarray], version: str, daily: bool = True
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """AQI (NaN where NA), each indicator's IAQI, and where an IAQI is another's (2012).

    All rows under one HJ 633 version. The third item marks, per indicator, the
    rows whose IAQI was taken from its substitute that is itself an indicator of
    the row: the measurement is then named once, as the substitute.
    """
    used = [k for k in (DAILY_SET[version] if daily else INDICATORS) if k in concentrations]
    if not used:
        raise StandardError(
            "no concentration columns: name them so2, no2, co, pm10, pm25, "
            "o3_8h, o3_1h (or so2_1h, no2_1h, co_1h …)"
        )
    iaqis = {}
    for key in used:
        pollutant, averaging, _ = INDICATORS[key]
        c = np.asarray(concentrations[key], dtype="float64")
        if version == "2026":
            c = round_concentration(pollutant, c)
        iaqis[key] = _iaqi_array(version, pollutant, averaging, c)
    substituted = {}
    if version == "2012":
        for key, substitute in _SUBSTITUTE_2012.items():
            if key in iaqis:
                fallback = iaqis.get(substitute)
                above = np.asarray(concentrations[key], dtype="float64") > 800
                if fallback is not None:
                    substituted[key] = above
                elif substitute in concentrations:
                    p, a, _ = INDICATORS[substitute]
                    raw = np.asarray(concentrations[substitute], dtype="float64")
                    fallback = _iaqi_array(version, p, a, raw)
                iaqis[key] = np.where(above, np.nan if fallback is None else fallback, iaqis[key])
    return _combine(iaqis, version, daily), iaqis, substituted


def _combine(iaqis: dict[str, np.ndarray], version: str, daily: bool) -> np.ndarray:
    """AQI = max IAQI; with a value missing, published only above 100 (HJ 633—2026).

    A daily AQI misses a value when a pollutant of the version's daily set has
    no indicator column, or when any of its given daily indicators has no IAQI
    on the row — under HJ 633—2012 that includes one of the two O3 indicators
    (daily maximum 8-h or 1-h) while the other is there: the missing one could
    only raise the AQI, just as a missing pollutant could (docs/standards.md).
    A real-time AQI (``daily=False``) misses a pollutant when none of its given
    indicators has an IAQI.
    """
    stacked = np.vstack(list(iaqis.values()))
    present = ~np.isnan(stacked)
    highest = np.fmax.reduce(stacked, axis=0)
    expected = DAILY_SET[version] if daily else tuple(iaqis)
    missing = np.zeros(stacked.shape[1], dtype=bool)
    for pollutant in {INDICATORS[k][0] for k in expected}:
        rows = [i for i, k in enumerate(iaqis) if k in expected and INDICATORS[k][0] == pollutant]
        if not rows:
            missing[:] = True
        elif daily:
            missing |= ~present[rows].all(axis=0)
        else:
            missing |= ~present[rows].any(axis=0)
    if version == "2026" or _unconfirmed.AQI_NA_RULE_FOR_2012:
        highest = np.where(missing & ~(highest > 100), np.nan, highest)
    return highest


def mixed_aqi(
    concentrations: Mapping[str, np.ndarray], versions: np.ndarray, daily: bool = True
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """AQI and IAQIs of concentration arrays whose rows follow different HJ 633 versions.

    The array form behind :func:`aqi` and :func:`envtargets.air.daily`: no
    checks, no column names to match.

    Parameters
    ----------
    concentrations : mapping of str to numpy.ndarray [µg/m³; CO mg/m³]
        Indicator id (``so2_24h``, ``pm25_24h``, ``o3_8h``, ``o3_1h``,
        ``so2_1h`` … as in :data:`INDICATORS`) → one value per row, NaN where
        missing or invalid; not negative.
    versions : numpy.ndarray of str
        HJ 633 version of each row (``"2012"`` or ``"2026"``).
    daily : bool
        True: each version's daily indicators only; False: every indicator given.

    Returns
    -------
    aqi : numpy.ndarray of float [dimensionless]
        AQI of each row, NaN where not published (a pollutant missing and the
        AQI at or below 100).
    iaqis : dict of str to numpy.ndarray [dimensionless]
        IAQI of each indicator, NaN where not computed; the 2012 daily set of
        indicators whatever the versions, so that every call gives the same keys.
    substituted : dict of str to numpy.ndarray of bool
        Rows where an indicator's IAQI is that of another indicator of the row
        (HJ 633—2012: SO2 1-h above 800 reports the SO2 24-h IAQI, O3 8-h
        above 800 the O3 1-h IAQI); the primary pollutant names it once, as
        the other indicator.

    Raises
    ------
    StandardError
        When no indicator of a version is in ``concentrations``.
    """
    present = list(pd.unique(versions)) or ["2026"]
    # Every version's indicators appear (NaN where a version has none), so the
    # columns are the same whatever the dates: partitions and periods agree.
    keys = DAILY_SET["2012"] if daily else INDICATORS
    combined = {k: np.full(len(versions), np.nan) for k in keys if k in concentrations}
    value = np.full(len(versions), np.nan)
    substituted: dict[str, np.ndarray] = {}
    for version in present:
        rows = versions == version
        if len(present) == 1:
            rows = np.ones(len(versions), dtype=bool)
        part, iaqis, replaced = _aqi_arrays(concentrations, str(version), daily)
        value = np.where(rows, part, value)
        for key, values in iaqis.items():
            combined[key] = np.where(rows, values, combined[key])
        for key, flags in replaced.items():
            substituted[key] = substituted.get(key, np.zeros(len(versions), bool)) | (rows & flags)
    return value, combined, substituted


def aqi(frame: pd.DataFrame, standard: str | None = None, *, daily: bool = True) -> pd.DataFrame:
    """Air quality index of each row of a table of concentrations.

    Parameters
    ----------
    frame : pandas.DataFrame
        One column per indicator, named ``so2``/``so2_24h``, ``no2``, ``co``,
        ``pm10``, ``pm25`` (24-h means), ``o3_8h`` (daily maximum 8-h mean),
        ``o3_1h``, and for real-time use ``so2_1h``, ``no2_1h``, ``co_1h``
        [µg/m³; CO mg/m³]. Other columns are ignored. With a ``date`` column
        and ``standard=None`` each row uses the version in force on its date.
    standard : {"2012", "2026", None}
        HJ 633 version; None: the version in force on each row's ``date``
        (2026 from 2026-03-01). Without a ``date`` column it is required.
    daily : bool
        True (default): the version's daily indicators only (2012: five 24-h
        means, the O3 daily maximum 8-h and 1-h values; 2026: without O3 1-h).
        False: every indicator column given (real-time AQI).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``frame``: ``iaqi_<indicator>``, ``aqi``, ``aqi_level``
        (1–6), ``aqi_category`` (优, 良, 轻度污染 …), ``aqi_category_en``,
        ``primary_pollutant`` (ties joined by commas; none when AQI ≤ 50),
        ``good`` (AQI ≤ 100) and ``standard`` (HJ 633 version of the row).
        ``attrs["notes"]`` says which version was used and why.

    Raises
    ------
    StandardError
        For an unknown version, no concentration column, or neither
        ``standard`` nor a ``date`` column.
    ValidationError
        For negative concentrations, naming the rows.

    References
    ----------
    .. [1] HJ 633—2012, 5–6; HJ 633—2026, 5–6.

    Examples
    --------
    Real-time use (only the columns given count):

    >>> table = pd.DataFrame({"pm25": [50.0, 68.0], "o3_8h": [180.0, 90.0]})
    >>> aqi(table, "2012", daily=False)[["aqi", "primary_pollutant"]].to_numpy().tolist()
    [[119, 'O3_8h'], [92, 'PM2.5']]

    As a daily AQI the other pollutants are missing, so an AQI ≤ 100 is not published:

    >>> aqi(table, "2012")["aqi"].tolist()
    [119, <NA>]
    """
    concentrations = {}
    for column in frame.columns:
        key = _indicator_of(column)
        if key is not None:
            values = frame[column].to_numpy(dtype="float64", na_value=np.nan)
            negative = np.flatnonzero(values < 0)
            if len(negative):
                raise ValidationError(
                    row_problems(
                        frame, negative, column, "negative concentration {value}", "AQI input"
                    )
                )
            concentrations[key] = values
    versions = _row_versions(frame, standard)
    value, iaqis, substituted = mixed_aqi(concentrations, versions, daily)
    result = describe(value, iaqis, frame.index, substituted)
    result["standard"] = pd.Categorical(versions)
    if standard is None:
        note = "HJ 633 version in force on each row's date (2026 rules from 2026-03-01)."
    else:
        note = resolve_standard(standard).note
    result.attrs["notes"] = [note]
    return result


def _row_versions(frame: pd.DataFrame, standard: str | None) -> np.ndarray:
    if standard is not None:
        return np.full(len(frame), resolve_standard(standard).aqi, dtype=object)
    if "date" not in frame.columns:
        raise StandardError(
            "aqi() needs the HJ 633 version: pass standard='2012' or standard='2026', "
            "or give the rows a 'date' column to use the version in force on each date"
        )
    return aqi_versions(frame["date"].to_numpy())
