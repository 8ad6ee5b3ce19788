"""Polite, incremental, versioned crawling of the publishers (httpx).

``run()`` is the library entry point the CLI calls. Each source has a
discovery function that yields URLs; ``Fetcher`` fetches one URL politely
(robots.txt, per-host delay, conditional requests, retries, limits) and the
corpus stores new versions.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import httpx
from protego import Protego

from .corpus import Corpus, Sidecar, now_iso
from .errors import FetchFailed, SourceUnreachable
from .settings import CrawlSettings
from .sources import Source

RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass
class FetchResult:
    url: str
    outcome: str  # new | changed | unchanged | not_modified | failed | skipped | missing
    status: int | None = None
    final_url: str | None = None
    sha256: str | None = None
    content_type: str | None = None
    body: bytes | None = None
    error: str | None = None


@dataclass
class CrawlReport:
    run_id: int | None = None
    requested: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)

    def add(self, result: FetchResult) -> None:
        self.counts[result.outcome] = self.counts.get(result.outcome, 0) + 1
        if result.outcome == "failed":
            self.failures.append((result.url, result.error or "failed"))

    def summary(self) -> str:
        c = self.counts
        return (
            f"{self.requested} requested, {c.get('new', 0)} new, {c.get('changed', 0)} changed, "
            f"{c.get('unchanged', 0)} unchanged, {c.get('not_modified', 0)} not modified, "
            f"{c.get('missing', 0)} missing, {c.get('failed', 0)} failed"
        )


def normalise_url(url: str, canonical_host: dict[str, str] | None = None) -> str:
    """One spelling per page: lower-case scheme and host, no fragment, no trailing slash
    (except the root), default ports dropped, query parameters sorted, and the
    publisher's canonical host (``https://www.``) for known aliases."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "https"
    host = (parts.hostname or "").lower()
    port = parts.port
    if canonical_host and host in canonical_host:
        scheme, host = canonical_host[host].split("://", 1)
        port = None
    netloc = host if port in (None, 80 if scheme == "http" else 443) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    path = quote(path, safe="/%:@!$&'()*+,;=-._~")
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((scheme, netloc, path, query, ""))


def html_text_sha256(body: bytes) -> str | None:
    """sha256 of the page's readable text: page furniture changes are not new versions."""
    try:
        from extractor.load import load_bytes

        doc = load_bytes(body, content_type="text/html")
    except Exception:
        return None
    text = "\n".join(p.text for p in doc.pages)
    return hashlib.sha256(text.encode()).hexdigest()


