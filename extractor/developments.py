"""Developments: events that show a country acted on a recommendation topic, or did not.

An event is a trigger (what: "mine action strategy", "extension request") with a stage cue
attached to it (how far: "launched" -> completed, "was being prepared" -> in_progress,
"has yet to adopt" -> not_done), read by the ``development_finder`` spaCy component with the
rules in ``patterns/developments.yml``. The Monitor's label/value lines ("Mine action
strategic plan" / "No") are developments too (:func:`label_development`).

:func:`extract` reads a whole document: Key Developments, commentary, summaries and label
blocks, never the recommendations themselves, and gives each event its year (the date next to
its cue, else the report year - 1) and the sentence and page it was read in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc

from . import compiled, countries, nlp
from .dates import MONTH_PATTERN, fronted_year, month_number
from .model import Block, Development, LoadedDocument
from .recommendations import defined_acronyms
from .yamlio import expand_macros, load_yaml

if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)

STAGES = ("not_done", "in_progress", "completed")
_DATE = re.compile(rf"\b(?:(?P<month>{MONTH_PATTERN})\s+)?(?P<year>(?:19|20)\d\d)\b", re.I)
_BETWEEN = re.compile(
    rf"\bbetween\s+(?:(?:{MONTH_PATTERN})\s+)?(?:19|20)\d\d\s+and\s+(?:(?P<month>{MONTH_PATTERN})\s+)?"
    r"(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
_PERIOD = re.compile(r"\b(?:19|20)\d\d\s*[\u2013\u2014/-]\s*(?:19|20)?\d\d\b")
_MONTH_ONLY = re.compile(rf"\b(?:in|since|from)\s+(?P<month>{MONTH_PATTERN})\b(?!\s+\d)", re.I)
_WHEN_AFTER = re.compile(r"\s*,?\s*when\b")
_COORDINATED = re.compile(
    # "launched X and a Y"; "acceded to X in January 2015 and to Y in December 2017"
    r"^\s*(?:[\d\u2013-]+\s*)?(?:(?:in|on)\s+(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d\s*)?"
    r",?\s*(?:and|or|nor)\s+(?:to\s+)?(?:(?:a|an|the|its|their)\s+)?(?:[\w'-]+\s+){0,4}$",
    re.I,
)


@dataclass
class EventRule:
    event: str
    topic: str
    triggers: re.Pattern
    cues: dict[str, list[re.Pattern]]
    anaphora: re.Pattern | None = None
    self_cue: str | None = None
    exclude: re.Pattern | None = None
    topic_if: list[tuple[re.Pattern, str]] = field(default_factory=list)


@dataclass
class Rules:
    sections: set[str | None]
    window: int
    detached: re.Pattern
    draft_only: re.Pattern
    contrast: re.Pattern
    adoption: re.Pattern
    boundary: re.Pattern
    hypothetical: re.Pattern
    aside: re.Pattern
    history: re.Pattern
    foreign_subject: re.Pattern
    foreign_subject_events: frozenset[str]
    relative: re.Pattern
    intention: re.Pattern
    events: list[EventRule]
    negation: re.Pattern
    plan: re.Pattern
    ask: re.Pattern
    condition: re.Pattern
    attributive: re.Pattern
    skip_before: re.Pattern
    target_before: re.Pattern
    skip_after: re.Pattern
    draft_before: re.Pattern
    state_date: re.Pattern
    labels: list[tuple[re.Pattern, str, str]]
    inline_labels: list[tuple[re.Pattern, str, str]]
    label_values: dict[str, re.Pattern]
    named_authority: dict[str, re.Pattern]  # acronym (case kept), name, international, set_up,
    # before, relative_by, verbs (developments.yml)


@lru_cache(maxsize=1)
def rules() -> Rules:
    raw = resources.files("extractor").joinpath("patterns/developments.yml").read_text("utf-8")
    data = load_yaml(raw)

    macros = data.get("macros", {})

    def rx(pattern: str) -> re.Pattern:
        return compiled.compile(expand_macros(pattern, macros), re.I)

    generic = {stage: [rx(p) for p in data["cues"][stage]] for stage in STAGES}
    events = []
    for spec in data["events"]:
        cues = {stage: list(patterns) for stage, patterns in generic.items()}
        if "cues" in spec:
            cues = {stage: [rx(p) for p in spec["cues"].get(stage, [])] for stage in STAGES}
        for stage, patterns in (spec.get("extra_cues") or {}).items():
            cues[stage] = cues[stage] + [rx(p) for p in patterns]
        events.append(
            EventRule(
                event=spec["event"],
                topic=spec["topic"],
                triggers=rx(spec["triggers"]),
                cues=cues,
                anaphora=rx(spec["anaphora"]) if "anaphora" in spec else None,
                self_cue=spec.get("self_cue"),
                exclude=rx(spec["exclude"]) if "exclude" in spec else None,
                topic_if=[(rx(t["pattern"]), t["topic"]) for t in spec.get("topic_if", [])],
            )
        )
    return Rules(
        sections=set(data["sections"]),
        window=int(data["window"]),
        detached=rx(data["detached"]),
        draft_only=rx(data["draft_only"]),
        contrast=rx(data["contrast"]),
        adoption=rx(data["adoption"]),
        boundary=rx(data["boundary"]),
        hypothetical=rx(data["hypothetical"]),
        aside=rx(data["aside"]),
        history=rx(data["history"]),
        foreign_subject=rx(data["foreign_subject"]),
        foreign_subject_events=frozenset(data["foreign_subject_events"]),
        relative=rx(data["relative"]),
        intention=rx(data["intention"]),
        events=events,
        negation=rx(data["negation"]),
        plan=rx(data["plan"]),
        ask=rx(data["ask"]),
        condition=rx(data["condition"]),
        attributive=rx(data["attributive"]),
        skip_before=rx(data["dates"]["skip_before"]),
        target_before=rx(data["dates"]["target_before"]),
        skip_after=rx(data["dates"]["skip_after"]),
        draft_before=rx(data["dates"]["draft_before"]),
        state_date=rx(data["dates"]["state_date"]),
        labels=[(rx(x["label"]), x["event"], x["topic"]) for x in data["labels"]],
        inline_labels=[
            (rx(x["label"].rstrip("$") + r"\s*:\s*(?P<value>\S.*)$"), x["event"], x["topic"])
            for x in data["labels"]
        ],
        label_values={stage: rx(p) for stage, p in data["label_values"].items()},
        named_authority={
            key: compiled.compile(value, 0 if key == "acronym" else re.I)
            for key, value in data["named_authority"].items()
        },
    )


@lru_cache(maxsize=1)
def _any_trigger() -> re.Pattern:
    """One pattern for every trigger: text it does not match holds no event, but for an
    anaphora after a sentence that has one (:func:`_any_anaphora`). Kept apart, the two are
    cheaper than one: an anchored anaphora ("^It was established") in the same alternation
    made every search of a paragraph about 2.5 times slower."""
    parts = dict.fromkeys(rule.triggers.pattern for rule in rules().events)
    return compiled.compile("|".join(f"(?:{p})" for p in parts), re.I)


@lru_cache(maxsize=1)
def _any_anaphora() -> re.Pattern:
    parts = dict.fromkeys(r.anaphora.pattern for r in rules().events if r.anaphora is not None)
    return compiled.compile("|".join(f"(?:{p})" for p in parts), re.I)


# -- one sentence -----------------------------------------------------------------------------
@dataclass
class Event:
    event: str
    topic: str
    stage: str
    trigger: tuple[int, int]  # character span in the sentence
    cue: tuple[int, int]
    rule: str
    year: int | None = None
    month: int | None = None
    anaphoric: bool = False


@dataclass
class _Trigger:
    rule: EventRule
    start: int
    end: int
    anaphoric: bool = False


def _triggers(text: str, previous: str, spelled: Spelled = None) -> list[_Trigger]:
    """Every event trigger in the text; a span taken by an earlier (more specific) event of
    another topic is not reused ("Resource Mobilisation Strategy" is not a strategy).
    ``spelled``: the document's acronyms of triggers (:func:`spelled_triggers`)."""
    claimed: list[tuple[int, int, str]] = []
    found = []
    for index, rule in enumerate(rules().events):
        matches = [(m, False) for m in rule.triggers.finditer(text)]
        if spelled and index in spelled[1]:
            matches += [(m, False) for m in spelled[1][index].finditer(text)]
        if rule.anaphora and rule.triggers.search(previous):
            matches += [(m, True) for m in rule.anaphora.finditer(text)]
        for match, anaphoric in matches:
            start, end = match.span()
            if any(s < end and start < e and t != rule.topic for s, e, t in claimed):
                continue
            if rule.exclude and rule.exclude.search(text[max(0, start - 30) : end + 20]):
                continue
            found.append(_Trigger(rule, start, end, anaphoric))
        claimed += [(t.start, t.end, rule.topic) for t in found if t.rule is rule]
    return found


