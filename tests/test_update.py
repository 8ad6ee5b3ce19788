"""`tracker update` on the sample site, edited between runs (a new edition appears)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from tracker.demo import demo_sources
from tracker.report import excerpt
from tracker.sample_site.content import load as load_content
from tracker.settings import CrawlSettings
from tracker.update import UpdateLock, format_report, run_update

from .net import free_port, wait_until_serving

NAMES = ["mine-action-review", "wayback"]
DATA_TABLES = (
    "documents",
    "figures",
    "recommendations",
    "recommendation_topics",
    "developments",
    "threads",
    "thread_status",
    "changes",
)
COUNTRY_CODES = {"cambodia": "KHM", "lao-peoples-democratic-republic": "LAO", "lebanon": "LBN"}


def _settings() -> CrawlSettings:
    return CrawlSettings(delay=0.0, retries=1, backoff=0.05, timeout=10)


def _update(site, tmp_path, **kwargs):
    return run_update(
        str(tmp_path / "corpus"),
        str(tmp_path / "tracker.db"),
        demo_sources(site.url),
        NAMES,
        _settings(),
        **kwargs,
    )


def _update_command(site, tmp_path) -> list[str]:
    """`tracker update` of the sample site, as a scheduler would run it."""
    corpus, db = str(tmp_path / "corpus"), str(tmp_path / "tracker.db")
    return [
        sys.executable,
        "-m",
        "tracker",
        "update",
        "--source",
        "mine-action-review",
        "--base-url",
        site.url,
        "--corpus",
        corpus,
        "--db",
        db,
        "--delay",
        "0",
    ]


def _rows(db_path, table):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"select * from [{table}] order by 1").fetchall()
    finally:
        conn.close()


@pytest.fixture
def site():
    from tracker.sample_site.server import SampleSite

    with SampleSite(current_edition=2023) as running:
        yield running


def test_first_update_ingests_everything_and_logs_the_run(site, tmp_path):
    report = _update(site, tmp_path)
    assert report.outcome == "completed" and report.exit_code == 0, report.error
    assert len(report.new_documents) > 0 and report.new_recommendations
    assert report.failures == []
    conn = sqlite3.connect(tmp_path / "corpus" / "crawl.db")
    runs = conn.execute("select outcome, exit_code from update_runs").fetchall()
    assert runs == [("completed", 0)]
    years = {r[0] for r in _rows(tmp_path / "tracker.db", "documents") if r}
    assert years


def test_unchanged_second_update_reports_nothing_and_changes_no_rows(site, tmp_path):
    _update(site, tmp_path)
    before = {t: _rows(tmp_path / "tracker.db", t) for t in DATA_TABLES}
    report = _update(site, tmp_path)
    assert report.outcome == "completed"
    assert not report.changed
    assert "nothing new" in format_report(report)
    assert {t: _rows(tmp_path / "tracker.db", t) for t in DATA_TABLES} == before


def _expected_2024_changes() -> set[tuple[str, str, str, str]]:
    """From the sample site's designed chains: what the 2024 edition should change."""
    expected = set()
    for chain in load_content().chains:
        code = COUNTRY_CODES[chain.country]
        resolved_before = chain.outcome in ("implemented", "dropped") and chain.year == 2023
        if resolved_before:
            continue
        if chain.outcome in ("implemented", "dropped") and chain.year == 2024:
            status = chain.outcome
        elif chain.outcome == "new" and chain.year == 2024:
            status = "new"
        else:
            status = "repeated"
        expected.add((code, chain.series, chain.topic, status))
    return expected


def test_a_new_edition_produces_exactly_the_designed_status_changes(site, tmp_path):
    _update(site, tmp_path)
    site.current_edition = 2024
    report = _update(site, tmp_path)
    assert report.outcome == "completed", report.error
    assert report.new_documents and report.new_recommendations
    got = {
        (c["country_code"], c["series"], c["topic"], c["status"])
        for c in report.status_changes
        if c["report_year"] == 2024
    }
    assert got == _expected_2024_changes()
    implemented = [c for c in report.status_changes if c["status"] == "implemented"]
    assert implemented and all(c["evidence"] and c["evidence"]["sentence"] for c in implemented)
    text = format_report(report)
    for change in implemented:  # a long sentence is shown around its date, as in `status`
        assert f'evidence: "{excerpt(change["evidence"]["sentence"], 90)}"' in text


def test_a_source_failing_mid_run_keeps_the_previous_database_and_reports_it(
    site, tmp_path, monkeypatch
):
    _update(site, tmp_path)
    before = {t: _rows(tmp_path / "tracker.db", t) for t in DATA_TABLES}
    original = site.respond

    def failing(target):
        if "/country/lebanon" in target or target.endswith(".pdf"):
            from tracker.sample_site.server import Response

            return Response(500, b"server error", "text/plain")
        return original(target)

    monkeypatch.setattr(site, "respond", failing)
    report = _update(site, tmp_path)
    assert report.outcome == "completed"
    assert report.failures and all("500" in f["error"] for f in report.failures)
    assert any("/country/lebanon" in f["url"] for f in report.failures)
    assert "failures: " in format_report(report)
    assert {t: _rows(tmp_path / "tracker.db", t) for t in DATA_TABLES} == before


