"""Every rule that the monitoring statistics use without an official text to confirm it.

docs/standards.md marks these rules *unconfirmed*: they are the expected practice
(what official monthly reports and common implementations do), but nobody on
the project has read them in the standard itself. They live here, and only
here, so that a reader can find them all at once, docs/standards.md can list
them, and a correction is one edit. Each constant says what it decides and
where it is used.
"""

from __future__ import annotations

# --- Air: hourly data and the O3 8-hour mean -------------------------------------

#: What an hourly time stamp names: ``"start"`` — the hour that begins at the
#: stamp (``2025-01-01 00:00`` is 00:00–01:00, the day's first hour), the
#: labelling of most data downloads — or ``"end"`` — the hour that ends at the
#: stamp (CNEMC publishes ``01:00`` for 00:00–01:00, so ``00:00`` is the previous
#: day's last hour). Used by :func:`envtargets.air.daily`; users can override it.
HOUR_LABEL = "start"

#: Which 8-hour windows make up a day's O3 daily maximum 8-hour mean.
#: ``"day"``: the 17 windows that lie within the natural day (hours 0–7 up to
#: 16–23 by start; HJ 663's "8时至24时" read as window ends). ``"trailing"``: the
#: 24 windows ending at each hour of the day, the first 7 reaching back into the
#: previous day (the real-time convention of HJ 633). Used by ``daily``.
O3_WINDOW = "day"

#: A day with fewer than the minimum number of valid 8-hour means still counts
#: when its maximum already exceeds the class-2 8-hour limit (a missing window
#: could only raise the maximum). Used by ``daily``.
O3_EXCEEDANCE_COUNTS_WHEN_INCOMPLETE = True

#: Minimum valid hours for the O3 daily maximum 1-hour value (the 2012 daily
#: AQI uses it). The standards give no figure; the 24-hour rule is reused.
O3_1H_MIN_HOURS = 20

# --- Air: AQI ----------------------------------------------------------------------

#: IAQI for a concentration above the last breakpoint of its column (other than
#: the SO2 1-h and O3 8-h columns, which HJ 633 rules explicitly): the tables
#: stop at IAQI 500, and real-time platforms show 500.
IAQI_ABOVE_TABLE = 500

#: HJ 633—2026 computes the AQI from the available pollutants when one is
#: missing and publishes it only above 100 (NA otherwise). HJ 633—2012 says
#: nothing; the same rule is applied to it (a missing pollutant can only raise
#: the AQI, so an AQI above 100 is certain and one at or below 100 is not).
AQI_NA_RULE_FOR_2012 = True

# --- Air: assessment (HJ 663) --------------------------------------------------------

#: Percentile statistic of each pollutant's daily values, and the limit it is
#: compared with. (The SO2/NO2 P98 and PM P95 are in docs/standards.md as stated;
#: the CO P95 and O3 P90 are the practice of official monthly reports.)
PERCENTILES = {"so2": 98, "no2": 98, "pm10": 95, "pm25": 95, "co": 95, "o3_8h": 90}

#: A period shorter than a year, or a run of months, is valid when every month
#: in it has its monthly minimum of valid days (27, February 25); a full
#: calendar year additionally needs 324. (The standard states the yearly and
#: monthly minimums for annual statistics; applying the monthly one to month and
#: year-to-date periods is our reading.) False: a month or run of months is valid
#: with at least one valid day; a full year keeps both minimums.
PARTIAL_PERIODS_NEED_EVERY_MONTH = True

#: A city attains the standard when all six pollutants do, and its attainment is
#: unknown while any pollutant's is. False: the pollutants whose attainment is
#: known decide (unknown only when none is known).
CITY_ATTAINS_WHEN_ALL_SIX_ATTAIN = True

#: Weights of the ranking form of the comprehensive index (others weigh 1).
COMPOSITE_INDEX_WEIGHTS = {"pm25": 3.0, "no2": 2.0, "o3_8h": 2.0}

#: A city's hourly (or daily) value is the mean over its stations with a valid
#: value; no minimum share of reporting stations is required.
CITY_MIN_STATIONS = 1

# --- Surface water (GB 3838, 2011 assessment rules) ----------------------------------

#: Values reported below the detection limit ("0.01L", "<0.01") enter the
#: period mean at half the detection limit.
BELOW_DETECTION_FACTOR = 0.5

# --- Noise (HJ 640) --------------------------------------------------------------------

#: Functional-zone compliance rate = compliant day (night) point-measurements /
#: all day (night) point-measurements; a measurement complies when its LAeq is
#: at or below the limit. Hourly values of one point and session are first
#: combined into one measurement by energy averaging.
NOISE_COMPLIANT_AT_LIMIT = True
