r"""How publications rate progress: Eurostat/Open SDG growth-rate ratios and SDSN trends.

Pure, vectorised functions of numpy arrays (scalars work too). They compare the
rate at which an indicator moved from its baseline to its latest full-year
value with the rate that would reach the target on time:

- the Eurostat method, as the Open SDG platform implements it: the ratio of
  the observed to the required compound annual growth rate (CAGR), and its
  four categories; and Eurostat's rule for indicators without a numeric
  target, which rates the observed CAGR alone;
- the SDSN Sustainable Development Report trend dashboards: the same ratio
  with linear rates, and their four trend arrows.

Years are calendar years: the baseline year, the year of the latest
full-year value and the target year. Zero baseline or target values are
replaced by 0.001 before a CAGR is taken, as Open SDG does. See
docs/methodology.md, "Publication methods", for the sources and the choices.

References
----------
.. [1] Eurostat (2023). Sustainable development in the European Union —
   Monitoring report on progress towards the SDGs in an EU context, annex
   "Methodological notes". Publications Office of the European Union.
.. [2] Open SDG. Progress Measurement Methodology for the Sustainable Development
   Goals. https://open-sdg.readthedocs.io/en/latest/progress-methodology/ and the
   implementation ``sdg/ProgressMeasure.py`` in https://github.com/open-sdg/sdg-build.
.. [3] Sachs, J. D., Lafortune, G., Fuller, G., Drumm, E. (2024). Sustainable
   Development Report 2024, Annex "Methods summary and data tables" (SDG Trend
   Dashboards). Dublin University Press / SDSN. https://dashboards.sdgindex.org/chapters/methodology
"""

from __future__ import annotations

import numpy as np

ZERO_REPLACEMENT = 0.001
"""Stand-in for a zero baseline or target value in a CAGR (Open SDG's default)."""

CAGR_THRESHOLDS = (0.95, 0.60, 0.0)
"""Ratio thresholds of on track / needs acceleration / limited progress (Eurostat, Open SDG)."""

SDSN_THRESHOLDS = (1.0, 0.5, 0.0)
"""Ratio thresholds of on track / moderately improving / stagnating (SDSN)."""

NO_TARGET_THRESHOLDS = (0.01, 0.0, -0.01)
"""Growth-rate thresholds [1/year] of Eurostat's rule for indicators without a target."""

CAGR_CATEGORIES = (
    "target_achieved",
    "on_track",
    "progress_needs_acceleration",
    "limited_progress",
    "deterioration",
)
SDSN_TRENDS = ("on_track", "moderately_improving", "stagnating", "decreasing")
NO_TARGET_CATEGORIES = (
    "significant_progress",
    "moderate_progress",
    "moderate_movement_away",
    "significant_movement_away",
)


def replace_zero(values: np.ndarray) -> np.ndarray:
    """Replace exact zeros by :data:`ZERO_REPLACEMENT` (Open SDG's rule for CAGRs).

    Parameters
    ----------
    values : array-like [unit]
        Baseline or target values.

    Returns
    -------
    numpy.ndarray [unit]
        The values, with 0 replaced by 0.001.
    """
    values = np.asarray(values, dtype=np.float64)
    return np.where(values == 0, ZERO_REPLACEMENT, values)


