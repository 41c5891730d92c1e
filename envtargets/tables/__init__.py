"""The way in: files and frames → typed tables, in one pass.

read (:mod:`.read`: files as text) → normalise (:mod:`.normalise`: what each
cell means, noted; the written forms of :mod:`.forms` and the header aliases
are data files beside it) → check (:mod:`.check`: pandera rules, every problem
at once, :mod:`.problems` words them) → typed frame (:mod:`.validate`).
:mod:`.files` runs the pass over a set of files.
"""

from envtargets.tables.columns import (
    COMPARATORS,
    DIRECTIONS,
    INDICATOR_COLUMNS,
    KINDS,
    LOCATION_COLUMNS,
    MEASURES,
    OBSERVATION_COLUMNS,
    REQUIRED,
    TARGET_COLUMNS,
)
from envtargets.tables.files import read_indicators, read_observations, read_targets
from envtargets.tables.notes import DataCleaningWarning
from envtargets.tables.read import read_table
from envtargets.tables.validate import (
    validate_indicators,
    validate_observations,
    validate_targets,
    validate_targets_and_observations,
)

__all__ = [
    "COMPARATORS",
    "DIRECTIONS",
    "INDICATOR_COLUMNS",
    "KINDS",
    "LOCATION_COLUMNS",
    "MEASURES",
    "OBSERVATION_COLUMNS",
    "REQUIRED",
    "TARGET_COLUMNS",
    "DataCleaningWarning",
    "read_indicators",
    "read_observations",
    "read_table",
    "read_targets",
    "validate_indicators",
    "validate_observations",
    "validate_targets",
    "validate_targets_and_observations",
]
