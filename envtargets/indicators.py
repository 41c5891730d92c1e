"""The indicators table a computation uses: the bundled one, the user's, and inferred rows.

An indicator's definition — names, unit, direction of improvement (``better``)
and ``measure`` — is data; ``data/indicators.csv`` ships the bundled ones.
Everything that needs definitions (:func:`~envtargets.evaluate.evaluate`,
:func:`~envtargets.trend.trend`, the charts, :func:`~envtargets.build_report`
and every command of the command line) builds its table here, in two steps:

1. :func:`combine_indicators` — the bundled table extended by the user's: a
   user's row replaces the bundled row of the same id (cells it leaves empty
   keep the bundled value), and one note names the ids whose definition changed.
2. :func:`complete_indicators` — a row for every indicator of the targets or
   observations that neither table lists, inferred from its rows, with one
   note per indicator.

:func:`indicator_table` does both. Its result has an ``origin`` column
(``bundled``, ``user``, ``inferred``); given such a table again, the steps add
only what is still missing and note nothing twice. Notes are
:class:`~envtargets.DataCleaningWarning` warnings, which the command line prints
as ``note:`` lines. See docs/methodology.md, section 1 ("Indicators").
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from envtargets._status import CODES, comparator_direction
from envtargets.tables import DIRECTIONS, INDICATOR_COLUMNS, DataCleaningWarning

ORIGIN = "origin"
BUNDLED, USER, INFERRED = "bundled", "user", "inferred"

# The columns that define an indicator besides its id (compared for overrides).
DEFINITION_COLUMNS = [c for c in [*INDICATOR_COLUMNS, "measure"] if c != "indicator"]
_NO_ROWS = pd.DataFrame(columns=["indicator", "unit"], dtype=object)
_IDS_NAMED = 20  # overridden ids named in one note


def indicator_table(
    user: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
    observations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the indicators table for these targets and observations.

    The bundled table extended by ``user`` (:func:`combine_indicators`), then
    completed with the indicators no table lists (:func:`complete_indicators`).

    Parameters
    ----------
    user : pandas.DataFrame, optional
        The user's indicators (columns ``indicator, unit, better``, optional
        ``name_zh, name_en, domain, measure``); None for the bundled table alone.
    targets, observations : pandas.DataFrame, optional
        Frames whose indicators the table must cover (the documented columns).

    Returns
    -------
    pandas.DataFrame
        One row per indicator, with an ``origin`` column.
    """
    return complete_indicators(combine_indicators(user), targets, observations)


