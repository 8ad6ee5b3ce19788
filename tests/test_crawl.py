"""The crawler against real HTTP servers on 127.0.0.1: discovery, versions, history, pace.

Failure handling is in test_crawl_errors.py, the command line in test_crawl_cli.py.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tracker.corpus import Corpus
from tracker.crawl import CrawlReport, run
from tracker.discover import normalise_url, parse_cdx
from tracker.fetch import HostGate
from tracker.settings import CrawlSettings
from tracker.sources import Source, load_sources

from .mirror import Mirror, country_page, etag_of

FAST = {"delay": 0.0, "retries": 2, "backoff": 0.01, "timeout": 5.0}
PDF = b"%PDF-1.4\n% a report\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
DOWNLOAD = (
    "Click here to download the full \u201cClearing the Mines 2023\u201d report for Cambodia."
)


def mar(base_url: str, countries: list[str] | None = None) -> Source:
    """The real Mine Action Review definition (sources.yml) pointed at a local server."""
    source = load_sources()["mine-action-review"].with_base_url(base_url)
    source.countries = list(countries or [])
    return source


def wayback(base_url: str) -> Source:
    return load_sources()["wayback"].with_base_url(base_url)


def crawl(corpus: Path, sources: list[Source], **settings) -> CrawlReport:
    return run(
        str(corpus),
        {s.name: s for s in sources},
        [s.name for s in sources],
        CrawlSettings(**{**FAST, **settings}),
    )


def stored(corpus: Path) -> dict[str, list[dict]]:
    """url -> its stored versions' sidecars, oldest first."""
    out: dict[str, list[dict]] = {}
    for side in sorted((corpus / "documents").glob("*/*.json")):
        data = json.loads(side.read_text())
        out.setdefault(data["url"], []).append(data)
    for versions in out.values():
        versions.sort(key=lambda d: d["fetched_at"])
    return out


def table(corpus: Path, name: str) -> list[dict]:
    db = Corpus(corpus).state_db()
    return list(db[name].rows)


def small_site() -> dict[str, bytes | tuple[bytes, str]]:
    pdf_link = ("/assets/downloads/903_Cambodia_Clearing_the_Mines_2023.pdf", DOWNLOAD)
    return {
        "/": country_page(
            "home",
            [
                ("/country/cambodia", "Cambodia"),
                ("/about-us", "About us"),
                ("https://twitter.com/minereview", "Follow us"),
            ],
        ),
        "/country/cambodia": country_page(
            "cambodia",
            [("/country/cambodia/anti-personnel-mines", "Anti-personnel mines"), pdf_link],
        ),
        "/country/cambodia/anti-personnel-mines": country_page(
            "cambodia mines", [("/country/cambodia#top", "Cluster munition remnants")]
        ),
        "/assets/downloads/903_Cambodia_Clearing_the_Mines_2023.pdf": (PDF, "application/pdf"),
        "/about-us": country_page("about"),
    }


# -- discovery ---------------------------------------------------------------------------


def test_both_tabs_and_the_linked_pdf_are_discovered_and_stored(tmp_path):
    with Mirror(small_site()) as site:
        report = crawl(tmp_path, [mar(site.url)])
    urls = set(stored(tmp_path))
    assert urls == {
        f"{site.url}/",
        f"{site.url}/country/cambodia",
        f"{site.url}/country/cambodia/anti-personnel-mines",
        f"{site.url}/assets/downloads/903_Cambodia_Clearing_the_Mines_2023.pdf",
    }
    pdf = stored(tmp_path)[f"{site.url}/assets/downloads/903_Cambodia_Clearing_the_Mines_2023.pdf"]
    assert pdf[0]["content_type"] == "application/pdf"
    assert "/about-us" not in [s.path for s in site.seen]  # not a country page, not a report
    assert report.counts == {"new": 4}
    assert report.failures == []


def test_a_pdf_is_followed_by_its_link_text_wherever_it_lives(tmp_path):
    pages = {
        "/": country_page("home", [("/files/report-2019.pdf", DOWNLOAD), ("/x.pdf", "Logo")]),
        "/files/report-2019.pdf": (PDF, "application/pdf"),
        "/x.pdf": (PDF + b"logo", "application/pdf"),
    }
    with Mirror(pages) as site:
        crawl(tmp_path, [mar(site.url)])
    assert set(stored(tmp_path)) == {f"{site.url}/", f"{site.url}/files/report-2019.pdf"}


