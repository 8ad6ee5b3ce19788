"""The whole path on the bundled sample site: crawl -> build -> Datasette JSON."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from tracker import demo
from tracker.serve import make_datasette

from .net import free_port, wait_until_serving


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from tracker.sample_site.server import SampleSite

    workdir = tmp_path_factory.mktemp("demo")
    with SampleSite() as site:
        result = demo.run(workdir, site.url)
    return result


def test_demo_crawls_builds_and_counts(demo_db):
    assert demo_db.crawl.counts.get("failed", 0) == 0
    assert demo_db.crawl.counts.get("new", 0) > 0
    counts = demo_db.build.counts
    assert counts["documents"] > 0 and counts["figures"] > 0
    assert counts["recommendations"] > 0 and counts["threads"] > 0
    conn = sqlite3.connect(demo_db.db_path)
    # every country of the sample site, both series, and the archived editions
    rows = conn.execute(
        "select distinct country_code, series from documents where country_code is not null"
    ).fetchall()
    assert {
        ("KHM", "mar-cmr"),
        ("KHM", "mar-mines"),
        ("LAO", "mar-cmr"),
        ("LBN", "mar-mines"),
    } <= set(rows)
    snapshots = conn.execute(
        "select count(*) from documents where snapshot_time is not null"
    ).fetchone()[0]
    assert snapshots > 0


def test_datasette_serves_the_recommendations_as_json(demo_db):
    ds = make_datasette(demo_db.db_path)

    async def fetch():
        response = await ds.client.get(
            "/tracker/recommendations.json?country_code=KHM&series=mar-cmr"
            "&_sort=report_year&_shape=array&_size=max"
        )
        return response

    response = asyncio.run(fetch())
    assert response.status_code == 200
    rows = response.json()
    conn = sqlite3.connect(demo_db.db_path)
    expected = conn.execute(
        "select id, text from recommendations where country_code = 'KHM' and series = 'mar-cmr'"
    ).fetchall()
    assert sorted((r["id"], r["text"]) for r in rows) == sorted(expected)
    assert any("Convention on Cluster Munitions" in r["text"] for r in rows)


def test_datasette_is_read_only(demo_db):
    ds = make_datasette(demo_db.db_path)

    async def write():
        return await ds.client.post("/tracker/-/query", data={"sql": "delete from figures"})

    response = asyncio.run(write())
    assert response.status_code in (400, 403, 404, 405)
    conn = sqlite3.connect(demo_db.db_path)
    assert conn.execute("select count(*) from figures").fetchone()[0] > 0


def test_demo_command_no_serve_prints_what_was_built(tmp_path):
    from click.testing import CliRunner

    from tracker.cli import cli

    result = CliRunner().invoke(cli, ["demo", "--no-serve", "--dir", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert "Sample site (sample data, not real reports): http://127.0.0.1:" in result.output
    built = [line for line in result.output.splitlines() if line.startswith("Built ")][0]
    for word in ("documents", "figures", "recommendations", "threads"):
        count = int(built.split(f" {word}")[0].split()[-1])
        assert count > 0, built
    again = CliRunner().invoke(cli, ["demo", "--no-serve", "--dir", str(tmp_path / "d")])
    assert again.exit_code == 1
    assert "already holds a demo corpus" in again.stderr


def test_demo_never_replaces_a_tracker_db_already_in_its_directory(tmp_path):
    from click.testing import CliRunner

    from tracker.cli import cli

    real = tmp_path / "tracker.db"
    real.write_bytes(b"somebody's database")
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path}: already holds a tracker.db; remove it or choose another --dir\n"
    )
    assert real.read_bytes() == b"somebody's database"
    assert not (tmp_path / "corpus").exists()


def test_demo_serves_a_datasette_page_listing_the_documents(tmp_path):
    import subprocess
    import sys

    import httpx

    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tracker",
            "demo",
            "--dir",
            str(tmp_path / "d"),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = wait_until_serving(f"http://127.0.0.1:{port}/tracker/documents", proc, 120)
        assert page is not None and page.status_code == 200
        assert "/country/cambodia" in page.text
        data = httpx.get(f"http://127.0.0.1:{port}/tracker/documents.json?_shape=array").json()
        assert len(data) > 0
    finally:
        proc.terminate()
        proc.wait(timeout=20)
