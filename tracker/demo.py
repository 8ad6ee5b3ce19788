"""`tracker demo`: the whole pipeline on the bundled sample site, offline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import build as build_mod
from . import crawl
from .settings import CrawlSettings
from .sources import load_sources


@dataclass
class DemoResult:
    site_url: str
    corpus_dir: str
    db_path: str
    crawl: crawl.CrawlReport
    build: build_mod.BuildReport


def demo_sources(site_url: str) -> dict:
    """The real source definitions, pointed at the sample site (its own country list)."""
    sources = load_sources()
    mar = sources["mine-action-review"].with_base_url(site_url)
    mar.countries = []  # discovered from the sample site's own links
    wayback = sources["wayback"].with_base_url(site_url)
    return {"mine-action-review": mar, "wayback": wayback}


def run(workdir: str | Path, site_url: str, progress=None) -> DemoResult:
    workdir = Path(workdir)
    corpus_dir = workdir / "corpus"
    db_path = workdir / "tracker.db"
    sources = demo_sources(site_url)
    settings = CrawlSettings(delay=0.0, retries=1, backoff=0.1, timeout=10)
    crawl_report = crawl.run(
        str(corpus_dir), sources, ["mine-action-review", "wayback"], settings, progress=progress
    )
    build_report = build_mod.build(str(corpus_dir), str(db_path))
    return DemoResult(site_url, str(corpus_dir), str(db_path), crawl_report, build_report)
