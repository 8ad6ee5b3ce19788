"""Recommendations for Action: items, actor, action, urgency, topics (with the rule)."""

from __future__ import annotations

import re

from . import nlp
from .model import Block, Recommendation, Section

_ASK = re.compile(r"\b(should|must|needs? to|is urged to|are urged to|ought to)\b", re.I)
_ACTOR = re.compile(r"^(?P<actor>[^,;:]{2,80}?)\s+(?:should|must|needs? to)\b")
_PASSIVE = re.compile(r"\bshould\s+(?:\w+ly\s+)?be\s+\w+(?:ed|en)\b", re.I)
_ACTION = re.compile(
    r"\b(?:should|must|needs? to)\s+(?:(?:also|urgently|swiftly|promptly|now|continue to|"
    r"work to|seek to|take steps to|ensure that it|act quickly to|commit to)\s+)*(?P<verb>[a-z]+)",
    re.I,
)
_URGENCY = re.compile(
    r"as a matter of (?:priority|urgency)|without (?:further )?delay|as soon as possible|"
    r"urgently|immediately|at the earliest opportunity|as a priority",
    re.I,
)
_TERMINAL = re.compile(r"[.;!?)\"\u201d]\s*$")
_TOPIC_RANK = {"other": 99}


def split_items(section: Section) -> list[list[Block]]:
    """The items of a recommendations section, each a list of blocks (continuations joined)."""
    blocks = section.blocks
    bulleted = any(b.kind in ("item", "bullet") for b in blocks)
    items: list[list[Block]] = []
    pending_bullet = False
    for block in blocks:
        if block.kind == "bullet":
            pending_bullet = True
            continue
        is_item = block.kind == "item" or pending_bullet
        pending_bullet = False
        if not bulleted:
            is_item = bool(_ASK.search(block.text)) and (
                not items or _TERMINAL.search(items[-1][-1].text) is not None
            )
        if is_item:
            items.append([block])
            continue
        if items and not _TERMINAL.search(items[-1][-1].text) and not _ASK.search(block.text[:80]):
            items[-1].append(block)  # a hard line wrap inside an item
            continue
        if not bulleted and items and _ASK.search(block.text):
            items.append([block])  # a lone '-' bullet list: each ask is an item
            continue
        if items:
            break  # the list is over: never take text from what follows
    return items


def analyse(text: str) -> dict:
    actor = None
    match = _ACTOR.match(text)
    if match and not _PASSIVE.search(text[: match.end() + 40]):
        actor = match.group("actor").strip()
        if actor.lower().startswith(("in order", "where", "if ", "when ")):
            actor = None
    action = _ACTION.search(text)
    urgency = _URGENCY.search(text)
    hits = nlp.topics(text)
    topics: list[str] = []
    rules: dict[str, str] = {}
    for topic, rule, _ in hits:
        if topic not in rules:
            topics.append(topic)
            rules[topic] = rule
    if not topics:
        topics, rules = ["other"], {"other": "default:no-topic-matched"}
    return {
        "actor": actor,
        "action": action.group("verb").lower() if action else None,
        "urgency": urgency.group(0).lower() if urgency else None,
        "topics": topics,
        "topic_rules": rules,
    }


def extract(section: Section, is_last_section: bool) -> list[Recommendation]:
    out = []
    items = split_items(section)
    for position, blocks in enumerate(items, start=1):
        text = " ".join(b.text.strip() for b in blocks)
        text = re.sub(r"\s+", " ", text).strip()
        truncated = (
            position == len(items)
            and is_last_section
            and blocks[-1] is section.blocks[-1]
            and not _TERMINAL.search(text)
        )
        info = analyse(text)
        out.append(
            Recommendation(
                text=text,
                page=blocks[0].page,
                start=blocks[0].start,
                end=blocks[-1].end,
                position=position,
                truncated=truncated,
                **info,
            )
        )
    return out
