"""Month names, for every rule that reads a date ("in May 2018", "last updated 3 March 2024")."""

from __future__ import annotations

import re

MONTHS = (
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
)
# the alternation for regexes compiled with re.I
MONTH_PATTERN = "|".join(MONTHS)


def month_number(name: str | None) -> int | None:
    """1 for "January" (any case), None for no name."""
    return MONTHS.index(name.lower()) + 1 if name else None


_FRONTED = re.compile(
    r"^\s*(?:in|during|at the end of|as of|as at|by|at end|throughout|by the end of)\b"
    r"[^,;]{0,30}?\b((?:19|20)\d\d)\b\s*,",
    re.I,
)


def fronted_year(sentence: str) -> int | None:
    """The year a sentence opens with ("In 2015, ...", "In May 2012, ..."): it dates what the
    sentence tells, and frames the rest of its paragraph."""
    if re.match(r"^\s*as in\b", sentence, re.I):
        return None
    match = _FRONTED.match(sentence)
    return int(match.group(1)) if match else None