class Fetcher:
    """Fetches one URL at a time, politely, and stores new versions in the corpus."""

    def __init__(
        self,
        corpus: Corpus,
        settings: CrawlSettings,
        run_id: int | None = None,
        progress: Callable[[str], None] | None = None,
    ):
        self.corpus = corpus
        self.settings = settings
        self.run_id = run_id
        self.db = corpus.state_db()
        self.client = httpx.Client(
            timeout=settings.timeout,
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            limits=httpx.Limits(max_keepalive_connections=settings.concurrency * 2),
        )
        self.robots: dict[str, Protego | None] = {}
        self.last_request: dict[str, float] = {}
        self.unreachable: dict[str, str] = {}
        self.reached: set[str] = set()
        self.requests = 0
        self.progress = progress

    def close(self) -> None:
        self.client.close()

    # -- politeness --------------------------------------------------------------
    def _wait_turn(self, host: str) -> None:
        last = self.last_request.get(host)
        if last is not None:
            pause = self.settings.delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self.last_request[host] = time.monotonic()

    def allowed_by_robots(self, url: str) -> bool:
        if not self.settings.respect_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            self.robots[origin] = None
            try:
                self._wait_turn(parts.netloc)
                response = self.client.get(f"{origin}/robots.txt")
                self.reached.add(parts.netloc)
                if response.status_code == 200:
                    self.robots[origin] = Protego.parse(response.text)
            except httpx.HTTPError:
                pass  # no robots.txt reachable: the page request will tell
        rules = self.robots[origin]
        return rules is None or rules.can_fetch(url, self.settings.user_agent)

    # -- fetching ----------------------------------------------------------------
    def fetch(self, url: str, source: Source, extra: dict | None = None) -> FetchResult:
        host = urlsplit(url).netloc
        if host in self.unreachable:
            return FetchResult(url, "failed", error=f"host unreachable: {self.unreachable[host]}")
        if self.settings.limit is not None and self.requests >= self.settings.limit:
            return FetchResult(url, "skipped", error="request limit reached")
        if not self.allowed_by_robots(url):
            result = FetchResult(url, "skipped", error="disallowed by robots.txt")
            self._record(result, source)
            return result
        state = self.db["url_state"].get(url) if self._has_state(url) else None
        headers = {}
        if state and state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state and state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
        started = time.monotonic()
        try:
            result = self._get_with_retries(url, source, headers)
        except FetchFailed as exc:
            result = FetchResult(url, "failed", error=str(exc))
        result = self._store(result, source, state, extra or {})
        self._record(result, source, elapsed=time.monotonic() - started)
        if self.progress:
            self.progress(f"{result.outcome:>12}  {url}")
        return result

    def _has_state(self, url: str) -> bool:
        return bool(self.db.execute("select 1 from url_state where url = ?", [url]).fetchone())

    def _get_with_retries(self, url: str, source: Source, headers: dict) -> FetchResult:
        attempt = 0
        host = urlsplit(url).netloc
        while True:
            self.requests += 1
            try:
                return self._get(url, source, headers)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                error = _describe(exc)
                retry_after = None
                if host not in self.reached and isinstance(exc, httpx.ConnectError):
                    # never reached this host: do not hammer a dead or unknown host
                    if attempt >= min(self.settings.retries, 1):
                        self.unreachable[host] = error
                        raise FetchFailed(f"could not reach {host}: {error}") from exc
            except _RetryableStatus as exc:
                error, retry_after = exc.message, exc.retry_after
            if attempt >= self.settings.retries:
                raise FetchFailed(f"{error} (after {attempt + 1} attempts)")
            wait = self.settings.backoff * (2**attempt) * (0.5 + random.random())
            if retry_after is not None:
                wait = min(max(retry_after, wait), self.settings.max_retry_after)
            time.sleep(wait)
            attempt += 1

    def _get(self, url: str, source: Source, headers: dict) -> FetchResult:
        current = url
        for _ in range(self.settings.max_redirects + 1):
            host = urlsplit(current).netloc
            self._wait_turn(host)
            with self.client.stream("GET", current, headers=headers) as response:
                self.reached.add(host)
                if response.is_redirect:
                    target = urljoin(current, response.headers.get("location", ""))
                    target_host = urlsplit(target).netloc
                    if target_host not in source.allowed_hosts:
                        raise FetchFailed(f"redirect to another host refused: {target}")
                    current = target
                    continue
                status = response.status_code
                if status == 304:
                    return FetchResult(url, "not_modified", status=304, final_url=current)
                if status in RETRY_STATUS:
                    raise _RetryableStatus(
                        f"HTTP {status}", _retry_after(response.headers.get("retry-after"))
                    )
                if status in (404, 410):
                    return FetchResult(
                        url, "missing", status=status, final_url=current, error=f"HTTP {status}"
                    )
                if status >= 400:
                    raise FetchFailed(f"HTTP {status}")
                ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if ctype not in self.settings.allowed_types:
                    raise FetchFailed(f"content type {ctype or 'missing'!r} not allowed")
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.settings.max_bytes:
                    raise FetchFailed(f"body too large ({declared} bytes declared)")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.settings.max_bytes:
                        raise FetchFailed(f"body too large (over {self.settings.max_bytes} bytes)")
                    chunks.append(chunk)
                body = b"".join(chunks)
                if declared and declared.isdigit() and "content-encoding" not in response.headers:
                    if len(body) < int(declared):
                        raise FetchFailed(f"body cut short ({len(body)} of {declared} bytes)")
                result = FetchResult(
                    url, "fetched", status=status, final_url=current, content_type=ctype, body=body
                )
                result.sha256 = hashlib.sha256(body).hexdigest()
                result.error = None
                self._last_headers = dict(response.headers)
                return result
        raise FetchFailed(f"too many redirects (more than {self.settings.max_redirects})")

    def _store(
        self, result: FetchResult, source: Source, state: dict | None, extra: dict
    ) -> FetchResult:
        if result.outcome != "fetched":
            return result
        headers = getattr(self, "_last_headers", {})
        text_sha = html_text_sha256(result.body) if result.content_type == "text/html" else None
        previous_sha = state.get("sha256") if state else None
        previous_text = state.get("text_sha256") if state else None
        if previous_sha == result.sha256 or (text_sha and previous_text == text_sha):
            result.outcome = "unchanged"
        else:
            sidecar = Sidecar(
                url=extra.get("original_url") or result.url,
                final_url=result.final_url or result.url,
                fetched_at=now_iso(),
                status=result.status or 200,
                content_type=result.content_type or "application/octet-stream",
                sha256=result.sha256,
                size=len(result.body),
                source=source.name,
                etag=headers.get("etag"),
                last_modified=headers.get("last-modified"),
                snapshot_time=extra.get("snapshot_time"),
                original_url=extra.get("original_url"),
                text_sha256=text_sha,
            )
            _, created = self.corpus.store(result.body, sidecar)
            result.outcome = ("changed" if previous_sha else "new") if created else "unchanged"
        self._last_text_sha = text_sha
        self._last_etag = headers.get("etag")
        self._last_modified = headers.get("last-modified")
        return result

    def _record(self, result: FetchResult, source: Source, elapsed: float = 0.0) -> None:
        fetched_at = now_iso()
        self.db["fetches"].insert(
            {
                "run_id": self.run_id,
                "source": source.name,
                "url": result.url,
                "final_url": result.final_url,
                "status": result.status,
                "outcome": result.outcome,
                "sha256": result.sha256,
                "error": result.error,
                "fetched_at": fetched_at,
                "elapsed_ms": int(elapsed * 1000),
            }
        )
        if result.outcome in ("new", "changed", "unchanged"):
            self.db["url_state"].upsert(
                {
                    "url": result.url,
                    "source": source.name,
                    "etag": self._last_etag,
                    "last_modified": self._last_modified,
                    "sha256": result.sha256,
                    "text_sha256": self._last_text_sha,
                    "status": result.status,
                    "outcome": result.outcome,
                    "fetched_at": fetched_at,
                    "error": None,
                },
                pk="url",
            )
        elif result.outcome in ("not_modified", "failed", "missing"):
            if self._has_state(result.url):
                self.db["url_state"].update(
                    result.url,
                    {"outcome": result.outcome, "fetched_at": fetched_at, "error": result.error},
                )
            else:
                self.db["url_state"].insert(
                    {
                        "url": result.url,
                        "source": source.name,
                        "status": result.status,
                        "outcome": result.outcome,
                        "fetched_at": fetched_at,
                        "error": result.error,
                    },
                    pk="url",
                )


