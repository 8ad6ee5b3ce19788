"""The database schema: migrations, keys, indexes, full-text search and views, on real files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from tracker import migrations, store

EXPECTED_SCHEMA = Path(__file__).resolve().parent / "expected_schema.sql"


def schema(path) -> str:
    """Every table and index (views are the publishing code's), in a stable order."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "select type, name, sql from sqlite_master where type in ('table', 'index') "
            "and name not like 'sqlite_%' order by type desc, name"
        ).fetchall()
    finally:
        conn.close()
    return "\n".join(f"-- {t} {n}\n{sql};" for t, n, sql in rows if sql) + "\n"


@pytest.fixture
def db(tmp_path) -> sqlite_utils.Database:
    """A new, empty database with the whole schema, as a build writes it."""
    database = store.open_new(tmp_path / "tracker.db")
    store.create_schema(database)
    store.finish(database)
    yield database
    database.close()


def test_the_whole_schema(db, tmp_path):
    """Pinned: a schema change is a new migration and an update of expected_schema.sql
    (write it with ``python -m tests.test_store``)."""
    assert schema(tmp_path / "tracker.db") == EXPECTED_SCHEMA.read_text(encoding="utf-8")


def test_every_migration_is_recorded(db):
    applied = [(r["migration_set"], r["name"]) for r in db["_sqlite_migrations"].rows]
    assert applied == [
        ("tracker", "0001_initial"),
        ("tracker", "0002_series_links_treaties"),
        ("tracker", "0003_build_code_version"),
        ("tracker", "0004_update_runs"),
        ("tracker_derived", "0001_indexes"),
        ("tracker_derived", "0002_full_text_search"),
    ]
    assert db.execute("pragma user_version").fetchone()[0] == store.SCHEMA_VERSION


def test_a_database_from_before_migrations_is_brought_up_to_date(tmp_path):
    old_path, new_path = tmp_path / "old.db", tmp_path / "new.db"
    old = sqlite_utils.Database(old_path)
    migrations.initial(old)  # the first version's schema, without a migrations table
    old["countries"].insert({"code": "KHM", "name": "Cambodia", "other_area": 0, "aliases": None})
    old["documents"].insert({"id": "d1", "country_code": "KHM", "url": "https://x", "pages": 1})
    rec = {"id": "d1-r1", "document_id": "d1", "country_code": "KHM", "text": "Adopt a law."}
    old["recommendations"].insert(rec)
    old["recommendations"].enable_fts(["text"], tokenize="porter")
    old.create_view("old_view", "select * from threads")

    applied = migrations.migrate(old)
    old.close()
    assert applied == [
        "0002_series_links_treaties",
        "0003_build_code_version",
        "0004_update_runs",
        "0001_indexes",
        "0002_full_text_search",
    ]
    new = store.open_new(new_path)
    store.create_schema(new)
    store.finish(new)
    new.close()
    assert schema(old_path) == schema(new_path)

    migrated = sqlite_utils.Database(old_path)
    row = migrated["recommendations"].get("d1-r1")
    assert {k: row[k] for k in rec} == rec and row["predecessor_id"] is None
    hits = migrated.execute(
        "select text from recommendations_fts where recommendations_fts match 'law'"
    ).fetchall()
    assert hits == [("Adopt a law.",)]
    assert migrations.migrate(migrated) == []  # idempotent


def test_every_table_has_a_primary_key_and_every_foreign_key_points_at_one(db):
    for table in store.TABLES:
        assert db[table].pks != ["rowid"], f"{table} has no primary key"
        for fk in db[table].foreign_keys:
            assert db[fk.other_table].pks == [fk.other_column], fk
    linked = {(fk.table, fk.column) for t in store.TABLES for fk in db[t].foreign_keys}
    assert {
        ("threads", "country_code"),
        ("threads", "evidence_id"),
        ("thread_status", "evidence_id"),
        ("recommendations", "thread_id"),
        ("recommendations", "predecessor_id"),
        ("recommendation_links", "linked_id"),
        ("treaty_status", "document_id"),
        ("documents", "duplicate_of"),
        ("figures", "document_id"),
        ("developments", "document_id"),
    } <= linked