def _cues(text: str, rule: EventRule) -> list[tuple[str, int, int]]:
    """(stage, start, end) of the rule's cues; a completion inside a negative or partial cue
    ("not adopted", "being revised") is not a completion."""
    found = [
        (stage, m.start(), m.end())
        for stage in STAGES
        for pattern in rule.cues[stage]
        for m in pattern.finditer(text)
    ]
    stronger = [(s, e) for stage, s, e in found if stage != "completed"]
    kept = [
        (stage, s, e)
        for stage, s, e in found
        if stage != "completed" or not any(a <= s and e <= b for a, b in stronger)
    ]
    return sorted(kept, key=lambda c: (c[1], c[2]))


def _governs_next(text: str, cue_end: int, triggers: list[_Trigger], trigger: _Trigger) -> bool:
    """A cue right before another event's trigger is that event's ("has no approved national
    strategy"), not the one of a trigger before it (the subject)."""
    return any(
        t.rule.topic != trigger.rule.topic
        and cue_end <= t.start
        and _NEXT_TRIGGER.fullmatch(text, cue_end, t.start)
        for t in triggers
    )


# what may stand between a cue and the trigger it governs: "has no [approved national] strategy"
_NEXT_TRIGGER = re.compile(
    r"\s+(?:(?:a|an|any|the|its|new|approved|formal|revised|national)\s+){0,3}"
)


