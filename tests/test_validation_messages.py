"""Messages that name other rows: the groups worked out once per error name what a scan finds.

The conflict and duplicate-id messages used to scan the whole frame for every
failing row; ``reference_*`` below is that scan, and the messages built from
groups must name the same rows, in the same words, for any rows.
"""

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envtargets import ValidationError, validate_observations, validate_targets
from envtargets.tables.check import no_conflicting_observations
from envtargets.tables.normalise import as_text, normalise

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEYS = ["indicator", "region", "period"]

# Cells that cleaning leaves as they are, so the reference can read the frame as given.
observation_rows = st.lists(
    st.tuples(
        st.sampled_from(["pm25", "no2", pd.NA]),
        st.sampled_from(["深圳", "河源", None]),
        st.sampled_from(["2022", 2022, "2023", pd.NA]),
        st.sampled_from(["16", "0.016", "17", 16.0, pd.NA]),
        st.sampled_from(["µg/m³", "mg/m3", "%", None]),
    ),
    min_size=1,
    max_size=30,
)


def reference_conflict_messages(frame: pd.DataFrame) -> dict[int, str]:
    """The per-row scan: every other row whose key cells read the same as text."""
    frame = normalise(frame, "observations").frame  # the cells as the checks see them
    flagged = ~no_conflicting_observations(frame)
    keyed = frame[KEYS].notna().all(axis="columns")
    texts = frame[KEYS].astype("string")
    messages = {}
    for i in frame.index[flagged & keyed]:
        same = (texts == texts.loc[i]).fillna(False).all(axis="columns")
        located = ", ".join(
            f"o.csv row {j + 2} ({frame.at[j, 'value']:g} {frame.at[j, 'unit']})"
            for j in frame.index[same]
            if j != i
        )
        messages[i + 2] = (
            f"value {frame.at[i, 'value']:g} {frame.at[i, 'unit']} conflicts with {located}: "
            "same indicator, region and period, different values"
        )
    return messages


def reported(call, words: str) -> dict[int, str]:
    """Row → message of the problems whose message contains ``words``; only ValidationError."""
    try:
        call()
    except ValidationError as error:
        problems = error.problems[error.problems["message"].str.contains(words)]
        return dict(zip(problems["row"].astype(int), problems["message"], strict=True))
    return {}


@SETTINGS
@given(observation_rows)
def test_conflict_messages_name_the_rows_a_scan_of_the_cells_finds(rows):
    frame = pd.DataFrame(rows, columns=[*KEYS, "value", "unit"], dtype=object)
    frame = frame.where(frame.notna(), pd.NA)  # as cleaning leaves text
    found = reported(lambda: validate_observations(frame, file="o.csv"), "conflicts with")
    assert found == reference_conflict_messages(frame)


@SETTINGS
@given(st.lists(st.sampled_from(["a", "b", "c", 1, 1.0, "1", None]), min_size=1, max_size=30))
def test_duplicate_id_messages_name_the_rows_a_scan_of_the_cells_finds(ids):
    frame = pd.DataFrame(
        {
            "target_id": pd.Series(ids, dtype=object),
            "indicator": "pm25",
            "region": "深圳",
            "comparator": "<=",
            "value": "15",
            "unit": "%",
            "target_year": "2025",
        }
    )
    found = reported(lambda: validate_targets(frame, file="t.csv"), "appears more than once")
    # Ids are text: 1, 1.0 and "1" are all the id "1", as a CSV file would write them.
    cleaned = as_text(pd.Series(ids, dtype=object)).astype(object)
    duplicated = cleaned.notna() & cleaned.duplicated(keep=False)
    expected = {
        i + 2: f"target_id {cleaned[i]!r} appears more than once (rows "
        + ", ".join(str(j + 2) for j in cleaned.index[cleaned == cleaned[i]])
        + ")"
        for i in cleaned.index[duplicated]
    }
    assert found == expected
