"""Country names, aliases, slugs and ISO codes (pycountry plus our alias table)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pycountry

from .yamlio import load_yaml


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    other_area: bool = False


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, Country], dict[str, Country]]:
    by_key: dict[str, Country] = {}
    by_code: dict[str, Country] = {}
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        country = Country(c.alpha_3, name)
        by_code[c.alpha_3] = country
        for variant in {c.name, name, getattr(c, "official_name", c.name)}:
            by_key.setdefault(_key(variant), country)
    raw = resources.files("extractor").joinpath("patterns/countries.yml").read_text()
    for entry in load_yaml(raw):
        country = Country(entry["code"], entry["name"], bool(entry.get("other_area")))
        by_code[country.code] = country
        for alias in [entry["name"], *entry.get("aliases", [])]:
            by_key[_key(alias)] = country
    return by_key, by_code


def lookup(text: str | None) -> Country | None:
    """A country from a name, alias, URL slug or ISO alpha-2/alpha-3 code; None if unknown."""
    if not text:
        return None
    by_key, by_code = _table()
    stripped = text.strip()
    if stripped.upper() in by_code and len(stripped) == 3:
        return by_code[stripped.upper()]
    if len(stripped) == 2 and stripped.isalpha() and stripped.isupper():
        found = pycountry.countries.get(alpha_2=stripped)
        if found:
            return by_code.get(found.alpha_3)
    key = _key(stripped.replace("-", " "))
    if key.startswith("the "):
        key = key[4:]
    return by_key.get(key)


def aliases() -> dict[str, list[str]]:
    """Country code -> the normalised names it is known by, other than its own name."""
    by_key, by_code = _table()
    out: dict[str, list[str]] = {}
    for key, country in by_key.items():
        if key != _key(by_code[country.code].name):
            out.setdefault(country.code, []).append(key)
    return {code: sorted(names) for code, names in out.items()}


def all_countries() -> list[Country]:
    return sorted(set(_table()[1].values()), key=lambda c: c.code)


def find_in_text(text: str, limit: int = 400, clear_lead: bool = False) -> Country | None:
    """The country a text is about: the most often named known country in its opening
    (ties go to the one named first; with ``clear_lead``, a tie means no country)."""
    by_key, _ = _table()
    head = f" {_key(text[:limit])} "
    # every mention (start, end, country), a name inside a longer one not counted: "Guinea"
    # in "Guinea-Bissau", "Republic of the Congo" in "Democratic Republic of the Congo"
    mentions: list[tuple[int, int, Country]] = []
    for key, country in by_key.items():
        if len(key) < 4:
            continue
        needle = f" {key} "
        pos = head.find(needle)
        while pos != -1:
            mentions.append((pos, pos + len(needle), country))
            pos = head.find(needle, pos + 1)
    mentions.sort(key=lambda m: (m[0], -m[1]))
    scores: dict[str, tuple[int, int, Country]] = {}
    reach = -1
    for start, end, country in mentions:
        if end <= reach:
            continue  # inside the longer name that starts at or before it
        reach = max(reach, end)
        count, first, _ = scores.get(country.code, (0, start, country))
        scores[country.code] = (count - 1, first, country)
    if not scores:
        return None
    ranked = sorted(scores.values(), key=lambda s: (s[0], s[1]))
    if clear_lead and len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return None
    return ranked[0][2]


_LEAD = re.compile(
    # "In the wider region, Azerbaijan ...", "Elsewhere in the region, Iraq's ..."
    r"^(?:(?:in|elsewhere in) the (?:wider |broader )?region\s*,\s*)?"
    r"(?:(?:in|like|unlike|by contrast|meanwhile|similarly|elsewhere)\s*,?\s+)?"
    r"(?:(?:the\s+)?neighbou?ring\s+)?",
    re.I,
)

_NAME_WORDS = re.compile(r"[A-Z][\w\u2019'-]*(?:\s+(?:of|the|and|[A-Z][\w\u2019'-]*)){0,6}")


def subject_country(sentence: str) -> Country | None:
    """The country a sentence opens with as its subject ("Neighbouring Georgia, for its part,
    adopted ...", "Malawi, which ..."), if it names one in its first words."""
    lead = _LEAD.match(sentence)
    rest = sentence[lead.end() :]
    words = _NAME_WORDS.match(rest)
    if not words:
        return None
    names = [w.removesuffix("'s").removesuffix("\u2019s") for w in words.group(0).split()]
    neighbour = "neighbo" in lead.group(0).lower()  # "In neighbouring DRC, ...": a country
    for size in range(len(names), 0, -1):
        if size == 1 and names[0].isupper() and not neighbour:
            continue  # an acronym ("DMA's standard"), not a country code
        found = lookup(" ".join(names[:size]))
        if found is not None:
            return found
    return None