def _blocked(text: str, gap: tuple[int, int], others: list[_Trigger], trigger: _Trigger) -> bool:
    r = rules()
    start, end = gap
    if _length(text[start:end]) > r.window or r.boundary.search(text[start:end]):
        return True
    if end <= trigger.start and r.detached.search(text[start:end]):
        return True  # "conducted in line with the standards": the verb did not act on them
    clauses = _relative_clauses(text)
    if trigger.end <= start and any(
        a <= trigger.start and b <= end and trigger.end <= b for a, b in clauses
    ):
        return True  # a trigger inside ", which ...," does not take the verb after the clause
    for other in others:
        if (other.start, other.end) == (trigger.start, trigger.end):
            continue  # the same words read by a sibling rule ("extension")
        if start <= other.start and other.end <= end:
            if trigger.start >= end and _COORDINATED.match(text[other.end : trigger.start]):
                continue  # "launched X and a Y": the verb governs both
            if any(start <= a and a <= other.start and other.end <= b <= end for a, b in clauses):
                continue  # "the standards, which introduce procedures, were approved"
            return True
    return False


@lru_cache(maxsize=256)
def _relative_clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the sentence's relative clauses (``relative`` in developments.yml), found once
    per sentence rather than once per cue and trigger."""
    return [m.span() for m in rules().relative.finditer(text)]


# "... when they granted it a second extension": a past event, not a condition
_PAST_WHEN = re.compile(
    r"\bwhen\s+(?:they|it|he|she|we|(?:the|an?|its|their)(?:\s+(?!(?:is|are|be|been|being|will|would|shall|can|"
    r"could|has|have)\b)[\w-]+){1,4}|(?-i:[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,3}))"
    r"(?:\s*\([^()]{1,12}\))?(?:\s+(?:was|were))?\s+$",  # "when the Mine Action Centre (MAC)"
    re.I,
)
_PAST_VERB = re.compile(r"\w+ed\b", re.I)


def _past_when(text: str, before: str, cue_start: int) -> bool:
    return bool(_PAST_WHEN.search(before) and _PAST_VERB.match(text, cue_start))


_SPACES = re.compile(r"\s{2,}")
# capitalised words between a sentence's first word and its trigger: "Revised Western Sahara
# Mine Action Standards ..." opens with an adjective, not a verb
_CAPITALISED_RUN = re.compile(r"(?:\s+(?-i:[A-Z])[\w'-]*)*\s+")


# an acronym in brackets after the name it shortens: "(GICHD)"
_ACRONYM_IN_BRACKETS = re.compile(r"\s*\((?-i:[A-Z][A-Za-z]{1,9})\)")


def _length(gap: str) -> int:
    """Characters between a cue and a trigger, a blanked clause, an aside on how the
    instrument was made (``history``) and an acronym in brackets each counting as one space."""
    if "," in gap:
        gap = rules().history.sub(", ", gap)
    if "(" in gap:
        gap = _ACRONYM_IN_BRACKETS.sub(" ", gap)
    return len(_SPACES.sub(" ", gap)) if "  " in gap else len(gap)


def _blank_asides(text: str) -> str:
    """``text`` with its hypothetical relative clauses (", which would ...,") and its
    discourse markers (", however,") as spaces, offsets kept."""
    r = rules()
    text = r.hypothetical.sub(lambda m: " " * len(m.group()), text)
    return r.aside.sub(lambda m: " " * len(m.group()), text)


_MAIN_VERB = re.compile(r"[^;.]{0,90},\s*(?:was|were|has been|had been|is|are)\s+(?:\w+ly\s+)?")


def _stage(text: str, trigger: _Trigger, triggers: list[_Trigger]) -> tuple[str, int, int] | None:
    """The stage cue attached to a trigger: the nearest verb before it, else the predicate
    after it (a chain "began ... and was completed" ends at its last cue)."""
    r = rules()
    if trigger.rule.self_cue:
        return trigger.rule.self_cue, trigger.start, trigger.end
    cues = _cues(text, trigger.rule)
    chosen = None
    attributive = None
    for stage, start, end in sorted(cues, key=lambda c: -c[2]):
        if start >= trigger.start:
            if end <= trigger.end and stage != "completed" and attributive is None:
                attributive = (stage, start, end)  # inside the trigger: "draft law on ..."
            continue
        if end <= trigger.start:
            if _blocked(text, (end, trigger.start), triggers, trigger):
                continue
            opening = not text[:start].strip() and _CAPITALISED_RUN.fullmatch(
                text, end, trigger.start
            )
            if (r.attributive.search(text[:start]) and trigger.start - end <= 3) or opening:
                if stage != "completed" and attributive is None:
                    attributive = (stage, start, end)  # "a draft strategy": still a draft
                continue  # "the revised standards" says nothing of this sentence's event
        chosen = (stage, start, end)  # before the trigger, or around it ("no strategy")
        break
    if chosen is None:
        after = [
            c
            for c in cues
            if c[1] >= trigger.end
            and not (c[0] == "completed" and r.attributive.search(text[: c[1]]))
        ]
        for stage, start, end in after:
            if _blocked(text, (trigger.end, start), triggers, trigger):
                break
            if _governs_next(text, end, triggers, trigger):
                break  # "The DMA still has no approved strategy": the strategy's, not the DMA's
            chosen = (stage, start, end)
            for nxt in after:  # follow "... and was completed" to the last cue of the chain
                if nxt[1] <= chosen[2]:
                    continue
                if any(chosen[2] <= t.start < nxt[2] for t in triggers if t is not trigger):
                    break  # "... being drafted, and no national standards": another event's
                if chosen[0] == "completed" and r.intention.match(text, nxt[1]):
                    break  # "approved in 2009, are intended to apply to ...": still approved
                between = text[chosen[2] : nxt[1]]
                # "began ... and was completed"; "begun in 2008, was finished in 2011"
                if (re.search(r"\band\b", between) or _MAIN_VERB.fullmatch(between)) and not (
                    r.boundary.search(between)
                ):
                    if _length(between) <= r.window:
                        chosen = nxt
                        continue
                break
            break
    if chosen and attributive and chosen[0] == "completed":
        if attributive[0] == "in_progress" and r.draft_only.fullmatch(text[chosen[1] : chosen[2]]):
            chosen = ("in_progress", chosen[1], chosen[2])  # a draft finalised is still a draft
    chosen = chosen or attributive
    if chosen is None:
        return None
    if chosen[0] == "completed":
        chosen = _contrast(text, chosen, cues, triggers, trigger)
    stage, start, end = chosen
    before = text[:start]
    if r.ask.search(before) or (r.condition.search(before) and not _past_when(text, before, start)):
        return None  # "should be adopted", "once it is adopted": nothing happened
    draft = attributive is not None and attributive[0] == "in_progress"
    if stage == "completed" and r.negation.search(before):
        if draft:
            return attributive  # "Draft standards ... had not been adopted": still a draft
        return "not_done", start, end
    if (
        stage == "not_done"
        and draft
        and start >= trigger.end
        and r.draft_only.search(text[start:end])
    ):
        return attributive  # "Draft standards ... have not been finalised": still a draft
    if stage == "completed" and r.plan.search(before):
        return "in_progress", start, end
    return stage, start, end


def _contrast(
    text: str,
    chosen: tuple[str, int, int],
    cues: list[tuple[str, int, int]],
    triggers: list[_Trigger],
    trigger: _Trigger,
) -> tuple[str, int, int]:
    """A completion contradicted later in the sentence ("... finalised but has not yet been
    approved") takes the stage of the contradiction."""
    r = rules()
    for stage, start, end in cues:
        if (
            start <= chosen[2]
            or stage == "completed"
            or _length(text[chosen[2] : start]) > r.window
        ):
            continue
        between = text[chosen[2] : start]
        others = [t for t in triggers if t.start >= chosen[2] and t.end <= start]
        if not r.contrast.match(between) or not r.adoption.search(text[start : end + 25]):
            continue  # "adopted but yet to be implemented" is still adopted
        if not [t for t in others if t.rule.topic != trigger.rule.topic]:
            return stage, start, end
    return chosen


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    bounds = [(m.start(), m.end()) for m in rules().boundary.finditer(text)]
    left = max((e for s, e in bounds if e <= start), default=0)
    right = min((s for s, e in bounds if s >= end), default=len(text))
    return left, right


def _dates(
    text: str, stage: str, report_year: int | None
) -> list[tuple[int, int, int, int | None]]:
    """(start, end, year, month) of the event dates in a text: "between 2012 and 2015" is
    2015; periods ("2018-2025"), deadlines, targets and years after the report are not."""
    r = rules()
    taken: list[tuple[int, int]] = []
    out = []
    for match in _BETWEEN.finditer(text):
        month = match.group("month")
        out.append((match.start(), match.end(), int(match.group("year")), month_number(month)))
        taken.append(match.span())
    taken += [m.span() for m in _PERIOD.finditer(text)]
    for match in _DATE.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        if r.skip_before.search(before) and not _WHEN_AFTER.match(text, match.end()):
            continue  # "since 2014" dates nothing; "since 2014, when UNDP handed over" does
        if stage != "not_done" and r.target_before.search(before):
            continue  # "to be adopted by the end of 2019"; but "not set up by the end of 2021"
        if r.skip_after.match(text, match.end(), match.end() + 40):
            continue
        year = int(match.group("year"))
        if report_year and year > report_year:
            continue
        out.append((match.start(), match.end(), year, month_number(match.group("month"))))
    return out


def _date_of(text: str, event: Event, report_year: int | None) -> tuple[int | None, int | None]:
    """The date nearest the event's cue within its clause (and 120 characters)."""
    lo, hi = _clause(text, min(event.cue[0], event.trigger[0]), max(event.cue[1], event.trigger[1]))
    best = None
    after_cue = None  # a predicate's own date follows it ("..., begun in 2008, was finished
    # by NPA in mid-2011": 2011, not the date of the chain's first verb)
    predicate = event.cue[0] >= event.trigger[1]
    for start, end, year, month in _dates(text, event.stage, report_year):
        if start < lo or end > hi:
            continue
        attributive = end <= event.trigger[0] and not text[end : event.trigger[0]].strip()
        aside = (
            event.trigger[1] <= start
            and end <= event.cue[0]
            and "," in text[end : event.cue[0]]
            and not _WHEN_AFTER.match(text, end)  # "since November 2005, when it signed"
        )
        if aside:
            continue  # "a committee, provided for by decree in 2017, has not been set up"; "a
            # replacement for the strategy, the last of which ran out in 2018, was being prepared"
        if (
            event.stage == "not_done"
            and event.trigger[1] <= start
            and end <= event.cue[0]
            and rules().draft_before.match(text, event.trigger[1], start)
        ):
            continue  # "the demining law proposed in 2017 has not been adopted": the draft's
            # year, not the year it was still not adopted
        if event.stage != "completed" and attributive:
            continue  # "has yet to pass amendments to the 2002 demining law": the law's year
        distance = min(
            max(event.cue[0] - end, start - event.cue[1], 0),
            max(event.trigger[0] - end, start - event.trigger[1], 0),
        )
        if distance <= 120 and (best is None or distance < best[0]):
            best = (distance, year, month, start)
        gap = start - event.cue[1]
        if predicate and 0 <= gap <= 80 and (after_cue is None or gap < after_cue[0]):
            after_cue = (gap, year, month, start)
    if after_cue is not None:
        best = after_cue
    if best is None and event.stage != "completed":
        state = _state_date(text, report_year)
        if state is not None:
            return state
    if best is None:
        left = min(event.cue[0], event.trigger[0])
        near = _MONTH_ONLY.search(text, max(0, left - 40), max(event.cue[1], event.trigger[1]) + 40)
        years = [d for d in _dates(text, event.stage, report_year) if lo <= d[0] and d[1] <= hi]
        if near and not years:  # "... overhauled in 2023: the database went live in April"
            years = [d for d in _dates(text, event.stage, report_year) if d[1] <= near.start()]
            years = years[-1:]
        if near and years:  # "In February 2004, ... and in March a policy was approved"
            nearest = min(years, key=lambda d: abs(d[0] - near.start()))
            return nearest[2], month_number(near.group("month"))
        return None, None
    month = best[2]
    left, right = min(event.cue[0], event.trigger[0]), max(event.cue[1], event.trigger[1])
    near = _MONTH_ONLY.search(text, max(0, left - 40), right + 40)
    if near and (month is None or min(abs(near.end() - left), abs(near.start() - right)) < best[0]):
        month = month_number(near.group("month"))  # "In February 2019 ..., and in May ... approved"
    return best[1], month


def _state_date(text: str, report_year: int | None) -> tuple[int, int | None] | None:
    """The date a sentence says its state still held at ("had still not been approved by
    mid-2009"; ``state_date`` in developments.yml), for an undone or unfinished event with no
    date of its own, wherever in the sentence it stands."""
    for match in rules().state_date.finditer(text):
        year = int(match.group("year"))
        if report_year is None or year <= report_year:
            return year, month_number(match.group("month")) if match.group("month") else None
    return None


def named_authorities(text: str, defined: dict[str, str] | None = None) -> re.Pattern:
    """The mine action bodies a document names by acronym, each followed by the words saying it
    was set up (``named_authority`` in developments.yml). ``defined``: the text's
    ``defined_acronyms``, when the caller has them already."""
    spec = rules().named_authority
    defined = defined_acronyms(text) if defined is None else defined
    found = sorted(
        acr
        for words, acr in defined.items()
        if spec["name"].search(words) and not spec["international"].search(words)
    )
    return _named_pattern("|".join([spec["acronym"].pattern, *map(re.escape, found)]))


@lru_cache(maxsize=64)
def _named_pattern(acronyms: str) -> re.Pattern:
    spec = rules().named_authority
    name = rf"(?-i:\b(?:{acronyms})\b)"
    return re.compile(
        rf"{name}{spec['set_up'].pattern}|{spec['before'].pattern}{name}(?![\x27\u2019]s)"
        rf"|{name}{spec['relative_by'].pattern}",
        re.I,
    )


# a document's acronyms of event triggers: (any of them, {index of the event rule: its acronyms})
Spelled = tuple[re.Pattern, dict[int, re.Pattern]] | None


def spelled_triggers(defined: dict[str, str]) -> Spelled:
    """The acronyms a document defines for what an event rule's trigger names: "Kosovo Mine
    Action Standards (KMAS)" makes "KMAS" a trigger of standards. Bodies named by acronym
    are :func:`named_authorities`' (only their setting up is an event)."""
    by_rule: dict[int, list[str]] = {}
    for words, acronym in defined.items():
        if len(acronym) < 3 or not acronym.isupper():
            continue
        for index, rule in enumerate(rules().events):
            if rule.event != "authority_established" and rule.triggers.search(words):
                by_rule.setdefault(index, []).append(acronym)
    if not by_rule:
        return None
    every = sorted({a for acronyms in by_rule.values() for a in acronyms})
    return _acronyms(tuple(every)), {i: _acronyms(tuple(sorted(a))) for i, a in by_rule.items()}


@lru_cache(maxsize=256)
def _acronyms(acronyms: tuple[str, ...]) -> re.Pattern:
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, acronyms))})\b")


