"""Check: the rules a normalised table must keep, as one pandera schema per table.

The third step of the pass (read → normalise → check → typed frame). The
frame it checks is already typed (numbers are floats, everything else text),
so every rule is a vectorised expression over whole columns: which cells may
be empty, which must be unique, which words are allowed, and the rules across
columns and rows (an upper bound only with ``between``, a baseline before the
target year, no two observations of the same indicator, region and period with
different values). pandera runs them lazily, so one error lists every problem.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from envtargets.errors import UnitError
from envtargets.tables.columns import COMPARATORS, DIRECTIONS, KINDS, MEASURES
from envtargets.units import conversion_factor

# Frame-wide rules: name → (the column a failure points at, the message).
FRAME_RULES: dict[str, tuple[str, str]] = {
    "between_needs_upper": ("upper", "comparator 'between' needs an upper bound in 'upper'"),
    "upper_only_with_between": ("upper", "'upper' is only used with comparator 'between'"),
    "upper_not_below_value": ("upper", "'upper' is below 'value'"),
    "baseline_before_target": ("baseline_year", "baseline_year must be before target_year"),
    "baseline_value_needs_year": ("baseline_year", "baseline_value is given without baseline_year"),
    "unit_fits_indicator": ("unit", "{reason}"),
    "no_conflicting_observations": ("value", "{reason}"),
}

# The cells that name what an observation measures; rows alike in all three must agree.
OBSERVATION_KEYS = ["indicator", "region", "period"]

VOCABULARIES = {"comparator": COMPARATORS, "kind": KINDS, "better": DIRECTIONS, "measure": MEASURES}


def schema(table: str, known_units: dict[str, str] | None):
    """Build the pandera schema of one normalised table.

    Parameters
    ----------
    table : {"indicators", "targets", "observations"}
    known_units : dict of str to str, optional
        Each known indicator's unit; when given, a unit that does not convert
        to its indicator's unit is a problem.

    Returns
    -------
    pandera.pandas.DataFrameSchema
    """
    import pandera.pandas as pa

    def column(nullable: bool = False, unique: bool = False, checks=()) -> pa.Column:
        return pa.Column(nullable=nullable, unique=unique, checks=list(checks))

    def words(name: str) -> pa.Check:
        return pa.Check.isin(VOCABULARIES[name], name=name)

    def rule(name: str, func: Callable[[pd.DataFrame], pd.Series]) -> pa.Check:
        return pa.Check(func, name=name, ignore_na=False)

    if table == "indicators":
        snake_case = pa.Check.str_matches(r"^[a-z][a-z0-9_]*$", name="snake_case")
        columns = {
            "indicator": column(unique=True, checks=[snake_case]),
            "unit": column(),
            "better": column(checks=[words("better")]),
            "measure": column(checks=[words("measure")]),
        }
        return pa.DataFrameSchema(columns, strict=False)

    rules = []
    if known_units is not None:
        rules.append(rule("unit_fits_indicator", unit_fits_indicator(known_units)))
    common = {"indicator": column(), "region": column(), "unit": column()}
    if table == "targets":
        columns = {
            "target_id": column(unique=True),
            **common,
            "comparator": column(checks=[words("comparator")]),
            "value": column(),
            "target_year": column(),
            "kind": column(checks=[words("kind")]),
        }
        rules += [
            rule(name, func)
            for name, func in [
                ("between_needs_upper", between_needs_upper),
                ("upper_only_with_between", upper_only_with_between),
                ("upper_not_below_value", upper_not_below_value),
                ("baseline_before_target", baseline_before_target),
                ("baseline_value_needs_year", baseline_value_needs_year),
            ]
        ]
    else:
        # An observation whose value is a placeholder stays, as missing.
        columns = {**common, "period": column(), "value": column(nullable=True)}
        rules.append(rule("no_conflicting_observations", no_conflicting_observations))
    return pa.DataFrameSchema(columns, checks=rules, strict=False)


def between_needs_upper(frame: pd.DataFrame) -> pd.Series:
    """Flag (False) comparator ``between`` without an upper bound."""
    return ~((frame["comparator"] == "between") & frame["upper"].isna())


def upper_only_with_between(frame: pd.DataFrame) -> pd.Series:
    """Flag an upper bound given with another comparator."""
    return frame["upper"].isna() | (frame["comparator"] == "between")


def upper_not_below_value(frame: pd.DataFrame) -> pd.Series:
    """Flag an upper bound of ``between`` below its value."""
    return ~((frame["comparator"] == "between") & (frame["upper"] < frame["value"]))


def baseline_before_target(frame: pd.DataFrame) -> pd.Series:
    """Flag a baseline year that is not before the target year."""
    return ~(frame["baseline_year"] >= frame["target_year"]).fillna(False)


def baseline_value_needs_year(frame: pd.DataFrame) -> pd.Series:
    """Flag a baseline value given without its year."""
    return frame["baseline_value"].isna() | frame["baseline_year"].notna()


def unit_fits_indicator(known_units: dict[str, str]) -> Callable[[pd.DataFrame], pd.Series]:
    """Build the rule: a row's unit converts to its (known) indicator's unit.

    Each distinct pair of unit and indicator is decided once. Indicators in no
    table are not judged here: their unit is taken from their rows.
    """

    def check(frame: pd.DataFrame) -> pd.Series:
        codes, first = combination_codes([frame["unit"], frame["indicator"]])
        pairs = zip(frame["unit"].iloc[first], frame["indicator"].iloc[first], strict=True)
        verdicts = np.array(
            [unit_fits(unit, known_units.get(indicator)) for unit, indicator in pairs], dtype=bool
        )
        return pd.Series(verdicts[codes], index=frame.index)

    return check


def unit_fits(unit: object, canonical: object) -> bool:
    """Tell whether ``unit`` converts to an indicator's unit (True when either is unknown)."""
    if not isinstance(unit, str) or not isinstance(canonical, str):
        return True
    try:
        conversion_factor(unit, canonical)
    except UnitError as error:
        # An unreadable unit is reported by normalising; here only units that
        # parse but measure something else than the indicator's.
        return error.to_unit is None
    return True


