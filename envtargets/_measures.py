"""Indicators whose values describe one year only: annual amounts and annual rates.

An indicator's ``measure`` (indicators table) says how its values relate across
years (docs/methodology.md, "Annual amounts and annual rates"):

- ``level``: a state that carries over (a concentration, a share, a cumulative
  total); the default, and the rules of docs/methodology.md apply unchanged;
- ``annual``: an amount counted within one year (facilities built that year);
  only observations within the target year count, and progress is measured
  from zero at the start of that year;
- ``annual_rate``: a rate or change describing one year (a year-on-year
  decrease); only observations within the target year count, but nothing is
  accumulated, so there is no baseline, no pacing and no progress: a
  partial-year value is compared as it stands.

For both within-year measures the trend across years is reported (how the
yearly amounts or rates move) but never decides the status, and there is no
projection; the growth-rate publication methods do not apply.
"""

from __future__ import annotations

import numpy as np

from envtargets._panel import SeriesCodes

LEVEL, ANNUAL, ANNUAL_RATE = "level", "annual", "annual_rate"
WITHIN_YEAR = (ANNUAL, ANNUAL_RATE)

_METHOD_NOTES = {
    ANNUAL: "annual amount: growth-rate methods compare levels across years and do not apply",
    ANNUAL_RATE: "annual rate: growth-rate methods compare levels across years and do not apply",
}


def series_measures(pairs: SeriesCodes, measures: dict[str, str]) -> np.ndarray:
    """Return the measure of each series' indicator (``level`` when not listed or unknown)."""
    listed = pairs.first_mapped(measures)
    return np.where(np.isin(listed, WITHIN_YEAR), listed, LEVEL).astype(object)


def keep_within_target_year(found: dict, within: np.ndarray, t: dict) -> None:
    """Drop, for within-year measures, an observation that began before the target year.

    Runs of months crossing a year boundary were left out of these series
    already, so such an observation lies wholly in an earlier year: the 2022
    count (or rate) says nothing of 2023's. Its period is kept as
    ``earlier_period`` for the status reason.
    """
    starts_month = np.round(found["end"] * 12) - found["months"]  # months since year 0
    outside = within & (starts_month < t["target_year"] * 12)
    found["earlier_period"] = np.where(outside, found["period"], None)
    found["observed"] = np.where(outside, np.nan, found["observed"])
    found["period"] = np.where(outside, None, found["period"])
    found["months"] = np.where(outside, 0, found["months"])
    for flag in ("final", "full_year"):
        found[flag] = found[flag] & ~outside


def apply_baselines(t: dict, measure: np.ndarray) -> None:
    """Set the baseline of within-year measures.

    An annual amount starts from nothing on 1 January, so 时序进度 compares the
    share of the target reached with the share of the year gone: baseline 0 at
    the end of the previous year. A rate is not accumulated, so it has no
    baseline at all, and no progress or time elapsed.
    """
    annual, rate = measure == ANNUAL, measure == ANNUAL_RATE
    t["baseline"] = np.where(annual, 0.0, np.where(rate, np.nan, t["baseline"]))
    t["baseline_year"] = np.where(
        annual, t["target_year"] - 1, np.where(rate, np.nan, t["baseline_year"])
    )
    origin = np.where(annual, "start of target year", np.where(rate, "", t["origin"]))
    t["origin"] = origin.astype(object)


def blank_growth_methods(columns: dict, measure: np.ndarray) -> None:
    """Leave the growth-rate methods empty for within-year measures, saying why."""
    within = np.isin(measure, WITHIN_YEAR)
    if not within.any():
        return
    for name in ("cagr_observed", "cagr_ratio", "linear_ratio"):
        columns[name] = np.where(within, np.nan, columns[name])
    for name in ("cagr_category", "no_target_category", "sdsn_trend"):
        columns[name] = np.where(within, None, columns[name])
    notes = columns["method_note"].copy()
    for kind, note in _METHOD_NOTES.items():
        notes[measure == kind] = note
    columns["method_note"] = notes