def find(
    text: str,
    previous: str = "",
    report_year: int | None = None,
    named: re.Pattern | None = None,
    spelled: Spelled = None,
) -> list[Event]:
    """The events of one sentence; ``previous`` is the sentence before it in the paragraph (for
    "The request was submitted ..." after a sentence about an extension); ``named``: the
    document's :func:`named_authorities`; ``spelled``: its :func:`spelled_triggers`."""
    flat = text.replace("\n", " ")
    body = _names_a_body(named, flat)
    if not (body or _may_hold_event(flat, None, spelled, previous)):
        return []
    flat = _blank_asides(flat)
    triggers = _triggers(flat, previous.replace("\n", " "), spelled)
    for match in named.finditer(flat) if body else ():
        if not any(t.start < match.end() and match.start() < t.end for t in triggers):
            triggers.append(_Trigger(_named_rule(named), match.start(), match.end()))
    events: list[Event] = []
    for trigger in triggers:
        found = _stage(flat, trigger, triggers)
        if found is None:
            continue
        stage, start, end = found
        rule = trigger.rule
        if rule.event in rules().foreign_subject_events and rules().foreign_subject.search(
            flat[: min(start, trigger.start)]
        ):
            continue  # "In 2018, The HALO Trust installed its own IMSMA installation"
        topic = rule.topic
        for pattern, other in rule.topic_if:
            if pattern.search(flat):
                topic = other
        cue = flat[start:end].lower()
        event = Event(
            event=rule.event,
            topic=topic,
            stage=stage,
            trigger=(trigger.start, trigger.end),
            cue=(start, end),
            rule=f"{rule.event}/{stage}:{flat[trigger.start : trigger.end].lower()}+{cue}",
            anaphoric=trigger.anaphoric,
        )
        event.year, event.month = _date_of(flat, event, report_year)
        if any((e.event, e.stage) == (event.event, event.stage) for e in events):
            continue
        events.append(event)
    return events