@pytest.mark.parametrize(
    ("sql", "index"),
    [
        (
            "select * from figures where country_code = 'KHM' and year = 2022 "
            "and metric = 'area_released'",
            "idx_figures_country_code_year_metric",
        ),
        ("select * from figures where metric = 'area_released'", "idx_figures_metric_year"),
        (
            "select * from recommendations where country_code = 'KHM' and report_year = 2020",
            "idx_recommendations_country_code_report_year",
        ),
        (
            "select * from recommendation_topics where topic = 'strategy'",
            "idx_recommendation_topics_topic",
        ),
        ("select * from threads where country_code = 'KHM'", "idx_threads_country_code_topic"),
        ("select * from threads where status = 'implemented'", "idx_threads_status"),
        ("select * from thread_status where status = 'dropped'", "idx_thread_status_status"),
        ("select * from thread_status where report_year = 2020", "idx_thread_status_report_year"),
        (
            "select * from treaty_status where country_code = 'KHM'",
            "idx_treaty_status_country_code_report_year",
        ),
    ],
)
def test_user_queries_use_an_index(db, sql, index):
    plan = " ".join(r[3] for r in db.execute(f"explain query plan {sql}").fetchall())
    assert index in plan, plan


def test_full_text_search_covers_recommendations_figures_developments_and_pages(db):
    assert {t: db[t].detect_fts() for t in migrations.FTS} == {
        "recommendations": "recommendations_fts",
        "figures": "figures_fts",
        "document_pages": "document_pages_fts",
        "developments": "developments_fts",
    }


def _thread(db, tid, topic, statuses):
    db["threads"].insert({"id": tid, "country_code": "KHM", "series": "mar-cmr", "topic": topic})
    for year, status, rec_id in statuses:
        db["thread_status"].insert(
            {
                "thread_id": tid,
                "report_year": year,
                "status": status,
                "recommendation_id": rec_id,
                "needs_review": 0,
            }
        )


def test_views_count_open_repeated_and_implemented_per_topic_with_treaty_status(db):
    db["countries"].insert({"code": "KHM", "name": "Cambodia", "other_area": 0})
    _thread(db, "t1", "ccm_accession", [(2016, "new", "r1"), (2018, "repeated", "r2")])
    _thread(db, "t2", "strategy", [(2016, "new", "r3"), (2018, "implemented", None)])
    _thread(db, "t3", "strategy", [(2018, "new", "r4")])
    db["treaty_status"].insert(
        {
            "id": "KHM-2018-CCM",
            "country_code": "KHM",
            "report_year": 2018,
            "treaty": "CCM",
            "status": "not_party",
            "sentence": "Cambodia should accede to the CCM.",
            "rule": "recommendation",
        }
    )
    topics = db.execute(
        "select report_year, topic, open, new, repeated, in_progress, implemented, dropped "
        "from country_topic_status where country_code = 'KHM' order by 1, 2"
    ).fetchall()
    assert topics == [
        (2016, "ccm_accession", 1, 1, 0, 0, 0, 0),
        (2016, "strategy", 1, 1, 0, 0, 0, 0),
        (2018, "ccm_accession", 1, 0, 1, 0, 0, 0),
        (2018, "strategy", 1, 1, 0, 0, 1, 0),
    ]
    years = db.execute(
        "select report_year, open, repeated, implemented, ccm_status, apmbc_status "
        "from country_year_summary where country_code = 'KHM' order by 1"
    ).fetchall()
    assert years == [(2016, 2, 0, 0, None, None), (2018, 2, 1, 1, "not_party", None)]


if __name__ == "__main__":  # rewrite expected_schema.sql after an intended schema change
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        database = store.open_new(Path(tmp) / "tracker.db")
        store.create_schema(database)
        store.finish(database)
        database.close()
        EXPECTED_SCHEMA.write_text(schema(Path(tmp) / "tracker.db"), encoding="utf-8")
    print(f"wrote {EXPECTED_SCHEMA}")
