"""Evaluate targets against observations: one row per target, every number explained.

The rules are those of docs/methodology.md, which gives each
column's formula with worked examples. The work is done on whole columns:
observations are reduced once to sorted arrays (:mod:`envtargets._panel`), each
target finds its observation, baseline and trend window by binary search, and
the trend statistics of all windows come from one vectorised computation
(:mod:`envtargets.trend`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from envtargets._measures import (
    WITHIN_YEAR,
    apply_baselines,
    blank_growth_methods,
    keep_within_target_year,
    series_measures,
)
from envtargets._panel import (
    MONTH_BITS,
    YEAR_BITS,
    Panel,
    build_panel,
    factorize_series,
    in_target_unit,
    pick,
    snap,
    snap_difference,
    unit_factors_of,
    unit_problems,
)
from envtargets._publication import METHOD_COLUMNS, method_columns
from envtargets._status import (
    CODES,
    close,
    comparator_direction,
    decide_status,
    first_year_met,
    progress_target,
    satisfies,
    shortfall,
)
from envtargets._text import STRING, category_text, labelled, text_array
from envtargets.errors import ValidationError
from envtargets.indicators import checked_inputs, indicator_definitions
from envtargets.tables import LOCATION_COLUMNS, REQUIRED, TARGET_COLUMNS
from envtargets.trend import direction_labels, window_statistics
from envtargets.units import difference_unit

STATUS_COLUMNS = [
    "observed_period",
    "observed_value",
    "provisional",
    "gap",
    "shortfall",
    "satisfied",
    "progress",
    "time_elapsed",
    "status",
    "status_reason",
    "status_reason_zh",
    "trend_slope",
    "trend_p",
    "trend_direction",
    "projected_value",
    "projected_year_met",
]
BASELINE_COLUMNS = ["gap_unit", "effective_baseline", "baseline_origin"]
ADDED_COLUMNS = STATUS_COLUMNS + METHOD_COLUMNS + BASELINE_COLUMNS
"""Columns that :func:`evaluate` adds after the target columns, in this order."""


def evaluate(
    targets: pd.DataFrame,
    observations: pd.DataFrame,
    indicators: pd.DataFrame | None = None,
    *,
    alpha: float = 0.05,
    validate: bool = True,
) -> pd.DataFrame:
    r"""Say for every target where it stands, by how much, and where it is heading.

    Each target is matched with the latest observation of its indicator and
    region that ends by the end of the target year (of several ending
    together, the longest within that calendar year); observations are
    converted to the target's unit first. The status follows the rules of
    docs/methodology.md in order — ``no_data``, ``achieved``/``not_achieved``,
    ``on_track``, ``off_track``, ``not_assessable`` — and ``status_reason``
    names the rule and its numbers. Indicators whose ``measure`` is
    ``annual`` (an amount within one year) or ``annual_rate`` (a rate of one
    year) count only observations within the target year, and their trend
    never decides the status (docs/methodology.md, "Annual amounts and rates").

    .. math::

        \mathrm{gap} = v_\mathrm{obs} - v_\mathrm{target}, \quad
        \mathrm{progress} = \frac{v_\mathrm{obs} - b}{v_\mathrm{target} - b}, \quad
        \mathrm{time\_elapsed} = \frac{t_\mathrm{obs} - t_b}{t_\mathrm{target} - t_b}

    with decimal years: a full year Y ends at Y + 1, months 1–m of Y at Y + m/12.

    Parameters
    ----------
    targets : pandas.DataFrame
        documented target columns (``upper``, ``baseline_year``, ``baseline_value``,
        ``kind``, ``source``, ``quote`` may be absent); extra columns are kept.
    observations : pandas.DataFrame
        documented observation columns.
    indicators : pandas.DataFrame, optional
        Your indicators, ``indicator, unit, better`` (``measure`` optional,
        default ``level``). They extend the bundled table, as ``--indicators``
        does on the command line: your row wins over a bundled row of the same
        id, and one :class:`~envtargets.DataCleaningWarning` names the bundled
        ids it changes (:func:`envtargets.indicators.combine_indicators`).
        An indicator in no table is inferred from its rows, with one note
        each (:func:`envtargets.indicators.complete_indicators`): the unit of
        its first target, the direction of improvement its comparators agree
        on (``<``/``<=`` lower is better, ``>``/``>=`` higher); a target whose
        indicator has no direction takes its own comparator's.
    alpha : float, default 0.05
        Significance level of the Mann–Kendall trend test.
    validate : bool, default True
        Validate the three tables first (:func:`envtargets.validate_targets` …).
        Only skip it for frames that were validated already.

    Returns
    -------
    pandas.DataFrame
        One row per target, in input order: the target columns unchanged
        (documented order, then extra columns; ``source_file``/``row`` left out),
        then :data:`ADDED_COLUMNS`. Values are in the target's unit; ``gap_unit``
        is that of ``gap`` and ``shortfall`` (``percentage_point`` for percent).

    Raises
    ------
    ValidationError
        For invalid input, or an observation whose unit does not convert to
        its indicator's (naming file, row and both units).

    References
    ----------
    .. [1] docs/methodology.md, sections 4 ("Column formulas") and 5 ("Status rules").
    .. [2] Sen, P. K. (1968); Mann, H. B. (1945); Kendall, M. G. (1975);
       Gilbert, R. O. (1987) — see :func:`envtargets.trend.trend`.
    .. [3] Eurostat, Open SDG and SDSN progress methods — see :mod:`envtargets.methods`.
    """
    targets, observations, indicators = _inputs(targets, observations, indicators, validate)
    known = indicator_definitions(indicators)
    t = _target_arrays(targets)
    pairs = factorize_series(
        [targets["indicator"], observations["indicator"]],
        [targets["region"], observations["region"]],
    )
    target_series, observation_series = pairs.codes[: len(targets)], pairs.codes[len(targets) :]
    wanted = np.zeros(len(pairs.first_of), dtype=bool)
    wanted[target_series[target_series >= 0]] = True
    units = pairs.first_mapped(known["unit"])
    series_measure = series_measures(pairs, known["measure"])
    panel = build_panel(
        observations,
        np.where(wanted[observation_series], observation_series, -1),
        units,
        within_year=np.isin(series_measure, WITHIN_YEAR),
    )
    # A target without indicator or region (possible only unvalidated) has code −1,
    # no series: it keeps its own unit, counts as a level and finds no observation.
    own_unit = targets["unit"].to_numpy(object)
    t["factor"] = _target_factors(targets, _of_targets(units, target_series, own_unit))
    found = _lookups(panel, target_series, t, alpha)
    measure = _of_targets(series_measure, target_series, "level")
    keep_within_target_year(found, np.isin(measure, WITHIN_YEAR), t)
    # Direction of improvement: the indicator's, else the comparator's (per series, then target).
    better = _of_targets(pairs.first_mapped(known["better"]), target_series, None)
    better = np.where(np.isin(better, ["lower", "higher"]), better, comparator_direction(t["code"]))
    looked_up = in_target_unit(found["baseline_lookup"], t["factor"])
    t["baseline"], t["origin"] = _baseline(t, looked_up)
    apply_baselines(t, measure)
    t["towards"] = progress_target(t["baseline"], t["value"], t["upper"], t["code"])
    columns = {
        **_status_columns(t, found, better, measure, alpha),
        **method_columns(t, found, better),
    }
    blank_growth_methods(columns, measure)
    return _assemble(targets, columns)


def _of_targets(per_series: np.ndarray, series: np.ndarray, missing) -> np.ndarray:
    """Return ``per_series[series]`` for each target, ``missing`` where its code is −1."""
    return np.where(series >= 0, np.append(per_series, None)[series], missing)


def _inputs(targets, observations, indicators, validate):
    """Validate (or check the columns of) the tables; return them with the indicators table."""
    if validate:
        return checked_inputs(targets, observations, indicators)
    missing = [c for c in REQUIRED["targets"] if c not in targets]
    missing += [c for c in REQUIRED["observations"] if c not in observations]
    if missing:
        raise ValidationError(
            [
                {
                    "file": "",
                    "row": None,
                    "column": c,
                    "value": None,
                    "message": f"missing required column {c!r}",
                }
                for c in missing
            ]
        )
    return checked_inputs(targets, observations, indicators, validate=False)


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(np.float64, na_value=np.nan)


def _target_arrays(targets: pd.DataFrame) -> dict[str, np.ndarray]:
    """Return the target columns the rules need as arrays (years as float, NaN = missing)."""
    symbols, distinct = pd.factorize(targets["comparator"])
    known = np.array([CODES.get(str(c).strip(), -1) for c in distinct] + [-1], dtype=np.int64)
    code = pd.Series(known[symbols])  # one look-up per distinct comparator, −1 if unknown
    if (code < 0).any():
        bad = targets["comparator"].iloc[int(np.flatnonzero(code < 0)[0])]
        raise ValidationError(
            [
                {
                    "file": "",
                    "row": None,
                    "column": "comparator",
                    "value": bad,
                    "message": f"{bad!r} is not a known comparator",
                }
            ]
        )
    return {
        "code": code.to_numpy(np.int64),
        "value": _numbers(targets, "value"),
        "upper": _numbers(targets, "upper"),
        "target_year": _numbers(targets, "target_year"),
        "baseline_year": _numbers(targets, "baseline_year"),
        "baseline_value": _numbers(targets, "baseline_value"),
    }


def _target_factors(targets: pd.DataFrame, series_units: np.ndarray) -> np.ndarray:
    """Factor from each target's series unit to its own unit; an error if they do not convert."""
    factors, failures = unit_factors_of(series_units, targets["unit"].to_numpy(object))
    if failures:
        swapped = [(target, source, reason, rows) for source, target, reason, rows in failures]
        explain = "the unit of the indicator {indicator!r}"
        raise ValidationError(unit_problems(swapped, targets, "targets frame", explain))
    return factors


