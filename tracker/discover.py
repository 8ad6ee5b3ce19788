"""Which URLs to fetch: start URLs, links on fetched pages, Wayback snapshots.

Pure functions over a ``Source`` (facts from ``sources.yml``) and bytes; no network here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html

from .sources import Source

_TIMESTAMP = re.compile(r"^\d{4,14}$")


def normalise_url(url: str, canonical_host: dict[str, str] | None = None) -> str:
    """One spelling per page: lower-case scheme and host, no fragment, no trailing slash
    (except the root), default ports dropped, query parameters sorted, and the
    publisher's canonical host (``https://www.``) for known aliases."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "https"
    host = (parts.hostname or "").lower()
    port = parts.port
    default_port = {"http": 80, "https": 443}.get(scheme)
    if canonical_host:
        key = host if port in (None, default_port) else f"{host}:{port}"
        if key in canonical_host:
            scheme, netloc = canonical_host[key].split("://", 1)
            host, _, given = netloc.partition(":")
            port = int(given) if given else None
            default_port = {"http": 80, "https": 443}.get(scheme)
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    path = quote(path, safe="/%:@!$&'()*+,;=-._~")
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((scheme, netloc, path, query, ""))


def canonical_hosts(source: Source) -> dict[str, str]:
    """Host aliases spelled as the base URL's scheme and host: ``www.`` variants, and the
    real hosts when the source points at a local mirror. Other allowed hosts (an archive
    mirror such as ``archives2.``) keep their own name."""
    base = urlsplit(source.base_url)
    aliases = {base.netloc, base.netloc.removeprefix("www."), "www." + base.netloc}
    hosts = [h for h in source.allowed_hosts if h in aliases] + list(source.mirror_of)
    return {h.lower(): f"{base.scheme}://{base.netloc}" for h in hosts}


def start_urls(source: Source) -> list[str]:
    """Seeds, each listed country's pages (every tab) and each listed profile URL."""
    canon = canonical_hosts(source)
    out: list[str] = []
    for seed in source.seeds:
        out.append(urljoin(source.base_url + "/", seed.lstrip("/")))
    if source.country_page:
        for slug in source.countries:
            for suffix in source.tab_suffixes:
                out.append(source.base_url + source.country_page.format(slug=slug) + suffix)
    for profile in source.profiles:
        for year in profile.get("years") or [None]:
            for chapter in profile.get("chapters") or [None]:
                for slug in source.countries:
                    path = profile["path"].format(year=year, slug=slug, chapter=chapter)
                    if "None" not in path:
                        out.append(source.base_url + path)
    return list(dict.fromkeys(normalise_url(u, canon) for u in out))


def links(body: bytes, base: str) -> list[tuple[str, str]]:
    """(absolute URL, link text) for every ``<a href>`` of an HTML page."""
    try:
        root = lxml.html.document_fromstring(body)
    except (lxml.etree.ParserError, ValueError):
        return []
    out = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.startswith(("mailto:", "javascript:", "tel:", "#")):
            out.append((urljoin(base, href), " ".join(a.text_content().split())))
    return out


def links_to_follow(body: bytes, base: str, source: Source) -> list[str]:
    """The page's links the crawl follows: pages matching ``follow`` and report documents
    (by path, or by link text for a PDF), normalised, on the source's allowed hosts."""
    canon = canonical_hosts(source)
    follow = source.follow_re()
    doc_path = re.compile(source.document_path) if source.document_path else None
    link_text = re.compile(source.document_link_text, re.I) if source.document_link_text else None
    out: list[str] = []
    for link, text in links(body, base):
        url = normalise_url(link, canon)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc not in source.allowed_hosts:
            continue
        path = parts.path
        if any(p.search(path) for p in follow):
            out.append(url)
        elif doc_path and doc_path.search(path):
            out.append(url)
        elif link_text and link_text.search(text) and path.lower().endswith(".pdf"):
            out.append(url)
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Snapshot:
    timestamp: str  # yyyymmddhhmmss, as the archive writes it
    original: str  # the archived page's URL
    url: str  # where the original bytes are served (an ``id_`` snapshot)
    digest: str | None = None


def cdx_url(source: Source, original: str) -> str:
    """The CDX query listing ``original``'s snapshots, one per distinct content."""
    query = urlencode({"url": original, **source.cdx_params})
    return f"{source.base_url}{source.cdx_path}?{query}"


def snapshot_url(source: Source, timestamp: str, original: str) -> str:
    return source.base_url + (source.snapshot or "").format(timestamp=timestamp, original=original)


def parse_cdx(body: bytes, source: Source) -> list[Snapshot]:
    """Snapshots from a CDX JSON listing (header row first); successful captures of
    HTML or PDF only, one per digest even when the server ignored ``collapse``."""
    try:
        rows = json.loads(body.decode("utf-8") or "[]")
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"CDX listing is not JSON ({exc})") from exc
    if not isinstance(rows, list) or not rows:
        return []
    header = rows[0] if rows[0] and rows[0][0] == "urlkey" else source.cdx_fields
    body_rows = rows[1:] if rows[0] is header else rows
    col = {name: i for i, name in enumerate(header)}
    out: list[Snapshot] = []
    seen: set[str] = set()
    for row in body_rows:
        try:
            timestamp = str(row[col["timestamp"]])
            original = str(row[col["original"]])
            status = str(row[col["statuscode"]]) if "statuscode" in col else "200"
            mimetype = str(row[col["mimetype"]]) if "mimetype" in col else "text/html"
            digest = str(row[col["digest"]]) if "digest" in col else None
        except (IndexError, KeyError, TypeError):
            continue
        if not _TIMESTAMP.match(timestamp) or status != "200":
            continue
        if mimetype not in ("text/html", "application/pdf", "text/plain"):
            continue
        if digest is not None:
            if digest in seen:
                continue
            seen.add(digest)
        out.append(Snapshot(timestamp, original, snapshot_url(source, timestamp, original), digest))
    return out
