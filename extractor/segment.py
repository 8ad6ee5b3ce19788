"""Segment stage: document metadata (country, series, edition year) and sections.

Each metadata field records the rule that set it, so a person can see why.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from urllib.parse import urlparse

from . import compiled, countries, figures
from .dates import MONTH_PATTERN
from .model import Block, DocumentMeta, LoadedDocument, Section
from .yamlio import load_yaml

_DOWNLOAD = re.compile(
    r"download the (?:full )?[\"\u201c]?"
    r"(?P<report>clearing (?:cluster munition remnants|the mines))"
    r"(?: report)? (?P<year>(?:19|20)\d\d)[\"\u201d]?(?: report)? for (?P<country>[^.\n]+)",
    re.I,
)
_DOWNLOAD_SHORT = re.compile(r"download the full (?P<year>(?:19|20)\d\d) report for", re.I)
_TITLE_REPORT = re.compile(
    r"(?P<report>clearing (?:cluster munition remnants|the mines)|"
    r"(?:landmine|cluster munition|landmine and cluster munition) monitor)\s+(?:report\s+)?"
    r"(?P<year>(?:19|20)\d\d)",
    re.I,
)
# a line that links to the report ("Click here to download ...", "Full chapter: Clearing ...
# 2019, Lao PDR (PDF, 2.1MB)"): it names an edition but reports on no year
_LINK_LINE = re.compile(
    r"^.*\b(?:download|click here|pdf|full (?:chapter|report))\b.*$", re.I | re.M
)
# a report and its edition, in a link line or a running head the loader took out ("38
# CLEARING CLUSTER MUNITION REMNANTS 2018"): both name the edition the text is from
_EDITION = re.compile(
    r"(?P<report>clearing (?:cluster munition remnants|the mines))\s+(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
# the deadline line under a PDF chapter's country name: the convention names the series
_DEADLINE_HEAD = re.compile(
    r"^[ \t]*(?P<treaty>CONVENTION ON CLUSTER MUNITIONS|ANTI-PERSONNEL MINE BAN CONVENTION)"
    r"[ \t]+ARTICLE [45] DEADLINE\b",
    re.M,
)
_LAST_UPDATED = re.compile(
    rf"last updated:?\s*(?:\d{{1,2}}\s+)?(?:{MONTH_PATTERN})?\s*(?P<year>(?:19|20)\d\d)", re.I
)
_MONITOR_URL = re.compile(r"/reports/(?P<year>(?:19|20)\d\d)/(?P<slug>[a-z0-9-]+)/")
_MAR_URL = re.compile(r"/country/(?P<slug>[a-z0-9-]+)(?P<mines>/anti-personnel-mines)?/?$")
_WAYBACK = re.compile(r"/web/(?P<ts>\d{4})\d*(?:id_)?/(?P<orig>.+)$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# a report chapter copied to docslib.org: "/doc/6861773/serbia-the-mines-2019",
# "/doc/9182734/chad-clearing-cluster-munition-remnants-2019"
_DOCSLIB_REPORT = re.compile(
    r"-(?:(?P<mines>the-mines)|(?:cluster-)?munition-remnants)-(?:19|20)\d\d\b"
)
# a base MAR country page: its deadline line, its tab labels, what its text is about
_ARTICLE_DEADLINE = re.compile(r"^\W*Article ([45]) deadline\b", re.I | re.M)
_TAB_LABELS = re.compile(
    r"^[ \t]*(?:Cluster Munition Remnants|Anti-Personnel Mines)[ \t]*$", re.I | re.M
)
_CMR_WORDS = re.compile(r"\bcluster munitions?\b|\bCMR\b|\bsubmunitions?\b|\bbomblets?\b", re.I)
_MINE_WORDS = re.compile(
    r"\b(?:anti-?personnel|AP) mines?\b|\bminefields?\b|\bmined areas?\b", re.I
)
_MONITOR_ARCHIVE = re.compile(
    r"[?&]url=lm(?:/|%2F)(?P<year>(?:19|20)\d\d)(?:/|%2F)(?:countries(?:/|%2F))?"
    r"(?P<slug>[a-z0-9_-]+)",
    re.I,
)
_IN_YEAR = re.compile(
    r"\b(?:in|during|through|throughout|(?:at|as of|as at) (?:the )?end(?: of)?|end[- ]of|"
    r"(?:quarter|half|part|course|months?|weeks?) of)\s+"
    r"((?:19|20)\d\d)\b(?!\s*[–-]\s*\d)",
    re.I,
)
_DATED = re.compile(rf"\b(?:{MONTH_PATTERN})\s+((?:19|20)\d\d)\b(?!\s*[–-]\s*\d)", re.I)
_DESTROYED = re.compile(
    r"\d[\d,]*\s+(?:[\w-]+\s+){0,3}(?:were\s+|was\s+)?(?:destroyed|cleared)\b", re.I
)
# an output of none is an output too: "Uganda reported no land release in 2019"
_NO_OUTPUT = re.compile(
    r"\bno (?:land )?(?:release|clearance)\b|\bno land was (?:released|cleared)\b", re.I
)
_FUTURE_BEFORE = re.compile(
    r"\b(?:by|until|till|before|from|to|beyond|later than)\s+(?:the\s+)?(?:end[\s-]+(?:of\s+)?)?"
    r"(?:\d{1,2}\s+)?\Z|"
    # "its deadline to destroy all mines in mined areas it controls is 1 March 2018", "the final
    # date by which it must have destroyed them is 1 March 2018"
    r"\b(?:deadlines?|final date|date by which)\b[^.;\n]{0,100}?"
    r"\b(?:is|was|of|on|falls on|expires on|expired on)\s+"
    r"(?:\d{1,2}\s+)?\Z|"
    # a meeting or decision to come: "a decision will be taken at the Twentieth Meeting of
    # States Parties in November 2022"
    r"\b(?:will|shall)\b[^.;\n]{0,80}\Z|"
    r"\b(?:deadlines?|targets?|expire[sd]?|extension|extended|goal|due|(?:plan|plans|planned|"
    r"aims?|intends?|expects?|expected|scheduled|hopes?) to)\b"
    # on the year's line, or ending the line before (a label: "Article 5 deadline\n1 March")
    r"(?:[^.;\n]{0,40}|[^.;\n\d]{0,10}\n\s*[^.;\n]{0,12})\Z|\d\s*[–-]\s*\Z",
    re.I,
)
# the year a quantity is compared with ("down from 1.71km2 in 2015") is not the one reported on
_COMPARED_YEAR = re.compile(
    r"\b(?:from|than|compared (?:with|to)|against)\b(?:[^.;\n]|\.(?=\d)){0,25}\Z", re.I
)
_FUTURE_AFTER = re.compile(
    r"\s*(?:[–-]\s*\d|(?:\S*\s*){0,4}?(?:clearance |completion )*"
    r"(?:deadline|(?:new|revised|extended|final) (?:end )?date\b))",
    re.I,
)  # "1 June 2026 as its new deadline", "fixing 1 August 2023 as the new date"


def series_for_report(name: str) -> str:
    if "monitor" in name.lower():
        return "monitor"
    return "mar-mines" if "mines" in name.lower() else "mar-cmr"


@lru_cache(maxsize=1)
def _heading_patterns() -> list[tuple[str, re.Pattern]]:
    raw = resources.files("extractor").joinpath("patterns/sections.yml").read_text()
    out = []
    for name, patterns in load_yaml(raw).items():
        for pattern in patterns:
            out.append((name, compiled.compile(rf"^(?:{pattern})\s*:?$", re.I)))
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
    url, path, snapshot_year = _url_parts(doc.url or "")

    def setv(field: str, value, rule: str) -> None:
        if value is not None and getattr(meta, field) is None:
            setattr(meta, field, value)
            meta.rules[field] = rule

    for key, value in (overrides or {}).items():
        if value is not None and key != "country":
            setv(key, value, "override")

    download = _DOWNLOAD.search(text)
    named = _named_editions(text, [head for page in doc.pages for head in page.heads])
    opening = _LINK_LINE.sub("", text[:300])
    title_report = _TITLE_REPORT.search((doc.title or "") + "\n" + opening)
    mar = _MAR_URL.search(path)
    monitor = _MONITOR_URL.search(path)
    archive = _MONITOR_ARCHIVE.search(url)

    # series
    if mar and mar.group("mines"):
        setv("series", "mar-mines", "url:mar-country-page")
    if monitor or "the-monitor.org" in url:
        setv("series", "monitor", "url:monitor")
    if download:
        setv("series", series_for_report(download.group("report")), "text:download-line")
    if title_report:
        setv("series", series_for_report(title_report.group("report")), "text:title")
    if named:
        setv("series", series_for_report(named[0][0]), named[0][2])
    deadline = _DEADLINE_HEAD.search(text[:1500])
    if deadline:
        cmr = deadline.group("treaty").startswith("CONVENTION ON CLUSTER")
        setv("series", "mar-cmr" if cmr else "mar-mines", "text:deadline-heading")
    if re.search(r"landmine (and cluster munition )?monitor|last updated:", text[:600], re.I):
        setv("series", "monitor", "text:monitor-header")
    docslib = _DOCSLIB_REPORT.search(path) if "docslib.org" in url else None
    if docslib:  # a copy of a report chapter: its address keeps the report's title
        setv("series", "mar-mines" if docslib.group("mines") else "mar-cmr", "url:docslib-title")
    if mar:  # the base country page: its CMR tab, unless the page is about mines only
        setv("series", *_mar_base_page_tab(text))

    _set_country(meta, doc, text, overrides or {}, mar, monitor, archive, download)
    _set_year(meta, text, setv, title_report, monitor, archive, snapshot_year, named)
    return meta


def _mar_base_page_tab(text: str) -> tuple[str, str]:
    """The tab a base MAR country page (no "/anti-personnel-mines") shows: the CMR tab for a
    country with cluster munition remnants, the mines tab for one without (Algeria, Egypt).
    The page's own deadline line decides ("Article 5 deadline": the mines treaty); a page that
    never names cluster munitions past its tab labels is about mines."""
    deadline = _ARTICLE_DEADLINE.search(text[:2000])
    if deadline:
        return ("mar-cmr" if deadline.group(1) == "4" else "mar-mines"), "text:article-deadline"
    body = _TAB_LABELS.sub("", text)
    if not _CMR_WORDS.search(body) and _MINE_WORDS.search(body):
        return "mar-mines", "text:mines-only"
    return "mar-cmr", "url:mar-country-page"


def _named_editions(text: str, heads: list[str]) -> list[tuple[str, int, str]]:
    """(report, year, rule) of the links to the report in the text, then of the running
    heads the loader took out of it."""
    lines = [(m.group(0), "text:report-link") for m in _LINK_LINE.finditer(text)]
    lines += [(head, "text:running-head") for head in heads]
    found = []
    for line, rule in lines:
        match = _EDITION.search(line)
        if match:
            found.append((match.group("report"), int(match.group("year")), rule))
    return found


def _url_parts(url: str) -> tuple[str, str, int | None]:
    """(original URL, its path, snapshot year) with a Wayback Machine wrapper removed."""
    path = urlparse(url).path if url else ""
    wayback = _WAYBACK.search(path)
    if not wayback:
        return url, path, None
    original = wayback.group("orig")
    full = original if "://" in original else f"http://{original}"
    return original, urlparse(full).path, int(wayback.group("ts"))


def _set_country(meta, doc, text, overrides, mar, monitor, archive, download) -> None:
    if overrides.get("country"):
        found = countries.lookup(overrides["country"])
        if found:
            meta.country, meta.country_code = found.name, found.code
            meta.rules["country"] = meta.rules["country_code"] = "override"
            return
    slug = (mar or monitor).group("slug") if (mar or monitor) else None
    for rule, candidate in (
        ("url:slug", slug),
        ("url:archive-file", archive.group("slug") if archive else None),
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
            # a listing page names several countries equally and is about none of them
            lead = free_text and not _looks_like_report(doc)
            found = countries.find_in_text(candidate, limit=len(candidate), clear_lead=lead)
        if found:
            meta.country, meta.country_code = found.name, found.code
            meta.rules["country"] = meta.rules["country_code"] = rule


_REPORT_SECTIONS = frozenset(
    {
        "recommendations",
        "key_developments",
        "performance",
        "performance_commentary",
        "contamination",
        "land_release",
        "treaty_status",
        "five_year_overview",
        "key_data",
    }
)


def _looks_like_report(doc: LoadedDocument) -> bool:
    """A country report has at least one report section heading (a home page or a list of
    countries has none): only then may a country named in its text be its country."""
    return any(
        heading_name(block.text) in _REPORT_SECTIONS
        for page in doc.pages
        for block in page.blocks
        if block.kind != "bullet"
    )


def _set_year(meta, text, setv, title_report, monitor, archive, snapshot_year, named) -> None:
    """Edition year, most trusted rule first. A download line can be stale: it is kept only
    when the text reports nothing later than it."""
    last_updated = _LAST_UPDATED.search(text)
    if last_updated:
        setv("report_year", int(last_updated.group("year")), "text:last-updated")
    if archive:
        setv("report_year", int(archive.group("year")), "url:monitor-archive-year")
    if title_report:
        setv("report_year", int(title_report.group("year")), "text:title")
    if monitor:
        setv("report_year", int(monitor.group("year")), "url:monitor-year")
    heads = [year for _, year, rule in named if rule == "text:running-head"]
    if heads:  # every page of a chapter carries its edition
        setv("report_year", Counter(heads).most_common(1)[0][0], "text:running-head")
    estimate = text_year(text)
    downloads = [int(m.group("year")) for m in _DOWNLOAD.finditer(text)]
    downloads += [int(m.group("year")) for m in _DOWNLOAD_SHORT.finditer(text)]
    downloads += [year for _, year, rule in named if rule == "text:report-link"]
    if downloads:
        stated = downloads[0]  # the report title in the link; a bare heading year comes last
        if estimate is not None and estimate > max(downloads):
            setv("report_year", estimate, "text:years (download line stale)")
        elif estimate in downloads:
            setv("report_year", estimate, "text:download-line")
        else:
            setv("report_year", stated, "text:download-line")
    if snapshot_year:
        if estimate is not None and estimate <= snapshot_year:
            setv("report_year", estimate, "text:years (before snapshot)")
        setv("report_year", snapshot_year, "url:snapshot-year")
    if estimate is not None:
        setv("report_year", estimate, "text:years")


def text_year(text: str) -> int | None:
    """The edition year the text implies: a report describes the year before it appears
    ("in 2017" is said most) and dates events up to its publication ("in May 2018"). Years
    of deadlines, plans and ranges say nothing about the edition and are left out."""
    text = _LINK_LINE.sub(" ", text)
    reported: Counter[int] = Counter()
    for match in _IN_YEAR.finditer(text):
        if not _future(text, match) and not _COMPARED_YEAR.search(
            text, max(0, match.start() - 50), match.start()
        ):
            # a year with an output in its sentence ("in 2021, 5.6km2 was released") is
            # the year reported on; one with an event only ("in 2022, Iraq requested an
            # extension") can be the edition's own year
            sentence = _sentence(text, match)
            measured = (
                figures.AREA_RE.search(sentence)
                or _DESTROYED.search(sentence)
                or _NO_OUTPUT.search(sentence)
            )
            reported[int(match.group(1))] += 2 if measured else 1
    dated = [int(m.group(1)) for m in _DATED.finditer(text) if not _future(text, m)]
    candidates = []
    if reported:
        top = max(reported.values())
        candidates.append(max(y for y, n in reported.items() if n == top) + 1)
    if dated:
        candidates.append(max(dated))
    return max(candidates) if candidates else None


def _sentence(text: str, match: re.Match) -> str:
    start = max(text.rfind(". ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
    ends = [i for i in (text.find(". ", match.end()), text.find("\n", match.end())) if i >= 0]
    return text[start : min(ends, default=len(text))]


def _future(text: str, match: re.Match) -> bool:
    """A year of a deadline, target, plan or range, not of something that happened."""
    before = text[max(0, match.start() - 110) : match.start()]
    after = text[match.end() : match.end() + 40]
    return bool(_FUTURE_BEFORE.search(before) or _FUTURE_AFTER.match(after))


def blocks_text(blocks: list[Block]) -> str:
    return "\n".join(b.text for b in blocks)
