"""Polite, incremental, versioned crawling of the publishers.

``run()`` is the library entry point (the CLI and ``tracker demo`` call it). URLs come
from ``discover`` (start URLs, links on fetched pages, Wayback CDX listings); worker
threads fetch them through one ``fetch.Fetcher`` (one keep-alive httpx client, per-host
delay and concurrency); this thread compares each answer with the crawl state, stores
new versions in the corpus and records every fetch, so the database has one writer.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils

from .corpus import Corpus, Sidecar, now_iso
from .discover import cdx_url, links_to_follow, normalise_url, parse_cdx, start_urls
from .errors import SettingsError, SourceUnreachable
from .fetch import Fetcher, FetchResult
from .settings import CrawlSettings
from .sources import Source

__all__ = ["CrawlReport", "Fetcher", "FetchResult", "normalise_url", "print_progress", "run"]

KEPT = frozenset({"new", "changed", "unchanged", "duplicate", "not_modified"})


@dataclass
class CrawlReport:
    """What a run did. ``counts`` is keyed by outcome: new, changed, unchanged, duplicate
    (bytes already stored under another URL), not_modified, missing (404/410), failed,
    skipped (robots.txt), listed (an archive listing read), known (an archived snapshot
    already stored, not requested again), not_tried (its host was unreachable)."""

    run_id: int | None = None
    requested: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)
    stored: int = 0  # files newly written to the corpus
    http_requests: int = 0  # robots.txt, redirects and retries included
    limit_reached: bool = False
    elapsed: float = 0.0

    def add(self, result: FetchResult) -> None:
        self.counts[result.outcome] = self.counts.get(result.outcome, 0) + 1
        if result.outcome == "failed":
            self.failures.append((result.url, result.error or "failed"))

    def summary(self) -> str:
        c = self.counts
        line = (
            f"{self.requested} requested, {c.get('new', 0)} new, {c.get('changed', 0)} changed, "
            f"{c.get('unchanged', 0)} unchanged, {c.get('not_modified', 0)} not modified, "
            f"{c.get('missing', 0)} missing, {c.get('failed', 0)} failed"
        )
        extras = [
            (c.get("duplicate", 0), "already stored from another URL"),
            (c.get("known", 0), "archived snapshots already stored"),
            (c.get("skipped", 0), "disallowed by robots.txt"),
            (c.get("not_tried", 0), "not tried (host unreachable)"),
        ]
        line += "".join(f", {n} {what}" for n, what in extras if n)
        if self.limit_reached:
            line += f", stopped at the request limit ({self.requested})"
        return line


@dataclass
class Task:
    url: str
    source: Source
    kind: str  # page (links followed) | listing (a CDX query) | snapshot (an archived page)
    extra: dict = field(default_factory=dict)

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


def html_text_sha256(body: bytes) -> str | None:
    """sha256 of the page's readable text: page furniture changes are not new versions."""
    try:
        from extractor.load import load_bytes

        doc = load_bytes(body, content_type="text/html")
    except Exception:  # an unreadable page, or a broken extractor, must not stop a crawl:
        return None  # the byte sha256 still decides
    text = "\n".join(p.text for p in doc.pages)
    return hashlib.sha256(text.encode()).hexdigest() if text.strip() else None


