"""Treaty status (CCM, APMBC) of a country in a report year, where the documents state it.

Sources, strongest first (``rule``):

1. ``block``: a Monitor "Treaty status" block ("Mine Ban Treaty" / "Not a party").
2. ``line``: a sentence naming the treaty ("Signatory to the Convention on Cluster
   Munitions", "Not a State Party to the Mine Ban Treaty").
3. ``deadline``: a clearance deadline only States Parties have ("Article 4 deadline"
   is the CCM's, "Article 5 deadline" the APMBC's).
4. ``development``: an accession development (completed: State Party; not done: not
   a party).
5. ``recommendation``: a recommendation to accede ("should accede to the CCM").

Each row carries the sentence, document and page it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TREATIES = {
    "CCM": r"(Convention on Cluster Munitions|CCM|Oslo Convention)",
    "APMBC": r"(Mine Ban (Treaty|Convention)|Anti-Personnel Mine Ban Convention|APMBC|Ottawa)",
}
_RANK = {"block": 0, "line": 1, "deadline": 2, "development": 3, "recommendation": 4}
_STATUS_WORDS = [
    (re.compile(r"^\s*not a (state )?party\b", re.I), "not_party"),
    (re.compile(r"^\s*non-?signatory\b", re.I), "not_party"),
    (re.compile(r"^\s*signatory\b", re.I), "signatory"),
    (re.compile(r"^\s*state party\b", re.I), "state_party"),
]
_LINE = {
    treaty: [
        (re.compile(r"\bnot a state party to the " + name, re.I), "not_party"),
        (re.compile(r"\bnon-?signatory to the " + name, re.I), "not_party"),
        (re.compile(r"\bnot (a )?party to the " + name, re.I), "not_party"),
        (re.compile(r"(?<!non-)(?<!non)\bsignatory to the " + name, re.I), "signatory"),
        (re.compile(r"(?<!not a )\bstate party to the " + name, re.I), "state_party"),
    ]
    for treaty, name in TREATIES.items()
}
_DEADLINE = {
    "CCM": re.compile(r"\bArticle 4 deadline\b", re.I),
    "APMBC": re.compile(r"\bArticle 5 deadline\b", re.I),
}
_ACCEDE = re.compile(r"\b(accede|join|ratify)\b", re.I)
# a line worth the patterns above (most lines are not)
_CANDIDATE = re.compile(r"part(y|ies)|signator|deadline|treaty status", re.I)


@dataclass(frozen=True)
class TreatyStatus:
    country_code: str
    report_year: int
    treaty: str
    status: str
    sentence: str
    document_id: str
    page: int | None
    rule: str

    def row(self) -> dict:
        return {
            "id": f"{self.country_code}-{self.report_year}-{self.treaty}",
            "country_code": self.country_code,
            "report_year": self.report_year,
            "treaty": self.treaty,
            "status": self.status,
            "sentence": self.sentence,
            "document_id": self.document_id,
            "page": self.page,
            "rule": self.rule,
        }


def from_pages(document_id: str, country: str, year: int, pages: list[str]) -> list[TreatyStatus]:
    out: list[TreatyStatus] = []
    for number, text in enumerate(pages, start=1):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        for i, line in enumerate(lines):
            if not _CANDIDATE.search(line):
                continue
            if line.lower() == "treaty status":
                out.extend(_block(lines[i + 1 : i + 9], document_id, country, year, number))
            for treaty, patterns in _LINE.items():
                for pattern, status in patterns:
                    if pattern.search(line):
                        out.append(
                            TreatyStatus(
                                country,
                                year,
                                treaty,
                                status,
                                line[:300],
                                document_id,
                                number,
                                "line",
                            )
                        )
                        break
            for treaty, pattern in _DEADLINE.items():
                if pattern.search(line) and not re.search(r"\bnot applicable\b", line, re.I):
                    sentence = line if len(line) > 25 else " ".join(lines[i : i + 2])
                    out.append(
                        TreatyStatus(
                            country,
                            year,
                            treaty,
                            "state_party",
                            sentence[:300],
                            document_id,
                            number,
                            "deadline",
                        )
                    )
    return out


def _block(
    lines: list[str], document_id: str, country: str, year: int, page: int
) -> list[TreatyStatus]:
    """A "Treaty status" block: pairs of treaty name and status lines."""
    out = []
    treaty = None
    for line in lines:
        named = [t for t, name in TREATIES.items() if re.fullmatch(name, line, re.I)]
        if named:
            treaty = named[0]
            continue
        if treaty is None:
            break
        for pattern, status in _STATUS_WORDS:
            if pattern.search(line):
                out.append(
                    TreatyStatus(
                        country, year, treaty, status, line[:300], document_id, page, "block"
                    )
                )
                break
        treaty = None
    return out


def from_development(
    country: str,
    report_year: int,
    event: str,
    stage: str,
    sentence: str,
    document_id: str,
    page: int | None,
) -> TreatyStatus | None:
    treaty = {"ccm_accession": "CCM", "apmbc_accession": "APMBC"}.get(event)
    status = {"completed": "state_party", "not_done": "not_party"}.get(stage)
    if treaty is None or status is None:
        return None
    return TreatyStatus(
        country, report_year, treaty, status, sentence, document_id, page, "development"
    )


def from_recommendation(
    country: str, report_year: int, text: str, document_id: str, page: int | None
) -> list[TreatyStatus]:
    if not _ACCEDE.search(text):
        return []
    return [
        TreatyStatus(
            country,
            report_year,
            treaty,
            "not_party",
            text[:300],
            document_id,
            page,
            "recommendation",
        )
        for treaty, name in TREATIES.items()
        if re.search(r"\b(accede|join|ratify)\b[^.]{0,40}\b" + name, text, re.I)
    ]


def best(statuses: list[TreatyStatus]) -> list[TreatyStatus]:
    """One status per (country, report year, treaty): the strongest source, then the first
    document (by id) and page."""
    chosen: dict[tuple[str, int, str], TreatyStatus] = {}
    for s in statuses:
        key = (s.country_code, s.report_year, s.treaty)
        rank = (_RANK[s.rule], s.document_id, s.page or 0)
        old = chosen.get(key)
        if old is None or rank < (_RANK[old.rule], old.document_id, old.page or 0):
            chosen[key] = s
    return [chosen[k] for k in sorted(chosen)]
