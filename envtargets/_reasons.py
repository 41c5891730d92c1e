"""The sentence that says which status rule decided, with its numbers, in English and Chinese.

A national table has 100,000 targets, so the sentences are built on whole
arrays, never one target at a time:

1. Targets are grouped by the *wording* of their sentence: the rule that
   decided, the comparator, and the few yes/no facts that change a word
   ("satisfies" or "does not satisfy"). Within a group every sentence is one
   template, such as ``latest value {observed} ({period}) already satisfies ≤ {value}``.
2. Each ``{slot}`` quotes one fact. Its texts are formatted once per distinct
   value and serve both languages (the same numbers appear in each).
3. A group's sentences are its template's words and slot texts concatenated
   as whole arrays.

The sentences are built as UTF-8 in numpy's fixed-width bytes (``S``) and
turned into variable-width strings (:data:`envtargets._text.STRING`) once at
the end: numpy repeats, reorders and joins fixed-width bytes with plain memory
copies, while it copies variable-width strings one by one when indexing (about
90 ns each, more than all the rest of a sentence). numpy reads bytes cast to
its variable-width strings as UTF-8 (and from 2.5.3 on rejects invalid UTF-8);
``tests/test_reasons_format.py`` pins that.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from envtargets._text import STRING

SYMBOLS = ("≤", "<", "≥", ">", "=", "between")
BETWEEN = 5

# Each language's words; {…} slots are filled with arrays of texts (SLOTS).
WORDS = {
    "en": {
        "no_data": "no observation ends by the end of {year}",
        "no_data_within": "no observation within {year}",
        "earlier_annual": "; the latest ({earlier_period}) is an annual amount of an earlier year, "
        "which does not count towards this year's target",
        "earlier_annual_rate": "; the latest ({earlier_period}) is the rate of an earlier year, "
        "which does not count towards this year's target",
        "unpaced": "; a rate for part of the year is compared as it stands, "
        "without pacing or trend",
        "full_year": "full-year {year}",
        "value": " value ",
        "satisfies": " satisfies ",
        "does_not_satisfy": " does not satisfy ",
        "latest": "latest value {observed} ({period})",
        "already": " already satisfies ",
        "progress": "progress ",
        "time_elapsed": "time elapsed ",
        "trend": "the trend line gives {projected} in {year}",
        "trend_met": ", satisfying ",
        "trend_not_met": ", not satisfying ",
        "and": " and ",
        "unmeasurable": ", and neither progress since a baseline nor a trend can be measured",
        "between": "between {value} and {upper}",
    },
    "zh": {
        "no_data": "{year}年底前没有观测值",
        "no_data_within": "{year}年内没有观测值",
        "earlier_annual": "；最新值（{earlier_period}）是往年的年度量，不计入本年目标",
        "earlier_annual_rate": "；最新值（{earlier_period}）是往年的变化率，不计入本年目标",
        "unpaced": "；年内部分时段的变化率按原值比较，不按时间进度或趋势判断",
        "full_year": "{year}年全年",
        "value": "数值",
        "satisfies": "满足",
        "does_not_satisfy": "不满足",
        "latest": "最新值{observed}（{period}）",
        "already": "已满足",
        "progress": "目标进度",
        "time_elapsed": "时间进度",
        "trend": "按趋势线{year}年为{projected}",
        "trend_met": "，满足",
        "trend_not_met": "，不满足",
        "and": "；",
        "unmeasurable": "，且无法测算基线以来的进度或趋势",
        "between": "介于{value}与{upper}之间",
    },
}

SLOTS = {
    "year": ("target_year", "%d"),
    "observed": ("observed", "%.10g"),
    "value": ("value", "%.10g"),
    "upper": ("upper", "%.10g"),
    "progress": ("progress", "%.2f"),
    "time_elapsed": ("time_elapsed", "%.2f"),
    "projected": ("projected", "%.4g"),
    "period": ("period", None),
    "earlier_period": ("earlier_period", None),
}
"""Each template slot: the fact it quotes and its ``%`` format (None: a text, as it is)."""

WORDING = {
    "within": (0,),
    "earlier_annual": (0,),
    "earlier_annual_rate": (0,),
    "full_year": (1, 2),
    "satisfied": (1, 2),
    "ahead": (4, 6),
    "has_progress": (6,),
    "has_trend": (6,),
    "projected_met": (5, 6),
    "annual_rate": (7,),
    "code": (1, 2, 3, 5, 6, 7),
}
"""The facts that change words of a sentence, and the rules (0–7) whose sentences they change."""


# --- numbers and texts, once per distinct value -------------------------------------------


def _distinct_texts(values: np.ndarray, spec: str | None) -> tuple[np.ndarray, list[bytes]]:
    """Return a code per value and the UTF-8 text of each code (``texts[codes]``).

    Numbers are formatted with Python's ``%`` (``spec``, on bytes: the same digits
    as on str, without encoding each text); NaN reads ``0`` and −0.0 reads as 0.0
    (``nan_to_num`` and ``+ 0.0``), so no reason says "progress -0.00". With
    ``spec`` None the values are texts already (a missing one reads ``""``).
    """
    values = np.asarray(values).ravel()
    if spec is None:
        codes, distinct = pd.factorize(values.astype(object))
        return codes, [*(text.encode() for text in distinct), b""]  # code −1 (missing): b""
    numbers = np.nan_to_num(values.astype(np.float64)) + 0.0
    codes, distinct = pd.factorize(numbers)
    spec_bytes = spec.encode()
    return codes, [spec_bytes % number for number in distinct.tolist()]


def format_numbers(values: np.ndarray, spec: str = "%.10g") -> np.ndarray:
    """Format numbers for reasons: ``15.1``, ``2388``, ``0.0151`` (no float noise).

    Parameters
    ----------
    values : array_like of float
        Numbers; NaN and −0.0 read ``0``.
    spec : str
        Python ``%`` format of one number.

    Returns
    -------
    numpy.ndarray of object
        ``spec % value`` for each value (str), in the shape of ``values``. Each
        distinct number is formatted once: a national table repeats thresholds
        and years many times.
    """
    values = np.asarray(values)
    codes, texts = _distinct_texts(values, spec)
    return np.array([text.decode() for text in texts], dtype=object)[codes].reshape(values.shape)


def _slot_texts(facts: dict, order: np.ndarray, quoted: dict[str, np.ndarray]) -> dict:
    """Return the texts each slot quotes, per target in wording order (UTF-8 bytes).

    Parameters
    ----------
    facts : dict of numpy.ndarray
        The facts, in table order.
    order : numpy.ndarray of int
        Positions of the targets in wording order (:func:`_groups`).
    quoted : dict of numpy.ndarray of bool
        Per slot name, which targets (in wording order) have a sentence that
        quotes it; only their values are formatted, and the rest read ``""``.
    """
    texts = {}
    for name, rows in quoted.items():
        column, spec = SLOTS[name]
        codes, distinct = _distinct_texts(np.asarray(facts[column])[order[rows]], spec)
        table = np.array(distinct, dtype=np.bytes_)
        texts[name] = np.zeros(len(order), dtype=table.dtype)
        texts[name][rows] = table[codes]
    return texts


# --- the template of each rule -------------------------------------------------------------


def _target(w: dict[str, str], code: int) -> str:
    """Return the target as words: ``≤ {value}``, ``between {value} and {upper}``."""
    return w["between"] if code == BETWEEN else SYMBOLS[code] + " {value}"


def _progress(w: dict[str, str], ahead: bool) -> str:
    # The rule decided `ahead` already (same tolerance as every comparison);
    # the sentence shows its verdict, even when the rounded numbers tie.
    relation = " ≥ " if ahead else " < "
    return w["progress"] + "{progress}" + relation + w["time_elapsed"] + "{time_elapsed}"


def _trend(w: dict[str, str], met: bool, code: int) -> str:
    return w["trend"] + (w["trend_met"] if met else w["trend_not_met"]) + _target(w, code)


def _template(rule: int, fact: dict[str, int], w: dict[str, str]) -> str:
    """Return the sentence of ``rule`` (documented order) in the words ``w``, with ``{slots}``.

    ``fact`` holds the yes/no facts of :data:`WORDING` (and the comparator
    ``code``) shared by the targets of one wording.
    """
    code = fact["code"]
    if rule == 0:  # no data
        # Annual amounts and rates count only within the target year (_measures).
        head = w["no_data_within"] if fact["within"] else w["no_data"]
        tails = [w[kind] for kind in ("earlier_annual", "earlier_annual_rate") if fact[kind]]
        return head + "".join(tails)
    if rule in (1, 2):  # the final value decides
        head = w["full_year"] if fact["full_year"] else "{period}"
        verb = w["satisfies"] if fact["satisfied"] else w["does_not_satisfy"]
        return head + w["value"] + "{observed}" + verb + _target(w, code)
    if rule == 3:  # already satisfied
        return w["latest"] + w["already"] + _target(w, code)
    if rule == 4:  # ahead of time
        return _progress(w, fact["ahead"])
    if rule == 5:  # the trend gets there
        return _trend(w, fact["projected_met"], code)
    if rule == 6:  # behind on whatever can be measured
        measured = [_progress(w, fact["ahead"])] if fact["has_progress"] else []
        trended = [_trend(w, fact["projected_met"], code)] if fact["has_trend"] else []
        return w["and"].join(measured + trended)
    # Not assessable: the value falls short and neither pace nor trend tell more.
    ending = w["unpaced"] if fact["annual_rate"] else w["unmeasurable"]
    return w["latest"] + w["does_not_satisfy"] + _target(w, code) + ending


def _split(template: str) -> tuple[list[str], list[str]]:
    """Return the words around the slots of a template, and the slot names between them."""
    pieces = re.split(r"\{(\w+)\}", template)  # text, slot, text, slot, …, text
    return pieces[0::2], pieces[1::2]


def _fill(template: str, texts: dict[str, np.ndarray]) -> np.ndarray:
    """Fill a ``{slot}`` template element-wise from arrays of texts, one per slot name.

    Everything is UTF-8 in fixed-width bytes: ``texts`` are bytes arrays of one
    length, and so is the result (a single sentence for a template without slots).
    """
    words, names = _split(template)
    result = np.array(words[0].encode())
    for name, text in zip(names, words[1:], strict=True):
        result = np.strings.add(result, texts[name])
        if text:
            result = np.strings.add(result, text.encode())
    return result


# --- grouping targets by wording -----------------------------------------------------------


def _among(rule_number: np.ndarray, rules) -> np.ndarray:
    """Return whether each target's rule is one of ``rules`` (a lookup: np.isin is slower)."""
    table = np.zeros(8, dtype=bool)
    table[list(rules)] = True
    return table[rule_number]


