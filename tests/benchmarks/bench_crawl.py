"""Benchmark (not a test): re-crawl a generated 1,000-document mirror on loopback.

    python tests/benchmarks/bench_crawl.py [--documents 1000] [--concurrency 2]

Serves a generated Mine Action Review-like mirror (a home page, country pages, one PDF
per country; ETag / Last-Modified and 304 answers) from a ThreadingHTTPServer on
127.0.0.1 in a separate process (so the server does not compete with the crawler for the
GIL), crawls it cold into a temporary corpus, then crawls it again with delay 0 and
prints requests per second, the share answered 304, new versions stored and elapsed
time. Targets for the re-crawl: >= 99 % answered 304, 0 new versions, under 5 s. It
reports and never asserts.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.mirror import Mirror, country_page  # noqa: E402
from tracker.crawl import CrawlReport, run  # noqa: E402
from tracker.settings import CrawlSettings  # noqa: E402
from tracker.sources import load_sources  # noqa: E402


def generate(documents: int, seed: int = 7) -> dict[str, bytes | tuple[bytes, str]]:
    """Half country pages, half the PDFs they link to, plus the home page linking them."""
    rng = random.Random(seed)
    countries = documents // 2
    pages: dict[str, bytes | tuple[bytes, str]] = {}
    links = [(f"/country/country-{i:04d}", f"Country {i}") for i in range(countries)]
    pages["/"] = country_page("home", links)
    for i in range(countries):
        pdf = f"/assets/downloads/{i:04d}_Clearing_the_Mines_2024.pdf"
        text = "Click here to download the full \u201cClearing the Mines 2024\u201d report."
        note = " ".join(rng.choice(["survey", "clearance", "release", "km2"]) for _ in range(600))
        pages[links[i][0]] = country_page(f"country {i}", [(pdf, text)], note=" " + note)
        pages[pdf] = (b"%PDF-1.4\n" + rng.randbytes(20_000) + b"\n%%EOF\n", "application/pdf")
    return pages


def serve(documents: int, conn, stop) -> None:
    """In the server process: generate the mirror, serve it until told to stop."""
    with Mirror(generate(documents)) as site:
        conn.send(site.url)
        stop.wait()


def crawl(corpus: Path, base_url: str, concurrency: int) -> tuple[CrawlReport, float]:
    source = load_sources()["mine-action-review"].with_base_url(base_url)
    source.countries = []  # everything is discovered from the home page
    settings = CrawlSettings(delay=0.0, concurrency=concurrency, retries=1, backoff=0.1)
    started = time.perf_counter()
    report = run(str(corpus), {source.name: source}, [source.name], settings)
    return report, time.perf_counter() - started


def describe(label: str, report: CrawlReport, elapsed: float) -> str:
    c = report.counts
    share = c.get("not_modified", 0) / report.requested if report.requested else 0.0
    new_versions = c.get("new", 0) + c.get("changed", 0)
    return (
        f"{label:<9} {report.requested:>5} requests in {elapsed:6.2f} s = "
        f"{report.requested / elapsed:7.1f} requests/s ({report.http_requests} HTTP requests "
        f"with robots.txt), {share:6.1%} answered 304, {new_versions} new versions stored, "
        f"{c.get('failed', 0)} failed"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=CrawlSettings().concurrency)
    args = parser.parse_args(argv)
    ours, theirs = multiprocessing.Pipe()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(args.documents, theirs, stop))
    server.start()
    try:
        url = ours.recv()
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            print(
                f"mirror: {args.documents} documents + the home page at {url}; "
                f"concurrency {args.concurrency} per host, delay 0"
            )
            cold, cold_s = crawl(corpus, url, args.concurrency)
            print(describe("cold", cold, cold_s))
            again, again_s = crawl(corpus, url, args.concurrency)
            print(describe("re-crawl", again, again_s))
    finally:
        stop.set()
        server.join(10)
    c = again.counts
    share = c.get("not_modified", 0) / again.requested if again.requested else 0.0
    new_versions = c.get("new", 0) + c.get("changed", 0)
    checks = [
        (">= 99 % answered 304", share >= 0.99),
        ("0 new versions", new_versions == 0),
        ("under 5 s", again_s < 5.0),
    ]
    print("targets: " + ", ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