def test_a_concurrent_update_exits_with_its_code(site, tmp_path):
    lock = UpdateLock(tmp_path / "corpus")
    lock.acquire()
    try:
        result = subprocess.run(
            _update_command(site, tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        lock.release()
    assert result.returncode == 5
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("Error: update: another update is running on this corpus (pid ")
    )


def test_a_stale_lock_from_a_killed_run_is_cleared(site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / ".update.lock").write_text("999999 2026-01-01T00:00:00Z\n")
    report = _update(site, tmp_path)
    assert report.outcome == "completed"
    assert report.stale_lock_cleared == "stale lock of pid 999999 cleared"


def test_no_reachable_source_exits_3_and_keeps_the_database(site, tmp_path):
    _update(site, tmp_path)
    before = {t: _rows(tmp_path / "tracker.db", t) for t in DATA_TABLES}
    url = site.url
    site.stop()
    report = run_update(
        str(tmp_path / "corpus"),
        str(tmp_path / "tracker.db"),
        demo_sources(url),
        NAMES,
        _settings(),
    )
    assert report.outcome == "unreachable" and report.exit_code == 3
    assert {t: _rows(tmp_path / "tracker.db", t) for t in DATA_TABLES} == before


def test_an_update_never_writes_into_a_file_that_is_not_its_database(tmp_path):
    notes = tmp_path / "README.md"  # a mistyped --db
    notes.write_text("# notes, not a database\n")
    unreachable = f"http://127.0.0.1:{free_port()}"
    report = run_update(
        str(tmp_path / "corpus"), str(notes), demo_sources(unreachable), NAMES, _settings()
    )
    assert report.outcome == "unreachable" and report.exit_code == 3
    assert notes.read_text() == "# notes, not a database\n"


def test_every_run_is_logged_in_the_database_and_shown_as_last_updated(site, tmp_path):
    import asyncio

    from tracker.serve import make_datasette

    _update(site, tmp_path)
    second = _update(site, tmp_path)
    runs = _rows(tmp_path / "tracker.db", "update_runs")
    assert [r[3] for r in runs] == ["completed", "completed"]  # outcome column
    assert runs[-1][2] == second.finished

    async def home():
        return await make_datasette(str(tmp_path / "tracker.db")).client.get("/")

    page = asyncio.run(home())
    assert page.status_code == 200
    assert f'Last updated <time datetime="{second.finished}">' in page.text


def test_the_status_feed_shows_the_new_editions_changes(site, tmp_path):
    import asyncio
    import xml.etree.ElementTree as ET

    from tracker.serve import make_datasette

    _update(site, tmp_path)
    site.current_edition = 2024
    _update(site, tmp_path)

    async def feed():
        ds = make_datasette(str(tmp_path / "tracker.db"))
        return await ds.client.get("/tracker/feed_status_changes.atom?country=")

    response = asyncio.run(feed())
    assert response.status_code == 200
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(response.text).findall("a:entry", ns)
    titles = {
        e.find("a:title", ns).text for e in entries if "(2024 edition" in e.find("a:title", ns).text
    }
    expected = {
        (code, topic, status)
        for code, _, topic, status in _expected_2024_changes()
        if status in ("implemented", "dropped")
    }
    names = {"KHM": "Cambodia", "LAO": "Lao PDR", "LBN": "Lebanon"}
    got = set()
    for title in titles:
        for code, topic, status in expected:
            if title.startswith(
                f"{names[code]}: {topic.replace('_', ' ')} recommendation {status}"
            ):
                got.add((code, topic, status))
    assert got == expected
    assert len(titles) == len(expected)


def test_datasette_answers_every_request_while_an_update_swaps_the_database(site, tmp_path):
    import threading

    import httpx

    _update(site, tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tracker",
            "serve",
            "--db",
            str(tmp_path / "tracker.db"),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{base}/tracker.json", server)
        statuses: list[int | str] = []
        stop = threading.Event()

        def hammer():
            paths = [
                "/tracker/recommendations.json?_size=5",
                "/tracker/figures.json?_size=5",
                "/tracker/threads.json?_size=5",
                "/",
            ]
            with httpx.Client(timeout=10) as client:
                for i in range(5000):  # bounded, and stopped when the update is done
                    if stop.is_set():
                        break
                    try:
                        statuses.append(client.get(base + paths[i % len(paths)]).status_code)
                    except httpx.HTTPError as exc:
                        statuses.append(type(exc).__name__)

        worker = threading.Thread(target=hammer)
        worker.start()
        site.current_edition = 2024
        report = _update(site, tmp_path)
        stop.set()
        worker.join(timeout=30)
        assert report.outcome == "completed" and report.database_replaced
        assert statuses and all(s == 200 for s in statuses), sorted(set(map(str, statuses)))
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_change_report_is_posted_to_the_webhook(site, tmp_path, httpserver):
    import json

    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    report = _update(site, tmp_path, notify=httpserver.url_for("/hook"))
    assert report.notification == "sent"
    ((request, _),) = httpserver.log
    body = json.loads(request.data)
    assert body["outcome"] == "completed" and body["changed"] is True
    assert len(body["new_documents"]) == len(report.new_documents)


def test_a_failing_webhook_never_fails_the_update(site, tmp_path, httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_data("down", status=503)
    report = _update(site, tmp_path, notify=httpserver.url_for("/hook"))
    assert report.outcome == "completed" and report.exit_code == 0
    assert report.notification == "failed: HTTP 503"
    assert len(httpserver.log) == 3  # bounded retries


def test_update_json_output_and_exit_code_from_the_command_line(site, tmp_path):
    import json

    result = subprocess.run(
        [*_update_command(site, tmp_path), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["outcome"] == "completed" and report["exit_code"] == 0
    assert report["new_documents"] and report["changed"] is True
