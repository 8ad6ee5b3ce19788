"""Clean stage: repair text damage before anything reads numbers or words.

- ligature damage from PDF and HTML conversion ("effi cient", "confrmed", "con rmed"),
  repaired with a word list (``patterns/ligature_words.txt``), never a blind regex;
- footnote markers glued to words and numbers ("AVERAGE[1]", "187[3]",
  "destroyed.12 The");
- hyphenation at line ends ("non-\\ntechnical" keeps its hyphen, "clear-\\nance" is joined);
- running headers and footers left inside the text ("mineactionreview.org 181");
- odd whitespace and typographic characters that break number parsing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from . import compiled
from .yamlio import load_yaml

_LIGATURES = ("ffi", "ffl", "ff", "fi", "fl")
# odd spaces become spaces, soft hyphens go, ligature characters are spelt out
_CHARACTERS = str.maketrans(
    {
        **{chr(c): " " for c in (0x00A0, *range(0x2000, 0x200C), 0x202F, 0x205F, 0x3000)},
        "\u00ad": "",
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
    }
)
_BRACKET_NOTE = re.compile(r"(?<=[\w\)\.,;:%])\[\d{1,3}\]")
# a note number after a word's or a year's full stop ("municipalities.1 This", "end of 2017.2 The")
# (after a year, only before the next sentence: "was cleared in 2017.3" may be a number)
_GLUED_NOTE = re.compile(
    r"(?<=[a-z\)][\.,;:])\d{1,3}(?=\s+[A-Z\u201c\"(]|\s*$)"
    r"|(?<=\b(?:19|20)\d\d\.)\d{1,3}(?=\s+[A-Z\u201c\"(])",
    re.M,
)
# a note number after an area ("1,250km2 5 of confirmed", "167km2,3 though", "2.1km2.3 The"):
# a unit is never followed by a small number and then a word
_UNIT_NOTE = re.compile(
    r"(?<=\d)(km2|km²|m2|m²)(?: \d{1,2}(?=\s+[a-z])|[.,;:]\d{1,2}(?=\s+[A-Za-z\u201c\"(]|\s*$))",
    re.M,
)
# a note number glued to a plural noun, with no stop between ("destroying 13,498 anti-personnel
# mines3 in the process", "58 submunitions12 during"): a lower-case word never ends in digits
_WORD_NOTE = re.compile(r"(?<=[a-z]{2}s)\d{1,2}(?=[\s.,;:)]|$)", re.M)
_SPLIT_LIG = re.compile(
    r"(?<![A-Za-z])([A-Za-z]*(?:ffi|ffl|ff|fi|fl|FFI|FFL|FF|FI|FL))[ \n]([A-Za-z]+)"
)
_F_WORD = re.compile(r"\b[A-Za-z]*[fF][A-Za-z]*\b")  # damaged forms keep an "f"
_LETTERS = re.compile(r"[A-Za-z]+")
_SPLIT_HINT = re.compile(r"(?:ff|fi|fl|FF|FI|FL)[ \n]")
_HYPHEN_BREAK = re.compile(r"(\w+)-[ \t]*\n[ \t]*(\w+)")
# a line break joined with a space by the text extractor: "suspected haz- ardous area"; not
# a hyphen left hanging before a conjunction ("sex- and age-disaggregated")
_HYPHEN_SPACE = re.compile(
    r"(?<![\w-])([A-Za-z]+)- (?!(?:and|or|nor|to|as|but|then)\b)([a-z]+)\b(?!-)"
)
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\w) +(?=[,;](?:\s|$))")


@lru_cache(maxsize=1)
def ligature_words() -> frozenset[str]:
    text = resources.files("extractor").joinpath("patterns/ligature_words.txt").read_text()
    words = {w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")}
    return frozenset(words)


@lru_cache(maxsize=1)
def _missing_ligature_index() -> dict[str, str]:
    """'confrmed' -> 'confirmed': each listed word with one ligature dropped."""
    index: dict[str, str] = {}
    for word in ligature_words():
        for left, lig, right in _ligature_cuts(word):
            damaged = left + lig[0] + right
            if damaged not in ligature_words():
                index.setdefault(damaged, word)
    return index


def _ligature_cuts(word: str) -> Iterator[tuple[str, str, str]]:
    """(left, ligature, right) for every ligature in a word: "confirmed" -> ("con", "fi",
    "rmed")."""
    for lig in _LIGATURES:
        start = word.find(lig)
        while start != -1:
            yield word[:start], lig, word[start + len(lig) :]
            start = word.find(lig, start + 1)


@lru_cache(maxsize=1)
def _gap_index() -> tuple[dict[tuple[str, str], str], frozenset[str]]:
    """('con', 'rmed') -> 'confirmed': each listed word with one ligature dropped and a space
    left in its place ("con rmed", "a ected", "the rst"), and the set of right-hand parts. A
    ligature that opens a word leaves ('', rest), kept only when the rest has three letters
    or more."""
    index: dict[tuple[str, str], str] = {}
    for word in ligature_words():
        for left, _, right in _ligature_cuts(word):
            if right and (left or len(right) >= 3):
                index.setdefault((left, right), word)
    return index, frozenset(right for _, right in index)


def _repair_gaps(text: str) -> str:
    """Join the two halves a dropped ligature left ("con rmed" -> "confirmed"), and put back
    a ligature dropped at a word's start ("the rst" -> "the first"), from the word list."""
    index, rights = _gap_index()
    out: list[str] = []
    last = 0
    previous: re.Match | None = None
    for token in _LETTERS.finditer(text):
        lower = token.group(0).lower()
        if lower in rights:
            joined = previous is not None and previous.end() == token.start() - 1
            if joined and text[previous.end()] == " ":
                word = index.get((previous.group(0).lower(), lower))
                if word and previous.start() >= last:
                    out += [text[last : previous.start()], _match_case(previous.group(0), word)]
                    last = token.end()
                    previous = None
                    continue
            word = index.get(("", lower))
            if word and not (previous is not None and previous.end() == token.start()):
                out += [text[last : token.start()], _match_case(token.group(0), word)]
                last = token.end()
        previous = token
    return "".join(out) + text[last:] if out else text


