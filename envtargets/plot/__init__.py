"""Charts for annual reports: bullet, trend, status grid and dashboard.

Every function returns a :class:`matplotlib.figure.Figure` (shown inline in a
notebook, saved with ``fig.savefig("chart.png")`` or ``.svg``), takes
``lang="zh"`` or ``"en"`` for names from the indicators table, ``title=`` and
``colors=`` (status → colour) overrides, and ``ax=`` where one axes suffices.
Chinese text is drawn with Noto Sans SC, which the package installs.

The chart modules (and matplotlib) are imported on first use, so that
``import envtargets.plot`` and the palette in :mod:`envtargets.plot._style`
stay cheap for code that only needs the colours.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from envtargets.plot._style import STATUS_COLORS, STATUS_ORDER, ChartError, status_colors

if TYPE_CHECKING:  # pragma: no cover
    from envtargets.plot.bullet import bullet_chart
    from envtargets.plot.grid import status_grid
    from envtargets.plot.region_page import dashboard
    from envtargets.plot.trend import trend_chart

_LAZY = {
    "bullet_chart": "envtargets.plot.bullet",
    "trend_chart": "envtargets.plot.trend",
    "status_grid": "envtargets.plot.grid",
    "dashboard": "envtargets.plot.region_page",
}

__all__ = [
    "STATUS_COLORS",
    "STATUS_ORDER",
    "ChartError",
    "bullet_chart",
    "dashboard",
    "status_colors",
    "status_grid",
    "trend_chart",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'envtargets.plot' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
