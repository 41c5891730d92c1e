"""Trend of each indicator and region: Theil–Sen slope and Mann–Kendall test.

The statistics are computed for all series at once. Series of equal length
are stacked into a 2-D array, so the pairwise slopes of every series come from
one fancy-indexing step and their medians from one row-wise sort; the only
Python loops run over the distinct series lengths and over memory-bounded
chunks, never over series. See docs/methodology.md, "Trend".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from envtargets._panel import (
    YEAR_BITS,
    build_panel,
    factorize_series,
    ranges_to_indices,
)
from envtargets.indicators import indicator_definitions, indicator_table

TREND_COLUMNS = [
    "indicator",
    "region",
    "unit",
    "n_points",
    "first_year",
    "last_year",
    "slope",
    "slope_low",
    "slope_high",
    "intercept",
    "mk_s",
    "mk_var",
    "p_value",
    "direction",
]

# Statistics that :func:`series_statistics` returns, one value per series.
STATISTICS = ("slope", "slope_low", "slope_high", "intercept", "mk_s", "mk_var", "p_value")

MIN_POINTS = 3
INSUFFICIENT = "insufficient_data"

# Pairwise slopes held in memory at once (each pair costs ~40 bytes of temporaries).
_MAX_PAIRS = 2_000_000


def trend(
    observations: pd.DataFrame, indicators: pd.DataFrame | None = None, *, alpha: float = 0.05
) -> pd.DataFrame:
    r"""Return the trend of every indicator and region over its full-year observations.

    The slope is the Theil–Sen estimator (median of the pairwise slopes [1]_)
    with Sen's confidence interval at level 1 − ``alpha`` [2]_ [4]_; the test is
    Mann–Kendall's S with the tie-corrected variance and a two-sided p-value
    from the normal approximation with continuity correction [3]_ [4]_. Only
    full calendar years count (partial-year figures are not comparable with
    annual ones); of two full-year values for the same year the one listed last
    is used. Values are first converted to the indicator's unit.

    .. math::

        b = \operatorname{median}_{i<j} \frac{y_j - y_i}{x_j - x_i}, \qquad
        S = \sum_{i<j} \operatorname{sgn}(y_j - y_i), \qquad
        Z = \frac{S - \operatorname{sgn}(S)}{\sqrt{\operatorname{Var}(S)}}

    Parameters
    ----------
    observations : pandas.DataFrame
        Columns ``indicator, region, period, value, unit`` (docs/user-guide.md).
    indicators : pandas.DataFrame, optional
        Your indicators (columns ``indicator, unit, better``), which extend the
        bundled table as in :func:`~envtargets.evaluate.evaluate`: your row wins
        over a bundled row of the same id. They give each indicator's unit and
        direction of improvement. For an indicator in no table
        (:func:`envtargets.indicators.complete_indicators`, one note each) the
        unit is that of its first observation and, without targets to give a
        comparator, the direction is unknown.
    alpha : float, default 0.05
        Significance level of the test and 1 − confidence of the slope interval.

    Returns
    -------
    pandas.DataFrame
        One row per (indicator, region) with an observation, columns
        ``indicator, region, unit`` (the unit of slope and intercept, per year),
        ``n_points, first_year, last_year``, ``slope, slope_low, slope_high``
        [unit/year], ``intercept`` [unit; the line's value in year 0, as
        :func:`scipy.stats.theilslopes` gives it], ``mk_s, mk_var, p_value`` and
        ``direction``: ``improving``/``worsening`` (p < alpha, judged by the
        indicator's ``better``), ``increasing``/``decreasing`` (p < alpha, direction
        of improvement unknown), ``stable`` (p ≥ alpha) or ``insufficient_data``
        (fewer than 3 full-year values; the statistics are then NaN).

    References
    ----------
    .. [1] Sen, P. K. (1968). Estimates of the regression coefficient based on
       Kendall's tau. Journal of the American Statistical Association 63(324), 1379–1389.
    .. [2] Theil, H. (1950). A rank-invariant method of linear and polynomial
       regression analysis. Indagationes Mathematicae 12, 85–91.
    .. [3] Mann, H. B. (1945). Nonparametric tests against trend. Econometrica 13,
       245–259; Kendall, M. G. (1975). Rank Correlation Methods, 4th ed. Griffin.
    .. [4] Gilbert, R. O. (1987). Statistical Methods for Environmental Pollution
       Monitoring, chapters 16–17. Van Nostrand Reinhold.
    """
    pairs = factorize_series([observations["indicator"]], [observations["region"]])
    series = pairs.codes
    indicator_of = pairs.first_labels[pairs.first_of]
    region_of = pairs.second_labels[pairs.second_of]
    known = indicator_definitions(indicator_table(indicators, observations=observations))
    units = pairs.first_mapped(known["unit"])
    panel = build_panel(observations, series, units)
    keys, years, values = panel.full_years()
    sizes = np.bincount(keys >> YEAR_BITS, minlength=len(units))
    highs = np.cumsum(sizes)
    stats, n_points, first_year = window_statistics(
        keys, years, values, highs - sizes, highs, alpha
    )
    last_year = np.full(len(sizes), np.nan)
    last_year[sizes > 0] = years[highs[sizes > 0] - 1]
    better = pairs.first_mapped(known["better"])
    table = pd.DataFrame(
        {
            "indicator": pd.array(indicator_of, dtype="str"),
            "region": pd.array(region_of, dtype="str"),
            "unit": pd.array(units, dtype="str"),
            "n_points": n_points,
            "first_year": pd.array(first_year, dtype="Int64"),
            "last_year": pd.array(last_year, dtype="Int64"),
            **{name: stats[name] for name in STATISTICS},
            "direction": direction_labels(stats["slope"], stats["p_value"], better, alpha),
        }
    )
    return table.sort_values(["indicator", "region"], ignore_index=True)


def direction_labels(
    slope: np.ndarray, p_value: np.ndarray, better: np.ndarray, alpha: float
) -> np.ndarray:
    """Name the direction of each trend.

    Parameters
    ----------
    slope : numpy.ndarray [unit/year]
        Theil–Sen slopes (NaN where there are too few points).
    p_value : numpy.ndarray
        Two-sided Mann–Kendall p-values.
    better : numpy.ndarray of object
        ``"lower"``, ``"higher"`` or anything else (unknown) per series.
    alpha : float
        Significance level.

    Returns
    -------
    numpy.ndarray of object
        ``improving``/``worsening`` when p < alpha and ``better`` is known,
        ``increasing``/``decreasing`` when p < alpha and it is not, ``stable``
        otherwise, and ``insufficient_data`` where the slope is NaN.
    """
    significant = (p_value < alpha) & (slope != 0)
    rising = slope > 0
    higher, lower = better == "higher", better == "lower"
    good = (rising & higher) | (~rising & lower)
    known = higher | lower
    return np.select(
        [np.isnan(slope), ~significant, known & good, known, rising],
        [INSUFFICIENT, "stable", "improving", "worsening", "increasing"],
        default="decreasing",
    ).astype(object)


def series_statistics(
    sizes: np.ndarray, x: np.ndarray, y: np.ndarray, alpha: float = 0.05
) -> dict[str, np.ndarray]:
    """Theil–Sen slope, Sen's interval and the Mann–Kendall test of many series at once.

    Parameters
    ----------
    sizes : numpy.ndarray of int
        Number of points of each series; the series lie one after the other in
        ``x`` and ``y``.
    x : numpy.ndarray of float64 [year]
        Times, strictly increasing within each series.
    y : numpy.ndarray of float64 [unit]
        Values, without NaN.
    alpha : float
        1 − confidence level of the slope interval.

    Returns
    -------
    dict of numpy.ndarray
        ``slope, slope_low, slope_high`` [unit/year], ``intercept`` [unit] (as
        ``median(y) − slope · median(x)``, scipy's ``method="separate"``),
        ``mk_s``, ``mk_var`` and ``p_value``, one value per series; NaN for
        series with fewer than 3 points.
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    result = {name: np.full(len(sizes), np.nan) for name in STATISTICS}
    # scipy's z, negative: the interval ranks below are then bit-identical to scipy's.
    z = ndtri(alpha / 2)
    for n in np.unique(sizes[sizes >= MIN_POINTS]):  # a loop over lengths, not over series
        members = np.flatnonzero(sizes == n)
        left, right = np.triu_indices(n, 1)
        per_chunk = max(1, _MAX_PAIRS // len(left))
        for first in range(0, len(members), per_chunk):
            chosen = members[first : first + per_chunk]
            grid = starts[chosen, None] + np.arange(n)
            block = _block_statistics(x[grid], y[grid], left, right, z)
            for name in STATISTICS:
                result[name][chosen] = block[name]
    return result


def _block_statistics(
    xs: np.ndarray, ys: np.ndarray, left: np.ndarray, right: np.ndarray, z: float
) -> dict[str, np.ndarray]:
    """Statistics of m series of n points each, given as m × n arrays."""
    n = xs.shape[1]
    rises = np.take(ys, right, axis=1) - np.take(ys, left, axis=1)  # take: faster than [:, idx]
    if (xs == xs[:1]).all():  # the same years in every series: one row of year gaps will do
        runs = xs[0, right] - xs[0, left]
    else:
        runs = np.take(xs, right, axis=1) - np.take(xs, left, axis=1)
    slopes = rises / runs
    mk_s = np.count_nonzero(rises > 0, axis=1) - np.count_nonzero(rises < 0, axis=1)
    slopes.sort(axis=1)
    pairs = slopes.shape[1]
    median = 0.5 * (slopes[:, (pairs - 1) // 2] + slopes[:, pairs // 2])

    sorted_y = np.sort(ys, axis=1)
    mk_var = (n * (n - 1) * (2 * n + 5) - _tie_terms(sorted_y)) / 18.0
    sigma = np.sqrt(mk_var)
    # Sen (1968), eq. 2.6, with the rounding of scipy.stats.theilslopes.
    upper = np.minimum(np.rint((pairs - z * sigma) / 2.0), pairs - 1).astype(np.int64)
    lower = np.maximum(np.rint((pairs + z * sigma) / 2.0) - 1, 0).astype(np.int64)

    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(mk_s == 0, 0.0, (mk_s - np.sign(mk_s)) / sigma)
    score = np.where(sigma > 0, score, 0.0)
    median_y = 0.5 * (sorted_y[:, (n - 1) // 2] + sorted_y[:, n // 2])
    median_x = 0.5 * (xs[:, (n - 1) // 2] + xs[:, n // 2])
    return {
        "slope": median,
        "slope_low": np.take_along_axis(slopes, lower[:, None], axis=1)[:, 0],
        "slope_high": np.take_along_axis(slopes, upper[:, None], axis=1)[:, 0],
        "intercept": median_y - median * median_x,
        "mk_s": mk_s,
        "mk_var": mk_var,
        "p_value": 2.0 * ndtr(-np.abs(score)),
    }


def _tie_terms(sorted_rows: np.ndarray) -> np.ndarray:
    """Return Σ t(t − 1)(2t + 5) over the groups of tied values of each row."""
    rows, n = sorted_rows.shape
    starts_run = np.ones((rows, n), dtype=bool)
    starts_run[:, 1:] = sorted_rows[:, 1:] != sorted_rows[:, :-1]
    flat = starts_run.ravel()
    lengths = np.bincount(np.cumsum(flat) - 1).astype(np.float64)
    run_rows = np.repeat(np.arange(rows), n)[flat]
    terms = lengths * (lengths - 1) * (2 * lengths + 5)
    return np.bincount(run_rows, weights=terms, minlength=rows)


def window_statistics(
    keys: np.ndarray,
    years: np.ndarray,
    values: np.ndarray,
    lows: np.ndarray,
    highs: np.ndarray,
    alpha: float,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Trend statistics of windows ``[low, high)`` of the full-year arrays.

    Windows that are identical (same series, same last year) are computed once.

    Parameters
    ----------
    keys, years, values : numpy.ndarray
        Full-year rows as :meth:`~envtargets._panel.Panel.full_years` returns them.
    lows, highs : numpy.ndarray of int64
        First and one-past-last row of each window.
    alpha : float
        Significance level.

    Returns
    -------
    stats : dict of numpy.ndarray
        As :func:`series_statistics`, one value per window.
    n_points : numpy.ndarray of int64
        Points in each window.
    first_year : numpy.ndarray of float64
        First year of each window (NaN when empty).
    """
    sizes = highs - lows
    pair = lows.astype(np.int64) * (len(keys) + 1) + highs
    unique, inverse = np.unique(pair, return_inverse=True)
    unique_lows, unique_sizes = unique // (len(keys) + 1), unique % (len(keys) + 1)
    unique_sizes = unique_sizes - unique_lows
    rows = ranges_to_indices(unique_lows, unique_sizes)
    stats = series_statistics(unique_sizes, years[rows].astype(np.float64), values[rows], alpha)
    first = np.full(len(sizes), np.nan)
    first[sizes > 0] = years[lows[sizes > 0]]
    return {name: stats[name][inverse] for name in STATISTICS}, sizes, first
