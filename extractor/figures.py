"""Figures: numbers with units and metrics, normalised, with year and provenance.

Precision matters more than recall: a quantity becomes a figure only when a cue in
``patterns/figures.yml`` names its metric. Scores of the performance tables are read by
``scores``; this module reads sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from . import compiled, nlp, scores
from .dates import MONTH_PATTERN, fronted_year
from .model import Block, Figure, LoadedDocument
from .yamlio import expand_macros, load_yaml

_INT = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
_NUM = rf"{_INT}(?:\.\d+)?"
_SCALE = r"(?:\s*(?:million|billion))"
_UNIT = (
    r"(?:km2|km²|km\s2\b|sq\.?\s?km\b|square\s+kilomet(?:re|er)s?|"
    r"m2|m²|sq\.?\s?m\b|square\s+met(?:re|er)s?|hectares?|ha\b)"
)
AREA_RE = re.compile(
    rf"(?<![\w.,])(?:between\s+(?P<between>{_NUM}{_SCALE}?)\s*(?:{_UNIT})?\s+and\s+)?"
    rf"(?P<low>{_NUM}{_SCALE}?)(?:\s*(?:-|–|to)\s*(?P<high>{_NUM}{_SCALE}?))?"
    rf"\s*(?P<unit>{_UNIT})",
    re.I,
)
COUNT_RE = re.compile(
    rf"(?<![\w.,/£$€#-])(?:between\s+(?P<between>{_INT}|{_NUM}{_SCALE})\s+and\s+)?"
    rf"(?P<low>{_NUM}{_SCALE}|{_INT})(?:\s*(?:–|-|to)\s*(?P<high>{_INT})(?![\w.,]\d))?"
    rf"(?![\w%]|[.,]\d|\s*(?:%|per ?cent|percent))",
    re.I,
)
_DATE_AROUND = re.compile(rf"^\s*(?:{MONTH_PATTERN})\b|(?:{MONTH_PATTERN})\s*$", re.I)
# a year, not a decade ("the 2000s") nor an amount
_YEAR = re.compile(r"(?<![\d,.£$€-])((?:19|20)\d\d)(?!\d|[,.]\d|['’]?s\b|\s*(?:km|m2|ha\b|%))")
_YEAR_LEAD = re.compile(
    rf"(?P<lead>\b(?:as of|as at|as in|at the end of|by the end of|at end|end of|end|"
    r"by|in|during|for|throughout|since|until|till|before|from|through|to|of|early|late|mid|"
    rf"first half of|second half of|beginning of))[\s-]+(?:the\s+)?(?:end\s+(?:of\s+)?)?"
    rf"(?:(?:\d{{1,2}}\s+)?(?:{MONTH_PATTERN})\s+)?$|(?P<month>\b(?:{MONTH_PATTERN}))\s+$",
    re.I,
)
# a year used as an adjective after a preposition that is not about time: "by the 1999 campaign"
_ATTRIBUTIVE_YEAR = re.compile(r"\b(?:by|of|from|to|through|under|with|after)\s+the\s+$", re.I)
_DIGIT = re.compile(r"\d")
_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORD = re.compile(
    rf"\b(?:(?P<tens>{'|'.join(_TENS)})(?:[- ](?P<unit>{'|'.join(_UNITS)}))?|"
    rf"(?P<small>{'|'.join(_TEENS + _UNITS)}))\b(?=\s+(?:anti|ap\b|av\b|sub|mines?\b|items?\b|"
    r"unexploded|explosive|cluster|bomblets))",
    re.I,
)


def _word_number(match: re.Match) -> float:
    if match.group("small"):
        word = match.group("small").lower()
        return float((_UNITS.index(word) + 1) if word in _UNITS else 10 + _TEENS.index(word))
    unit = match.group("unit")
    value = 20 + 10 * _TENS.index(match.group("tens").lower())
    return float(value + (_UNITS.index(unit.lower()) + 1 if unit else 0))


_DECIMAL = re.compile(rf"(?<![\w.,]){_INT}\.\d+(?![\w.,]\d|\w)")
_UNITLESS_AREA = re.compile(
    r"\s*(?:(?:was|were|has been|had been)\s+(?:\w+\s+)?(?:reduced|cancell?ed|cleared|released)\b|"
    r"(?:by|through)\s+(?:[\w-]+\s+){0,2}(?:clearance|survey)\b)",
    re.I,
)
_DESTROYED_LABEL = re.compile(r"\b(?:destroyed|destruction|removed)\b", re.I)
# words that compare a quantity with another of another year ("up from 2,804 in 2019")
_COMPARISON = (
    r"(?:\b(?:up|down|rising|falling|increased?|decreased?|fell|rose)\s+from\b|"
    r",\s+from\b(?!\s+(?:19|20)\d\d)|"  # "rose to 0.59km2, from 0.44km2 in 2017"
    r"\b(?:double|twice|triple|three times)\b|"  # "more than double the 96 destroyed ..."
    r"\bcompared\s+(?:with|to)\b|\b(?:against|versus|vs\.?)|"
    r"\b(?:similar|comparable|close)\s+to\b|\b(?:more|less|fewer|higher|lower)\s+than\s+(?:in|the)\b)"
)
_COMPARISON_AFTER = re.compile(_COMPARISON, re.I)


def _comparison_spans(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of each "up from 2,804 in 2019" in a sentence: to the next comma,
    semicolon or "and"."""
    spans = []
    for match in _COMPARISON_AFTER.finditer(sentence):
        rest = re.search(r",\s|;|\band\b|$", sentence[match.end() :])
        spans.append((match.start(), match.end() + rest.start()))
    return spans


