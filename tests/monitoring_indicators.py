"""Indicators that the monitoring statistics emit and data/indicators.csv does not hold yet.

``monitoring_indicators.csv`` beside this file lists them in the columns of
data/indicators.csv (proposed for it); until they are bundled, the tests merge
them into the bundled table so that computed observations validate.
"""

from pathlib import Path

import pandas as pd

from envtargets import load_indicators

PROPOSED_FILE = Path(__file__).with_name("monitoring_indicators.csv")


def proposed() -> pd.DataFrame:
    """The proposed rows as a frame."""
    return pd.read_csv(PROPOSED_FILE, dtype=str)


def extended_indicators() -> pd.DataFrame:
    """Bundled indicators plus the proposed ones not yet bundled."""
    bundled = load_indicators().drop(columns=["source_file", "row"], errors="ignore")
    extra = proposed()
    extra = extra[~extra["indicator"].isin(bundled["indicator"])]
    return pd.concat([bundled, extra], ignore_index=True)
