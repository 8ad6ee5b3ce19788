"""Month names, for every rule that reads a date ("in May 2018", "last updated 3 March 2024")."""

from __future__ import annotations

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