def _may_hold_event(
    text: str, named: re.Pattern | None, spelled: Spelled, previous: str = ""
) -> bool:
    """Whether an event can start in ``text`` (cheap checks before the pipeline runs): a
    trigger, a named body set up, an acronym of a trigger, or an anaphora after a sentence."""
    return bool(
        _any_trigger().search(text)
        or (previous and _any_anaphora().search(text))
        or _names_a_body(named, text)
        or (spelled and spelled[0].search(text))
    )


def _names_a_body(named: re.Pattern | None, text: str) -> bool:
    """A named body set up in ``text`` (the cheap check, for the set-up words alone, first)."""
    return bool(named and rules().named_authority["verbs"].search(text) and named.search(text))


def _named_rule(named: re.Pattern) -> EventRule:
    """The event of a named body being set up: the trigger holds its own cue."""
    cues: dict[str, list[re.Pattern]] = {stage: [] for stage in STAGES}
    return EventRule("authority_established", "national_authority", named, cues, None, "completed")


class DevelopmentFinder:
    """Writes ``doc._.events``: (sentence span, :class:`Event`) for each sentence of the doc."""

    def __init__(self) -> None:
        self.report_year: int | None = None
        self.named: re.Pattern | None = None  # the document's named_authorities()
        self.spelled: Spelled = None  # the document's spelled_triggers()

    def __call__(self, doc: Doc) -> Doc:
        out = []
        previous = ""
        for sent in doc.sents:
            for event in find(sent.text, previous, self.report_year, self.named, self.spelled):
                out.append((sent.start_char, sent.end_char, event))
            previous = sent.text
        doc._.events = out
        return doc


