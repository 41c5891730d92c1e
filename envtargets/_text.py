"""Text columns built on whole arrays, and handed to pandas without a per-row copy.

The evaluation table has 100,000 rows at national scale, and a third of its
columns are text. Building them from Python objects row by row, and then
letting pandas re-check every object, took longer than the arithmetic. Here
text is built in numpy's variable-width string dtype, whose concatenation runs
in C, and low-cardinality columns (statuses, categories) are looked up from
their few labels by code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STRING = np.dtypes.StringDType(na_object=None)
"""numpy's variable-width UTF-8 strings; ``None`` marks a missing value."""


def text_array(values) -> pd.api.extensions.ExtensionArray:
    """Return ``values`` as a pandas ``str`` array (``None``/NaN become missing).

    With Arrow string storage the strings go to Arrow in one C call; otherwise
    they become Python strings, as pandas stores them.
    """
    values = np.asarray(values)
    if _arrow_storage():
        import pyarrow as pa

        strings = values if values.dtype == STRING else values.astype(STRING)
        try:
            arrow = pa.array(strings, type=pa.large_string())
        except (pa.ArrowException, TypeError):  # pyarrow < 26 does not read StringDType
            arrow = pa.array(strings.astype(object), type=pa.large_string())
        return pd.array(arrow, dtype="str")
    return pd.array(values.astype(object) if values.dtype == STRING else values, dtype="str")


def labelled(codes: np.ndarray, labels) -> pd.api.extensions.ExtensionArray:
    """Return ``labels[codes]`` as a pandas ``str`` array; code −1 is missing.

    For columns with a few distinct values (a status, a category): the labels
    are converted once and then taken, which is a C loop in either storage.
    """
    choices = pd.array(np.asarray(labels, dtype=object), dtype="str")
    return choices.take(np.asarray(codes, dtype=np.intp), allow_fill=True)


def category_text(values) -> pd.api.extensions.ExtensionArray:
    """Return a column with few distinct values (None = missing) as a pandas ``str`` array.

    The values are hashed once, and only the distinct ones are converted.
    """
    codes, distinct = pd.factorize(np.asarray(values, dtype=object))
    return labelled(codes, distinct)


def _arrow_storage() -> bool:
    """Say whether pandas stores ``str`` columns with Arrow (pyarrow installed)."""
    return pd.StringDtype(na_value=np.nan).storage == "pyarrow"