def _optional(facts: dict, name: str, rows: np.ndarray, default) -> np.ndarray:
    """Return fact ``name`` of the targets at ``rows``, or ``default`` when it is not given."""
    if name in facts:
        return np.asarray(facts[name])[rows]
    return np.full(len(rows), default, dtype=object)


def _wording_facts(rule_number: np.ndarray, facts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Return the facts of :data:`WORDING` per target, each 0 where its rule does not use it."""
    n = len(rule_number)
    # Only rules 0 and 7 word the measure: look at their targets alone.
    worded = np.flatnonzero(_among(rule_number, (0, 7)))
    measure = _optional(facts, "measure", worded, "level")
    earlier = _optional(facts, "earlier_period", worded, None)
    within = (measure == "annual") | (measure == "annual_rate")
    # An earlier year's value is mentioned only for measures counted within the year.
    shown = within & np.not_equal(earlier, None)
    by_measure = {
        "within": within,
        "earlier_annual": shown & (measure == "annual"),
        "earlier_annual_rate": shown & (measure == "annual_rate"),
        "annual_rate": measure == "annual_rate",
    }
    wording = {}
    for name, rules in WORDING.items():
        if name in by_measure:
            column = np.zeros(n, dtype=bool)
            column[worded] = by_measure[name]
        else:
            column = np.asarray(facts[name])
        wording[name] = column * _among(rule_number, rules)
    return wording


def _groups(rule_number: np.ndarray, wording: dict[str, np.ndarray]):
    """Return the order that sorts targets by wording, and each wording's run in that order.

    Returns
    -------
    order : numpy.ndarray of int
        Positions of the targets, grouped by wording (in table order within a group).
    spans : list of (int, int)
        Start and stop of each group in ``order``.
    """
    key = rule_number.astype(np.int64)
    for column in wording.values():
        key = key * 8 + column  # every fact is 0/1, a comparator code 0–5: < 8
    codes = pd.factorize(key)[0].astype(np.int16)  # a few hundred wordings at most
    order = np.argsort(codes, kind="stable")  # radix sort, for small integers
    edges = [*np.flatnonzero(np.diff(codes[order], prepend=-1)).tolist(), len(order)]
    return order, list(zip(edges[:-1], edges[1:], strict=True))


# --- the sentences -------------------------------------------------------------------------


def explain_all(
    rule_number: np.ndarray, facts: dict[str, np.ndarray], langs: tuple[str, ...] = tuple(WORDS)
) -> dict[str, np.ndarray]:
    """Return, per language and per target, the sentence of the rule that decided its status.

    Parameters
    ----------
    rule_number : numpy.ndarray of int
        Which status rule (0–7, documented order) decided each target.
    facts : dict of numpy.ndarray
        The numbers the sentences quote (see :func:`envtargets._status.decide_status`)
        plus ``has_progress``, ``has_trend`` and ``ahead``; optionally ``measure``
        (``level``, ``annual``, ``annual_rate``) and ``earlier_period`` (the period
        of an earlier year's value that a within-year measure did not use).
    langs : sequence of {"en", "zh"}
        Languages of the sentences.

    Returns
    -------
    dict of numpy.ndarray of :data:`envtargets._text.STRING`
        By language, one sentence per target.
    """
    rule_number = np.asarray(rule_number)
    n = len(rule_number)
    wording = _wording_facts(rule_number, facts)
    order, spans = _groups(rule_number, wording)
    # One template per group and language, from the facts of the group's first target.
    templates = []
    for start, _ in spans:
        fact = {name: int(column[order[start]]) for name, column in wording.items()}
        rule = int(rule_number[order[start]])
        templates.append({lang: _template(rule, fact, WORDS[lang]) for lang in langs})
    # Which targets quote each slot: only their values are formatted.
    quoted = {}
    for (start, stop), group in zip(spans, templates, strict=True):
        for name in {name for template in group.values() for name in _split(template)[1]}:
            quoted.setdefault(name, np.zeros(n, dtype=bool))[start:stop] = True
    texts = _slot_texts(facts, order, quoted)
    reasons = {}
    for lang in langs:
        parts = [
            _fill(group[lang], {name: text[start:stop] for name, text in texts.items()})
            for (start, stop), group in zip(spans, templates, strict=True)
        ]
        # Back from wording order to table order, then to variable-width strings.
        width = max((part.dtype.itemsize for part in parts), default=1)
        sentences = np.zeros(n, dtype=f"S{width}")
        for (start, stop), part in zip(spans, parts, strict=True):
            sentences[order[start:stop]] = part
        reasons[lang] = sentences.astype(STRING)
    return reasons
