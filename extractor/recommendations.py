"""Recommendations for Action: items, and for each its actor, action, urgency and topics.

Splitting (:func:`split_items`) works on the blocks of the section whatever the bullets: item
blocks (``•``, ``■``, ``>``, ``ŸŸ``), a lone ``-`` line before unbulleted asks, or no bullets at
all. Hard-wrapped PDF lines are joined, running headers skipped, and the list ends at the first
block that is not part of it, so no text of the next (perhaps unheaded) section is taken.

Each item's text goes through a small spaCy pipeline: ``ask_parser`` (this module, rules in
``patterns/recommendations.yml``) writes ``doc._.ask`` and ``topic_matcher`` (``nlp``, rules in
``patterns/topics.yml``) writes ``doc._.topics``; :func:`rank_topics` puts the main ask first
and keeps the rule behind each topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc

from . import compiled, nlp
from .model import Block, LoadedDocument, Recommendation, Section
from .yamlio import load_yaml

if not Doc.has_extension("ask"):
    Doc.set_extension("ask", default=None)

OTHER = "other"
_HEADING = re.compile(r"^\s*(?P<heading>recommendations?(?:\s+for\s+action)?)\s*:?\s*", re.I)
_HYPHEN_PREFIXES = {"non", "anti", "post", "pre", "self", "co", "multi", "sub", "cross", "re"}
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&-]{1,9}$")
_DEFINED = re.compile(
    r"((?:[A-Z][\w'\u2019-]*\s+(?:(?:of|for|and|the|on|de|du|des|pour|le|la|les|et)\s+)*){1,9})"
    r"\(([A-Z][A-Z0-9&-]{1,9})\)"
)


@dataclass
class Rules:
    inline_bullets: re.Pattern
    stop_lines: list[re.Pattern]
    skip_lines: list[re.Pattern]
    terminal: re.Pattern
    open_end: re.Pattern
    wrapped_line_max: int
    lead_in: re.Pattern
    ask: re.Pattern
    passive: re.Pattern
    agent: re.Pattern
    adverbs: re.Pattern
    light_verbs: re.Pattern
    light_passive: re.Pattern
    participles: dict[str, str]
    urgency: re.Pattern
    not_actors: re.Pattern


@lru_cache(maxsize=1)
def rules() -> Rules:
    raw = resources.files("extractor").joinpath("patterns/recommendations.yml").read_text("utf-8")
    data = load_yaml(raw)

    def rx(pattern: str, flags: int = re.I) -> re.Pattern:
        return compiled.compile(pattern, flags)

    return Rules(
        inline_bullets=rx(data["inline_bullets"], 0),
        stop_lines=[rx(p) for p in data["stop_lines"]],
        skip_lines=[rx(p) for p in data["skip_lines"]],
        terminal=rx(data["terminal"]),
        open_end=rx(data["open_end"]),
        wrapped_line_max=int(data["wrapped_line_max"]),
        lead_in=rx(data["lead_in"]),
        ask=rx(data["ask"]),
        passive=rx(data["passive"]),
        agent=compiled.compile(data["agent"]),  # case matters: an agent is a name
        adverbs=rx(rf"^\s+{data['adverbs']}\b"),
        light_verbs=rx(rf"^\s+{data['light_verbs']}(?:\s+\w+ly)?\s+to\b"),
        light_passive=rx(data["light_passive"]),
        participles=dict(data["participles"]),
        urgency=rx(r"\b(?:" + "|".join(data["urgency"]) + r")\b"),
        not_actors=rx(data["not_actors"]),
    )


# -- items ------------------------------------------------------------------------------------
@dataclass
class Item:
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The item's lines joined; a word broken at a line end ("clear-" / "ance") is mended,
        a real hyphen ("non-" / "technical") kept."""
        text = ""
        for block in self.blocks:
            line = block.text.strip()
            broken = re.search(r"([A-Za-z]+)-$", text)
            if broken and line[:1].islower():
                keep = broken.group(1).lower() in _HYPHEN_PREFIXES
                text = (text if keep else text[:-1]) + line
            else:
                text = f"{text} {line}" if text else line
        return re.sub(r"\s+", " ", text).strip()


