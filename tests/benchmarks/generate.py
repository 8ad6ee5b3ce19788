"""Generated corpora for tests and benchmarks: country pages in the style of the
publishers, written from templates in our own words (invented facts).

Each (country, series) has a few asks that run over the years: asked, repeated in
other words, then implemented (a dated development in a later edition) or dropped.
Everything is derived from a seeded random generator: the same arguments give the
same bytes.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from extractor import countries
from tracker.corpus import Corpus, Sidecar

SERIES = {
    "mar-cmr": ("Clearing Cluster Munition Remnants", "Article 4 deadline", ""),
    "mar-mines": ("Clearing the Mines", "Article 5 deadline", "/anti-personnel-mines"),
}
MONTHS = ["January", "March", "May", "July", "September", "November"]
_CRITERIA = [
    "Understanding of contamination",
    "National ownership and programme management",
    "Gender and diversity",
    "Information management and reporting",
    "Planning and tasking",
    "Land release system",
    "Land release outputs",
]

# (topic, [wordings], development sentence once implemented)
ASKS = [
    (
        "strategy",
        [
            "{c} should adopt a national mine action strategy with yearly land release targets.",
            "{c} should finalise and adopt its national mine action strategy without delay.",
        ],
        "In {month} {year}, {c} adopted its national mine action strategy.",
    ),
    (
        "law",
        [
            "{c} should finalise and adopt the national mine action law.",
            "{c} should act quickly to pass the long-awaited mine action law.",
        ],
        "In {month} {year}, the parliament of {c} adopted a national mine action law.",
    ),
    (
        "standards",
        [
            "The national authority should revise its national mine action standards.",
            "The national authority should finalise the revision of its national standards.",
        ],
        "Revised national mine action standards were approved in {month} {year}.",
    ),
    (
        "gender",
        [
            "{c} should elaborate a gender and diversity policy for mine action.",
            "{c} should elaborate a gender and diversity policy and an implementation plan.",
        ],
        "A gender and diversity policy was adopted in {month} {year}.",
    ),
    (
        "funding",
        [
            "{c} should develop a resource mobilisation strategy for its clearance programme.",
            "{c} should develop and launch a resource mobilisation strategy.",
        ],
        "{c} launched a resource mobilisation strategy in {month} {year}.",
    ),
    (
        "reporting",
        [
            "The national authority should publish an annual report on progress against targets.",
            "The national authority should present an annual report detailing its progress.",
        ],
        None,
    ),
    (
        "baseline",
        [
            "{c} should establish an accurate baseline of contamination through survey.",
            "{c} should complete the national baseline survey of contamination.",
        ],
        "{c} completed its national baseline survey in {month} {year}.",
    ),
    (
        "data",
        [
            "The national authority should improve information management in its database.",
            "The national authority should take action to strengthen information management.",
        ],
        None,
    ),
]


@dataclass(frozen=True)
class GeneratedDocument:
    country_code: str
    country: str
    series: str
    year: int
    text: str


def country_list(n: int) -> list[countries.Country]:
    return [c for c in countries.all_countries() if not c.other_area][:n]


def document(country: countries.Country, series: str, year: int, first_year: int) -> str:
    """The page of one edition; the asks' life cycles depend only on (country, series)."""
    seed = int(hashlib.sha256(f"{country.code}|{series}".encode()).hexdigest()[:12], 16)
    rng = random.Random(seed)
    title, deadline, _ = SERIES[series]
    name = country.name
    cycles = []
    for index, (_topic, wordings, done) in enumerate(ASKS):
        start = first_year + rng.randrange(0, 6)
        length = rng.randrange(1, 5)
        outcome = "implemented" if done and rng.random() < 0.6 else "dropped"
        cycles.append((index, start, start + length, outcome, wordings, done))
    released = round(rng.uniform(0.5, 30) + year % 7, 2)
    cleared = round(released * rng.uniform(0.3, 0.9), 2)
    destroyed = rng.randrange(100, 5000) + year
    remaining = round(rng.uniform(5, 300) + year % 11, 1)
    provinces = [f"{name} {p}" for p in ("North", "South", "East", "West", "Centre", "Coast")]
    lines = [
        f"URL: https://www.example.org/country/{name.lower().replace(' ', '-')}"
        + SERIES[series][2],
        "",
        name,
        f"{title} {year}",
        "",
        f"  • {deadline}",
        "",
        f"    31 December {year + 3}",
        "",
        "  • Performance",
        "",
        "Performance Criterion Score",
        *(f"{c} (10% of overall score) {rng.randrange(3, 10)}" for c in _CRITERIA),
        f"Performance score {rng.randrange(40, 90) / 10}",
        "",
        "Key Developments",
        "",
        f"In {year - 1}, {name} released {released}km2 of land, of which {cleared}km2 was "
        f"cleared, and destroyed {destroyed:,} explosive items.",
    ]
    body = [
        "",
        "Contamination",
        "",
        f"As at the end of {year - 1}, {name} reported an estimated {remaining}km2 of "
        f"contaminated land across {len(provinces)} provinces, most of it in areas that were "
        "fought over repeatedly. Survey in recent years has cancelled much of the land once "
        "suspected, but new hazards continue to be found as access to remote areas improves "
        "and as communities report items found during farming and construction.[1]",
        "",
        "Province / Hazardous areas / Area (m2)",
        *(
            f"{p} / {rng.randrange(3, 90)} / {rng.randrange(10_000, 2_000_000):,}"
            for p in provinces
        ),
        "",
        "Land Release",
        "",
        f"Operators cancelled {round(rng.uniform(0.1, 5), 2)}km2 through non-technical survey "
        f"and reduced {round(rng.uniform(0.1, 5), 2)}km2 through technical survey in "
        f"{year - 1}. The national authority says that the rate of clearance depends on "
        "funding, which fell short of the amount set out in its work plan. Quality "
        "management visits were carried out on most tasks, and no accidents to deminers "
        "were recorded during the year.[2]",
        "",
        "The programme also continued risk education in affected communities, reaching "
        f"some {rng.randrange(5_000, 90_000):,} people, and it introduced new reporting "
        "forms for operators so that survey and clearance results are recorded in the same "
        "way across the country. Coordination meetings between the authority and operators "
        "were held every quarter, and an annual workshop reviewed progress against the "
        "targets of the national plan.[3]",
    ]
    recs = []
    for index, start, end, outcome, wordings, done in cycles:
        if start <= year < end:
            recs.append(wordings[(year - start) % 2].format(c=name))
        elif year == end and outcome == "implemented":
            month = MONTHS[(index + year) % len(MONTHS)]
            lines.append(done.format(c=name, month=month, year=year - 1))
    lines += body
    lines += ["", "Recommendations for Action", ""]
    lines += [f"  • {r}" for r in recs] or ["  • The programme should continue its work."]
    lines += ["", f'Download the full "{title} {year}" report for {name}', ""]
    return "\n".join(lines)


