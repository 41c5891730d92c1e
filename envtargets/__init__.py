"""envtargets: environmental target-versus-actual analytics.

Unit-aware target definitions and observed series in, gap, attainment,
progress and trend tables and annual-report charts out. Every function takes
and returns plain pandas objects (charts: matplotlib Figures).

Charts load matplotlib and the CJK font only when first drawn, so importing
this package stays quick and leaves global matplotlib and pint state alone.
"""

from importlib.metadata import PackageNotFoundError, version

from envtargets.datasets import load_indicators, load_observations, load_targets
from envtargets.errors import EnvTargetsError, PeriodError, UnitError, ValidationError
from envtargets.io import read_indicators, read_observations, read_targets
from envtargets.periods import Period, parse_period
from envtargets.schema import (
    DataCleaningWarning,
    validate_indicators,
    validate_observations,
    validate_targets,
)
from envtargets.units import convert, format_unit, parse_unit

try:
    __version__ = version("envtargets")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0"

__all__ = [
    "DataCleaningWarning",
    "EnvTargetsError",
    "Period",
    "PeriodError",
    "UnitError",
    "ValidationError",
    "__version__",
    "convert",
    "format_unit",
    "load_indicators",
    "load_observations",
    "load_targets",
    "parse_period",
    "parse_unit",
    "read_indicators",
    "read_observations",
    "read_targets",
    "validate_indicators",
    "validate_observations",
    "validate_targets",
]
