"""Percentile statistics of many groups at once (HJ 663: k = 1 + (n − 1)·p)."""

from __future__ import annotations

import numpy as np


def percentiles(groups: np.ndarray, values: np.ndarray, n_groups: int, pct: int) -> np.ndarray:
    """Percentile of each group's values, k = 1 + (n − 1)·p with linear interpolation.

    Parameters
    ----------
    groups : numpy.ndarray of int
        Group code of each value (0 … n_groups − 1).
    values : numpy.ndarray of float
        Values; NaN values are left out.
    n_groups : int
        Number of groups.
    pct : int
        Percentile p in percent (98, 95, 90).

    Returns
    -------
    numpy.ndarray
        One percentile per group, NaN for a group without values. Equal to
        numpy's default (``linear``) method.

    References
    ----------
    .. [1] HJ 663—2013, 5.2 (percentile calculation).

    Examples
    --------
    >>> values = np.array([12, 15, 18, 20, 22, 25, 30, 35, 40, 60.0])
    >>> float(percentiles(np.zeros(10, dtype=int), values, 1, 90)[0])
    42.0
    """
    keep = ~np.isnan(values)
    groups, values = groups[keep], values[keep]
    order = np.lexsort((values, groups))
    ordered = values[order]
    counts = np.bincount(groups, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    # k = 1 + (n − 1)·p in integer arithmetic (p in whole percent): s = ⌊k⌋ and the
    # fraction k − s are then exact, so 42.0 comes out as 42.0, not 41.99999999999999.
    scaled = (np.maximum(counts, 1) - 1) * int(pct)
    s = 1 + scaled // 100
    fraction = (scaled % 100) / 100
    low = starts + s - 1
    high = starts + np.minimum(s, np.maximum(counts, 1) - 1)
    safe = len(ordered) > 0
    lo = ordered[np.clip(low, 0, len(ordered) - 1)] if safe else np.zeros(n_groups)
    hi = ordered[np.clip(high, 0, len(ordered) - 1)] if safe else np.zeros(n_groups)
    result = lo + fraction * (hi - lo)
    return np.where(counts > 0, result, np.nan)
