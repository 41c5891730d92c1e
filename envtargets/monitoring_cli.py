"""Command-line sub-commands ``air``, ``water`` and ``noise``: raw monitoring data to observations.

Each command reads CSV or .xlsx files (UTF-8 or GB18030, as
:func:`envtargets.tables.read_table` reads them), computes the official
statistics and writes an observations file (CSV, XLSX or JSON, atomically)
that ``envtargets evaluate --observations`` reads. Errors are
:class:`~envtargets.errors.EnvTargetsError` subclasses, which ``envtargets``
prints without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

import pandas as pd

from envtargets.errors import ValidationError
from envtargets.export import write_table
from envtargets.tables import read_table


def _read(paths: Sequence[str]) -> pd.DataFrame:
    """Read and stack files, reporting every unreadable file at once."""
    frames, problems = [], []
    for path in paths:
        try:
            frames.append(read_table(path))
        except ValidationError as error:
            problems.append(error.problems)
    if problems:
        raise ValidationError(pd.concat(problems, ignore_index=True))
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _command(
    subparsers: argparse._SubParsersAction,
    name: str,
    *,
    run: Callable[[argparse.Namespace], int],
    summary: str,
    description: str,
    inputs: tuple[str, str],
    table_output: tuple[str, str] | None = None,
) -> argparse.ArgumentParser:
    """Add one monitoring command with the arguments all three share.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The ``envtargets`` sub-command registry.
    name : str
        Command name.
    run : callable
        Runs the command from the parsed arguments; returns the exit status.
    summary, description : str
        One-line help in the command list, and the command's own description.
    inputs : (str, str)
        Flag of the raw data files (one or more, required) and its help.
    table_output : (str, str), optional
        Flag of an optional intermediate table to write too (the daily table,
        the section classes; dest ``table_output``) and its help.

    Returns
    -------
    argparse.ArgumentParser
        The new sub-parser, for the command's own arguments.
    """
    parser = subparsers.add_parser(name, help=summary, description=description)
    flag, text = inputs
    parser.add_argument(flag, nargs="+", required=True, metavar="FILE", help=text)
    parser.add_argument(
        "--period",
        nargs="+",
        metavar="PERIOD",
        help="periods: 2025 (year), 2025-03 (month), 2025-01/2025-09 (months 1-9); "
        "default: the months the data cover in each year, per station, city or region "
        "(2025-03, 2025-01/2025-06; 2025 only for January to December)",
    )
    parser.add_argument(
        "--output",
        required=True,
        metavar="FILE",
        help="observations file to write (.csv, .xlsx or .json)",
    )
    if table_output is not None:
        flag, text = table_output
        parser.add_argument(flag, dest="table_output", metavar="FILE", help=text)
    parser.set_defaults(run=run)
    return parser


def _write_table(table: pd.DataFrame, args: argparse.Namespace) -> None:
    """Write the intermediate table when ``--daily-output`` (…) asks for it."""
    if args.table_output:
        write_table(table, args.table_output)


def _report(observations: pd.DataFrame, path: str, notes: Sequence[str] = ()) -> int:
    write_table(observations, path)
    regions = observations["region"].nunique()
    periods = ", ".join(pd.unique(observations["period"].astype(str)))
    print(f"wrote {len(observations)} observations ({regions} regions; {periods}) to {path}")
    for line in notes:
        print(f"note: {line}", file=sys.stderr)
    return 0


def _run_air(args: argparse.Namespace) -> int:
    from envtargets.air import assess, daily

    hourly = _read(args.hourly)
    stations = _read([args.stations]) if args.stations else None
    table = daily(
        hourly,
        args.standard,
        stations=stations,
        time_label=args.time_label,
        o3_window=args.o3_window,
        clean=args.clean,
    )
    _write_table(table, args)
    observations = assess(table, args.period, args.standard, grade=args.grade)
    notes = list(table.attrs.get("notes", []))
    notes.append(f"limits: {', '.join(pd.unique(observations['standard'].astype(str)))}")
    return _report(observations, args.output, notes)


def add_air_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``air`` command: hourly station data → AQI and assessment observations.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The ``envtargets`` sub-command registry.

    Returns
    -------
    argparse.ArgumentParser
        The new sub-parser (its ``run`` default runs the command).
    """
    parser = _command(
        subparsers,
        "air",
        run=_run_air,
        summary="air-quality statistics (AQI, 优良 ratio, annual means, percentiles) from "
        "hourly data",
        description="Compute daily AQI and the HJ 663 period assessment from hourly station "
        "data and write them as observations.",
        inputs=(
            "--hourly",
            "hourly data: station,time,pollutant,value[,unit] or station,time,SO2,NO2,...",
        ),
        table_output=("--daily-output", "also write the daily table"),
    )
    parser.add_argument(
        "--stations",
        metavar="FILE",
        help="station,city list: assess cities (mean over their stations) instead of stations",
    )
    parser.add_argument(
        "--standard",
        choices=["2012", "2026", "2026-transitional", "2026-final"],
        help="standard version; default: the one in force on the data's dates",
    )
    parser.add_argument("--grade", type=int, choices=[1, 2], default=2, help="GB 3095 limit grade")
    parser.add_argument(
        "--time-label",
        choices=["start", "end"],
        help="whether a time stamp names the start (default) or the end of its hour",
    )
    parser.add_argument(
        "--o3-window",
        choices=["day", "trailing"],
        help="O3 8-hour windows: within the day (default) or ending in each hour",
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help="read negative values as missing and keep the first of duplicated rows "
        "(reported) instead of stopping",
    )
    return parser


def _run_water(args: argparse.Namespace) -> int:
    from envtargets.water import good_ratio, section_class

    samples = _read(args.samples)
    classes = section_class(samples, args.water_body, args.period)
    _write_table(classes, args)
    return _report(good_ratio(classes, args.region), args.output)


def add_water_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``water`` command: section samples → class I–III share observations.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The ``envtargets`` sub-command registry.

    Returns
    -------
    argparse.ArgumentParser
        The new sub-parser.
    """
    parser = _command(
        subparsers,
        "water",
        run=_run_water,
        summary="surface-water section classes (GB 3838) and the share of good sections",
        description="Classify sections by the single-factor method and write the share of "
        "class I-III sections as observations.",
        inputs=(
            "--samples",
            "samples: section,time,parameter,value[,unit][,region] or one column per parameter",
        ),
        table_output=("--classes-output", "also write section classes"),
    )
    parser.add_argument("--water-body", choices=["river", "lake"], default="river")
    parser.add_argument("--region", default="all", help="region name when samples have none")
    return parser


def _run_noise(args: argparse.Namespace) -> int:
    from envtargets.noise import compliance

    measurements = _read(args.measurements)
    zones = _read([args.zones])
    return _report(compliance(measurements, zones, args.period), args.output)


def add_noise_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``noise`` command: functional-zone measurements → compliance-rate observations.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The ``envtargets`` sub-command registry.

    Returns
    -------
    argparse.ArgumentParser
        The new sub-parser.
    """
    parser = _command(
        subparsers,
        "noise",
        run=_run_noise,
        summary="functional-zone day and night compliance rates (GB 3096)",
        description="Compute day and night compliance rates of acoustic-environment "
        "functional zones and write them as observations.",
        inputs=("--measurements", "point,time,laeq (hourly) or point,date,session,laeq"),
    )
    parser.add_argument(
        "--zones", required=True, metavar="FILE", help="point,zone_class[,region] list"
    )
    return parser
