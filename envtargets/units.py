"""One unit registry for the library, and the unit words that sources use.

The registry is pint's default one with the additions in ``units.txt``
(counts as a dimension, percentage points, yuan, the 万/亿 multipliers and the
Chinese unit words). It is built on first use and never replaces pint's
application registry, so importing envtargets leaves other pint users alone.
"""

from __future__ import annotations

import importlib.resources
import re
import unicodedata
from functools import cache
from typing import TypeVar

import numpy as np
import pandas as pd
import pint

from envtargets.errors import UnitError

ArrayLike = TypeVar("ArrayLike", float, np.ndarray, pd.Series)

# Spellings that pint cannot parse or would misread, mapped before parsing.
# Keys are compared after NFKC normalisation and case folding.
_ALIASES = {
    "pp": "percentage_point",
    "p.p.": "percentage_point",
    "pp.": "percentage_point",
    "percentage point": "percentage_point",
    "percentage points": "percentage_point",
    "percent point": "percentage_point",
    "db": "decibel_a",
    "db(a)": "decibel_a",
    "dba": "decibel_a",
    "分贝(a)": "decibel_a",
    "‰": "permille",
    "count": "count",
    "counts": "count",
    "number": "count",
    "-": "dimensionless",
    "1": "dimensionless",
    "无量纲": "dimensionless",
}

# A power written as a bare digit after a unit letter (m3, km2, m-3).
_BARE_POWER = re.compile(r"(?<=[A-Za-z])(?<![0-9][eE])(-?[1-4])(?![\d.])")
_SYMBOL_FOLDS = str.maketrans({"·": "*", "⋅": "*", "×": "*", "•": "*", "−": "-"})


@cache
def registry() -> pint.UnitRegistry:
    """Return the library's unit registry, built on first use.

    Returns
    -------
    pint.UnitRegistry
        pint's default definitions plus those of ``envtargets/units.txt``.
    """
    pint_files = importlib.resources.files("pint")
    default = (pint_files / "default_en.txt").read_text(encoding="utf-8")
    constants = (pint_files / "constants_en.txt").read_text(encoding="utf-8")
    # Inline the constants import (we load from text, not from pint's folder)
    # and drop pint's dimensionless `count`, which units.txt redefines.
    default = re.sub(r"(?m)^@import constants_en\.txt\s*$", lambda _: constants, default)
    default = re.sub(r"(?m)^count = \[\]\s*$", "", default)
    ours = (importlib.resources.files("envtargets") / "units.txt").read_text(encoding="utf-8")
    ureg = pint.UnitRegistry(None, cache_folder=None, autoconvert_offset_to_baseunit=True)
    ureg.load_definitions(default.splitlines())
    ureg.load_definitions(ours.splitlines())
    return ureg


def _normalise(text: str) -> str:
    """Fold full-width forms, superscripts and multiplication signs into pint syntax."""
    folded = unicodedata.normalize("NFKC", text).strip().translate(_SYMBOL_FOLDS)
    return _BARE_POWER.sub(r"**\1", folded)


@cache
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit as sources write it.

    Accepts pint expressions (``microgram / meter ** 3``, ``µg/m³``, ``ug/m3``,
    ``mg/m3``), the Chinese unit words of ``units.txt`` (微克/立方米, 万立方米/年,
    立方米/万元, 个百分点, 个/家/项/件 …), ``%`` and percentage points (``pp``).

    Parameters
    ----------
    text : str
        The unit as written.

    Returns
    -------
    pint.Unit
        The unit in the library's registry.

    Raises
    ------
    UnitError
        When the text is empty, a number, or not a unit the registry knows.

    Examples
    --------
    >>> parse_unit("微克/立方米") == parse_unit("µg/m³")
    True
    """
    if not isinstance(text, str) or not text.strip():
        raise UnitError(str(text), "a unit must be a non-empty text")
    ureg = registry()
    normalised = _normalise(text)
    normalised = _ALIASES.get(normalised.casefold(), normalised)
    try:
        parsed = ureg.parse_expression(normalised)
    except (pint.PintError, SyntaxError, ValueError, TypeError, AttributeError) as error:
        raise UnitError(text, _reason(error)) from None
    except Exception as error:  # pint's tokenizer raises a few odd types
        raise UnitError(text, _reason(error)) from None
    if not isinstance(parsed, pint.Quantity):
        raise UnitError(text, "this is a number, not a unit")
    if parsed.magnitude != 1:
        raise UnitError(text, "a unit must not contain a number; write 万元, not 10000 元")
    return parsed.units


def _reason(error: Exception) -> str:
    message = str(error).strip() or type(error).__name__
    if isinstance(error, pint.UndefinedUnitError):
        return f"{message}; use a pint unit expression or a unit word listed in docs/user-guide.md"
    return message


@cache
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Return the factor that converts values in ``from_unit`` to ``to_unit``.

    Parameters
    ----------
    from_unit, to_unit : str
        Units as accepted by :func:`parse_unit`.

    Returns
    -------
    float
        Multiply a value in ``from_unit`` by this factor to express it in ``to_unit``.

    Raises
    ------
    UnitError
        When either unit is unknown or the two measure different things.
    """
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    ureg = registry()
    if source.dimensionality != target.dimensionality:
        raise UnitError(
            from_unit,
            f"{from_unit!r} measures {_dimension_name(source)} "
            f"but {to_unit!r} measures {_dimension_name(target)}",
            to_unit,
        )
    return float(ureg.Quantity(1.0, source).to(target).magnitude)


