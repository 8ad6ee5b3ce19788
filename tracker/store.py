"""The SQLite database (sqlite-utils): opening, schema, bulk writes.

The schema itself lives in ``migrations`` (every change is a migration). The
database is derived from the corpus and can always be rebuilt. Rows carry
deterministic ids (derived from the document's sha256 and position, or from the
content of a thread), so the same corpus gives the same rows.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from . import migrations

SCHEMA_VERSION = 4  # PRAGMA user_version: the number of SCHEMA migrations

# Every table, in load order (parents before children).
TABLES = (
    "sources",
    "series",
    "countries",
    "crawl_runs",
    "fetches",
    "documents",
    "document_pages",
    "figures",
    "developments",
    "threads",
    "recommendations",
    "recommendation_topics",
    "recommendation_links",
    "thread_status",
    "treaty_status",
    "builds",
    "changes",
    "update_runs",
)

SERIES = [
    {
        "slug": "mar-cmr",
        "name": "Clearing Cluster Munition Remnants",
        "publisher": "Mine Action Review",
    },
    {"slug": "mar-mines", "name": "Clearing the Mines", "publisher": "Mine Action Review"},
    {
        "slug": "monitor",
        "name": "Landmine and Cluster Munition Monitor country profile",
        "publisher": "Landmine and Cluster Munition Monitor",
    },
]


def table_names(path: str | Path) -> set[str]:
    """The tables and views of the file at ``path``, opened read-only; sqlite3.Error if it is
    not a SQLite database."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("select name from sqlite_master")}
    finally:
        conn.close()


def open_new(path: str | Path) -> sqlite_utils.Database:
    """A new database file for a build: no journal and no fsync while loading (the file is
    private until it is renamed into place, and a failed build deletes it)."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA foreign_keys=OFF")
    return db


def create_schema(db: sqlite_utils.Database) -> None:
    migrations.create_schema(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def finish(db: sqlite_utils.Database) -> None:
    """Indexes, full-text search and views: after loading, so the load stays fast."""
    migrations.finish(db)


def insert(db: sqlite_utils.Database, table: str, rows: Iterable[dict]) -> None:
    """Bulk insert of plain rows into a bare table: ``executemany`` with one tuple per row,
    in the table's column order (a key the table lacks, a newer crawl.db's column say, is
    left out; a column the row lacks is null).

    The schema, keys, full-text search and views are sqlite-utils'; the bulk load skips
    its ``insert_all`` because every value here is already plain (JSON is dumped by us),
    and its per-value conversion and multi-row statements cost 4x a plain executemany
    (tests/benchmarks/bench_build.py)."""
    columns = list(db[table].columns_dict)
    sql = (
        f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"values ({', '.join('?' for _ in columns)})"
    )
    db.conn.executemany(sql, [tuple(row.get(c) for c in columns) for row in rows])


def close_durably(db: sqlite_utils.Database, path: str | Path) -> None:
    """Commit, close and fsync the file, so a rename after this publishes complete bytes."""
    db.conn.commit()
    db.close()
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def dumps(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
