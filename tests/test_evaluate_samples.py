"""The hand-written sample evaluation agrees with evaluate() on the same inputs.

The chart, styling and report tests draw tests/evaluation_samples.py's rows
without calling evaluate(); this keeps those rows honest: every column they
write is what the rules give (the numbers are worked out in that module).
"""

import numpy as np
import pandas as pd

from envtargets.evaluate import evaluate
from tests import evaluation_samples as samples
from tests.conftest import REPLACED_DEFINITION

# samples.INDICATORS renames two bundled indicators: the note saying so is expected.
pytestmark = REPLACED_DEFINITION

WRITTEN = [
    "observed_period",
    "observed_value",
    "provisional",
    "status",
    "status_reason",
    "effective_baseline",
    "baseline_origin",
    "gap",
    "gap_unit",
    "trend_slope",
]


def test_every_hand_written_column_is_what_evaluate_gives():
    written = samples.evaluation().set_index("target_id")
    computed = evaluate(samples.targets(), samples.observations(), samples.INDICATORS)
    computed = computed.set_index("target_id").loc[written.index]
    for column in WRITTEN:
        mine, theirs = written[column], computed[column]
        if pd.api.types.is_float_dtype(theirs.dtype):
            np.testing.assert_allclose(mine.to_numpy(float), theirs.to_numpy(float), rtol=1e-12)
        else:
            same = [
                (pd.isna(a) and pd.isna(b)) or a == b
                for a, b in zip(mine.astype(object), theirs.astype(object), strict=True)
            ]
            assert all(same), f"{column}: {list(mine)} != {list(theirs)}"


def test_every_status_occurs_in_the_samples():
    statuses = set(samples.evaluation()["status"])
    assert statuses == {
        "achieved",
        "not_achieved",
        "on_track",
        "off_track",
        "not_assessable",
        "no_data",
    }
