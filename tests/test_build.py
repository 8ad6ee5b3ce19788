"""Building the database from a corpus: incremental, deterministic, atomic, failures recorded.

Real SQLite files throughout; tests compare whole rows of whole tables.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils

from tests.benchmarks import generate
from tests.test_warm_up import _lazy_builds
from tracker import build as build_mod
from tracker.build import build
from tracker.corpus import Corpus
from tracker.errors import BuildFailed
from tracker.local import add_files
from tracker.store import TABLES

ROOT = Path(__file__).resolve().parent.parent
# tables whose rows carry the time of a build (everything else is derived from the corpus)
TIMED = {"builds", "_sqlite_migrations"}


def _rows(db_path, table):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"select * from [{table}] order by 1").fetchall()
    finally:
        conn.close()


def _all_rows(db_path, skip=()):
    return {t: _rows(db_path, t) for t in TABLES if t not in skip}


def _sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _corpus(tmp_path, fixtures):
    corpus = tmp_path / "corpus"
    added, errors = add_files(
        [str(fixtures / "sample_country_page.html"), str(fixtures / "monitor_profile.txt")],
        str(corpus),
        url=None,
    )
    assert not errors and len(added) == 2
    return corpus


def _generated(tmp_path, years=(2016, 2017, 2018, 2019), countries=2, series=("mar-mines",)):
    corpus = tmp_path / "corpus"
    docs = generate.generate(countries, list(years), list(series))
    generate.store(corpus, docs)
    return corpus, docs


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
        ("series", "series"),
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


def test_second_build_of_an_unchanged_corpus_changes_nothing(tmp_path, fixtures, monkeypatch):
    corpus = _corpus(tmp_path, fixtures)
    db_path = tmp_path / "tracker.db"
    first = build(str(corpus), str(db_path))
    assert first.extracted == 2
    before = _all_rows(db_path)
    schema = _rows(db_path, "sqlite_master")
    digest, mtime = _sha(db_path), db_path.stat().st_mtime_ns

    touched = []
    for name in ("_extract_one", "_read_cache", "write_database", "_full", "_incremental"):
        real = getattr(build_mod, name)
        monkeypatch.setattr(
            build_mod, name, lambda *a, _n=name, _r=real, **k: touched.append(_n) or _r(*a, **k)
        )
    second = build(str(corpus), str(db_path))
    assert touched == []  # not even an extraction cache was read
    assert second.unchanged and not second.replaced
    assert (second.extracted, second.cached, second.changes) == (0, 2, [])
    assert second.counts == {table: first.counts[table] for table in second.counts}
    assert (_sha(db_path), db_path.stat().st_mtime_ns) == (digest, mtime)
    assert _all_rows(db_path) == before
    assert _rows(db_path, "sqlite_master") == schema


def test_a_changed_corpus_reads_the_cache_and_extracts_only_what_is_new(tmp_path):
    corpus, docs = _generated(tmp_path)
    db_path = tmp_path / "tracker.db"
    assert build(str(corpus), str(db_path)).extracted == 8
    generate.store(corpus, generate.generate(2, [2020], ["mar-mines"]), day=30)
    report = build(str(corpus), str(db_path))
    assert (report.extracted, report.cached, report.replaced) == (2, 8, True)


def _rules_read_afresh() -> None:
    """The extractor's rules and pipelines built again on first use, as in a new process."""
    for function in _lazy_builds().values():
        function.cache_clear()


