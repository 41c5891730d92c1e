"""The annual summary report: ``report.html``, ``report.md``, charts, CSV and XLSX.

See :func:`build_report`; the command line runs it as ``envtargets report``.
"""

from envtargets.report._build import ReportError, build_report

__all__ = ["ReportError", "build_report"]