def test_the_shipped_country_list_is_crawled_on_both_tabs(tmp_path):
    pages = {
        "/country/lebanon": country_page("lebanon"),
        "/country/lebanon/anti-personnel-mines": country_page("lebanon mines"),
    }
    with Mirror(pages) as site:
        report = crawl(tmp_path, [mar(site.url, ["lebanon"])])
    assert set(stored(tmp_path)) == {
        f"{site.url}/country/lebanon",
        f"{site.url}{'/country/lebanon/anti-personnel-mines'}",
    }
    assert report.counts == {"new": 2, "missing": 1}  # "/" (the seed) is absent here


def test_one_page_spelt_many_ways_is_fetched_once(tmp_path):
    pages = {"/": b"", "/country/chad": country_page("chad")}
    with Mirror(pages) as site:
        port = site.url.rsplit(":", 1)[1]
        pages["/"] = country_page(
            "home",
            [
                ("/country/chad", "Chad"),
                ("/country/chad/", "Chad again"),
                ("/country/chad#recommendations", "Chad's recommendations"),
                (f"HTTP://127.0.0.1:{port}//country/chad", "Chad, shouted"),
            ],
        )
        crawl(tmp_path, [mar(site.url)])
    assert len(site.requests_to("/country/chad")) == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "http://mineactionreview.org/country/chad/",
            "https://www.mineactionreview.org/country/chad",
        ),
        (
            "https://WWW.MineActionReview.org/country/chad#top",
            "https://www.mineactionreview.org/country/chad",
        ),
        (
            "https://www.mineactionreview.org:443/country//chad",
            "https://www.mineactionreview.org/country/chad",
        ),
        ("https://www.mineactionreview.org/?b=2&a=1", "https://www.mineactionreview.org/?a=1&b=2"),
        ("https://www.mineactionreview.org", "https://www.mineactionreview.org/"),
        (
            "https://archives2.the-monitor.org/en-gb/reports/2016/chad/mine-action.aspx",
            "https://archives2.the-monitor.org/en-gb/reports/2016/chad/mine-action.aspx",
        ),
    ],
)
def test_normalise_url(url, expected):
    source = load_sources()["mine-action-review"]
    from tracker.discover import canonical_hosts

    assert normalise_url(url, canonical_hosts(source)) == expected


def test_a_mirror_of_the_real_site_rewrites_links_to_the_real_host(tmp_path):
    pages = {
        "/": country_page("home", [("https://www.mineactionreview.org/country/chad", "Chad")]),
        "/country/chad": country_page("chad"),
    }
    with Mirror(pages) as site:
        crawl(tmp_path, [mar(site.url)])
    assert f"{site.url}/country/chad" in stored(tmp_path)


# -- versions ----------------------------------------------------------------------------