# the quantity right after these words is the one before it, of another year
_COMPARED = re.compile(
    rf"{_COMPARISON}\s+(?:(?:a total of|some|about|around|just|roughly|approximately|nearly|"
    r"almost|over|under|more than|less than|the)\s+)*$",
    re.I,
)
# the year before the one in view, after its quantity ("742km2 a year earlier") or opening the
# quantity's clause ("...; a year earlier, 23 submunitions were destroyed")
_A_YEAR_EARLIER = (
    r"(?:(?:a|one) year (?:earlier|before)|the (?:previous|preceding) year|the year before|"
    r"twelve months (?:before|earlier))"
)
_YEAR_BEFORE = re.compile(rf"^[^\s;]*\s+(?:[^.;,()\d]{{0,40}}?\s)?{_A_YEAR_EARLIER}\b", re.I)
_YEAR_BEFORE_LEAD = re.compile(rf"\s*(?:in\s+)?{_A_YEAR_EARLIER}\s*,", re.I)
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}
_LAST_YEARS = re.compile(
    r"\b(?:over|in|during|for) the (?:last|past|previous) (two|three|four|five|six|ten) years\b",
    re.I,
)
_STOCKS = {"contaminated_area", "confirmed_hazardous_area", "suspected_hazardous_area"}
_SKIP_SECTIONS = {"recommendations", "download", "performance"}


@dataclass
class Quantity:
    kind: str  # "area" | "count"
    start: int
    end: int
    value: float
    high: float | None
    unit: str  # "km2" | "count"