def _dimension_name(unit: pint.Unit) -> str:
    dimensionality = unit.dimensionality
    return "a pure number (share)" if not dimensionality else str(dimensionality)


def convert(values: ArrayLike, from_unit: str, to_unit: str) -> ArrayLike:
    """Convert values between two units.

    Parameters
    ----------
    values : float, array-like or pandas.Series
        The values, in ``from_unit``.
    from_unit, to_unit : str
        Units as accepted by :func:`parse_unit` (pint expressions or unit words).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        The values in ``to_unit``, of the same kind as ``values`` (a Series keeps
        its index and name).

    Raises
    ------
    UnitError
        When a unit is unknown or the dimensions differ (naming both units).

    Examples
    --------
    >>> round(convert(0.0151, "mg/m3", "微克/立方米"), 6)
    15.1
    """
    factor = conversion_factor(from_unit, to_unit)
    if isinstance(values, pd.Series):
        return pd.Series(
            _without_float_noise(values.to_numpy("float64") * factor, factor),
            index=values.index,
            name=values.name,
        )
    converted = _without_float_noise(np.asarray(values, dtype="float64") * factor, factor)
    return float(converted) if np.ndim(values) == 0 else converted


def _without_float_noise(values: np.ndarray, factor: float) -> np.ndarray:
    """Round a converted value to 15 significant digits.

    0.0151 × 1000 is 15.100000000000001 in binary floating point; sources
    print 15.1, and so should we. Fifteen digits keep every digit a float
    can carry reliably and drop only the noise of the multiplication.
    """
    if factor == 1.0:
        return values
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        magnitude = np.floor(np.log10(np.abs(values)))
        scale = 10.0 ** (14 - np.where(np.isfinite(magnitude), magnitude, 0))
        rounded = np.round(values * scale) / scale
    return np.where(np.isfinite(rounded) & (values != 0), rounded, values)


def is_percent(unit: str) -> bool:
    """Tell whether a unit is the percent (so its differences are percentage points).

    Parameters
    ----------
    unit : str
        A unit accepted by :func:`parse_unit`.

    Returns
    -------
    bool
        True for ``%``/``percent`` and its spellings.
    """
    return parse_unit(unit) == registry().percent


def difference_unit(unit: str) -> str:
    """Return the unit in which a difference of two values in ``unit`` is stated.

    A difference of two percentages is in percentage points; any other unit
    keeps its own unit.

    Parameters
    ----------
    unit : str
        The unit of the two values.

    Returns
    -------
    str
        ``"percentage_point"`` for percent, else ``unit`` unchanged.
    """
    return "percentage_point" if is_percent(unit) else unit


# How units print. Chinese unit words print as the SI symbols that Chinese
# reports also use; money and percentage points follow the language.
_SPECIAL_DISPLAY = {
    "en": {"percent": "%", "percentage_point": "pp", "count": "", "dimensionless": ""},
    "zh": {"percent": "%", "percentage_point": "个百分点", "count": "", "dimensionless": ""},
}
_WORD_SYMBOLS = [
    ("平方公里", "km²"),
    ("平方米", "m²"),
    ("立方米", "m³"),
    ("公里", "km"),
    ("毫克", "mg"),
    ("微克", "µg"),
    ("千克", "kg"),
    ("克", "g"),
    ("吨", "t"),
    ("毫升", "mL"),
    ("升", "L"),
    ("公顷", "ha"),
    ("小时", "h"),
    ("分贝", "dB(A)"),
    ("dBA", "dB(A)"),
    ("千瓦时", "kWh"),
    ("千瓦", "kW"),
    ("米", "m"),
    ("mg/l", "mg/L"),
    ("l", "L"),
]
_LANGUAGE_SYMBOLS = {
    "en": [
        ("wan_yuan", "10⁴ yuan"),
        ("yi_yuan", "10⁸ yuan"),
        ("/万", "/10⁴ "),
        ("万count", "×10⁴"),
        ("万", "×10⁴ "),
        ("亿", "×10⁸ "),
        ("年", "yr"),
        ("日", "d"),
        ("月", "month"),
        ("count", ""),
    ],
    "zh": [
        ("wan_yuan", "万元"),
        ("yi_yuan", "亿元"),
        ("yuan", "元"),
        ("count", ""),
        ("yr", "年"),
        ("day", "日"),
    ],
}


def format_unit(unit: str, lang: str = "en") -> str:
    """Typeset a unit for labels and tables.

    Parameters
    ----------
    unit : str
        A unit accepted by :func:`parse_unit`.
    lang : {"en", "zh"}
        ``"zh"`` writes percentage points as 个百分点 and money as 万元/亿元;
        ``"en"`` writes them as pp and 10⁴ yuan.

    Returns
    -------
    str
        ``µg/m³``, ``%``, ``pp``, ``m³/10⁴ yuan`` and so on; an empty text for
        plain counts.
    """
    parsed = parse_unit(unit)
    special = _SPECIAL_DISPLAY.get(lang, _SPECIAL_DISPLAY["en"])
    if str(parsed) in special:
        return special[str(parsed)]
    text = f"{parsed:~P}"
    for word, symbol in _WORD_SYMBOLS + _LANGUAGE_SYMBOLS.get(lang, _LANGUAGE_SYMBOLS["en"]):
        text = text.replace(word, symbol)
    return text.strip()
