"""envtargets: environmental target-versus-actual analytics.

Unit-aware target definitions and observed series in, gap, attainment,
progress and trend tables and annual-report charts out. Every function takes
and returns plain pandas objects (charts: matplotlib Figures).

The chart and monitoring subpackages (``envtargets.plot``, ``envtargets.air``,
``envtargets.water``, ``envtargets.noise``) load on first use, so importing
this package stays quick and leaves global matplotlib and pint state alone.
"""

import importlib
from importlib.metadata import PackageNotFoundError, version
from types import ModuleType

from envtargets.datasets import load_indicators, load_observations, load_targets
from envtargets.errors import (
    ChartError,
    EnvTargetsError,
    OutputError,
    PeriodError,
    ReportError,
    StandardError,
    UnitError,
    ValidationError,
)
from envtargets.evaluate import evaluate
from envtargets.periods import Period, parse_period
from envtargets.report import build_report
from envtargets.styling import style_evaluation
from envtargets.tables import (
    DataCleaningWarning,
    read_indicators,
    read_observations,
    read_targets,
    validate_indicators,
    validate_observations,
    validate_targets,
)
from envtargets.trend import trend
from envtargets.units import convert, format_unit, parse_unit

try:
    __version__ = version("envtargets")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0"

_LAZY_SUBPACKAGES = ("plot", "air", "water", "noise")


def __getattr__(name: str) -> ModuleType:
    # Charts import matplotlib and the CJK font; load them only when asked.
    if name in _LAZY_SUBPACKAGES:
        return importlib.import_module(f"envtargets.{name}")
    raise AttributeError(f"module 'envtargets' has no attribute {name!r}")


__all__ = [
    "ChartError",
    "DataCleaningWarning",
    "EnvTargetsError",
    "OutputError",
    "Period",
    "PeriodError",
    "ReportError",
    "StandardError",
    "UnitError",
    "ValidationError",
    "__version__",
    "air",
    "build_report",
    "convert",
    "evaluate",
    "format_unit",
    "load_indicators",
    "load_observations",
    "load_targets",
    "noise",
    "parse_period",
    "parse_unit",
    "plot",
    "read_indicators",
    "read_observations",
    "read_targets",
    "style_evaluation",
    "trend",
    "validate_indicators",
    "validate_observations",
    "validate_targets",
    "water",
]
