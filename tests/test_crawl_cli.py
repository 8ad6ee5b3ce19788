"""`tracker crawl`: summary, exit codes, progress, the lock, and surviving a kill."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.corpus import Corpus
from tracker.errors import ExitCode

from .mirror import Mirror, country_page
from .test_crawl import _fake_cdx, small_site, stored


def crawl_args(corpus: Path, base_url: str, *extra: str) -> list[str]:
    return [
        "crawl",
        "--source",
        "mine-action-review",
        "--base-url",
        base_url,
        "--corpus",
        str(corpus),
        "--delay",
        "0",
        *extra,
    ]


def site_with_a_forbidden_page() -> dict:
    pages = small_site()
    pages["/"] = country_page("home", [("/country/cambodia", "Cambodia"), ("/country/chad", "")])
    return pages


@pytest.fixture
def forbidding(httpserver):
    """A site where /country/chad answers 403 (a failure that is not retried)."""
    httpserver.no_handler_status_code = 404
    for path, page in small_site().items():
        body, ctype = page if isinstance(page, tuple) else (page, "text/html")
        if path == "/":
            body = country_page("home", [("/country/cambodia", "C"), ("/country/chad", "T")])
        httpserver.expect_request(path).respond_with_data(body, content_type=ctype)
    httpserver.expect_request("/country/chad").respond_with_data("no", status=403)
    return httpserver


def test_a_completed_crawl_lists_failed_urls_and_exits_0(tmp_path, forbidding):
    base = forbidding.url_for("/").rstrip("/")
    result = CliRunner().invoke(cli, crawl_args(tmp_path / "corpus", base))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"Error: {base}/country/chad: HTTP 403"]
    (summary,) = result.stdout.splitlines()
    assert summary.startswith(f"Crawled into {tmp_path / 'corpus'}: ")
    assert ", 4 new, " in summary and summary.endswith(", 1 failed")
    assert "\r" not in result.stderr  # no progress when stderr is not a terminal


def test_strict_fails_on_any_failed_url(tmp_path, forbidding):
    base = forbidding.url_for("/").rstrip("/")
    result = CliRunner().invoke(cli, crawl_args(tmp_path / "corpus", base, "--strict"))
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.splitlines()[-1] == "Error: crawl: 1 URL(s) failed (--strict)"
    assert result.stdout.startswith("Crawled into ")  # the summary is still printed


def test_a_second_crawl_on_a_locked_corpus_refuses(tmp_path):
    corpus = Corpus(tmp_path / "corpus")
    corpus.lock("crawl")
    try:
        result = CliRunner().invoke(cli, crawl_args(corpus.root, "http://127.0.0.1:9"))
    finally:
        corpus.unlock()
    assert result.exit_code == ExitCode.LOCKED == 5
    assert result.stderr == (
        f"Error: crawl: {corpus.root}: another crawl is running on this corpus (lock held)\n"
    )


def test_a_corpus_that_cannot_be_written_is_an_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = CliRunner().invoke(cli, crawl_args(blocker / "corpus", "http://127.0.0.1:9"))
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == f"Error: crawl: {blocker / 'corpus'}: not writable (Not a directory)\n"


def test_a_bad_setting_names_the_key(tmp_path):
    args = crawl_args(tmp_path, "http://127.0.0.1:9") + ["--concurrency", "0"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == "Error: crawl: crawl setting concurrency: bad value 0\n"


def test_base_url_per_source_points_each_source_at_its_mirror(tmp_path):
    with Mirror(small_site()) as site, Mirror({}) as archive:
        _fake_cdx(site, [], archive=archive)
        result = CliRunner().invoke(
            cli,
            [
                "crawl",
                "--source",
                "mine-action-review",
                "--source",
                "wayback",
                "--base-url",
                f"mine-action-review={site.url}",
                "--base-url",
                f"wayback={archive.url}",
                "--corpus",
                str(tmp_path),
                "--delay",
                "0",
                "--concurrency",
                "3",
            ],
        )
    assert result.exit_code == 0, result.output
    versions = stored(tmp_path)[f"{site.url}/country/cambodia"]
    assert sorted(v["snapshot_time"] or "" for v in versions) == [
        "",
        "20190912080000",
        "20200915090000",
    ]


def test_progress_is_shown_on_a_terminal(tmp_path):
    with Mirror(small_site()) as site:
        leader, follower = pty.openpty()
        proc = subprocess.Popen(
            [sys.executable, "-m", "tracker", *crawl_args(tmp_path, site.url)],
            stdout=subprocess.PIPE,
            stderr=follower,
            text=True,
        )
        os.close(follower)
        shown = b""
        while True:  # read as it comes, so the crawl never waits on a full terminal
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the crawl has exited and closed its end
                break
            if not chunk:
                break
            shown += chunk
        os.close(leader)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "\r\x1b[K[1/" in shown.decode()
    assert "new  " + site.url in shown.decode()
    assert out.count("\n") == 1 and out.startswith("Crawled into ")


# -- killed and resumed ------------------------------------------------------------------------


def _slow_site(n: int) -> dict[str, bytes]:
    links = [(f"/country/c{i}", f"C{i}") for i in range(n)]
    pages = {"/": country_page("home", links)}
    for i in range(n):
        pages[f"/country/c{i}"] = country_page(f"c{i}", note=" Padding." * 2000)
    return pages


def _start_crawl(corpus: Path, base_url: str) -> subprocess.Popen:
    args = [sys.executable, "-m", "tracker", *crawl_args(corpus, base_url)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_versions(corpus: Path, n: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while len(list(corpus.glob("documents/*/*.json"))) < n:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the crawl stored nothing in 30 s"
        time.sleep(0.02)


def _assert_corpus_whole(corpus: Path) -> None:
    leftovers = [p for p in corpus.rglob("*") if p.name.startswith(".tmp-")]
    assert leftovers == []
    for path in corpus.glob("documents/*/*"):
        if path.suffix == ".json":
            side = json.loads(path.read_text())
            assert (corpus / side["path"]).exists()
        else:
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name.split(".")[0]


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_a_crawl_killed_mid_run_loses_nothing_and_the_next_run_resumes(tmp_path, how):
    corpus = tmp_path / "corpus"
    pages = _slow_site(12)
    with Mirror(pages, slow=0.25) as site:
        proc = _start_crawl(corpus, site.url)
        _wait_for_versions(corpus, 3, proc)
        proc.send_signal(getattr(signal, how))
        _, err = proc.communicate(timeout=30)
        if how == "SIGKILL":
            assert proc.returncode == -signal.SIGKILL
        else:
            assert proc.returncode == 130
            assert err.splitlines()[-1] == (
                "Error: crawl: interrupted; what was stored is kept, run again to resume"
            )
        _assert_corpus_whole(corpus)
        kept = {url: versions[0]["sha256"] for url, versions in stored(corpus).items()}
        assert 3 <= len(kept) < len(pages)

        site.slow = 0
        site.seen.clear()
        result = CliRunner().invoke(cli, crawl_args(corpus, site.url))
    assert result.exit_code == 0, result.output
    _assert_corpus_whole(corpus)
    after = stored(corpus)
    assert set(after) == {f"{site.url}{p}" for p in pages}
    for url, sha in kept.items():
        assert [v["sha256"] for v in after[url]] == [sha]  # stored once, kept as it was
    # a URL stored in the instant before the kill, not yet noted in the crawl state, is
    # asked for again in full, and found to be the version already stored
    answered = {f"{site.url}{s.path}": s.status for s in site.seen}
    again = [url for url in kept if answered[url] != 304]
    assert len(again) <= 1 and all(answered[url] == 200 for url in again)
    rows = Corpus(corpus).state_db()["fetches"].rows_where("run_id = 2 and outcome = 'unchanged'")
    assert [r["url"] for r in rows] == again
    runs = list(Corpus(corpus).state_db()["crawl_runs"].rows)
    assert runs[0]["outcome"] == ("killed" if how == "SIGKILL" else "interrupted")
    assert runs[1]["outcome"] == "completed"
    assert runs[1]["new"] == len(pages) - len(kept)
