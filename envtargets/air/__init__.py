"""Air quality from raw monitoring data: IAQI/AQI, daily statistics and period assessment.

Functions take the standard version explicitly (``"2012"``, ``"2026"``,
``"2026-transitional"``, ``"2026-final"``) or default to the version in force
on the data's dates, and say which they used; :func:`iaqi`, whose bare
concentrations have no dates, needs ``standard=`` or ``date=``. The standards' figures are data
files of this package (``breakpoints.csv``, ``limits.csv``, ``categories.csv``,
``validity.csv``). See docs/standards.md.

Examples
--------
>>> from envtargets import air
>>> float(air.iaqi("PM2.5", 68, standard="2026"))
108.0
"""

from envtargets.air.assess import assess
from envtargets.air.city import city_daily, station_cities
from envtargets.air.daily import daily, eight_hour_means
from envtargets.air.index import aqi, iaqi
from envtargets.air.percentiles import percentiles
from envtargets.air.standards import (
    POLLUTANTS,
    Standard,
    breakpoint_table,
    limit_table,
    resolve_standard,
)
from envtargets.errors import StandardError

__all__ = [
    "POLLUTANTS",
    "Standard",
    "StandardError",
    "aqi",
    "assess",
    "breakpoint_table",
    "city_daily",
    "daily",
    "eight_hour_means",
    "iaqi",
    "limit_table",
    "percentiles",
    "resolve_standard",
    "station_cities",
]