@lru_cache(maxsize=1)
def rules() -> dict:
    raw = resources.files("extractor").joinpath("patterns/figures.yml").read_text()
    data = load_yaml(raw)
    macros = data["macros"]

    def compile_(pattern: str) -> re.Pattern:
        return compiled.compile(expand_macros(pattern, macros), re.I)

    data["area_re"] = [(c["id"], c["metric"], compile_(c["pattern"])) for c in data["area"]]
    data["coordination_re"] = compile_(data["coordination"])
    data["count_re"] = [
        (c["metric"], compile_(r"^\s*" + c["noun"]), c.get("verb", True)) for c in data["count"]
    ]
    data["count_verb_re"] = compile_(data["count_verb"])
    data["count_label_re"] = [(c["metric"], compile_(c["label"])) for c in data["count_labels"]]
    data["zero_re"] = [compile_(p) for p in data["zero"]]
    data["zero_count_re"] = [compile_(p) for p in data["zero_counts"]]
    data["zero_methods_re"] = [
        (compile_(rf"^(?:{m['method']})$"), m["metric"]) for m in data["zero_methods"]
    ]
    data["qualifier_re"] = [
        (name, compile_(rf"(?:^|\W)(?:{p})\s*$"))
        for name, patterns in data["qualifiers"].items()
        for p in patterns
    ]
    data["estimate_re"] = (compile_(data["estimate_before"]), compile_(data["estimate_after"]))
    data["not_count_re"] = compile_(data["not_count_before"])
    data["citation_re"] = compile_(data["citation"])
    data["section_re"] = [(compile_(s["heading"]), s["metric"]) for s in data["section_metrics"]]
    return data


# --- numbers ------------------------------------------------------------------------------


def parse_number(text: str) -> float:
    text = text.strip().lower()
    scale = 1.0
    for word, factor in (("billion", 1e9), ("million", 1e6)):
        if text.endswith(word):
            text, scale = text[: -len(word)].strip(), factor
    return float(text.replace(",", "")) * scale


def to_km2(value: float, unit: str) -> float:
    unit = re.sub(r"[\s.]", "", unit.lower())
    if unit.startswith(("km", "sqkm", "squarekilomet")):
        return value
    if unit.startswith(("hectare", "ha")):
        return value / 100
    return value / 1_000_000  # m2, square metres


def _round(value: float | None) -> float | None:
    return float(f"{value:.6g}") if value is not None else None


def quantities(sentence: str) -> list[Quantity]:
    """Areas (number + unit, ranges kept) and counts (whole numbers) in a sentence."""
    found: list[Quantity] = []
    units: list[tuple[int, str]] = []  # (end, unit) of each area, for a unit left out later
    for m in AREA_RE.finditer(sentence):
        unit = m.group("unit")
        units.append((m.end(), unit))
        low_text = m.group("between") or m.group("low")
        high_text = m.group("low") if m.group("between") else m.group("high")
        low = to_km2(parse_number(low_text), unit)
        high = to_km2(parse_number(high_text), unit) if high_text else None
        found.append(Quantity("area", m.start(), m.end(), low, high, "km2"))
    for m in COUNT_RE.finditer(sentence):
        if any(q.start <= m.start() < q.end or q.start < m.end() <= q.end for q in found):
            continue
        low_text = m.group("between") or m.group("low")
        high_text = m.group("low") if m.group("between") else m.group("high")
        if re.fullmatch(r"(?:19|20)\d\d", low_text.strip()) and not high_text:
            continue  # a year
        if "." in low_text and not re.search(r"million|billion", low_text, re.I):
            continue  # a count is a whole number
        before, after = sentence[max(0, m.start() - 25) : m.start()], sentence[m.end() :]
        if rules()["not_count_re"].search(before) or _DATE_AROUND.search(after[:12]):
            continue
        if _DATE_AROUND.search(before[-12:]):
            continue
        high = parse_number(high_text) if high_text else None
        found.append(Quantity("count", m.start(), m.end(), parse_number(low_text), high, "count"))
    # a count in words ("Ninety-six anti-personnel mines were destroyed"), as style guides
    # ask at the start of a sentence
    for m in _NUMBER_WORD.finditer(sentence):
        if not any(q.start <= m.start() < q.end for q in found):
            found.append(Quantity("count", m.start(), m.end(), _word_number(m), None, "count"))
    # a decimal after an area, which its verb or method says is land, has that area's unit
    # ("38.6 square kilometres was cleared, 9.4 was reduced through technical survey")
    for m in _DECIMAL.finditer(sentence) if units else ():
        unit = next((u for end, u in reversed(units) if end <= m.start()), None)
        taken = any(q.start <= m.start() < q.end for q in found)
        if unit and not taken and _UNITLESS_AREA.match(sentence[m.end() :]):
            value = to_km2(parse_number(m.group(0)), unit)
            found.append(Quantity("area", m.start(), m.end(), value, None, "km2"))
    return sorted(found, key=lambda q: q.start)


