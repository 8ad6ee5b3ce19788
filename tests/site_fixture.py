"""The published site over the sample site's database, shared by test_publish and test_browser.

The database is built once per test session (crawl + build of the bundled sample site takes
seconds); requests go through Datasette's own client on one event loop.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

_built: dict[str, Path] = {}


def sample_database(workdir: Path) -> Path:
    """tracker.db built from the bundled sample site (once per session)."""
    if "db" not in _built:
        from tracker import demo
        from tracker.sample_site.server import SampleSite

        with SampleSite() as site:
            result = demo.run(workdir, site.url)
        _built["db"] = Path(result.db_path)
    return _built["db"]


class Site:
    """`make_datasette` (what `tracker serve` runs) with a synchronous `get`."""

    def __init__(self, db_path: Path) -> None:
        from tracker.serve import make_datasette

        self.db_path = db_path
        self.ds = make_datasette(db_path)
        self.loop = asyncio.new_event_loop()

    def get(self, path: str):
        return self.loop.run_until_complete(self.ds.client.get(path))

    def sql(self, sql: str, params: dict | None = None) -> list[dict]:
        results = self.loop.run_until_complete(self.ds.execute("tracker", sql, params or {}))
        return [dict(row) for row in results.rows]

    def close(self) -> None:
        self.loop.close()
