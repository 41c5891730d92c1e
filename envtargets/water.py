"""Surface-water quality class of monitoring sections (GB 3838—2002, single-factor method).

A section's class for a period is the worst class among its assessed
parameters, each parameter's class being the best class whose limit its
period-mean concentration meets. Dissolved oxygen is "at least" (higher is
better), pH must lie within 6–9, the others are "at most". The limits are the
data file ``water_limits.csv`` of this package. The share of class I–III
sections is then an observation that :mod:`envtargets` evaluates against
targets such as "国考断面优良比例 ≥ 95.2 %".
"""

from __future__ import annotations

import importlib.resources
import re
import unicodedata
from functools import cache

import numpy as np
import pandas as pd

from envtargets import _unconfirmed
from envtargets._monitoring import (
    as_periods,
    canonical_units,
    covered_spans,
    exact_decimal,
    factorize_text,
    label_of,
    note,
    numbers,
    period_bounds,
    raise_if,
    require_columns,
    share_observations,
    times,
)
from envtargets.errors import StandardError

#: Class labels by number (6 = worse than class V).
CLASS_LABELS = ("I", "II", "III", "IV", "V", "劣V")

_BELOW_DETECTION = re.compile(r"^\s*(?:<\s*([0-9.]+)|([0-9.]+)\s*[lL])\s*$")


@cache
def limit_table() -> pd.DataFrame:
    """Return the GB 3838—2002 class limits (basic items, table 1).

    Returns
    -------
    pandas.DataFrame
        One row per parameter and water body (``all``, ``river``, ``lake``):
        ``parameter``, ``name_zh``, ``name_en``, ``unit``, ``direction``
        (``max``, ``min``, ``range``, ``none``), ``class_1`` … ``class_5`` (for
        pH the range bounds in ``class_1``/``class_2``), ``assessed`` and
        ``aliases``.

    References
    ----------
    .. [1] GB 3838—2002 地表水环境质量标准, table 1.
    .. [2] 地表水环境质量评价办法（试行）, 环办〔2011〕22号.
    """
    path = importlib.resources.files("envtargets") / "water_limits.csv"
    with path.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, keep_default_na=False, na_values=[""])


def _fold(name: object) -> str:
    return unicodedata.normalize("NFKC", str(name)).strip().casefold()


@cache
def _parameters(water_body: str) -> pd.DataFrame:
    if water_body not in ("river", "lake"):
        raise StandardError(f"water_body must be 'river' or 'lake', not {water_body!r}")
    table = limit_table()
    table = table[table["water_body"].isin(["all", water_body])].reset_index(drop=True)
    return table


@cache
def _alias_lookup() -> dict[str, str]:
    lookup = {}
    for row in limit_table().itertuples():
        for alias in [row.parameter, row.name_zh, *str(row.aliases).split("|")]:
            lookup[_fold(alias)] = row.parameter
    return lookup


def parameter_id(name: object) -> str | None:
    """Return the GB 3838 parameter id of a parameter name as data files write it.

    Parameters
    ----------
    name : object
        A parameter name or column heading: the id (``ammonia_nitrogen``), the
        Chinese name (氨氮) or a common alias (``NH3-N``, ``TP``, ``DO`` …);
        case, full-width characters and surrounding spaces do not matter.

    Returns
    -------
    str or None
        The id used in :func:`limit_table` and in ``limiting_id`` of
        :func:`section_class`, or None when the name is not a GB 3838 table 1
        parameter.

    Examples
    --------
    >>> parameter_id("NH3-N"), parameter_id(" 溶解氧 "), parameter_id("叶绿素")
    ('ammonia_nitrogen', 'dissolved_oxygen', None)
    """
    return _alias_lookup().get(_fold(name))


def _class_numbers(means: np.ndarray, param: np.ndarray, table: pd.DataFrame) -> np.ndarray:
    """Class 1–6 of each mean, by its parameter's limits."""
    limits = table[[f"class_{i}" for i in range(1, 6)]].to_numpy(dtype="float64")
    direction = table["direction"].to_numpy()[param]
    bounds = limits[param]
    worse_max = (means[:, None] > bounds).sum(axis=1)
    worse_min = (means[:, None] < bounds).sum(axis=1)
    in_range = (means >= bounds[:, 0]) & (means <= bounds[:, 1])
    result = np.where(direction == "min", worse_min, worse_max) + 1
    result = np.where(direction == "range", np.where(in_range, 1, 6), result)
    return np.where(np.isnan(means), 0, result)