@Language.factory("development_finder", assigns=["doc._.events"])
def make_development_finder(nlp: Language, name: str) -> DevelopmentFinder:
    return DevelopmentFinder()


@lru_cache(maxsize=1)
def pipeline() -> Language:
    pipe = nlp.blank()
    pipe.add_pipe("development_finder")
    return pipe


# -- label/value lines --------------------------------------------------------------------------
def label_development(label: Block, value: Block, report_year: int | None) -> Development | None:
    """A Monitor label line and its value ("Mine action strategic plan" / "No"): the label
    names the event, the value its stage. An existing instrument without a date has year None;
    a named period ("Strategy 2011-2020") is no date."""
    for pattern, event, topic in rules().labels:
        if pattern.match(label.text.strip()):
            return _labelled(event, topic, value, report_year)
    return None


def inline_label_development(block: Block, report_year: int | None) -> Development | None:
    """The same on one line: "Mine action strategic plan: None"."""
    for pattern, event, topic in rules().inline_labels:
        match = pattern.match(block.text.strip())
        if match:
            lead = len(block.text) - len(block.text.lstrip())
            start = block.start + lead + match.start("value")
            text = match.group("value")
            return _labelled(
                event,
                topic,
                Block("paragraph", text, block.page, start, start + len(text)),
                report_year,
            )
    return None


