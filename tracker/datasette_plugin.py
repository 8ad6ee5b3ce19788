"""The tracker's own Datasette plugin: small, configured by `plugins: tracker:` in metadata.yml.

- ``links``: id columns of views and queries (which have no foreign keys) link to their rows;
  ``{column: table}``, or ``{column: "@kind"}`` to take the table from the row's ``kind``.
  Foreign keys that Datasette leaves as plain values (on row pages) link to their rows too.
- ``short_links``: URL columns shown as a short link (the file or page name), the full URL
  in its title, so that long source URLs leave room for the sentences beside them.
- ``row_panels``: per table, queries shown above a row's columns (a figure's source link and
  copyable citation, a thread's history), with ``:id`` (the row's key) and ``:table``.
- ``home``: queries for the home page (last crawl and build, counts, the publishers).
- ``pragmas``: PRAGMAs for every connection (mmap and cache size for the read-only file).

Self-contained (Datasette, markupsafe and the standard library only), so that
``datasette publish --plugins-dir`` can ship this one file.
"""

from __future__ import annotations

import re
import weakref
from urllib.parse import urlsplit

from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components
from markupsafe import Markup

NAME = "tracker"
_URL = re.compile(r"^(https?://|/)\S*$")
_schema: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def config(datasette) -> dict:
    """Our settings from metadata.yml (read once: render_cell runs for every cell)."""
    cache = _schema.setdefault(datasette, {})
    if "config" not in cache:
        cache["config"] = datasette.plugin_config(NAME) or {}
    return cache["config"]


def is_link(value) -> bool:
    return isinstance(value, str) and bool(_URL.match(value.strip()))


def short(value: str, length: int = 20) -> str:
    return value if len(value) <= length else value[: length - 1] + "\u2026"


def url_label(url: str) -> str:
    """'Cambodia_2024.pdf#page=2' for a file, 'country/cambodia' for a page, else the host."""
    parts = urlsplit(url)
    path = [part for part in parts.path.split("/") if part]
    label = "/".join(path[-2:]) if path else parts.netloc
    return short(label + ("#" + parts.fragment if parts.fragment else ""), 36)


async def link_targets(datasette, database: str, table: str | None) -> dict[str, str]:
    """{column: table it points to} for a table's foreign keys, a view's or a query's
    configured links (the database is immutable, so this is cached)."""
    cache = _schema.setdefault(datasette, {})
    if (database, table) not in cache:
        db = datasette.get_database(database)
        if table is None or table in await db.view_names():
            targets = dict(config(datasette).get("links", {}))
        else:
            keys = await db.foreign_keys_for_table(table)
            targets = {fk["column"]: fk["other_table"] for fk in keys}
        cache[(database, table)] = targets
    return cache[(database, table)]


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if value in (None, "") or isinstance(value, dict) or database is None:
        return None  # a dict is a foreign key Datasette expanded and links itself
    if column in config(datasette).get("short_links", []) and is_link(value):
        return Markup('<a href="{}" title="{}">{}</a>').format(value, value, url_label(value))
    known = _schema.get(datasette, {}).get((database, table))
    if known is not None and column not in known:
        return None

    async def inner():
        target = (await link_targets(datasette, database, table)).get(column)
        if target and target.startswith("@"):
            try:
                target = row[target[1:]]
            except (IndexError, KeyError):
                return None
        if not target:
            return None
        href = datasette.urls.row(database, target, tilde_encode(str(value)))
        return Markup('<a href="{}" title="{} {}">{}</a>').format(
            href, target, value, short(str(value))
        )

    return inner


async def _query(datasette, database: str, sql: str, params: dict) -> tuple[list, list]:
    results = await datasette.execute(database, sql, params)
    return list(results.columns), [dict(row) for row in results.rows]


@hookimpl
def extra_template_vars(view_name, database, table, request, datasette):
    settings = config(datasette)
    if view_name == "index" and settings.get("home"):

        async def home():
            db = datasette.get_database().name
            facts = {}
            for key, sql in settings["home"].items():
                facts[key] = (await _query(datasette, db, sql, {}))[1]
            return {"tracker_home": facts}

        return home
    panels = settings.get("row_panels", {}).get(table) if view_name == "row" else None
    if panels and request is not None and "pks" in request.url_vars:
        key = urlsafe_components(request.url_vars["pks"])[0]

        async def row_panels():
            rendered = []
            for panel in panels:
                params = {"id": key, "table": table}
                columns, rows = await _query(datasette, database, panel["sql"], params)
                if rows:
                    rendered.append({**panel, "columns": columns, "rows": rows})
            return {"tracker_panels": rendered}

        return row_panels
    return {}


@hookimpl
def prepare_connection(conn, datasette):
    for name, value in config(datasette).get("pragmas", {}).items():
        if not (re.fullmatch(r"\w+", name) and isinstance(value, int)):
            raise ValueError(f"plugins.tracker.pragmas.{name}: expected an integer")
        conn.execute(f"PRAGMA {name} = {value}")


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["tracker_is_link"] = is_link