def _match_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def repair_ligatures(text: str) -> str:
    words = ligature_words()

    def join_split(match: re.Match) -> str:
        joined = match.group(1) + match.group(2)
        if joined.lower() in words:
            return joined
        return match.group(0)

    if _SPLIT_HINT.search(text):
        text = _SPLIT_LIG.sub(join_split, text)
    index = _missing_ligature_index()

    def fill(match: re.Match) -> str:
        token = match.group(0)
        fixed = index.get(token.lower())
        return _match_case(token, fixed) if fixed else token

    return _repair_gaps(_F_WORD.sub(fill, text))


def strip_footnote_markers(text: str) -> str:
    if "[" in text:
        text = _BRACKET_NOTE.sub("", text)
    if "m2" in text or "m²" in text:
        text = _UNIT_NOTE.sub(_unit_note, text)
    return _WORD_NOTE.sub("", _GLUED_NOTE.sub("", text))


def _unit_note(match: re.Match) -> str:
    """The unit, and the punctuation a note number was glued to ("km2,3 though" -> "km2,")."""
    rest = match.group(0)[len(match.group(1)) :]
    return match.group(1) + (rest[0] if rest[0] in ".,;:" else "")


@lru_cache(maxsize=1)
def hyphen_compounds() -> tuple[frozenset[str], frozenset[str]]:
    """(prefixes, right-hand words) that keep their hyphen at a line break."""
    text = resources.files("extractor").joinpath("patterns/hyphen_compounds.txt").read_text()
    left, right = set(), set()
    for line in text.splitlines():
        side, _, word = line.strip().partition(":")
        if side == "left":
            left.add(word.lower())
        elif side == "right":
            right.add(word.lower())
    return frozenset(left), frozenset(right)


_HEAD_KEYS = ("review.org", "Monitor", "Clearing", "CLEARING")  # one is in every running head


@lru_cache(maxsize=1)
def running_heads() -> re.Pattern:
    raw = resources.files("extractor").joinpath("patterns/running_heads.yml").read_text()
    patterns = [p.replace(" ", r"\s+") for p in load_yaml(raw)]
    return compiled.compile("|".join(f"(?:{p})" for p in patterns), re.M)


def join_hyphenation(text: str) -> str:
    """'clear-\nance' and 'clear- ance' -> 'clearance'; 'non-\ntechnical', 'mine-\naffected'
    keep the hyphen."""
    words = ligature_words()
    prefixes, compounds = hyphen_compounds()

    def join(match: re.Match) -> str:
        left, right = match.group(1), match.group(2)
        if (left + right).lower() in words:
            return f"{left}{right}"
        if right[:1].isupper() or right[:1].isdigit() or left[-1:].isdigit():
            return f"{left}-{right}"
        if left.lower() in prefixes or right.lower() in compounds:
            return f"{left}-{right}"
        return f"{left}{right}"

    if "-" not in text:
        return text
    text = _HYPHEN_BREAK.sub(join, text)
    return _HYPHEN_SPACE.sub(join, text) if "- " in text else text


def strip_running_heads(text: str, heads: list[str] | None = None) -> str:
    """Running headers and footers left inside text ("mineactionreview.org 181"); what is
    taken out is added to ``heads`` when given (a head names the edition)."""
    if not any(key in text for key in _HEAD_KEYS):
        return text

    def take(match: re.Match) -> str:
        heads.append(match.group(0).strip())
        return " "

    return running_heads().sub(" " if heads is None else take, text)


def clean_text(text: str, heads: list[str] | None = None) -> str:
    """The text with its damage repaired; the running heads taken out are added to
    ``heads`` when given."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CHARACTERS)
    text = join_hyphenation(text)
    text = repair_ligatures(text)
    text = strip_running_heads(text, heads)
    if " ," in text or " ;" in text:
        text = _SPACE_BEFORE_PUNCT.sub("", text)
    return strip_footnote_markers(text)
