"""A small progress bar on standard error, for the charts of a report.

On a terminal the bar redraws itself in place; when standard error is a file
or a pipe (CI logs) it writes one line when the work starts and one when it
ends, so that logs stay readable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from envtargets.plot._labels import display_width

BAR_WIDTH = 24
LINE_WIDTH = 78


class Progress:
    """Count finished steps and show them as a bar.

    Parameters
    ----------
    total : int
        Number of steps.
    label : str
        What is being done, e.g. ``"charts"``.
    enabled : bool, default True
        False shows nothing.
    stream : file-like, optional
        Where to write; default ``sys.stderr`` (looked up when the bar starts).
    """

    def __init__(
        self, total: int, label: str, enabled: bool = True, stream: TextIO | None = None
    ) -> None:
        self.total = max(int(total), 0)
        self.label = label
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.started = time.perf_counter()
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        if self.enabled and not self.interactive:
            self._write(f"rendering {self.total} {self.label}…\n")
        elif self.enabled:
            self._draw("")

    def advance(self, item: str = "") -> None:
        """Mark one step as done; ``item`` names what was just finished."""
        self.done = min(self.done + 1, self.total)
        if self.enabled and self.interactive:
            self._draw(item)

    def close(self) -> None:
        """Finish the bar with the elapsed time."""
        if not self.enabled:
            return
        seconds = time.perf_counter() - self.started
        summary = f"{self.done}/{self.total} {self.label} rendered in {seconds:.1f} s"
        if self.interactive:
            self._write("\r" + summary.ljust(LINE_WIDTH) + "\n")
        else:
            self._write(summary + "\n")

    def _draw(self, item: str) -> None:
        filled = BAR_WIDTH * self.done // self.total if self.total else BAR_WIDTH
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        line = f"{self.label} {bar} {self.done}/{self.total} {item}"
        while display_width(line) > LINE_WIDTH:
            line = line[:-1]
        self._write("\r" + line + " " * max(0, LINE_WIDTH - display_width(line)))

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
