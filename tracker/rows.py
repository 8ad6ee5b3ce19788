"""Rows of the database, from extraction results and from each other.

Plain functions over dicts (one dict per row, keyed by column): the full build makes
every row with them, the incremental build only the rows of new documents and of the
countries they touch. Ids are deterministic: ``<sha256[:16]>-f3`` is the third figure
of a document; thread ids come from their content (see ``followup.thread_id``).
"""

from __future__ import annotations

import json
import sqlite3

import sqlite_utils

from extractor import countries as country_table

from . import followup, store, treaty
from .corpus import Corpus, Sidecar, state_unreadable

FIGURE_FIELDS = (
    "metric",
    "value",
    "value_high",
    "unit",
    "year",
    "qualifier",
    "criterion",
    "confidence",
    "text",
    "sentence",
    "page",
    "start",
    "end",
    "section",
    "rule",
)
DEVELOPMENT_FIELDS = (
    "event",
    "topic",
    "stage",
    "year",
    "month",
    "sentence",
    "page",
    "start",
    "end",
    "rule",
)
DOCUMENT_TABLES = (
    "documents",
    "document_pages",
    "figures",
    "recommendations",
    "recommendation_topics",
    "developments",
)
LOCAL_SOURCE = {"name": "local", "publisher": "Added by hand (tracker add)", "base_url": None}


def empty() -> dict[str, list[dict]]:
    return {t: [] for t in store.TABLES}


def sources(defs: dict) -> list[dict]:
    out = [
        {"name": s.name, "publisher": s.publisher, "base_url": s.base_url}
        for s in sorted(defs.values(), key=lambda s: s.name)
    ]
    if "local" not in defs:
        out.append(dict(LOCAL_SOURCE))
    return out


def countries() -> list[dict]:
    known = country_table.aliases()
    return [
        {
            "code": c.code,
            "name": c.name,
            "other_area": int(c.other_area),
            "aliases": store.dumps(known.get(c.code, [])),
        }
        for c in country_table.all_countries()
    ]


STATE_LOGS = ("crawl_runs", "fetches", "update_runs")


def state_log(corpus: Corpus) -> dict[str, list[dict]]:
    """The run logs the corpus keeps in crawl.db (crawl_runs, fetches, update_runs), each
    ordered by id; a table not there yet is an empty list."""
    out: dict[str, list[dict]] = {table: [] for table in STATE_LOGS}
    state = corpus.root / "crawl.db"
    if not state.exists():
        return out
    state_db = sqlite_utils.Database(state)
    try:
        names = set(state_db.table_names())
        for table in STATE_LOGS:
            if table in names:
                out[table] = list(state_db[table].rows_where(order_by="id"))
    except sqlite3.DatabaseError as exc:
        raise state_unreadable(state, exc) from exc
    finally:
        state_db.close()
    return out


def document(
    side: Sidecar, data: dict, publisher: dict[str, str], extractor_version: str, rows: dict
) -> None:
    """The rows of one document (documents, pages, figures, recommendations and their
    topics, developments), appended to ``rows``. Follow-up columns are left empty."""
    doc_id = side.sha256
    short = doc_id[:16]
    meta = data.get("document") or {}
    error = data.get("error")
    rows["documents"].append(
        {
            "id": doc_id,
            "url": side.original_url or side.url,
            "final_url": side.final_url,
            "source": side.source,
            "publisher": publisher.get(side.source, side.source),
            "fetched_at": side.fetched_at,
            "snapshot_time": side.snapshot_time,
            "etag": side.etag,
            "last_modified": side.last_modified,
            "content_type": side.content_type,
            "size": side.size,
            "corpus_path": side.path,
            "country_code": meta.get("country_code"),
            "series": meta.get("series"),
            "report_year": meta.get("report_year"),
            "title": meta.get("title"),
            "pages": meta.get("pages"),
            "metadata_rules": store.dumps(meta.get("rules", {})) if meta else None,
            "extractor_version": extractor_version,
            "error": error,
            "figures": len(data.get("figures", [])),
            "recommendations": len(data.get("recommendations", [])),
            "developments": len(data.get("developments", [])),
            "text_sha256": side.text_sha256,
            "duplicate_of": None,
        }
    )
    if error:
        return
    common = {
        "document_id": doc_id,
        "country_code": meta.get("country_code"),
        "series": meta.get("series"),
        "report_year": meta.get("report_year"),
    }
    for number, text in enumerate(data.get("pages_text") or [], start=1):
        rows["document_pages"].append(
            {"id": f"{short}-p{number}", "document_id": doc_id, "page": number, "text": text}
        )
    for i, f in enumerate(data.get("figures", []), start=1):
        rows["figures"].append(
            {
                "id": f"{short}-f{i}",
                **common,
                **{k: f.get(k) for k in FIGURE_FIELDS},
                "flags": store.dumps(f.get("flags") or []),
            }
        )
    for i, r in enumerate(data.get("recommendations", []), start=1):
        position = r.get("position") or i
        rec_id = f"{short}-r{position}"
        topics = r.get("topics") or []
        rows["recommendations"].append(
            {
                "id": rec_id,
                **common,
                "position": position,
                "text": r["text"],
                "actor": r.get("actor"),
                "action": r.get("action"),
                "urgency": r.get("urgency"),
                "truncated": int(bool(r.get("truncated"))),
                "primary_topic": (topics or ["other"])[0],
                "topics": store.dumps(topics),
                "page": r.get("page"),
                "start": r.get("start"),
                "end": r.get("end"),
                "thread_id": None,
                "predecessor_id": None,
                "link_score": None,
                "needs_review": 0,
                "text_score": None,
                "topic_score": None,
            }
        )
        rules = r.get("topic_rules") or {}
        for rank, topic in enumerate(dict.fromkeys(topics), start=1):
            rows["recommendation_topics"].append(
                {
                    "recommendation_id": rec_id,
                    "topic": topic,
                    "rank": rank,
                    "rule": rules.get(topic),
                }
            )
    for i, d in enumerate(data.get("developments", []), start=1):
        rows["developments"].append(
            {"id": f"{short}-d{i}", **common, **{k: d.get(k) for k in DEVELOPMENT_FIELDS}}
        )


