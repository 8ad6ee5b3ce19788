"""Build the database from the corpus: incremental, deterministic and atomic.

- Extraction results are cached per (document sha256, extractor version) under
  ``<corpus>/cache/``: an unchanged corpus rebuilds without re-extracting.
- The new database is written to a temporary file beside the target and renamed
  into place, so a Datasette reading the old file never sees a half-built one.
- What changed against the previous database is recorded in ``changes``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from extractor import countries as country_table
from extractor.errors import ExtractionError
from extractor.pipeline import EXTRACTOR_VERSION, extract_path

from . import followup, store
from .corpus import Corpus, Sidecar, now_iso
from .errors import BuildFailed
from .sources import load_sources


@dataclass
class BuildReport:
    documents: int = 0
    extracted: int = 0
    cached: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    replaced: bool = False

    def summary(self) -> str:
        c = self.counts
        return (
            f"{self.documents} documents ({self.extracted} extracted, {self.cached} cached, "
            f"{len(self.failed)} failed), {c.get('figures', 0)} figures, "
            f"{c.get('recommendations', 0)} recommendations, {c.get('developments', 0)} "
            f"developments, {c.get('threads', 0)} threads; {len(self.changes)} changes"
        )


def _cache_path(corpus: Corpus, sha256: str) -> Path:
    return corpus.root / "cache" / f"extract-{EXTRACTOR_VERSION}" / sha256[:2] / f"{sha256}.json"


def _extract_one(args: tuple[str, str, str | None, dict]) -> tuple[str, dict | None, str | None]:
    path, content_type, url, overrides = args
    try:
        result = extract_path(path, content_type, url=url, **overrides)
    except ExtractionError as exc:
        return path, None, str(exc)
    except Exception as exc:  # a bug on one document must not stop the build
        return path, None, f"{type(exc).__name__}: {exc}"
    data = result.to_json()
    data["pages_text"] = result.pages_text
    return path, data, None


def extract_corpus(
    corpus: Corpus, sidecars: list[Sidecar], workers: int, report: BuildReport
) -> dict[str, dict]:
    results: dict[str, dict] = {}
    todo = []
    for side in sidecars:
        cache = _cache_path(corpus, side.sha256)
        if cache.exists():
            try:
                results[side.sha256] = json.loads(cache.read_text(encoding="utf-8"))
                report.cached += 1
                continue
            except ValueError:
                pass
        overrides = {"country": side.country, "series": side.series, "year": side.report_year}
        url = side.final_url if side.snapshot_time else side.url
        todo.append((str(corpus.root / side.path), side.content_type, url, overrides, side))
    args = [t[:4] for t in todo]
    if workers > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outputs = list(pool.map(_extract_one, args, chunksize=4))
    else:
        outputs = [_extract_one(a) for a in args]
    for (_, _, _, _, side), (_, data, error) in zip(todo, outputs, strict=True):
        if error is not None:
            data = {"error": error}
        else:
            report.extracted += 1
        cache = _cache_path(corpus, side.sha256)
        from .corpus import atomic_write

        atomic_write(cache, json.dumps(data, sort_keys=True).encode())
        results[side.sha256] = data
    return results


def build(
    corpus_dir: str, db_path: str, workers: int = 1, sources_file: str | None = None, progress=None
) -> BuildReport:
    started = now_iso()
    corpus = Corpus(corpus_dir)
    if not corpus.root.exists():
        raise BuildFailed(f"{corpus_dir}: corpus directory does not exist (run `tracker crawl`)")
    report = BuildReport()
    sidecars = _distinct(corpus.sidecars())
    report.documents = len(sidecars)
    results = extract_corpus(corpus, sidecars, workers, report)

    target = Path(db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        db = sqlite_utils.Database(tmp)
        db.execute("PRAGMA journal_mode=DELETE")
        store.create_schema(db)
        _load(db, corpus, sidecars, results, sources_file, report)
        followup.run(db)
        previous = _previous(target)
        build_id = (max((b["id"] for b in previous.get("builds", [])), default=0)) + 1
        report.changes = followup.diff(previous, db) if previous else followup.first_build(db)
        _carry_history(db, previous)
        for change in report.changes:
            db["changes"].insert({"build_id": build_id, **change})
        db["builds"].insert(
            {
                "id": build_id,
                "started": started,
                "finished": now_iso(),
                "documents": report.documents,
                "extracted": report.extracted,
                "cached": report.cached,
                "failed": len(report.failed),
                "changes": len(report.changes),
            }
        )
        store.finish(db)
        for table in ("figures", "recommendations", "developments", "threads", "documents"):
            report.counts[table] = db[table].count
        db.close()
        if previous and not report.changes and target.exists():
            tmp.unlink()  # nothing changed: the serving database stays as it is
            return report
        os.replace(tmp, target)
        report.replaced = True
        return report
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        raise


def _distinct(sidecars: list[Sidecar]) -> list[Sidecar]:
    seen: dict[str, Sidecar] = {}
    for side in sidecars:
        seen.setdefault(side.sha256, side)
    return sorted(seen.values(), key=lambda s: (s.fetched_at, s.sha256))


def _previous(target: Path) -> dict:
    """The previous database's rows that the diff needs (empty if there is none)."""
    if not target.exists():
        return {}
    try:
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        out = {}
        for table in (
            "documents",
            "figures",
            "recommendations",
            "thread_status",
            "threads",
            "builds",
            "changes",
        ):
            try:
                out[table] = [dict(r) for r in conn.execute(f"select * from [{table}]")]
            except sqlite3.Error:
                out[table] = []
        conn.close()
        return out
    except sqlite3.Error:
        return {}


