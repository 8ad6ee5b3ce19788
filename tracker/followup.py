"""Follow-up: link recommendations across editions into threads, infer status.

A recommendation is linked to one in the previous edition of the same country
and series when their topics overlap and their texts are similar (rapidfuzz);
the score is kept on the link. A chain of links is a thread. Each thread gets a
status per report year: new, repeated, implemented (with a completed development
of the same country and topic as evidence), in_progress, or dropped.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

LINK_THRESHOLD = 0.52  # minimum link score
REVIEW_THRESHOLD = 0.65  # links below this are flagged needs_review
TEXT_WEIGHT = 0.6
TOPIC_WEIGHT = 0.4
_PREFERRED_TYPES = {"text/html": 0, "text/plain": 1, "application/pdf": 2}


@dataclass
class Rec:
    id: str
    document_id: str
    country: str
    series: str
    year: int
    text: str
    topics: list[str]


def link_score(a: Rec, b: Rec) -> float:
    text = fuzz.token_set_ratio(a.text.lower(), b.text.lower()) / 100
    ta, tb = set(a.topics), set(b.topics)
    overlap = len(ta & tb) / len(ta | tb) if ta | tb else 0.0
    if a.topics and b.topics and a.topics[0] == b.topics[0]:
        overlap = max(overlap, 0.75)
    return round(TEXT_WEIGHT * text + TOPIC_WEIGHT * overlap, 4)


def _canonical_documents(db) -> dict[tuple[str, str, int], str]:
    """One document per (country, series, edition) carries the recommendations that
    are threaded: the one with the most recommendations, HTML before PDF."""
    best: dict[tuple[str, str, int], tuple] = {}
    rows = db.execute(
        "select id, country_code, series, report_year, content_type, recommendations, "
        "fetched_at from documents where error is null and recommendations > 0 "
        "and country_code is not null and series is not null and report_year is not null"
    ).fetchall()
    for doc_id, country, series, year, ctype, nrec, fetched in rows:
        key = (country, series, year)
        rank = (-nrec, _PREFERRED_TYPES.get(ctype, 3), fetched, doc_id)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, doc_id)
    return {k: v[1] for k, v in best.items()}


def run(db) -> None:
    canonical = _canonical_documents(db)
    canonical_ids = set(canonical.values())
    recs: dict[tuple[str, str], dict[int, list[Rec]]] = defaultdict(lambda: defaultdict(list))
    others: list[Rec] = []
    for row in db.execute(
        "select id, document_id, country_code, series, report_year, text, topics "
        "from recommendations where country_code is not null and series is not null "
        "and report_year is not null order by report_year, document_id, position"
    ).fetchall():
        rec = Rec(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6] or "[]"))
        if rec.document_id in canonical_ids:
            recs[(rec.country, rec.series)][rec.year].append(rec)
        else:
            others.append(rec)

    updates: dict[str, dict] = {}
    threads: dict[str, dict] = {}
    statuses: list[dict] = []
    for (country, series), by_year in sorted(recs.items()):
        years = sorted(by_year)
        thread_of: dict[str, str] = {}
        members: dict[str, list[Rec]] = defaultdict(list)
        previous: list[Rec] = []
        for year in years:
            current = by_year[year]
            pairs = sorted(
                ((link_score(p, c), p.id, c.id, p, c) for p in previous for c in current),
                key=lambda x: (-x[0], x[1], x[2]),
            )
            linked_prev, linked_cur = set(), set()
            for score, _, _, p, c in pairs:
                if score < LINK_THRESHOLD or p.id in linked_prev or c.id in linked_cur:
                    continue
                linked_prev.add(p.id)
                linked_cur.add(c.id)
                thread_of[c.id] = thread_of[p.id]
                updates[c.id] = {
                    "predecessor_id": p.id,
                    "link_score": score,
                    "needs_review": int(score < REVIEW_THRESHOLD),
                }
            for c in current:
                if c.id not in thread_of:
                    thread_of[c.id] = _thread_id(country, series, c)
                    updates[c.id] = {"predecessor_id": None, "link_score": None, "needs_review": 0}
                members[thread_of[c.id]].append(c)
            previous = current
        for thread_id, chain in members.items():
            threads[thread_id] = _thread_row(
                db, thread_id, country, series, chain, years, updates, statuses
            )
        for rec_id, thread_id in thread_of.items():
            updates[rec_id]["thread_id"] = thread_id

    # recommendations of duplicate documents (a PDF of the same edition) join the thread
    # of the matching canonical recommendation of that edition
    for rec in others:
        same = recs.get((rec.country, rec.series), {}).get(rec.year, [])
        scored = sorted(((link_score(rec, c), c.id) for c in same), reverse=True)
        if scored and scored[0][0] >= LINK_THRESHOLD and scored[0][1] in updates:
            updates[rec.id] = {
                "thread_id": updates[scored[0][1]]["thread_id"],
                "predecessor_id": None,
                "link_score": scored[0][0],
                "needs_review": int(scored[0][0] < REVIEW_THRESHOLD),
            }

    if threads:
        db["threads"].insert_all([threads[k] for k in sorted(threads)])
    if statuses:
        db["thread_status"].insert_all(
            sorted(statuses, key=lambda s: (s["thread_id"], s["report_year"]))
        )
    for rec_id in sorted(updates):
        db["recommendations"].update(rec_id, updates[rec_id])


def _thread_id(country: str, series: str, rec: Rec) -> str:
    digest = hashlib.sha1(f"{country}|{series}|{rec.year}|{rec.id}".encode()).hexdigest()
    return f"{country}-{series}-{rec.year}-{digest[:8]}"


def _evidence(db, country: str, topic: str, after_year: int, upto_year: int, stage: str):
    """The earliest development of the country and topic at the given stage, reported in an
    edition after the recommendation was last made and no later than ``upto_year``."""
    return db.execute(
        "select id, year from developments where country_code = ? and topic = ? and stage = ? "
        "and report_year > ? and report_year <= ? "
        "and (year is null or year >= ?) order by report_year, year, id limit 1",
        [country, topic, stage, after_year, upto_year, after_year - 1],
    ).fetchone()


def _thread_row(
    db, thread_id, country, series, chain: list[Rec], years: list[int], updates, statuses
) -> dict:
    chain = sorted(chain, key=lambda r: r.year)
    first, last = chain[0], chain[-1]
    topic = (last.topics or ["other"])[0]
    by_year = {r.year: r for r in chain}
    status, status_year, evidence, review = "new", first.year, None, 0
    for year in [y for y in years if y >= first.year]:
        rec = by_year.get(year)
        if rec is not None:
            status = "new" if year == first.year else "repeated"
            progress = None
            if status == "repeated":
                progress = _evidence(db, country, topic, year - 1, year, "in_progress")
                if progress:
                    status = "in_progress"
            needs = updates.get(rec.id, {}).get("needs_review", 0)
            statuses.append(
                {
                    "thread_id": thread_id,
                    "report_year": year,
                    "status": status,
                    "recommendation_id": rec.id,
                    "evidence_id": progress[0] if progress else None,
                    "needs_review": needs,
                }
            )
            status_year, evidence, review = year, progress[0] if progress else None, needs
            continue
        done = _evidence(db, country, topic, last.year, year, "completed")
        if done:
            status, evidence, review = "implemented", done[0], 0
        else:
            partial = _evidence(db, country, topic, last.year, year, "in_progress")
            status = "in_progress" if partial else "dropped"
            evidence, review = (partial[0] if partial else None), 0
        statuses.append(
            {
                "thread_id": thread_id,
                "report_year": year,
                "status": status,
                "recommendation_id": None,
                "evidence_id": evidence,
                "needs_review": review,
            }
        )
        status_year = year
        if status in ("implemented", "dropped"):
            break
    return {
        "id": thread_id,
        "country_code": country,
        "series": series,
        "topic": topic,
        "title": last.text[:200],
        "first_year": first.year,
        "last_year": last.year,
        "times_repeated": len(chain) - 1,
        "status": status,
        "status_year": status_year,
        "needs_review": review,
        "evidence_id": evidence,
    }


def first_build(db) -> list[dict]:
    return diff({}, db)


def diff(previous: dict, db) -> list[dict]:
    """What changed between the previous database's rows and the new database."""
    changes: list[dict] = []
    old_docs = {d["id"] for d in previous.get("documents", [])}
    for row in db.execute(
        "select id, country_code, report_year, url from documents order by id"
    ).fetchall():
        if row[0] not in old_docs:
            changes.append(
                {
                    "kind": "new_document",
                    "table_name": "documents",
                    "row_id": row[0],
                    "country_code": row[1],
                    "report_year": row[2],
                    "detail": row[3],
                }
            )
    old_figs = {f["id"]: f for f in previous.get("figures", [])}
    for row in db.execute(
        "select id, country_code, year, metric, value from figures order by id"
    ).fetchall():
        old = old_figs.get(row[0])
        if old is None:
            kind = "figure_added"
        elif old["value"] != row[4] or old["metric"] != row[3]:
            kind = "figure_revised"
        else:
            continue
        changes.append(
            {
                "kind": kind,
                "table_name": "figures",
                "row_id": row[0],
                "country_code": row[1],
                "report_year": row[2],
                "detail": f"{row[3]} = {row[4]}",
            }
        )
    old_recs = {r["id"] for r in previous.get("recommendations", [])}
    new_recs = set()
    for row in db.execute(
        "select id, country_code, report_year, text from recommendations order by id"
    ).fetchall():
        new_recs.add(row[0])
        if row[0] not in old_recs:
            changes.append(
                {
                    "kind": "recommendation_new",
                    "table_name": "recommendations",
                    "row_id": row[0],
                    "country_code": row[1],
                    "report_year": row[2],
                    "detail": row[3][:300],
                }
            )
    for rec in previous.get("recommendations", []):
        if rec["id"] not in new_recs:
            changes.append(
                {
                    "kind": "recommendation_gone",
                    "table_name": "recommendations",
                    "row_id": rec["id"],
                    "country_code": rec["country_code"],
                    "report_year": rec["report_year"],
                    "detail": rec["text"][:300],
                }
            )
    old_status = {
        (s["thread_id"], s["report_year"]): s["status"] for s in previous.get("thread_status", [])
    }
    for row in db.execute(
        "select ts.thread_id, ts.report_year, ts.status, t.country_code, t.topic "
        "from thread_status ts join threads t on t.id = ts.thread_id "
        "order by ts.thread_id, ts.report_year"
    ).fetchall():
        before = old_status.get((row[0], row[1]))
        if before != row[2]:
            changes.append(
                {
                    "kind": "status_changed",
                    "table_name": "thread_status",
                    "row_id": f"{row[0]}/{row[1]}",
                    "country_code": row[3],
                    "report_year": row[1],
                    "detail": f"{row[4]}: {before or 'none'} -> {row[2]}",
                }
            )
    return changes
