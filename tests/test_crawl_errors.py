"""What goes wrong on the wire, against real servers on 127.0.0.1 (pytest-httpserver)."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time

import pytest
from werkzeug import Response

from tracker.corpus import Corpus
from tracker.crawl import CrawlReport, run
from tracker.errors import SourceUnreachable
from tracker.fetch import _retry_after
from tracker.settings import CrawlSettings
from tracker.sources import Source, load_sources

from .mirror import Mirror, country_page
from .net import free_port
from .test_crawl import FAST, stored

PAGE = country_page("chad")


@pytest.fixture
def server(httpserver):
    httpserver.no_handler_status_code = 404  # robots.txt absent: everything allowed
    return httpserver


def mar_at(base_url: str, *paths: str) -> Source:
    source = load_sources()["mine-action-review"].with_base_url(base_url)
    source.countries = []
    source.seeds = list(paths)
    return source


def crawl(tmp_path, server, *paths: str, **settings) -> CrawlReport:
    source = mar_at(server.url_for("/").rstrip("/"), *paths)
    settings = CrawlSettings(**{**FAST, **settings})
    return run(str(tmp_path), {source.name: source}, [source.name], settings)


def fetch_rows(tmp_path) -> list[dict]:
    return list(Corpus(tmp_path).state_db()["fetches"].rows)


def requested(server) -> list[str]:
    return [request.path for request, _ in server.log]


# -- robots.txt ------------------------------------------------------------------------------


def test_robots_txt_disallow_is_obeyed_and_recorded(tmp_path, server):
    robots = "User-agent: *\nDisallow: /country/chad\n"
    server.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    server.expect_request("/country/chad").respond_with_data(PAGE, content_type="text/html")
    server.expect_request("/country/cambodia").respond_with_data(
        country_page("cambodia"), content_type="text/html"
    )
    report = crawl(tmp_path, server, "/country/chad", "/country/cambodia")
    assert "/country/chad" not in requested(server)
    assert report.counts == {"skipped": 1, "new": 1}
    skipped = [r for r in fetch_rows(tmp_path) if r["outcome"] == "skipped"]
    assert skipped[0]["url"].endswith("/country/chad")
    assert skipped[0]["error"] == "disallowed by robots.txt"
    assert report.summary().endswith(", 1 disallowed by robots.txt")


def test_a_failing_robots_txt_keeps_the_crawler_off_the_host(tmp_path, server):
    server.expect_request("/robots.txt").respond_with_data("busy", status=503)
    server.expect_request("/country/chad").respond_with_data(PAGE, content_type="text/html")
    report = crawl(tmp_path, server, "/country/chad")
    assert requested(server) == ["/robots.txt"]
    assert report.failures == [
        (server.url_for("/country/chad"), "robots.txt unavailable (HTTP 503)")
    ]


def test_robots_crawl_delay_slows_the_crawler_down(tmp_path):
    pages = {"/country/a": country_page("a"), "/country/b": country_page("b")}
    with Mirror(pages, robots="User-agent: *\nCrawl-delay: 0.3\n") as site:
        source = mar_at(site.url, "/country/a", "/country/b")
        run(str(tmp_path), {source.name: source}, [source.name], CrawlSettings(**FAST))
    starts = sorted(s.started for s in site.seen if s.path != "/robots.txt")
    assert starts[1] - starts[0] >= 0.25


# -- retries ---------------------------------------------------------------------------------


def test_a_500_then_a_success_is_stored_once(tmp_path, server):
    server.expect_oneshot_request("/country/chad").respond_with_data("oops", status=500)
    server.expect_request("/country/chad").respond_with_data(PAGE, content_type="text/html")
    report = crawl(tmp_path, server, "/country/chad")
    assert requested(server).count("/country/chad") == 2
    assert report.counts == {"new": 1}
    assert [r["outcome"] for r in fetch_rows(tmp_path)] == ["new"]


def test_a_url_failing_every_time_is_recorded_and_the_run_goes_on(tmp_path, server):
    server.expect_request("/country/chad").respond_with_data("oops", status=502)
    server.expect_request("/country/cambodia").respond_with_data(PAGE, content_type="text/html")
    report = crawl(tmp_path, server, "/country/chad", "/country/cambodia", retries=2)
    assert requested(server).count("/country/chad") == 3
    assert report.failures == [(server.url_for("/country/chad"), "HTTP 502 (after 3 attempts)")]
    assert report.counts == {"failed": 1, "new": 1}
    state = Corpus(tmp_path).state_db()["url_state"].get(server.url_for("/country/chad"))
    assert (state["outcome"], state["error"]) == ("failed", "HTTP 502 (after 3 attempts)")


def test_a_429_waits_as_long_as_retry_after_says(tmp_path, server):
    server.expect_oneshot_request("/country/chad").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    server.expect_request("/country/chad").respond_with_data(PAGE, content_type="text/html")
    started = time.monotonic()
    report = crawl(tmp_path, server, "/country/chad", backoff=0.01)
    assert 0.95 <= time.monotonic() - started < 5
    assert report.counts == {"new": 1}


def test_a_retry_after_beyond_the_cap_waits_only_the_cap(tmp_path, server):
    server.expect_oneshot_request("/country/chad").respond_with_data(
        "come back tomorrow", status=429, headers={"Retry-After": "86400"}
    )
    server.expect_request("/country/chad").respond_with_data(PAGE, content_type="text/html")
    started = time.monotonic()
    report = crawl(tmp_path, server, "/country/chad", max_retry_after=0.2)
    assert time.monotonic() - started < 3
    assert report.counts == {"new": 1}


def test_retry_after_as_an_http_date():
    assert _retry_after("120") == 120.0
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert _retry_after("soon") is None


def test_a_timeout_is_recorded_as_failed(tmp_path, server):
    release = threading.Event()

    def never_in_time(request):
        release.wait(3)
        return Response(PAGE, content_type="text/html")

    server.expect_request("/country/chad").respond_with_handler(never_in_time)
    try:
        report = crawl(tmp_path, server, "/country/chad", timeout=0.3, retries=0)
    finally:
        release.set()
        deadline = time.monotonic() + 5  # let the server finish: no late entry in the log
        while "/country/chad" not in requested(server) and time.monotonic() < deadline:
            time.sleep(0.01)
    assert report.failures == [(server.url_for("/country/chad"), "timed out (after 1 attempts)")]


# -- limits ----------------------------------------------------------------------------------


def test_a_redirect_to_another_host_is_refused(tmp_path, server):
    elsewhere = f"http://127.0.0.1:{server.port}/country/chad"  # same server, another host
    server.expect_request("/country/chad").respond_with_data(
        "", status=302, headers={"Location": elsewhere}
    )
    report = crawl(tmp_path, server, "/country/chad")
    assert report.failures == [
        (server.url_for("/country/chad"), f"redirect to another host refused: {elsewhere}")
    ]
    assert [r.host for r, _ in server.log] == [f"localhost:{server.port}"] * 2


def test_a_redirect_within_the_host_is_followed_and_the_final_url_kept(tmp_path, server):
    server.expect_request("/country/old-name").respond_with_data(
        "", status=301, headers={"Location": "/country/chad"}
    )
    server.expect_request("/country/chad").respond_with_data(PAGE, content_type="text/html")
    crawl(tmp_path, server, "/country/old-name")
    (version,) = stored(tmp_path)[server.url_for("/country/old-name")]
    assert version["final_url"] == server.url_for("/country/chad")


def test_a_redirect_loop_stops(tmp_path, server):
    server.expect_request("/country/chad").respond_with_data(
        "", status=302, headers={"Location": "/country/chad"}
    )
    report = crawl(tmp_path, server, "/country/chad", max_redirects=2)
    assert report.failures[0][1] == "too many redirects (more than 2)"
    assert requested(server).count("/country/chad") == 3


def test_a_wrong_content_type_is_refused(tmp_path, server):
    server.expect_request("/country/chad").respond_with_data(b"\x89PNG", content_type="image/png")
    report = crawl(tmp_path, server, "/country/chad")
    assert report.failures[0][1] == "content type 'image/png' not allowed"
    assert not (tmp_path / "documents").exists()


def test_an_oversized_body_is_refused_by_its_declared_length(tmp_path, server):
    server.expect_request("/country/chad").respond_with_data(b"x" * 5000, content_type="text/html")
    report = crawl(tmp_path, server, "/country/chad", max_bytes=1000)
    assert report.failures[0][1] == "body too large (5000 bytes declared, limit 1000)"


def test_an_oversized_body_without_a_length_is_cut_off_while_streaming(tmp_path, server):
    def endless():
        for _ in range(1000):
            yield b"<p>more</p>" * 100

    server.expect_request("/country/chad").respond_with_response(
        Response(endless(), content_type="text/html")
    )
    report = crawl(tmp_path, server, "/country/chad", max_bytes=10_000)
    assert report.failures[0][1] == "body too large (over 10000 bytes)"


def test_a_gzip_bomb_is_refused_after_decompression(tmp_path, server):
    bomb = gzip.compress(b"\0" * (8 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 20_000
    server.expect_request("/country/chad").respond_with_data(
        bomb, content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    report = crawl(tmp_path, server, "/country/chad", max_bytes=1024 * 1024)
    assert report.failures[0][1] == "body too large (over 1048576 bytes after decompression)"


def test_a_gzipped_page_is_stored_as_the_page(tmp_path, server):
    server.expect_request("/country/chad").respond_with_data(
        gzip.compress(PAGE), content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    crawl(tmp_path, server, "/country/chad")
    (version,) = stored(tmp_path)[server.url_for("/country/chad")]
    assert version["sha256"] == hashlib.sha256(PAGE).hexdigest()
    assert (tmp_path / version["path"]).read_bytes() == PAGE


def test_a_body_cut_short_is_recorded_as_failed(tmp_path):
    with Mirror({"/country/chad": PAGE}, short={"/country/chad"}) as site:
        source = mar_at(site.url, "/country/chad")
        report = run(
            str(tmp_path),
            {source.name: source},
            [source.name],
            CrawlSettings(**{**FAST, "retries": 1}),
        )
    ((url, error),) = report.failures
    assert error.startswith("body cut short: ")
    assert error.endswith("(after 2 attempts)")
    assert not (tmp_path / "documents").exists()


def test_a_missing_page_is_recorded_but_is_not_a_failure(tmp_path, server):
    report = crawl(tmp_path, server, "/country/atlantis")
    assert report.counts == {"missing": 1}
    assert report.failures == []
    assert fetch_rows(tmp_path)[0]["status"] == 404


# -- hosts that never answer -----------------------------------------------------------------


def test_an_unreachable_source_does_not_stop_a_reachable_one(tmp_path, server):
    server.expect_request("/country/chad").respond_with_data(PAGE, content_type="text/html")
    mar = mar_at(server.url_for("/").rstrip("/"), "/country/chad")
    monitor = load_sources()["monitor"].with_base_url(f"http://127.0.0.1:{free_port()}")
    monitor.countries = ["chad", "lebanon"]
    report = run(
        str(tmp_path),
        {"mine-action-review": mar, "monitor": monitor},
        ["mine-action-review", "monitor"],
        CrawlSettings(**FAST),
    )
    assert report.counts["new"] == 1
    assert report.counts["failed"] >= 1
    assert report.counts["failed"] + report.counts["not_tried"] == 2 * 9 * 2 + 2
    assert report.unreachable == [monitor.host]
    assert all("could not reach 127.0.0.1" in e for _, e in report.failures)


def test_nothing_reachable_raises_and_records_the_run(tmp_path):
    source = mar_at(f"http://127.0.0.1:{free_port()}", "/")
    with pytest.raises(SourceUnreachable, match=r"^could not reach any source: 127\.0\.0\.1:"):
        run(str(tmp_path), {source.name: source}, [source.name], CrawlSettings(**FAST))
    (row,) = Corpus(tmp_path).state_db()["crawl_runs"].rows
    assert row["outcome"] == "unreachable"
