"""Building the database from a corpus: incremental, deterministic, failures recorded."""

from __future__ import annotations

import sqlite3

from tracker.build import build
from tracker.local import add_files
from tracker.store import TABLES


def _rows(db_path, table):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"select * from [{table}] order by 1").fetchall()
    finally:
        conn.close()


def _corpus(tmp_path, fixtures):
    corpus = tmp_path / "corpus"
    added, errors = add_files(
        [str(fixtures / "sample_country_page.html"), str(fixtures / "monitor_profile.txt")],
        str(corpus),
        url=None,
    )
    assert not errors and len(added) == 2
    return corpus


def test_build_writes_every_table_of_the_design(tmp_path, fixtures):
    corpus = _corpus(tmp_path, fixtures)
    db_path = tmp_path / "tracker.db"
    report = build(str(corpus), str(db_path))
    assert report.replaced and report.documents == 2 and not report.failed
    conn = sqlite3.connect(db_path)
    names = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert set(TABLES) <= names
    assert {"recommendations_fts", "figures_fts", "document_pages_fts"} <= names
    fks = conn.execute("select * from pragma_foreign_key_list('figures')").fetchall()
    assert {(fk[2], fk[3]) for fk in fks} == {
        ("documents", "document_id"),
        ("countries", "country_code"),
    }
    row = conn.execute(
        "select country_code, year, metric, value, unit, page from figures "
        "where metric = 'area_released'"
    ).fetchone()
    assert row == ("KHM", 2022, "area_released", 45.2, "km2", 1)
    hits = conn.execute(
        "select text from recommendations where rowid in (select rowid from "
        "recommendations_fts where recommendations_fts match 'baseline')"
    ).fetchall()
    assert len(hits) == 1 and "baseline" in hits[0][0]


def test_second_build_of_an_unchanged_corpus_changes_nothing(tmp_path, fixtures):
    corpus = _corpus(tmp_path, fixtures)
    db_path = tmp_path / "tracker.db"
    first = build(str(corpus), str(db_path))
    assert first.extracted == 2
    before = {t: _rows(db_path, t) for t in TABLES}
    mtime = db_path.stat().st_mtime_ns
    second = build(str(corpus), str(db_path))
    assert second.extracted == 0 and second.cached == 2
    assert second.changes == [] and not second.replaced
    assert db_path.stat().st_mtime_ns == mtime
    assert {t: _rows(db_path, t) for t in TABLES} == before


def test_same_corpus_gives_the_same_rows(tmp_path, fixtures):
    corpus = _corpus(tmp_path, fixtures)
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    build(str(corpus), str(a))
    build(str(corpus), str(b))
    for table in (
        "documents",
        "figures",
        "recommendations",
        "developments",
        "threads",
        "thread_status",
        "recommendation_topics",
    ):
        assert _rows(a, table) == _rows(b, table), table


def test_a_document_that_fails_is_recorded_and_the_build_goes_on(tmp_path, fixtures):
    corpus = _corpus(tmp_path, fixtures)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a PDF")
    add_files([str(bad)], str(corpus))
    db_path = tmp_path / "tracker.db"
    report = build(str(corpus), str(db_path))
    assert len(report.failed) == 1 and report.failed[0][1].startswith("broken PDF")
    conn = sqlite3.connect(db_path)
    errors = conn.execute("select error from documents where error is not null").fetchall()
    assert len(errors) == 1
    assert conn.execute("select count(*) from figures").fetchone()[0] > 0


def test_a_new_document_is_recorded_in_changes(tmp_path, fixtures):
    corpus = tmp_path / "corpus"
    add_files([str(fixtures / "monitor_profile.txt")], str(corpus))
    db_path = tmp_path / "tracker.db"
    build(str(corpus), str(db_path))
    add_files([str(fixtures / "sample_country_page.html")], str(corpus))
    report = build(str(corpus), str(db_path))
    kinds = sorted({c["kind"] for c in report.changes})
    assert "new_document" in kinds and "recommendation_new" in kinds
    conn = sqlite3.connect(db_path)
    builds = conn.execute("select id, documents from builds order by id").fetchall()
    assert builds == [(1, 1), (2, 2)]
    new_docs = conn.execute(
        "select build_id, country_code from changes where kind = 'new_document' order by 1"
    ).fetchall()
    assert new_docs == [(1, "LBN"), (2, "KHM")]
