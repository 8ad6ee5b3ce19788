"""Segment stage: document metadata (country, series, edition year) and sections.

Each metadata field records the rule that set it, so a person can see why.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from urllib.parse import urlparse

import yaml

from . import countries
from .model import Block, DocumentMeta, LoadedDocument, Section

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DOWNLOAD = re.compile(
    r"download the (?:full )?[\"\u201c]?"
    r"(?P<report>clearing (?:cluster munition remnants|the mines))"
    r"(?: report)? (?P<year>(?:19|20)\d\d)[\"\u201d]?(?: report)? for (?P<country>[^.\n]+)",
    re.I,
)
_DOWNLOAD_SHORT = re.compile(r"download the full (?P<year>(?:19|20)\d\d) report for", re.I)
_TITLE_REPORT = re.compile(
    r"(?P<report>clearing (?:cluster munition remnants|the mines))\s+(?:report\s+)?"
    r"(?P<year>(?:19|20)\d\d)",
    re.I,
)
_LAST_UPDATED = re.compile(
    rf"last updated:?\s*(?:\d{{1,2}}\s+)?(?:{_MONTHS})?\s*(?P<year>(?:19|20)\d\d)", re.I
)
_MONITOR_URL = re.compile(r"/reports/(?P<year>(?:19|20)\d\d)/(?P<slug>[a-z0-9-]+)/")
_MAR_URL = re.compile(r"/country/(?P<slug>[a-z0-9-]+)(?P<mines>/anti-personnel-mines)?/?$")
_WAYBACK = re.compile(r"/web/(?P<ts>\d{4})\d*(?:id_)?/(?P<orig>.+)$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def series_for_report(name: str) -> str:
    return "mar-mines" if "mines" in name.lower() else "mar-cmr"


@lru_cache(maxsize=1)
def _heading_patterns() -> list[tuple[str, re.Pattern]]:
    raw = resources.files("extractor").joinpath("patterns/sections.yml").read_text()
    out = []
    for name, patterns in yaml.safe_load(raw).items():
        for pattern in patterns:
            out.append((name, re.compile(rf"^(?:{pattern})\s*:?$", re.I)))
    return out


def heading_name(text: str) -> str | None:
    """The section a block's text names, if it is a section heading."""
    candidate = re.sub(r"^[\s•■>\-]+", "", text).strip().rstrip(".")
    if not candidate or len(candidate) > 90:
        return None
    for name, pattern in _heading_patterns():
        if pattern.match(candidate):
            return name
    return None


def sections(doc: LoadedDocument) -> list[Section]:
    found: list[Section] = []
    current: Section | None = None
    for page in doc.pages:
        for block in page.blocks:
            name = heading_name(block.text) if block.kind != "bullet" else None
            if name and (block.kind in ("heading", "paragraph", "row") or name == "download"):
                current = Section(name, block.text, block.page, [])
                found.append(current)
                continue
            if current is not None:
                current.blocks.append(block)
    return found


def metadata(doc: LoadedDocument, overrides: dict | None = None) -> DocumentMeta:
    """Country, series and edition year, each with the rule that set it."""
    meta = DocumentMeta(title=doc.title, pages=len(doc.pages))
    text = "\n".join(p.text for p in doc.pages)
    url = doc.url or ""
    path = urlparse(url).path if url else ""
    wayback = _WAYBACK.search(path)
    snapshot_year = None
    if wayback:
        snapshot_year = int(wayback.group("ts"))
        url = wayback.group("orig")
        path = urlparse(url if "://" in url else f"http://{url}").path

    def setv(field: str, value, rule: str) -> None:
        if value is not None and getattr(meta, field) is None:
            setattr(meta, field, value)
            meta.rules[field] = rule

    for key, value in (overrides or {}).items():
        if value is not None:
            setv(key, value, "override")

    download = _DOWNLOAD.search(text)
    title_report = _TITLE_REPORT.search((doc.title or "") + "\n" + text[:300])
    mar = _MAR_URL.search(path)
    monitor = _MONITOR_URL.search(path)

    # series
    if mar:
        setv("series", "mar-mines" if mar.group("mines") else "mar-cmr", "url:mar-country-page")
    if monitor or "the-monitor.org" in url:
        setv("series", "monitor", "url:monitor")
    if download:
        setv("series", series_for_report(download.group("report")), "text:download-line")
    if title_report:
        setv("series", series_for_report(title_report.group("report")), "text:title")
    if re.search(r"landmine (and cluster munition )?monitor|last updated:", text[:600], re.I):
        setv("series", "monitor", "text:monitor-header")

    # country
    if overrides and overrides.get("country") and not meta.country_code:
        found = countries.lookup(overrides["country"])
        if found:
            meta.country, meta.country_code = found.name, found.code
            meta.rules["country_code"] = "override"
    if meta.country and not meta.country_code:
        found = countries.lookup(meta.country)
        if found:
            meta.country, meta.country_code = found.name, found.code
            meta.rules["country_code"] = meta.rules.get("country", "override")
    for rule, candidate in (
        ("url:slug", (mar or monitor).group("slug") if (mar or monitor) else None),
        ("text:download-line", download.group("country") if download else None),
        ("text:title", doc.title),
        ("text:opening", text[:400]),
        ("text:body", text[:2500]),
    ):
        if meta.country_code or not candidate:
            continue
        free_text = rule in ("text:opening", "text:body")
        found = countries.lookup(candidate) if not free_text else None
        if found is None and (free_text or rule == "text:title"):
            found = countries.find_in_text(candidate, limit=len(candidate))
        if found:
            meta.country, meta.country_code = found.name, found.code
            meta.rules["country"] = meta.rules["country_code"] = rule

    # edition year
    last_updated = _LAST_UPDATED.search(text)
    if last_updated:
        setv("report_year", int(last_updated.group("year")), "text:last-updated")
    if title_report:
        setv("report_year", int(title_report.group("year")), "text:title")
    if monitor:
        setv("report_year", int(monitor.group("year")), "url:monitor-year")
    if download:
        year = int(download.group("year"))
        latest = _latest_year(text)
        # the download line can be stale: trust it unless the text reports on a later year
        if latest is None or latest <= year:
            setv("report_year", year, "text:download-line")
        else:
            setv("report_year", latest + 1, "text:latest-year+1")
    short = _DOWNLOAD_SHORT.search(text)
    if short:
        setv("report_year", int(short.group("year")), "text:download-line")
    if snapshot_year:
        setv("report_year", snapshot_year, "url:snapshot-year")
    latest = _latest_year(text)
    if latest:
        setv("report_year", latest + 1, "text:latest-year+1")
    return meta


def _latest_year(text: str) -> int | None:
    """The latest year the text reports on (years followed by a deadline excluded)."""
    years = []
    for match in _YEAR.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()].lower()
        if "deadline" in before or "until" in before or "by " in before[-4:]:
            continue
        years.append(int(match.group(0)))
    return max(years) if years else None


def blocks_text(blocks: list[Block]) -> str:
    return "\n".join(b.text for b in blocks)
