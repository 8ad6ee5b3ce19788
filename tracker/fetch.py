"""Fetch one URL politely and safely (httpx); no storage here.

``Fetcher.fetch`` is safe to call from several threads at once. It obeys robots.txt
(RFC 9309, with its Crawl-delay), keeps at most ``concurrency`` requests in flight per
host with request starts at least ``delay`` seconds apart, sends the conditional headers
it is given, retries 429, 5xx, timeouts and broken connections with exponential backoff
and jitter (honouring Retry-After, capped), follows redirects only within the allowed
hosts, refuses content types outside the allow-list, and enforces the size limit on the
wire and after decompression (gzip and deflate are inflated here, in bounded steps, so a
gzip bomb never gets into memory).
"""

from __future__ import annotations

import functools
import hashlib
import random
import ssl
import threading
import time
import zlib
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from .errors import FetchFailed
from .settings import CrawlSettings

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
GONE_STATUS = frozenset({404, 410})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 500 * 1024


@dataclass
class FetchResult:
    """What one fetch gave. ``outcome`` from the fetcher is ``fetched``, ``not_modified``,
    ``missing``, ``failed`` or ``skipped``; the crawl turns ``fetched`` into ``new``,
    ``changed``, ``unchanged`` or ``duplicate`` once it has compared with the corpus."""

    url: str
    outcome: str
    status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    body: bytes | None = None
    sha256: str | None = None
    text_sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    attempts: int = 0
    elapsed: float = 0.0


class Stopped(Exception):
    """The crawl is stopping (Ctrl-C, SIGTERM, a fatal storage error): abandon this fetch."""


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class HostGate:
    """Per-host politeness: at most ``concurrency`` requests in flight, and request starts
    at least ``delay`` seconds apart (so ``delay`` bounds the rate whatever the
    concurrency; concurrency only helps when responses are slow)."""

    def __init__(self, concurrency: int, delay: float, stop: threading.Event):
        self.slots = threading.BoundedSemaphore(concurrency)
        self.delay = delay
        self._lock = threading.Lock()
        self._next_start = 0.0
        self._stop = stop

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self.slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start)
                self._next_start = start + self.delay
            if start > now and self._stop.wait(start - now):
                raise Stopped("stopping")
            yield

    def pause(self, seconds: float) -> None:
        """Nobody starts a request to this host for ``seconds`` (Retry-After, backoff)."""
        with self._lock:
            self._next_start = max(self._next_start, time.monotonic() + seconds)

    def slow_down(self, delay: float) -> None:
        with self._lock:
            self.delay = max(self.delay, delay)