def unit_mismatch(unit: str, canonical: str) -> str:
    """Say why ``unit`` does not convert to the indicator's unit ``canonical``."""
    try:
        conversion_factor(unit, canonical)
    except UnitError as error:
        return f"{error.reason} (the indicator's unit)"
    return ""


def combination_codes(columns: list[pd.Series]) -> tuple[np.ndarray, np.ndarray]:
    """Give each distinct combination of the columns' values a number (missing counts too).

    Returns each row's number and, per number, the position of its first row,
    so that work per distinct combination reads its values from that row.
    Each column is factorised on its own and the codes combined as digits:
    far quicker than hashing tuples of a national panel's text cells.
    """
    combined, count = np.zeros(len(columns[0]), dtype=np.int64), 1
    for column in columns:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        size = len(uniques) + 1  # code 0: a missing cell
        if count * size >= 2**62:  # renumber first, lest the digits overflow
            combined, distinct = pd.factorize(combined)
            count = len(distinct)
        combined, count = combined * size + (codes + 1), count * size
    numbers, _ = pd.factorize(combined)
    # factorize numbers in order of appearance: a row is first where the number is new.
    first = np.flatnonzero(np.diff(np.maximum.accumulate(numbers), prepend=-1) > 0)
    return numbers, first


def observation_groups(frame: pd.DataFrame) -> np.ndarray:
    """Return a group number per row: one per indicator, region and period.

    A missing key is a value like any other here (such rows are reported as
    empty, not as conflicts).
    """
    return combination_codes([frame[key] for key in OBSERVATION_KEYS])[0]


def no_conflicting_observations(frame: pd.DataFrame) -> pd.Series:
    """Flag rows that share indicator, region and period but not their value."""
    groups = observation_groups(frame)
    # Only rows that share indicator, region and period can conflict; in a
    # national panel they are few, so the group arithmetic runs on those only.
    shared = np.flatnonzero(pd.Series(groups).duplicated(keep=False).to_numpy())
    fine = np.ones(len(frame), dtype=bool)
    if len(shared):
        fine[shared] = _values_agree(frame.iloc[shared], groups[shared])
    return pd.Series(fine, index=frame.index)


def _values_agree(frame: pd.DataFrame, groups: np.ndarray) -> np.ndarray:
    """Tell the rows whose group's values agree once in one unit (NaN never conflicts)."""
    values = _in_first_unit(frame, groups)
    grouped = values.groupby(groups)
    spread = grouped.transform("max") - grouped.transform("min")
    scale = values.abs().groupby(groups).transform("max")
    return (~(spread > 1e-9 * scale.fillna(0) + 1e-12)).to_numpy()


def _in_first_unit(frame: pd.DataFrame, groups: np.ndarray) -> pd.Series:
    """Each value in the unit of the first row of its group that has a unit."""
    units = frame["unit"].astype(object).reset_index(drop=True)
    first = units.groupby(groups).transform("first")
    codes, rows = combination_codes([units, first])
    factors = np.array([_factor(units[row], first[row]) for row in rows], dtype=float)
    values = frame["value"].to_numpy(dtype="float64", na_value=np.nan)
    return pd.Series(values * factors[codes])


def _factor(unit: object, to_unit: object) -> float:
    if not isinstance(unit, str) or not isinstance(to_unit, str):
        return np.nan
    try:
        return conversion_factor(unit, to_unit)
    except UnitError:
        return np.nan
