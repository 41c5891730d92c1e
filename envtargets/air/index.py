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
from envtargets.air.standards import POLLUTANTS, pollutant_id, resolve_standard
from envtargets.errors import StandardError, ValidationError

#: Indicators (IAQI columns): id → (pollutant, averaging time, label in reports).
INDICATORS = {key: (key.split("_")[0], key.split("_")[1], label) for key, label in LABELS.items()}

#: Column names that mean a 24-hour (daily) mean, as :func:`envtargets.air.daily` writes them.
DAILY_COLUMNS = {
    "so2": "so2_24h",
    "no2": "no2_24h",
    "co": "co_24h",
    "pm10": "pm10_24h",
    "pm25": "pm25_24h",
}

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

_AVERAGING = {
    "24h": "24h",
    "24小时": "24h",
    "日平均": "24h",
    "daily": "24h",
    "day": "24h",
    "1h": "1h",
    "1小时": "1h",
    "小时": "1h",
    "hourly": "1h",
    "hour": "1h",
    "8h": "8h",
    "8小时": "8h",
    "日最大8小时": "8h",
}


def _version(standard: object) -> str:
    return resolve_standard(standard).aqi


def round_concentration(pollutant: str, concentration: np.ndarray) -> np.ndarray:
    """Round concentrations as HJ 633—2026 does before the IAQI.

    µg/m³ to whole numbers, CO (mg/m³) to one decimal, by GB/T 8170 (round half
    to even, which is numpy's rounding).

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
    return np.round(concentration, 1 if pollutant == "co" else 0)


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
    value = np.ceil(value - _CEIL_TOLERANCE)
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
    standard: str = "2026",
) -> float | np.ndarray | pd.Series:
    r"""Individual air quality index (IAQI) of concentrations of one pollutant.

    .. math:: IAQI_P = \frac{IAQI_{Hi} - IAQI_{Lo}}{BP_{Hi} - BP_{Lo}} (C_P - BP_{Lo}) + IAQI_{Lo}

    rounded up to a whole number. Under HJ 633—2026 the concentration is first
    rounded (µg/m³ to integers, CO to one decimal, half to even).

    Parameters
    ----------
    pollutant : str
        ``SO2``, ``NO2``, ``CO``, ``O3``, ``PM10``, ``PM2.5`` (any case; Chinese names too).
    concentration : float, array-like or pandas.Series [µg/m³; CO mg/m³]
        Concentrations; NaN gives NaN.
    averaging : {"24h", "1h", "8h"}
        Averaging time (8h for O3 only). PM with ``1h`` is allowed in 2026 only
        (it uses the daily breakpoints).
    standard : {"2026", "2012"}
        HJ 633 version (``"2026-final"`` etc. are accepted and mean 2026).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        IAQI, as float (NaN where not computed). Above the last breakpoint:
        2012 SO2 1-h and O3 8-h give NaN (:func:`aqi` substitutes the SO2 24-h
        and O3 1-h IAQI); 2026 gives 200 and 300; other columns give 500
        (*unconfirmed*, see docs/standards.md).

    Raises
    ------
    StandardError
        For an unknown pollutant, averaging time or version.
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
    """
    key = pollutant_id(pollutant)
    if key is None:
        raise StandardError(
            f"unknown pollutant {pollutant!r}: use one of SO2, NO2, CO, O3, PM10, PM2.5"
        )
    period = _AVERAGING.get(str(averaging).strip().lower())
    if period is None or (period == "8h" and key != "o3"):
        raise StandardError(
            f"unknown averaging time {averaging!r} for {POLLUTANTS[key][0]}: "
            "use 24h, 1h or (O3 only) 8h"
        )
    version = _version(standard)
    c = np.asarray(concentration, dtype="float64")
    negative = np.flatnonzero(np.atleast_1d(c) < 0)
    if len(negative):
        frame = pd.DataFrame({"concentration": np.atleast_1d(c)})
        raise ValidationError(
            row_problems(
                frame, negative, "concentration", "negative concentration {value}", "concentrations"
            )
        )
    rounded = round_concentration(key, c) if version == "2026" else c
    result = _iaqi_array(version, key, period, np.atleast_1d(rounded).astype("float64"))
    if isinstance(concentration, pd.Series):
        return pd.Series(result, index=concentration.index, name=f"iaqi_{key}")
    return result.reshape(c.shape) if c.ndim else float(result[0])


def _indicator_of(column: str) -> str | None:
    name = str(column).strip().lower()
    if name in INDICATORS:
        return name
    return DAILY_COLUMNS.get(name)


def aqi_arrays(
    concentrations: Mapping[str, np.ndarray], version: str, daily: bool = True
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """AQI and IAQIs of concentration arrays keyed by indicator id (one HJ 633 version).

    Returns the AQI (float, NaN where NA) and each indicator's IAQI.
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
    if version == "2012":
        for key, substitute in _SUBSTITUTE_2012.items():
            if key in iaqis:
                fallback = iaqis.get(substitute)
                if fallback is None and substitute in concentrations:
                    p, a, _ = INDICATORS[substitute]
                    raw = np.asarray(concentrations[substitute], dtype="float64")
                    fallback = _iaqi_array(version, p, a, raw)
                above = np.asarray(concentrations[key], dtype="float64") > 800
                iaqis[key] = np.where(above, np.nan if fallback is None else fallback, iaqis[key])
    return _combine(iaqis, version, daily), iaqis


