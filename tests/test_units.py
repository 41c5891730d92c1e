import pickle

import numpy as np
import pandas as pd
import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

from envtargets import UnitError, convert, format_unit, parse_unit
from envtargets.units import conversion_factor, difference_unit, is_percent, registry


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("微克/立方米", "microgram / meter ** 3"),
        ("µg/m³", "microgram / meter ** 3"),  # micro sign
        ("μg/m³", "microgram / meter ** 3"),  # Greek mu
        ("ug/m3", "microgram / meter ** 3"),  # pint alone cannot parse this
        ("µg m-3", "microgram / meter ** 3"),
        ("µg·m⁻³", "microgram / meter ** 3"),
        ("㎍/㎥", "microgram / meter ** 3"),
        ("毫克/立方米", "milligram / meter ** 3"),
        ("mg/m3", "milligram / meter ** 3"),
        ("%", "percent"),
        ("％", "percent"),
        ("个百分点", "percentage_point"),
        ("pp", "percentage_point"),
        ("立方米/万元", "meter ** 3 / wan_yuan"),
        ("万立方米/年", "10000 * meter ** 3 / year"),
        ("公里", "kilometer"),
        ("平方公里", "kilometer ** 2"),
        ("万元", "wan_yuan"),
        ("亿元", "yi_yuan"),
        ("个", "count"),
        ("家", "count"),
        ("项", "count"),
        ("件", "count"),
        ("座", "count"),
        ("万吨/年", "10000 * tonne / year"),
        ("dB(A)", "decibel_a"),
        ("微克每立方米", "microgram / meter ** 3"),  # 每 is "per"
        ("毫克每立方米", "milligram / meter ** 3"),
        ("纳克每立方米", "nanogram / meter ** 3"),
        ("纳克/立方米", "nanogram / meter ** 3"),
        ("毫克每升", "milligram / liter"),
        ("毫克/升", "milligram / liter"),
        ("立方米每万元", "meter ** 3 / wan_yuan"),
        ("吨每万元", "tonne / wan_yuan"),
        ("吨/日", "tonne / day"),
        ("万立方米/日", "10000 * meter ** 3 / day"),
        ("万方/日", "10000 * meter ** 3 / day"),
        ("立方米/秒", "meter ** 3 / second"),
        ("百分比", "percent"),
        ("百分之", "percent"),
        ("千分之", "permille"),
        ("分贝", "decibel_a"),
        ("分贝A", "decibel_a"),
        ("分贝(A)", "decibel_a"),
        ("dB（A）", "decibel_a"),
        ("dBA", "decibel_a"),
        ("平方千米", "kilometer ** 2"),
        ("千公顷", "1000 * hectare"),
        ("万亩", "10000 * 10000 / 15 * meter ** 2"),
        ("万人", "10000 * count"),
        ("毫米", "millimeter"),
        ("吨标准煤", "29.3076 * gigajoule"),  # GB/T 2589-2020
        ("吨标准煤/万元", "29.3076 * gigajoule / wan_yuan"),
        ("万吨标准煤", "293076 * gigajoule"),
        ("吨二氧化碳/万元", "tonne / wan_yuan"),
        ("纳戈瑞/小时", "nanogray / hour"),
        ("万千瓦", "10000 * kilowatt"),
        ("亿千瓦时", "1e8 * kilowatt_hour"),
    ],
)
def test_parse_unit_accepts_source_spellings(text, same_as):
    ureg = registry()
    parsed = parse_unit(text)
    expected = ureg.parse_expression(same_as)
    assert ureg.Quantity(1, parsed).to(expected.units).magnitude == pytest.approx(
        expected.magnitude
    )


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (0.0151, "mg/m3", "微克/立方米", 15.1),  # the issue's own example
        (15.1, "微克/立方米", "mg/m³", 0.0151),
        (1500, "万立方米/年", "meter ** 3 / year", 15_000_000),  # 1500 × 10^4
        (2.3, "亿元", "万元", 23_000),  # 碳交易规模 2.3亿元 = 23000万元
        (6, "立方米/万元", "meter ** 3 / yuan", 0.0006),  # 6 m³ per 10^4 yuan
        (1000, "公里", "meter", 1_000_000),
        (95.2, "%", "dimensionless", 0.952),
        (1.7, "万家次", "count", 17_000),
    ],
)
def test_convert_hand_worked(value, source, target, expected):
    assert convert(value, source, target) == pytest.approx(expected, rel=1e-14)


def test_convert_has_no_float_noise():
    # 0.0151 × 1000 = 15.100000000000001 in binary; the issue asks for 15.1
    assert convert(0.0151, "mg/m3", "微克/立方米") == 15.1
    assert convert([0.0151, 0.0, -0.0336], "mg/m3", "µg/m³").tolist() == [15.1, 0.0, -33.6]


def test_convert_keeps_the_container_type():
    series = pd.Series([15.0, 30.0], index=["a", "b"], name="pm25")
    converted = convert(series, "µg/m³", "mg/m³")
    assert isinstance(converted, pd.Series)
    assert list(converted.index) == ["a", "b"]
    np.testing.assert_allclose(converted, [0.015, 0.030])
    assert isinstance(convert([1, 2], "万元", "元"), np.ndarray)
    assert isinstance(convert(1, "万元", "元"), float)