def test_a_build_keeps_its_compiled_rule_patterns_for_the_next_build(tmp_path):
    corpus, _ = _generated(tmp_path)
    twin = tmp_path / "twin"
    db_path = tmp_path / "tracker.db"
    _rules_read_afresh()
    first = build(str(corpus), str(db_path))
    assert first.extracted == 8 and first.patterns_reused == 0
    assert first.patterns_compiled > 100  # every rule pattern, once
    kept = build_mod.patterns_path(Corpus(corpus))
    assert kept.exists() and kept.parent.name == f"extract-{build_mod.extractor_version()}"

    generate.store(corpus, generate.generate(2, [2020], ["mar-mines"]), day=30)
    shutil.copytree(corpus, twin, ignore=shutil.ignore_patterns("cache"))
    _rules_read_afresh()
    second = build(str(corpus), str(db_path))
    assert second.extracted == 2
    assert (second.patterns_reused, second.patterns_compiled) == (first.patterns_compiled, 0)

    # the same rows as a build whose every pattern was compiled afresh
    _rules_read_afresh()
    fresh = build(str(twin), str(tmp_path / "twin.db"))
    assert fresh.extracted == 10 and fresh.patterns_reused == 0
    assert _all_rows(db_path, skip={*TIMED, "changes"}) == _all_rows(
        tmp_path / "twin.db", skip={*TIMED, "changes"}
    )


def test_a_cache_file_that_cannot_be_written_raises_oserror_and_leaves_no_temp_file(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory goes")
    with pytest.raises(OSError):
        build_mod._write_cache(blocker / "patterns.json", b"entries", set())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]


def test_a_build_keeps_the_heap_out_of_collections_only_while_it_runs(tmp_path, fixtures):
    corpus = _corpus(tmp_path, fixtures)
    frozen = []
    build(
        str(corpus),
        str(tmp_path / "tracker.db"),
        progress=lambda done, total: frozen.append(gc.get_freeze_count()),
    )
    assert frozen and min(frozen) > 0  # during it: the objects from before it are frozen
    assert gc.get_freeze_count() == 0  # after it: nothing is kept from the collector for good
    (corpus / "crawl.db").write_text("not a database")
    with pytest.raises(BuildFailed, match="unreadable crawl state"):
        build(str(corpus), str(tmp_path / "other.db"))
    assert gc.get_freeze_count() == 0  # nor after a build that failed
    gc.freeze()  # a caller's own freeze is left as it is
    try:
        build(str(_corpus(tmp_path / "third", fixtures)), str(tmp_path / "third.db"))
        assert gc.get_freeze_count() > 0  # (frozen objects can still be freed, so not equal)
    finally:
        gc.unfreeze()


def test_same_corpus_gives_the_same_rows_with_one_or_two_workers(tmp_path):
    corpus, _ = _generated(tmp_path, countries=3)
    twin = tmp_path / "twin"
    shutil.copytree(corpus, twin)
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    ra = build(str(corpus), str(a), workers=1)
    rb = build(str(twin), str(b), workers=2)
    assert ra.extracted == rb.extracted == 12
    assert _all_rows(a, skip=TIMED) == _all_rows(b, skip=TIMED)
    assert _rows(a, "threads") and _rows(a, "thread_status") and _rows(a, "changes")


def test_same_corpus_gives_the_same_rows(tmp_path, fixtures):
    corpus = _corpus(tmp_path, fixtures)
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    build(str(corpus), str(a))
    build(str(corpus), str(b))
    assert _all_rows(a, skip=TIMED) == _all_rows(b, skip=TIMED)


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
    failed = conn.execute("select kind, detail from changes where kind = 'document_failed'")
    assert [(k, d.endswith(errors[0][0])) for k, d in failed] == [("document_failed", True)]
    # cached like any result: the next build does not try again until the extractor changes
    again = build(str(corpus), str(db_path))
    assert again.extracted == 0 and len(again.failed) == 1


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


