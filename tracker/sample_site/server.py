"""Serve the sample site on 127.0.0.1, with a fake Internet Archive on the same server.

    with SampleSite() as site:               # a free port; the latest edition is current
        httpx.get(f"{site.url}/country/cambodia")
        site.current_edition = 2022          # time travel: only 2022 pages exist now

Routes:
- ``/robots.txt`` (everything allowed except ``/admin/``), ``/`` (home), ``/about-us``;
- ``/country/<slug>`` (CMR tab) and ``/country/<slug>/anti-personnel-mines`` (mines tab) of the
  current edition; ``/assets/downloads/<file>.pdf`` for every edition up to the current one;
- ``/cdx/search/cdx?url=<url>&output=json[&collapse=digest][&from=&to=&limit=]``: the
  Wayback Machine's CDX API listing one snapshot per edition of that page (any host);
- ``/web/<timestamp>id_/<original url>``: that snapshot's original bytes.

Responses carry ``ETag`` and ``Last-Modified`` and honour ``If-None-Match`` and
``If-Modified-Since`` with 304. Every request is recorded in ``SampleSite.requests``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from . import site
from .content import SERIES, Content, load

HTML = "text/html; charset=utf-8"
PDF = "application/pdf"
ROBOTS = "User-agent: *\nDisallow: /admin/\nAllow: /\n"
CDX_FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
_SNAPSHOT = re.compile(r"^/web/(?P<ts>\d{14})id_/(?P<original>.+)$")
_NOT_FOUND = b"<!DOCTYPE html>\n<html><body><h1>Page not found</h1></body></html>\n"


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = HTML
    last_modified: datetime | None = None
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)


def _published(content: Content, edition: int, series: str) -> datetime:
    return datetime.combine(content.published[(edition, series)], time(9, 0), tzinfo=UTC)


def _surt(url: str) -> str:
    """A SURT-style urlkey as the CDX API writes it: 'org,example)/path'."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if not re.fullmatch(r"[\d.]+", host):
        host = ",".join(reversed(host.split(".")))
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    return f"{host}){parts.path.lower() or '/'}"


def _page_path(url: str) -> str:
    path = urlsplit(url if "://" in url else f"http://{url}").path
    return path.rstrip("/") or "/"


