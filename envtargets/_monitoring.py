"""Input checks shared by the monitoring statistics (air, water, noise).

Raw monitoring data come as long tables (one value per row) or wide ones (one
column per pollutant or parameter), from files read with
:func:`envtargets.tables.read_table` (text cells, with ``source_file`` and ``row``)
or built in code. These helpers turn such columns into numbers, times and
canonical units, and report every problem with file, spreadsheet row and
column — never changing a value without saying so.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from envtargets.errors import UnitError, ValidationError
from envtargets.periods import parse_period
from envtargets.tables import OBSERVATION_COLUMNS, DataCleaningWarning
from envtargets.tables.problems import problem
from envtargets.units import conversion_factor

# Rows listed one by one in an error before the rest are only counted: a
# national panel with a million bad rows needs the pattern, not the list.
MAX_LISTED_ROWS = 50

SHANGHAI = "Asia/Shanghai"

#: Significant digits of a mean taken as the exact decimal it stands for. A mean
#: of n values written with d decimals is a decimal whose float carries an error
#: of a few units in the 16th digit; 10 digits remove that error and keep every
#: digit a measurement can have.
DECIMAL_DIGITS = 10


def exact_decimal(values: np.ndarray | float) -> np.ndarray:
    """Return the float nearest to the exact decimal that a computed mean stands for.

    The mean of twelve hours of CO 0.9 and twelve of 1.0 mg/m³ is 0.95 exactly,
    but summing and dividing floats gives 0.9499999999999998, which rounds to
    0.9 and compares below 0.95. Snapping to :data:`DECIMAL_DIGITS` significant
    digits gives 0.95 (the float that ``0.95`` parses to), so comparisons with
    limits and GB/T 8170 rounding see the number exact decimal arithmetic gives.
    Apply it to every mean (and interpolated percentile) before it is compared
    or rounded; see docs/standards.md.

    Parameters
    ----------
    values : numpy.ndarray or float
        Computed means, any unit; NaN and infinities pass through.

    Returns
    -------
    numpy.ndarray
        The snapped values (float64).
    """
    values = np.asarray(values, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.abs(values)))
    # Whole powers of ten up to 1e22 are exact floats, so scaling, rounding and
    # dividing back gives the correctly rounded decimal; values outside
    # 1e-12 … 1e10 (no measurement has them) are left as they are.
    snapped = np.isfinite(magnitude) & (magnitude >= -12) & (magnitude <= 9)
    scale = 10.0 ** np.where(snapped, DECIMAL_DIGITS - 1 - magnitude, 0.0)
    return np.where(snapped, np.round(values * scale) / scale, values)


def round_half_even(values: np.ndarray | float, decimals: int) -> np.ndarray:
    """Round computed values to ``decimals`` places by GB/T 8170 (round half to even).

    The value is first taken as its exact decimal (:func:`exact_decimal`), and
    so is the scaled value, so a tie such as 0.95 → 1.0 or 45.5 → 46 is
    decided on the decimal, never on a float a hair below or above it.

    Parameters
    ----------
    values : numpy.ndarray or float
        Values to round, any unit.
    decimals : int
        Decimal places kept (0 for whole numbers).

    Returns
    -------
    numpy.ndarray
        Rounded values (float64).

    References
    ----------
    .. [1] GB/T 8170—2008 数值修约规则与极限数值的表示和判定, 3.3.
    """
    factor = 10.0**decimals
    return np.rint(exact_decimal(exact_decimal(values) * factor)) / factor


def is_dask(frame: object) -> bool:
    """Tell whether ``frame`` is a Dask collection, without importing Dask."""
    return type(frame).__module__.split(".")[0] == "dask"


def label_of(frame: pd.DataFrame, default: str) -> str:
    """Return the name of the input used in messages and in ``source``."""
    if "source_file" in frame.columns and len(frame):
        files = pd.unique(frame["source_file"].astype("string").dropna())
        if 0 < len(files) <= 3:
            return ", ".join(str(name) for name in files)
        if len(files):
            return f"{files[0]} and {len(files) - 1} more files"
    return str(frame.attrs.get("source", default))


def row_problems(
    frame: pd.DataFrame, positions: np.ndarray, column: str, message: str, label: str
) -> list[dict]:
    """Problems for the rows at ``positions``, the first ones listed and the rest counted.

    ``message`` may use ``{value}``; the file and row come from the reader's
    ``source_file``/``row`` columns when present, else from the position
    (row 2 is the first data row, as a spreadsheet shows it).
    """
    positions = np.asarray(positions)
    listed = positions[:MAX_LISTED_ROWS]
    files = (
        frame["source_file"].to_numpy()[listed]
        if "source_file" in frame.columns
        else np.full(len(listed), label, dtype=object)
    )
    rows = frame["row"].to_numpy()[listed] if "row" in frame.columns else listed + 2
    values = frame[column].to_numpy()[listed] if column in frame.columns else [None] * len(listed)
    problems = [
        problem(str(file), int(row), column, value, message.format(value=value))
        for file, row, value in zip(files, rows, values, strict=True)
    ]
    if len(positions) > MAX_LISTED_ROWS:
        rest = len(positions) - MAX_LISTED_ROWS
        problems.append(
            problem(label, None, column, None, f"... and {rest} more rows with the same problem")
        )
    return problems


def rows_text(frame: pd.DataFrame, positions: np.ndarray, label: str, shown: int = 5) -> str:
    """Name the first rows at ``positions`` for a cleaning note: ``row 2, row 3 …``.

    Rows are numbered as :func:`row_problems` numbers them; with several input
    files each row also names its file.
    """
    positions = np.asarray(positions)
    listed = row_problems(frame, positions[:shown], "", "", label)
    several = len({p["file"] for p in listed}) > 1
    text = ", ".join(
        f"{p['file']} row {p['row']}" if several else f"row {p['row']}" for p in listed
    )
    return text + (" …" if len(positions) > shown else "")


def raise_if(problems: list[dict]) -> None:
    """Raise one :class:`ValidationError` holding every problem, if there are any."""
    if problems:
        raise ValidationError(problems)


def note(message: str) -> None:
    """Report a cleaning step (the input itself is never altered)."""
    warnings.warn(message, DataCleaningWarning, stacklevel=3)


def require_columns(frame: pd.DataFrame, columns: Iterable[str], label: str) -> None:
    """Raise when required columns are missing, naming all of them."""
    missing = [column for column in columns if column not in frame.columns]
    found = ", ".join(str(c) for c in frame.columns if c not in ("source_file", "row"))
    raise_if(
        [
            problem(label, None, c, None, f"missing required column {c!r} (found: {found})")
            for c in missing
        ]
    )


def numbers(
    frame: pd.DataFrame, column: str, label: str, problems: list[dict], *, negative: bool = False
) -> np.ndarray:
    """Return a column as float64; text that is not a number, or a negative value, is a problem.

    Blank cells are missing values (NaN), which the validity rules then count
    as missing hours or samples.
    """
    series = frame[column]
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
    else:
        text = series.astype("string").str.strip()
        parsed = pd.to_numeric(text.mask(text == ""), errors="coerce")
        values = parsed.to_numpy(dtype="float64", na_value=np.nan)
        bad = np.flatnonzero(np.isnan(values) & (text.fillna("") != "").to_numpy(dtype=bool))
        if len(bad):
            problems += row_problems(frame, bad, column, "{value!r} is not a number", label)
    if not negative:
        below = np.flatnonzero(values < 0)
        if len(below):
            problems += row_problems(
                frame,
                below,
                column,
                "negative value {value}: a concentration cannot be negative",
                label,
            )
    return values


def times(frame: pd.DataFrame, column: str, label: str, problems: list[dict]) -> np.ndarray:
    """Return a column as naive datetime64 in China Standard Time.

    Time-zone aware stamps are converted to Asia/Shanghai (the clock of Chinese
    monitoring data), and the conversion is reported.
    """
    series = frame[column]
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        text = series.astype("string").str.strip()
        series = _parse_times(text)
        bad = np.flatnonzero(series.isna().to_numpy() & text.notna().to_numpy())
        blank = np.flatnonzero(text.isna().to_numpy())
        if len(bad):
            problems += row_problems(frame, bad, column, "{value!r} is not a date or time", label)
        if len(blank):
            problems += row_problems(frame, blank, column, "the time is empty", label)
    elif series.isna().any():
        problems += row_problems(
            frame, np.flatnonzero(series.isna().to_numpy()), column, "the time is empty", label
        )
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        note(f"{label}: times in {series.dtype.tz} converted to China Standard Time ({SHANGHAI})")
        series = series.dt.tz_convert(SHANGHAI).dt.tz_localize(None)
    return series.to_numpy()


def _parse_times(text: pd.Series) -> pd.Series:
    """Parse time texts: one inferred format for the column (fast), then the cells left over."""
    with warnings.catch_warnings():
        # pandas warns when it cannot infer one format; the cells are retried below.
        warnings.simplefilter("ignore", UserWarning)
        parsed = pd.to_datetime(text, errors="coerce")
    retry = parsed.isna() & text.notna()
    if retry.any():
        parsed = parsed.astype("datetime64[ns]")
        parsed[retry] = pd.to_datetime(text[retry], errors="coerce", format="mixed")
    return parsed


def canonical_units(
    values: np.ndarray,
    keys: np.ndarray,
    key_names: list[str],
    units: pd.Series | None,
    canonical: Mapping[str, str],
    frame: pd.DataFrame,
    label: str,
    problems: list[dict],
) -> np.ndarray:
    """Convert each row's value to its key's canonical unit, reporting what was converted.

    Parameters
    ----------
    values : numpy.ndarray
        The values as given.
    keys : numpy.ndarray of int
        Code of each row's pollutant or parameter, an index into ``key_names``;
        a negative code marks a row left out (its unit is not read).
    key_names : list of str
        The name of each code, as messages and notes show it.
    units : pandas.Series or None
        Each row's unit; None when the input has no unit column (canonical units assumed).
    canonical : mapping
        Canonical unit of each name in ``key_names``.
    frame, label, problems
        For messages.

    Returns
    -------
    numpy.ndarray
        The values in canonical units (a new array when anything was converted).
    """
    if units is None:
        return values
    codes, names = factorize_text(units)
    left_out = keys < 0
    keys = np.where(left_out, len(key_names), keys) if left_out.any() else keys
    empty = np.flatnonzero((codes < 0) & ~left_out)
    if len(empty):
        problems += row_problems(frame, empty, str(units.name), "the unit is empty", label)
    del left_out
    # One code per (key, unit) pair, built in place (national panels have ~90
    # million rows); the rows left out share the extra key len(key_names).
    width = len(names) + 1
    pair = np.multiply(keys, width, dtype=np.int64)
    pair += codes
    pair += 1
    pairs = np.bincount(pair, minlength=(len(key_names) + 1) * width)
    factors = np.ones((len(key_names) + 1, width))
    converted = []
    for cell in np.flatnonzero(pairs[: len(key_names) * width]):
        key, unit = divmod(int(cell), width)
        if unit == 0:
            continue
        name, target = str(names[unit - 1]), canonical[key_names[key]]
        try:
            factor = conversion_factor(name, target)
        except UnitError as error:
            rows = np.flatnonzero(pair == cell)
            problems += row_problems(
                frame, rows, str(units.name), f"{key_names[key]} in {{value!r}}: {error}", label
            )
            continue
        factors[key, unit] = factor
        if factor != 1.0:
            count = int(pairs[cell])
            where = rows_text(frame, _first_positions(pair, cell), label)
            converted.append(
                f"{key_names[key]} from {name} to {target} "
                f"({count} row{'s' if count != 1 else ''}: {where}{' …' if count > 5 else ''})"
            )
    if not converted:
        return values
    note(f"{label}: values converted to canonical units: " + "; ".join(converted))
    factor_of_row = factors.ravel()[pair]
    del pair
    return values * factor_of_row


def _first_positions(pair: np.ndarray, cell: int, count: int = 5) -> np.ndarray:
    """Positions of the first ``count`` rows of one (key, unit) pair, read in chunks."""
    step = 1 << 20
    found: list[np.ndarray] = []
    for start in range(0, len(pair), step):
        found.append(np.flatnonzero(pair[start : start + step] == cell)[:count] + start)
        if sum(len(f) for f in found) >= count:
            break
    return np.concatenate(found)[:count] if found else np.array([], dtype=np.int64)


def factorize_text(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Return integer codes (-1 for blank) and the distinct stripped texts of a column.

    The codes may be a small integer type: widen them before multiplying.

    A categorical column is read through its codes, so a national panel with
    90 million rows and a handful of categories costs one small pass.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        names = [str(name).strip() for name in series.cat.categories]
        if len(set(names)) == len(names) and "" not in names:
            return codes, names  # the usual case: the codes as they are (small integers)
        codes = codes.astype(np.int64)
        # Two categories may strip to the same text; merge them.
        uniques, first = np.unique(names, return_inverse=True)
        blank = np.array([name == "" for name in uniques])
        remap = np.where(blank[first], -1, first - np.cumsum(blank)[first])
        codes = np.where(codes < 0, -1, remap[np.maximum(codes, 0)] if len(remap) else -1)
        return codes, [name for name in uniques.tolist() if name != ""]
    text = series.astype("string").str.strip()
    codes, names = pd.factorize(text.mask(text == ""), use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), [str(name) for name in names]


def share_observations(
    counts: pd.DataFrame,
    *,
    indicator: str | pd.Series,
    period: str | pd.Series,
    source: str,
    counted: str | pd.Series,
    extra: Mapping[str, pd.Series] | None = None,
) -> pd.DataFrame:
    """Observations of a share [%]: hits among counted items, one per row of ``counts``.

    Water's good-section ratio and noise's compliance rates are both such
    shares; this builds their observation rows the same way.

    Parameters
    ----------
    counts : pandas.DataFrame
        ``region``, ``size`` (items counted) and ``sum`` (hits), as
        ``groupby(...)[flag].agg(["size", "sum"]).reset_index()`` gives them.
    indicator, period : str or pandas.Series
        Indicator id and period of each row (a Series aligned with ``counts``).
    source : str
        The ``source`` column: the input and the method.
    counted : str or pandas.Series
        What was counted, for the quote ``"<sum> of <size> <counted>"``.
    extra : mapping, optional
        More columns to keep after the observation columns.

    Returns
    -------
    pandas.DataFrame
        ``indicator, region, period, value [%], unit, source, quote`` and the
        ``extra`` columns.
    """
    extra = dict(extra or {})
    table = counts.assign(
        indicator=indicator,
        period=period,
        value=100.0 * counts["sum"] / counts["size"],
        unit="%",
        source=source,
        quote=counts["sum"].astype(str) + " of " + counts["size"].astype(str) + " " + counted,
        **extra,
    )
    return table[[*OBSERVATION_COLUMNS, *extra]]


def period_bounds(period: str) -> tuple[np.datetime64, np.datetime64]:
    """First day and the day after the last day of a period, as datetime64[D]."""
    parsed = parse_period(period)
    start = np.datetime64(parsed.start, "D")
    end = np.datetime64(parsed.end, "D") + np.timedelta64(1, "D")
    return start, end


def as_periods(period: str | Iterable[str] | None) -> list[str] | None:
    """Return a period or several as a list of texts (None stays None)."""
    if period is None:
        return None
    if isinstance(period, (str, int, np.integer)):
        return [str(period)]
    return [str(item) for item in period]


def covered_spans(days: np.ndarray, groups: np.ndarray | None = None) -> pd.DataFrame:
    """Periods the data cover: per group and calendar year, its first to last month present.

    A statistic over these periods is labelled with the months it stands for,
    so a few months of data are never taken for a whole year: ``2025-03`` for
    March alone, ``2025-01/2025-06`` for January to June, ``2025`` only when
    the data reach from January to December.

    Parameters
    ----------
    days : numpy.ndarray of datetime64
        Dates (or times) of the data.
    groups : numpy.ndarray, optional
        The group (region) of each date; default one group, ``""``.

    Returns
    -------
    pandas.DataFrame
        ``group`` and ``period``, one row per group and calendar year present,
        ordered by the period's first and last month, then by group.

    Examples
    --------
    >>> days = np.array(["2025-01-10", "2025-06-30", "2025-03-02"], "datetime64[D]")
    >>> covered_spans(days, np.array(["甲", "甲", "乙"])).to_numpy().tolist()
    [['甲', '2025-01/2025-06'], ['乙', '2025-03']]
    """
    month = np.asarray(days).astype("datetime64[M]").astype(np.int64)
    group = np.full(len(month), "", dtype=object) if groups is None else np.asarray(groups)
    present = pd.DataFrame({"group": group, "year": month // 12 + 1970, "month": month % 12 + 1})
    spans = present.groupby(["group", "year"], sort=False)["month"].agg(["min", "max"])
    spans = spans.reset_index().sort_values(["year", "min", "max", "group"], kind="stable")
    year = spans["year"].astype(str)
    first = year + "-" + spans["min"].astype(str).str.zfill(2)
    last = year + "-" + spans["max"].astype(str).str.zfill(2)
    period = np.where(
        (spans["min"] == 1) & (spans["max"] == 12),
        year,
        np.where(spans["min"] == spans["max"], first, first + "/" + last),
    )
    return pd.DataFrame({"group": spans["group"].to_numpy(), "period": period.astype(object)})


def covered_periods(days: np.ndarray) -> list[str]:
    """Periods all the data cover together: in each calendar year, first to last month present.

    Parameters
    ----------
    days : numpy.ndarray of datetime64
        Dates (or times) of the data.

    Returns
    -------
    list of str
        One period per calendar year present, in order (see :func:`covered_spans`).

    Examples
    --------
    >>> covered_periods(np.array(["2024-11-05", "2025-01-10", "2025-06-30"], "datetime64[D]"))
    ['2024-11', '2025-01/2025-06']
    """
    return covered_spans(days)["period"].tolist()
