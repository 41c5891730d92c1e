"""Labels of AQI results: category, primary pollutant(s), and the columns of a report."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import numpy as np
import pandas as pd

from envtargets.air.standards import categories

#: Report labels of the indicators, in the order that primary-pollutant ties are listed.
LABELS = {
    "so2_24h": "SO2",
    "no2_24h": "NO2",
    "co_24h": "CO",
    "pm10_24h": "PM10",
    "pm25_24h": "PM2.5",
    "o3_8h": "O3_8h",
    "o3_1h": "O3_1h",
    "so2_1h": "SO2_1h",
    "no2_1h": "NO2_1h",
    "co_1h": "CO_1h",
    "pm10_1h": "PM10_1h",
    "pm25_1h": "PM2.5_1h",
}


@cache
def _category_lookup() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    table = categories().sort_values("level")
    return (
        table["aqi_high"].dropna().to_numpy(dtype="float64"),
        table["name_zh"].to_numpy(dtype=object),
        table["name_en"].to_numpy(dtype=object),
    )


def category_levels(aqi_values: np.ndarray) -> np.ndarray:
    """AQI level 1–6 (优 … 严重污染) of AQI values; 0 where the AQI is NA."""
    upper, _, _ = _category_lookup()
    level = np.searchsorted(upper, aqi_values, side="left") + 1
    return np.where(np.isnan(aqi_values), 0, level)


def primary_codes(
    aqi_values: np.ndarray,
    iaqis: dict[str, np.ndarray],
    substituted: Mapping[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Bit mask of the indicators whose IAQI equals the AQI (AQI > 50 only).

    An indicator whose IAQI was taken from another (``substituted`` rows, see
    :func:`envtargets.air.index.mixed_aqi`) is not named beside it: one
    measurement, one name.
    """
    mask = np.zeros(len(aqi_values), dtype=np.int64)
    qualifies = aqi_values > 50
    substituted = substituted or {}
    for bit, (key, values) in enumerate(iaqis.items()):
        own = ~substituted[key] if key in substituted else True
        mask |= ((values == aqi_values) & qualifies & own).astype(np.int64) << bit
    return mask


def primary_labels(mask: np.ndarray, keys: list[str]) -> pd.Categorical:
    """Turn primary-pollutant bit masks into labels such as ``PM2.5`` or ``PM2.5,O3_8h``."""
    codes, uniques = pd.factorize(mask)
    names = [
        ",".join(LABELS[k] for bit, k in enumerate(keys) if int(u) >> bit & 1) or None
        for u in uniques
    ]
    labels = pd.Series(names, dtype="string").iloc[codes].to_numpy()
    return pd.Categorical(labels)


def describe(
    aqi_values: np.ndarray,
    iaqis: dict[str, np.ndarray],
    index: pd.Index,
    substituted: Mapping[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Return the AQI columns of a report: IAQIs, AQI, level, category, primary pollutant, 优良."""
    _, zh, en = _category_lookup()
    level = category_levels(aqi_values)
    na = np.isnan(aqi_values)
    columns = {f"iaqi_{k.removesuffix('_24h')}": _int(v) for k, v in iaqis.items()}
    columns["aqi"] = _int(aqi_values)
    columns["aqi_level"] = pd.array(np.where(na, 0, level), dtype="Int64")
    columns["aqi_level"][na] = pd.NA
    columns["aqi_category"] = pd.Categorical.from_codes(np.where(na, -1, level - 1), categories=zh)
    columns["aqi_category_en"] = pd.Categorical.from_codes(
        np.where(na, -1, level - 1), categories=en
    )
    columns["primary_pollutant"] = primary_labels(
        primary_codes(aqi_values, iaqis, substituted), list(iaqis)
    )
    columns["good"] = pd.array(aqi_values <= 100, dtype="boolean")
    columns["good"][na] = pd.NA
    return pd.DataFrame(columns, index=index)


def _int(values: np.ndarray) -> pd.arrays.IntegerArray:
    na = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(na, 0, values).astype(np.int64), na)
