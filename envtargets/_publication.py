"""The publication methods as evaluation columns, with a note where one cannot be applied.

The arithmetic lives in :mod:`envtargets.methods`; this module picks its
inputs for every target (effective baseline, latest full-year value up to the
target year, the threshold progress is measured towards) and says in
``method_note`` why a method has no value instead of inventing one.
"""

from __future__ import annotations

import numpy as np

from envtargets import methods
from envtargets._panel import in_target_unit
from envtargets._reasons import format_numbers
from envtargets._status import close, improvement_sign, satisfies

METHOD_COLUMNS = [
    "cagr_observed",
    "cagr_ratio",
    "cagr_category",
    "no_target_category",
    "linear_ratio",
    "sdsn_trend",
    "method_note",
]


def method_columns(t: dict, found: dict, better: np.ndarray) -> dict:
    """Return the publication-method columns, from the baseline and latest full year."""
    code, value, upper, baseline, towards = (
        t[k] for k in ("code", "value", "upper", "baseline", "towards")
    )
    latest = in_target_unit(found["latest_full"], t["factor"])
    base_year, latest_year, target_year = (
        t["baseline_year"],
        found["latest_full_year"],
        t["target_year"],
    )
    usable = ~np.isnan(baseline) & (latest_year > base_year) & (target_year > base_year)
    achieved = usable & satisfies(latest, value, upper, code)
    # The latest full year is the baseline year itself: no rate can be measured,
    # but a target already satisfied is rated so (`target_achieved`, `on_track`).
    at_baseline = ~np.isnan(baseline) & (latest_year == base_year) & (target_year > base_year)
    met_at_baseline = at_baseline & satisfies(latest, value, upper, code)
    sign = improvement_sign(code, baseline, towards)
    start = methods.replace_zero(baseline)
    observed_cagr = methods.compound_annual_growth_rate(start, latest, latest_year - base_year)
    required_cagr = methods.compound_annual_growth_rate(
        start, methods.replace_zero(towards), target_year - base_year
    )
    cagr_ratio = methods.rate_ratio(observed_cagr, required_cagr, sign)
    linear_ratio = methods.rate_ratio(
        methods.linear_annual_rate(baseline, latest, latest_year - base_year),
        methods.linear_annual_rate(baseline, towards, target_year - base_year),
        sign,
    )
    better_sign = np.select([better == "higher", better == "lower"], [1.0, -1.0], np.nan)
    blank = np.where(usable, 1.0, np.nan)
    return {
        "cagr_observed": observed_cagr * blank,
        "cagr_ratio": cagr_ratio * blank,
        "cagr_category": (
            np.select(
                [usable, met_at_baseline],
                [methods.cagr_category(cagr_ratio, achieved), "target_achieved"],
                None,
            )
        ),
        "no_target_category": (
            np.where(usable, methods.no_target_category(observed_cagr, better_sign), None)
        ),
        "linear_ratio": linear_ratio * blank,
        "sdsn_trend": (
            np.select(
                [usable, met_at_baseline],
                [methods.sdsn_trend(linear_ratio, achieved), "on_track"],
                None,
            )
        ),
        "method_note": (
            _method_notes(
                t,
                found,
                usable,
                achieved,
                observed_cagr,
                required_cagr,
                better_sign,
                met_at_baseline,
            )
        ),
    }


def _method_notes(
    t, found, usable, achieved, observed_cagr, required_cagr, better_sign, met_at_baseline
):
    """Why a publication method has no value: one sentence, or "" when all apply."""
    baseline, towards = t["baseline"], t["towards"]
    base_year = format_numbers(t["baseline_year"], "%d")
    no_year = np.isnan(t["baseline_year"])
    not_found = ~no_year & np.isnan(baseline)
    too_late = ~no_year & ~not_found & (t["target_year"] <= t["baseline_year"])
    notes = np.where(usable, "", "no baseline year, so no rate of change can be computed")
    notes = notes.astype(object)
    rows = np.flatnonzero(not_found)
    notes[rows] = "no baseline: no full-year observation of " + base_year[rows]
    notes[rows] += " and no baseline_value"
    notes[too_late] = "the target year is not after the baseline year"
    rows = np.flatnonzero(~usable & ~no_year & ~not_found & ~too_late)
    partial = ~np.isnan(found["observed"][rows]) & ~found["full_year"][rows]
    # Already satisfied in the baseline year: the categories say so, the ratios stay empty.
    met = met_at_baseline[rows]
    notes[rows] = (
        "no full-year observation after the baseline year "
        + base_year[rows]
        + " up to "
        + format_numbers(t["target_year"][rows], "%d")
        + np.where(partial, " (partial-year figures are not used)", "").astype(object)
        + np.where(
            met,
            ", so no rate of change; the categories only record that the "
            + base_year[rows]
            + " value already satisfies the target",
            "",
        ).astype(object)
    )
    extras = [
        (
            np.isnan(observed_cagr) | (np.isnan(required_cagr) & ~np.isnan(towards)),
            "no compound growth rate: it needs positive values",
        ),
        (
            ~achieved & (np.isnan(towards) | close(towards, baseline) | (required_cagr == 0)),
            "the baseline already meets the target, so no rate is required",
        ),
        (np.isnan(better_sign), "direction of improvement unknown, so no no-target rating"),
    ]
    for condition, words in extras:  # three fixed notes, not a loop over targets
        rows = np.flatnonzero(usable & condition)
        notes[rows] = np.where(notes[rows] == "", words, notes[rows] + "; " + words)
    return notes
