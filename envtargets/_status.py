"""Comparator arithmetic and the status rules of docs/methodology.md, on whole columns.

Comparators are coded as small integers once; every function then works on
numpy arrays. Two numbers within one part in 10⁹ of each other count as
equal, so a unit conversion's rounding can never turn "≤ 15" into a miss.
"""

from __future__ import annotations

import numpy as np

from envtargets._panel import snap_difference
from envtargets._reasons import explain_all
from envtargets.tables import COMPARATORS

LE, LT, GE, GT, EQ, BETWEEN = range(6)
CODES = dict(zip(COMPARATORS, range(6), strict=True))

STATUSES = ("no_data", "achieved", "not_achieved", "on_track", "off_track", "not_assessable")

RELATIVE_TOLERANCE = 1e-9
LAST_YEAR = 9999  # projections beyond four-digit years count as never


def close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return whether a and b agree to one part in 10⁹ (both 0 counts as equal)."""
    return np.abs(a - b) <= RELATIVE_TOLERANCE * np.maximum(np.abs(a), np.abs(b))


def satisfies(x, value, upper, code) -> np.ndarray:
    """Return whether x satisfies each comparator (False where x is NaN).

    Parameters
    ----------
    x, value, upper : numpy.ndarray [target unit]
        Values to test, thresholds, and upper bounds (``between`` only).
    code : numpy.ndarray of int
        Comparator codes (``LE`` … ``BETWEEN``).
    """
    at_value, at_upper = close(x, value), close(x, upper)
    return np.select(
        [code == LE, code == LT, code == GE, code == GT, code == EQ],
        [
            (x < value) | at_value,
            (x < value) & ~at_value,
            (x > value) | at_value,
            (x > value) & ~at_value,
            at_value,
        ],
        default=((x > value) | at_value) & ((x < upper) | at_upper),
    )


def shortfall(x, value, upper, code) -> np.ndarray:
    """Return how far x still is from satisfying its comparator (≥ 0, NaN where x is NaN).

    ``<``/``>`` at equality give 0: the value is at the threshold, though not past it.
    Differences are rounded as :func:`~envtargets._panel.snap_difference` does.
    """
    below = np.where(close(x, value), 0.0, np.maximum(snap_difference(value, x), 0.0))
    above = np.where(close(x, value), 0.0, np.maximum(snap_difference(x, value), 0.0))
    above_upper = np.where(close(x, upper), 0.0, np.maximum(snap_difference(x, upper), 0.0))
    return np.select(
        [np.isnan(x), (code == LE) | (code == LT), (code == GE) | (code == GT), code == EQ],
        [np.nan, above, below, below + above],
        default=below + np.nan_to_num(above_upper),
    )


def comparator_direction(code: np.ndarray) -> np.ndarray:
    """Return ``lower``/``higher`` where the comparator says which is better, else ``""``."""
    return np.select(
        [(code == LE) | (code == LT), (code == GE) | (code == GT)], ["lower", "higher"], default=""
    ).astype(object)


def progress_target(baseline, value, upper, code) -> np.ndarray:
    """Return the threshold that progress is measured towards.

    ``value`` for every comparator but ``between``, where it is the bound of the
    range nearest to the baseline (NaN when the baseline lies in the range).
    """
    inside = (baseline >= value) & (baseline <= upper)
    nearest = np.where(baseline > upper, upper, value)
    return np.where(code == BETWEEN, np.where(inside, np.nan, nearest), value)


def improvement_sign(code, baseline, target) -> np.ndarray:
    """Return +1 where higher values are better for the target, −1 where lower are, else NaN.

    ``==`` and ``between`` improve towards the target from the baseline.
    """
    towards = np.sign(target - baseline)
    sign = np.select(
        [(code == LE) | (code == LT), (code == GE) | (code == GT)], [-1.0, 1.0], default=towards
    )
    return np.where(sign == 0, np.nan, sign)


def first_year_met(slope, intercept, first_year, value, upper, code) -> np.ndarray:
    """Return the first whole year from ``first_year`` on in which the line satisfies the target.

    The line is ``intercept + slope · year``. For ``==`` it is the first year at
    or after the line reaches the value. NaN when the line never gets there
    (before year 9999) or there is no line.

    Parameters
    ----------
    slope : numpy.ndarray [unit/year]
    intercept : numpy.ndarray [unit]
    first_year : numpy.ndarray [year]
        First year of the data the line was fitted to.
    value, upper : numpy.ndarray [unit]
    code : numpy.ndarray of int
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        to_value = (value - intercept) / slope
        to_upper = (upper - intercept) / slope
    rising, falling = slope > 0, slope < 0
    # The satisfying years of a straight line form one interval; its lower end:
    start = np.select(
        [
            ((code == LE) | (code == LT)) & falling,
            ((code == GE) | (code == GT)) & rising,
            (code == BETWEEN) & rising,
            (code == BETWEEN) & falling,
            code == EQ,
        ],
        [to_value, to_value, to_value, to_upper, np.where(slope == 0, -np.inf, to_value)],
        default=-np.inf,
    )
    candidate = np.maximum(first_year, np.ceil(start - 1e-9))
    result = np.full(candidate.shape, np.nan)
    for shift in (1.0, 0.0):  # the next year as well, for a strict comparator met exactly
        year = candidate + shift
        line = intercept + slope * year
        met = satisfies(line, value, upper, code)
        # `==`: a line that moves through the value meets it at the crossing year.
        met |= (code == EQ) & (slope != 0) & np.isfinite(start) & (start >= first_year - 1e-9)
        result = np.where(met & (year <= LAST_YEAR), year, result)
    return result