def _masked(sentence: str, found: list[Quantity], index: int) -> tuple[str, int, int]:
    """The sentence with quantity ``index`` as ⟨Q⟩ and the others as ⟨N⟩; and ⟨Q⟩'s span."""
    parts, cursor, qstart = [], 0, 0
    for i, q in enumerate(found):
        parts.append(sentence[cursor : q.start])
        if i == index:
            qstart = sum(len(p) for p in parts)
        parts.append("⟨Q⟩" if i == index else "⟨N⟩")
        cursor = q.end
    parts.append(sentence[cursor:])
    return "".join(parts), qstart, qstart + 3


# --- metric, qualifier, year ----------------------------------------------------------------


def classify_area(masked: str) -> tuple[str | None, str | None]:
    """(metric, cue id): metric None with a cue means "not a figure"; (None, None) is "no cue"."""
    for cue, metric, pattern in rules()["area_re"]:
        if pattern.search(masked):
            return metric, cue
    return None, None


def classify_count(masked: str, qend: int, verb_given: bool = False) -> str | None:
    after = masked[qend:]
    clause_start = max(masked.rfind(".", 0, qend - 3), masked.rfind(";", 0, qend - 3)) + 1
    ends = [i for i in (masked.find(".", qend), masked.find(";", qend)) if i >= 0]
    clause_end = min(ends, default=len(masked))
    clause = masked[clause_start:clause_end]
    for metric, noun, needs_verb in rules()["count_re"]:
        verb = verb_given or rules()["count_verb_re"].search(clause)
        if noun.match(after) and (not needs_verb or verb):
            return metric
    before = masked[: qend - 3]
    for metric, label in rules()["count_label_re"]:
        if label.search(before):
            return metric
    return None


def qualifier(masked: str, qstart: int, qend: int) -> str | None:
    """The qualifier of ⟨Q⟩ from the words right before it, or "estimate" from its clause."""
    before = re.sub(r"\ba total of\s*$", "", masked[max(0, qstart - 40) : qstart].rstrip())
    best: tuple[int, str] | None = None
    for name, pattern in rules()["qualifier_re"]:
        match = pattern.search(before)
        if match and (best is None or len(match.group(0)) > best[0]):
            best = (len(match.group(0)), name)
    if best:
        return best[1]
    clause_start, clause_end = _clause_of(masked, qstart)
    estimate_before, estimate_after = rules()["estimate_re"]
    if estimate_before.search(masked[clause_start:qstart]) or estimate_after.search(
        masked[qend:clause_end]
    ):
        return "estimate"
    return None


@dataclass
class YearPhrase:
    start: int
    year: int
    lead: str  # the word before it ("in", "end of", "since", a month ...)


