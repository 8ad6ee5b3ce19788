"""The command line: help texts, error messages, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from tracker.cli import cli

from .net import free_port

COMMANDS = ["crawl", "extract", "build", "serve", "add", "status", "demo"]


def test_top_level_help_has_examples():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself_with_an_example(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert f"tracker {command}" in result.output


def test_python_dash_m_tracker_works():
    out = subprocess.run(
        [sys.executable, "-m", "tracker", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("tracker, version")


def test_crawl_fails_fast_with_one_line_error_naming_the_host(tmp_path):
    port = free_port()
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker",
            "crawl",
            "--source",
            "mine-action-review",
            "--base-url",
            f"http://127.0.0.1:{port}",
            "--corpus",
            str(tmp_path / "corpus"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started < 30
    assert result.returncode == 3
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: crawl: could not reach any source: ")
    assert f"127.0.0.1:{port}" in lines[0]
    assert "Traceback" not in result.stderr


def test_crawl_of_unresolvable_host_fails_fast(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker",
            "crawl",
            "--source",
            "monitor",
            "--base-url",
            "http://publisher.invalid",
            "--corpus",
            str(tmp_path / "corpus"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1
    assert "publisher.invalid" in result.stderr


def test_base_url_needs_one_source(tmp_path):
    result = CliRunner().invoke(
        cli, ["crawl", "--base-url", "http://127.0.0.1:9", "--corpus", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "Error: --base-url: give exactly one --source with --base-url" in result.output


def test_extract_json_follows_the_contract(fixtures):
    result = CliRunner().invoke(
        cli, ["extract", str(fixtures / "sample_country_page.html"), "--json"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert set(data) == {
        "source",
        "document",
        "figures",
        "recommendations",
        "developments",
        "errors",
    }
    assert set(data["source"]) == {"path", "url", "sha256"}
    doc = data["document"]
    assert (doc["country"], doc["country_code"], doc["series"], doc["report_year"]) == (
        "Cambodia",
        "KHM",
        "mar-cmr",
        2023,
    )
    released = [f for f in data["figures"] if f["metric"] == "area_released"]
    assert released[0]["value"] == 45.2 and released[0]["unit"] == "km2"
    assert released[0]["year"] == 2022 and released[0]["qualifier"] == "more_than"
    for key in ("text", "sentence", "page", "start", "end", "criterion"):
        assert key in released[0]
    recs = data["recommendations"]
    assert [r["topics"][0] for r in recs] == ["ccm_accession", "survey_baseline"]
    assert recs[0]["actor"] == "Cambodia"


def test_extract_overrides(fixtures):
    result = CliRunner().invoke(
        cli,
        [
            "extract",
            str(fixtures / "sample_country_page.html"),
            "--json",
            "--country",
            "Lao PDR",
            "--series",
            "mar-mines",
            "--year",
            "2019",
        ],
    )
    doc = json.loads(result.output)["document"]
    assert (doc["country_code"], doc["series"], doc["report_year"]) == ("LAO", "mar-mines", 2019)
    assert doc["rules"]["report_year"] == "override"


def test_bad_files_give_one_line_errors_and_the_rest_is_extracted(tmp_path, fixtures):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref")
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    binary = tmp_path / "image.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    missing = tmp_path / "missing.txt"
    good = fixtures / "monitor_profile.txt"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["extract", str(broken), str(empty), str(binary), str(missing), str(good), "--json"]
    )
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines()]
    assert errors[0].startswith(f"Error: {broken}: broken PDF")
    assert errors[1] == f"Error: {empty}: empty file"
    assert errors[2] == f"Error: {binary}: binary file, not HTML, PDF or text"
    assert errors[3] == f"Error: {missing}: No such file or directory"
    docs = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [d["document"]["country_code"] for d in docs] == ["LBN"]


def test_an_unreadable_crawl_state_is_one_line_for_crawl_build_and_update(tmp_path, fixtures):
    from tracker.local import add_files

    corpus = tmp_path / "corpus"
    added, errors = add_files([str(fixtures / "monitor_profile.txt")], str(corpus), url=None)
    assert added and not errors
    state = corpus / "crawl.db"
    state.write_text("not a database")
    cause = (
        f"{state}: unreadable crawl state (file is not a database); move it away and the "
        "next crawl starts a new one (the stored documents are kept)"
    )
    offline = ["--source", "monitor", "--base-url", "http://127.0.0.1:9"]
    for command, code in (
        (["crawl", "--corpus", str(corpus), *offline], 1),
        (["build", "--corpus", str(corpus), "--db", str(tmp_path / "t.db")], 4),
        (["update", "--corpus", str(corpus), "--db", str(tmp_path / "t.db"), *offline], 1),
    ):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == code, (command, result.output)
        assert result.stderr.splitlines()[-1] == f"Error: {command[0]}: {cause}"
    assert state.read_text() == "not a database"  # left for the maintainer to look at
    assert len(list((corpus / "documents").glob("*/*.json"))) == 1
    assert not (tmp_path / "t.db").exists()


def test_document_options_are_checked(tmp_path, fixtures):
    page = str(fixtures / "monitor_profile.txt")
    for command in (["extract", page], ["add", page, "--corpus", str(tmp_path / "c")]):
        result = CliRunner().invoke(cli, [*command, "--url", "notaurl"])
        assert result.exit_code == 2
        assert "Invalid value for '--url': 'notaurl' is not an http(s) URL" in result.output
        result = CliRunner().invoke(cli, [*command, "--year", "99999"])
        assert result.exit_code == 2
        assert "'--year': 99999 is not in the range 1990<=x<=2100." in result.output
    assert not (tmp_path / "c").exists()  # nothing stored on bad options
    result = CliRunner().invoke(cli, ["update", "--notify", "notaurl", "--corpus", str(tmp_path)])
    assert result.exit_code == 2
    assert "Invalid value for '--notify': 'notaurl' is not an http(s) URL" in result.output