def _lookups(panel: Panel, series: np.ndarray, t: dict, alpha: float) -> dict[str, np.ndarray]:
    """Find each target's observation, baseline, latest full year and trend (series units)."""
    target_year = np.nan_to_num(t["target_year"]).astype(np.int64)
    # Latest observation ending by the end of the target year; rows are sorted by
    # (series, end, months), so the last match is the longest of the latest.
    at = np.searchsorted(panel.end_keys(), (series << MONTH_BITS) + (target_year + 1) * 12, "right")
    at -= 1
    hit = (pick(panel.series, at, at >= 0, -1) == series) & (series >= 0)
    code = pick(panel.period_code, at, hit, -1)  # −1: no observation
    end = np.append(panel.period_end, 0)[code]
    months = np.append(panel.period_months, 0)[code]
    found = {
        "observed": pick(panel.value, at, hit, np.nan),
        "end": end / 12.0,
        "months": months,
        "full_year": np.append(panel.period_full_year, False)[code],
        # Exactly the target calendar year: 12 months ending in its December
        # (a run such as 2024-07/2025-12 ends there too, but is not the year 2025).
        "final": hit & (end == (target_year + 1) * 12) & (months == 12),
        "period": np.append(panel.period_texts, None)[code],
    }

    full_keys, years, values = panel.full_years()
    base = series << YEAR_BITS
    lows = np.searchsorted(full_keys, base, side="left")
    highs = np.searchsorted(full_keys, base + target_year, side="right")
    baseline_key = base + np.nan_to_num(t["baseline_year"], nan=-1).astype(np.int64)
    spot = np.searchsorted(full_keys, baseline_key, side="right") - 1
    spot_hit = (pick(full_keys, spot, spot >= 0, -1) == baseline_key) & ~np.isnan(
        t["baseline_year"]
    )
    found["baseline_lookup"] = pick(values, spot, spot_hit, np.nan)
    found["latest_full"] = pick(values, highs - 1, highs > lows, np.nan)
    found["latest_full_year"] = pick(years.astype(np.float64), highs - 1, highs > lows, np.nan)

    # The trend uses the full years up to the target year: data after it
    # cannot tell whether the target was on course.
    stats, found["n_points"], found["first_year"] = window_statistics(
        full_keys, years, values, lows, highs, alpha
    )
    found.update({f"trend_{name}": stats[name] for name in ("slope", "intercept", "p_value")})
    return found