def year_phrases(sentence: str) -> list[YearPhrase]:
    """Years a sentence dates things by; years in ranges and comparisons ("as in 2015") are
    marked by their lead so callers can treat them apart."""
    out = []
    for m in _YEAR.finditer(sentence):
        after = sentence[m.end() : m.end() + 3]
        before = sentence[max(0, m.start() - 40) : m.start()]
        lead = _YEAR_LEAD.search(before)
        if re.search(r"\bbetween\s+$", before, re.I):
            kind = "from"  # "between 2011 and 2013": a total over the years, dated by the last
        elif re.search(r"\bbetween\s+(?:19|20)\d\d\s+and\s+$", before, re.I):
            kind = "in"
        elif re.match(r"\s*[–-]\s*\d", after) or re.search(r"\d\s*[–-]\s*$", before):
            kind = "range"
        elif lead is None and re.match(r"\s*,\s*when\b", sentence[m.end() : m.end() + 8]):
            kind = "in"  # "an increase on 2017, when only 0.12km2 was cleared"
        elif lead is None:
            continue
        else:
            kind = (lead.group("lead") or "month").lower()
        if _ATTRIBUTIVE_YEAR.search(before) and re.match(r"\s+[A-Za-z]", after):
            continue  # "left by the 1999 campaign": the year names the campaign, dates nothing
        if re.search(r"\bdeadlines?\b[^.;]{0,25}$", before, re.I) or re.match(
            r"\s*(?:\w+\s+)?deadline", sentence[m.end() : m.end() + 30], re.I
        ):
            kind = "deadline"
        out.append(YearPhrase(m.start(1), int(m.group(1)), kind))
    return out


def year_for(
    sentence: str, phrases: list[YearPhrase], pos: int, default: int | None, metric: str
) -> tuple[int | None, list[str]]:
    """The year a quantity at ``pos`` describes, and flags (``year_from:YYYY``)."""
    usable = [
        p
        for p in phrases
        if p.lead not in ("as in", "range", "deadline", "until", "till", "before")
    ]
    flags: list[str] = []
    starts = [p for p in usable if p.lead in ("since", "from")]
    for p in starts:
        flags.append(f"year_from:{p.year}")
    usable = [p for p in usable if p.lead not in ("since", "from")]
    span = _LAST_YEARS.search(sentence)
    if not usable:
        if span and default and not starts:
            flags.append(f"year_from:{default - _NUMBER_WORDS.get(span.group(1).lower(), 1) + 1}")
        if default and not starts and _YEAR_BEFORE.match(sentence[pos:]):
            return default - 1, flags  # "the 96 destroyed the year before", of the year in view
        return default, flags
    clause = _clause_of(sentence, pos)
    same = [p for p in usable if clause[0] <= p.start < clause[1]] or usable
    best = min(same, key=lambda p: abs(p.start - pos))
    year = best.year
    if not any(clause[0] <= p.start < clause[1] for p in usable) and _YEAR_BEFORE_LEAD.match(
        sentence, clause[0], pos
    ):
        return year - 1, flags  # "...in 2017; a year earlier, 23 submunitions were destroyed"
    if _YEAR_BEFORE.match(sentence[pos:]) and not any(p.start > pos for p in same):
        return year - 1, flags  # "742km2 a year earlier": the year before the one stated
    if best.lead == "early" and metric in _STOCKS:
        year -= 1  # a stock "to early 2014" is the stock at the end of 2013
    return year, flags


_WHEN = re.compile(r"(?:19|20)\d\d\s*,\s*when\b(?:[^.;]|\.(?=\d))*$")


def _when_year(sentence: str, phrases: list[YearPhrase], pos: int) -> YearPhrase | None:
    """The year a "<year>, when ..." clause holding ``pos`` is about."""
    for phrase in reversed(phrases):
        if phrase.start < pos and _WHEN.match(sentence, phrase.start, pos):
            return phrase
    return None


def _clause_of(sentence: str, pos: int) -> tuple[int, int]:
    start = sentence.rfind(";", 0, pos) + 1
    end = sentence.find(";", pos)
    return start, end if end != -1 else len(sentence)


# --- sentences, blocks, documents --------------------------------------------------------


