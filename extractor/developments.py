"""Developments: sentences that show a country acted (or did not) on a topic."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from .model import Development

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_DATE = re.compile(
    r"\b(?:(?P<month>" + "|".join(_MONTHS) + r")\s+)?(?P<year>(?:19|20)\d\d)\b", re.I
)


@lru_cache(maxsize=1)
def rules() -> dict:
    raw = resources.files("extractor").joinpath("patterns/developments.yml").read_text()
    data = yaml.safe_load(raw)
    data["stage_re"] = {
        stage: [re.compile(p, re.I) for p in patterns] for stage, patterns in data["stages"].items()
    }
    for event in data["events"]:
        event["trigger_re"] = re.compile(event["trigger"], re.I)
        event["require_re"] = re.compile(event["require"], re.I) if "require" in event else None
    return data


def stage_of(sentence: str) -> tuple[str, str] | None:
    for stage in ("not_done", "in_progress", "completed"):
        for pattern in rules()["stage_re"][stage]:
            if pattern.search(sentence):
                return stage, pattern.pattern
    return None


def from_sentence(sentence: str, page: int, offset: int) -> list[Development]:
    out: list[Development] = []
    seen_topics: set[str] = set()
    for event in rules()["events"]:
        trigger = event["trigger_re"].search(sentence)
        if not trigger or event["topic"] in seen_topics:
            continue
        if event["require_re"] and not event["require_re"].search(sentence):
            continue
        stage = stage_of(sentence)
        if stage is None:
            continue
        name = event["event"]
        if name == "extension_granted" and re.search(
            r"\b(request|seek|sought|submit)", sentence, re.I
        ):
            if not re.search(r"\b(granted|approved|agreed)\b", sentence, re.I):
                name, stage = (
                    "extension_requested",
                    ("in_progress" if stage[0] != "not_done" else "not_done", stage[1]),
                )
        year, month = _date_near(sentence, trigger.start())
        seen_topics.add(event["topic"])
        out.append(
            Development(
                event=name,
                topic=event["topic"],
                stage=stage[0],
                year=year,
                month=month,
                sentence=sentence,
                page=page,
                start=offset,
                end=offset + len(sentence),
                rule=f"{name}/{stage[0]}:{stage[1]}",
            )
        )
    return out


def _date_near(sentence: str, pos: int) -> tuple[int | None, int | None]:
    best = None
    for match in _DATE.finditer(sentence):
        before = sentence[max(0, match.start() - 30) : match.start()].lower()
        if re.search(r"(deadline|until|to the end of|by the end of|–|-)\s*(\d+\s+)?$", before):
            continue
        distance = abs(match.start() - pos)
        if best is None or distance < best[0]:
            month = match.group("month")
            best = (
                distance,
                int(match.group("year")),
                _MONTHS.index(month.lower()) + 1 if month else None,
            )
    return (best[1], best[2]) if best else (None, None)