class _RetryableStatus(Exception):
    def __init__(self, message: str, retry_after: float | None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _describe(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


# -- discovery -----------------------------------------------------------------------


def _links(body: bytes, base: str) -> Iterator[tuple[str, str]]:
    import lxml.html

    try:
        root = lxml.html.document_fromstring(body)
    except Exception:
        return
    for a in root.iter("a"):
        href = a.get("href")
        if href:
            yield urljoin(base, href), " ".join(a.text_content().split())


def _canonical_hosts(source: Source) -> dict[str, str]:
    base = urlsplit(source.base_url)
    return {host: f"{base.scheme}://{base.netloc}" for host in source.allowed_hosts}


def crawl_site(fetcher: Fetcher, source: Source, report: CrawlReport) -> list[str]:
    """Mine Action Review style: seeds and country pages, links followed, PDFs fetched.
    Returns the HTML page URLs seen (the Wayback source backfills their history)."""
    canon = _canonical_hosts(source)
    follow = source.follow_re()
    doc_path = re.compile(source.document_path) if source.document_path else None
    link_text = re.compile(source.document_link_text, re.I) if source.document_link_text else None
    queue: deque[str] = deque()
    seen: set[str] = set()
    pages: list[str] = []

    def enqueue(url: str) -> None:
        url = normalise_url(url, canon)
        if url not in seen and urlsplit(url).netloc in source.allowed_hosts:
            seen.add(url)
            queue.append(url)

    for seed in source.seeds:
        enqueue(urljoin(source.base_url + "/", seed.lstrip("/")))
    if source.country_page:
        for slug in source.countries:
            for suffix in source.tab_suffixes:
                enqueue(source.base_url + source.country_page.format(slug=slug) + suffix)
    for profile in source.profiles:
        for year in profile.get("years", [None]):
            for chapter in profile.get("chapters", [None]):
                for slug in source.countries:
                    path = profile["path"].format(year=year, slug=slug, chapter=chapter)
                    if "None" not in path:
                        enqueue(source.base_url + path)
    while queue:
        url = queue.popleft()
        result = fetcher.fetch(url, source)
        report.requested += 1 if result.outcome != "skipped" else 0
        report.add(result)
        body = result.body
        if body is None and result.outcome == "not_modified":
            body = _stored_body(fetcher.corpus, fetcher.db, url)
        if not body or (result.content_type or "text/html") != "text/html":
            if result.outcome in ("new", "changed", "unchanged", "not_modified"):
                if not url.lower().endswith(".pdf"):
                    pages.append(url)
            continue
        pages.append(url)
        for link, text in _links(body, result.final_url or url):
            path = urlsplit(normalise_url(link, canon)).path
            if any(p.search(path) for p in follow):
                enqueue(link)
            elif (doc_path and doc_path.search(path)) or (
                link_text and link_text.search(text) and path.lower().endswith(".pdf")
            ):
                enqueue(link)
    return pages


def _stored_body(corpus: Corpus, db, url: str) -> bytes | None:
    row = db.execute("select sha256 from url_state where url = ?", [url]).fetchone()
    if not row or not row[0]:
        return None
    for ctype in ("text/html",):
        path = corpus.document_path(row[0], ctype)
        if path.exists():
            return path.read_bytes()
    return None


def crawl_wayback(
    fetcher: Fetcher, source: Source, page_urls: list[str], report: CrawlReport
) -> None:
    """History backfill: list each page's snapshots with the CDX API, fetch the originals."""
    for original in page_urls:
        query = urlencode({"url": original, "output": "json", "collapse": "digest"})
        cdx_url = f"{source.base_url}{source.cdx_path}?{query}"
        result = _fetch_json(fetcher, cdx_url, source)
        if result is None:
            report.add(FetchResult(cdx_url, "failed", error="CDX listing failed"))
            continue
        rows = result[1:] if result and result[0] and result[0][0] == "urlkey" else result
        for row in rows:
            if len(row) < 5 or str(row[4]) not in ("200", "-"):
                continue
            timestamp, snapshot_of = row[1], row[2]
            url = source.base_url + source.snapshot.format(
                timestamp=timestamp, original=snapshot_of
            )
            extra = {"snapshot_time": timestamp, "original_url": snapshot_of}
            fetched = fetcher.fetch(url, source, extra)
            report.requested += 1 if fetched.outcome != "skipped" else 0
            report.add(fetched)


def _fetch_json(fetcher: Fetcher, url: str, source: Source):
    host = urlsplit(url).netloc
    if host in fetcher.unreachable:
        return None
    if not fetcher.allowed_by_robots(url):
        return None
    try:
        fetcher.requests += 1
        fetcher._wait_turn(host)
        response = fetcher.client.get(url)
        fetcher.reached.add(host)
    except httpx.HTTPError as exc:
        if host not in fetcher.reached:
            fetcher.unreachable[host] = _describe(exc)
        return None
    if response.status_code != 200:
        return None
    try:
        return json.loads(response.text or "[]")
    except ValueError:
        return None


def run(
    corpus_dir: str,
    sources: dict[str, Source],
    names: list[str],
    settings: CrawlSettings | None = None,
    progress: Callable[[str], None] | None = None,
) -> CrawlReport:
    """Crawl the named sources into the corpus; returns what happened.

    Raises SourceUnreachable when no host of any requested source answered."""
    settings = settings or CrawlSettings()
    corpus = Corpus(corpus_dir)
    corpus.check_writable()
    corpus.lock("crawl")
    report = CrawlReport()
    try:
        db = corpus.state_db()
        run_id = (
            db["crawl_runs"]
            .insert({"started": now_iso(), "sources": ",".join(names), "outcome": "running"})
            .last_pk
        )
        report.run_id = run_id
        fetcher = Fetcher(corpus, settings, run_id, progress)
        try:
            pages: list[str] = []
            for name in names:
                if name == "wayback":
                    continue
                pages.extend(crawl_site(fetcher, sources[name], report))
            if "wayback" in names:
                wayback = sources["wayback"]
                history = [p for p in pages if not p.lower().endswith(".pdf")]
                if not history:
                    history = _known_pages(db, wayback.history_of)
                crawl_wayback(fetcher, wayback, history, report)
        finally:
            fetcher.close()
        report.unreachable = sorted(set(fetcher.unreachable) - fetcher.reached)
        report.reached = fetcher.reached
        c = report.counts
        outcome = "unreachable" if not fetcher.reached else "completed"
        db["crawl_runs"].update(
            run_id,
            {
                "finished": now_iso(),
                "requested": report.requested,
                "not_modified": c.get("not_modified", 0),
                "new": c.get("new", 0),
                "changed": c.get("changed", 0),
                "unchanged": c.get("unchanged", 0),
                "failed": c.get("failed", 0),
                "outcome": outcome,
            },
        )
        corpus.write_manifest()
        if not fetcher.reached:
            hosts = ", ".join(f"{h} ({e})" for h, e in sorted(fetcher.unreachable.items()))
            raise SourceUnreachable(f"could not reach any source: {hosts or 'no requests made'}")
        return report
    finally:
        corpus.unlock()


def _known_pages(db, source_names: list[str]) -> list[str]:
    rows = db.execute(
        "select url from url_state where source in ({}) and url not like '%.pdf' "
        "and outcome in ('new','changed','unchanged','not_modified') order by url".format(
            ",".join("?" for _ in source_names)
        ),
        source_names,
    ).fetchall()
    return [r[0] for r in rows]


def print_progress(line: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K" + line[:150])
        sys.stderr.flush()
