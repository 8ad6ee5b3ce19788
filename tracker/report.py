"""Read-side queries for the CLI: a country's threads (`tracker status`)."""

from __future__ import annotations

import sqlite3

from extractor import countries


def country_threads(db_path: str, country: str) -> list[dict]:
    found = countries.lookup(country)
    if found is None:
        raise LookupError("unknown country (give a name, alias or ISO code)")
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        threads = conn.execute(
            "select * from threads where country_code = ? order by series, first_year, topic, id",
            [found.code],
        ).fetchall()
        out = []
        for t in threads:
            evidence = None
            if t["evidence_id"]:
                row = conn.execute(
                    "select d.sentence, doc.url, d.page, d.report_year from developments d "
                    "join documents doc on doc.id = d.document_id where d.id = ?",
                    [t["evidence_id"]],
                ).fetchone()
                if row:
                    evidence = {
                        "sentence": row[0],
                        "url": row[1],
                        "page": row[2],
                        "report_year": row[3],
                    }
            recs = conn.execute(
                "select report_year, text from recommendations r where thread_id = ? and "
                "id in (select recommendation_id from thread_status where thread_id = ?) "
                "order by report_year",
                [t["id"], t["id"]],
            ).fetchall()
            out.append(
                {
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
            )
        return out
    finally:
        conn.close()


def format_threads(threads: list[dict]) -> str:
    if not threads:
        return "No recommendation threads for this country."
    header = ("topic", "series", "first asked", "repeated", "status", "evidence")
    rows = []
    for t in threads:
        ev = t["evidence"]
        evidence = f"{ev['sentence'][:70]} ({ev['report_year']}, p.{ev['page']})" if ev else ""
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
        lines.append(
            "  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=False)) + "  " + r[-1]
        )
    return "\n".join(lines)
