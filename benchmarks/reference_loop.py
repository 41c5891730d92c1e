"""A straightforward per-target loop that applies the same rules as envtargets.evaluate.

This is the baseline the benchmark beats, and an independent, scalar re-reading
of docs/methodology.md: it loops over targets, selects each target's
observations, converts them one by one (pint factors, cached per unit pair),
and calls scipy.stats.theilslopes and a hand-written Mann–Kendall test per
target. It follows every rule, including annual amounts and annual rates
(indicators' ``measure``), runs of months across two years and the rounding of
differences. It is written for clarity, not speed.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from envtargets import methods
from envtargets._panel import snap
from envtargets.evaluate import ADDED_COLUMNS
from envtargets.periods import parse_period
from envtargets.tables import LOCATION_COLUMNS, TARGET_COLUMNS
from envtargets.units import conversion_factor, difference_unit

TOL = 1e-9
SYMBOL = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "="}


def _close(a, b):
    return abs(a - b) <= TOL * max(abs(a), abs(b))


def _sat(x, cmp, value, upper):
    if x is None or math.isnan(x):
        return False
    at = _close(x, value)
    if cmp == "<=":
        return x < value or at
    if cmp == "<":
        return x < value and not at
    if cmp == ">=":
        return x > value or at
    if cmp == ">":
        return x > value and not at
    if cmp == "==":
        return at
    return (x > value or at) and (x < upper or _close(x, upper))


def _shortfall(x, cmp, value, upper):
    if cmp in ("<=", "<"):
        return 0.0 if _close(x, value) else max(_diff(x, value), 0.0)
    if cmp in (">=", ">"):
        return 0.0 if _close(x, value) else max(_diff(value, x), 0.0)
    if cmp == "==":
        return 0.0 if _close(x, value) else abs(_diff(x, value))
    below = 0.0 if _close(x, value) else max(_diff(value, x), 0.0)
    above = 0.0 if _close(x, upper) else max(_diff(x, upper), 0.0)
    return below + above


def _diff(a, b):
    """a − b rounded at the 12th significant digit of the larger of |a| and |b|."""
    d = a - b
    larger = max(abs(a), abs(b)) if not math.isnan(d) else math.nan
    if not math.isfinite(d) or not larger > 0:
        return d
    scale = 10.0 ** (11 - math.floor(math.log10(larger)))
    return round(d * scale) / scale + 0.0


def _snap(x):
    return float(snap(np.array([x]))[0])


def _num(x, spec="%.10g"):
    return spec % (x + 0.0)


def _rule(cmp, value, upper):
    if cmp == "between":
        return f"between {_num(value)} and {_num(upper)}"
    return f"{SYMBOL[cmp]} {_num(value)}"


def _mann_kendall(y):
    n = len(y)
    s = 0
    for i in range(n):
        for j in range(i + 1, n):
            s += (y[j] > y[i]) - (y[j] < y[i])
    counts = {}
    for v in y:
        counts[v] = counts.get(v, 0) + 1
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in counts.values())) / 18
    z = 0.0 if s == 0 or var <= 0 else (s - math.copysign(1, s)) / math.sqrt(var)
    return 2 * stats.norm.sf(abs(z))


def _year_met(slope, intercept, first, cmp, value, upper):
    """First whole year from `first` on in which the line satisfies the target."""
    if math.isnan(slope):
        return None
    start = -math.inf
    if slope != 0:
        to_value, to_upper = (value - intercept) / slope, (upper - intercept) / slope
        if (cmp in ("<=", "<") and slope < 0) or (cmp in (">=", ">") and slope > 0):
            start = to_value
        elif cmp == "between":
            start = to_value if slope > 0 else to_upper
        elif cmp == "==":
            start = to_value
    if cmp == "==" and slope != 0:
        year = max(first, math.ceil(start - 1e-9))
        return year if start >= first - 1e-9 and year <= 9999 else None
    candidate = max(first, math.ceil(start - 1e-9)) if start != -math.inf else first
    for year in (candidate, candidate + 1):
        if year <= 9999 and _sat(intercept + slope * year, cmp, value, upper):
            return year
    return None


def _convert(value, unit, to_unit):
    return _snap(value * conversion_factor(unit, to_unit))


def evaluate_loop(targets, observations, indicators, alpha=0.05):
    """Evaluate targets one at a time (see module docstring)."""
    better_of = dict(zip(indicators["indicator"], indicators["better"], strict=True))
    measures = indicators["measure"] if "measure" in indicators else ["level"] * len(indicators)
    measure_of = dict(zip(indicators["indicator"], measures, strict=True))
    groups = observations.groupby(["indicator", "region"], sort=False).indices
    records = []
    for target in targets.itertuples(index=False):
        measure = measure_of.get(target.indicator)
        measure = measure if measure in ("annual", "annual_rate") else "level"
        records.append(_one(target, observations, groups, better_of, measure, alpha))
    kept = targets.drop(columns=[c for c in LOCATION_COLUMNS if c in targets])
    extras = [c for c in kept.columns if c not in TARGET_COLUMNS]
    added = pd.DataFrame.from_records(records, columns=ADDED_COLUMNS)
    return pd.concat([kept[TARGET_COLUMNS + extras].reset_index(drop=True), added], axis=1)


def _one(t, observations, groups, better_of, measure, alpha):
    cmp, value, upper, ty = t.comparator, t.value, t.upper, int(t.target_year)
    by = None if pd.isna(t.baseline_year) else int(t.baseline_year)
    within_year = measure != "level"  # annual amounts and rates: one year each
    rows = observations.iloc[groups.get((t.indicator, t.region), [])]
    points = []  # (end in months, within one year, months, full_year, year, value, period)
    for o in rows.itertuples(index=False):
        if pd.isna(o.value):
            continue
        p = parse_period(o.period)
        within = p.start_year == p.end_year
        if within_year and not within:
            continue  # a run across two years says nothing of either year alone
        points.append(
            (
                p.end_year * 12 + p.end_month,
                within,
                p.months,
                p.full_year,
                p.year,
                _convert(o.value, o.unit, t.unit),
                o.period,
            )
        )
    before = [q for q in points if q[0] <= (ty + 1) * 12]
    # Latest end; of those ending together, the longest within the end's year.
    latest = max(before, key=lambda q: (q[0], q[1], q[2])) if before else None
    earlier = None
    if within_year and latest is not None and latest[0] - latest[2] < ty * 12:
        earlier, latest = latest[6], None  # another year's amount or rate
    full = {}
    for q in points:
        if q[3]:
            full[q[4]] = q[5]  # a later row for the same year replaces an earlier one
    obs = latest[5] if latest else math.nan
    rec = {"observed_period": latest[6] if latest else None, "observed_value": obs}
    rec["provisional"] = (not latest[3]) if latest else None
    rec["gap"] = _diff(obs, value)
    rec["shortfall"] = _shortfall(obs, cmp, value, upper) if latest else math.nan
    satisfied = _sat(obs, cmp, value, upper)
    rec["satisfied"] = satisfied if latest else None

    if not pd.isna(t.baseline_value):
        baseline, origin = t.baseline_value, "target"
    elif by is not None and by in full:
        baseline, origin = full[by], "observation"
    else:
        baseline, origin = math.nan, ""
    if measure == "annual":  # counted from zero on 1 January of the target year
        baseline, origin, by = 0.0, "start of target year", ty - 1
    elif measure == "annual_rate":  # a rate: no baseline, no pacing
        baseline, origin, by = math.nan, "", None
    towards = value
    if cmp == "between":
        towards = math.nan if value <= baseline <= upper else (upper if baseline > upper else value)
    progress = math.nan
    if not math.isnan(baseline) and not math.isnan(towards) and not _close(towards, baseline):
        progress = _diff(obs, baseline) / _diff(towards, baseline) + 0.0
    elapsed = math.nan
    if latest and by is not None and ty > by:
        elapsed = (latest[0] / 12 - (by + 1)) / (ty - by)
    rec["progress"], rec["time_elapsed"] = progress, elapsed

    years = sorted(y for y in full if y <= ty)
    slope = intercept = p = math.nan
    if len(years) >= 3:
        ys = [full[y] for y in years]
        fit = stats.theilslopes(ys, years)
        slope, intercept, p = fit.slope, fit.intercept, _mann_kendall(ys)
    # The trend of yearly amounts or rates is reported but projects nothing.
    projected = math.nan if within_year else _snap(intercept + slope * ty)
    projected_met = _sat(projected, cmp, value, upper)
    rule, year = _rule(cmp, value, upper), str(ty)
    facts = (latest, satisfied, progress, elapsed, projected, projected_met, rule, year, ty)
    rec.update(_status(rec, *facts, measure, earlier))
    rec["trend_slope"], rec["trend_p"] = slope, p
    better = better_of.get(t.indicator) or (
        "lower" if cmp in ("<=", "<") else "higher" if cmp in (">=", ">") else ""
    )
    rec["trend_direction"] = _direction(slope, p, better, alpha)
    rec["projected_value"] = projected
    first = years[0] if years else math.nan
    met = None if within_year else _year_met(slope, intercept, first, cmp, value, upper)
    rec["projected_year_met"] = met
    if within_year:
        kind = "annual amount" if measure == "annual" else "annual rate"
        rec.update(_EMPTY_METHODS)
        rec["method_note"] = (
            f"{kind}: growth-rate methods compare levels across years and do not apply"
        )
    else:
        rec.update(_methods(t, full, ty, by, baseline, towards, cmp, value, upper, better, latest))
    rec["gap_unit"] = difference_unit(t.unit)
    rec["effective_baseline"], rec["baseline_origin"] = baseline, origin
    return rec


def _direction(slope, p, better, alpha):
    if math.isnan(slope):
        return "insufficient_data"
    if not (p < alpha) or slope == 0:
        return "stable"
    if better in ("lower", "higher"):
        return "improving" if (slope > 0) == (better == "higher") else "worsening"
    return "increasing" if slope > 0 else "decreasing"


def _status(
    rec, latest, satisfied, progress, elapsed, projected, projected_met, rule, year, ty, measure,
    earlier,
):  # fmt: skip
    if latest is None:
        reason = f"no observation ends by the end of {year}"
        if measure != "level":
            reason = f"no observation within {year}"
        if earlier is not None:
            kind = "an annual amount" if measure == "annual" else "the rate"
            reason += (
                f"; the latest ({earlier}) is {kind} of an earlier year, "
                "which does not count towards this year's target"
            )
        return {"status": "no_data", "status_reason": reason}
    obs, period = rec["observed_value"], latest[6]
    final = latest[0] == (ty + 1) * 12 and latest[3]  # exactly the calendar year ty
    if final:
        head = f"full-year {year}"
        verb = "satisfies" if satisfied else "does not satisfy"
        return {
            "status": "achieved" if satisfied else "not_achieved",
            "status_reason": f"{head} value {_num(obs)} {verb} {rule}",
        }
    lead = f"latest value {_num(obs)} ({period})"
    if satisfied:
        return {"status": "on_track", "status_reason": f"{lead} already satisfies {rule}"}
    has_progress = not math.isnan(progress) and elapsed > TOL
    ahead = has_progress and (progress >= elapsed or _close(progress, elapsed))
    progress_words = (
        f"progress {_num(progress, '%.2f')} {'≥' if ahead else '<'} "
        f"time elapsed {_num(elapsed, '%.2f')}"
    )
    has_trend = not math.isnan(projected)
    trend_words = (
        f"the trend line gives {_num(projected, '%.4g')} in {year}, "
        f"{'satisfying' if projected_met else 'not satisfying'} {rule}"
    )
    if ahead:
        return {"status": "on_track", "status_reason": progress_words}
    if has_trend and projected_met:
        return {"status": "on_track", "status_reason": trend_words}
    if has_progress and has_trend:
        return {"status": "off_track", "status_reason": f"{progress_words} and {trend_words}"}
    if has_progress or has_trend:
        words = progress_words if has_progress else trend_words
        return {"status": "off_track", "status_reason": words}
    if measure == "annual_rate":
        ending = "; a rate for part of the year is compared as it stands, without pacing or trend"
    else:
        ending = ", and neither progress since a baseline nor a trend can be measured"
    return {"status": "not_assessable", "status_reason": f"{lead} does not satisfy {rule}{ending}"}


_EMPTY_METHODS = {
    "cagr_observed": math.nan,
    "cagr_ratio": math.nan,
    "cagr_category": None,
    "no_target_category": None,
    "linear_ratio": math.nan,
    "sdsn_trend": None,
}


def _methods(t, full, ty, by, baseline, towards, cmp, value, upper, better, latest):
    empty = dict(_EMPTY_METHODS)
    if by is None:
        return empty | {"method_note": "no baseline year, so no rate of change can be computed"}
    if math.isnan(baseline):
        return empty | {
            "method_note": f"no baseline: no full-year observation of {by} and no baseline_value"
        }
    later = [y for y in full if by < y <= ty]
    if ty <= by:
        return empty | {"method_note": "the target year is not after the baseline year"}
    if not later:
        note = f"no full-year observation after the baseline year {by} up to {ty}"
        if latest is not None and not latest[3]:
            note += " (partial-year figures are not used)"
        last_full = max((y for y in full if y <= ty), default=None)
        if last_full == by and _sat(full[by], cmp, value, upper):
            # Satisfied in the baseline year: rated so, though no rate can be measured.
            note += (
                f", so no rate of change; the categories only record that the {by} value "
                "already satisfies the target"
            )
            return empty | {
                "cagr_category": "target_achieved",
                "sdsn_trend": "on_track",
                "method_note": note,
            }
        return empty | {"method_note": note}
    ly = max(later)
    lv = full[ly]
    achieved = _sat(lv, cmp, value, upper)
    if cmp in ("<=", "<"):
        sign = -1.0
    elif cmp in (">=", ">"):
        sign = 1.0
    else:
        sign = (
            math.nan
            if math.isnan(towards) or towards == baseline
            else math.copysign(1.0, towards - baseline)
        )
    start = methods.ZERO_REPLACEMENT if baseline == 0 else baseline
    end = methods.ZERO_REPLACEMENT if towards == 0 else towards
    observed = float(methods.compound_annual_growth_rate(start, lv, ly - by))
    required = float(methods.compound_annual_growth_rate(start, end, ty - by))
    ratio = float(methods.rate_ratio(observed, required, sign))
    linear = float(
        methods.rate_ratio((lv - baseline) / (ly - by), (towards - baseline) / (ty - by), sign)
    )
    better_sign = 1.0 if better == "higher" else -1.0 if better == "lower" else math.nan
    notes = []
    if math.isnan(observed) or (math.isnan(required) and not math.isnan(towards)):
        notes.append("no compound growth rate: it needs positive values")
    if not achieved and (math.isnan(towards) or _close(towards, baseline) or required == 0):
        notes.append("the baseline already meets the target, so no rate is required")
    if math.isnan(better_sign):
        notes.append("direction of improvement unknown, so no no-target rating")
    return {
        "cagr_observed": observed,
        "cagr_ratio": ratio,
        "cagr_category": methods.cagr_category(ratio, achieved)[()],
        "no_target_category": methods.no_target_category(observed, better_sign)[()],
        "linear_ratio": linear,
        "sdsn_trend": methods.sdsn_trend(linear, achieved)[()],
        "method_note": "; ".join(notes),
    }