class Crawl:
    """One run: a frontier of tasks per host, worker threads for the network, and this
    thread for every decision and every write."""

    def __init__(
        self,
        corpus: Corpus,
        db: sqlite_utils.Database,
        settings: CrawlSettings,
        report: CrawlReport,
        progress: Callable[[str], None] | None = None,
    ):
        self.corpus = corpus
        self.db = db
        self.settings = settings
        self.report = report
        self.progress = progress
        self.fetcher = Fetcher(settings)
        self.state_columns = list(db["url_state"].columns_dict)
        self.wayback: Source | None = None
        self.pending: dict[str, deque[Task]] = {}
        self.busy: dict[str, int] = {}
        self.inflight: dict[Future, Task] = {}
        self.seen: set[tuple[str, str]] = set()
        self.done = 0

    def close(self) -> None:
        self.fetcher.stop.set()
        self.fetcher.close()
        self.report.http_requests = self.fetcher.requests
        self.report.reached = set(self.fetcher.reached)
        self.report.unreachable = sorted(set(self.fetcher.unreachable) - self.fetcher.reached)

    # -- the frontier --------------------------------------------------------------------
    def crawl(self, sources: dict[str, Source], names: list[str]) -> None:
        if "wayback" in names:
            self.wayback = sources["wayback"]
        for name in names:
            if name != "wayback":
                for url in start_urls(sources[name]):
                    self.queue(Task(url, sources[name], "page"))
        if self.wayback:  # sources not crawled now: backfill the pages already stored
            absent = [n for n in self.wayback.history_of if n not in names]
            for page in self.known_pages(absent) if absent else []:
                self.queue_history(page)
        self.drain()

    def queue(self, task: Task) -> None:
        key = (task.kind, task.url)
        if task.host not in task.source.allowed_hosts:
            return  # never leave the source's hosts, whatever a page or a listing says
        if key not in self.seen:
            self.seen.add(key)
            self.pending.setdefault(task.host, deque()).append(task)

    def queue_history(self, page_url: str) -> None:
        if self.wayback is not None:
            url = cdx_url(self.wayback, page_url)
            self.queue(Task(url, self.wayback, "listing", {"page_url": page_url}))

    def drain(self) -> None:
        workers = min(64, self.settings.concurrency * 4)
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crawl")
        try:
            while True:
                self.submit_ready(pool, workers)
                if not self.inflight:
                    break
                finished, _ = wait(self.inflight, return_when=FIRST_COMPLETED)
                for future in finished:
                    task = self.inflight.pop(future)
                    self.busy[task.host] -= 1
                    self.handle(task, future.result())
        except BaseException:
            self.fetcher.stop.set()  # workers give up at their next chunk or wait
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)

    def submit_ready(self, pool: ThreadPoolExecutor, workers: int) -> None:
        for host, tasks in self.pending.items():
            if host in self.fetcher.unreachable:
                self.report.counts["not_tried"] = self.report.counts.get("not_tried", 0) + len(
                    tasks
                )
                tasks.clear()
            while tasks and self.busy.get(host, 0) < self.settings.concurrency:
                if len(self.inflight) >= workers:
                    return
                limit = self.settings.limit
                if limit is not None and self.report.requested >= limit:
                    self.report.limit_reached = True
                    for rest in self.pending.values():
                        rest.clear()
                    return
                task = tasks.popleft()
                headers = self.prepare(task)
                if headers is None:
                    continue
                self.report.requested += 1
                self.busy[host] = self.busy.get(host, 0) + 1
                self.inflight[pool.submit(self.work, task, headers)] = task

    def prepare(self, task: Task) -> dict[str, str] | None:
        """Conditional headers for the request, or None when it need not be sent (an
        archived snapshot already stored never changes)."""
        state = self.state(task.url)
        stored = bool(state and self.stored_path(state))
        if task.kind == "snapshot" and stored:
            self.report.counts["known"] = self.report.counts.get("known", 0) + 1
            return None
        headers: dict[str, str] = {}
        if stored and task.kind == "page":
            if state.get("etag"):
                headers["If-None-Match"] = state["etag"]
            if state.get("last_modified"):
                headers["If-Modified-Since"] = state["last_modified"]
        return headers

    def work(self, task: Task, headers: dict[str, str]) -> FetchResult:
        """In a worker thread: the network, and hashing the page's text."""
        types = (task.source.cdx_types or None) if task.kind == "listing" else None
        result = self.fetcher.fetch(task.url, task.source.allowed_hosts, headers, types)
        if result.outcome == "fetched" and result.content_type == "text/html":
            result.text_sha256 = html_text_sha256(result.body or b"")
        return result

    # -- decisions and writes (this thread only) -----------------------------------------
    def handle(self, task: Task, result: FetchResult) -> None:
        state = self.state(task.url)
        if task.kind == "listing":
            self.read_listing(task, result)
        elif result.outcome == "fetched":
            self.store(task, result, state)
        with self.db.conn:  # the fetch and the URL's new state, in one transaction
            self.record(task, result)
            if task.kind != "listing":
                self.update_state(task, result, state)
        self.report.add(result)
        self.done += 1
        if self.progress:
            todo = sum(len(t) for t in self.pending.values()) + len(self.inflight)
            self.progress(f"[{self.done}/{self.done + todo}] {result.outcome:>12}  {task.url}")
        if task.kind == "page" and result.outcome in KEPT:
            self.follow(task, result, state)
        elif task.kind == "page" and result.outcome == "missing" and not task.extra:
            for base in task.source.fallbacks:  # e.g. an archive host for old report pages
                parts = urlsplit(task.url)
                url = base.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")
                self.queue(Task(url, task.source, "page", {"fallback_for": task.url}))

    def follow(self, task: Task, result: FetchResult, state: dict | None) -> None:
        body, ctype = result.body, result.content_type
        if result.outcome == "not_modified" and state:
            path = self.stored_path(state)
            body, ctype = (path.read_bytes(), state.get("content_type")) if path else (None, None)
        if not body or ctype != "text/html":
            return
        for url in links_to_follow(body, result.final_url or task.url, task.source):
            self.queue(Task(url, task.source, "page"))
        if self.wayback and task.source.name in self.wayback.history_of:
            self.queue_history(task.url)

    def read_listing(self, task: Task, result: FetchResult) -> None:
        if result.outcome != "fetched":
            return
        try:
            snapshots = parse_cdx(result.body or b"", task.source)
        except ValueError as exc:
            result.outcome, result.error = "failed", str(exc)
            return
        result.outcome = "listed"
        for snap in snapshots:
            extra = {
                "page_url": task.extra["page_url"],
                "snapshot_time": snap.timestamp,
                "original_url": snap.original,
            }
            self.queue(Task(snap.url, task.source, "snapshot", extra))

    def store(self, task: Task, result: FetchResult, state: dict | None) -> None:
        previous = state.get("sha256") if state else None
        previous_text = state.get("text_sha256") if state else None
        on_disk = bool(state and self.stored_path(state))
        if previous == result.sha256 and on_disk:
            result.outcome = "unchanged"
            return
        if on_disk and result.text_sha256 and result.text_sha256 == previous_text:
            result.outcome = "unchanged"  # only the page furniture changed
            return
        sidecar = Sidecar(
            url=task.extra.get("page_url") or task.url,
            final_url=result.final_url or task.url,
            fetched_at=now_iso(),
            status=result.status or 200,
            content_type=result.content_type or "application/octet-stream",
            sha256=result.sha256 or "",
            size=len(result.body or b""),
            source=task.source.name,
            etag=result.etag,
            last_modified=result.last_modified,
            snapshot_time=task.extra.get("snapshot_time"),
            original_url=task.extra.get("original_url"),
            text_sha256=result.text_sha256,
        )
        _, created = self.corpus.store(result.body or b"", sidecar)
        self.report.stored += int(created)
        if created and previous == result.sha256:
            result.outcome = "unchanged"  # the same version, its lost file written again
        elif created:
            result.outcome = "changed" if previous else "new"
        elif not previous and self._stored_for(sidecar):
            result.outcome = "unchanged"  # stored by a run killed before it noted the URL
        else:
            result.outcome = "changed" if previous else "duplicate"

    def _stored_for(self, sidecar: Sidecar) -> bool:
        existing = self.corpus.sidecar(sidecar.sha256, sidecar.content_type)
        return existing is not None and (existing.url, existing.snapshot_time) == (
            sidecar.url,
            sidecar.snapshot_time,
        )

    def record(self, task: Task, result: FetchResult) -> None:
        """One row in ``fetches`` for every URL requested (plain SQL: one per request)."""
        self.db.conn.execute(
            "insert into fetches (run_id, source, url, final_url, status, outcome, sha256, "
            "error, fetched_at, elapsed_ms) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.report.run_id,
                task.source.name,
                task.url,
                result.final_url,
                result.status,
                result.outcome,
                result.sha256,
                result.error,
                now_iso(),
                int(result.elapsed * 1000),
            ],
        )

    def update_state(self, task: Task, result: FetchResult, state: dict | None) -> None:
        """Write the URL's state only when something about it changed, so a re-crawl of
        an unchanged site changes no row."""
        row = dict(state) if state else {"url": task.url, "source": task.source.name}
        outcome = result.outcome
        if outcome in ("new", "changed", "duplicate") or (
            outcome == "unchanged" and not row.get("sha256")
        ):
            row.update(
                etag=result.etag,
                last_modified=result.last_modified,
                sha256=result.sha256,
                text_sha256=result.text_sha256,
                content_type=result.content_type,
                status=result.status,
                fetched_at=now_iso(),
                outcome="stored",
                error=None,
            )
        elif outcome == "unchanged":
            row.update(
                etag=result.etag,
                last_modified=result.last_modified,
                status=result.status,
                outcome="stored",
                error=None,
            )
        elif outcome == "not_modified":
            if row.get("outcome") != "stored":
                row.update(status=200, outcome="stored", error=None)
        elif outcome == "missing":
            row.update(status=result.status, outcome="missing", error=result.error)
        elif outcome == "failed":
            row.update(outcome="failed", error=result.error)
        else:
            return
        if row != state:
            row = {column: row.get(column) for column in self.state_columns}
            marks = ", ".join("?" for _ in row)
            self.db.conn.execute(
                f"insert or replace into url_state ({', '.join(row)}) values ({marks})",
                list(row.values()),
            )

    def state(self, url: str) -> dict | None:
        cursor = self.db.conn.execute("select * from url_state where url = ?", [url])
        row = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], row, strict=True)) if row else None

    def stored_path(self, state: dict) -> Path | None:
        """The corpus file of the URL's current version, if it is there."""
        sha = state.get("sha256")
        if not sha:
            return None
        path = self.corpus.document_path(sha, state.get("content_type") or "text/html")
        return path if path.exists() else None

    def known_pages(self, source_names: list[str]) -> list[str]:
        """HTML pages of these sources already in the corpus (history without a site crawl)."""
        marks = ",".join("?" for _ in source_names)
        rows = self.db.execute(
            f"select url from url_state where source in ({marks}) and sha256 is not null "
            "and coalesce(content_type, 'text/html') = 'text/html' and url not like '%.pdf' "
            "order by url",
            source_names,
        ).fetchall()
        return [r[0] for r in rows]


