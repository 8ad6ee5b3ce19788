"""The sample site's data (``content.yml``) as typed, validated dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from importlib import resources

import yaml

SERIES = ("mar-cmr", "mar-mines")
OUTCOMES = ("repeated", "reworded", "implemented", "dropped", "new")
# MAR's rating bands, on the overall score x 10: (lowest score, word).
_BANDS = ((80, "Very Good"), (70, "Good"), (50, "Average"), (40, "Poor"), (0, "Very Poor"))


class ContentError(ValueError):
    """content.yml is inconsistent; the message names the key."""


class UnknownPage(LookupError):
    """No such country, edition or tab on the sample site."""


@dataclass(frozen=True)
class Report:
    series: str
    title: str  # "Clearing the Mines"
    tab: str  # "Anti-Personnel Mines"
    suffix: str  # "" or "/anti-personnel-mines"
    article: int
    contamination: str


@dataclass(frozen=True)
class Criterion:
    slug: str
    label: str  # may hold {contamination} and {article}
    weight: int  # per cent

    def label_for(self, report: Report) -> str:
        name = self.label.format(contamination=report.contamination, article=report.article)
        return f"{name} ({self.weight}% of overall score)"


@dataclass(frozen=True)
class Country:
    slug: str
    name: str
    code: str
    summary: str


@dataclass(frozen=True)
class Recommendation:
    thread: str
    text: str


@dataclass(frozen=True)
class Figure:
    """A figure a correct extractor should read from a page's Key Developments."""

    metric: str
    value: float
    year: int
    qualifier: str | None


@dataclass(frozen=True)
class Chain:
    """A designed recommendation thread and what happens to it (see content.yml)."""

    thread: str
    country: str
    series: str
    topic: str
    outcome: str
    year: int | None  # when it was implemented, dropped or first asked
    evidence: str | None