def test_changes_record_revised_figures_gone_recommendations_and_statuses(tmp_path):
    corpus, docs = _generated(tmp_path, countries=1)
    db_path = tmp_path / "tracker.db"
    build(str(corpus), str(db_path))
    before = {r[0]: r[1:] for r in _rows(db_path, "thread_status")}

    # the 2019 page is re-crawled: a figure revised and its last recommendation gone;
    # and the 2020 edition is published
    page_2019 = next(d for d in docs if d.year == 2019)
    lines = generate.changed(page_2019).text.splitlines()
    last_item = max(i for i, line in enumerate(lines) if line.startswith("  • "))
    gone = lines.pop(last_item).removeprefix("  • ")
    revised = generate.GeneratedDocument(
        page_2019.country_code, page_2019.country, "mar-mines", 2019, "\n".join(lines)
    )
    generate.store(corpus, [revised], day=30)
    generate.store(corpus, generate.generate(1, [2020], ["mar-mines"]), day=31)
    report = build(str(corpus), str(db_path))
    kinds = {c["kind"] for c in report.changes}
    assert {"new_document", "figure_revised", "recommendation_gone", "status_changed"} <= kinds
    revised_figure = next(c for c in report.changes if c["kind"] == "figure_revised")
    assert revised_figure["detail"].startswith("area_released 2018: ")
    gone_rows = [c for c in report.changes if c["kind"] == "recommendation_gone"]
    assert [c["detail"] for c in gone_rows] == [gone]
    conn = sqlite3.connect(db_path)
    stored = conn.execute(
        "select kind, row_id, country_code, report_year, detail from changes where build_id = 2 "
        "order by id"
    ).fetchall()
    assert stored == [
        (c["kind"], c["row_id"], c["country_code"], c["report_year"], c["detail"])
        for c in report.changes
    ]
    # both versions of the 2019 page stay; the latest is the canonical one
    versions = conn.execute(
        "select duplicate_of is null, fetched_at from documents where report_year = 2019 "
        "order by fetched_at"
    ).fetchall()
    assert versions == [(0, "2024-01-01T00:00:00Z"), (1, "2024-01-31T00:00:00Z")]
    after = {r[0]: r[1:] for r in _rows(db_path, "thread_status")}
    assert before != after