def section_class(
    samples: pd.DataFrame,
    water_body: str = "river",
    period: str | list[str] | None = None,
) -> pd.DataFrame:
    """Water-quality class of each section and period, by the single-factor method.

    Parameters
    ----------
    samples : pandas.DataFrame
        Long: ``section``, ``time`` (or ``date``), ``parameter``, ``value`` and
        optionally ``unit`` (blank: the parameter's unit, mg/L; pH
        dimensionless) and ``region``; or wide: ``section``, ``time`` and one
        column per parameter (溶解氧, 氨氮, 总磷, DO, NH3-N, TP …). Values below
        the detection limit may be written ``0.01L`` or ``<0.01``: they count
        as half the limit (reported). Parameters that GB 3838 does not assess
        (water temperature, total nitrogen, faecal coliforms) and unknown ones
        are left out (unknown ones reported).
    water_body : {"river", "lake"}
        Total phosphorus limits differ for lakes and reservoirs.
    period : str or list of str, optional
        Periods (``2025``, ``2025-03``, ``2025-01/2025-09``); default the
        months the assessed samples of each region cover in each calendar year
        (:func:`envtargets._monitoring.covered_spans`): one January sample gives ``2025-01``, never
        ``2025``.

    Returns
    -------
    pandas.DataFrame
        One row per section and period: ``section``, ``region`` (when given),
        ``period``, ``water_class`` (I … V, 劣V), ``class_number`` (1–6),
        ``limiting`` (the parameter(s) at the section's class, Chinese names
        joined by 、), ``limiting_id``, ``parameters`` (assessed) and
        ``samples``.

    Raises
    ------
    ValidationError
        For missing columns, non-numeric or negative values, bad times and
        units that are not concentrations, naming the rows.

    References
    ----------
    .. [1] GB 3838—2002, 4–5 and table 1.
    .. [2] 地表水环境质量评价办法（试行）, 环办〔2011〕22号: single-factor method.
    """
    table = _parameters(water_body)
    label = label_of(samples, "water samples")
    time_column = "time" if "time" in samples.columns else "date"
    long = "parameter" in samples.columns
    require_columns(samples, ["section", time_column, *(["value"] if long else [])], label)
    problems: list[dict] = []
    stamps = times(samples, time_column, label, problems)
    section_codes, sections = factorize_text(samples["section"])
    if long:
        param, values = _long_samples(samples, table, label, problems)
    else:
        param, values = _wide_samples(samples, table, label, problems)
    raise_if(problems)
    days = stamps.astype("datetime64[D]")
    rows = np.repeat(np.arange(len(samples)), len(param) // max(len(samples), 1))
    if "region" in samples.columns:
        regions = samples["region"].astype("string").groupby(section_codes).first()
        region_of = dict(zip(sections, regions.fillna(""), strict=True))
    else:
        region_of = dict.fromkeys(sections, "")
    periods = as_periods(period)
    if periods is None:
        # Each region's statistics are labelled with the months of its assessed
        # samples (not of water temperature alone), never with a whole year.
        used = (param >= 0) & ~np.isnan(values)
        used = used if used.any() else np.ones_like(used)
        section_region = np.array([region_of[name] for name in sections] + [""], dtype=object)
        spans = covered_spans(days[rows][used], section_region[section_codes[rows][used]])
        periods = list(dict.fromkeys(spans["period"]))
    result = [
        _classify(p, days[rows], section_codes[rows], param, values, table, sections)
        for p in periods
    ]
    frame = pd.concat(result, ignore_index=True)
    region = frame["section"].map(region_of)
    if period is None:
        covered = pd.MultiIndex.from_frame(spans[["group", "period"]])
        frame = frame[pd.MultiIndex.from_arrays([region, frame["period"]]).isin(covered)]
        frame = frame.reset_index(drop=True)
        region = frame["section"].map(region_of)
    if "region" in samples.columns:
        frame.insert(1, "region", region.replace("", pd.NA).astype("string"))
    frame.attrs = {"source": label, "water_body": water_body}
    return frame


def _long_samples(samples, table, label, problems):
    codes, names = factorize_text(samples["parameter"])
    ids = [parameter_id(name) for name in names]
    assessed = dict(zip(table["parameter"], table["assessed"], strict=False))
    known = np.array([table.index[table["parameter"] == i][0] if i else -1 for i in ids] + [-1])
    param = known[codes]
    unknown = sorted({n for n, i in zip(names, ids, strict=True) if i is None})
    if unknown:
        note(f"{label}: parameters not in GB 3838 table 1 left out: {', '.join(unknown)}")
    values = _values(samples, "value", label, problems)
    used = np.array([bool(assessed.get(p, False)) for p in table["parameter"]] + [False])
    param = np.where(used[param], param, -1)
    unit = samples["unit"] if "unit" in samples.columns else None
    if unit is not None:
        # A blank unit is the parameter's own; rows left out (param -1) are not converted.
        canonical_unit = pd.Series(table["unit"].to_numpy()[np.maximum(param, 0)])
        unit = unit.astype("string").str.strip().mask(lambda u: u.fillna("") == "")
        unit = unit.fillna(canonical_unit.set_axis(unit.index)).rename("unit")
    names = [f"{zh} ({pid})" for zh, pid in zip(table["name_zh"], table["parameter"], strict=True)]
    canonical = dict(zip(names, table["unit"], strict=True))
    values = canonical_units(values, param, names, unit, canonical, samples, label, problems)
    return param, values


def _wide_samples(samples, table, label, problems):
    params, columns = [], []
    for column in samples.columns:
        pid = parameter_id(column)
        if pid is None or column in ("section", "time", "date", "region"):
            continue
        index = table.index[table["parameter"] == pid]
        if len(index) and bool(table.at[index[0], "assessed"]):
            params.append(index[0])
            columns.append(_values(samples, column, label, problems))
    if not params:
        raise StandardError(f"{label}: no GB 3838 parameter columns (溶解氧, 氨氮, 总磷 …)")
    param = np.repeat(np.array(params), len(samples)).reshape(len(params), -1).T.ravel()
    return param, np.column_stack(columns).ravel()


def _values(frame: pd.DataFrame, column: str, label: str, problems: list[dict]) -> np.ndarray:
    """Numbers of a column; ``0.01L`` and ``<0.01`` become half the detection limit (reported)."""
    series = frame[column]
    if pd.api.types.is_numeric_dtype(series.dtype):
        return numbers(frame, column, label, problems)
    text = series.astype("string")
    found = text.str.extract(_BELOW_DETECTION)
    limit = pd.to_numeric(found[0].fillna(found[1]), errors="coerce").to_numpy(dtype="float64")
    below = ~np.isnan(limit)
    if below.any():
        note(
            f"{label}: {int(below.sum())} value(s) below the detection limit in column "
            f"{column!r} counted as {_unconfirmed.BELOW_DETECTION_FACTOR:g} × the limit"
        )
        frame = frame.assign(**{column: text.mask(below, "0")})
    values = numbers(frame, column, label, problems)
    return np.where(below, limit * _unconfirmed.BELOW_DETECTION_FACTOR, values)


def _classify(period, days, sections, param, values, table, names) -> pd.DataFrame:
    start, end = period_bounds(period)
    keep = (days >= start) & (days < end) & (param >= 0) & ~np.isnan(values)
    n_param = len(table)
    cell = sections[keep] * n_param + param[keep]
    size = len(names) * n_param
    count = np.bincount(cell, minlength=size)
    # Compared as the exact decimal mean (GB 3838): 0.05 × 3 meets 0.05.
    means = exact_decimal(
        np.bincount(cell, weights=values[keep], minlength=size) / np.maximum(count, 1)
    )
    means = np.where(count > 0, means, np.nan).reshape(len(names), n_param)
    classes = _class_numbers(means.ravel(), np.tile(np.arange(n_param), len(names)), table)
    classes = classes.reshape(len(names), n_param)
    worst = classes.max(axis=1)
    assessed = (classes > 0).sum(axis=1)
    present = np.flatnonzero(assessed > 0)
    limiting = (classes == worst[:, None]) & (classes > 0)
    zh = table["name_zh"].to_numpy()
    ids = table["parameter"].to_numpy()
    return pd.DataFrame(
        {
            "section": np.asarray(names, dtype=object)[present],
            "period": period,
            "water_class": np.asarray(CLASS_LABELS, dtype=object)[worst[present] - 1],
            "class_number": worst[present],
            "limiting": ["、".join(zh[row]) for row in limiting[present]],
            "limiting_id": [",".join(ids[row]) for row in limiting[present]],
            "parameters": assessed[present],
            "samples": np.bincount(sections[keep], minlength=len(names))[present],
        }
    )


def good_ratio(classes: pd.DataFrame, region: str = "all") -> pd.DataFrame:
    """Share of class I–III (优良) and of worse-than-V sections, as observations.

    Parameters
    ----------
    classes : pandas.DataFrame
        As :func:`section_class` returns it (``section``, ``period``,
        ``class_number``, optional ``region``).
    region : str
        Region of every section when ``classes`` has no ``region`` column.

    Returns
    -------
    pandas.DataFrame
        Observations (``indicator, region, period, value, unit, source,
        quote``) of ``water_sections_good_ratio`` and
        ``water_sections_worse_than_v_ratio`` [%], with ``sections`` and
        ``count`` (sections in the class group).

    References
    ----------
    .. [1] 地表水环境质量评价办法（试行）, 环办〔2011〕22号: 断面水质类别比例.

    Examples
    --------
    >>> classes = pd.DataFrame({"section": list("ABC"), "period": "2025",
    ...                         "class_number": [2, 3, 4]})
    >>> round(float(good_ratio(classes)["value"].iloc[0]), 1)
    66.7
    """
    regions = (
        classes["region"] if "region" in classes.columns else pd.Series(region, index=classes.index)
    )
    keys = pd.DataFrame(
        {"region": regions.astype("string"), "period": classes["period"].astype("string")}
    )
    number = classes["class_number"].to_numpy()
    method = "envtargets.water, GB 3838—2002 single-factor method"
    source = f"{classes.attrs.get('source', 'water samples')}; {method}"
    parts = []
    for indicator, flag, words in (
        ("water_sections_good_ratio", number <= 3, "in class I–III (优良)"),
        ("water_sections_worse_than_v_ratio", number == 6, "worse than class V (劣V)"),
    ):
        grouped = pd.DataFrame({**keys, "hit": flag}).groupby(["region", "period"], sort=True)
        counts = grouped["hit"].agg(["size", "sum"]).reset_index()
        parts.append(
            share_observations(
                counts,
                indicator=indicator,
                period=counts["period"],
                source=source,
                counted=f"sections {words}, period " + counts["period"],
                extra={"sections": counts["size"], "count": counts["sum"]},
            )
        )
    return pd.concat(parts, ignore_index=True)


# The grades of a river, basin or water system with five or more sections
# (地表水环境质量评价办法（试行）, 2011): the class I–III share and the 劣V share
# [%] of a graded river each lie in [from, below). One row per grade, best
# first; river_grade_table() returns it and the docs table and tests read it.
_RIVER_GRADE_ROWS = (
    # grade, grade_en, good_from, good_below, worse_from, worse_below
    ("优", "excellent", 90, np.inf, 0, np.inf),
    ("良好", "good", 75, 90, 0, np.inf),
    ("轻度污染", "slightly polluted", 0, 75, 0, 20),
    ("中度污染", "moderately polluted", 0, 75, 20, 40),
    ("重度污染", "heavily polluted", 0, 60, 40, np.inf),
)

#: Fewest sections of a graded river, basin or water system.
RIVER_MIN_SECTIONS = 5


def river_grade_table() -> pd.DataFrame:
    """Return the 2011 grade table of rivers, basins and water systems.

    Returns
    -------
    pandas.DataFrame
        One row per grade, best first: ``grade`` (优, 良好, 轻度污染, 中度污染,
        重度污染), ``grade_en``, and the bounds of the class I–III share
        (``good_from`` ≤ share < ``good_below``) and of the 劣V share
        (``worse_from`` ≤ share < ``worse_below``) [%]; ``inf`` is no bound.

    References
    ----------
    .. [1] 地表水环境质量评价办法（试行）, 环办〔2011〕22号: 河流、流域（水系）水质评价.
    """
    columns = ["grade", "grade_en", "good_from", "good_below", "worse_from", "worse_below"]
    return pd.DataFrame(list(_RIVER_GRADE_ROWS), columns=columns)


def river_grades(classes: pd.DataFrame, river: str = "river") -> pd.DataFrame:
    """Grade rivers (basins) with five or more sections by their I–III and 劣V shares.

    Parameters
    ----------
    classes : pandas.DataFrame
        As :func:`section_class` returns it, with a column naming each section's river.
    river : str
        That column's name.

    Returns
    -------
    pandas.DataFrame
        ``river``, ``period``, ``sections``, ``good_ratio`` (class I–III) [%],
        ``worse_than_v_ratio`` (劣V) [%], ``grade`` (优, 良好, 轻度污染,
        中度污染, 重度污染; see :func:`river_grade_table`) and ``grade_note``.
        A river whose shares no row of the table fits (I–III 60 % with 劣V
        40 %) is not graded: ``grade`` is NA and ``grade_note`` says why.

    References
    ----------
    .. [1] 地表水环境质量评价办法（试行）, 环办〔2011〕22号: 河流、流域（水系）水质评价.

    Examples
    --------
    >>> classes = pd.DataFrame({"river": "R", "period": "2025",
    ...                         "class_number": [1, 2, 3, 3, 3, 3, 3, 6, 6, 6]})
    >>> river_grades(classes)["grade"].iloc[0]  # 70 % I–III with 30 % 劣V
    '中度污染'
    """
    number = classes["class_number"].to_numpy()
    table = pd.DataFrame(
        {
            river: classes[river],
            "period": classes["period"],
            "good": number <= 3,
            "worse": number == 6,
        }
    )
    grouped = table.groupby([river, "period"], sort=True).agg(
        sections=("good", "size"), good=("good", "sum"), worse=("worse", "sum")
    )
    grouped = grouped[grouped["sections"] >= RIVER_MIN_SECTIONS].reset_index()
    sections = grouped["sections"].to_numpy(dtype="float64")[:, None]
    # Shares compared as whole numbers (100 · count against bound · sections): exact.
    good = 100.0 * grouped["good"].to_numpy(dtype="float64")[:, None]
    worse = 100.0 * grouped["worse"].to_numpy(dtype="float64")[:, None]
    grade_table = river_grade_table()
    bound = {
        name: grade_table[name].to_numpy(dtype="float64")[None, :] * sections
        for name in ("good_from", "good_below", "worse_from", "worse_below")
    }
    fits = (
        (good >= bound["good_from"])
        & (good < bound["good_below"])
        & (worse >= bound["worse_from"])
        & (worse < bound["worse_below"])
    )
    graded = fits.any(axis=1)
    good_share = exact_decimal(good[:, 0] / sections[:, 0])
    worse_share = exact_decimal(worse[:, 0] / sections[:, 0])
    grade = pd.Series(grade_table["grade"].to_numpy()[fits.argmax(axis=1)], dtype="string")

    def percent(shares: np.ndarray) -> pd.Series:
        return pd.Series(shares).map("{:.4g}".format).astype("string")

    note = (
        "no grade of the 2011 table fits I–III "
        + percent(good_share)
        + " % with 劣V "
        + percent(worse_share)
        + " % (unconfirmed, not graded)"
    )
    return pd.DataFrame(
        {
            river: grouped[river],
            "period": grouped["period"],
            "sections": grouped["sections"],
            "good_ratio": good_share,
            "worse_than_v_ratio": worse_share,
            "grade": grade.where(graded),
            "grade_note": note.where(~graded),
        }
    )


__all__ = [
    "CLASS_LABELS",
    "good_ratio",
    "limit_table",
    "parameter_id",
    "river_grade_table",
    "river_grades",
    "section_class",
]