def from_sentence(
    sentence: str,
    page: int,
    offset: int,
    default_year: int | None,
    section: str | None = None,
    heading: str = "",
    label_block: bool = False,
    destroyed: bool = False,
) -> list[Figure]:
    """Figures in one sentence; ``offset`` is where the sentence starts in the page text.
    ``destroyed``: the sentence is a value line under a label that says what was destroyed
    ("Devices destroyed" / "20,415 antipersonnel mines"), so a count needs no verb."""
    if rules()["citation_re"].search(sentence):
        return []
    found = quantities(sentence)
    phrases = year_phrases(sentence)
    spans = _comparison_spans(sentence)
    figures: list[Figure] = []
    metrics: list[str | None] = []
    for index, q in enumerate(found):
        masked, qstart, qend = _masked(sentence, found, index)
        metric, cue = (None, None)
        if q.kind == "area":
            metric, cue = classify_area(masked)
            if cue is None and index and metrics[-1] and found[index - 1].kind == "area":
                gap = sentence[found[index - 1].end : q.start]
                if rules()["coordination_re"].match(gap):
                    metric, cue = metrics[-1], "coordination"
            if cue is None and label_block and q.start <= 20:
                metric = next((m for p, m in rules()["section_re"] if p.search(heading)), None)
                cue = "section-label" if metric else None
        else:
            metric = classify_count(masked, qend, destroyed and label_block)
            cue = "count" if metric else None
        if cue is None and index and metrics[-1] and found[index - 1].kind == q.kind:
            if _COMPARED.search(sentence[found[index - 1].end : q.start]):
                metric, cue = metrics[-1], "comparison"  # "3,912 ..., up from 2,804 in 2019"
        metrics.append(metric)
        if metric is None:
            continue
        # "released 41.3km2 in 2022, up from 36.8km2 in 2021, and destroyed 7,845": the years of
        # a comparison date its own quantity only
        inside = [span for span in spans if span[0] <= q.start < span[1]]
        when = _when_year(sentence, phrases, q.start)
        if when is not None:
            mine = [when]  # "down from 2,377 in 2022, when 6.53km2 was cleared"
        elif inside:  # else the sentence's own years, not another comparison's
            mine = [p for p in phrases if inside[0][0] <= p.start < inside[0][1]] or [
                p for p in phrases if not any(a <= p.start < b for a, b in spans)
            ]
        else:
            mine = [p for p in phrases if not any(a <= p.start < b for a, b in spans)]
            following = [a for a, _ in spans if a > q.end]
            if following and cue != "comparison":
                mine = [p for p in mine if p.start < following[0] or p.start < q.start]
        year, flags = year_for(sentence, mine, q.start, default_year, metric)
        figures.append(
            Figure(
                metric=metric,
                value=_round(q.value),
                value_high=_round(q.high),
                unit=q.unit,
                year=year,
                qualifier=qualifier(masked, qstart, qend),
                criterion=None,
                text=sentence[q.start : q.end],
                sentence=sentence,
                page=page,
                start=offset + q.start,
                end=offset + q.end,
                flags=flags,
                section=section,
                rule=f"{q.kind}:{cue}",
            )
        )
    figures += _zeros(sentence, page, offset, phrases, default_year, section)
    return figures


_SURVEY = re.compile(r"\bsurvey", re.I)


def _zeros(sentence, page, offset, phrases, default_year, section) -> list[Figure]:
    out = []
    matches = [m for pattern in rules()["zero_re"] for m in pattern.finditer(sentence)]
    found = []
    for m in sorted(matches, key=lambda m: m.start()):
        method = (m.groupdict().get("method") or "").strip()
        if method:
            metric = next((mt for p, mt in rules()["zero_methods_re"] if p.match(method)), None)
        released_only = (m.groupdict().get("verb") or "").lower().startswith("releas") and not (
            m.groupdict().get("verb2") or m.groupdict().get("verb3")
        )
        if method and (metric or (_SURVEY.search(method) and released_only)):
            found.append((m, metric, "km2"))  # "released through survey" names no single method
        else:  # "no land was reduced or cancelled" (by operators): a zero for each verb
            verbs = [m.group("verb"), m.groupdict().get("verb3"), m.groupdict().get("verb2")]
            found += [(m, rules()["zero_verbs"][v.lower()], "km2") for v in verbs if v]
    counts = rules()["zero_count_re"] if _DESTROYED_LABEL.search(sentence) else []
    for m in (m for pattern in counts for m in pattern.finditer(sentence)):
        noun = m.group("noun")
        metric = next((mt for mt, p, _ in rules()["count_re"] if p.fullmatch(noun)), None)
        found.append((m, metric, "count"))
    for m, metric, unit in found:
        if metric is None:
            continue  # "released through survey": no single metric
        year, flags = year_for(sentence, phrases, m.start(), default_year, metric)
        out.append(
            Figure(
                metric,
                0.0,
                unit,
                year,
                None,
                None,
                m.group(0),
                sentence,
                page,
                offset + m.start(),
                offset + m.end(),
                flags=flags,
                section=section,
                rule="zero:no-land",
            )
        )
    return out


