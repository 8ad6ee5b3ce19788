"""Read-side queries for the CLI: a country's threads (`tracker status`)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from extractor import countries
from extractor.dates import MONTH_PATTERN


class UnknownCountry(LookupError):
    """COUNTRY is neither a name, an alias nor an ISO code we know."""


class NotATrackerDatabase(LookupError):
    """The file is not a database written by `tracker build`."""


_EVIDENCE_SQL = """
select d.sentence, doc.url, d.page, d.report_year
from developments d join documents doc on doc.id = d.document_id
where d.id = ?
"""
_CHAIN_SQL = """
select r.report_year, r.text from thread_status ts
join recommendations r on r.id = ts.recommendation_id
where ts.thread_id = ? order by ts.report_year
"""


def country_code(country: str) -> str:
    found = countries.lookup(country)
    if found is None:
        raise UnknownCountry("unknown country (give a name, alias or ISO code)")
    return found.code


def country_threads(db_path: str | Path, country: str) -> list[dict]:
    """A country's recommendation threads, in the shape of `tracker status --json`."""
    code = country_code(country)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        try:
            threads = conn.execute(
                "select * from threads where country_code = ? "
                "order by series, first_year, topic, id",
                [code],
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise NotATrackerDatabase(f"not a tracker database ({exc})") from exc
        return [_thread(conn, t) for t in threads]
    finally:
        conn.close()


def _thread(conn: sqlite3.Connection, t: sqlite3.Row) -> dict:
    evidence = None
    if t["evidence_id"]:
        row = conn.execute(_EVIDENCE_SQL, [t["evidence_id"]]).fetchone()
        if row:
            evidence = {"sentence": row[0], "url": row[1], "page": row[2], "report_year": row[3]}
    recs = conn.execute(_CHAIN_SQL, [t["id"]]).fetchall()
    return {
        "topic": t["topic"],
        "series": t["series"],
        "first_year": t["first_year"],
        "last_year": t["last_year"],
        "times_repeated": t["times_repeated"],
        "status": t["status"],
        "needs_review": bool(t["needs_review"]),
        "evidence": evidence,
        "recommendations": [{"report_year": r[0], "text": r[1]} for r in recs],
    }


def format_threads(threads: list[dict], width: int = 70) -> str:
    """A terminal table: topic, series, first asked, times repeated, status, evidence."""
    if not threads:
        return "No recommendation threads for this country."
    header = ("topic", "series", "first asked", "repeated", "status", "evidence")
    rows = []
    for t in threads:
        ev = t["evidence"]
        evidence = ""
        if ev:
            evidence = f"{excerpt(ev['sentence'], width)} ({ev['report_year']}, p.{ev['page']})"
        flag = " (review)" if t["needs_review"] else ""
        rows.append(
            (
                t["topic"],
                t["series"],
                str(t["first_year"]),
                str(t["times_repeated"]),
                t["status"] + flag,
                evidence,
            )
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for r in [header, *rows]:
        cells = "  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True))
        lines.append(f"{cells}  {r[-1]}".rstrip())
    return "\n".join(lines)


_DATED = re.compile(rf"\b(?:(?:{MONTH_PATTERN})\s+)?(?:19|20)\d\d\b", re.I)
_MONTH_DATED = re.compile(rf"\b(?:{MONTH_PATTERN})\s+(?:19|20)\d\d\b", re.I)


def excerpt(sentence: str, width: int = 70) -> str:
    """At most ``width`` characters of an evidence sentence, around its date ("launched in
    May 2018") when the date is beyond the first ``width``: that is the part that shows
    what happened when. Cuts are marked with an ellipsis and fall between words."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= width:
        return sentence
    date = _MONTH_DATED.search(sentence) or _DATED.search(sentence)
    if date is None or date.end() <= width - 1:
        return _cut(sentence[: width - 1]) + "\u2026"
    start = max(0, date.start() - (width - len(date.group())) // 2)
    start = min(start, len(sentence) - (width - 1))  # the end of the sentence, if it fits
    if start and sentence[start - 1] != " ":  # start at a word
        start = sentence.find(" ", start) + 1
    if start + width - 1 >= len(sentence):
        return "\u2026" + sentence[start:]
    return "\u2026" + _cut(sentence[start : start + width - 2]) + "\u2026"


def _cut(text: str) -> str:
    """``text`` without a word cut in two at its end."""
    return text.rsplit(" ", 1)[0] if " " in text else text