def _combine(iaqis: dict[str, np.ndarray], version: str, daily: bool) -> np.ndarray:
    """AQI = max IAQI; with a pollutant missing, published only above 100 (HJ 633—2026)."""
    stacked = np.vstack(list(iaqis.values()))
    present = ~np.isnan(stacked)
    highest = np.fmax.reduce(stacked, axis=0)
    expected = {INDICATORS[k][0] for k in (DAILY_SET[version] if daily else iaqis)}
    # A pollutant is missing when none of its indicators has an IAQI.
    missing = np.zeros(stacked.shape[1], dtype=bool)
    for pollutant in expected:
        rows = [i for i, k in enumerate(iaqis) if INDICATORS[k][0] == pollutant]
        missing |= ~present[rows].any(axis=0) if rows else True
    if version == "2026" or _unconfirmed.AQI_NA_RULE_FOR_2012:
        highest = np.where(missing & ~(highest > 100), np.nan, highest)
    return highest


def mixed_aqi(
    concentrations: Mapping[str, np.ndarray], versions: np.ndarray, daily: bool = True
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """AQI and IAQIs when rows follow different HJ 633 versions (``versions`` per row)."""
    present = list(pd.unique(versions)) or ["2026"]
    # Every version's indicators appear (NaN where a version has none), so the
    # columns are the same whatever the dates: partitions and periods agree.
    keys = DAILY_SET["2012"] if daily else INDICATORS
    combined = {k: np.full(len(versions), np.nan) for k in keys if k in concentrations}
    value = np.full(len(versions), np.nan)
    for version in present:
        rows = versions == version
        if len(present) == 1:
            rows = np.ones(len(versions), dtype=bool)
        part, iaqis = aqi_arrays(concentrations, str(version), daily)
        value = np.where(rows, part, value)
        for key, values in iaqis.items():
            combined[key] = np.where(rows, values, combined[key])
    return value, combined


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
        HJ 633 version; None: by the rows' ``date`` (2026 from 2026-03-01), or
        2026 when there is no date.
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
        For an unknown version, or no concentration column.
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
    value, iaqis = mixed_aqi(concentrations, versions, daily)
    result = describe(value, iaqis, frame.index)
    result["standard"] = pd.Categorical(versions)
    if standard is None and "date" in frame.columns:
        note = "HJ 633 version in force on each row's date (2026 rules from 2026-03-01)."
    else:
        note = resolve_standard(standard if standard is not None else "2026").note
    result.attrs["notes"] = [note]
    return result


def _row_versions(frame: pd.DataFrame, standard: str | None) -> np.ndarray:
    if standard is not None or "date" not in frame.columns:
        version = resolve_standard(standard if standard is not None else "2026").aqi
        return np.full(len(frame), version, dtype=object)
    from envtargets.air.standards import SWITCH_2026

    days = pd.to_datetime(frame["date"]).to_numpy().astype("datetime64[D]")
    return np.where(days < SWITCH_2026, "2012", "2026").astype(object)