def from_block(
    block: Block,
    default_year: int | None,
    name: str | None = None,
    heading: str = "",
    destroyed: bool = False,
) -> list[Figure]:
    """Figures of a paragraph: a year opening a sentence frames the sentences after it, and
    "remaining" areas take the kind (CHA/SHA) the paragraph last named."""
    section_year = section_year_of(heading)
    frame: int | None = None
    last_kind: str | None = None
    out: list[Figure] = []
    zeros = rules()["zero_re"] + rules()["zero_count_re"]
    if not _DIGIT.search(block.text) and not any(p.search(block.text) for p in zeros):
        return []  # no number, no explicit zero: no figure (and no need to split sentences)
    label_block = len(block.text) < 160
    ticks = chart_ticks(block.text) if name == "key_data" else set()
    for start, end in nlp.sentences(block.text):
        raw = block.text[start:end]
        sentence = raw.strip()
        if not sentence:
            continue
        offset = block.start + start + raw.find(sentence)
        fallback = frame or section_year or default_year
        found = from_sentence(
            sentence, block.page, offset, fallback, name, heading, label_block, destroyed
        )
        for fig in found:
            if fig.rule == "area:remaining" and last_kind:
                fig.metric = last_kind
            if fig.metric in ("confirmed_hazardous_area", "suspected_hazardous_area"):
                last_kind = fig.metric
            if name == "key_data":
                if fig.unit == "count" and round(fig.value, 6) in ticks:
                    continue  # "700 600 500 ... 0": a chart's axis
                fig.confidence = "low"
            out.append(fig)
        frame = fronted_year(sentence) or frame
    return out


_BARE_NUMBER = re.compile(rf"(?<![\w.,]){_NUM}(?!\w|[.,]\d|\s*(?:km|m2|%))")


def chart_ticks(text: str) -> set[float]:
    """The numbers of a chart's axis that a KEY DATA block ran together with its figures:
    four or more bare numbers at one step from each other ("700 600 500 400")."""
    present = {round(parse_number(m.group(0)), 6) for m in _BARE_NUMBER.finditer(text)}
    values = sorted(present)
    ticks: set[float] = set()
    for i, low in enumerate(values):
        for high in values[i + 1 :]:
            run = [round(low + k * (high - low), 6) for k in range(4)]
            if all(v in present for v in run):
                ticks.update(run)
    return ticks


def section_year_of(heading: str) -> int | None:
    match = re.search(r"\b((?:19|20)\d\d)\b", heading or "")
    return int(match.group(1)) if match else None


