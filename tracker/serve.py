"""Publishing with Datasette: immutable, read-only, with metadata.yml, templates and plugins.

`tracker serve`, the tests and the benchmark all run the Datasette that `make_datasette`
builds, so what is tested is what is served. `publish_args` gives the equivalent
`datasette publish` / `datasette package` command (docs/publishing.md shows it; a test keeps
the two equal).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import yaml

DATABASE = "tracker"  # the name metadata.yml, links and feeds use, whatever the file is called
TEMPLATES = Path(__file__).resolve().parent / "templates"
PLUGIN = Path(__file__).resolve().parent / "datasette_plugin.py"
PLUGINS = ["datasette-dashboards>=0.8,<0.9", "datasette-atom>=0.9,<0.10"]  # + leaflet, markdown
SETTINGS = {
    "sql_time_limit_ms": 1500,  # the slowest canned or dashboard query takes well under this
    "max_returned_rows": 1000,
    "default_page_size": 50,
    "suggest_facets": False,  # suggestions made a 3-facet page 157x slower than a row page
    "facet_time_limit_ms": 400,
    "allow_download": True,  # the whole database file, for journalists
    "allow_csv_stream": True,  # CSV of every row with _stream=on
    "default_cache_ttl": 300,
}


def metadata_path() -> Path:
    """metadata.yml of the current directory if it has one, else the checkout's."""
    local = Path.cwd() / "metadata.yml"
    if local.exists():
        return local
    return Path(__file__).resolve().parent.parent / "metadata.yml"


def load_metadata() -> dict:
    path = metadata_path()
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def register_plugin() -> None:
    """Our plugin is registered by entry point once installed; this covers a bare checkout."""
    from datasette.plugins import pm

    from . import datasette_plugin

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="tracker")


def make_datasette(db_path: str | Path):
    """The Datasette `tracker serve` runs: the database immutable and always named
    `tracker`, metadata.yml, our templates and plugin, the settings above."""
    from datasette.app import Datasette
    from datasette.database import Database

    register_plugin()
    ds = Datasette(
        metadata=load_metadata(),
        settings=dict(SETTINGS),
        template_dir=str(TEMPLATES),
    )
    ds.remove_database("_memory")  # added when Datasette starts with no database
    ds.add_database(Database(ds, path=str(db_path), is_mutable=False), name=DATABASE)
    return ds


class Reloading:
    """The ASGI app of the database file now at ``db_path``.

    A build replaces the file by renaming a new one into place, and Datasette, serving it
    immutably, would keep reading the old one. So at most once every ``check_every``
    seconds a request looks at the file: a new file (another inode) gets a new Datasette,
    which serves the requests from then on; the old one's connections are closed, and its
    threads ended, once its last request is answered (and again on the requests of the
    next minute, for a connection a background task of the old one opened late), so the
    old file is let go."""

    def __init__(self, db_path: str | Path, check_every: float = 1.0):
        self.db_path = Path(db_path)
        self.check_every = check_every
        self._checked = 0.0
        self._current = self._open()
        self._retired: list[dict] = []

    def _open(self) -> dict:
        ds = make_datasette(self.db_path)
        return {"ds": ds, "app": ds.app(), "inode": self._inode(), "requests": 0}

    def _inode(self) -> tuple[int, int] | None:
        try:
            st = self.db_path.stat()
        except OSError:
            return None
        return (st.st_dev, st.st_ino)

    def _check(self) -> None:
        now = time.monotonic()
        if now - self._checked < self.check_every:
            return
        self._checked = now
        inode = self._inode()
        if inode is None or inode == self._current["inode"]:
            return  # gone for a moment, or the same file: keep serving what is open
        self._retired.append(self._current)
        self._current = self._open()

    def _close_idle(self) -> None:
        """Close the connections of retired servers with no request left."""
        now = time.monotonic()
        for old in self._retired:
            if old["requests"]:
                continue
            old.setdefault("idle_since", now)
            for database in old["ds"].databases.values():
                database.close()
            if old["ds"].executor is not None:
                old["ds"].executor.shutdown(wait=False)
        self._retired = [g for g in self._retired if now - g.get("idle_since", now) < 60]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self._current["app"](scope, receive, send)
            return
        self._check()
        if self._retired:
            self._close_idle()
        generation = self._current
        generation["requests"] += 1
        try:
            await generation["app"](scope, receive, send)
        finally:
            generation["requests"] -= 1
            if generation is not self._current:
                self._close_idle()


def check_database(db_path: str | Path) -> str | None:
    """Why ``db_path`` cannot be served (one line), or None: it must be a SQLite file that
    `tracker build` wrote."""
    import sqlite3

    from .store import table_names

    path = Path(db_path)
    if not path.is_file():
        return "database not found (run `tracker build` first)"
    try:
        tables = table_names(path)
    except sqlite3.Error as exc:
        return f"not a tracker database ({exc})"
    missing = sorted({"documents", "recommendations", "threads", "builds"} - tables)
    if missing:
        return f"not a tracker database (missing {', '.join(missing)}; run `tracker build`)"
    return None


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Serve until interrupted (uvicorn, as `datasette serve` does; Datasette runs its
    startup hooks on the first request). A rebuilt database is picked up without a restart
    (:class:`Reloading`)."""
    import uvicorn

    problem = check_database(db_path)
    if problem:
        raise FileNotFoundError(f"{db_path}: {problem}")
    app = Reloading(db_path)
    uvicorn.run(app, host=host, port=port, log_level="warning", lifespan="on", workers=1)
    return 0


def start(db_path: str, host: str = "127.0.0.1", port: int = 8001) -> subprocess.Popen:
    """`tracker serve` in a child process (for `tracker demo` and the browser tests)."""
    command = [sys.executable, "-m", "tracker", "serve", "--db", str(db_path)]
    return subprocess.Popen(command + ["--host", host, "--port", str(port)])


def setting_args() -> list[str]:
    args = []
    for key, value in SETTINGS.items():
        if isinstance(value, bool):
            value = "on" if value else "off"
        args += ["--setting", key, str(value)]
    return args


def serve_args(db: str = "tracker.db") -> list[str]:
    """The plain `datasette serve` equivalent of `tracker serve` (with this package installed,
    for its plugin), for a server that runs Datasette itself."""
    command = ["datasette", "serve", "-i", db, "--metadata", "metadata.yml"]
    return command + ["--template-dir", "tracker/templates", *setting_args()]


def publish_args(target: str = "cloudrun", db: str = "tracker.db") -> list[str]:
    """`datasette publish cloudrun` (target "cloudrun") or `datasette package` (a Docker
    image, target "package") with the same metadata, templates, plugins and settings; both
    serve the file immutably. The file must be called tracker.db, and the plugin file is
    copied alone into site-plugins/ (a plugins directory loads every .py file in it)."""
    if target not in ("cloudrun", "package"):
        raise ValueError(f"{target}: unknown publish target (cloudrun or package)")
    command = ["datasette", "package"] if target == "package" else ["datasette", "publish", target]
    command += [db, "--metadata", "metadata.yml", "--template-dir", "tracker/templates"]
    command += ["--plugins-dir", "site-plugins"]
    for plugin in PLUGINS:
        command += ["--install", plugin]
    command += ["--extra-options", " ".join(setting_args())]
    if target == "package":
        command += ["--tag", "mine-action-tracker"]
    else:
        command += ["--service", "mine-action-tracker"]
    return command
