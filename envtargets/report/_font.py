"""A subset of Noto Sans SC embedded in the HTML report, so Chinese text shows everywhere.

A machine without a CJK font (many Linux servers, fresh containers) would show
the report's Chinese text as empty boxes. The report therefore carries its
own font: Noto Sans SC (SIL Open Font License, from the ``pylopdf-fonts-zh-cn``
dependency) cut down with fontTools to the characters the report uses, which
typically costs 100–200 kB instead of the font's 8 MB.
"""

from __future__ import annotations

import base64
import io

FAMILY = "envtargets Noto Sans SC"


def font_face_css(text: str) -> str:
    """Return an ``@font-face`` rule embedding the glyphs of ``text`` (empty if impossible).

    Parameters
    ----------
    text : str
        Every character the page shows.

    Returns
    -------
    str
        CSS defining the font family :data:`FAMILY` as a ``data:`` URI, or
        ``""`` when the font cannot be subset (the page then falls back to the
        reader's own fonts).
    """
    try:
        import pylopdf_fonts_zh_cn
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError:  # pragma: no cover - both are dependencies
        return ""
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]  # keep the copyright and licence names with the glyphs
    buffer = io.BytesIO()
    with TTFont(str(pylopdf_fonts_zh_cn.sans_path()), lazy=True) as font:
        subsetter = subset.Subsetter(options=options)
        subsetter.populate(text="".join(sorted(set(text))))
        subsetter.subset(font)
        font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'@font-face {{ font-family: "{FAMILY}"; font-style: normal; font-weight: 100 900; '
        f'src: url(data:font/otf;base64,{data}) format("opentype"); }}'
    )
