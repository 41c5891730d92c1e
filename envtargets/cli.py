"""The ``envtargets`` command line.

Every command catches the library's own errors and prints them as plain
messages (file, row, column) with a non-zero exit status; users never see a
traceback for bad input. Notes about cleaned input go to standard error.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

import pandas as pd

from envtargets.datasets import load_observations, load_targets
from envtargets.errors import EnvTargetsError, gather_problems
from envtargets.export import write_table
from envtargets.indicators import combine_indicators, complete_indicators
from envtargets.monitoring_cli import add_air_parser, add_noise_parser, add_water_parser
from envtargets.tables import DataCleaningWarning, read_indicators, read_observations, read_targets
from envtargets.terminal import format_evaluation

EXIT_BAD_INPUT = 2


def _add_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--targets",
        nargs="+",
        metavar="FILE",
        help="targets files (.csv/.xlsx); default: the bundled data",
    )
    parser.add_argument(
        "--observations",
        nargs="+",
        metavar="FILE",
        help="observations files (.csv/.xlsx); default: the bundled data",
    )
    parser.add_argument(
        "--indicators",
        metavar="FILE",
        help="your indicators file; it extends the bundled indicators.csv (your rows win)",
    )


def load_inputs(args: argparse.Namespace) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read the indicators, targets and observations that the arguments name.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments with ``indicators``, ``targets`` and ``observations``.

    Returns
    -------
    tuple of pandas.DataFrame
        Indicators, targets and observations; the bundled ones where a file is
        not given. The indicators file extends the bundled table, and the
        indicators in no table are inferred, as :func:`envtargets.evaluate`
        does (:mod:`envtargets.indicators`).
    """
    user = read_indicators(args.indicators) if args.indicators else None
    indicators = combine_indicators(user)
    targets, observations = gather_problems(
        lambda: (
            read_targets(*args.targets, indicators=indicators) if args.targets else load_targets()
        ),
        lambda: (
            read_observations(*args.observations, indicators=indicators)
            if args.observations
            else load_observations()
        ),
    )
    return complete_indicators(indicators, targets, observations), targets, observations


def _summary(args: argparse.Namespace) -> int:
    indicators, targets, observations = load_inputs(args)
    print(f"indicators: {len(indicators)}")
    print(f"targets: {len(targets)} ({', '.join(_counts(targets, 'region'))})")
    print(f"observations: {len(observations)} ({', '.join(_counts(observations, 'region'))})")
    years = targets["target_year"].dropna()
    if len(years):
        print(f"target years: {years.min()}–{years.max()}")
    quoted = set(targets["source"].dropna()) | set(observations["source"].dropna())
    print(f"sources: {len(quoted)} documents quoted")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from envtargets.evaluate import evaluate

    indicators, targets, observations = load_inputs(args)
    table = evaluate(targets, observations, indicators, alpha=args.alpha)
    if args.output is None:
        print(format_evaluation(table, indicators, lang=args.lang))
        return 0
    names = indicators.set_index("indicator")[f"name_{args.lang}"]
    table["indicator_name"] = table["indicator"].map(names)
    written = write_table(table, args.output)
    print(f"wrote {len(table)} targets to {written}", file=sys.stderr)
    return 0


def _report(args: argparse.Namespace) -> int:
    from envtargets.report import build_report

    indicators, targets, observations = load_inputs(args)
    path = build_report(
        targets,
        observations,
        indicators,
        args.output,
        region=args.region,
        year=args.year,
        lang=args.lang,
        progress=not args.quiet,
    )
    print(f"wrote the report to {path}", file=sys.stderr)
    return 0


def _counts(frame: pd.DataFrame, column: str) -> list[str]:
    return [f"{key} {count}" for key, count in frame[column].value_counts().items()]


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``envtargets`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser with its sub-commands.
    """
    parser = argparse.ArgumentParser(
        prog="envtargets",
        description="Environmental targets versus observed values: validate, evaluate, report.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    summary = commands.add_parser(
        "summary",
        help="validate the data and print what it holds",
        description="Validate indicators, targets and observations and print a summary.",
    )
    _add_data_arguments(summary)
    summary.set_defaults(run=_summary)

    evaluate = commands.add_parser(
        "evaluate",
        help="compare targets with observations: gap, progress, status, trend",
        description=(
            "Evaluate every target against the latest observation up to its target year. "
            "Without --output, print an aligned table; with --output, write .csv, .xlsx or .json."
        ),
    )
    _add_data_arguments(evaluate)
    evaluate.add_argument(
        "--output", metavar="FILE", help="write the table to FILE (.csv, .xlsx or .json)"
    )
    evaluate.add_argument(
        "--lang", choices=["zh", "en"], default="en", help="language of names and labels"
    )
    evaluate.add_argument(
        "--alpha",
        type=float,
        default=0.05,
        help="significance level of the Mann-Kendall trend test (default 0.05)",
    )
    evaluate.set_defaults(run=_evaluate)

    report = commands.add_parser(
        "report",
        help="write the annual summary report: HTML, Markdown, charts, CSV and XLSX",
        description=(
            "Evaluate the targets and write the annual summary into a folder: report.html "
            "(self-contained), report.md, every chart as PNG and SVG, and the evaluation "
            "table as CSV and XLSX. Without data arguments, the bundled data are used."
        ),
    )
    _add_data_arguments(report)
    report.add_argument("--output", metavar="DIR", required=True, help="folder to write into")
    report.add_argument("--region", help="report on one region only (as written in the data)")
    report.add_argument(
        "--year",
        type=int,
        help="reporting year: use only observations whose period ends by 31 December of it",
    )
    report.add_argument(
        "--lang", choices=["zh", "en"], default="zh", help="language of the report (default zh)"
    )
    report.add_argument("--quiet", action="store_true", help="no progress bar")
    report.set_defaults(run=_report)

    add_air_parser(commands)
    add_water_parser(commands)
    add_noise_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 on success, 2 for bad input.
    """
    args = build_parser().parse_args(argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataCleaningWarning)
        try:
            status = args.run(args)
        except EnvTargetsError as error:
            _print_notes(caught)
            print(f"envtargets {args.command}: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
    _print_notes(caught)
    return status


def _print_notes(caught: list[warnings.WarningMessage]) -> None:
    for note in caught:
        if issubclass(note.category, DataCleaningWarning):
            print(f"note: {note.message}", file=sys.stderr)
        else:
            warnings.showwarning(note.message, note.category, note.filename, note.lineno)


if __name__ == "__main__":
    sys.exit(main())