@pytest.mark.parametrize(
    ("source", "target"),
    [("%", "微克/立方米"), ("%", "个"), ("%", "pp"), ("公里", "平方公里"), ("万元", "吨")],
)
def test_incompatible_units_name_both(source, target):
    with pytest.raises(UnitError) as caught:
        convert(1.0, source, target)
    message = str(caught.value)
    assert repr(source) in message and repr(target) in message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("text", ["", "   ", "foo", "15", "９５％", "1e4 yuan", "微克/", None])
def test_unparsable_units_raise_unit_error(text):
    with pytest.raises(UnitError):
        parse_unit(text)


def test_pp_never_reaches_pint_as_a_length():
    # pint alone reads "pp" as the typographic point, a length of 0.35 mm.
    assert parse_unit("pp").dimensionality != pint.UnitRegistry().parse_units("pp").dimensionality
    assert difference_unit("%") == "percentage_point"
    assert difference_unit("微克/立方米") == "微克/立方米"
    assert is_percent("％") and not is_percent("pp")


def test_library_registry_is_private():
    assert registry() is not pint.get_application_registry()
    with pytest.raises(pint.UndefinedUnitError):
        pint.get_application_registry().parse_units("微克")


@pytest.mark.parametrize(
    ("unit", "lang", "label"),
    [
        ("微克/立方米", "en", "µg/m³"),
        ("microgram / meter ** 3", "zh", "µg/m³"),
        ("%", "en", "%"),
        ("percentage_point", "en", "pp"),
        ("percentage_point", "zh", "个百分点"),
        ("万元", "zh", "万元"),
        ("万元", "en", "×10⁴ yuan"),
        ("立方米/万元", "en", "m³/10⁴ yuan"),
        ("万立方米/年", "en", "×10⁴ m³/yr"),
        ("立方米/万元", "zh", "m³/万元"),
        ("个", "en", ""),
    ],
)
def test_format_unit(unit, lang, label):
    assert format_unit(unit, lang) == label


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_round_trip_conversion(value):
    there = convert(value, "微克/立方米", "mg/m3")
    assert convert(there, "mg/m3", "µg/m³") == pytest.approx(value, rel=1e-12, abs=1e-9)


def test_conversion_factor_is_cached():
    conversion_factor.cache_clear()
    conversion_factor("mg/m3", "µg/m³")
    conversion_factor("mg/m3", "µg/m³")
    assert conversion_factor.cache_info().hits == 1


# --- unit words that Chinese reports write ------------------------------------


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (25, "微克每立方米", "毫克/立方米", 0.025),
        (1, "吨标准煤", "千瓦时", 8141.0),  # 29.3076 GJ / 3.6 MJ
        (0.45, "吨标准煤/万元", "千克标准煤/元", 0.045),
        (3.2, "千公顷", "公顷", 3200),
        (95.2, "百分比", "%", 95.2),
    ],
)
def test_convert_chinese_unit_words(value, source, target, expected):
    assert convert(value, source, target) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "nearest"),
    [
        ("微克立方米", ["微克/立方米", "微克每立方米"]),  # two words without "/"
        ("毫克立方米", ["毫克/立方米", "毫克每立方米"]),
        ("微克/立方", ["微克/立方米"]),  # one part misspelt
        ("ugm3", ["ug/m3"]),
        ("kilogramm", ["kilogram"]),
        ("平方公理", ["平方公里"]),
    ],
)
def test_unknown_unit_names_the_nearest_known_units(text, nearest):
    with pytest.raises(UnitError) as caught:
        parse_unit(text)
    error = caught.value
    assert (error.unit, error.to_unit) == (text, None)
    assert error.reason.split("nearest known: ")[1].split(", ")[: len(nearest)] == nearest
    assert str(error).startswith(f"unknown unit {text!r}: ")
    assert "docs/" not in str(error)  # a pip install ships no docs folder
    for suggestion in nearest:
        parse_unit(suggestion)  # every suggestion is itself a unit


def test_unknown_unit_far_from_any_word_says_how_to_write_one():
    with pytest.raises(UnitError, match="no known unit is close") as caught:
        parse_unit("xyzq")
    assert "微克/立方米" in str(caught.value)


def test_dangling_per_gets_a_readable_reason():
    with pytest.raises(UnitError, match="dangling"):
        parse_unit("吨每")


def test_unit_error_keeps_its_fields_across_pickling():
    with pytest.raises(UnitError) as caught:
        parse_unit("微克立方米")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.unit, copy.reason, copy.to_unit) == (
        caught.value.unit,
        caught.value.reason,
        None,
    )


@pytest.mark.parametrize("unit", ["microgram / meter ** 3", "μg/m³", "µg/m3", "微克/立方米"])
def test_the_micro_prefix_is_printed_as_the_micro_sign_whatever_pint_writes(unit):
    from envtargets.units import format_unit

    assert format_unit(unit) == "\u00b5g/m³" and "\u03bc" not in format_unit(unit, "zh")
    assert parse_unit("\u03bcg/m³") == parse_unit("\u00b5g/m³")
