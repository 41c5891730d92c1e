"""Invariants of the evaluation table, checked on generated targets and observations."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envtargets.evaluate import evaluate
from tests.conftest import INFERRED_INDICATOR

# The generated x_index is in no indicators table: the note inferring it is expected.
pytestmark = INFERRED_INDICATOR

COMPARATORS = ["<=", "<", ">=", ">", "==", "between"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Figures as sources print them: one decimal, sometimes equal to the threshold.
figures = st.integers(-3000, 3000).map(lambda k: k / 10)
positive_figures = st.integers(1, 3000).map(lambda k: k / 10)


@st.composite
def single_observations(draw):
    """Targets, each with one full-year observation of its own region in its target year."""
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(COMPARATORS), figures, figures, st.booleans(), st.integers(0, 50)
            ),
            min_size=1,
            max_size=30,
        )
    )
    targets, observations = [], []
    for i, (comparator, value, other, at_threshold, width) in enumerate(rows):
        observed = value if at_threshold else other
        targets.append(
            {
                "target_id": f"t{i}",
                "indicator": "x_index",
                "region": f"r{i}",
                "comparator": comparator,
                "value": value,
                "upper": value + width / 10 if comparator == "between" else np.nan,
                "unit": "1",
                "target_year": 2023,
            }
        )
        observations.append(
            {
                "indicator": "x_index",
                "region": f"r{i}",
                "period": "2023",
                "value": observed,
                "unit": "1",
            }
        )
    return pd.DataFrame(targets), pd.DataFrame(observations)


@SETTINGS
@given(single_observations())
def test_shortfall_is_zero_exactly_when_satisfied_or_at_a_strict_threshold(frames):
    table = evaluate(*frames, validate=False)
    strict = table.comparator.isin(["<", ">"])
    at_threshold = np.isclose(table.observed_value, table.value, rtol=1e-9, atol=0)
    zero = table.shortfall == 0
    expected = table.satisfied.to_numpy(bool) | (strict & at_threshold)
    assert (zero == expected).all()
    assert (table.shortfall >= 0).all()
    # Strict comparators at the threshold: not satisfied, nothing left to close.
    assert not table.satisfied[strict & at_threshold].any()


@SETTINGS
@given(single_observations())
def test_gap_is_observed_minus_value(frames):
    table = evaluate(*frames, validate=False)
    # Figures with one decimal differ by a figure with one decimal, without binary
    # noise: −0.2 − 0.1 is −0.3, not −0.30000000000000004 (snap_difference).
    assert (table.gap == np.round(table.observed_value - table.value, 1)).all()
    assert (table.shortfall == np.round(table.shortfall, 1)).all()
    assert (table.status.isin(["achieved", "not_achieved"])).all()


@st.composite
def panels(draw):
    """A small PM2.5 panel: several regions, years with gaps, partial years, baselines."""
    regions = draw(st.integers(1, 4))
    targets, observations = [], []
    for r in range(regions):
        years = draw(st.lists(st.integers(2010, 2025), min_size=0, max_size=10, unique=True))
        for year in years:
            value = draw(positive_figures)
            observations.append((f"r{r}", str(year), value))
        if draw(st.booleans()):  # a cumulative partial year, months 1 to m
            year, month = draw(st.integers(2015, 2025)), draw(st.integers(1, 11))
            observations.append((f"r{r}", f"{year}-01/{year}-{month:02d}", draw(positive_figures)))
        for k in range(draw(st.integers(1, 3))):
            comparator = draw(st.sampled_from(COMPARATORS))
            value = draw(positive_figures)
            target_year = draw(st.integers(2012, 2030))
            baseline_year = draw(st.one_of(st.none(), st.integers(2009, target_year - 1)))
            given_value = draw(st.one_of(st.none(), positive_figures))
            targets.append(
                {
                    "target_id": f"t{r}-{k}",
                    "indicator": "pm25_annual_mean",
                    "region": f"r{r}",
                    "comparator": comparator,
                    "value": value,
                    "upper": value + draw(st.integers(0, 100)) / 10
                    if comparator == "between"
                    else np.nan,
                    "unit": "µg/m³",
                    "target_year": target_year,
                    "baseline_year": np.nan if baseline_year is None else baseline_year,
                    "baseline_value": np.nan
                    if baseline_year is None or given_value is None
                    else given_value,
                }
            )
    obs = pd.DataFrame(observations, columns=["region", "period", "value"])
    obs.insert(0, "indicator", "pm25_annual_mean")
    obs["unit"] = "µg/m³"
    # Sources that repeat a period repeat its value (validation rejects conflicts).
    obs = obs.drop_duplicates(["region", "period"])
    return pd.DataFrame(targets), obs


def in_milligrams(targets, observations, which):
    """The same data with the chosen observations (and all targets) in mg/m³."""
    targets = targets.copy()
    for column in ("value", "upper", "baseline_value"):
        targets[column] = targets[column] * 0.001
    targets["unit"] = "mg/m³"
    observations = observations.copy()
    chosen = observations.index[which[: len(observations)]]
    observations.loc[chosen, "value"] = observations.loc[chosen, "value"] * 0.001
    observations.loc[chosen, "unit"] = "mg/m3"
    return targets, observations


SAME = [
    "observed_period",
    "provisional",
    "satisfied",
    "status",
    "trend_direction",
    "projected_year_met",
    "baseline_origin",
    "method_note",
]
SCALED = [
    "observed_value",
    "gap",
    "shortfall",
    "trend_slope",
    "projected_value",
    "effective_baseline",
]
RATIOS = ["progress", "time_elapsed", "trend_p", "cagr_observed", "cagr_ratio", "linear_ratio"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels(), st.lists(st.booleans(), min_size=60, max_size=60))
def test_converting_all_inputs_to_other_units_leaves_the_table_unchanged(frames, which):
    before = evaluate(*frames)
    after = evaluate(*in_milligrams(*frames, np.array(which)))
    for column in SAME:
        pd.testing.assert_series_equal(before[column], after[column])
    for column in SCALED:
        # atol: a gap of exactly 0 in one unit is float noise (~1e-15) in another
        np.testing.assert_allclose(before[column], after[column] * 1000, rtol=1e-9, atol=1e-9)
    for column in RATIOS:
        np.testing.assert_allclose(before[column], after[column], rtol=1e-9, atol=1e-12)
    # Categories may only differ if a ratio sits on a threshold to within rounding.
    on_edge = np.isclose(before.cagr_ratio.to_numpy()[:, None], [0.95, 0.6, 0.0], atol=1e-9).any(1)
    same = (before.cagr_category == after.cagr_category) | before.cagr_category.isna()
    assert (same | on_edge).all()