def run(
    corpus_dir: str,
    sources: dict[str, Source],
    names: list[str],
    settings: CrawlSettings | None = None,
    progress: Callable[[str], None] | None = None,
) -> CrawlReport:
    """Crawl the named sources into the corpus; returns what happened.

    Raises CorpusNotWritable, CorpusLocked (another crawl holds the corpus), and
    SourceUnreachable when no host of any requested source answered."""
    settings = settings or CrawlSettings()
    for name in names:
        if name not in sources:
            raise SettingsError(f"source {name}: not defined in sources.yml")
    corpus = Corpus(corpus_dir)
    corpus.check_writable()
    corpus.lock("crawl")
    started = time.monotonic()
    try:
        corpus.clean_temp()
        db = corpus.state_db()
        # the lock is ours, so a run still marked running was killed
        killed = db.execute(
            "update crawl_runs set outcome = 'killed' where outcome = 'running'"
        ).rowcount
        db.conn.commit()
        row = {"started": now_iso(), "sources": ",".join(names), "outcome": "running"}
        report = CrawlReport(run_id=db["crawl_runs"].insert(row).last_pk)
        crawl = Crawl(corpus, db, settings, report, progress)
        outcome = "failed"
        try:
            crawl.crawl(sources, names)
            reached = crawl.fetcher.reached or not report.requested
            outcome = "completed" if reached else "unreachable"
        except KeyboardInterrupt:
            outcome = "interrupted"
            raise
        finally:
            crawl.close()
            report.elapsed = time.monotonic() - started
            _finish_run(db, report, outcome)
            if report.stored or killed or not (corpus.root / "manifest.json").exists():
                corpus.write_manifest()
        if not report.reached and report.requested:
            hosts = ", ".join(f"{h} ({e})" for h, e in sorted(crawl.fetcher.unreachable.items()))
            raise SourceUnreachable(f"could not reach any source: {hosts or 'no requests made'}")
        return report
    finally:
        corpus.unlock()


def _finish_run(db: sqlite_utils.Database, report: CrawlReport, outcome: str) -> None:
    c = report.counts
    db["crawl_runs"].update(
        report.run_id,
        {
            "finished": now_iso(),
            "requested": report.requested,
            "not_modified": c.get("not_modified", 0),
            "new": c.get("new", 0),
            "changed": c.get("changed", 0),
            "unchanged": c.get("unchanged", 0) + c.get("duplicate", 0),
            "failed": c.get("failed", 0),
            "outcome": outcome,
        },
    )


def print_progress(line: str) -> None:
    """Progress on a terminal only: one line, rewritten in place."""
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K" + line[:150])
        sys.stderr.flush()