def explode(block: Block) -> list[Block]:
    """A block holding several bulleted items ("■ A should ... ■ B should ...") as one block
    per item, with offsets into the page text."""
    cuts = list(rules().inline_bullets.finditer(block.text))
    if not cuts:
        return [block]
    out: list[Block] = []
    pieces = [(0, cuts[0].start(), block.kind)]
    for i, cut in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(block.text)
        pieces.append((cut.end(), end, "item"))
    for start, end, kind in pieces:
        text = block.text[start:end]
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if text:
            begin = block.start + start + lead
            out.append(Block(kind, text, block.page, begin, begin + len(text)))
    return out


def _matches(patterns: list[re.Pattern], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def _finished(text: str) -> bool:
    return bool(rules().terminal.search(text.rstrip()))


def _continues(item: Item, block: Block, bulleted: bool) -> bool:
    """Is ``block`` the rest of ``item`` (a hard line wrap), not a new paragraph?"""
    r = rules()
    last = item.blocks[-1].text.rstrip()
    if _finished(last):
        return False
    text = block.text.lstrip()
    if r.open_end.search(last) or text[:1].islower() or text[:1] in "([,;:-\u2013":
        return True
    if len(last) > r.wrapped_line_max:
        return False  # a whole paragraph, not a wrapped line: a capital starts something new
    return bulleted or not r.ask.search(text[:60])


# "1. ", "2) ", "(a) ": a numbered list's item marker, not part of the item
_ENUMERATOR = re.compile(r"^\(?(?:\d{1,2}|[a-h])[.)]\s+(?=[A-Z])")


def split_items(section: Section) -> list[Item]:
    """The items of a recommendations section, in order. The list ends at the first block that
    belongs to no item: a download line, a heading, or a paragraph that neither carries a
    bullet, nor continues an item, nor (in an unbulleted list) asks for something."""
    r = rules()
    blocks = [piece for block in section.blocks for piece in explode(block)]
    bulleted = any(b.kind == "item" for b in blocks)
    more_bullets = _bullets_ahead(blocks)
    items: list[Item] = []
    pending_bullet = False
    for index, block in enumerate(blocks):
        text = block.text.strip()
        if block.kind == "bullet":
            pending_bullet = True
            continue
        if _matches(r.skip_lines, text):
            continue
        if _matches(r.stop_lines, text) or block.kind == "heading":
            break
        numbered = _ENUMERATOR.match(text)
        if numbered and (bulleted is False or block.kind == "item"):
            block = Block("item", text[numbered.end() :], block.page,
                          block.start + numbered.end(), block.end)  # fmt: skip
            text = block.text
        if block.kind == "item" or pending_bullet:
            pending_bullet = False
            if text:
                items.append(Item([block]))
            continue
        if items and _continues(items[-1], block, bulleted):
            items[-1].blocks.append(block)
            continue
        if items and bulleted and more_bullets[index]:
            items[-1].blocks.append(block)  # a further sentence of the item: a bullet follows
            continue
        after_item = not items or _finished(items[-1].text)
        if not bulleted and after_item and (r.ask.search(text) or _cut_off(block, blocks)):
            items.append(Item([block]))  # unbulleted list (or after a lone '-'): one ask a block
            continue
        if not items and r.lead_in.match(text):
            continue
        break
    return items


def _cut_off(block: Block, blocks: list[Block]) -> bool:
    """The section's last block, unfinished: an item cut before its asking word."""
    return block is blocks[-1] and block.text[:1].isupper() and not _finished(block.text)


def _bullets_ahead(blocks: list[Block]) -> list[bool]:
    """For each block: does a bulleted item follow it before the list can end?"""
    r = rules()
    ahead = [False] * len(blocks)
    seen = False
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        ahead[index] = seen
        text = block.text.strip()
        if block.kind == "heading" or _matches(r.stop_lines, text):
            seen = False
        elif block.kind in ("item", "bullet"):
            seen = True
    return ahead


# -- the ask: actor, action, urgency -------------------------------------------------------------
@dataclass
class Ask:
    actor: str | None
    action: str | None
    urgency: str | None
    masked: list[tuple[int, int]]  # character spans of agentive subjects (not topic evidence)


def _clauses(text: str) -> list[tuple[int, int, int]]:
    """(subject start, ask start, ask end) for every asking word in the text."""
    out = []
    previous_end = 0
    for match in rules().ask.finditer(text):
        before = text[previous_end : match.start()]
        sentence = [m.end() for m in re.finditer(r"[.;:]\s+", before)]
        if sentence or previous_end == 0:
            # a new sentence: its subject may itself contain "and" ("A and B should"); an
            # opening phrase ends at its comma ("Where possible, LMAC should")
            start = sentence[-1] if sentence else 0
            intro = list(re.finditer(r",\s+", before[start:]))
            if intro:
                start += intro[-1].end()
        else:
            start = max(
                (m.end() for m in re.finditer(r"\band\s+|\bor\s+|,\s+(?=\w)", before)),
                default=0,
            )
        out.append((previous_end + start, match.start(), match.end()))
        previous_end = match.end()
    return out


def _clean_actor(subject: str, acronyms: dict[str, str]) -> str | None:
    r = rules()
    subject = subject.strip(" ,;:\"'").replace("\u2019", "'")
    if not subject or r.not_actors.match(subject):
        return None
    defined = re.search(r"\(([A-Z][A-Z0-9&-]{1,9})\)\s*$", subject)
    if defined:
        return defined.group(1)
    subject = re.sub(r"\s*\([^)]*\)", "", subject)
    words = subject.split()
    if words[0] in ("The", "the") and len(words) > 1:
        if _ACRONYM.match(words[1]):
            return " ".join(words[1:])
        name = " ".join(words[1:])
        if name.lower() in acronyms:
            return acronyms[name.lower()]
        return "the " + name
    if subject.lower() in acronyms:
        return acronyms[subject.lower()]
    return subject


def _base_form(participle: str) -> str:
    word = participle.lower()
    irregular = rules().participles
    if word in irregular:
        return irregular[word]
    if word.endswith("ied"):
        return word[:-3] + "y"
    if re.search(r"([bdgklmnprt])\1ed$", word):
        return word[:-3]
    if re.search(
        r"(?:at|iz|is|us|[^aeiou]v|[^aeiou]c|[^aeiou]g|ur|bl|pl|[^e]et|[^aei]in|uc)ed$", word
    ):
        return word[:-1]
    if word.endswith("ed"):
        return word[:-2]
    return word


def _action(text: str, ask_end: int) -> str | None:
    r = rules()
    rest = text[ask_end:]
    light = r.light_passive.match(rest)
    if light:
        rest = " " + rest[light.end() :]
    else:
        passive = r.passive.match(rest)
        if passive:
            return _base_form(passive.group("verb"))
    for _ in range(8):
        step = r.adverbs.match(rest) or r.light_verbs.match(rest)
        if not step:
            break
        rest = rest[step.end() :]
    word = re.match(r"\s*([A-Za-z][a-z]*(?:-[a-z]+)?)", rest)
    return word.group(1).lower() if word else None


def parse_ask(text: str, acronyms: dict[str, str] | None = None) -> Ask:
    """Actor (first named actor of the item's asks; the agent of a passive ask; None when every
    ask is passive), action verb, urgency."""
    r = rules()
    acronyms = acronyms or {}
    actor = None
    masked = []
    clauses = _clauses(text)
    for start, ask_start, ask_end in clauses:
        rest = text[ask_end:]
        if r.passive.match(rest) or r.light_passive.match(rest):
            clause_end = re.search(r"[.;]\s|$", rest).start()
            agent = r.agent.search(rest[:clause_end])
            if agent and actor is None:
                actor = _clean_actor(agent.group("agent"), acronyms)
            continue
        subject = text[start:ask_start]
        if subject.strip():
            masked.append((start, ask_start))
            if actor is None:
                actor = _clean_actor(subject, acronyms)
    action = _action(text, clauses[0][2]) if clauses else None
    urgency = r.urgency.search(text)
    return Ask(
        actor=actor,
        action=action,
        urgency=urgency.group(0).lower() if urgency else None,
        masked=masked,
    )


class AskParser:
    def __init__(self, acronyms: dict[str, str] | None = None):
        self.acronyms = acronyms or {}

    def __call__(self, doc: Doc) -> Doc:
        ask = parse_ask(doc.text, self.acronyms)
        doc._.ask = {
            "actor": ask.actor,
            "action": ask.action,
            "urgency": ask.urgency,
            "masked": ask.masked,
        }
        return doc


@Language.factory("ask_parser", assigns=["doc._.ask"])
def make_ask_parser(nlp: Language, name: str) -> AskParser:
    return AskParser()


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """sentencizer -> ask_parser -> topic_matcher (the matcher ignores agentive subjects)."""
    pipe = nlp.blank()
    pipe.add_pipe("ask_parser")
    pipe.add_pipe("topic_matcher")
    return pipe


# -- topics ------------------------------------------------------------------------------------
def rank_topics(
    hits: list[nlp.TopicHit],
    purpose: int | None = None,
    asides: Sequence[tuple[int, int]] = (),
) -> tuple[list[str], dict[str, str]]:
    """Topics with the main ask first, and the rule that decided each. The main ask: the first
    sentence before later ones, then outside the ``asides`` (a setting clause before the ask,
    a second ask joined to the first; treaty accession is the main ask wherever it is), then
    the lower tier, specific before weak rules, then the earlier position."""

    def rank(hit: nlp.TopicHit) -> tuple:
        aside = hit.tier > 0 and any(a <= hit.start < b for a, b in asides)
        return (hit.sentence > 0, aside, hit.tier, hit.weak, hit.start)

    best: dict[str, nlp.TopicHit] = {}
    for hit in hits:
        current = best.get(hit.topic)
        if current is None or rank(hit) < rank(current):
            best[hit.topic] = hit
    if not best:
        return [OTHER], {OTHER: "default:no-topic-matched"}
    ordered = sorted(best.values(), key=rank)
    if purpose is not None:
        ordered = _purpose_first(ordered, hits, purpose)
    absorbed = set(nlp.topic_rules().get("absorbs", {}).get(ordered[0].topic, []))
    ordered = [ordered[0], *(h for h in ordered[1:] if h.topic not in absorbed)]
    return [h.topic for h in ordered], {h.topic: h.rule for h in ordered}


# Survey is the means to two ends: a baseline, or land released without clearance. When the
# main ask names one and its purpose the other ("conduct non-technical survey ... to build an
# evidence-based baseline"; "re-survey ... so that land with no evidence is cancelled"), the
# purpose is the ask.
_SURVEY_ENDS = ("survey_baseline", "land_release_method")


@lru_cache(maxsize=1)
def clause_patterns() -> dict[str, re.Pattern]:
    """The clause patterns of ``clauses`` in topics.yml: where the main ask is not (a setting
    clause, a second ask) and where a survey ask states its purpose."""
    return {name: compiled.compile(p) for name, p in nlp.topic_rules().get("clauses", {}).items()}


def _asides(text: str) -> list[tuple[int, int]]:
    clauses = clause_patterns()
    spans = []
    if found := clauses["setting"].match(text):
        spans.append((0, found.end()))
    if found := clauses["second_ask"].search(text):
        spans.append((found.start(), len(text)))
    return spans


def _purpose_first(
    ordered: list[nlp.TopicHit], hits: list[nlp.TopicHit], purpose: int
) -> list[nlp.TopicHit]:
    if not ordered or ordered[0].topic not in _SURVEY_ENDS or ordered[0].start >= purpose:
        return ordered
    other = next(t for t in _SURVEY_ENDS if t != ordered[0].topic)
    ends = [h for h in hits if h.topic == other and h.start >= purpose and h.sentence == 0]
    if not ends:
        return ordered
    first = min(ends, key=lambda h: h.start)
    return [first, *[h for h in ordered if h.topic != other]]


def analyse(text: str, acronyms: dict[str, str] | None = None) -> dict:
    """Actor, action, urgency, topics and topic rules of one recommendation's text."""
    pipe = pipeline()
    parser = pipe.get_pipe("ask_parser")
    parser.acronyms = acronyms or {}
    try:
        doc = pipe(nlp.normalise(text))
    finally:
        parser.acronyms = {}
    found = clause_patterns()["purpose"].search(doc.text)
    topics, topic_rules = rank_topics(
        doc._.topics, found.start() if found else None, _asides(doc.text)
    )
    ask = doc._.ask
    return {
        "actor": ask["actor"],
        "action": ask["action"],
        "urgency": ask["urgency"],
        "topics": topics,
        "topic_rules": topic_rules,
    }


# -- the section ---------------------------------------------------------------------------------
def defined_acronyms(text: str) -> dict[str, str]:
    """ "Lebanon Mine Action Centre (LMAC)" -> {"lebanon mine action centre": "LMAC"}."""
    out: dict[str, str] = {}
    for match in _DEFINED.finditer(text):
        name = re.sub(r"^(?:the|The)\s+", "", match.group(1).strip())
        out.setdefault(name.lower(), match.group(2))
    return out


def _abbreviations(actors: list[str | None], acronyms: dict[str, str]) -> list[str | None]:
    """A spelled-out actor becomes the acronym the same list uses for it, when the acronym's
    letters are the name's initials in order ("Cambodian Mine Action and Victim Assistance
    Authority" -> "CMAA")."""
    known = {a for a in actors if a and _ACRONYM.match(a)} | set(acronyms.values())
    out = []
    for actor in actors:
        if actor and not _ACRONYM.match(actor) and len(actor.split()) >= 3:
            initials = "".join(w[0] for w in actor.split() if w[0].isupper())
            for acronym in sorted(known):
                if _is_abbreviation(acronym, initials):
                    actor = acronym
                    break
        out.append(actor)
    return out


def _is_abbreviation(acronym: str, initials: str) -> bool:
    if len(acronym) < 2 or not initials or acronym[0] != initials[0] or acronym[-1] != initials[-1]:
        return False
    position = 0
    for letter in acronym:
        position = initials.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def extract(
    section: Section,
    document_end: Block | None = None,
    acronyms: dict[str, str] | None = None,
) -> list[Recommendation]:
    """The recommendations of a section. ``document_end`` is the last block of the document:
    an unfinished item that ends there was cut off by the excerpt (``truncated``)."""
    acronyms = acronyms or {}
    items = split_items(section)
    found = []
    for position, item in enumerate(items, start=1):
        text = item.text
        last = item.blocks[-1]
        cut_off = document_end is not None and last.page == document_end.page
        cut_off = cut_off and last.end >= document_end.end
        found.append(
            Recommendation(
                text=text,
                page=item.blocks[0].page,
                start=item.blocks[0].start,
                end=last.end if last.page == item.blocks[0].page else item.blocks[0].end,
                position=position,
                truncated=bool(cut_off and not _finished(text)),
                **analyse(text, acronyms),
            )
        )
    actors = _abbreviations([r.actor for r in found], acronyms)
    for rec, actor in zip(found, actors, strict=True):
        rec.actor = actor
    return found


def item_blocks(section: Section) -> list[Block]:
    """The blocks of a section that belong to its items (the rest is unheaded text after the
    list, which other stages read as ordinary text)."""
    return [b for item in split_items(section) for b in item.blocks]


def inline_section(doc: LoadedDocument) -> Section | None:
    """A recommendations heading glued to its first item in one block ("RECOMMENDATIONS FOR
    ACTION ■ Serbia should ..."), as PDF text extraction leaves it: a section whose first
    block is the rest of that block. Used when segmenting found no heading of its own."""
    for page in doc.pages:
        for index, block in enumerate(page.blocks):
            match = _HEADING.match(block.text)
            if not match or match.end() >= len(block.text):
                continue
            heading = match.group("heading")
            if not (heading.isupper() or "for action" in heading.lower()):
                continue  # "Recommendations made in 2019 ..." is a sentence, not a heading
            rest = block.text[match.end() :]
            if not (rest[:1] in "■•▪●Ÿ>-" or rules().ask.search(rest[:200])):
                continue
            rest = re.sub(r"^[■•▪●Ÿ>\-]+\s*", "", rest)
            offset = block.start + len(block.text) - len(rest)
            first = Block("item", rest, block.page, offset, offset + len(rest))
            later = [b for p in doc.pages if p.number > page.number for b in p.blocks]
            blocks = [first, *page.blocks[index + 1 :], *later]
            return Section("recommendations", heading, block.page, blocks)
    return None
