"""`tracker update`: crawl + build + a report of what changed, safe to run unattended.

- A lock (``<corpus>/.update.lock``, flock) keeps two updates from overlapping; the
  kernel releases it when a run dies, and a lock file left by a killed run is reported
  as a stale lock that was cleared.
- Every run is logged in ``update_runs`` (kept in the corpus state, copied into the
  database, so the site can show "last updated").
- The database is only ever replaced by a complete new file: if the crawl or the build
  fails, the previous database keeps serving.
- ``notify`` posts the JSON report to a webhook; a failed notification never fails the
  update.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import sqlite_utils

from . import USER_AGENT
from . import build as build_mod
from . import crawl as crawl_mod
from .corpus import Corpus, FileLock, LockHeld, now_iso
from .errors import (
    BuildFailed,
    CorpusLocked,
    CorpusStateUnreadable,
    ExitCode,
    SourceUnreachable,
    TrackerError,
)
from .report import excerpt
from .rows import state_log
from .settings import CrawlSettings
from .sources import Source

NOTIFY_ATTEMPTS = 3


@dataclass
class UpdateReport:
    started: str
    finished: str | None = None
    outcome: str = "running"  # completed | unreachable | build_failed | locked | failed
    exit_code: int = int(ExitCode.OK)
    sources: list[str] = field(default_factory=list)
    crawl: dict = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)
    new_documents: list[dict] = field(default_factory=list)
    figures_added: int = 0
    figures_revised: list[dict] = field(default_factory=list)
    new_recommendations: list[dict] = field(default_factory=list)
    recommendations_gone: list[dict] = field(default_factory=list)
    status_changes: list[dict] = field(default_factory=list)
    database_replaced: bool = False
    stale_lock_cleared: str | None = None
    notification: str | None = None
    error: str | None = None

    @property
    def changed(self) -> bool:
        return bool(
            self.new_documents
            or self.figures_added
            or self.figures_revised
            or self.new_recommendations
            or self.recommendations_gone
            or self.status_changes
        )

    def to_json(self) -> dict:
        data = asdict(self)
        data["changed"] = self.changed
        return data


class UpdateLock(FileLock):
    """The lock that keeps two updates of one corpus apart."""

    def __init__(self, corpus_dir: str | Path):
        super().__init__(Path(corpus_dir) / ".update.lock")


def _log_run(corpus: Corpus, report: UpdateReport, run_id: int | None) -> int:
    db = corpus.state_db()
    row = {
        "started": report.started,
        "finished": report.finished,
        "outcome": report.outcome,
        "exit_code": report.exit_code,
        "sources": ",".join(report.sources),
        "requested": report.crawl.get("requested", 0),
        "new_versions": report.crawl.get("new", 0) + report.crawl.get("changed", 0),
        "failed": len(report.failures),
        "new_documents": len(report.new_documents),
        "new_recommendations": len(report.new_recommendations),
        "status_changes": len(report.status_changes),
        "error": report.error,
    }
    table = db["update_runs"]
    if run_id is None:
        run_id = table.insert(row, pk="id", alter=True).last_pk
    else:
        table.update(run_id, row, alter=True)
    db.close()
    return run_id


def publish_run_log(corpus: Corpus, db_path: str) -> bool:
    """Copy the update run log into the database, so the site can say when it was last
    updated: the build's own atomic replace of a copy (the data rows are untouched).
    Returns False when there is no database yet (or the file is not one a build wrote:
    it is never replaced)."""
    target = Path(db_path)
    if not target.is_file() or not build_mod.is_tracker_database(target):
        return False
    runs = state_log(corpus)["update_runs"]

    def fill(db: sqlite_utils.Database) -> None:
        columns = {c.name for c in db["update_runs"].columns}
        with db.conn:
            db.execute("delete from update_runs")
            db["update_runs"].insert_all(
                [{k: v for k, v in r.items() if k in columns} for r in runs]
            )

    build_mod.write_database(target, fill, copy_from=target)
    return True


def run_update(
    corpus_dir: str,
    db_path: str,
    sources: dict[str, Source],
    names: list[str],
    settings: CrawlSettings | None = None,
    workers: int = 1,
    notify: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> UpdateReport:
    report = UpdateReport(started=now_iso(), sources=list(names))
    corpus = Corpus(corpus_dir)
    lock = UpdateLock(corpus_dir)
    try:
        stale = lock.acquire()
    except LockHeld as exc:
        holder = f" (pid {exc.holder.split()[0]})" if exc.holder else ""
        report.outcome, report.exit_code = "locked", int(ExitCode.LOCKED)
        report.error = f"another update is running on this corpus{holder}"
        report.finished = now_iso()
        return report
    try:
        if stale:  # the file names a run that died holding the lock
            report.stale_lock_cleared = f"stale lock of pid {stale.split()[0]} cleared"
        try:
            run_id = _log_run(corpus, report, None)
        except CorpusStateUnreadable as exc:  # the run cannot even be logged
            report.outcome, report.exit_code = "failed", int(ExitCode.ERROR)
            report.error = str(exc)
            report.finished = now_iso()
            return report
        try:
            crawled = crawl_mod.run(corpus_dir, sources, names, settings, progress=progress)
            report.crawl = {
                "requested": crawled.requested,
                **crawled.counts,
                "summary": crawled.summary(),
            }
            report.failures = [{"url": u, "error": e} for u, e in crawled.failures]
        except SourceUnreachable as exc:
            report.outcome, report.exit_code = "unreachable", int(ExitCode.UNREACHABLE)
            report.error = str(exc)
        except CorpusLocked as exc:
            report.outcome, report.exit_code = "locked", int(exc.exit_code)
            report.error = str(exc)
        except TrackerError as exc:  # the corpus cannot be written, say
            report.outcome, report.exit_code = "failed", int(exc.exit_code)
            report.error = str(exc)
        if report.outcome == "running":
            try:
                built = build_mod.build(corpus_dir, db_path, workers=workers)
                report.failures += [{"url": p, "error": e} for p, e in built.unreadable]
                report.database_replaced = built.replaced
                _summarise_changes(report, built.changes, db_path)
                report.outcome = "completed"
            except (TrackerError, Exception) as exc:  # the old database keeps serving
                report.outcome, report.exit_code = "build_failed", int(ExitCode.BUILD_FAILED)
                report.error = (
                    str(exc) if isinstance(exc, BuildFailed) else (f"{type(exc).__name__}: {exc}")
                )
        report.finished = now_iso()
        _log_run(corpus, report, run_id)
        if report.outcome != "build_failed":
            publish_run_log(corpus, db_path)
        if notify:
            report.notification = post_notification(notify, report.to_json())
        return report
    finally:
        lock.release()


def _summarise_changes(report: UpdateReport, changes: list[dict], db_path: str) -> None:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        for change in changes:
            kind = change["kind"]
            if kind == "new_document":
                doc = conn.execute(
                    "select id, url, country_code, series, report_year, content_type "
                    "from documents where id = ?",
                    [change["row_id"]],
                ).fetchone()
                report.new_documents.append(dict(doc) if doc else {"id": change["row_id"]})
            elif kind == "figure_added":
                report.figures_added += 1
            elif kind == "figure_revised":
                report.figures_revised.append(
                    {
                        "id": change["row_id"],
                        "country_code": change["country_code"],
                        "year": change["report_year"],
                        "detail": change["detail"],
                    }
                )
            elif kind == "recommendation_new":
                report.new_recommendations.append(
                    {
                        "id": change["row_id"],
                        "country_code": change["country_code"],
                        "report_year": change["report_year"],
                        "text": change["detail"],
                    }
                )
            elif kind == "recommendation_gone":
                report.recommendations_gone.append(
                    {
                        "id": change["row_id"],
                        "country_code": change["country_code"],
                        "report_year": change["report_year"],
                        "text": change["detail"],
                    }
                )
            elif kind == "status_changed":
                report.status_changes.append(_status_change(conn, change))
    finally:
        conn.close()


def _status_change(conn, change: dict) -> dict:
    thread_id, _, year = change["row_id"].rpartition("/")
    out = {
        "thread_id": thread_id,
        "country_code": change["country_code"],
        "report_year": int(year),
        "change": change["detail"],
        "evidence": None,
    }
    row = conn.execute(
        "select ts.status, t.topic, t.series, d.sentence, d.page, doc.url from thread_status ts "
        "join threads t on t.id = ts.thread_id "
        "left join developments d on d.id = ts.evidence_id "
        "left join documents doc on doc.id = d.document_id "
        "where ts.thread_id = ? and ts.report_year = ?",
        [thread_id, int(year)],
    ).fetchone()
    if row:
        out.update({"status": row["status"], "topic": row["topic"], "series": row["series"]})
        if row["sentence"]:
            out["evidence"] = {"sentence": row["sentence"], "page": row["page"], "url": row["url"]}
    return out


def post_notification(url: str, payload: dict) -> str:
    """POST the report; bounded retries; returns 'sent' or 'failed: <cause>', never raises."""
    error = "not attempted"
    for attempt in range(NOTIFY_ATTEMPTS):
        try:
            response = httpx.post(url, json=payload, timeout=10, headers={"User-Agent": USER_AGENT})
            if response.status_code < 400:
                return "sent"
            error = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code != 429:
                break
        except httpx.HTTPError as exc:
            error = str(exc) or type(exc).__name__
        if attempt + 1 < NOTIFY_ATTEMPTS:
            time.sleep(0.5 * 2**attempt)
    return f"failed: {error}"


def format_report(report: UpdateReport) -> str:
    lines = [f"Update {report.started} -> {report.finished}: {report.outcome}"]
    if report.stale_lock_cleared:
        lines.append(f"  note: {report.stale_lock_cleared}")
    if report.error:
        lines.append(f"  error: {report.error}")
    if report.crawl:
        lines.append(f"  crawl: {report.crawl.get('summary', '')}")
    if report.outcome != "completed":
        return "\n".join(lines)
    if not report.changed:
        lines.append("  nothing new")
    lines.append(f"  new documents: {len(report.new_documents)}")
    for doc in report.new_documents:
        lines.append(
            f"    {doc.get('country_code') or '?'} {doc.get('series') or '?'} "
            f"{doc.get('report_year') or '?'}  {doc.get('url')}"
        )
    lines.append(f"  figures: {report.figures_added} added, {len(report.figures_revised)} revised")
    for fig in report.figures_revised:
        lines.append(f"    revised {fig['country_code']} {fig['year']}: {fig['detail']}")
    lines.append(f"  new recommendations: {len(report.new_recommendations)}")
    for rec in report.new_recommendations:
        lines.append(f"    {rec['country_code']} {rec['report_year']}: {rec['text'][:100]}")
    lines.append(f"  status changes: {len(report.status_changes)}")
    for sc in report.status_changes:
        evidence = ""
        if sc.get("evidence"):
            ev = sc["evidence"]
            evidence = f'  evidence: "{excerpt(ev["sentence"], 90)}" (p.{ev["page"]}, {ev["url"]})'
        lines.append(f"    {sc['country_code']} {sc['report_year']} {sc['change']}{evidence}")
    lines.append(f"  failures: {len(report.failures)}")
    for failure in report.failures:
        lines.append(f"    {failure['url']}: {failure['error']}")
    if report.notification:
        lines.append(f"  notification: {report.notification}")
    return "\n".join(lines)
