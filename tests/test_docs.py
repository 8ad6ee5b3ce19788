"""Docs that cannot drift: README commands, CI command, metadata tables."""

from __future__ import annotations

import re
from pathlib import Path

import click

from tracker.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quickstart_commands() -> list[str]:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_quickstart_has_two_commands():
    commands = _quickstart_commands()
    assert len(commands) == 2
    main, tests = commands
    assert "tracker crawl" in main and "tracker build" in main and "tracker serve" in main
    assert "pytest" in tests


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = _quickstart_commands()[1]
    assert ci.strip().splitlines()[-1] == test_command


def test_every_command_and_option_is_documented():
    for name, command in cli.commands.items():
        assert f"`tracker {name}" in README, f"tracker {name} is not in README.md"
        for param in command.params:
            if isinstance(param, click.Option):
                longest = max(param.opts, key=len)
                if longest in ("--help",):
                    continue
                assert longest in README, f"tracker {name} {longest} is not in README.md"


def test_every_table_named_in_metadata_exists(tmp_path, fixtures):
    import sqlite3

    import yaml

    from tracker.build import build
    from tracker.local import add_files

    add_files([str(fixtures / "monitor_profile.txt")], str(tmp_path / "c"))
    build(str(tmp_path / "c"), str(tmp_path / "t.db"))
    meta = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))
    conn = sqlite3.connect(tmp_path / "t.db")
    names = {r[0] for r in conn.execute("select name from sqlite_master")}
    for table in meta["databases"]["tracker"].get("tables", {}):
        assert table in names, f"metadata.yml describes {table}, which the database lacks"
