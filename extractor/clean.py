"""Clean stage: repair text damage before anything reads numbers or words.

- ligature damage from PDF and HTML conversion ("effi cient", "confrmed"),
  repaired with a word list (``patterns/ligature_words.txt``), never a blind regex;
- footnote markers glued to words and numbers ("AVERAGE[1]", "187[3]",
  "destroyed.12 The");
- hyphenation at line ends ("non-\\ntechnical" keeps its hyphen, "clear-\\nance" is joined);
- odd whitespace and typographic characters that break number parsing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_LIGATURES = ("ffi", "ffl", "ff", "fi", "fl")
_SPACES = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000]")
_BRACKET_NOTE = re.compile(r"(?<=[\w\)\.,;:%])\[\d{1,3}\]")
_GLUED_NOTE = re.compile(r"(?<=[a-z\)][\.,;:])\d{1,3}(?=\s+[A-Z\u201c\"(]|\s*$)", re.M)
_SPLIT_LIG = re.compile(r"\b(\w*(?:ffi|ffl|ff|fi|fl)) (\w+)\b")
_WORD = re.compile(r"[A-Za-z]+")
_HYPHEN_BREAK = re.compile(r"(\w+)-\n(\w+)")


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
        for lig in _LIGATURES:
            start = word.find(lig)
            while start != -1:
                damaged = word[:start] + lig[0] + word[start + len(lig) :]
                if damaged not in ligature_words():
                    index.setdefault(damaged, word)
                start = word.find(lig, start + 1)
    return index


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

    text = _SPLIT_LIG.sub(join_split, text)
    index = _missing_ligature_index()

    def fill(match: re.Match) -> str:
        token = match.group(0)
        fixed = index.get(token.lower())
        return _match_case(token, fixed) if fixed else token

    return _WORD.sub(fill, text)


def strip_footnote_markers(text: str) -> str:
    text = _BRACKET_NOTE.sub("", text)
    return _GLUED_NOTE.sub("", text)


def join_hyphenation(text: str) -> str:
    words = ligature_words()

    def join(match: re.Match) -> str:
        left, right = match.group(1), match.group(2)
        if right[:1].isupper() or left.lower() in ("non", "post", "pre", "anti", "self", "co"):
            return f"{left}-{right}"
        if (left + right).lower() in words or right.islower():
            return f"{left}{right}"
        return f"{left}-{right}"

    return _HYPHEN_BREAK.sub(join, text)


def clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    text = text.replace("\u00ad", "").replace("\ufb01", "fi").replace("\ufb02", "fl")
    text = text.replace("\ufb00", "ff").replace("\ufb03", "ffi").replace("\ufb04", "ffl")
    text = join_hyphenation(text)
    text = repair_ligatures(text)
    return strip_footnote_markers(text)