def compound_annual_growth_rate(start: np.ndarray, end: np.ndarray, years: np.ndarray):
    r"""Return the compound annual growth rate from ``start`` to ``end``.

    .. math:: \mathrm{CAGR} = \left(\frac{y_\mathrm{end}}{y_\mathrm{start}}\right)^{1/\Delta t} - 1

    Parameters
    ----------
    start, end : array-like [unit]
        Values at the two ends; the rate exists only when both are positive
        (``start`` > 0, ``end`` ≥ 0).
    years : array-like [year]
        Time between them, > 0.

    Returns
    -------
    numpy.ndarray [1/year]
        The rate, NaN where it does not exist.

    References
    ----------
    .. [1] Open SDG, ``growth_calculation`` in ``sdg/ProgressMeasure.py`` (sdg-build).
    """
    start, end, years = (np.asarray(a, dtype=np.float64) for a in (start, end, years))
    valid = (start > 0) & (end >= 0) & (years > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (end / start) ** (1.0 / years) - 1.0
    return np.where(valid, rate, np.nan)


def linear_annual_rate(start: np.ndarray, end: np.ndarray, years: np.ndarray):
    r"""Return the linear annual rate of change from ``start`` to ``end``.

    .. math:: r = \frac{y_\mathrm{end} - y_\mathrm{start}}{\Delta t}

    Parameters
    ----------
    start, end : array-like [unit]
        Values at the two ends.
    years : array-like [year]
        Time between them, > 0.

    Returns
    -------
    numpy.ndarray [unit/year]
        The rate, NaN where ``years`` ≤ 0.
    """
    start, end, years = (np.asarray(a, dtype=np.float64) for a in (start, end, years))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(years > 0, (end - start) / years, np.nan)


def rate_ratio(observed: np.ndarray, required: np.ndarray, direction: np.ndarray) -> np.ndarray:
    r"""Return the ratio of the observed to the required rate, signed by the desired direction.

    .. math:: R = \frac{d \cdot r_\mathrm{observed}}{\lvert r_\mathrm{required} \rvert}

    With ``d`` = +1 when higher is better and −1 when lower is better, R ≥ 1
    means the indicator moves the right way at least as fast as needed and
    R < 0 that it moves the wrong way. Where the required rate points the
    desired way (the usual case) this equals the plain ratio
    :math:`r_\mathrm{observed}/r_\mathrm{required}` of Eurostat and Open SDG;
    the sign ``d`` keeps the verdict right when the baseline already lay beyond
    the target (Open SDG's edge-case rule).

    Parameters
    ----------
    observed, required : array-like [1/year or unit/year]
        Rates of the same kind.
    direction : array-like
        +1, −1, or NaN (unknown).

    Returns
    -------
    numpy.ndarray
        The ratio; NaN where a rate or the direction is missing or the
        required rate is 0.

    References
    ----------
    .. [1] Open SDG, Progress Measurement Methodology, "Indicators with quantitative targets".
    """
    observed, required, direction = (
        np.asarray(a, dtype=np.float64) for a in (observed, required, direction)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = direction * observed / np.abs(required)
    return np.where(required != 0, ratio, np.nan)


def cagr_category(ratio: np.ndarray, achieved: np.ndarray) -> np.ndarray:
    """Rate progress towards a quantified target by the CAGR ratio (Eurostat, Open SDG).

    Parameters
    ----------
    ratio : array-like
        Observed over required CAGR, from :func:`rate_ratio`.
    achieved : array-like of bool
        Whether the latest value already satisfies the target.

    Returns
    -------
    numpy.ndarray of object
        ``target_achieved``; else ``on_track`` (ratio ≥ 0.95),
        ``progress_needs_acceleration`` (≥ 0.6), ``limited_progress`` (≥ 0),
        ``deterioration`` (< 0); None where the ratio is NaN and the target is
        not achieved.

    References
    ----------
    .. [1] Open SDG, ``update_progress_thresholds`` and ``get_progress_status`` in
       ``sdg/ProgressMeasure.py`` (thresholds 0.95, 0.6, 0).
    """
    return _categorise(ratio, achieved, CAGR_THRESHOLDS, CAGR_CATEGORIES)


def sdsn_trend(ratio: np.ndarray, achieved: np.ndarray) -> np.ndarray:
    """Rate a trend as the SDSN SDG Trend Dashboards do, from the linear-rate ratio.

    Parameters
    ----------
    ratio : array-like
        Observed over required linear rate, from :func:`rate_ratio`.
    achieved : array-like of bool
        Whether the latest value already satisfies the target ("maintaining
        SDG achievement" counts as on track).

    Returns
    -------
    numpy.ndarray of object
        ``on_track`` (achieved, or ratio ≥ 1), ``moderately_improving`` (≥ 0.5),
        ``stagnating`` (≥ 0), ``decreasing`` (< 0); None where the ratio is NaN
        and the target is not achieved.

    References
    ----------
    .. [1] SDSN, Sustainable Development Report, annex "Methods summary", SDG
       Trend Dashboards: on track when the rate reaches the one required by
       the target year, moderately improving above 50 % of it, stagnating
       below 50 %, decreasing when the indicator moves away.
    """
    achieved = np.asarray(achieved, dtype=bool)
    rated = _categorise(ratio, np.zeros_like(achieved), SDSN_THRESHOLDS, (None, *SDSN_TRENDS))
    return np.where(achieved, "on_track", rated).astype(object)


def no_target_category(growth: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Rate an indicator without a numeric target by its growth rate (Eurostat).

    Parameters
    ----------
    growth : array-like [1/year]
        Observed compound annual growth rate.
    direction : array-like
        +1 when higher is better, −1 when lower is better, NaN when unknown.

    Returns
    -------
    numpy.ndarray of object
        With g = direction · growth: ``significant_progress`` (g > 1 %/year),
        ``moderate_progress`` (0 ≤ g ≤ 1 %), ``moderate_movement_away``
        (−1 % ≤ g < 0), ``significant_movement_away`` (g < −1 %); None where g is NaN.

    References
    ----------
    .. [1] Eurostat, SDG monitoring report, "Methodological notes": assessment of
       indicators without a quantified EU target by their average annual growth rate.
    """
    growth = np.asarray(direction, dtype=np.float64) * np.asarray(growth, dtype=np.float64)
    high, zero, low = NO_TARGET_THRESHOLDS
    codes = np.full(growth.shape, 3, dtype=np.intp)
    codes[growth >= low] = 2
    codes[growth >= zero] = 1
    codes[growth > high] = 0
    codes[np.isnan(growth)] = 4  # the None appended below
    return _labels(codes, (*NO_TARGET_CATEGORIES, None))


def _categorise(ratio, achieved, thresholds, labels) -> np.ndarray:
    """Map ratios to labels: labels[0] where achieved, then by descending thresholds."""
    ratio, achieved = np.broadcast_arrays(
        np.asarray(ratio, dtype=np.float64), np.asarray(achieved, dtype=bool)
    )
    high, middle, low = thresholds
    # Integer codes, then one look-up: np.select on object arrays is slow at scale.
    codes = np.full(ratio.shape, 4, dtype=np.intp)
    codes[ratio >= low] = 3
    codes[ratio >= middle] = 2
    codes[ratio >= high] = 1
    codes[np.isnan(ratio)] = 5  # the None appended below
    codes[achieved] = 0
    return _labels(codes, (*labels[:5], None))


def _labels(codes: np.ndarray, labels: tuple) -> np.ndarray:
    """Return ``labels[codes]`` as an object array of the shape of ``codes`` (0-d too)."""
    result = np.empty(codes.shape, dtype=object)
    result[...] = np.array(labels, dtype=object)[codes]
    return result