def combine_indicators(user: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the bundled indicators table extended by the user's.

    A user's row replaces the bundled row of the same id; the cells it leaves
    empty (or columns the user's table does not have) keep the bundled values.
    One :class:`~envtargets.DataCleaningWarning` names the bundled ids whose
    definition changed, with the columns that differ. A table that has been
    combined already (it has an ``origin`` column) notes nothing again.

    Parameters
    ----------
    user : pandas.DataFrame, optional
        The user's indicators; None for the bundled table alone.

    Returns
    -------
    pandas.DataFrame
        The bundled rows the user did not replace, then the user's rows;
        ``origin`` is ``bundled`` or ``user`` (or what ``user`` said).
    """
    bundled = bundled_indicators()
    if user is None:
        return bundled
    fresh = ORIGIN not in user.columns
    table = user.reset_index(drop=True)
    if fresh:
        table = table.assign(**{ORIGIN: USER})
    replaced = bundled["indicator"].isin(table["indicator"].astype(str))
    table = _keep_bundled_cells(table, bundled[replaced])
    if fresh:
        _note_overrides(table, bundled[replaced])
    kept = bundled[~replaced]
    if kept.empty:
        return table
    return pd.concat([kept, table], ignore_index=True)


def complete_indicators(
    indicators: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    observations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Add a row for every indicator of the targets or observations that ``indicators`` lacks.

    Each added row is inferred as :func:`inferred_indicators` describes, and
    one :class:`~envtargets.DataCleaningWarning` per indicator says so, e.g.
    "indicator 'my_noise' is in no indicators table: unit dB(A) from its rows,
    lower is better (comparator <=)".

    Parameters
    ----------
    indicators : pandas.DataFrame
        An indicators table, usually from :func:`combine_indicators`.
    targets, observations : pandas.DataFrame, optional
        Frames whose indicators the table must cover.

    Returns
    -------
    pandas.DataFrame
        ``indicators`` then the inferred rows (``origin`` ``inferred``).
    """
    table = indicators if ORIGIN in indicators.columns else indicators.assign(**{ORIGIN: USER})
    added, comparators = _inferred(table["indicator"], targets, observations)
    for row, written in zip(added.itertuples(index=False), comparators, strict=True):
        warnings.warn(_inference_note(row, written), DataCleaningWarning, stacklevel=3)
    if added.empty:
        return table
    return pd.concat([table, added], ignore_index=True)


def inferred_indicators(
    known: pd.Series,
    targets: pd.DataFrame | None = None,
    observations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Infer a definition for each indicator of the targets or observations not in ``known``.

    * ``unit``: that of the indicator's first row with a unit in the targets,
      else in the observations;
    * ``better``: what its targets' comparators say when they all say the same
      (``<``, ``<=``: ``lower``; ``>``, ``>=``: ``higher``), else missing
      (``==``, ``between``, comparators that disagree, no target);
    * ``measure`` ``level``; ``name_zh`` and ``name_en`` the id.

    Parameters
    ----------
    known : pandas.Series
        The ids the indicators table lists.
    targets, observations : pandas.DataFrame, optional
        Frames with ``indicator`` and ``unit`` columns (targets: ``comparator``).

    Returns
    -------
    pandas.DataFrame
        One row per indicator not in ``known``, in order of first appearance,
        columns ``indicator, name_zh, name_en, unit, better, domain, measure, origin``.
    """
    return _inferred(known, targets, observations)[0]


def checked_inputs(
    targets: pd.DataFrame,
    observations: pd.DataFrame,
    indicators: pd.DataFrame | None = None,
    *,
    validate: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Validate targets and observations; return them with the indicators table they use.

    With ``validate``, the user's indicators are validated
    (:func:`~envtargets.validate_indicators`; rows an earlier call inferred
    aside) and combined with the bundled table; when the user gave a table,
    the targets and observations are validated against the combination (every
    unit must convert to its indicator's), as the command line's readers do
    with ``--indicators``. Without one they are validated alone, as before
    this module: :func:`~envtargets.evaluate.evaluate` checks their units when
    it converts them. The table returned is completed from the validated frames.

    Parameters
    ----------
    targets, observations : pandas.DataFrame
        The documented columns (docs/user-guide.md).
    indicators : pandas.DataFrame, optional
        The user's indicators; they extend the bundled table.
    validate : bool, default True
        Validate the three tables; False only for frames validated already.

    Returns
    -------
    tuple of pandas.DataFrame
        Targets, observations (typed when validated) and the indicators table.

    Raises
    ------
    ValidationError
        Listing the problems of the tables.
    """
    if validate:
        from envtargets.tables import validate_targets_and_observations

        user = _validated(indicators)
        combined = combine_indicators(user)
        checked_against = None if user is None else combined
        targets, observations = validate_targets_and_observations(
            targets, observations, checked_against
        )
    else:
        combined = combine_indicators(indicators)
    return targets, observations, complete_indicators(combined, targets, observations)


def bundled_indicators() -> pd.DataFrame:
    """Return the bundled indicators table with ``origin`` ``bundled``.

    Empty (with the columns) in an install trimmed of the bundled data.
    """
    try:
        from envtargets.datasets import load_indicators

        table = load_indicators()
    except ImportError:  # a trimmed-down install without the bundled data
        table = pd.DataFrame(columns=["indicator", *DEFINITION_COLUMNS], dtype=object)
    return table.assign(**{ORIGIN: BUNDLED})


def indicator_definitions(indicators: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Map each indicator id to its unit, direction of improvement and measure.

    Parameters
    ----------
    indicators : pandas.DataFrame
        An indicators table (:func:`indicator_table`).

    Returns
    -------
    dict
        ``{"unit": {id: unit}, "better": {id: better}, "measure": {id: measure}}``;
        a missing ``better`` is None, a missing ``measure`` ``level``.
    """
    ids = indicators["indicator"].astype(str).tolist()

    def column(name: str, default: str | None) -> list:
        if name not in indicators:
            return [default] * len(ids)
        values = indicators[name].astype(object)
        return values.where(values.notna(), default).tolist()

    return {
        "unit": dict(zip(ids, column("unit", None), strict=True)),
        "better": dict(zip(ids, column("better", None), strict=True)),
        "measure": dict(zip(ids, column("measure", "level"), strict=True)),
    }


@dataclass(frozen=True)
class IndicatorInfo:
    """What a chart or report needs to know about one indicator."""

    name: str
    unit: str | None
    better: str | None


def indicator_labels(indicators: pd.DataFrame, lang: str) -> dict[str, IndicatorInfo]:
    """Map indicator ids to their display name in ``lang``, unit and direction of better.

    Parameters
    ----------
    indicators : pandas.DataFrame
        An indicators table (:func:`indicator_table`).
    lang : {"zh", "en"}
        Language of the names; a missing name falls back to the other
        language, then to the id.

    Returns
    -------
    dict of str to IndicatorInfo
        One entry per indicator of the table.
    """
    other = "en" if lang == "zh" else "zh"
    ids = indicators["indicator"].astype(str)
    names = ids.copy()
    for column in (f"name_{other}", f"name_{lang}"):  # the later one wins where given
        if column in indicators:
            text = indicators[column].astype(object).where(indicators[column].notna(), "")
            text = text.astype(str).str.strip()
            names = names.where(text == "", text)
    known = indicator_definitions(indicators)
    units, betters = known["unit"], known["better"]
    return {
        i: IndicatorInfo(name=name, unit=units[i], better=betters[i])
        for i, name in zip(ids, names, strict=True)
    }


def better_direction(info: IndicatorInfo | None, comparator: str) -> str | None:
    """Return ``"higher"`` or ``"lower"``: the indicator's, or else what the comparator implies."""
    if info is not None and info.better in DIRECTIONS:
        return info.better
    return comparator_better([comparator])[0] or None


def comparator_better(comparators) -> np.ndarray:
    """Return the direction of improvement each comparator implies.

    Parameters
    ----------
    comparators : array-like of str
        ``<=``, ``<``, ``>=``, ``>``, ``==``, ``between``.

    Returns
    -------
    numpy.ndarray of object
        ``lower`` (``<``, ``<=``), ``higher`` (``>``, ``>=``), else ``""``.
    """
    codes, distinct = pd.factorize(pd.Series(comparators, dtype=object))
    known = [CODES.get(str(c).strip(), -1) for c in distinct]  # one look-up per distinct
    return comparator_direction(np.array([*known, -1], dtype=np.int64)[codes])


def _validated(user: pd.DataFrame | None) -> pd.DataFrame | None:
    """Validate the user's indicators, leaving aside the rows an earlier call inferred."""
    if user is None:
        return None
    from envtargets.tables import validate_indicators

    if ORIGIN not in user.columns:
        return validate_indicators(user)
    inferred = (user[ORIGIN] == INFERRED).to_numpy()
    checked = validate_indicators(user[~inferred])
    return pd.concat([checked, user[inferred]], ignore_index=True) if inferred.any() else checked


def _keep_bundled_cells(table: pd.DataFrame, replaced: pd.DataFrame) -> pd.DataFrame:
    """Fill the empty definition cells of the user's rows from the bundled row of their id."""
    if replaced.empty:
        return table
    bundled = replaced.set_index("indicator").reindex(table["indicator"].astype(str))
    table = table.copy()
    for column in DEFINITION_COLUMNS:
        given = table[column] if column in table else pd.Series(pd.NA, index=table.index)
        given = given.astype(object)
        empty = (given.isna() | (given.astype(str).str.strip() == "")).to_numpy()
        if empty.any() and column in bundled:
            table[column] = given.where(~empty, bundled[column].astype(object).to_numpy())
    return table


def _note_overrides(table: pd.DataFrame, replaced: pd.DataFrame) -> None:
    """One note naming the bundled ids whose definition the user's rows change."""
    if replaced.empty:
        return
    mine = table.drop_duplicates("indicator", keep="last").set_index("indicator")
    mine = mine.reindex(replaced["indicator"])
    theirs = replaced.set_index("indicator")
    columns = [c for c in DEFINITION_COLUMNS if c in mine and c in theirs]
    differs = pd.DataFrame(
        {c: _comparable(mine[c]) != _comparable(theirs[c]) for c in columns}, index=theirs.index
    )
    changed = differs[differs.any(axis=1)]
    if changed.empty:
        return
    # A loop over changed ids: the note names each with its columns.
    named = [
        f"{indicator} ({', '.join(c for c in columns if row[c])})"
        for indicator, row in changed.head(_IDS_NAMED).iterrows()
    ]
    more = len(changed) - len(named)
    listed = "; ".join(named) + (f"; and {more} more" if more else "")
    count = f"{len(changed)} bundled indicator" + ("s" if len(changed) > 1 else "")
    warnings.warn(
        f"your indicators table replaces the definition of {count}: {listed}",
        DataCleaningWarning,
        stacklevel=4,
    )


def _comparable(column: pd.Series) -> np.ndarray:
    """Cells as stripped text, missing as "" (so a missing cell equals an empty one)."""
    values = column.astype(object)
    return values.where(values.notna(), "").astype(str).str.strip().to_numpy()


def _inferred(
    known: pd.Series, targets: pd.DataFrame | None, observations: pd.DataFrame | None
) -> tuple[pd.DataFrame, list[list[str]]]:
    """Return the inferred rows (see :func:`inferred_indicators`) and each one's comparators."""
    known_ids = set(known.astype(str))
    unknown_rows = [
        frame.loc[_unknown(frame["indicator"], known_ids), ["indicator", "unit"]].astype(object)
        for frame in (targets, observations)
        if frame is not None and len(frame)
    ]
    rows = pd.concat([rows for rows in unknown_rows if len(rows)] or [_NO_ROWS])
    # groupby().first() skips missing cells: the first row that has a unit.
    units = rows["unit"].groupby(rows["indicator"].astype(str), sort=False).first()
    ids = units.index.astype(str)
    better, comparators = _target_directions(targets, ids)
    added = pd.DataFrame(
        {
            "indicator": ids,
            "name_zh": ids,
            "name_en": ids,
            "unit": units.to_numpy(object),
            "better": better,
            "domain": None,
            "measure": "level",
            ORIGIN: INFERRED,
        },
        columns=["indicator", *DEFINITION_COLUMNS, ORIGIN],
    )
    return added, comparators


def _unknown(ids: pd.Series, known: set[str]) -> np.ndarray:
    """Return True for rows with an indicator not in ``known`` (decided once per distinct id)."""
    codes, distinct = pd.factorize(ids)
    listed = np.array([str(i) in known for i in distinct] + [True], dtype=bool)
    return ~listed[codes]  # code -1, a missing id, counts as listed: nothing to infer


def _target_directions(
    targets: pd.DataFrame | None, ids: pd.Index
) -> tuple[np.ndarray, list[list[str]]]:
    """Per id: the direction its targets' comparators agree on (else None), and the comparators."""
    better = np.full(len(ids), None, dtype=object)
    if targets is None or "comparator" not in targets or not len(ids):
        return better, [[] for _ in ids]
    mine = targets.loc[targets["indicator"].isin(ids), ["indicator", "comparator"]]
    mine = mine.astype(object).assign(indicator=mine["indicator"].astype(str))
    direction = comparator_better(mine["comparator"])
    sign = pd.Series(np.select([direction == "lower", direction == "higher"], [-1, 1], 0))
    by_id = sign.groupby(mine["indicator"].to_numpy())
    low, high = by_id.min().reindex(ids), by_id.max().reindex(ids)
    better[((low == -1) & (high == -1)).to_numpy()] = "lower"
    better[((low == 1) & (high == 1)).to_numpy()] = "higher"
    written = mine["comparator"].astype(str).str.strip()
    listed = written.groupby(mine["indicator"].to_numpy()).agg(lambda c: sorted(set(c)))
    return better, [listed.get(i, []) for i in ids]


def _inference_note(row, comparators: list[str]) -> str:
    unit = "no unit in its rows" if pd.isna(row.unit) else f"unit {row.unit} from its rows"
    direction = {
        "lower": "lower is better",
        "higher": "higher is better",
    }.get(row.better, "direction of improvement unknown")
    if not comparators:
        said = "no target"
    else:
        said = ("comparator " if len(comparators) == 1 else "comparators ") + ", ".join(comparators)
    return f"indicator {row.indicator!r} is in no indicators table: {unit}, {direction} ({said})"