def extract(
    doc: LoadedDocument, section_of: dict[int, tuple[str | None, str]], report_year: int | None
) -> list[Figure]:
    """Every figure of a document: score tables, then sentences outside recommendations.
    ``section_of`` maps ``id(block)`` to its (section name, heading)."""
    blocks = [block for page in doc.pages for block in page.blocks]
    figures = scores.extract(blocks, report_year)
    default_year = report_year - 1 if report_year else None
    label = ""  # the label line the value lines under it share ("Devices destroyed")
    # a table's column "Items destroyed" holds for its rows ("Mined areas" / "93.4km²" /
    # "6,480 antipersonnel mines") until the prose or a heading after the table
    column = False
    for block in blocks:
        name, heading = section_of.get(id(block), (None, ""))
        if block.kind == "heading":
            column = False
        if block.kind in ("bullet", "footnote", "heading") or name in _SKIP_SECTIONS:
            continue
        if scores.is_table_text(block.text):
            continue
        if not _DIGIT.search(block.text) and len(block.text) < 60:
            label = block.text
            column = column or bool(_DESTROYED_LABEL.search(label))
        elif len(block.text) >= 160:
            label, column = "", False
        destroyed = column or bool(_DESTROYED_LABEL.search(label))
        found = _under_label(block, label, default_year, name, heading) if label else []
        figures += found or from_block(block, default_year, name, heading, destroyed)
    if report_year:  # a year after the edition is a plan or a target, not a figure
        figures = [f for f in figures if f.year is None or f.year <= report_year]
    figures = dedupe(figures)
    check_table_totals(blocks, figures)
    return figures


# a value line alone: "6.29km²", "3,410", "71.2km² (CHA and SHA)"
_VALUE_LINE = re.compile(
    r"^\s*(?:about |approximately |some |over |almost |nearly )?[\d.,]+\s*[^\s\d(]{0,12}\s*"
    r"(?:\([^()]{1,40}\))?\s*$"
)


def _under_label(
    block: Block, label: str, default_year: int | None, name: str | None, heading: str
) -> list[Figure]:
    """A value line read with the label line above it ("Cleared" / "6.29km²"; "Antipersonnel
    mines destroyed" / "3,410"), as "label: value". The figure keeps the value line as its
    sentence and points at its number in the page."""
    value = block.text.strip()
    if not _VALUE_LINE.match(value):
        return []
    lead = block.text.find(value)
    prefix = f"{label.strip()}: "
    found = from_sentence(
        prefix + value,
        block.page,
        block.start + lead - len(prefix),
        section_year_of(heading) or default_year,
        name,
        heading,
    )
    for fig in found:
        fig.sentence = value
    return found


def table_totals(blocks: list[Block]) -> list[float]:
    """km2 of the Total rows of area tables in square metres ("Total / 199 / 62,991,706",
    flattened one cell per line, or one row)."""
    totals, unit_seen = [], False
    for index, block in enumerate(blocks):
        if re.search(r"\bArea \(m2\)|\(m2\)|square met", block.text, re.I):
            unit_seen = True
        if not unit_seen or not re.match(r"^total\b", block.text.strip(), re.I):
            continue
        cells = [block.text] + [b.text for b in blocks[index + 1 : index + 4]]
        numbers = [
            parse_number(n)
            for cell in cells
            for n in re.findall(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])", cell)
        ]
        if numbers and max(numbers) >= 10_000:
            totals.append(max(numbers) / 1_000_000)
    return totals


def check_table_totals(blocks: list[Block], figures: list[Figure]) -> None:
    """Flag a stock figure that a table's Total row confirms (a free consistency check)."""
    for total in table_totals(blocks):
        for fig in figures:
            if fig.metric in _STOCKS and fig.value and abs(total - fig.value) <= 0.005 * fig.value:
                fig.flags.append("agrees_with_table_total")


def dedupe(figures: list[Figure]) -> list[Figure]:
    """A fact stated twice (same metric, value, year and criterion) is kept once, first place."""
    seen: dict[tuple, Figure] = {}
    out = []
    for fig in figures:
        key = (fig.metric, fig.value, fig.value_high, fig.year, fig.criterion, tuple(fig.flags))
        if key in seen:
            if fig.confidence == "high":
                seen[key].confidence = "high"
            continue
        seen[key] = fig
        out.append(fig)
    return out