def _carry_history(db: sqlite_utils.Database, previous: dict) -> None:
    if previous.get("builds"):
        db["builds"].insert_all(previous["builds"])
    if previous.get("changes"):
        db["changes"].insert_all(previous["changes"])


def _load(
    db,
    corpus: Corpus,
    sidecars: list[Sidecar],
    results: dict[str, dict],
    sources_file: str | None,
    report: BuildReport,
) -> None:
    sources = load_sources(sources_file)
    db["sources"].insert_all(
        [
            {"name": s.name, "publisher": s.publisher, "base_url": s.base_url}
            for s in sources.values()
        ],
        pk="name",
    )
    publisher = {s.name: s.publisher for s in sources.values()}
    publisher["local"] = "Added by hand (tracker add)"
    if "local" not in sources:
        db["sources"].insert({"name": "local", "publisher": publisher["local"], "base_url": None})
    db["countries"].insert_all(
        [
            {"code": c.code, "name": c.name, "other_area": int(c.other_area), "aliases": None}
            for c in country_table.all_countries()
        ]
    )
    state = corpus.root / "crawl.db"
    if state.exists():
        crawl_db = sqlite_utils.Database(state)
        if "crawl_runs" in crawl_db.table_names():
            db["crawl_runs"].insert_all(crawl_db["crawl_runs"].rows_where(order_by="id"))
        if "fetches" in crawl_db.table_names():
            db["fetches"].insert_all(crawl_db["fetches"].rows_where(order_by="id"))
        crawl_db.close()

    docs, pages, figs, recs, topics, devs = [], [], [], [], [], []
    for side in sidecars:
        data = results.get(side.sha256) or {"error": "not extracted"}
        doc_id = side.sha256
        meta = data.get("document", {})
        error = data.get("error")
        if error:
            report.failed.append((side.url, error))
        docs.append(
            {
                "id": doc_id,
                "url": side.original_url or side.url,
                "final_url": side.final_url,
                "source": side.source,
                "publisher": publisher.get(side.source, side.source),
                "fetched_at": side.fetched_at,
                "snapshot_time": side.snapshot_time,
                "etag": side.etag,
                "last_modified": side.last_modified,
                "content_type": side.content_type,
                "size": side.size,
                "corpus_path": side.path,
                "country_code": meta.get("country_code"),
                "series": meta.get("series"),
                "report_year": meta.get("report_year"),
                "title": meta.get("title"),
                "pages": meta.get("pages"),
                "metadata_rules": store.dumps(meta.get("rules", {})) if meta else None,
                "extractor_version": EXTRACTOR_VERSION,
                "error": error,
                "figures": len(data.get("figures", [])),
                "recommendations": len(data.get("recommendations", [])),
                "developments": len(data.get("developments", [])),
            }
        )
        if error:
            continue
        common = {
            "document_id": doc_id,
            "country_code": meta.get("country_code"),
            "series": meta.get("series"),
            "report_year": meta.get("report_year"),
        }
        for number, text in enumerate(data.get("pages_text") or [], start=1):
            pages.append(
                {
                    "id": f"{doc_id[:16]}-p{number}",
                    "document_id": doc_id,
                    "page": number,
                    "text": text,
                }
            )
        for i, f in enumerate(data.get("figures", []), start=1):
            figs.append(
                {
                    "id": f"{doc_id[:16]}-f{i}",
                    **common,
                    **{
                        k: f.get(k)
                        for k in (
                            "metric",
                            "value",
                            "value_high",
                            "unit",
                            "year",
                            "qualifier",
                            "criterion",
                            "confidence",
                            "text",
                            "sentence",
                            "page",
                            "start",
                            "end",
                            "section",
                            "rule",
                        )
                    },
                    "flags": store.dumps(f.get("flags") or []),
                }
            )
        for r in data.get("recommendations", []):
            rec_id = f"{doc_id[:16]}-r{r['position']}"
            recs.append(
                {
                    "id": rec_id,
                    **common,
                    "position": r["position"],
                    "text": r["text"],
                    "actor": r.get("actor"),
                    "action": r.get("action"),
                    "urgency": r.get("urgency"),
                    "truncated": int(bool(r.get("truncated"))),
                    "primary_topic": (r.get("topics") or ["other"])[0],
                    "topics": store.dumps(r.get("topics") or []),
                    "page": r.get("page"),
                    "start": r.get("start"),
                    "end": r.get("end"),
                }
            )
            rules = r.get("topic_rules") or {}
            for rank, topic in enumerate(r.get("topics") or [], start=1):
                topics.append(
                    {
                        "recommendation_id": rec_id,
                        "topic": topic,
                        "rank": rank,
                        "rule": rules.get(topic),
                    }
                )
        for i, d in enumerate(data.get("developments", []), start=1):
            devs.append(
                {
                    "id": f"{doc_id[:16]}-d{i}",
                    **common,
                    **{
                        k: d.get(k)
                        for k in (
                            "event",
                            "topic",
                            "stage",
                            "year",
                            "month",
                            "sentence",
                            "page",
                            "start",
                            "end",
                            "rule",
                        )
                    },
                }
            )
    db["documents"].insert_all(docs)
    db["document_pages"].insert_all(pages)
    db["figures"].insert_all(figs)
    db["recommendations"].insert_all(recs)
    db["recommendation_topics"].insert_all(topics)
    db["developments"].insert_all(devs)
