"""One unit registry for the library, and the unit words that sources use.

The registry is pint's default one with the additions in ``units.txt``
(counts as a dimension, percentage points, yuan, the 万/亿 multipliers and the
Chinese unit words). It is built on first use and never replaces pint's
application registry, so importing envtargets leaves other pint users alone.

Two small rules read written units before pint does: a few spellings that
pint cannot parse or would misread map to units (``_ALIASES``: ``pp``,
``dB(A)`` …), and the Chinese 每 ("per") is a ``/``, so 微克每立方米 and
吨每万元 read as 微克/立方米 and 吨/万元. An unknown unit's error names the
nearest units the registry knows.
"""

from __future__ import annotations

import difflib
import importlib.resources
import re
import unicodedata
from functools import cache
from typing import TypeVar, cast

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
    "分贝a": "decibel_a",
    "db a": "decibel_a",
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
# 每 is "per": 微克每立方米 is 微克/立方米.
_SYMBOL_FOLDS = str.maketrans({"·": "*", "⋅": "*", "×": "*", "•": "*", "−": "-", "每": "/"})
_PER = re.compile(r"\s*[/每]\s*")
_SUGGESTIONS = 5


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
    ureg: pint.UnitRegistry = pint.UnitRegistry(
        None, cache_folder=None, autoconvert_offset_to_baseunit=True
    )
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
    立方米/万元, 个百分点, 个/家/项/件 …), compounds with 每 for ``/``
    (微克每立方米, 吨每万元), ``%`` (also 百分比) and percentage points (``pp``).

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
        When the text is empty, a number, or not a unit the registry knows
        (the message then names the nearest known units).

    Examples
    --------
    >>> parse_unit("微克每立方米") == parse_unit("微克/立方米")
    True
    >>> parse_unit("微克/立方米").dimensionality == parse_unit("µg/m³").dimensionality
    True
    """
    if not isinstance(text, str) or not text.strip():
        raise UnitError(str(text), "a unit must be a non-empty text")
    try:
        parsed = _parse_expression(text)
    except Exception as error:  # pint's tokenizer raises a few odd types
        raise UnitError(text, _reason(error, text)) from None
    if not isinstance(parsed, pint.Quantity):
        raise UnitError(text, "this is a number, not a unit")
    if parsed.magnitude != 1:
        raise UnitError(text, "a unit must not contain a number; write 万元, not 10000 元")
    # pint types .units as its base PlainUnit; a registry's units are pint.Unit.
    return cast(pint.Unit, parsed.units)


def _parse_expression(text: str) -> pint.Quantity | float:
    """Hand a written unit to pint after the folds and aliases; pint's errors pass through."""
    normalised = _normalise(text)
    normalised = _ALIASES.get(normalised.casefold(), normalised)
    return registry().parse_expression(normalised)


def _is_unit(text: str) -> bool:
    """Tell whether ``text`` alone is a unit, without building an error message."""
    try:
        parsed = _parse_expression(text)
    except Exception:  # any failure means "not a unit"
        return False
    return isinstance(parsed, pint.Quantity) and parsed.magnitude == 1


def _reason(error: Exception, text: str) -> str:
    message = str(error).strip()
    if not isinstance(error, pint.UndefinedUnitError):
        # pint's words for a dangling operator differ between versions: none at
        # all (0.25) or "missing operand" (0.26); say it the same way under both.
        if not message or "operand" in message:
            return "not a unit expression (a dangling / or 每, or an operator without its unit?)"
        return message
    nearest = nearest_units(text)
    if nearest:
        return f"{message}; nearest known: {', '.join(nearest)}"
    return (
        f"{message}; no known unit is close: write a pint expression (mg/m³, kilogram / day) "
        "or a unit word (微克/立方米, 万吨/年, 个百分点)"
    )


@cache
def _known_words() -> tuple[str, ...]:
    """Every unit name, symbol and alias of the registry (units.txt's words included)."""
    return tuple(dict.fromkeys([*registry(), *_ALIASES]))


def nearest_units(text: str, n: int = _SUGGESTIONS) -> list[str]:
    """Return the known units written most like ``text``, for error messages.

    A unit name, symbol or unit word of the registry very like the whole text
    comes first (kilogramm → kilogram); then a text made of two units written
    without a separator (微克立方米) is offered as their quotient (微克/立方米,
    微克每立方米), and a quotient with one misspelt part gets that part replaced
    by its nearest unit word; less similar unit words follow.

    Parameters
    ----------
    text : str
        A unit text that did not parse.
    n : int, default 5
        The most suggestions to return.

    Returns
    -------
    list of str
        Up to ``n`` written units that parse, nearest first; empty when none is close.

    Examples
    --------
    >>> nearest_units("微克立方米")[:2]
    ['微克/立方米', '微克每立方米']
    """
    written = unicodedata.normalize("NFKC", str(text)).strip()
    words = _known_words()
    # A near-miss of one word (kilogramm) comes before reading it as a quotient.
    suggestions = difflib.get_close_matches(written, words, n=n, cutoff=0.85)
    parts = _PER.split(written)
    if len(parts) == 2 and all(parts):
        numerator, denominator = (
            [part] if _is_unit(part) else difflib.get_close_matches(part, words, n=2, cutoff=0.6)
            for part in parts
        )
        suggestions += [f"{top}/{bottom}" for top in numerator for bottom in denominator]
    elif len(parts) == 1:
        for cut in range(1, len(written)):
            top, bottom = written[:cut], written[cut:]
            if _is_unit(top) and _is_unit(bottom):
                suggestions.append(f"{top}/{bottom}")
                if not (top + bottom).isascii():
                    suggestions.append(f"{top}每{bottom}")
    suggestions += difflib.get_close_matches(written, words, n=n, cutoff=0.6)
    return [word for word in dict.fromkeys(suggestions) if word != written and _is_unit(word)][:n]


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
    # A float (or a 0-d array) comes back as a float, an array as an array.
    return cast(ArrayLike, float(converted) if np.ndim(values) == 0 else converted)


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


MICRO_SIGN, GREEK_MU = "\u00b5", "\u03bc"


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
        plain counts. The micro prefix is always the micro sign µ (U+00B5), as
        GB 3095 and Chinese reports print it, whatever pint writes (pint 0.26
        switched to the Greek letter μ, U+03BC); :func:`parse_unit` reads both.
    """
    parsed = parse_unit(unit)
    special = _SPECIAL_DISPLAY.get(lang, _SPECIAL_DISPLAY["en"])
    if str(parsed) in special:
        return special[str(parsed)]
    text = f"{parsed:~P}".replace(GREEK_MU, MICRO_SIGN)
    for word, symbol in _WORD_SYMBOLS + _LANGUAGE_SYMBOLS.get(lang, _LANGUAGE_SYMBOLS["en"]):
        text = text.replace(word, symbol)
    return text.strip()
