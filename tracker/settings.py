"""Validated settings with named defaults (like pdfplumber's TableSettings)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from . import USER_AGENT
from .errors import SettingsError


@dataclass
class CrawlSettings:
    delay: float = 1.0  # seconds between two requests to the same host
    concurrency: int = 2  # simultaneous requests per host
    timeout: float = 30.0  # seconds, per request
    retries: int = 3  # extra attempts on 429, 5xx, timeouts and connection errors
    backoff: float = 1.0  # first retry waits about this long, then doubles (with jitter)
    max_retry_after: float = 120.0  # never wait longer than this for a Retry-After
    max_bytes: int = 100 * 1024 * 1024  # largest body accepted (after decompression)
    max_redirects: int = 5
    limit: int | None = None  # stop after this many requests (for trial runs)
    user_agent: str = USER_AGENT
    respect_robots: bool = True
    allowed_types: tuple[str, ...] = ("text/html", "application/pdf", "text/plain")

    def __post_init__(self) -> None:
        checks = {
            "delay": self.delay >= 0,
            "concurrency": self.concurrency >= 1,
            "timeout": self.timeout > 0,
            "retries": self.retries >= 0,
            "backoff": self.backoff >= 0,
            "max_retry_after": self.max_retry_after >= 0,
            "max_bytes": self.max_bytes > 0,
            "max_redirects": self.max_redirects >= 0,
            "limit": self.limit is None or self.limit > 0,
        }
        for key, ok in checks.items():
            if not ok:
                raise SettingsError(f"crawl setting {key}: bad value {getattr(self, key)!r}")

    @classmethod
    def from_dict(cls, values: dict) -> CrawlSettings:
        known = {f.name for f in fields(cls)}
        for key in values:
            if key not in known:
                raise SettingsError(f"crawl setting {key}: unknown setting")
        return cls(**values)