def _status_columns(
    t: dict, found: dict, better: np.ndarray, measure: np.ndarray, alpha: float
) -> dict:
    """Return the status columns, in the target's unit; differences rounded (snap_difference)."""
    factor, code, value, upper = t["factor"], t["code"], t["value"], t["upper"]
    observed = in_target_unit(found["observed"], factor)
    has = ~np.isnan(observed)
    baseline, towards = t["baseline"], t["towards"]
    with np.errstate(divide="ignore", invalid="ignore"):
        moved, needed = snap_difference(observed, baseline), snap_difference(towards, baseline)
        progress = np.where(close(towards, baseline), np.nan, moved / needed + 0.0)  # no -0.0
        span = t["target_year"] - t["baseline_year"]
        elapsed = (found["end"] - (t["baseline_year"] + 1)) / span
    elapsed = np.where(has & (span > 0), elapsed, np.nan)
    slope = found["trend_slope"] * factor
    intercept = found["trend_intercept"] * factor
    # The trend across years describes annual amounts and rates, but the
    # status of one year's amount or rate does not follow from it: no projection.
    projecting = ~np.isin(measure, WITHIN_YEAR)
    projected = np.where(projecting, snap(intercept + slope * t["target_year"]), np.nan)
    satisfied = satisfies(observed, value, upper, code)
    status, reasons = decide_status(
        {
            "observed": observed,
            "period": found["period"],
            "final": found["final"],
            "full_year": found["full_year"],
            "satisfied": satisfied,
            "progress": progress,
            "time_elapsed": elapsed,
            "projected": projected,
            "projected_met": satisfies(projected, value, upper, code),
            "target_year": t["target_year"],
            "value": value,
            "upper": upper,
            "code": code,
            "measure": measure,
            "earlier_period": found["earlier_period"],
        }
    )
    year_met = first_year_met(slope, intercept, found["first_year"], value, upper, code)
    return {
        "observed_period": found["period"],
        "observed_value": observed,
        # Anything but exactly one calendar year: part of a year, or a run across two.
        "provisional": pd.arrays.BooleanArray(~found["full_year"] & has, ~has),
        "gap": snap_difference(observed, value),
        "shortfall": shortfall(observed, value, upper, code),
        "satisfied": pd.arrays.BooleanArray(satisfied & has, ~has),
        "progress": progress,
        "time_elapsed": elapsed,
        "status": status,
        "status_reason": reasons["en"],
        "status_reason_zh": reasons["zh"],
        "trend_slope": slope,
        "trend_p": found["trend_p_value"],
        "trend_direction": direction_labels(slope, found["trend_p_value"], better, alpha),
        "projected_value": projected,
        "projected_year_met": _whole_numbers(np.where(projecting, year_met, np.nan)),
        "effective_baseline": baseline,
        "baseline_origin": t["origin"],
    }


