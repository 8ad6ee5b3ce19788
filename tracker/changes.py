"""What a build changed against the previous database (the ``changes`` table).

Changes are found by natural keys, not row ids, so a new version of a document that
says the same thing (a re-crawled page, the PDF of an edition already seen) changes
nothing:

- ``new_document`` / ``document_failed``: a document (sha256) not in the previous build.
- ``figure_added`` / ``figure_revised`` / ``figure_removed``: the latest edition's value of
  (country, series, metric, criterion, year): added, different, or no longer reported.
- ``recommendation_new`` / ``recommendation_gone``: (country, series, edition year, text)
  in the canonical document of each edition (its latest version).
- ``status_changed``: a thread's status in a report year (``none`` when absent).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path

from .followup import normalise

PREVIOUS_COLUMNS = {
    "documents": ["id", "url", "country_code", "series", "report_year", "error", "duplicate_of"],
    "figures": [
        "id",
        "document_id",
        "country_code",
        "series",
        "report_year",
        "metric",
        "criterion",
        "year",
        "value",
        "page",
        "start",
    ],
    "recommendations": ["id", "document_id", "country_code", "series", "report_year", "text"],
    "threads": ["id", "country_code", "topic"],
    "thread_status": ["thread_id", "report_year", "status"],
    "builds": None,  # every column: carried into the new database
    "changes": None,
}
_ORDER = [
    "new_document",
    "document_failed",
    "figure_added",
    "figure_revised",
    "figure_removed",
    "recommendation_new",
    "recommendation_gone",
    "status_changed",
]


def read_previous(path: Path) -> dict[str, list[dict]]:
    """The rows of the previous database that the diff needs ({} if there is none or it
    cannot be read). Columns an older schema lacks read as None."""
    if not path.exists():
        return {}
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return {}
    conn.row_factory = sqlite3.Row
    out: dict[str, list[dict]] = {}
    try:
        for table, wanted in PREVIOUS_COLUMNS.items():
            have = [r[1] for r in conn.execute(f"pragma table_info([{table}])")]
            if not have:
                out[table] = []
                continue
            cols = have if wanted is None else [c for c in wanted if c in have]
            sql = f"select {', '.join(f'[{c}]' for c in cols)} from [{table}]"
            rows = [dict(r) for r in conn.execute(sql)]
            if wanted is not None:
                for row in rows:
                    for c in wanted:
                        row.setdefault(c, None)
            out[table] = rows
    except sqlite3.Error:
        return {}
    finally:
        conn.close()
    return out


def diff(previous: dict[str, list[dict]], new: dict[str, list[dict]]) -> list[dict]:
    """Changes from ``previous`` to ``new`` (both: table name -> rows)."""
    changes: list[dict] = []
    changes += _documents(previous.get("documents", []), new["documents"])
    changes += _figures(previous, new)
    changes += _recommendations(previous, new)
    changes += _statuses(previous, new)
    changes.sort(key=lambda c: (_ORDER.index(c["kind"]), c["row_id"]))
    return changes


def _change(kind, table, row_id, country, year, detail) -> dict:
    return {
        "kind": kind,
        "table_name": table,
        "row_id": row_id,
        "country_code": country,
        "report_year": year,
        "detail": detail,
    }


def _documents(old: list[dict], new: list[dict]) -> list[dict]:
    seen = {d["id"] for d in old}
    out = []
    for d in new:
        if d["id"] in seen:
            continue
        if d.get("error"):
            out.append(
                _change(
                    "document_failed",
                    "documents",
                    d["id"],
                    d["country_code"],
                    d["report_year"],
                    f"{d['url']}: {d['error']}",
                )
            )
        else:
            label = f"{d['series'] or '?'} {d['report_year'] or '?'}"
            out.append(
                _change(
                    "new_document",
                    "documents",
                    d["id"],
                    d["country_code"],
                    d["report_year"],
                    f"{label}: {d['url']}",
                )
            )
    return out


def _canonical_ids(docs: list[dict]) -> set[str]:
    return {d["id"] for d in docs if not d.get("duplicate_of") and not d.get("error")}


def _latest_figures(docs: list[dict], figures: list[dict]) -> dict[tuple, dict]:
    """(country, series, metric, criterion, year, n) -> the figure of the latest edition
    that reports that (country, series, metric, criterion, year); n numbers repeats."""
    keep = _canonical_ids(docs)
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for f in figures:
        if f["document_id"] not in keep or f["country_code"] is None:
            continue
        groups[(f["country_code"], f["series"], f["metric"], f["criterion"], f["year"])].append(f)
    out = {}
    for key, rows in groups.items():
        latest = max((r["report_year"] or 0, r["document_id"]) for r in rows)
        mine = [r for r in rows if (r["report_year"] or 0, r["document_id"]) == latest]
        mine.sort(key=lambda r: (r["page"] or 0, r["start"] or 0, r["id"]))
        for n, row in enumerate(mine):
            out[(*key, n)] = row
    return out


def _figures(previous: dict, new: dict) -> list[dict]:
    old = _latest_figures(previous.get("documents", []), previous.get("figures", []))
    cur = _latest_figures(new["documents"], new["figures"])
    out = []
    for key in sorted(cur, key=repr):
        f = cur[key]
        label = f"{f['metric']}{' ' + f['criterion'] if f['criterion'] else ''} {f['year']}"
        before = old.get(key)
        if before is None:
            out.append(
                _change(
                    "figure_added",
                    "figures",
                    f["id"],
                    f["country_code"],
                    f["report_year"],
                    f"{label} = {f['value']}",
                )
            )
        elif before["value"] != f["value"]:
            out.append(
                _change(
                    "figure_revised",
                    "figures",
                    f["id"],
                    f["country_code"],
                    f["report_year"],
                    f"{label}: {before['value']} -> {f['value']}",
                )
            )
    for key in sorted(set(old) - set(cur), key=repr):
        f = old[key]
        out.append(
            _change(
                "figure_removed",
                "figures",
                f["id"],
                f["country_code"],
                f["report_year"],
                f"{f['metric']} {f['year']} = {f['value']}",
            )
        )
    return out


def _rec_keys(docs: list[dict], rows: list[dict]) -> dict[tuple, dict]:
    keep = _canonical_ids(docs)
    out = {}
    for r in sorted(rows, key=lambda r: r["id"]):
        if r["document_id"] not in keep:
            continue
        key = (r["country_code"], r["series"], r["report_year"], normalise(r["text"]))
        out.setdefault(key, r)
    return out


def _recommendations(previous: dict, new: dict) -> list[dict]:
    old = _rec_keys(previous.get("documents", []), previous.get("recommendations", []))
    cur = _rec_keys(new["documents"], new["recommendations"])
    return [
        _change(
            kind, "recommendations", r["id"], r["country_code"], r["report_year"], r["text"][:300]
        )
        for kind, these, others in (
            ("recommendation_new", cur, old),
            ("recommendation_gone", old, cur),
        )
        for key, r in these.items()
        if key not in others
    ]


def _statuses(previous: dict, new: dict) -> list[dict]:
    old = {
        (s["thread_id"], s["report_year"]): s["status"] for s in previous.get("thread_status", [])
    }
    threads = {t["id"]: t for t in new["threads"]}
    old_threads = {t["id"]: t for t in previous.get("threads", [])}
    cur = {(s["thread_id"], s["report_year"]): s["status"] for s in new["thread_status"]}
    out = []
    for key in sorted(set(old) | set(cur)):
        before, after = old.get(key), cur.get(key)
        if before == after:
            continue
        thread = threads.get(key[0]) or old_threads.get(key[0]) or {}
        out.append(
            _change(
                "status_changed",
                "thread_status",
                f"{key[0]}/{key[1]}",
                thread.get("country_code"),
                key[1],
                f"{thread.get('topic')}: {before or 'none'} -> {after or 'none'}",
            )
        )
    return out