def test_a_second_crawl_sends_conditional_requests_and_a_304_stores_nothing(tmp_path):
    with Mirror(small_site()) as site:
        crawl(tmp_path, [mar(site.url)])
        site.seen.clear()
        report = crawl(tmp_path, [mar(site.url)])
    page = site.requests_to("/country/cambodia")[0]
    assert page.headers["If-None-Match"] == etag_of(small_site()["/country/cambodia"])
    assert page.headers["If-Modified-Since"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert page.status == 304
    assert report.counts == {"not_modified": 4}
    assert report.stored == 0
    assert sum(len(v) for v in stored(tmp_path).values()) == 4


def test_a_changed_page_is_a_new_version_and_the_old_one_stays(tmp_path):
    pages = small_site()
    with Mirror(pages) as site:
        crawl(tmp_path, [mar(site.url)])
        old = pages["/country/cambodia"]
        pages["/country/cambodia"] = old.replace(b"was released", b"was cleared")
        report = crawl(tmp_path, [mar(site.url)])
    versions = stored(tmp_path)[f"{site.url}/country/cambodia"]
    assert [v["etag"] for v in versions] == [etag_of(old), etag_of(pages["/country/cambodia"])]
    for version in versions:
        assert (tmp_path / version["path"]).exists()
    assert (tmp_path / versions[0]["path"]).read_bytes() == old
    assert report.counts == {"changed": 1, "not_modified": 3}
    assert report.stored == 1


def test_a_change_of_page_furniture_only_is_not_a_new_version(tmp_path):
    pages = small_site()
    with Mirror(pages) as site:
        crawl(tmp_path, [mar(site.url)])
        pages["/country/cambodia"] = pages["/country/cambodia"].replace(
            b"<footer>Mine Action Review</footer>", b"<footer>Mine Action Review 2025</footer>"
        )
        report = crawl(tmp_path, [mar(site.url)])
        third = crawl(tmp_path, [mar(site.url)])
    assert len(stored(tmp_path)[f"{site.url}/country/cambodia"]) == 1
    assert report.counts == {"unchanged": 1, "not_modified": 3}
    # the new ETag is remembered, so the next crawl gets a 304
    assert third.counts == {"not_modified": 4}


def test_a_second_crawl_of_an_unchanged_site_fetches_nothing_new_and_changes_no_row(tmp_path):
    def snapshot() -> dict:
        files = {
            str(p.relative_to(tmp_path)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(tmp_path.rglob("*"))
            if p.is_file() and p.parent != tmp_path  # documents/, not crawl.db
        }
        manifest = tmp_path / "manifest.json"
        return {
            "files": files,
            "manifest": (manifest.read_bytes(), manifest.stat().st_mtime_ns),
            "url_state": table(tmp_path, "url_state"),
        }

    with Mirror(small_site()) as site:
        cdx = _fake_cdx(site, [])
        first = crawl(tmp_path, [mar(site.url), wayback(site.url)])
        before = snapshot()
        runs_before = table(tmp_path, "crawl_runs")
        second = crawl(tmp_path, [mar(site.url), wayback(site.url)])
        after = snapshot()
    assert first.counts["new"] == 4 + len(cdx)
    assert after == before
    assert table(tmp_path, "crawl_runs")[: len(runs_before)] == runs_before
    last = table(tmp_path, "crawl_runs")[-1]
    assert (last["new"], last["changed"], last["unchanged"], last["failed"]) == (0, 0, 0, 0)
    assert last["not_modified"] == 4 and last["outcome"] == "completed"
    assert second.stored == 0
    assert second.counts == {"not_modified": 4, "listed": 3, "known": len(cdx)}
    outcomes = {r["outcome"] for r in table(tmp_path, "fetches") if r["run_id"] == last["id"]}
    assert outcomes == {"not_modified", "listed"}


# -- history from the Internet Archive -------------------------------------------------------


def _fake_cdx(
    site: Mirror, extra_rows: list[list[str]], archive: Mirror | None = None
) -> list[str]:
    """A fake Wayback Machine on ``archive`` (default: the site's own server): CDX listings
    of the site's three HTML pages, two snapshots of /country/cambodia. Returns the
    snapshot paths."""
    archive = archive or site
    original = "http://www.mineactionreview.org/country/cambodia/"
    rows = [
        ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"],
        [
            "org,mineactionreview)/country/cambodia",
            "20190912080000",
            original,
            "text/html",
            "200",
            "AAAA",
            "100",
        ],
        [
            "org,mineactionreview)/country/cambodia",
            "20200915090000",
            original,
            "text/html",
            "200",
            "BBBB",
            "100",
        ],
        *extra_rows,
    ]
    for page, listing in (
        ("/", []),
        ("/country/cambodia", rows),
        ("/country/cambodia/anti-personnel-mines", []),
    ):
        query = urlencode({"url": site.url + page, "output": "json", "collapse": "digest"})
        archive.pages[f"/cdx/search/cdx?{query}"] = (
            json.dumps(listing).encode(),
            "application/json",
        )
    paths = []
    for ts, year in (("20190912080000", 2019), ("20200915090000", 2020)):
        path = f"/web/{ts}id_/{original}"
        archive.pages[path] = country_page(f"cambodia {year}")
        paths.append(path)
    return paths


def test_wayback_history_lists_snapshots_and_stores_the_original_bytes(tmp_path):
    with Mirror(small_site()) as site:
        paths = _fake_cdx(
            site,
            [
                # the same content again (the server ignored collapse), a redirect capture
                [
                    "org,mineactionreview)/country/cambodia",
                    "20210101000000",
                    "http://www.mineactionreview.org/country/cambodia/",
                    "text/html",
                    "200",
                    "BBBB",
                    "100",
                ],
                [
                    "org,mineactionreview)/country/cambodia",
                    "20220101000000",
                    "http://mineactionreview.org/country/cambodia",
                    "text/html",
                    "301",
                    "CCCC",
                    "0",
                ],
            ],
        )
        report = crawl(tmp_path, [mar(site.url), wayback(site.url)])
    versions = stored(tmp_path)[f"{site.url}/country/cambodia"]
    archived = [v for v in versions if v["snapshot_time"]]
    assert sorted((v["snapshot_time"], v["original_url"]) for v in archived) == [
        ("20190912080000", "http://www.mineactionreview.org/country/cambodia/"),
        ("20200915090000", "http://www.mineactionreview.org/country/cambodia/"),
    ]
    assert sorted(v["final_url"] for v in archived) == sorted(site.url + p for p in paths)
    assert all(v["source"] == "wayback" for v in archived)
    assert [s.path for s in site.seen if "/web/2021" in s.path or "/web/2022" in s.path] == []
    cdx_requests = [s for s in site.seen if s.path.startswith("/cdx/")]
    assert len(cdx_requests) == 3  # one listing per HTML page of the site
    assert "collapse=digest" in cdx_requests[0].path and "output=json" in cdx_requests[0].path
    assert report.counts["listed"] == 3


def test_wayback_alone_backfills_the_pages_already_in_the_corpus(tmp_path):
    with Mirror(small_site()) as site:
        crawl(tmp_path, [mar(site.url)])
        paths = _fake_cdx(site, [])
        site.seen.clear()
        report = crawl(tmp_path, [wayback(site.url)])
    assert sorted(s.path for s in site.seen if s.path.startswith("/web/")) == paths
    assert not [s for s in site.seen if s.path.startswith("/country/")]
    assert report.counts == {"listed": 3, "new": 2}


def test_parse_cdx_reads_columns_by_name_and_skips_failed_captures():
    source = wayback("http://127.0.0.1:9")
    body = json.dumps(
        [
            ["timestamp", "original", "statuscode", "urlkey", "mimetype", "digest"],
            ["20200101000000", "http://x.org/a", "200", "k", "text/html", "D1"],
            ["20200102000000", "http://x.org/a", "404", "k", "text/html", "D2"],
            ["20200103000000", "http://x.org/a", "200", "k", "image/png", "D3"],
            ["20200104000000", "http://x.org/a", "200", "k", "text/html", "D1"],
        ]
    ).encode()
    assert parse_cdx(body, source) == []  # no "urlkey" first: read as the default columns
    body = json.dumps(
        [["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]]
        + [["k", "20200101000000", "http://x.org/a", "text/html", "200", "D1", "9"]]
    ).encode()
    (snap,) = parse_cdx(body, source)
    assert snap.url == "http://127.0.0.1:9/web/20200101000000id_/http://x.org/a"
    assert parse_cdx(b"", source) == []
    with pytest.raises(ValueError, match="CDX listing is not JSON"):
        parse_cdx(b"<html>busy</html>", source)


# -- pace ----------------------------------------------------------------------------------


def _many_pages(n: int) -> dict[str, bytes]:
    links = [(f"/country/c{i}", f"C{i}") for i in range(n)]
    pages = {"/": country_page("home", links)}
    pages.update({f"/country/c{i}": country_page(f"c{i}") for i in range(n)})
    return pages


@pytest.mark.parametrize("concurrency", [1, 2, 3])
def test_requests_in_flight_to_one_host_never_exceed_the_concurrency(tmp_path, concurrency):
    with Mirror(_many_pages(6), slow=0.1) as site:
        report = crawl(tmp_path, [mar(site.url)], concurrency=concurrency)
    assert report.counts == {"new": 7}
    assert site.max_in_flight == concurrency


def test_request_starts_to_one_host_are_at_least_the_delay_apart(tmp_path):
    with Mirror(_many_pages(4)) as site:
        crawl(tmp_path, [mar(site.url)], delay=0.1, concurrency=2)
    starts = sorted(s.started for s in site.seen)
    assert len(starts) == 6  # robots.txt, home, four countries
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    # measured where the server starts handling, so allow for its thread scheduling
    assert starts[-1] - starts[0] >= 5 * 0.1 * 0.8, gaps


def test_the_host_gate_spaces_request_starts_whatever_the_concurrency():
    gate = HostGate(concurrency=2, delay=0.05, stop=threading.Event())
    starts: list[float] = []

    def request() -> None:
        with gate.turn():
            starts.append(time.monotonic())
            time.sleep(0.12)  # a slow answer: the second slot is used meanwhile

    threads = [threading.Thread(target=request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    starts.sort()
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.049, gaps


def test_one_client_keeps_its_connections_alive(tmp_path):
    pages = _many_pages(12)
    gone = [(f"/country/gone-{i}", "Gone") for i in range(4)]  # 404s keep connections too
    pages["/"] = country_page("home", [(f"/country/c{i}", "C") for i in range(12)] + gone)
    with Mirror(pages) as site:
        crawl(tmp_path, [mar(site.url)], concurrency=2)
    assert len(site.seen) == 18
    assert len({s.port for s in site.seen}) <= 3  # robots.txt's, then two kept alive


def test_the_request_limit_stops_the_crawl(tmp_path):
    with Mirror(_many_pages(8)) as site:
        report = crawl(tmp_path, [mar(site.url)], limit=3)
    assert report.requested == 3
    assert report.limit_reached
    assert report.summary().endswith(", stopped at the request limit (3)")
    assert len([s for s in site.seen if s.path != "/robots.txt"]) == 3


def test_settings_name_the_bad_key():
    from tracker.errors import SettingsError

    with pytest.raises(SettingsError, match="^crawl setting concurrency: bad value 0$"):
        CrawlSettings(concurrency=0)
    with pytest.raises(SettingsError, match="^crawl setting speed: unknown setting$"):
        CrawlSettings.from_dict({"speed": 3})
    assert (CrawlSettings().delay, CrawlSettings().concurrency) == (1.0, 2)


def test_an_interrupted_crawl_is_recorded_and_the_next_one_resumes(tmp_path):
    pages = _many_pages(6)
    seen_lines: list[str] = []

    def interrupt_after_three(line: str) -> None:
        seen_lines.append(line)
        if len(seen_lines) == 3:
            raise KeyboardInterrupt

    with Mirror(pages) as site:
        with pytest.raises(KeyboardInterrupt):
            run(
                str(tmp_path),
                {"mine-action-review": mar(site.url)},
                ["mine-action-review"],
                CrawlSettings(**FAST, concurrency=1),
                progress=interrupt_after_three,
            )
        assert table(tmp_path, "crawl_runs")[0]["outcome"] == "interrupted"
        kept = set(stored(tmp_path))
        report = crawl(tmp_path, [mar(site.url)])
    assert len(kept) >= 3
    assert set(stored(tmp_path)) == {f"{site.url}{p}" for p in pages}
    assert report.counts["new"] == 7 - len(kept)
    assert not list((tmp_path / ".tmp").glob("*"))


def test_a_killed_writers_temporary_files_are_removed_and_a_live_ones_kept(tmp_path):
    corpus = Corpus(tmp_path)
    corpus.tmp_dir.mkdir(parents=True)
    dead = corpus.tmp_dir / ".tmp-999999999-abc"  # no such process
    alive = corpus.tmp_dir / f".tmp-{os.getppid()}-def"  # pytest's parent is running
    stray = tmp_path / "documents" / "ab" / ".tmp-999999999-ghi"
    for path in (dead, alive, stray):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a docu")
    assert corpus.clean_temp() == 2
    assert [p.name for p in corpus.tmp_dir.iterdir()] == [alive.name]
    assert not stray.exists()


def test_a_monitor_profile_gone_from_the_site_is_fetched_from_the_archive_host(tmp_path):
    profile = "/en-gb/reports/2016/chad/mine-action.aspx"
    with Mirror({}) as live, Mirror({profile: country_page("chad 2016")}) as archive:
        monitor = load_sources()["monitor"].with_base_url(live.url)
        monitor.countries = ["chad"]
        monitor.profiles = [
            {
                "path": "/en-gb/reports/{year}/{slug}/{chapter}.aspx",
                "years": [2016],
                "chapters": ["mine-action"],
            }
        ]
        monitor.fallbacks = [archive.url]
        monitor.allowed_hosts.append(archive.url.split("//")[1])
        report = crawl(tmp_path, [monitor])
    assert set(stored(tmp_path)) == {archive.url + profile}
    assert report.counts == {"missing": 1, "new": 1}
    assert [s.path for s in live.seen if s.path != "/robots.txt"] == [profile]


def test_a_stored_file_deleted_by_hand_is_fetched_and_written_again(tmp_path):
    with Mirror(small_site()) as site:
        crawl(tmp_path, [mar(site.url)])
        (version,) = stored(tmp_path)[f"{site.url}/country/cambodia"]
        (tmp_path / version["path"]).unlink()
        report = crawl(tmp_path, [mar(site.url)])
    assert (tmp_path / version["path"]).read_bytes() == small_site()["/country/cambodia"]
    assert report.counts == {"unchanged": 1, "not_modified": 3}
    assert stored(tmp_path)[f"{site.url}/country/cambodia"] == [version]  # sidecar as it was


def test_wayback_alone_on_an_empty_corpus_has_nothing_to_do(tmp_path):
    report = crawl(tmp_path, [wayback("http://127.0.0.1:9")])
    assert report.summary().startswith("0 requested, 0 new")
    assert table(tmp_path, "crawl_runs")[0]["outcome"] == "completed"