def test_a_killed_build_leaves_the_previous_database_serving(tmp_path):
    corpus, _ = _generated(tmp_path, countries=2)
    db_path = tmp_path / "tracker.db"
    build(str(corpus), str(db_path))
    before, digest = _all_rows(db_path), _sha(db_path)
    reader = sqlite3.connect(f"file:{db_path}?immutable=1", uri=True)  # as Datasette opens it
    count = reader.execute("select count(*) from recommendations").fetchone()[0]

    generate.store(corpus, generate.generate(10, [2020], ["mar-mines"]), day=30)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tracker", "build", "--corpus", str(corpus), "--db"]
    for phase in ("extracting", "writing"):
        proc = subprocess.Popen([*command, str(db_path)], cwd=tmp_path, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            temp = list(tmp_path.glob(".tracker.db.*.tmp"))
            caches = list((corpus / "cache").rglob("*.json"))
            if (phase == "writing" and temp) or (phase == "extracting" and len(caches) > 9):
                break
            time.sleep(0.002)
        assert proc.poll() is None, f"the build ended before it could be killed ({phase})"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _sha(db_path) == digest
        assert reader.execute("select count(*) from recommendations").fetchone()[0] == count
        conn = sqlite3.connect(db_path)
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        conn.close()
        assert _all_rows(db_path) == before
    reader.close()

    report = build(str(corpus), str(db_path))  # the next build cleans up and completes
    assert report.replaced and report.documents == 18
    assert list(tmp_path.glob(".tracker.db.*.tmp")) == []


def test_a_reader_of_the_old_file_keeps_reading_while_it_is_replaced(tmp_path):
    corpus, _ = _generated(tmp_path)
    db_path = tmp_path / "tracker.db"
    build(str(corpus), str(db_path))
    old = sqlite3.connect(f"file:{db_path}?immutable=1", uri=True)
    old_docs = old.execute("select count(*) from documents").fetchone()[0]
    generate.store(corpus, generate.generate(2, [2020], ["mar-mines"]), day=30)
    assert build(str(corpus), str(db_path)).replaced
    assert old.execute("select count(*) from documents").fetchone()[0] == old_docs
    assert old.execute("select count(*) from recommendations_fts").fetchone()[0] > 0
    old.close()
    new = sqlite3.connect(f"file:{db_path}?immutable=1", uri=True)
    assert new.execute("select count(*) from documents").fetchone()[0] == old_docs + 2
    new.close()


def test_one_build_at_a_time_and_stale_temporary_files_are_removed(tmp_path, fixtures):
    corpus = _corpus(tmp_path, fixtures)
    db_path = tmp_path / "tracker.db"
    stale = tmp_path / ".tracker.db.abc123.tmp"
    stale.write_bytes(b"left by a killed build")
    with build_mod._Lock(db_path):
        with pytest.raises(BuildFailed) as exc:
            build(str(corpus), str(db_path))
        assert str(exc.value) == f"{tmp_path}: another build is writing this database"
    assert stale.exists()
    build(str(corpus), str(db_path))
    assert not stale.exists()


def test_a_new_extractor_version_re_extracts(tmp_path, fixtures, monkeypatch):
    corpus = _corpus(tmp_path, fixtures)
    db_path = tmp_path / "tracker.db"
    build(str(corpus), str(db_path))
    monkeypatch.setattr(build_mod, "extractor_version", lambda: "9.9.9+test")
    report = build(str(corpus), str(db_path))
    assert (report.extracted, report.cached) == (2, 0)
    assert not report.changes and report.replaced  # same rows, a new extractor version
    versions = {
        r[0] for r in sqlite3.connect(db_path).execute("select extractor_version from documents")
    }
    assert versions == {"9.9.9+test"}


def test_the_cli_builds_and_reports(tmp_path, fixtures):
    from click.testing import CliRunner

    from tracker.cli import cli

    corpus = _corpus(tmp_path, fixtures)
    db_path = tmp_path / "tracker.db"
    args = ["build", "--corpus", str(corpus), "--db", str(db_path), "--workers", "2"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Built {db_path} (written): 2 documents (2 extracted, ")
    steps = r"corpus \d+\.\d\d s, start-up \d+\.\d\d s, extract \d+\.\d\d s, database \d+\.\d\d s"
    assert re.search(rf"^The build took \d+\.\d\d s \({steps}\)\.$", result.output, re.M)
    result = CliRunner().invoke(cli, args)
    assert result.output.startswith(f"Built {db_path} (unchanged): 2 documents (0 extracted, 2 ")
    summary, timing = result.output.rstrip().splitlines()
    assert summary.endswith("(corpus unchanged since the last build)")
    assert re.fullmatch(r"The build took \d+\.\d\d s \(corpus \d+\.\d\d s\)\.", timing), timing
    result = CliRunner().invoke(cli, ["build", "--corpus", str(tmp_path / "nope")])
    assert result.exit_code == 4
    missing = tmp_path / "nope"
    assert result.output == (
        f"Error: build: {missing}: corpus directory does not exist (run `tracker crawl`)\n"
    )


def test_an_incremental_build_gives_the_rows_and_changes_of_a_full_build(tmp_path, monkeypatch):
    corpus, docs = _generated(tmp_path, countries=3)
    inc, twin = tmp_path / "inc.db", tmp_path / "twin.db"
    build(str(corpus), str(inc))
    shutil.copyfile(inc, twin)
    # a new edition for two countries, a new version of a page, a document removed by hand
    generate.store(corpus, generate.generate(2, [2020], ["mar-mines"]), day=30)
    generate.store(corpus, [generate.changed(docs[5])], day=31)
    gone = hashlib.sha256(docs[9].text.encode()).hexdigest()
    for path in (corpus / "documents" / gone[:2]).glob(f"{gone}.*"):
        path.unlink()

    paths = []
    for name in ("_full", "_incremental"):
        real = getattr(build_mod, name)
        monkeypatch.setattr(
            build_mod, name, lambda *a, _n=name, _r=real: paths.append(_n) or _r(*a)
        )
    report = build(str(corpus), str(inc))
    assert paths == ["_incremental"] and (report.extracted, report.cached) == (3, 11)

    # the same corpus, built from scratch and built in full against the same previous database
    full = tmp_path / "full.db"
    build(str(corpus), str(full))
    monkeypatch.setattr(build_mod, "build_version", lambda: "another version of the code")
    twin_report = build(str(corpus), str(twin))
    assert paths == ["_incremental", "_full", "_full"]
    history = TIMED | {"changes"}
    assert _all_rows(inc, skip=history) == _all_rows(full, skip=history)
    assert _all_rows(inc, skip=history) == _all_rows(twin, skip=history)
    assert report.changes == twin_report.changes
    assert {c["kind"] for c in report.changes} >= {
        "new_document",
        "figure_revised",
        "recommendation_new",
        "status_changed",
    }
    conn = sqlite3.connect(inc)
    for table in ("recommendations", "figures", "developments", "document_pages"):
        conn.execute(f"insert into [{table}_fts] ([{table}_fts]) values ('integrity-check')")
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)


def _remove(corpus: Path, doc) -> None:
    sha = hashlib.sha256(doc.text.encode()).hexdigest()
    for path in (corpus / "documents" / sha[:2]).glob(f"{sha}.*"):
        path.unlink()


def test_incremental_changes_match_a_full_build_round_after_round(tmp_path, monkeypatch):
    """The incremental build compares only the rows a change can be in (incremental.Scope);
    each round here puts a change where a narrower comparison would miss it, and checks
    rows and changes against a full build from the same previous database."""
    years = [2017, 2018, 2019, 2020]
    corpus, docs = _generated(tmp_path, years=years, countries=3, series=("mar-cmr", "mar-mines"))
    by = {(d.country_code, d.series, d.year): d for d in docs}
    inc = tmp_path / "inc.db"
    build(str(corpus), str(inc))
    codes = sorted({d.country_code for d in docs})
    a, b, c = codes

    def later_edition_reports_an_earlier_year():
        # the 2020 edition of A, again, now also giving 2016's area released: the latest
        # edition reporting that figure was 2017's, which no changed document belongs to
        old = by[(a, "mar-cmr", 2020)]
        name = old.country
        text = old.text.replace(
            "Key Developments\n",
            f"Key Developments\n\nIn 2016, {name} released 77.7km2 of land.\n",
            1,
        )
        generate.store(corpus, [generate.GeneratedDocument(a, name, "mar-cmr", 2020, text)], 40)

    def the_latest_edition_goes():
        # figures of its year fall back to nothing, its asks are gone, statuses change
        _remove(corpus, by[(b, "mar-mines", 2020)])

    def an_old_edition_is_backfilled_and_a_country_is_new():
        generate.store(corpus, generate.generate(3, [2016], ["mar-mines"]), day=41)
        generate.store(corpus, [generate.changed(by[(c, "mar-cmr", 2018)])], day=42)
        generate.store(corpus, generate.generate(4, [2020], ["mar-cmr"])[3:], day=43)

    for change in (
        later_edition_reports_an_earlier_year,
        the_latest_edition_goes,
        an_old_edition_is_backfilled_and_a_country_is_new,
    ):
        twin = tmp_path / "twin.db"
        shutil.copyfile(inc, twin)
        change()
        with monkeypatch.context() as m:
            paths = []
            real = build_mod._incremental
            m.setattr(
                build_mod, "_incremental", lambda *a, _p=paths, _r=real: _p.append(1) or _r(*a)
            )
            report = build(str(corpus), str(inc))
            assert paths == [1], change.__name__
        with monkeypatch.context() as m:
            m.setattr(build_mod, "build_version", lambda: "another version of the code")
            twin_report = build(str(corpus), str(twin))
        history = TIMED | {"changes"}
        assert _all_rows(inc, skip=history) == _all_rows(twin, skip=history), change.__name__
        assert report.changes == twin_report.changes, change.__name__
        assert report.changes, change.__name__
        if change is later_edition_reports_an_earlier_year:
            revised = [x["detail"] for x in report.changes if x["kind"] == "figure_revised"]
            before = by[(a, "mar-cmr", 2017)].text.split(" released ")[1].split("km2")[0]
            assert [d for d in revised if d.startswith("area_released 2016:")] == [
                f"area_released 2016: {before} -> 77.7"
            ]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_broken_rule_file_fails_the_build_in_one_line_and_keeps_the_database(
    tmp_path, fixtures, monkeypatch, workers
):
    corpus = _corpus(tmp_path, fixtures)
    db_path = tmp_path / "tracker.db"
    build(str(corpus), str(db_path))
    before = _sha(db_path)
    again = tmp_path / "monitor_profile_v2.txt"  # a new version: something to extract
    again.write_text((fixtures / "monitor_profile.txt").read_text() + "\nUpdated.\n")
    added, errors = add_files([str(again)], str(corpus), url=None)
    assert added and not errors

    def broken() -> None:
        raise ValueError("topics.yml: duplicate rule ids: join-ccm")

    monkeypatch.setattr(build_mod, "warm_up", broken)
    with pytest.raises(BuildFailed) as exc:
        build(str(corpus), str(db_path), workers=workers)
    assert str(exc.value) == (
        "extractor start-up: ValueError: topics.yml: duplicate rule ids: join-ccm"
    )
    assert _sha(db_path) == before and not build_mod._temp_files(db_path)
    assert multiprocessing.active_children() == []


def _dies_on_angola(args):  # the third generated country (module level: sent to workers)
    if "Angola" in Path(args[0]).read_text():
        os._exit(9)
    return _EXTRACT_ONE(args)


_EXTRACT_ONE = build_mod._extract_one


def test_a_worker_that_dies_fails_the_build_in_one_line_and_keeps_the_database(
    tmp_path, monkeypatch
):
    """A worker process killed mid-document (out of memory, a signal) stops the build with
    a one-line error; the database and the cache of what was extracted stay."""
    corpus, _ = _generated(tmp_path)
    db_path = tmp_path / "tracker.db"
    build(str(corpus), str(db_path))
    before = _sha(db_path)
    generate.store(corpus, generate.generate(3, [2020], ["mar-mines"]), day=30)
    monkeypatch.setattr(build_mod, "_extract_one", _dies_on_angola)
    with pytest.raises(BuildFailed) as exc:
        build(str(corpus), str(db_path), workers=2)
    assert str(exc.value).startswith("extraction stopped: a worker process ended: ")
    assert "\n" not in str(exc.value)
    assert _sha(db_path) == before and not build_mod._temp_files(db_path)
    assert multiprocessing.active_children() == []
    monkeypatch.undo()
    report = build(str(corpus), str(db_path), workers=2)  # the next build completes
    assert report.replaced and report.extracted >= 1 and not report.failed


def _unsendable_for_angola(args):
    if "Angola" in Path(args[0]).read_text():
        return {"figures": [lambda: None]}, None  # a result that cannot be pickled back
    return _EXTRACT_ONE(args)


def test_with_workers_a_result_that_cannot_come_back_fails_its_document_only(tmp_path, monkeypatch):
    corpus, _ = _generated(tmp_path, years=(2020,), countries=3)
    monkeypatch.setattr(build_mod, "_extract_one", _unsendable_for_angola)
    report = build(str(corpus), str(tmp_path / "tracker.db"), workers=2)
    assert report.replaced and report.extracted == 2
    [(url, error)] = report.failed
    assert "angola" in url and error.startswith("AttributeError: Can't pickle local object")


def test_with_workers_a_build_with_nothing_to_extract_leaves_no_process(tmp_path):
    """No worker process is left behind by a build with workers: one that extracted,
    one whose corpus is unchanged, one whose every document is in the extraction cache."""
    corpus, _ = _generated(tmp_path)
    db_path = tmp_path / "tracker.db"
    assert build(str(corpus), str(db_path), workers=2).extracted == 8
    assert multiprocessing.active_children() == []
    unchanged = build(str(corpus), str(db_path), workers=2)
    assert unchanged.unchanged and "start-up" not in unchanged.seconds
    assert multiprocessing.active_children() == []
    cached = build(str(corpus), str(tmp_path / "other.db"), workers=2)
    assert (cached.extracted, cached.cached) == (0, 8)
    assert multiprocessing.active_children() == []


def test_a_build_never_replaces_a_file_that_is_not_its_database(tmp_path, fixtures):
    corpus = _corpus(tmp_path, fixtures)
    notes = tmp_path / "README.md"
    notes.write_text("# not a database\n")
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["things"].insert({"a": 1})
    for target in (notes, other):
        before = _sha(target)
        with pytest.raises(BuildFailed) as exc:
            build(str(corpus), str(target))
        assert str(exc.value) == (
            f"{target}: exists and is not a tracker database; not replacing it "
            "(give another --db path, or move the file away)"
        )
        assert _sha(target) == before
    with pytest.raises(BuildFailed) as exc:
        build(str(corpus), str(notes / "tracker.db"))
    assert str(exc.value) == f"{notes}: cannot make the database's directory: File exists"
    with pytest.raises(BuildFailed) as exc:
        build(str(corpus), str(tmp_path))
    assert str(exc.value) == f"{tmp_path}: is a directory, not a database file"
    empty = tmp_path / "empty.db"
    empty.touch()  # an empty file is free to use
    assert build(str(corpus), str(empty)).replaced
    assert build(str(corpus), str(empty)).unchanged  # and then it is the tracker's database


def test_an_unreadable_sidecar_is_named_and_the_build_goes_on(tmp_path, fixtures):
    from click.testing import CliRunner

    from tracker.cli import cli

    corpus = _corpus(tmp_path, fixtures)
    sidecar = sorted((corpus / "documents").glob("*/*.json"))[0]
    sidecar.write_text("{ cut short")
    db_path = tmp_path / "tracker.db"
    args = ["build", "--corpus", str(corpus), "--db", str(db_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert errors == [
        f"Error: {sidecar}: unreadable sidecar (Expecting property name enclosed in double "
        "quotes: line 1 column 3 (char 2))"
    ]
    assert "1 documents (1 extracted" in result.stdout
    assert "; 1 unreadable sidecars left out" in result.stdout


def test_an_extraction_cache_that_cannot_be_written_is_a_warning(tmp_path, fixtures):
    from click.testing import CliRunner

    from tracker.cli import cli

    corpus = _corpus(tmp_path, fixtures)
    (corpus / "cache").write_text("a file where the cache directory goes")
    db_path = tmp_path / "tracker.db"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    [warning] = result.stderr.splitlines()
    assert warning.startswith(f"Warning: {corpus / 'cache'}")
    assert warning.endswith(
        ": cannot write the extraction cache (Not a directory); built without it"
    )
    assert "2 documents (2 extracted, 0 cached, 0 failed)" in result.stdout


def test_a_document_file_gone_from_under_its_sidecar_is_a_named_failure(tmp_path, fixtures):
    corpus = _corpus(tmp_path, fixtures)
    stored = sorted(p for p in (corpus / "documents").glob("*/*") if p.suffix != ".json")[0]
    stored.unlink()
    report = build(str(corpus), str(tmp_path / "tracker.db"))
    assert report.replaced and report.extracted == 1
    assert [error for _, error in report.failed] == [f"stored document missing: {stored}"]