class SampleSite:
    """The sample publisher site served by ``ThreadingHTTPServer`` in a daemon thread."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, current_edition: int | None = None
    ) -> None:
        self.content = load()
        self.host = host
        self.port = port
        self._current = self.content.latest_edition
        if current_edition is not None:
            self.current_edition = current_edition
        self.requests: list[RequestRecord] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------
    @property
    def current_edition(self) -> int:
        return self._current

    @current_edition.setter
    def current_edition(self, edition: int) -> None:
        if edition not in self.content.editions:
            raise ValueError(
                f"current_edition: {edition!r} is not one of {list(self.content.editions)}"
            )
        self._current = edition

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. 'http://127.0.0.1:54321'."""
        if self._server is None:
            raise RuntimeError("SampleSite is not running: call start() first")
        return f"http://{self.host}:{self._server.server_address[1]}"

    def start(self) -> SampleSite:
        if self._server is not None:
            return self
        server = ThreadingHTTPServer((self.host, self.port), _handler_for(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name="sample-site", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- routing -------------------------------------------------------------------------
    def respond(self, target: str) -> Response:
        """The response to a GET of ``target`` (a path with optional query)."""
        parts = urlsplit(target)
        path = parts.path
        if path == "/robots.txt":
            return Response(200, ROBOTS.encode(), "text/plain; charset=utf-8")
        if path == "/":
            last = max(_published(self.content, self.current_edition, s) for s in SERIES)
            return _html(site.render_home(self.current_edition), last)
        if path == "/about-us":
            return _html(
                site.render_about(), _published(self.content, min(self.content.editions), SERIES[0])
            )
        if path in ("/admin", "/admin/"):
            return _html("<!DOCTYPE html>\n<html><body><h1>Editors only</h1></body></html>\n")
        if path == "/cdx/search/cdx":
            return self._cdx(parse_qs(parts.query))
        snapshot = _SNAPSHOT.match(path)
        if snapshot:
            original = unquote(target[len("/web/") + 14 + len("id_/") :])
            return self._snapshot(snapshot.group("ts"), original)
        if path.startswith("/assets/downloads/"):
            page = self.content.page_for_pdf(path.rsplit("/", 1)[1])
            if page is None or page.edition > self.current_edition:
                return _not_found()
            body = site.render_pdf(page.country.slug, page.edition, page.series)
            return Response(200, body, PDF, _published(self.content, page.edition, page.series))
        if path.startswith("/country/") and path.endswith("/") and len(path) > len("/country/"):
            if self.content.locate(path.rstrip("/")):
                return Response(301, headers=(("Location", path.rstrip("/")),))
        located = self.content.locate(path)
        if located is None:
            return _not_found()
        return self._page(*located, self.current_edition)

    def _page(self, slug: str, series: str, edition: int) -> Response:
        return _html(
            site.render_page(slug, edition, series), _published(self.content, edition, series)
        )

    def _editions_of(self, url: str) -> tuple[str, str, list[int]] | None:
        located = self.content.locate(_page_path(url))
        if located is None:
            return None
        editions = [e for e in self.content.editions if e <= self.current_edition]
        return located[0], located[1], editions

    def _cdx(self, query: dict[str, list[str]]) -> Response:
        url = query.get("url", [""])[0]
        if not url:
            return Response(400, b"missing url parameter\n", "text/plain; charset=utf-8")
        rows: list[list[str]] = []
        found = self._editions_of(url)
        if found is not None:
            slug, series, editions = found
            for edition in editions:
                body = site.render_page(slug, edition, series).encode("utf-8")
                digest = base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")
                timestamp = self.content.archived[(edition, series)]
                rows.append(
                    [_surt(url), timestamp, url, "text/html", "200", digest, str(len(body))]
                )
        low, high = query.get("from", [""])[0], query.get("to", [""])[0]
        rows = [r for r in rows if r[1][: len(low)] >= low and r[1][: len(high)] <= high]
        if "digest" in query.get("collapse", []):
            rows = [r for i, r in enumerate(rows) if i == 0 or rows[i - 1][5] != r[5]]
        limit = query.get("limit", [""])[0]
        if limit.isdigit():
            rows = rows[: int(limit)]
        if query.get("output", [""])[0] == "json":
            table = [CDX_FIELDS, *rows] if rows else []
            body = json.dumps(table).encode("utf-8")
            return Response(200, body, "application/json")
        text = "".join(" ".join(r) + "\n" for r in rows)
        return Response(200, text.encode("utf-8"), "text/plain; charset=utf-8")

    def _snapshot(self, timestamp: str, original: str) -> Response:
        found = self._editions_of(original)
        if found is None:
            return _not_found()
        slug, series, editions = found
        for edition in editions:
            if self.content.archived[(edition, series)] == timestamp:
                response = self._page(slug, series, edition)
                memento = datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
                return Response(
                    200,
                    response.body,
                    response.content_type,
                    response.last_modified,
                    (("Memento-Datetime", format_datetime(memento, usegmt=True)),),
                )
        return _not_found()


def _html(text: str, last_modified: datetime | None = None) -> Response:
    return Response(200, text.encode("utf-8"), HTML, last_modified)


def _not_found() -> Response:
    return Response(404, _NOT_FOUND, HTML)


def _not_modified(response: Response, headers) -> bool:
    """Whether a conditional request may be answered with 304 (RFC 9110 13.2.2)."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or response.etag in tags
    since = headers.get("If-Modified-Since")
    if since and response.last_modified is not None:
        try:
            moment = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return response.last_modified <= moment
    return False


def _handler_for(sample: SampleSite) -> Callable[..., BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "SampleSite/1.0"
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._serve(head=False)

        def do_HEAD(self) -> None:  # noqa: N802
            self._serve(head=True)

        def _serve(self, head: bool) -> None:
            response = sample.respond(self.path)
            status = response.status
            conditional = status == 200 and _not_modified(response, self.headers)
            if conditional:
                status = HTTPStatus.NOT_MODIFIED
            sample.requests.append(
                RequestRecord(self.command, self.path, int(status), dict(self.headers.items()))
            )
            self.send_response(status)
            for name, value in response.headers:
                self.send_header(name, value)
            if response.status == 200:
                self.send_header("ETag", response.etag)
                if response.last_modified is not None:
                    self.send_header(
                        "Last-Modified", format_datetime(response.last_modified, usegmt=True)
                    )
            body = b"" if conditional else response.body
            if not conditional:
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head and body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return  # quiet: requests are recorded in SampleSite.requests

    return Handler
