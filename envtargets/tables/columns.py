"""The columns and vocabularies of the three tables (docs/user-guide.md, "The data files")."""

from __future__ import annotations

COMPARATORS = ("<=", "<", ">=", ">", "==", "between")

KINDS = ("binding", "expected", "aspirational")

DIRECTIONS = ("lower", "higher")
# How an indicator's values relate across years: a `level` is a state that
# carries over (a concentration, a share, a cumulative total); an `annual`
# amount counts what happened within one year only (facilities built that
# year) and accumulates from zero on 1 January; an `annual_rate` describes
# one year only but does not accumulate (a change on the previous year).
# For both annual kinds another year's value never stands in for the target year's.
MEASURES = ("level", "annual", "annual_rate")

INDICATOR_COLUMNS = ["indicator", "name_zh", "name_en", "unit", "better", "domain"]

TARGET_COLUMNS = [
    "target_id",
    "indicator",
    "region",
    "comparator",
    "value",
    "upper",
    "unit",
    "target_year",
    "baseline_year",
    "baseline_value",
    "kind",
    "source",
    "quote",
]

OBSERVATION_COLUMNS = ["indicator", "region", "period", "value", "unit", "source", "quote"]

REQUIRED = {
    "indicators": ["indicator", "unit", "better"],
    "targets": ["target_id", "indicator", "region", "comparator", "value", "unit", "target_year"],
    "observations": ["indicator", "region", "period", "value", "unit"],
}

# Columns that locate a row in its file; readers add them, validation keeps them.
LOCATION_COLUMNS = ["source_file", "row"]

# How normalising reads each column (every other column is text).
NUMBER_COLUMNS = {
    "indicators": [],
    "targets": ["value", "upper", "baseline_value"],
    "observations": ["value"],
}
YEAR_COLUMNS = {"indicators": [], "targets": ["target_year", "baseline_year"], "observations": []}
# Columns whose words have a canonical form (约束性 → binding), read from words.csv.
WORD_COLUMNS = {"indicators": ["better", "measure"], "targets": ["kind"], "observations": []}

OPTIONAL_COLUMNS = {
    "indicators": ["name_zh", "name_en", "domain", "measure"],
    "targets": ["upper", "baseline_year", "baseline_value", "kind", "source", "quote"],
    "observations": ["source", "quote"],
}
