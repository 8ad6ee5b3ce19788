"""Schema history of tracker.db, as sqlite-utils migrations.

Every schema change is a new function appended to ``SCHEMA`` (never edit one that
has shipped): a database built by any earlier version is brought up to date by
``migrate``, and a fresh build runs the same steps on an empty file, so both end
with the same schema (a test compares them).

Two migration sets:

- ``SCHEMA``: tables, columns, primary and foreign keys. Applied before loading.
- ``DERIVED``: indexes, full-text search and views. Applied after loading, so the
  load is plain inserts into bare tables and the indexes are built once.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from .views import VIEWS

SCHEMA = Migrations("tracker")
DERIVED = Migrations("tracker_derived")


def _create(db: sqlite_utils.Database, name: str, columns: dict, pk, foreign_keys=None) -> None:
    db[name].create(columns, pk=pk, foreign_keys=foreign_keys)


# -- SCHEMA ------------------------------------------------------------------------------------


@SCHEMA(name="0001_initial")
def initial(db: sqlite_utils.Database) -> None:
    """The schema of the first version (before migrations), frozen."""
    _create(db, "sources", {"name": str, "publisher": str, "base_url": str}, "name")
    _create(db, "countries", {"code": str, "name": str, "other_area": int, "aliases": str}, "code")
    _create(
        db,
        "crawl_runs",
        {
            "id": int,
            "started": str,
            "finished": str,
            "sources": str,
            "requested": int,
            "not_modified": int,
            "new": int,
            "changed": int,
            "unchanged": int,
            "failed": int,
            "outcome": str,
        },
        "id",
    )
    _create(
        db,
        "fetches",
        {
            "id": int,
            "run_id": int,
            "source": str,
            "url": str,
            "final_url": str,
            "status": int,
            "outcome": str,
            "sha256": str,
            "error": str,
            "fetched_at": str,
            "elapsed_ms": int,
        },
        "id",
        [("run_id", "crawl_runs", "id")],
    )
    _create(
        db,
        "documents",
        {
            "id": str,
            "url": str,
            "final_url": str,
            "source": str,
            "publisher": str,
            "fetched_at": str,
            "snapshot_time": str,
            "etag": str,
            "last_modified": str,
            "content_type": str,
            "size": int,
            "corpus_path": str,
            "country_code": str,
            "series": str,
            "report_year": int,
            "title": str,
            "pages": int,
            "metadata_rules": str,
            "extractor_version": str,
            "error": str,
            "figures": int,
            "recommendations": int,
            "developments": int,
        },
        "id",
        [("country_code", "countries", "code"), ("source", "sources", "name")],
    )
    _create(
        db,
        "document_pages",
        {"id": str, "document_id": str, "page": int, "text": str},
        "id",
        [("document_id", "documents", "id")],
    )
    _create(
        db,
        "figures",
        {
            "id": str,
            "document_id": str,
            "country_code": str,
            "series": str,
            "report_year": int,
            "metric": str,
            "value": float,
            "value_high": float,
            "unit": str,
            "year": int,
            "qualifier": str,
            "criterion": str,
            "confidence": str,
            "flags": str,
            "text": str,
            "sentence": str,
            "page": int,
            "start": int,
            "end": int,
            "section": str,
            "rule": str,
        },
        "id",
        [("document_id", "documents", "id"), ("country_code", "countries", "code")],
    )
    _create(
        db,
        "threads",
        {
            "id": str,
            "country_code": str,
            "series": str,
            "topic": str,
            "title": str,
            "first_year": int,
            "last_year": int,
            "times_repeated": int,
            "status": str,
            "status_year": int,
            "needs_review": int,
            "evidence_id": str,
        },
        "id",
        [("country_code", "countries", "code")],
    )
    _create(
        db,
        "recommendations",
        {
            "id": str,
            "document_id": str,
            "country_code": str,
            "series": str,
            "report_year": int,
            "position": int,
            "text": str,
            "actor": str,
            "action": str,
            "urgency": str,
            "truncated": int,
            "primary_topic": str,
            "topics": str,
            "page": int,
            "start": int,
            "end": int,
            "thread_id": str,
            "predecessor_id": str,
            "link_score": float,
            "needs_review": int,
        },
        "id",
        [
            ("document_id", "documents", "id"),
            ("country_code", "countries", "code"),
            ("thread_id", "threads", "id"),
        ],
    )
    _create(
        db,
        "recommendation_topics",
        {"recommendation_id": str, "topic": str, "rank": int, "rule": str},
        ("recommendation_id", "topic"),
        [("recommendation_id", "recommendations", "id")],
    )
    _create(
        db,
        "developments",
        {
            "id": str,
            "document_id": str,
            "country_code": str,
            "series": str,
            "report_year": int,
            "event": str,
            "topic": str,
            "stage": str,
            "year": int,
            "month": int,
            "sentence": str,
            "page": int,
            "start": int,
            "end": int,
            "rule": str,
        },
        "id",
        [("document_id", "documents", "id"), ("country_code", "countries", "code")],
    )
    _create(
        db,
        "thread_status",
        {
            "thread_id": str,
            "report_year": int,
            "status": str,
            "recommendation_id": str,
            "evidence_id": str,
            "needs_review": int,
        },
        ("thread_id", "report_year"),
        [
            ("thread_id", "threads", "id"),
            ("recommendation_id", "recommendations", "id"),
            ("evidence_id", "developments", "id"),
        ],
    )
    _create(
        db,
        "builds",
        {
            "id": int,
            "started": str,
            "finished": str,
            "documents": int,
            "extracted": int,
            "cached": int,
            "failed": int,
            "changes": int,
        },
        "id",
    )
    _create(
        db,
        "changes",
        {
            "id": int,
            "build_id": int,
            "kind": str,
            "table_name": str,
            "row_id": str,
            "country_code": str,
            "report_year": int,
            "detail": str,
        },
        "id",
        [("build_id", "builds", "id")],
    )


@SCHEMA(name="0002_series_links_treaties")
def series_links_treaties(db: sqlite_utils.Database) -> None:
    """Series lookup, duplicate editions, cross-edition links with scores, evidence
    provenance on statuses, treaty status, build fingerprints."""
    _create(db, "series", {"slug": str, "name": str, "publisher": str}, "slug")

    db["documents"].add_column("text_sha256", str)
    db["documents"].add_column("duplicate_of", str)
    db["documents"].transform(
        add_foreign_keys=[("series", "series", "slug"), ("duplicate_of", "documents", "id")]
    )

    db["recommendations"].add_column("text_score", float)
    db["recommendations"].add_column("topic_score", float)
    db["recommendations"].transform(
        add_foreign_keys=[
            ("predecessor_id", "recommendations", "id"),
            ("series", "series", "slug"),
        ]
    )

    for column, kind in (
        ("events", str),
        ("first_recommendation_id", str),
        ("last_recommendation_id", str),
        ("evidence_basis", str),
    ):
        db["threads"].add_column(column, kind)
    db["threads"].transform(
        add_foreign_keys=[
            ("series", "series", "slug"),
            ("evidence_id", "developments", "id"),
            ("first_recommendation_id", "recommendations", "id"),
            ("last_recommendation_id", "recommendations", "id"),
        ]
    )

    db["thread_status"].add_column("evidence_basis", str)
    db["thread_status"].add_column("note", str)

    db["figures"].transform(add_foreign_keys=[("series", "series", "slug")])
    db["developments"].transform(add_foreign_keys=[("series", "series", "slug")])

    _create(
        db,
        "recommendation_links",
        {
            "id": str,
            "recommendation_id": str,
            "linked_id": str,
            "kind": str,  # predecessor | cross_series | duplicate
            "score": float,
            "text_score": float,
            "topic_score": float,
            "needs_review": int,
        },
        "id",
        [
            ("recommendation_id", "recommendations", "id"),
            ("linked_id", "recommendations", "id"),
        ],
    )
    _create(
        db,
        "treaty_status",
        {
            "id": str,
            "country_code": str,
            "report_year": int,
            "treaty": str,  # CCM | APMBC
            "status": str,  # state_party | signatory | not_party
            "sentence": str,
            "document_id": str,
            "page": int,
            "rule": str,
        },
        "id",
        [("country_code", "countries", "code"), ("document_id", "documents", "id")],
    )

    db["builds"].add_column("fingerprint", str)
    db["builds"].add_column("extractor_version", str)
    db["changes"].transform(add_foreign_keys=[("country_code", "countries", "code")])


@SCHEMA(name="0003_build_code_version")
def build_code_version(db: sqlite_utils.Database) -> None:
    """The version of the code and settings that wrote each build: a build extends the
    previous database incrementally only when it was written by the same code."""
    db["builds"].add_column("code_version", str)


@SCHEMA(name="0004_update_runs")
def update_runs(db: sqlite_utils.Database) -> None:
    """The log of `tracker update` runs, shown by the site as "last updated". Kept in the
    corpus state and copied in by the update (a build leaves it empty)."""
    _create(
        db,
        "update_runs",
        {
            "id": int,
            "started": str,
            "finished": str,
            "outcome": str,
            "exit_code": int,
            "sources": str,
            "requested": int,
            "new_versions": int,
            "failed": int,
            "new_documents": int,
            "new_recommendations": int,
            "status_changes": int,
            "error": str,
        },
        "id",
    )


# -- DERIVED -----------------------------------------------------------------------------------

INDEXES = [
    ("documents", ["country_code", "series", "report_year"]),
    ("document_pages", ["document_id"]),
    ("figures", ["country_code", "year", "metric"]),
    ("figures", ["metric", "year"]),
    ("figures", ["document_id"]),
    ("recommendations", ["country_code", "report_year"]),
    ("recommendations", ["document_id"]),
    ("recommendations", ["thread_id"]),
    ("recommendations", ["primary_topic"]),
    ("recommendation_topics", ["topic"]),
    ("recommendation_links", ["recommendation_id"]),
    ("recommendation_links", ["linked_id"]),
    ("developments", ["country_code", "topic"]),
    ("developments", ["document_id"]),
    ("threads", ["country_code", "topic"]),
    ("threads", ["status"]),
    ("thread_status", ["status"]),
    ("thread_status", ["report_year"]),
    ("treaty_status", ["country_code", "report_year"]),
    ("changes", ["build_id"]),
    ("changes", ["kind"]),
]

FTS = {
    "recommendations": ["text"],
    "figures": ["sentence"],
    "document_pages": ["text"],
    "developments": ["sentence"],
}


@DERIVED(name="0001_indexes")
def indexes(db: sqlite_utils.Database) -> None:
    for table, columns in INDEXES:
        db[table].create_index(columns, if_not_exists=True)


@DERIVED(name="0002_full_text_search")
def full_text_search(db: sqlite_utils.Database) -> None:
    for table, columns in FTS.items():
        if not db[table].detect_fts():
            db[table].enable_fts(columns, create_triggers=False, tokenize="porter")


def create_views(db: sqlite_utils.Database) -> None:
    """Views are derived SQL, (re)created from ``views.VIEWS`` every time; a view added
    there reaches existing databases through ``migrate``."""
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)


def create_schema(db: sqlite_utils.Database) -> None:
    """An empty database with every table (before loading)."""
    SCHEMA.apply(db)


def finish(db: sqlite_utils.Database) -> None:
    """Indexes, full-text search and views (after loading)."""
    DERIVED.apply(db)
    create_views(db)


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Bring a database of any earlier version up to date; returns the migrations applied.

    Views are dropped first (a table rebuilt by a migration must not be referenced by a
    stale view) and recreated at the end; full-text indexes are rebuilt, since rebuilding
    a table can renumber its rows."""
    pending = [m.name for m in SCHEMA.pending(db)] + [m.name for m in DERIVED.pending(db)]
    if "documents" in db.table_names() and not SCHEMA.applied(db):
        # built before migrations existed: its schema is exactly 0001_initial
        SCHEMA.ensure_migrations_table(db)
        db[SCHEMA.migrations_table].insert(
            {"migration_set": SCHEMA.name, "name": "0001_initial", "applied_at": "before 0.2"}
        )
        pending.remove("0001_initial")
    for view in db.view_names():
        db[view].drop()
    SCHEMA.apply(db)
    DERIVED.apply(db)
    for table in FTS:
        if db[table].detect_fts():
            db[table].rebuild_fts()
    create_views(db)
    return pending