def decide_status(facts: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Apply the status rules of docs/methodology.md in order and say which rule decided.

    Parameters
    ----------
    facts : dict of numpy.ndarray
        ``observed`` [unit], ``period`` (text), ``final`` (the observation covers
        the whole target year), ``full_year``, ``satisfied``, ``progress``,
        ``time_elapsed``, ``projected`` [unit] (trend line at the target year),
        ``projected_met``, ``target_year``, ``value``, ``upper``, ``code``;
        optionally ``measure`` and ``earlier_period``, which only change the
        wording of the reasons (:func:`envtargets._reasons.explain_all`). A trend
        that must not decide (annual amounts and rates) is passed as a NaN
        ``projected``.

    Returns
    -------
    status : numpy.ndarray of object
        The status of each target.
    reasons : dict of numpy.ndarray
        By language (``"en"``, ``"zh"``), one sentence per target naming the
        rule that decided and its numbers.
    """
    f = facts
    # An observation at the baseline says nothing about the pace: progress and
    # time elapsed are both 0 there, so the rule needs some time to have passed.
    has_progress = ~np.isnan(f["progress"]) & (f["time_elapsed"] > RELATIVE_TOLERANCE)
    ahead = has_progress & (
        (f["progress"] >= f["time_elapsed"]) | close(f["progress"], f["time_elapsed"])
    )
    has_trend = ~np.isnan(f["projected"])
    conditions = [
        np.isnan(f["observed"]),
        f["final"] & f["satisfied"],
        f["final"],
        f["satisfied"],
        ahead,
        has_trend & f["projected_met"],
        has_progress | has_trend,
    ]
    rule_number = np.select(conditions, np.arange(len(conditions)), default=len(conditions))
    status = np.array(STATUS_OF_RULE, dtype=object)[rule_number]
    facts = {**f, "has_progress": has_progress, "has_trend": has_trend, "ahead": ahead}
    return status, explain_all(rule_number, facts)  # "en" and "zh", sharing the numbers


STATUS_OF_RULE = (
    "no_data",
    "achieved",
    "not_achieved",
    "on_track",
    "on_track",
    "on_track",
    "off_track",
    "not_assessable",
)
