"""The sentence that says which status rule decided, with its numbers, in English or Chinese.

One sentence builder per rule, applied to all the targets that rule decided
at once (eight passes over arrays, never one per target).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

SYMBOLS = np.array(["≤", "<", "≥", ">", "=", "between"], dtype=object)
BETWEEN = 5

# Each language's words; {…} slots are filled with arrays of numbers or texts.
WORDS = {
    "en": {
        "no_data": "no observation ends by the end of {year}",
        "no_data_within": "no observation within {year}",
        "earlier_annual": "; the latest ({period}) is an annual amount of an earlier year, "
        "which does not count towards this year's target",
        "earlier_annual_rate": "; the latest ({period}) is the rate of an earlier year, "
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
        "earlier_annual": "；最新值（{period}）是往年的年度量，不计入本年目标",
        "earlier_annual_rate": "；最新值（{period}）是往年的变化率，不计入本年目标",
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


def format_numbers(values: np.ndarray, spec: str = "%.10g") -> np.ndarray:
    """Format numbers for reasons: ``15.1``, ``2388``, ``0.0151`` (no float noise).

    Each distinct number is formatted once (a national table repeats thresholds
    and years many times). Returns an object array of str.
    """
    # Adding 0.0 turns -0.0 into 0.0, so no reason reads "progress -0.00".
    values = np.nan_to_num(np.asarray(values, dtype=np.float64)) + 0.0
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.char.mod(spec, distinct).astype(object)[inverse.reshape(values.shape)]


def _fill(template: str, **slots: np.ndarray) -> np.ndarray:
    """Fill a ``{slot}`` template element-wise from arrays of texts."""
    pieces = template.replace("}", "{").split("{")  # text, slot, text, slot, …
    result = np.full(len(next(iter(slots.values()))), "", dtype=object)
    for i, piece in enumerate(pieces):
        result = result + (slots[piece] if i % 2 else piece)
    return result


def rule_text(value, upper, code, lang: str = "en") -> np.ndarray:
    """Return the target as words: ``≤ 15``, ``> 35``, ``between 6 and 9``."""
    simple = SYMBOLS[code] + " " + format_numbers(value)
    ranged = _fill(WORDS[lang]["between"], value=format_numbers(value), upper=format_numbers(upper))
    return np.where(code == BETWEEN, ranged, simple)


def _words(condition: np.ndarray, yes: str, no: str) -> np.ndarray:
    return np.where(condition, yes, no).astype(object)


def _sentences(w: dict[str, str], lang: str) -> tuple[Callable[[dict], np.ndarray], ...]:
    """Return the eight rules' sentence builders in one language."""

    def year(f):
        return format_numbers(f["target_year"], "%d")

    def rule(f):
        return rule_text(f["value"], f["upper"], f["code"], lang)

    def latest(f):
        return _fill(w["latest"], observed=format_numbers(f["observed"]), period=f["period"])

    def final(f):
        head = np.where(f["full_year"], _fill(w["full_year"], year=year(f)), f["period"])
        verb = _words(f["satisfied"], w["satisfies"], w["does_not_satisfy"])
        return head + w["value"] + format_numbers(f["observed"]) + verb + rule(f)

    def progress(f):
        # The rule decided `ahead` already (same tolerance as every comparison);
        # the sentence shows its verdict, even when the rounded numbers tie.
        ahead = f["ahead"]
        return (
            w["progress"]
            + format_numbers(f["progress"], "%.2f")
            + _words(ahead, " ≥ ", " < ")
            + w["time_elapsed"]
            + format_numbers(f["time_elapsed"], "%.2f")
        )

    def trend(f):
        verb = _words(f["projected_met"], w["trend_met"], w["trend_not_met"])
        line = _fill(w["trend"], projected=format_numbers(f["projected"], "%.4g"), year=year(f))
        return line + verb + rule(f)

    def no_data(f):
        # Annual amounts and rates count only within the target year (_measures).
        measure = f.get("measure", np.full(len(f["observed"]), "level", dtype=object))
        within = np.isin(measure, ("annual", "annual_rate"))
        head = np.where(
            within, _fill(w["no_data_within"], year=year(f)), _fill(w["no_data"], year=year(f))
        )
        earlier = f.get("earlier_period", np.full(len(measure), None, dtype=object))
        shown = within & np.not_equal(earlier, None)
        period = np.where(shown, earlier, "").astype(object)
        tails = {
            kind: _fill(w[f"earlier_{kind}"], period=period) for kind in ("annual", "annual_rate")
        }
        tail = np.select([shown & (measure == kind) for kind in tails], list(tails.values()), "")
        return head + tail

    def unmeasurable(f):
        measure = f.get("measure", np.full(len(f["observed"]), "level", dtype=object))
        ending = np.where(measure == "annual_rate", w["unpaced"], w["unmeasurable"])
        return latest(f) + w["does_not_satisfy"] + rule(f) + ending

    def either(f):
        both = f["has_progress"] & f["has_trend"]
        measured = np.where(f["has_progress"], progress(f), "")
        trended = np.where(f["has_trend"], trend(f), "")
        return np.where(both, measured + w["and"] + trended, measured + trended)

    return (
        no_data,
        final,
        final,
        lambda f: latest(f) + w["already"] + rule(f),
        progress,
        trend,
        either,
        unmeasurable,
    )


def explain(rule_number: np.ndarray, facts: dict[str, np.ndarray], lang: str) -> np.ndarray:
    """Return, per target, the sentence of the rule that decided its status.

    Parameters
    ----------
    rule_number : numpy.ndarray of int
        Which status rule (0–7, DESIGN order) decided each target.
    facts : dict of numpy.ndarray
        The numbers the sentences quote (see :func:`envtargets._status.decide_status`)
        plus ``has_progress`` and ``has_trend``; optionally ``measure`` (``level``,
        ``annual``, ``annual_rate``) and ``earlier_period`` (the period of an
        earlier year's value that a within-year measure did not use).
    lang : {"en", "zh"}
        Language of the sentences.

    Returns
    -------
    numpy.ndarray of object
        One sentence per target.
    """
    reason = np.empty(len(rule_number), dtype=object)
    for number, sentence in enumerate(_sentences(WORDS[lang], lang)):
        rows = np.flatnonzero(rule_number == number)
        if len(rows):
            reason[rows] = sentence({key: np.asarray(col)[rows] for key, col in facts.items()})
    return reason