def _labelled(event: str, topic: str, value: Block, report_year: int | None) -> Development | None:
    r = rules()
    text = value.text.strip()
    if len(re.findall(r"[A-Za-z]", text)) < 2:
        return None  # "National mine action standards" / "8" is a score table row
    stage = "completed"
    if r.label_values["in_progress"].search(text):
        stage = "in_progress"  # also "No national strategy; a draft is being developed"
    elif r.label_values["not_done"].match(text):
        stage = "not_done"
    dates = _dates(text, stage, report_year) if stage != "not_done" else []
    year, month = (dates[-1][2], dates[-1][3]) if dates else (None, None)
    if year is None and stage != "completed" and report_year:
        year = report_year - 1  # work under way or not done, undated: the year reported on
    return Development(
        event=event,
        topic=topic,
        stage=stage,
        year=year,
        month=month,
        sentence=value.text,
        page=value.page,
        start=value.start,
        end=value.end,
        rule=f"label:{event}/{stage}",
    )


# -- a document ------------------------------------------------------------------------------
def extract(
    doc: LoadedDocument,
    section_of: dict[int, tuple[str | None, str]],
    skip: set[int] | None = None,
    report_year: int | None = None,
    acronyms: dict[str, str] | None = None,
    country: str | None = None,
) -> list[Development]:
    """Developments of a document, in text order, each (event, stage, year) once.

    ``section_of`` maps ``id(block)`` to its (section name, heading); ``skip`` holds the ids
    of blocks never read (recommendation items); ``acronyms``: the document's
    ``defined_acronyms`` if the caller has read them; ``country``: the code of the country
    the document is about (a sentence whose subject is another country tells no event of
    it: "Neighbouring Georgia, for its part, adopted a strategy in 2019")."""
    r = rules()
    skip = skip or set()
    default_year = report_year - 1 if report_year else None
    finder = pipeline().get_pipe("development_finder")
    finder.report_year = report_year
    whole = "\n".join(page.text for page in doc.pages)
    acronyms = defined_acronyms(whole) if acronyms is None else acronyms
    finder.named = named_authorities(whole, acronyms)
    finder.spelled = spelled_triggers(acronyms)
    out: list[Development] = []
    implied: set[int] = set()  # indexes of developments with the edition's year, or none
    for page in doc.pages:
        readable: list[Block] = []
        previous: Block | None = None
        for block in page.blocks:
            name = section_of.get(id(block), (None, ""))[0]
            usable = block.kind != "bullet" and id(block) not in skip and name in r.sections
            pair = usable and previous is not None
            labelled = pair and label_development(previous, block, report_year)
            if labelled and readable and readable[-1] is previous:
                readable.pop()  # the label line itself says nothing
            labelled = labelled or (usable and inline_label_development(block, report_year))
            if labelled:
                if labelled.year is None:  # an undated label line ("National mine action
                    implied.add(len(out))  # authority: SEMA") gives way to a dated telling
                out.append(labelled)
            elif usable:
                readable.append(block)
            if labelled:
                previous = None  # a value line is no label for the line after it
            elif block.kind != "bullet":
                previous = block
        # each block is read on its own: the loader has already joined hard-wrapped lines
        # into paragraphs (joining open lines again here ran one sentence through Monitor
        # label lines and across paragraphs)
        for block in readable:
            start, end = block.start, block.end
            text = page.text[start:end]
            if not _may_hold_event(text, finder.named, finder.spelled):
                continue  # no event can start here: spare the pipeline run
            for s_start, s_end, event in pipeline()(text)._.events:
                sentence = text[s_start:s_end].strip()
                if country and _about_another_country(sentence, country):
                    continue
                lead = text[s_start:s_end].find(sentence)
                year = event.year
                if year is None:  # "In May 2012, IND said ... it would ask ..."
                    year = fronted_year(sentence)
                if year is None:
                    implied.add(len(out))
                if year is None and not event.anaphoric:
                    year = default_year
                if year is None and event.anaphoric:
                    year = _paragraph_year(out, page.number, start) or default_year
                out.append(
                    Development(
                        event=event.event,
                        topic=event.topic,
                        stage=event.stage,
                        year=year,
                        month=event.month,
                        sentence=sentence,
                        page=page.number,
                        start=start + s_start + lead,
                        end=start + s_start + lead + len(sentence),
                        rule=event.rule,
                    )
                )
    finder.report_year, finder.named, finder.spelled = None, None, None
    dated = {(d.event, d.stage) for i, d in enumerate(out) if i not in implied}
    # the absence of an instrument ("There is no national database", undated) beside work on
    # it ("IMSMA was being installed in 2009") is that work: the report tells a draft under way
    under_way = {d.event for d in out if d.stage == "in_progress"}
    # an event stated twice, once with its date ("(EXTENSION ... REQUESTED)" in a heading,
    # "In March 2020, Chile submitted a request"), is one event, of that date
    return _once(
        [
            d
            for i, d in enumerate(out)
            if i not in implied
            or (
                (d.event, d.stage) not in dated
                and not (d.stage == "not_done" and d.event in under_way)
            )
        ]
    )


def _about_another_country(sentence: str, country: str) -> bool:
    subject = countries.subject_country(sentence)
    return subject is not None and subject.code != country


def _paragraph_year(found: list[Development], page: int, start: int) -> int | None:
    """The year of the last development found earlier in the same paragraph."""
    for dev in reversed(found):
        if dev.page == page and dev.start >= start and dev.year is not None:
            return dev.year
    return None


def _once(found: list[Development]) -> list[Development]:
    seen: set[tuple[str, str, int | None]] = set()
    out = []
    for dev in found:
        key = (dev.event, dev.stage, dev.year)
        if key in seen:
            continue
        seen.add(key)
        out.append(dev)
    return out


def from_sentence(sentence: str, page: int, offset: int, report_year: int | None = None):
    """Developments of one sentence (for tests and callers with loose text); no default year."""
    return [
        Development(
            event=e.event,
            topic=e.topic,
            stage=e.stage,
            year=e.year,
            month=e.month,
            sentence=sentence,
            page=page,
            start=offset,
            end=offset + len(sentence),
            rule=e.rule,
        )
        for e in find(sentence, "", report_year)
    ]
