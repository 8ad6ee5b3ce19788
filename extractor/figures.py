"""Figures: numbers with units and metrics, normalised, with year and provenance.

Precision matters more than recall: a quantity becomes a figure only when a
rule in ``patterns/figures.yml`` names its metric.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from .model import Figure, Section

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SCALE = r"(?:\s*(?:million|m\b|billion))?"
_AREA_UNIT = (
    r"(?P<unit>km2|km²|km\s?2\b|sq\.?\s?km|square\s+kilomet(?:re|er)s|"
    r"m2|m²|square\s+met(?:re|er)s|sq\.?\s?m\b|hectares?|ha\b)"
)
AREA_RE = re.compile(
    rf"(?<![\w.,])(?P<low>{_NUM}{_SCALE})(?:\s*(?:-|–|to|and)\s*(?P<high>{_NUM}{_SCALE}))?"
    rf"\s*{_AREA_UNIT}",
    re.I,
)
AREA_RANGE_RE = re.compile(
    rf"between\s+(?P<low>{_NUM}{_SCALE})\s*(?:{_AREA_UNIT.replace('?P<unit>', '')})?\s+and\s+"
    rf"(?P<high>{_NUM}{_SCALE})\s*{_AREA_UNIT}",
    re.I,
)
COUNT_RE = re.compile(
    rf"(?<![\w.,/£$€-])(?P<low>{_NUM}{_SCALE})(?![\w.,]*\s*(?:%|per ?cent))", re.I
)
_QUALIFIERS = [
    (r"\bjust (?:more|over) than\s*$|\bmore than\s*$|\bover\s*$|\bin excess of\s*$", "more_than"),
    (r"\bat least,?\s*$|\bminimum of\s*$", "at_least"),
    (r"\bless than\s*$|\balmost\s*$|\bnearly\s*$|\bjust under\s*$|\bunder\s*$", "less_than"),
    (r"\b(?:some|about|around|approximately|roughly|an estimated|c\.|circa)\s*$", "approximately"),
    (r"\bestimated? (?:at|to be)?\s*$", "estimate"),
]
_YEAR_IN = re.compile(
    r"\b(?:in|during|of|for|throughout|since|as (?:of|at)(?: the)?(?: end(?: of)?)?|"
    r"by(?: the)?(?: end of)?|end(?: of)?|at the end of)\s+(?:\w+\s+)?((?:19|20)\d\d)\b",
    re.I,
)
_SECTION_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_SCORE_LINE = re.compile(
    r"^(?P<label>.*?[A-Za-z)])\s*(?:\(\d+% of overall score\))?\s*:?\s+"
    r"(?P<score>\d{1,2}(?:\.\d)?)(?:\s+(?P<score2>\d{1,2}(?:\.\d)?))?\s*$"
)
_WORD_ZERO = re.compile(
    r"\bno (?:land|area|mined area|contaminated area) was (?P<verb>released|cleared)\b", re.I
)


@lru_cache(maxsize=1)
def rules() -> dict:
    raw = resources.files("extractor").joinpath("patterns/figures.yml").read_text()
    data = yaml.safe_load(raw)
    for kind in ("area", "count"):
        for rule in data[kind]:
            rule["after_re"] = [re.compile(p, re.I) for p in rule.get("after", [])]
            rule["before_re"] = [re.compile(p, re.I) for p in rule.get("before", [])]
            rule["noun_re"] = re.compile(rule["noun"], re.I) if "noun" in rule else None
            rule["verb_re"] = re.compile(rule["verb"], re.I) if "verb" in rule else None
    return data


@lru_cache(maxsize=1)
def criteria() -> list[tuple[str, re.Pattern]]:
    raw = resources.files("extractor").joinpath("patterns/criteria.yml").read_text()
    return [(k, re.compile(rf"^(?:{v})", re.I)) for k, v in yaml.safe_load(raw).items()]


def parse_number(text: str) -> float:
    text = text.strip().lower()
    scale = 1.0
    for word, factor in (("billion", 1e9), ("million", 1e6)):
        if text.endswith(word):
            text, scale = text[: -len(word)].strip(), factor
    if text.endswith("m") and scale == 1.0:
        text, scale = text[:-1].strip(), 1e6
    return float(text.replace(",", "")) * scale


def to_km2(value: float, unit: str) -> float:
    unit = unit.lower().replace(" ", "")
    if unit.startswith(("km", "sq.km", "sqkm", "squarekilomet")):
        return value
    if unit.startswith(("hectare", "ha")):
        return value / 100
    return value / 1_000_000  # m2, square metres


def _qualifier(before: str) -> str | None:
    for pattern, name in _QUALIFIERS:
        if re.search(pattern, before, re.I):
            return name
    return None


def _round(value: float) -> float:
    return float(f"{value:.6g}")


def _year(sentence: str, pos: int, default: int | None) -> int | None:
    """The year a quantity describes: the nearest year phrase in its sentence."""
    best = None
    for match in _YEAR_IN.finditer(sentence):
        distance = abs(match.start(1) - pos)
        if best is None or distance < best[0]:
            best = (distance, int(match.group(1)))
    return best[1] if best else default


def _classify(kind: str, before: str, after: str) -> str | None:
    """The metric of a quantity from the words around it (first matching rule wins)."""
    if kind == "count":
        clause = re.split(r"[.;]\s", before)[-1] + " " + re.split(r"[.;](?:\s|$)", after)[0]
        for rule in rules()["count"]:
            noun = rule["noun_re"]
            if noun is not None and noun.search(after):
                if rule["verb_re"] is None or rule["verb_re"].search(clause):
                    return rule["metric"]
            if any(p.search(before) for p in rule["before_re"]):
                return rule["metric"]
        return None
    for rule in rules()[kind]:
        if any(p.search(after) for p in rule["after_re"]) or any(
            p.search(before) for p in rule["before_re"]
        ):
            return rule["metric"]
    return None


def from_sentence(
    sentence: str,
    page: int,
    offset: int,
    default_year: int | None,
    section: str | None = None,
) -> list[Figure]:
    """Figures in one sentence; ``offset`` is where the sentence starts in the page text."""
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []
    wa, wb = rules()["window_after"], rules()["window_before"]

    def add(metric, value, high, unit, start, end, year_default=default_year, rule="area"):
        before = sentence[max(0, start - 40) : start]
        found.append(
            Figure(
                metric=metric,
                value=_round(value) if value is not None else None,
                value_high=_round(high) if high is not None else None,
                unit=unit,
                year=_year(sentence, start, year_default),
                qualifier=_qualifier(before),
                criterion=None,
                text=sentence[start:end],
                sentence=sentence,
                page=page,
                start=offset + start,
                end=offset + end,
                section=section,
                rule=rule,
            )
        )
        taken.append((start, end))

    for match in list(AREA_RANGE_RE.finditer(sentence)) + list(AREA_RE.finditer(sentence)):
        start, end = match.span()
        if any(s <= start < e for s, e in taken):
            continue
        before, after = sentence[max(0, start - wb) : start], sentence[end : end + wa]
        metric = _classify("area", before, after)
        if not metric:
            continue
        unit = match.group("unit")
        low = to_km2(parse_number(match.group("low")), unit)
        high = to_km2(parse_number(match.group("high")), unit) if match.group("high") else None
        add(metric, low, high, "km2", start, end, rule=f"area:{metric}")

    for match in COUNT_RE.finditer(sentence):
        start, end = match.span()
        if any(s <= start < e or s < end <= e for s, e in taken):
            continue
        raw = match.group("low")
        value = parse_number(raw)
        if re.fullmatch(r"(19|20)\d\d", raw.strip()):
            continue  # a year, not a count
        before, after = sentence[max(0, start - wb) : start], sentence[end : end + wa]
        if re.search(r"\b(article|resolution|protocol|phase|no\.|number)\s*$", before, re.I):
            continue
        metric = _classify("count", before, after)
        if not metric:
            continue
        add(metric, value, None, "count", start, end, rule=f"count:{metric}")

    zero = _WORD_ZERO.search(sentence)
    if zero:
        metric = "area_released" if zero.group("verb").lower() == "released" else "area_cleared"
        add(metric, 0.0, None, "km2", zero.start(), zero.end(), rule="zero:no-land")
    return found


def scores(section: Section, report_year: int | None) -> list[Figure]:
    """MAR performance scores: one figure per criterion line (two for two year columns)."""
    out: list[Figure] = []
    year = report_year - 1 if report_year else None
    for block in section.blocks:
        text = block.text.strip()
        if re.fullmatch(r"not applicable", text, re.I):
            out.append(
                Figure(
                    "performance_score",
                    None,
                    "score",
                    year,
                    None,
                    "overall",
                    text,
                    text,
                    block.page,
                    block.start,
                    block.end,
                    flags=["not_applicable"],
                    section=section.name,
                    rule="score:not-applicable",
                )
            )
            continue
        match = _SCORE_LINE.match(text)
        if not match:
            continue
        label = match.group("label").strip()
        criterion = next((name for name, p in criteria() if p.match(label)), None)
        if criterion is None:
            continue
        for group, value_year in (("score", year), ("score2", year - 1 if year else None)):
            raw = match.group(group)
            if raw is None:
                continue
            value = float(raw)
            if value > 10:
                continue
            start = block.start + match.start(group)
            out.append(
                Figure(
                    "performance_score",
                    value,
                    "score",
                    value_year,
                    None,
                    criterion,
                    raw,
                    text,
                    block.page,
                    start,
                    start + len(raw),
                    section=section.name,
                    rule=f"score:{criterion}",
                )
            )
    return out


def section_year(heading: str) -> int | None:
    match = _SECTION_YEAR.search(heading)
    return int(match.group(1)) if match else None