@dataclass(frozen=True)
class Page:
    country: Country
    report: Report
    edition: int
    pdf: str
    deadline: str
    scores: tuple[int, ...]
    developments: tuple[str, ...]
    recommendations: tuple[Recommendation, ...]
    figures: tuple[Figure, ...]
    criteria: tuple[Criterion, ...]

    @property
    def series(self) -> str:
        return self.report.series

    @property
    def path(self) -> str:
        return page_path(self.country.slug, self.report)

    @property
    def pdf_path(self) -> str:
        return f"/assets/downloads/{self.pdf}"

    @property
    def report_title(self) -> str:
        """'Clearing the Mines 2023'."""
        return f"{self.report.title} {self.edition}"

    @property
    def deadline_label(self) -> str:
        return f"Article {self.report.article} deadline"

    @cached_property
    def _total(self) -> int:
        return sum(s * c.weight for s, c in zip(self.scores, self.criteria, strict=True))

    @property
    def overall(self) -> str:
        """The weighted overall score, one decimal ('6.3')."""
        return f"{self._total // 100}.{self._total % 100 // 10}"

    @property
    def rating(self) -> str:
        return next(word for low, word in _BANDS if self._total // 10 >= low)

    def score_rows(self) -> list[tuple[str, str]]:
        rows = [
            (c.label_for(self.report), str(s))
            for c, s in zip(self.criteria, self.scores, strict=True)
        ]
        return rows + [("Performance score", self.overall)]


def page_path(slug: str, report: Report) -> str:
    return f"/country/{slug}{report.suffix}"


@dataclass(frozen=True)
class Content:
    site_name: str
    notice: str
    editions: tuple[int, ...]
    published: dict[tuple[int, str], date]  # (edition, series) -> date the page went live
    archived: dict[tuple[int, str], str]  # (edition, series) -> CDX timestamp
    reports: dict[str, Report]
    criteria: tuple[Criterion, ...]
    countries: tuple[Country, ...]
    pages: dict[tuple[str, int, str], Page]  # (slug, edition, series)
    chains: tuple[Chain, ...]

    @property
    def latest_edition(self) -> int:
        return max(self.editions)

    def country(self, slug: str) -> Country:
        for country in self.countries:
            if country.slug == slug:
                return country
        raise UnknownPage(f"no country {slug!r} on the sample site")

    def page(self, country: str, edition: int, series: str) -> Page:
        try:
            return self.pages[(country, edition, series)]
        except KeyError:
            raise UnknownPage(f"no page {country}/{edition}/{series} on the sample site") from None

    def locate(self, path: str) -> tuple[str, str] | None:
        """(country slug, series) of a country page path, or None."""
        for country in self.countries:
            for report in self.reports.values():
                if page_path(country.slug, report) == path:
                    return country.slug, report.series
        return None

    def page_for_pdf(self, file_name: str) -> Page | None:
        for page in self.pages.values():
            if page.pdf == file_name:
                return page
        return None


def _need(mapping: dict, key: str, where: str):
    if not isinstance(mapping, dict) or key not in mapping:
        raise ContentError(f"{where}: missing key {key!r}")
    return mapping[key]


def parse(data: dict) -> Content:
    """Content from the parsed YAML, checked for consistency."""
    site = _need(data, "site", "content")
    reports = {
        series: Report(
            series, r["title"], r["tab"], r["suffix"], int(r["article"]), r["contamination"]
        )
        for series, r in _need(data, "reports", "content").items()
    }
    if tuple(reports) != SERIES:
        raise ContentError(f"reports: expected {SERIES}, found {tuple(reports)}")
    criteria = tuple(
        Criterion(c["slug"], c["label"], int(c["weight"])) for c in _need(data, "criteria", "")
    )
    if sum(c.weight for c in criteria) != 100:
        raise ContentError("criteria: weights must add up to 100")
    published: dict[tuple[int, str], date] = {}
    archived: dict[tuple[int, str], str] = {}
    for year, by_series in _need(data, "editions", "content").items():
        for series in SERIES:
            entry = _need(by_series, series, f"editions.{year}")
            published[(int(year), series)] = date.fromisoformat(str(entry["published"]))
            archived[(int(year), series)] = str(entry["archived"])
    editions = tuple(sorted({year for year, _ in published}))
    chains = tuple(
        Chain(
            c["thread"],
            c["country"],
            c["series"],
            c["topic"],
            c["outcome"],
            c.get("in"),
            c.get("evidence"),
        )
        for c in _need(data, "chains", "content")
    )
    threads = {c.thread for c in chains}
    for chain in chains:
        if chain.outcome not in OUTCOMES:
            raise ContentError(f"chains.{chain.thread}: unknown outcome {chain.outcome!r}")
    countries: list[Country] = []
    pages: dict[tuple[str, int, str], Page] = {}
    for c in _need(data, "countries", "content"):
        country = Country(c["slug"], c["name"], c["code"], " ".join(c["summary"].split()))
        countries.append(country)
        for series, by_year in _need(c, "pages", country.slug).items():
            for year, p in by_year.items():
                where = f"countries.{country.slug}.pages.{series}.{year}"
                if int(year) not in editions:
                    raise ContentError(f"{where}: edition {year} is not in editions")
                recs = tuple(
                    Recommendation(r["thread"], " ".join(r["text"].split()))
                    for r in _need(p, "recommendations", where)
                )
                for rec in recs:
                    if rec.thread not in threads:
                        raise ContentError(f"{where}: thread {rec.thread!r} is not in chains")
                if not 2 <= len(recs) <= 5:
                    raise ContentError(f"{where}: needs 2 to 5 recommendations")
                scores = tuple(int(s) for s in _need(p, "scores", where))
                if len(scores) != len(criteria):
                    raise ContentError(f"{where}: needs {len(criteria)} scores")
                pages[(country.slug, int(year), series)] = Page(
                    country=country,
                    report=reports[series],
                    edition=int(year),
                    pdf=str(_need(p, "pdf", where)),
                    deadline=str(_need(p, "deadline", where)),
                    scores=scores,
                    developments=tuple(" ".join(d.split()) for d in p["developments"]),
                    recommendations=recs,
                    figures=tuple(
                        Figure(f["metric"], float(f["value"]), int(f["year"]), f["qualifier"])
                        for f in p.get("figures", [])
                    ),
                    criteria=criteria,
                )
    for country in countries:
        for year in editions:
            for series in SERIES:
                if (country.slug, year, series) not in pages:
                    raise ContentError(f"countries.{country.slug}: no {series} page for {year}")
    return Content(
        site_name=site["name"],
        notice=" ".join(site["notice"].split()),
        editions=editions,
        published=published,
        archived=archived,
        reports=reports,
        criteria=criteria,
        countries=tuple(countries),
        pages=pages,
        chains=chains,
    )


@lru_cache(maxsize=1)
def load() -> Content:
    """The bundled content.yml."""
    raw = resources.files(__package__).joinpath("content.yml").read_text(encoding="utf-8")
    return parse(yaml.safe_load(raw))