def generate(n_countries: int, years: list[int], series: list[str]) -> list[GeneratedDocument]:
    out = []
    for country in country_list(n_countries):
        for s in series:
            for year in years:
                text = document(country, s, year, years[0])
                out.append(GeneratedDocument(country.code, country.name, s, year, text))
    return out


def store(corpus_dir: str | Path, docs: list[GeneratedDocument], day: int = 0) -> list[Sidecar]:
    """Documents into a corpus with the sidecar `tracker add` writes (country, series and
    edition year given), fetched on a fixed date (+ ``day``) so the corpus is reproducible."""
    corpus = Corpus(corpus_dir)
    fetched = (datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=day)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    out = []
    for doc in docs:
        data = doc.text.encode()
        sha = hashlib.sha256(data).hexdigest()
        url = doc.text.splitlines()[0].removeprefix("URL: ") + f"?edition={doc.year}"
        side = Sidecar(
            url=url,
            final_url=url,
            fetched_at=fetched,
            status=200,
            content_type="text/plain",
            sha256=sha,
            size=len(data),
            source="local",
            country=doc.country_code,
            series=doc.series,
            report_year=doc.year,
        )
        corpus.store(data, side)
        out.append(side)
    return out


def changed(doc: GeneratedDocument) -> GeneratedDocument:
    """A new version of the same edition: a figure revised and one more sentence."""
    text = doc.text.replace("km2 of land,", "1km2 of land,", 1).replace(
        "Key Developments\n", "Key Developments\n\nThe page was updated after publication.\n", 1
    )
    return GeneratedDocument(doc.country_code, doc.country, doc.series, doc.year, text)
