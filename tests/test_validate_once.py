"""A table is validated once: frames from the readers are not checked again, edited ones are."""

import numpy as np
import pandas as pd
import pytest

import envtargets.tables.validate as validation
from envtargets import (
    ValidationError,
    evaluate,
    load_indicators,
    read_observations,
    read_targets,
)
from tests.conftest import OBSERVATIONS_HEADER, TARGETS_HEADER

TARGETS = f"""{TARGETS_HEADER}
t1,pm25_annual_mean,深圳,<=,20,,微克/立方米,2025,,,binding,,
t2,pm25_annual_mean,河源,<=,25,,微克/立方米,2025,,,binding,,
"""
OBSERVATIONS = f"""{OBSERVATIONS_HEADER}
pm25_annual_mean,深圳,2024,18,微克/立方米,,
pm25_annual_mean,河源,2024,30,微克/立方米,,
"""


@pytest.fixture
def frames(write):
    return read_targets(write("t.csv", TARGETS)), read_observations(write("o.csv", OBSERVATIONS))


@pytest.fixture
def counted(monkeypatch):
    """Count the tables that are normalised (the start of every validation)."""
    load_indicators()  # the bundled table is read (and validated) once per process
    calls = []
    original = validation.normalise

    def normalise(frame, table):
        calls.append(table)
        return original(frame, table)

    monkeypatch.setattr(validation, "normalise", normalise)
    return calls


def test_frames_from_the_readers_are_not_validated_again(frames, counted):
    table = evaluate(*frames)
    # 18 ≤ 20 already; 30 > 25 with no baseline and no trend cannot be judged yet.
    assert counted == [] and table["status"].tolist() == ["on_track", "not_assessable"]


def test_a_filtered_frame_is_validated_again(frames, counted):
    targets, observations = frames
    evaluate(targets[targets["region"] == "深圳"], observations)
    assert counted == ["targets"]


@pytest.mark.parametrize(
    ("table", "edit", "words"),
    [
        ("targets", lambda t: t.loc.__setitem__((0, "value"), np.nan), "a target needs a number"),
        ("targets", lambda t: t.loc.__setitem__((1, "target_id"), "t1"), "appears more than once"),
        ("targets", lambda t: t.__setitem__("comparator", "between"), "needs an upper bound"),
        ("observations", lambda o: o.loc.__setitem__((1, "region"), "深圳"), "conflicts with"),
        ("observations", lambda o: o.loc.__setitem__((1, "value"), np.inf), "not a finite"),
    ],
)
def test_an_edited_frame_is_validated_again(frames, table, edit, words):
    targets, observations = frames
    edit(targets if table == "targets" else observations)
    with pytest.raises(ValidationError) as caught:
        evaluate(targets, observations)
    assert caught.value.problems["message"].str.contains(words).any()


def test_an_edited_period_is_read_again(frames):
    targets, observations = frames
    observations.loc[0, "period"] = "2024年"
    with pytest.warns(match="'2024年' read as 2024"):
        table = evaluate(targets, observations)
    assert table["observed_period"].tolist() == ["2024", "2024"]


def test_two_frames_put_together_are_validated_again(frames):
    targets, observations = frames
    doubled = pd.concat([targets, targets], ignore_index=True)
    with pytest.raises(ValidationError, match="appears more than once"):
        evaluate(doubled, observations)
