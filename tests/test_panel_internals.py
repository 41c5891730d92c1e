"""The whole-column building blocks of evaluate: series codes, rounding, text columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envtargets import _panel
from envtargets._panel import factorize_series, snap, snap_difference
from envtargets._text import STRING, category_text, labelled, text_array


def _frames():
    targets = pd.DataFrame({"indicator": ["pm25", "no2", "pm25"], "region": ["A", "A", "B"]})
    observations = pd.DataFrame(
        {"indicator": ["no2", "pm25", "so2", None, "pm25"], "region": ["A", "B", "C", "A", "A"]}
    )
    return targets, observations


def _pairs_of(codes, pairs):
    """The (indicator, region) each row's code stands for (None for code −1)."""
    return [
        None
        if c < 0
        else (pairs.first_labels[pairs.first_of[c]], pairs.second_labels[pairs.second_of[c]])
        for c in codes
    ]


def test_series_codes_name_the_pairs_of_each_row():
    targets, observations = _frames()
    both = pd.concat([targets, observations], ignore_index=True)
    pairs = factorize_series(
        [targets["indicator"], observations["indicator"]],
        [targets["region"], observations["region"]],
    )
    rows = zip(both["indicator"], both["region"], strict=True)
    expected = [None if pd.isna(i) else (i, r) for i, r in rows]
    assert _pairs_of(pairs.codes, pairs) == expected
    # Equal pairs share a code, different pairs do not: (pm25, A), (no2, A),
    # (pm25, B), (so2, C) are codes 0–3; the row without an indicator gets −1.
    assert sorted(set(pairs.codes.tolist())) == [-1, 0, 1, 2, 3]
    assert pairs.codes[6] == -1


def _refuse_bincount(*args, **kwargs):
    raise AssertionError("the table path was taken")


def test_hash_path_is_taken_for_sparse_pairs(monkeypatch):
    # 3,000 indicators × 3,000 regions but only 3,000 rows: numbering through a
    # 9-million-cell table would waste memory, so the pairs are hashed.
    monkeypatch.setattr(np, "bincount", _refuse_bincount)
    names = pd.Series([f"i{k}" for k in range(3000)])
    regions = pd.Series([f"r{k}" for k in range(3000)])
    pairs = factorize_series([names], [regions])
    assert len(pairs.first_of) == 3000
    assert _pairs_of(pairs.codes[:2], pairs) == [("i0", "r0"), ("i1", "r1")]


def test_first_mapped_looks_up_each_indicator():
    targets, observations = _frames()
    pairs = factorize_series([observations["indicator"]], [observations["region"]])
    mapped = pairs.first_mapped({"pm25": "µg/m³", "no2": "µg/m³"})
    by_indicator = dict(zip(pairs.first_labels[pairs.first_of], mapped, strict=True))
    assert by_indicator == {"no2": "µg/m³", "pm25": "µg/m³", "so2": None}


def _snap_by_powers(values):
    """The former formula: 10 ** (11 − magnitude) computed per value."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values) & (values != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.abs(np.where(finite, values, 1.0))))
    scale = 10.0 ** (11 - np.clip(magnitude, -280, 280))
    return np.where(finite, np.round(values * scale) / scale, values)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=40))
def test_snap_matches_the_power_formula(values):
    got, expected = snap(values), _snap_by_powers(values)
    np.testing.assert_array_equal(got, expected)


def test_snap_and_difference_remove_conversion_noise():
    assert snap(0.0151 * 1000) == 15.1  # 15.100000000000001 before rounding
    assert snap_difference(67.6, 65.0) == 2.6
    assert str(snap_difference(-0.0, 0.0)) == "0.0"  # no negative zero
    assert np.isnan(snap(np.nan)) and snap(np.inf) == np.inf and snap(0.0) == 0.0
    assert snap(1.7e308) == 1.7e308


def test_powers_table_covers_the_clipped_magnitudes():
    exponents = 11 - np.array([-280, 280])
    assert _panel._POWERS_OF_TEN[0] == 10.0 ** exponents[1]
    assert _panel._POWERS_OF_TEN[-1] == 10.0 ** exponents[0]


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
def test_text_columns_equal_pandas_own_conversion(storage):
    if storage == "pyarrow":
        pytest.importorskip("pyarrow")
    with pd.option_context("mode.string_storage", storage):
        values = np.array(["≤ 15", None, "达标", ""], dtype=object)
        expected = pd.array(values, dtype="str")
        for got in (text_array(values), text_array(values.astype(STRING)), category_text(values)):
            assert got.dtype == expected.dtype
            pd.testing.assert_extension_array_equal(got, expected)
        taken = labelled(np.array([1, -1, 0, 1]), ["on_track", "达标"])
        assert taken.dtype == expected.dtype
        assert list(pd.Series(taken).fillna("<NA>")) == ["达标", "<NA>", "on_track", "达标"]


def test_text_columns_when_pyarrow_cannot_read_numpy_strings(monkeypatch):
    # pyarrow before 26 refuses numpy's StringDType: the texts go through Python objects.
    pa = pytest.importorskip("pyarrow")
    real_array = pa.array

    def old_pyarrow(values, *args, **kwargs):
        if getattr(values, "dtype", None) == STRING:
            raise pa.ArrowTypeError("Expected a string or bytes dtype, got StringDType")
        return real_array(values, *args, **kwargs)

    monkeypatch.setattr(pa, "array", old_pyarrow)
    with pd.option_context("mode.string_storage", "pyarrow"):
        got = text_array(np.array(["达标", None, "≤ 15"], dtype=STRING))
        pd.testing.assert_extension_array_equal(
            got, pd.array(["达标", None, "≤ 15"], dtype="str")
        )


def test_unvalidated_target_without_region_finds_no_observation():
    from envtargets import evaluate

    pm = "pm25_annual_mean"
    targets = pd.DataFrame(
        {
            "target_id": ["a", "b"],
            "indicator": [pm, pm],
            "region": ["深圳", None],
            "comparator": "<=",
            "value": 15.0,
            "unit": "µg/m³",
            "target_year": 2025,
        }
    )
    observations = pd.DataFrame(
        {
            "indicator": [pm, pm],
            "region": ["深圳", "深圳"],
            "period": ["2020", "2023"],
            "value": [30.0, 20.0],
            "unit": "µg/m³",
        }
    )
    table = evaluate(targets, observations, validate=False)
    assert table["observed_value"].tolist()[0] == 20.0
    assert np.isnan(table["observed_value"].iloc[1])
    assert table["status"].tolist() == ["not_assessable", "no_data"]
