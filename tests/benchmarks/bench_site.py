"""Benchmark of the published site (not a test: it reports and never asserts).

    python tests/benchmarks/bench_site.py [--db PATH] [--runs 20] [--keep]

Generates a database of 100 countries x 30 editions (about 30,000 recommendations and
100,000 figures) with the real schema (tracker.store.create_schema / finish), then times
through Datasette (its own client, the exact instance `tracker serve` runs):
- every canned query, for all countries and for one country;
- every dashboard chart's SQL as the dashboard fetches it, with and without a country,
  and each dashboard page;
- a 3-facet table page beside a single-row page.
Targets (issue 7): no canned or dashboard query over 300 ms at p95; the faceted page within
15x of the single-row page.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tracker import store  # noqa: E402
from tracker.serve import DATABASE, load_metadata, make_datasette  # noqa: E402

COUNTRIES = 100
YEARS = range(1996, 2026)  # 30 editions
SERIES = ("mar-cmr", "mar-mines")
TOPICS = (
    "ccm_accession",
    "strategy",
    "standards",
    "survey_baseline",
    "land_release_method",
    "data_management",
    "reporting",
    "funding",
    "national_authority",
    "gender_diversity",
)
CRITERIA = (
    "understanding_of_contamination",
    "national_ownership",
    "gender_diversity",
    "environment",
    "information_management",
    "planning_and_tasking",
    "land_release_system",
    "land_release_outputs",
)
WORDS = (
    "national mine action authority should adopt revised standards survey clearance "
    "cluster munition remnants land release contamination strategy donors funding report "
    "gender diversity environment database baseline technical non-technical completion "
    "deadline extension residual risk capacity quality management operators province"
).split()


def sentence(rng: random.Random, n: int = 18) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(path: Path, seed: int = 7) -> dict[str, int]:
    """Fill a new database at `path`; returns row counts."""
    rng = random.Random(seed)
    db = store.open_new(path)
    store.create_schema(db)
    codes = ["X" + chr(65 + i // 26) + chr(65 + i % 26) for i in range(COUNTRIES)]
    rows: dict[str, list[dict]] = {name: [] for name in store.TABLES}
    rows["sources"] = [
        {"name": "mine-action-review", "publisher": "Mine Action Review",
         "base_url": "https://www.mineactionreview.org"},
        {"name": "wayback", "publisher": "Internet Archive (Wayback Machine)",
         "base_url": "https://web.archive.org"},
    ]  # fmt: skip
    rows["series"] = [
        {"slug": s["slug"], "name": s["name"], "publisher": s["publisher"]} for s in store.SERIES
    ]
    rows["countries"] = [
        {"code": code, "name": f"Country {code}", "other_area": 0, "aliases": "[]"}
        for code in codes
    ]
    rows["crawl_runs"] = [
        {"id": 1, "started": "2025-09-01T00:00:00Z", "finished": "2025-09-01T01:00:00Z",
         "sources": "mine-action-review", "requested": 6000, "not_modified": 0, "new": 6000,
         "changed": 0, "unchanged": 0, "failed": 0, "outcome": "completed"}
    ]  # fmt: skip
    rows["builds"] = [
        {"id": 1, "started": "2025-09-01T01:00:00Z", "finished": "2025-09-01T01:30:00Z",
         "documents": 6000, "extracted": 6000, "cached": 0, "failed": 0, "changes": 0}
    ]  # fmt: skip
    for code in codes:
        for series in SERIES:
            threads: list[dict] = []
            previous_figures: dict[tuple, float] = {}
            for year in YEARS:
                doc_id = hashlib.sha256(f"{code}/{series}/{year}".encode()).hexdigest()
                is_pdf = rng.random() < 0.3
                url = (
                    f"https://www.mineactionreview.org/assets/downloads/{code}_{series}_{year}.pdf"
                    if is_pdf
                    else f"https://www.mineactionreview.org/country/{code.lower()}/{series}"
                )
                rows["documents"].append(
                    {"id": doc_id, "url": url, "final_url": url, "source": "mine-action-review",
                     "publisher": "Mine Action Review", "fetched_at": f"{year}-10-01T09:00:00Z",
                     "content_type": "application/pdf" if is_pdf else "text/html",
                     "size": 50_000, "country_code": code, "series": series,
                     "report_year": year, "title": f"{code} {series} {year}", "pages": 3,
                     "figures": 17, "recommendations": 5, "developments": 1}
                )  # fmt: skip
                for page in (1, 2, 3):
                    rows["document_pages"].append(
                        {"id": f"{doc_id[:16]}-p{page}", "document_id": doc_id, "page": page,
                         "text": " ".join(sentence(rng) for _ in range(12))}
                    )  # fmt: skip
                # 17 figures a document: 9 scores of last year, 4 results of the last two years
                figures = [("performance_score", c, "score", 1) for c in (*CRITERIA, "overall")]
                figures += [
                    (metric, None, unit, 2)
                    for metric, unit in (("area_released", "km2"), ("area_cleared", "km2"),
                                         ("submunitions_destroyed", "count"),
                                         ("ap_mines_destroyed", "count"))
                ]  # fmt: skip
                for n, (metric, criterion, unit, years) in enumerate(figures, 1):
                    for described in (year - 1, year - 2)[:years]:
                        key = (metric, criterion, described)
                        value = previous_figures.get(key)
                        if value is None or rng.random() < 0.05:  # 5% revised later
                            value = round(rng.uniform(0, 10 if unit == "score" else 500), 1)
                        previous_figures[key] = value
                        rows["figures"].append(
                            {"id": f"{doc_id[:16]}-f{n}-{described}", "document_id": doc_id,
                             "country_code": code, "series": series, "report_year": year,
                             "metric": metric, "value": value, "unit": unit,
                             "year": described, "criterion": criterion, "confidence": "high",
                             "flags": "[]", "text": str(value),
                             "sentence": f"In {described}, {value}{unit} {metric} "
                                         + sentence(rng, 8),
                             "page": rng.randint(1, 3), "section": "land_release",
                             "rule": "bench"}
                        )  # fmt: skip
                dev_id = f"{doc_id[:16]}-d1"
                topic_done = rng.choice(TOPICS)
                rows["developments"].append(
                    {"id": dev_id, "document_id": doc_id, "country_code": code,
                     "series": series, "report_year": year, "event": f"{topic_done}_adopted",
                     "topic": topic_done, "stage": "completed", "year": year - 1,
                     "sentence": sentence(rng), "page": 1, "rule": "bench"}
                )  # fmt: skip
                open_threads = [t for t in threads if t["status"] in ("new", "repeated")]
                for thread in open_threads:
                    if thread["topic"] == topic_done:
                        thread["status"], thread["status_year"] = "implemented", year
                        thread["evidence_id"] = dev_id
                        rows["thread_status"].append(
                            {"thread_id": thread["id"], "report_year": year,
                             "status": "implemented", "evidence_id": dev_id, "needs_review": 0}
                        )  # fmt: skip
                    elif rng.random() < 0.1:
                        thread["status"], thread["status_year"] = "dropped", year
                        rows["thread_status"].append(
                            {"thread_id": thread["id"], "report_year": year,
                             "status": "dropped", "needs_review": 0}
                        )  # fmt: skip
                carried = [t for t in threads if t["status"] in ("new", "repeated")][:5]
                while len(carried) < 5:
                    topic = rng.choice(TOPICS)
                    thread = {"id": f"{code}-{series}-{year}-{len(threads)}",
                              "country_code": code, "series": series, "topic": topic,
                              "title": "", "first_year": year, "last_year": year,
                              "times_repeated": -1, "status": "new", "status_year": year,
                              "needs_review": 0}  # fmt: skip
                    threads.append(thread)
                    carried.append(thread)
                for position, thread in enumerate(carried, 1):
                    rec_id = f"{doc_id[:16]}-r{position}"
                    text = f"{code} should {sentence(rng, 14).lower()}"
                    thread["times_repeated"] += 1
                    thread["last_year"] = year
                    thread["title"] = text
                    status = "new" if thread["first_year"] == year else "repeated"
                    thread["status"], thread["status_year"] = status, year
                    rows["recommendations"].append(
                        {"id": rec_id, "document_id": doc_id, "country_code": code,
                         "series": series, "report_year": year, "position": position,
                         "text": text, "actor": code, "action": "adopt", "truncated": 0,
                         "primary_topic": thread["topic"], "topics": f'["{thread["topic"]}"]',
                         "page": 1, "thread_id": thread["id"], "link_score": 1.0,
                         "needs_review": 0}
                    )  # fmt: skip
                    rows["recommendation_topics"].append(
                        {"recommendation_id": rec_id, "topic": thread["topic"], "rank": 1,
                         "rule": "bench"}
                    )  # fmt: skip
                    rows["thread_status"].append(
                        {"thread_id": thread["id"], "report_year": year, "status": status,
                         "recommendation_id": rec_id, "needs_review": 0}
                    )  # fmt: skip
            rows["threads"].extend(threads)
    for table in store.TABLES:
        if rows.get(table):
            store.insert(db, table, rows[table])
    store.finish(db)
    counts = {table: db[table].count for table in store.TABLES}
    store.close_durably(db, path)
    return counts


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def timed(client, path: str, runs: int) -> tuple[float, float, int]:
    times = []
    status = 0
    for _ in range(runs):
        start = time.perf_counter()
        response = await client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        status = response.status_code
    return statistics.median(times), percentile(times, 95), status


def targets(metadata: dict, country: str) -> list[tuple[str, str]]:
    """(label, path) of every canned query and dashboard query, as the site requests them."""
    paths = []
    queries = metadata["databases"][DATABASE].get("queries", {})
    for name, query in queries.items():
        params = {"q": "national standards"} if ":q" in query["sql"] else {}
        paths.append((f"query {name} (all)", f"/{DATABASE}/{name}.json?" + urlencode(params)))
        if ":country" in query["sql"]:
            paths.append(
                (f"query {name} ({country})", f"/{DATABASE}/{name}.json?country={country}")
            )
    dashboards = metadata.get("plugins", {}).get("datasette-dashboards", {})
    for slug, dashboard in dashboards.items():
        paths.append((f"dashboard page {slug}", f"/-/dashboards/{slug}"))
        for chart_slug, chart in dashboard.get("charts", {}).items():
            sql = chart["query"]
            for label, args in (("all", {}), (country, {"country": country})):
                if args and ":country" not in sql:
                    continue
                query = _strip_optional(sql, args)
                path = f"/{DATABASE}.json?" + urlencode({"sql": query, **args, "_shape": "objects"})
                paths.append((f"dashboard {slug}/{chart_slug} ({label})", path))
    return paths


def _strip_optional(sql: str, args: dict) -> str:
    """What datasette-dashboards does with [[ ... :param ... ]] when a filter is not set."""
    from datasette_dashboards import replace_opts_in_query

    return replace_opts_in_query(sql, args)


async def run(db_path: Path, runs: int) -> list[tuple[str, float, float, int]]:
    ds = make_datasette(db_path)
    client = ds.client
    results = []
    metadata = load_metadata()
    any_figure = (await ds.execute(DATABASE, "select id from figures limit 1 offset 5000")).first()
    facets = metadata["databases"][DATABASE]["tables"]["figures"]["facets"]
    pages = [
        ("page: single row /figures/<id>", f"/{DATABASE}/figures/{any_figure[0]}"),
        # metadata.yml gives /figures its facets (adding them as _facet= would compute twice)
        (f"page: /figures, {len(facets)} facets ({', '.join(facets)})", f"/{DATABASE}/figures"),
    ]
    # for information (no target): the views' own pages count and facet a join every time
    views = ("recommendation_status", "figures_cited", "discrepancies")
    pages += [(f"page: view /{view} (information)", f"/{DATABASE}/{view}") for view in views]
    for label, path in pages + targets(metadata, "XAC"):
        await client.get(path)  # warm up
        median, p95, status = await timed(client, path, runs)
        results.append((label, median, p95, status))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="Reuse (or create) the database here.")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.db or Path(tmp) / "bench.db"
        if not db_path.exists():
            start = time.perf_counter()
            counts = generate(db_path)
            print(f"generated {db_path} in {time.perf_counter() - start:.1f}s: ", end="")
            print(", ".join(f"{k} {v:,}" for k, v in counts.items() if v))
        results = asyncio.run(run(db_path, args.runs))
    width = max(len(label) for label, *_ in results)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{os.cpu_count()} CPUs, load average {load}; {args.runs} runs each")
    print(f"\n{'what':<{width}}  median ms    p95 ms  status")
    for label, median, p95, status in results:
        flag = "  OVER 300 ms" if p95 > 300 and not label.startswith("page") else ""
        print(f"{label:<{width}}  {median:9.1f} {p95:9.1f}  {status}{flag}")
    ratio = results[1][1] / results[0][1]
    print(f"\nfaceted page / single-row page (medians): {ratio:.1f}x (target: within 15x)")
    slow = [label for label, _, p95, _ in results if p95 > 300 and not label.startswith("page")]
    print(f"queries over 300 ms at p95: {len(slow)}" + (f" ({', '.join(slow)})" if slow else ""))


if __name__ == "__main__":
    main()