def _baseline(t: dict, looked_up: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the baseline the target gives, else the full-year observation of its year."""
    given = ~np.isnan(t["baseline_value"])
    found = ~given & ~np.isnan(t["baseline_year"]) & ~np.isnan(looked_up)
    value = np.where(given, t["baseline_value"], np.where(found, looked_up, np.nan))
    origin = np.select([given, found], ["target", "observation"], default="").astype(object)
    return value, origin


def _assemble(targets: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """Target columns in documented order, extra columns, then the added columns."""
    kept = targets.drop(columns=[c for c in LOCATION_COLUMNS if c in targets]).copy()
    for name in TARGET_COLUMNS:
        if name not in kept:
            kept[name] = "binding" if name == "kind" else np.nan
    extras = [c for c in kept.columns if c not in TARGET_COLUMNS]
    table = kept[TARGET_COLUMNS + extras].reset_index(drop=True)
    units = table["unit"].astype(str)
    codes, distinct = pd.factorize(units)
    gap_units = np.array([difference_unit(u) for u in distinct], dtype=object)  # per distinct unit
    columns["gap_unit"] = labelled(codes, gap_units)
    added = pd.DataFrame({name: _as_column(columns[name]) for name in ADDED_COLUMNS})
    return pd.concat([table, added], axis=1)


def _as_column(values):
    """Turn numpy text into a pandas ``str`` column; leave other columns as they are.

    Every text column of the table passes here: sentences (numpy strings) go
    to pandas in one call, texts with few distinct values (periods, statuses,
    categories, notes: object arrays) are converted once per distinct value.
    """
    if isinstance(values, np.ndarray) and values.dtype == STRING:
        return text_array(values)
    if isinstance(values, np.ndarray) and values.dtype == object:
        return category_text(values)  # few distinct texts: categories, notes
    return values


def _whole_numbers(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Return whole-number floats as a nullable ``Int64`` array (NaN is missing)."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)
