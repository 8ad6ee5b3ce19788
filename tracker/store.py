"""The SQLite database (sqlite-utils): schema, writes, full-text search, views.

The database is derived from the corpus and can always be rebuilt. Rows carry
deterministic ids (derived from the document's sha256 and position), so the same
corpus gives the same rows.
"""

from __future__ import annotations

import json

import sqlite_utils

from .views import VIEWS

SCHEMA_VERSION = 1

TABLES: dict[str, dict] = {
    "sources": {
        "columns": {"name": str, "publisher": str, "base_url": str},
        "pk": "name",
    },
    "countries": {
        "columns": {"code": str, "name": str, "other_area": int, "aliases": str},
        "pk": "code",
    },
    "crawl_runs": {
        "columns": {
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
        "pk": "id",
    },
    "fetches": {
        "columns": {
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
        "pk": "id",
        "foreign_keys": [("run_id", "crawl_runs", "id")],
    },
    "documents": {
        "columns": {
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
        "pk": "id",
        "foreign_keys": [("country_code", "countries", "code"), ("source", "sources", "name")],
    },
    "document_pages": {
        "columns": {"id": str, "document_id": str, "page": int, "text": str},
        "pk": "id",
        "foreign_keys": [("document_id", "documents", "id")],
    },
    "figures": {
        "columns": {
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
        "pk": "id",
        "foreign_keys": [("document_id", "documents", "id"), ("country_code", "countries", "code")],
    },
    "threads": {
        "columns": {
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
        "pk": "id",
        "foreign_keys": [("country_code", "countries", "code")],
    },
    "recommendations": {
        "columns": {
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
        "pk": "id",
        "foreign_keys": [
            ("document_id", "documents", "id"),
            ("country_code", "countries", "code"),
            ("thread_id", "threads", "id"),
        ],
    },
    "recommendation_topics": {
        "columns": {"recommendation_id": str, "topic": str, "rank": int, "rule": str},
        "pk": ("recommendation_id", "topic"),
        "foreign_keys": [("recommendation_id", "recommendations", "id")],
    },
    "developments": {
        "columns": {
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
        "pk": "id",
        "foreign_keys": [("document_id", "documents", "id"), ("country_code", "countries", "code")],
    },
    "thread_status": {
        "columns": {
            "thread_id": str,
            "report_year": int,
            "status": str,
            "recommendation_id": str,
            "evidence_id": str,
            "needs_review": int,
        },
        "pk": ("thread_id", "report_year"),
        "foreign_keys": [
            ("thread_id", "threads", "id"),
            ("recommendation_id", "recommendations", "id"),
            ("evidence_id", "developments", "id"),
        ],
    },
    "builds": {
        "columns": {
            "id": int,
            "started": str,
            "finished": str,
            "documents": int,
            "extracted": int,
            "cached": int,
            "failed": int,
            "changes": int,
        },
        "pk": "id",
    },
    "changes": {
        "columns": {
            "id": int,
            "build_id": int,
            "kind": str,
            "table_name": str,
            "row_id": str,
            "country_code": str,
            "report_year": int,
            "detail": str,
        },
        "pk": "id",
        "foreign_keys": [("build_id", "builds", "id")],
    },
}

FTS = {
    "recommendations": ["text"],
    "figures": ["sentence"],
    "document_pages": ["text"],
    "developments": ["sentence"],
}

INDEXES = [
    ("figures", ["country_code", "year", "metric"]),
    ("figures", ["metric"]),
    ("figures", ["document_id"]),
    ("recommendations", ["country_code", "report_year"]),
    ("recommendations", ["thread_id"]),
    ("recommendations", ["primary_topic"]),
    ("recommendation_topics", ["topic"]),
    ("developments", ["country_code", "topic"]),
    ("thread_status", ["status"]),
    ("thread_status", ["report_year"]),
    ("threads", ["country_code", "topic"]),
    ("documents", ["country_code", "series", "report_year"]),
    ("changes", ["build_id"]),
]


def create_schema(db: sqlite_utils.Database) -> None:
    for name, spec in TABLES.items():
        db[name].create(
            spec["columns"],
            pk=spec["pk"],
            foreign_keys=spec.get("foreign_keys"),
            if_not_exists=True,
        )
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def finish(db: sqlite_utils.Database) -> None:
    """Indexes, full-text search and views: after loading, so the load stays fast."""
    for table, columns in INDEXES:
        db[table].create_index(columns, if_not_exists=True)
    for table, columns in FTS.items():
        if not db[table].detect_fts():
            db[table].enable_fts(columns, create_triggers=False, tokenize="porter")
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)


def dumps(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
