"""Error types that users can catch.

Every error derives from :class:`EnvTargetsError` and also from ``ValueError``,
so ``except ValueError`` keeps working in code that does not know this library.
Errors keep their facts as attributes and build the message in ``__str__``
(the design pint uses), and :class:`ValidationError` carries every problem as a
table so that notebooks can filter it like any other frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

PROBLEM_COLUMNS = ["file", "row", "column", "value", "message"]


class EnvTargetsError(Exception):
    """Base class of every error raised by envtargets."""


class UnitError(EnvTargetsError, ValueError):
    """A unit that cannot be parsed, or two units that cannot be converted.

    Parameters
    ----------
    unit : str
        The unit text that failed, or the unit converted from.
    reason : str
        What went wrong, in plain words.
    to_unit : str, optional
        The unit converted to, for a failed conversion.
    """

    def __init__(self, unit: str, reason: str, to_unit: str | None = None) -> None:
        self.unit = unit
        self.to_unit = to_unit
        self.reason = reason
        super().__init__(str(self))

    def __reduce__(self):
        # Rebuild from the facts, not the message (errors cross process
        # boundaries in Dask and multiprocessing).
        return (type(self), (self.unit, self.reason, self.to_unit))

    def __str__(self) -> str:
        if self.to_unit is None:
            return f"unknown unit {self.unit!r}: {self.reason}"
        return f"cannot convert {self.unit!r} to {self.to_unit!r}: {self.reason}"


class PeriodError(EnvTargetsError, ValueError):
    """A period text that is not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM/YYYY-MM``."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(str(self))

    def __reduce__(self):
        return (type(self), (self.text, self.reason))

    def __str__(self) -> str:
        return f"invalid period {self.text!r}: {self.reason}"


class StandardError(EnvTargetsError, ValueError):
    """An unknown standard version, pollutant, parameter or option."""


class ReportError(EnvTargetsError, ValueError):
    """An argument of :func:`build_report` that cannot be used, or an unwritable output folder."""


class OutputError(EnvTargetsError, ValueError):
    """An output path that cannot be written (unknown format, missing folder)."""


class ChartError(EnvTargetsError, ValueError):
    """A chart argument that cannot be used (unknown target, region, status or language)."""


class ValidationError(EnvTargetsError, ValueError):
    """One or more problems in input data, all reported at once.

    Attributes
    ----------
    problems : pandas.DataFrame
        One row per problem with columns ``file``, ``row`` (1-based, as a
        spreadsheet shows it, the header being row 1; empty for a problem with
        the whole file), ``column``, ``value`` and ``message``.
    """

    def __init__(self, problems: pd.DataFrame | Iterable[Mapping[str, Any]]) -> None:
        frame = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
        self.problems = frame.reset_index(drop=True)
        super().__init__(str(self))

    def __reduce__(self):
        return (type(self), (self.problems,))

    def __str__(self) -> str:
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} found in the input data:"]
        lines += [
            f"  {_locate(problem)}{problem.message}" for problem in self.problems.itertuples()
        ]
        return "\n".join(lines)


def _locate(problem: Any) -> str:
    """Return the ``file, row N, column 'x': `` prefix of one problem line."""
    parts = []
    if isinstance(problem.file, str) and problem.file:
        parts.append(problem.file)
    if pd.notna(problem.row):
        parts.append(f"row {int(problem.row)}")
    if isinstance(problem.column, str) and problem.column:
        parts.append(f"column {problem.column!r}")
    return (", ".join(parts) + ": ") if parts else ""


def gather_problems(*steps: Callable[[], Any]) -> list[Any]:
    """Run every step, then report the problems of all of them in one error.

    Parameters
    ----------
    *steps : callable
        Functions without arguments, e.g. reading the targets and reading the
        observations; each may raise :class:`ValidationError`.

    Returns
    -------
    list
        The steps' results, in order, when none raised.

    Raises
    ------
    ValidationError
        With the problems of every step that failed, so that one message lists
        them all instead of stopping at the first table.
    """
    results, problems = [], []
    for step in steps:
        try:
            results.append(step())
        except ValidationError as error:
            problems.append(error.problems)
    if problems:
        raise ValidationError(pd.concat(problems, ignore_index=True))
    return results
