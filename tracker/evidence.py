"""Evidence for a status: which development events answer a recommendation, and the
best development among a country's that shows it was acted on.

What counts is data (``evidence.yml``): each rule names the events that answer a
recommendation whose text matches it (and events that show partial action only); a
recommendation that no rule matches falls back on its main topic's events, and the
statuses that rest on that are flagged needs_review.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from extractor.yamlio import load_yaml

if TYPE_CHECKING:
    from .followup import Dev


@lru_cache(maxsize=1)
def evidence_rules() -> dict:
    raw = resources.files("tracker").joinpath("evidence.yml").read_text(encoding="utf-8")
    data = load_yaml(raw)
    data["asks_re"] = [
        (
            re.compile(r["asks"], re.I),
            tuple(r["events"]),
            tuple(r.get("partial", ())),
            bool(r.get("specific")),
        )
        for r in data["asks"]
    ]
    return data


@lru_cache(maxsize=65536)
def asked_events(text: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The events one recommendation asks for and its partial-only events (None if no rule
    matches): a specific rule wins, else the generic rule that matches first."""
    hits = []
    for order, (pattern, events, more, specific) in enumerate(evidence_rules()["asks_re"]):
        match = pattern.search(text)
        if match:
            hits.append((not specific, match.start(), order, events, more))
    if not hits:
        return None
    *_, events, more = min(hits)
    return events, more


def expected_events(texts: list[str], topic: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """The development events that would answer these recommendations, the events that
    would show partial action, and the basis ("event": named by the text; "topic": from
    the main topic only). See evidence.yml."""
    found: list[str] = []
    partial: list[str] = []
    for text in texts:
        asked = asked_events(text)
        if asked:
            found.extend(e for e in asked[0] if e not in found)
            partial.extend(e for e in asked[1] if e not in partial)
    if found:
        return tuple(found), tuple(e for e in partial if e not in found), "event"
    return tuple(evidence_rules()["topics"].get(topic, ())), (), "topic"


def topics_of(events: tuple[str, ...]) -> tuple[str, ...]:
    """The topics these events answer (the first topic that lists each, in evidence.yml)."""
    out: list[str] = []
    for event in events:
        topic = next((t for t, evs in evidence_rules()["topics"].items() if event in evs), None)
        if topic and topic not in out:
            out.append(topic)
    return tuple(out)


@dataclass(frozen=True)
class Evidence:
    dev: Dev
    basis: str  # event | topic
    review: bool
    note: str


class Developments:
    """A country's developments, for evidence look-ups."""

    def __init__(self, devs: list[Dev], canonical_ids: set[str]):
        self.by_country: dict[str, list[Dev]] = defaultdict(list)
        for dev in devs:
            if dev.document_id in canonical_ids:
                self.by_country[dev.country].append(dev)

    def find(
        self,
        country: str,
        series: str,
        after: int,
        upto: int,
        anywhere: tuple[str, ...],
        here: tuple[str, ...],
        basis: str,
        stages: tuple[str, ...],
        dated: bool = False,
    ) -> Evidence | None:
        """The best development reported in an edition in (after, upto] whose event is one
        of ``anywhere`` (any series) or of ``here`` (the thread's series only), at one of
        ``stages``, dated no earlier than the year before the ask and no later than its
        report (``dated``: a date is required). Same series first, then dated to the
        month, then the earliest report."""
        best = None
        for dev in self.by_country.get(country, ()):
            if dev.stage not in stages or not (after < dev.report_year <= upto):
                continue
            if dev.event not in anywhere and not (dev.event in here and dev.series == series):
                continue
            if dev.year is None:
                if dated:
                    continue
            elif not (after - 1 <= dev.year <= dev.report_year):
                continue
            rank = (
                dev.series != series,
                dev.year is None,
                dev.month is None,
                dev.report_year,
                dev.id,
            )
            if best is None or rank < best[0]:
                best = (rank, dev)
        if best is None:
            return None
        dev = best[1]
        notes = []
        if basis == "topic":
            notes.append(f"matched through the topic {dev.topic}: the text names no event")
        if dev.year is None:
            notes.append("development undated")
        elif dev.year < after:
            notes.append(f"development dated {dev.year}, before the {after} edition")
        return Evidence(dev, basis, bool(notes), "; ".join(notes))
