"""A small publisher mirror on 127.0.0.1 for crawl tests and the crawl benchmark.

``Mirror`` serves ``pages`` (path -> bytes, or (bytes, content type)) from a
``ThreadingHTTPServer`` with keep-alive, ``ETag`` / ``Last-Modified`` and 304 answers,
and records what it saw: every request (path, headers, start time, client port) and the
most requests it had in flight at once. ``slow`` seconds makes each body trickle out in
ten parts (for concurrency and kill tests); ``short`` paths announce more bytes than
they send.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = "Mon, 01 Jan 2024 00:00:00 GMT"


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    started: float
    port: int
    status: int = 0


@dataclass
class Mirror:
    pages: dict[str, bytes | tuple[bytes, str]] = field(default_factory=dict)
    robots: str = "User-agent: *\nAllow: /\n"
    slow: float = 0.0
    short: set[str] = field(default_factory=set)
    seen: list[Seen] = field(default_factory=list)
    max_in_flight: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight = 0
        self._server: ThreadingHTTPServer | None = None
        self.url = ""  # http://127.0.0.1:<port>, once started (kept after stop)

    def start(self) -> Mirror:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Mirror:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def requests_to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


def _handler(mirror: Mirror) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body leave at once on keep-alive

        def do_GET(self) -> None:  # noqa: N802
            seen = Seen(
                self.path, dict(self.headers.items()), time.monotonic(), self.client_address[1]
            )
            mirror._enter()
            try:
                seen.status = self._answer()
            finally:
                mirror._leave()
                with mirror._lock:
                    mirror.seen.append(seen)

        def _answer(self) -> int:
            if self.path == "/robots.txt":
                return self._send(200, mirror.robots.encode(), "text/plain")
            page = mirror.pages.get(self.path)
            if page is None:
                return self._send(404, b"<html><body>Not found</body></html>", "text/html")
            body, ctype = page if isinstance(page, tuple) else (page, "text/html; charset=utf-8")
            etag = etag_of(body)
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return 304
            if self.path in mirror.short:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body) + 1000))
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True
                return 200
            return self._send(200, body, ctype, etag)

        def _send(self, status: int, body: bytes, ctype: str, etag: str | None = None) -> int:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
            self.end_headers()
            if mirror.slow and status == 200:
                step = max(1, len(body) // 10)
                for i in range(0, len(body), step):
                    time.sleep(mirror.slow / 10)
                    self.wfile.write(body[i : i + step])
                    self.wfile.flush()
            else:
                self.wfile.write(body)
            return status

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    return Handler


def country_page(slug: str, links: list[tuple[str, str]] = (), note: str = "") -> bytes:
    """A small MAR-like country page with the given (href, text) links."""
    anchors = "\n".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return (
        f"<!DOCTYPE html><html><head><title>{slug}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><main><h1>{slug.title()}</h1>"
        f"<p>In 2023, {len(slug)}.5km2 of land was released in {slug}.{note}</p>"
        f"<ul>{anchors}</ul></main><footer>Mine Action Review</footer></body></html>"
    ).encode()
