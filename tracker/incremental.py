"""The incremental build: the previous database, copied, with only what changed redone.

Used when the previous database was written by the same code, settings and schema (its
last build's ``code_version``): then every row of a document that is still in the
corpus is already right, and everything derived (follow-up, treaty status) is per
country. So the copy gets

1. the rows of removed documents deleted and those of new documents inserted (their
   full-text entries too: FTS5 'delete' commands and inserts, no rebuild);
2. for every country a new or removed document belongs to: its threads, statuses,
   links and the follow-up columns of its recommendations and documents computed
   again from all its rows (a development in one edition can be the evidence for a
   thread of another series); the treaty status of the (country, report year) of
   those documents' editions, the only ones whose documents changed;
3. the crawl log replaced, and what changed (``changes.diff``) found by comparing,
   before and after, only the rows a change can be in (:class:`Scope`).

The result has the same rows as a full build of the same corpus (a test compares them).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from . import changes as changes_mod
from . import migrations, rows, store

FTS_COLUMNS = migrations.FTS  # table -> indexed columns
# follow-up tables, deleted and recomputed per country
_DERIVED = ("threads", "thread_status", "recommendation_links", "treaty_status")


@dataclass(frozen=True)
class Previous:
    """What the incremental build needs to know about the previous database."""

    fingerprint: str | None
    code_version: str | None
    document_ids: frozenset[str]
    schema_current: bool


def previous(target: Path) -> Previous | None:
    if not target.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            db = sqlite_utils.Database(conn)
            columns = set(db["builds"].columns_dict) if db["builds"].exists() else set()
            wanted = [c if c in columns else "null" for c in ("fingerprint", "code_version")]
            last = (
                conn.execute(
                    f"select {', '.join(wanted)} from builds order by id desc limit 1"
                ).fetchone()
                if columns
                else None
            ) or (None, None)
            ids = frozenset(r[0] for r in conn.execute("select id from documents"))
            current = not migrations.SCHEMA.pending(db) and not migrations.DERIVED.pending(db)
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return Previous(last[0], last[1], ids, current)


def _placeholders(values) -> str:
    return ", ".join("?" for _ in values)


def _select(db: sqlite_utils.Database, sql: str, params=()) -> list[dict]:
    cursor = db.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _country_filter(countries: set[str | None], column: str = "country_code") -> tuple[str, list]:
    codes = sorted(c for c in countries if c is not None)
    parts = []
    if codes:
        parts.append(f"{column} in ({_placeholders(codes)})")
    if None in countries:
        parts.append(f"{column} is null")
    return "(" + (" or ".join(parts) or "0") + ")", codes


@dataclass(frozen=True)
class Scope:
    """The rows a change can be in, fixed before the update so that the snapshots before
    and after it compare the same rows.

    - documents, recommendations: those of the editions (country, series, report year)
      a new or removed document belongs to; which document of an edition is canonical
      (``duplicate_of``) depends on that edition's documents only;
    - figures: every figure of the (country, series, metric, criterion, year) keys that a
      figure of those editions has, before or after (the latest edition reporting a key
      can be another edition), and the documents they are in;
    - threads, statuses: those of the countries touched (all recomputed)."""

    countries: frozenset
    editions: frozenset
    figure_keys: frozenset


_FIGURE_KEY = ("country_code", "series", "metric", "criterion", "year")


def _edition(d: dict) -> tuple:
    return (d["country_code"], d["series"], d["report_year"])


def _scope(db: sqlite_utils.Database, new: dict[str, list[dict]], gone: list[dict]) -> Scope:
    countries = {d["country_code"] for d in new["documents"]} | {d["country_code"] for d in gone}
    editions = {_edition(d) for d in new["documents"]} | {_edition(d) for d in gone}
    ids = [d["id"] for d in _edition_documents(db, countries, editions, ["id"])]
    keys = {tuple(f[c] for c in _FIGURE_KEY) for f in new.get("figures", [])}
    keys |= {tuple(f.values()) for f in _in(db, "figures", "document_id", ids, _cols(_FIGURE_KEY))}
    keys = {k for k in keys if k[0] is not None}  # the diff skips figures without a country
    return Scope(frozenset(countries), frozenset(editions), frozenset(keys))


def _cols(columns) -> str:
    return ", ".join(f"[{c}]" for c in columns)


def _edition_documents(
    db: sqlite_utils.Database, countries: set, editions: set, columns: list[str]
) -> list[dict]:
    """``columns`` of the documents of these editions."""
    where, params = _country_filter(countries)
    added = [c for c in ("country_code", "series", "report_year") if c not in columns]
    found = _select(db, f"select {_cols([*columns, *added])} from documents where {where}", params)
    out = [d for d in found if _edition(d) in editions]
    for d in out:
        for c in added:
            del d[c]
    return out


def _figures_of(db: sqlite_utils.Database, keys: frozenset, columns: str) -> list[dict]:
    """The figures of these (country, series, metric, criterion, year) keys."""
    if not keys:
        return []
    db.execute(f"create temp table if not exists _figure_keys ({', '.join(_FIGURE_KEY)})")
    db.execute("delete from temp._figure_keys")
    db.conn.executemany(
        "insert into temp._figure_keys values (?, ?, ?, ?, ?)", sorted(keys, key=repr)
    )
    on = " and ".join(
        f"f.[{c}] = k.[{c}]" if c in ("country_code", "metric") else f"f.[{c}] is k.[{c}]"
        for c in _FIGURE_KEY
    )
    cols = ", ".join(f"f.{c}" for c in columns.split(", "))
    found = _select(db, f"select distinct {cols} from figures f join temp._figure_keys k on {on}")
    db.execute("drop table temp._figure_keys")
    return found


def _snapshot(db: sqlite_utils.Database, scope: Scope) -> dict[str, list[dict]]:
    """The rows the diff compares (the columns it reads) within ``scope``."""

    def cols(table: str) -> str:
        return _cols(changes_mod.PREVIOUS_COLUMNS[table])

    docs = _edition_documents(
        db, scope.countries, scope.editions, changes_mod.PREVIOUS_COLUMNS["documents"]
    )
    doc_ids = [d["id"] for d in docs]
    out = {
        "recommendations": _in(
            db, "recommendations", "document_id", doc_ids, cols("recommendations")
        )
    }
    out["figures"] = _figures_of(db, scope.figure_keys, cols("figures"))
    extra = sorted({f["document_id"] for f in out["figures"]} - {d["id"] for d in docs})
    out["documents"] = docs + _in(db, "documents", "id", extra, cols("documents"))
    where, params = _country_filter(scope.countries)
    out["threads"] = _select(db, f"select {cols('threads')} from threads where {where}", params)
    thread_ids = [t["id"] for t in out["threads"]]
    out["thread_status"] = _in(db, "thread_status", "thread_id", thread_ids, cols("thread_status"))
    return out


def _in(
    db: sqlite_utils.Database, table: str, column: str, values: list, columns: str = "*"
) -> list[dict]:
    out: list[dict] = []
    for i in range(0, len(values), 500):
        chunk = values[i : i + 500]
        sql = f"select {columns} from [{table}] where [{column}] in ({_placeholders(chunk)})"
        out += _select(db, sql, chunk)
    return out


def _delete_in(db: sqlite_utils.Database, table: str, column: str, values: list) -> None:
    """Delete rows (and their full-text entries) where ``column`` is one of ``values``."""
    fts = FTS_COLUMNS.get(table)
    for i in range(0, len(values), 500):
        chunk = values[i : i + 500]
        where = f"[{column}] in ({_placeholders(chunk)})"
        if fts:
            cols = ", ".join(f"[{c}]" for c in fts)
            db.execute(
                f"insert into [{table}_fts] ([{table}_fts], rowid, {cols}) "
                f"select 'delete', rowid, {cols} from [{table}] where {where}",
                chunk,
            )
        db.execute(f"delete from [{table}] where {where}", chunk)


def _insert(db: sqlite_utils.Database, table: str, new_rows: list[dict]) -> None:
    if not new_rows:
        return
    fts = FTS_COLUMNS.get(table)
    before = db.execute(f"select coalesce(max(rowid), 0) from [{table}]").fetchone()[0]
    store.insert(db, table, new_rows)
    if fts:
        cols = ", ".join(f"[{c}]" for c in fts)
        db.execute(
            f"insert into [{table}_fts] (rowid, {cols}) "
            f"select rowid, {cols} from [{table}] where rowid > ?",
            [before],
        )


def update(
    db: sqlite_utils.Database,
    new: dict[str, list[dict]],
    removed: set[str],
    crawl_runs: list[dict],
    fetches: list[dict],
) -> list[dict]:
    """Apply new documents' rows and removed documents to a copy of the previous database;
    returns the changes."""
    removed_ids = sorted(removed)
    gone = _in(db, "documents", "id", removed_ids)
    scope = _scope(db, new, gone)
    before = _snapshot(db, scope)

    # 1. documents out and in
    recs_gone = [r["id"] for r in _in(db, "recommendations", "document_id", removed_ids)]
    _delete_in(db, "recommendation_topics", "recommendation_id", recs_gone)
    for table in ("document_pages", "figures", "recommendations", "developments"):
        _delete_in(db, table, "document_id", removed_ids)
    _delete_in(db, "documents", "id", removed_ids)
    for table in rows.DOCUMENT_TABLES:
        _insert(db, table, new.get(table, []))

    # 2. follow-up of the countries touched, treaty status of their editions' years
    known = {c for c in scope.countries if c is not None}
    where, params = _country_filter(known)
    docs = _select(db, f"select * from documents where {where}", params)
    recs = _select(db, f"select * from recommendations where {where}", params)
    devs = _select(db, f"select * from developments where {where}", params)
    old_threads = [t["id"] for t in _select(db, f"select id from threads where {where}", params)]
    _delete_in(db, "thread_status", "thread_id", old_threads)
    _delete_in(db, "threads", "id", old_threads)
    for column in ("recommendation_id", "linked_id"):
        _delete_in(db, "recommendation_links", column, [r["id"] for r in recs] + recs_gone)
    derived = rows.follow_up(docs, recs, devs)
    for table in ("threads", "thread_status", "recommendation_links"):
        _insert(db, table, derived[table])
    # the follow-up columns, where they differ (most recommendations keep theirs)
    set_links = ", ".join(f"[{c}] = ?" for c in rows.REC_LINK_COLUMNS)
    stored = {r["id"]: [r[c] for c in rows.REC_LINK_COLUMNS] for r in recs}
    db.conn.executemany(
        f"update recommendations set {set_links} where id = ?",
        [
            [*values, rec_id]
            for rec_id, values in sorted(
                (rec_id, [v[c] for c in rows.REC_LINK_COLUMNS])
                for rec_id, v in derived["recommendations"].items()
            )
            if values != stored[rec_id]
        ],
    )
    stored_dup = {d["id"]: d["duplicate_of"] for d in docs}
    db.conn.executemany(
        "update documents set duplicate_of = ? where id = ?",
        [
            [dup, doc_id]
            for doc_id, dup in sorted(derived["duplicate_of"].items())
            if dup != stored_dup[doc_id]
        ],
    )
    _treaty_statuses(db, scope, docs, recs, devs, derived["duplicate_of"])

    # 3. the crawl log, and what changed
    db.execute("delete from fetches")
    db.execute("delete from crawl_runs")
    store.insert(db, "crawl_runs", crawl_runs)
    store.insert(db, "fetches", fetches)
    return changes_mod.diff(before, _snapshot(db, scope))


def _treaty_statuses(
    db: sqlite_utils.Database,
    scope: Scope,
    docs: list[dict],
    recs: list[dict],
    devs: list[dict],
    duplicate_of: dict[str, str | None],
) -> None:
    """Treaty status of the (country, report year) of the editions touched, from all the
    documents of that country and year (rows.treaty_statuses)."""
    years = sorted({(c, y) for c, _, y in scope.editions if c is not None and y is not None})
    if not years:
        return
    wanted = set(years)
    docs = [
        d | {"duplicate_of": duplicate_of[d["id"]]}
        for d in docs
        if (d["country_code"], d["report_year"]) in wanted
    ]
    ids = {d["id"] for d in docs}
    pages: dict[str, list[tuple[int, str]]] = {}
    for page in _in(db, "document_pages", "document_id", sorted(ids), "document_id, page, text"):
        pages.setdefault(page["document_id"], []).append((page["page"], page["text"]))
    texts = {k: [t for _, t in sorted(v)] for k, v in pages.items()}
    for i in range(0, len(years), 250):
        chunk = years[i : i + 250]
        db.execute(
            "delete from treaty_status where "
            + " or ".join("(country_code = ? and report_year = ?)" for _ in chunk),
            [v for pair in chunk for v in pair],
        )
    mine_recs = [r for r in recs if r["document_id"] in ids]
    mine_devs = [d for d in devs if d["document_id"] in ids]
    _insert(db, "treaty_status", rows.treaty_statuses(docs, texts, mine_devs, mine_recs))