REC_LINK_COLUMNS = (
    "thread_id",
    "predecessor_id",
    "link_score",
    "text_score",
    "topic_score",
    "needs_review",
)


def follow_up(docs: list[dict], recs: list[dict], devs: list[dict]) -> dict:
    """Threads, statuses and links of these rows (whole countries), with the follow-up
    columns of recommendations (id -> values) and documents (id -> duplicate_of)."""
    result = followup.run(
        [
            followup.Doc(
                d["id"],
                d["country_code"],
                d["series"],
                d["report_year"],
                d["content_type"],
                d["recommendations"],
                d["fetched_at"],
                d["error"],
                d["url"],
            )
            for d in docs
        ],
        [
            followup.Rec(
                r["id"],
                r["document_id"],
                r["country_code"],
                r["series"],
                r["report_year"],
                r["position"],
                r["text"],
                tuple(json.loads(r["topics"] or "[]")),
            )
            for r in recs
            if r["country_code"] and r["series"] and r["report_year"]
        ],
        [
            followup.Dev(
                d["id"],
                d["document_id"],
                d["country_code"],
                d["series"],
                d["report_year"],
                d["event"],
                d["topic"],
                d["stage"],
                d["year"],
                d["month"],
                d["sentence"],
                d["page"],
            )
            for d in devs
            if d["country_code"] and d["report_year"]
        ],
    )
    blank = dict.fromkeys(REC_LINK_COLUMNS) | {"needs_review": 0}
    return {
        "threads": result.threads,
        "thread_status": result.statuses,
        "recommendation_links": result.links,
        "recommendations": {r["id"]: blank | result.recommendations.get(r["id"], {}) for r in recs},
        "duplicate_of": {d["id"]: result.duplicate_of.get(d["id"]) for d in docs},
    }


def treaty_statuses(
    docs: list[dict], pages: dict[str, list[str]], devs: list[dict], recs: list[dict]
) -> list[dict]:
    """Treaty status rows from the canonical documents among ``docs`` (with
    ``duplicate_of`` set): their page texts (``pages``: document id -> texts), their
    developments and their recommendations."""
    canonical = {
        d["id"]: d
        for d in docs
        if not d["error"] and not d["duplicate_of"] and d["country_code"] and d["report_year"]
    }
    found: list[treaty.TreatyStatus] = []
    for doc_id, d in sorted(canonical.items()):
        found += treaty.from_pages(
            doc_id, d["country_code"], d["report_year"], pages.get(doc_id, [])
        )
    for dev in devs:
        if dev["document_id"] in canonical:
            status = treaty.from_development(
                dev["country_code"],
                dev["report_year"],
                dev["event"],
                dev["stage"],
                dev["sentence"],
                dev["document_id"],
                dev["page"],
            )
            if status:
                found.append(status)
    for rec in recs:
        if rec["document_id"] in canonical:
            found += treaty.from_recommendation(
                rec["country_code"],
                rec["report_year"],
                rec["text"],
                rec["document_id"],
                rec["page"],
            )
    return [s.row() for s in treaty.best(found)]


def derive(rows: dict[str, list[dict]]) -> None:
    """Fill the follow-up columns and the derived tables (threads, thread_status,
    recommendation_links, treaty_status) from the document rows, in place."""
    derived = follow_up(rows["documents"], rows["recommendations"], rows["developments"])
    for row in rows["documents"]:
        row["duplicate_of"] = derived["duplicate_of"][row["id"]]
    for row in rows["recommendations"]:
        row.update(derived["recommendations"][row["id"]])
    for table in ("threads", "thread_status", "recommendation_links"):
        rows[table] = derived[table]
    pages: dict[str, list[str]] = {}
    for page in sorted(rows["document_pages"], key=lambda p: (p["document_id"], p["page"])):
        pages.setdefault(page["document_id"], []).append(page["text"])
    rows["treaty_status"] = treaty_statuses(
        rows["documents"], pages, rows["developments"], rows["recommendations"]
    )