class Fetcher:
    """One reused httpx client (keep-alive), per-host gates and robots.txt rules."""

    def __init__(self, settings: CrawlSettings, stop: threading.Event | None = None):
        self.settings = settings
        self.stop = stop or threading.Event()
        self.client = httpx.Client(
            verify=_tls_context(),
            timeout=settings.timeout,
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            limits=httpx.Limits(
                max_connections=settings.concurrency * 8,
                max_keepalive_connections=settings.concurrency * 8,
            ),
        )
        self._lock = threading.Lock()
        self._gates: dict[str, HostGate] = {}
        self._robots: dict[str, tuple[Protego | None, str | None]] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self.unreachable: dict[str, str] = {}
        self.reached: set[str] = set()
        self.requests = 0  # HTTP requests sent, robots.txt and retries included

    def close(self) -> None:
        self.client.close()

    def gate(self, host: str) -> HostGate:
        with self._lock:
            if host not in self._gates:
                self._gates[host] = HostGate(
                    self.settings.concurrency, self.settings.delay, self.stop
                )
            return self._gates[host]

    def _sent(self) -> None:
        with self._lock:
            self.requests += 1

    def _answered(self, host: str) -> None:
        with self._lock:
            self.reached.add(host)

    # -- robots.txt ----------------------------------------------------------------------
    def robots_refusal(self, url: str) -> str | None:
        """Why robots.txt forbids ``url``, or None when it may be fetched."""
        if not self.settings.respect_robots:
            return None
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                self._robots[origin] = self._load_robots(origin, parts.netloc)
        rules, refusal = self._robots[origin]
        if refusal:
            return refusal
        if rules is not None and not rules.can_fetch(url, self.settings.user_agent):
            return "disallowed by robots.txt"
        return None

    def _load_robots(self, origin: str, host: str) -> tuple[Protego | None, str | None]:
        """RFC 9309: 2xx gives the rules, 4xx means no rules, 5xx means stay away."""
        try:
            with self.gate(host).turn():
                self._sent()
                url = f"{origin}/robots.txt"
                with self.client.stream("GET", url, follow_redirects=True) as response:
                    status = response.status_code
                    text = b""
                    for chunk in response.iter_bytes() if status == 200 else ():
                        text += chunk
                        if len(text) >= ROBOTS_MAX_BYTES:  # RFC 9309: 500 KiB are enough
                            break
        except httpx.HTTPError:
            return None, None  # the page request will meet (and report) the same trouble
        self._answered(host)
        if status >= 500:
            return None, f"robots.txt unavailable (HTTP {status})"
        if status != 200:
            return None, None
        rules = Protego.parse(text[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace"))
        crawl_delay = rules.crawl_delay(self.settings.user_agent)
        if crawl_delay:
            self.gate(host).slow_down(min(float(crawl_delay), self.settings.max_retry_after))
        return rules, None

    # -- fetching ------------------------------------------------------------------------
    def fetch(
        self,
        url: str,
        allowed_hosts: Collection[str],
        headers: dict[str, str] | None = None,
        types: Collection[str] | None = None,
    ) -> FetchResult:
        """Fetch ``url`` (after retries); never raises for a problem with the URL."""
        started = time.monotonic()
        result = self._fetch(url, allowed_hosts, headers or {}, types)
        result.elapsed = time.monotonic() - started
        return result

    def _fetch(
        self,
        url: str,
        allowed_hosts: Collection[str],
        headers: dict[str, str],
        types: Collection[str] | None,
    ) -> FetchResult:
        host = urlsplit(url).netloc
        if host in self.unreachable:
            error = f"could not reach {host}: {self.unreachable[host]}"
            return FetchResult(url, "failed", error=error)
        refusal = self.robots_refusal(url)
        if refusal:
            outcome = "skipped" if refusal.startswith("disallowed") else "failed"
            return FetchResult(url, outcome, error=refusal)
        attempt = 0
        while True:
            attempt += 1
            try:
                result = self._get(url, allowed_hosts, headers, types)
                result.attempts = attempt
                if result.outcome == "not_modified" and not headers:
                    result.outcome, result.error = "failed", "HTTP 304 to a plain request"
                return result
            except FetchFailed as exc:
                return FetchResult(url, "failed", error=str(exc), attempts=attempt)
            except _Retryable as exc:
                error, retry_after = exc.message, exc.retry_after
            except httpx.HTTPError as exc:
                error, retry_after = _describe(exc), None
                if isinstance(exc, httpx.RemoteProtocolError) and "message body" in error:
                    error = f"body cut short: {error}"
                never_connected = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
                if never_connected and host not in self.reached:
                    # never answered: do not hammer a dead or unknown host
                    if attempt > min(self.settings.retries, 1):
                        with self._lock:
                            self.unreachable.setdefault(host, error)
                        error = f"could not reach {host}: {error}"
                        return FetchResult(url, "failed", error=error, attempts=attempt)
            if attempt > self.settings.retries:
                return FetchResult(
                    url, "failed", error=f"{error} (after {attempt} attempts)", attempts=attempt
                )
            wait = self.settings.backoff * (2 ** (attempt - 1)) * (0.5 + random.random())
            if retry_after is not None:
                wait = max(wait, retry_after)
                self.gate(host).pause(min(wait, self.settings.max_retry_after))
            if self.stop.wait(min(wait, self.settings.max_retry_after)):
                raise Stopped("stopping")

    def _get(
        self,
        url: str,
        allowed_hosts: Collection[str],
        headers: dict[str, str],
        types: Collection[str] | None,
    ) -> FetchResult:
        current = url
        for hop in range(self.settings.max_redirects + 1):
            host = urlsplit(current).netloc
            if hop:
                refusal = self.robots_refusal(current)
                if refusal:
                    raise FetchFailed(f"redirect to {current}: {refusal}")
            with self.gate(host).turn():
                self._sent()
                with self.client.stream("GET", current, headers=headers) as response:
                    self._answered(host)
                    if response.status_code in REDIRECT_STATUS:
                        _discard(response)
                        location = response.headers.get("location", "").strip()
                        if not location:
                            raise FetchFailed(f"HTTP {response.status_code} without a Location")
                        target = urljoin(current, location)
                        if urlsplit(target).scheme not in ("http", "https"):
                            raise FetchFailed(f"redirect to a non-web URL refused: {target}")
                        if urlsplit(target).netloc not in allowed_hosts:
                            raise FetchFailed(f"redirect to another host refused: {target}")
                        current = target
                        continue
                    return self._answer(url, current, response, types)
        raise FetchFailed(f"too many redirects (more than {self.settings.max_redirects})")

    def _answer(
        self, url: str, current: str, response: httpx.Response, types: Collection[str] | None
    ) -> FetchResult:
        status = response.status_code
        if status == 304:
            return FetchResult(url, "not_modified", status=304, final_url=current)
        if status >= 300:
            _discard(response)  # a short error page: read it, so the connection is kept
        if status in RETRY_STATUS:
            raise _Retryable(f"HTTP {status}", _retry_after(response.headers.get("retry-after")))
        if status in GONE_STATUS:
            return FetchResult(url, "missing", status, final_url=current, error=f"HTTP {status}")
        if status >= 400 or status < 200:
            raise FetchFailed(f"HTTP {status}")
        ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype not in (types or self.settings.allowed_types):
            raise FetchFailed(f"content type {ctype or 'missing'!r} not allowed")
        body = self._read_body(response)
        return FetchResult(
            url,
            "fetched",
            status=status,
            final_url=current,
            content_type=ctype,
            body=body,
            sha256=hashlib.sha256(body).hexdigest(),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )

    def _read_body(self, response: httpx.Response) -> bytes:
        limit = self.settings.max_bytes
        declared = response.headers.get("content-length", "").strip()
        declared_size = int(declared) if declared.isdigit() else None
        if declared_size is not None and declared_size > limit:
            raise FetchFailed(f"body too large ({declared_size} bytes declared, limit {limit})")
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        inflater = _Inflater.for_encoding(encoding)
        body = bytearray()
        wire = 0
        for chunk in response.iter_raw():
            if self.stop.is_set():
                raise Stopped("stopping")
            wire += len(chunk)
            if wire > limit:
                raise FetchFailed(f"body too large (over {limit} bytes)")
            body += inflater.feed(chunk, limit + 1 - len(body)) if inflater else chunk
            if len(body) > limit:
                after = " after decompression" if inflater else ""
                raise FetchFailed(f"body too large (over {limit} bytes{after})")
        if declared_size is not None and wire < declared_size:
            raise _Retryable(f"body cut short ({wire} of {declared_size} bytes)")
        if inflater and not inflater.complete:
            raise _Retryable(f"body cut short ({encoding} stream incomplete)")
        return bytes(body)


class _Inflater:
    """gzip / deflate decoding that never produces more than it is allowed to."""

    def __init__(self) -> None:
        self._d = zlib.decompressobj(47)  # 32 + 15: a gzip or zlib header, detected
        self.complete = False

    @classmethod
    def for_encoding(cls, encoding: str) -> _Inflater | None:
        if encoding in ("", "identity"):
            return None
        if encoding in ("gzip", "x-gzip", "deflate"):
            return cls()
        raise FetchFailed(f"content encoding {encoding!r} not supported")

    def feed(self, data: bytes, room: int) -> bytes:
        out = bytearray()
        try:
            while data and len(out) < room:
                out += self._d.decompress(data, room - len(out))
                data = self._d.unconsumed_tail
                if self._d.eof:
                    self.complete = True
                    data = self._d.unused_data
                    if data:  # another gzip member follows
                        self._d = zlib.decompressobj(47)
                        self.complete = False
        except zlib.error as exc:
            raise FetchFailed(f"body not decodable ({exc})") from exc
        return bytes(out)


def _discard(response: httpx.Response, limit: int = 64 * 1024) -> None:
    """Read and drop a small body so its keep-alive connection can be reused; a large
    one is left unread (the connection is then closed instead)."""
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit:
        return
    size = 0
    try:
        for chunk in response.iter_raw():
            size += len(chunk)
            if size > limit:
                return
    except httpx.HTTPError:
        return


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Certificate verification as httpx does it, built once per process (it is slow)."""
    return httpx.create_ssl_context()


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
