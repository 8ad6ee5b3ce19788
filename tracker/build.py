"""Build the database from the corpus: incremental, deterministic and atomic.

- Extraction results are cached per (document sha256, extractor version) under
  ``<corpus>/cache/``; the extractor version includes a hash of the extractor's code
  and patterns, so an edited extractor never serves stale results. Documents are
  extracted in parallel across processes (``workers``); each result is cached as soon
  as it arrives, so a killed build keeps what it extracted.
- A fingerprint of the corpus (every sidecar), the extractor and the build code is
  stored with each build: when it matches the previous build, nothing is read or
  written at all (the serving database stays as it is, byte for byte).
- The new database is written to a temporary file beside the target (load first,
  then indexes and full-text search), fsynced and renamed into place, so a reader
  of the old file (Datasette) never sees a half-built one. A lock beside the database
  keeps two builds apart; temporary files of a killed build are removed by the next.
- A document that fails to extract is recorded with its error; the build goes on.
- What changed against the previous database is recorded in ``changes``.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import sqlite_utils

from extractor import compiled
from extractor.errors import ExtractionError
from extractor.pipeline import EXTRACTOR_VERSION, extract_path, warm_up

from . import changes as changes_mod
from . import incremental, rows, store
from .corpus import Corpus, FileLock, LockHeld, Sidecar, fsync_dir, now_iso
from .errors import BuildFailed, CorpusStateUnreadable
from .sources import load_sources

Progress = Callable[[int, int], None]
# modules whose code decides the rows of the database (a change means a full rebuild)
_BUILD_CODE = (
    "build.py",
    "changes.py",
    "evidence.py",
    "evidence.yml",
    "followup.py",
    "incremental.py",
    "migrations.py",
    "rows.py",
    "store.py",
    "treaty.py",
    "views.py",
)


@dataclass
class BuildReport:
    documents: int = 0
    extracted: int = 0
    cached: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    replaced: bool = False
    unchanged: bool = False  # the corpus fingerprint matched the previous build
    build_id: int | None = None
    # wall-clock seconds of each step: "corpus" (reading it and the previous build),
    # "start-up" (the extractor's rules and pipelines, when anything is extracted),
    # "extract" (documents not in the cache), "database" (rows, follow-up, the new file)
    seconds: dict[str, float] = field(default_factory=dict)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # sidecars left out
    cache_error: str | None = None  # the extraction cache could not be written (and why)
    # rule patterns at start-up: made from the code an earlier build kept, and compiled
    patterns_reused: int = 0
    patterns_compiled: int = 0

    def timing(self) -> str:
        """For example "took 1.46 s (corpus 0.09 s, start-up 0.33 s, extract 0.68 s,
        database 0.36 s)"."""
        parts = ", ".join(f"{step} {s:.2f} s" for step, s in self.seconds.items())
        return f"took {sum(self.seconds.values()):.2f} s ({parts})"

    def summary(self) -> str:
        c = self.counts
        text = (
            f"{self.documents} documents ({self.extracted} extracted, {self.cached} cached, "
            f"{len(self.failed)} failed), {c.get('figures', 0)} figures, "
            f"{c.get('recommendations', 0)} recommendations, {c.get('developments', 0)} "
            f"developments, {c.get('threads', 0)} threads; {len(self.changes)} changes"
        )
        if self.unreadable:
            text += f"; {len(self.unreadable)} unreadable sidecars left out"
        if self.unchanged:
            text += " (corpus unchanged since the last build)"
        return text


# -- versions and fingerprints -----------------------------------------------------------------


def _hash_files(files) -> str:
    digest = hashlib.sha256()
    for name, data in sorted(files):
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """EXTRACTOR_VERSION plus a hash of the extractor's code and patterns."""
    root = resources.files("extractor")
    files = []
    for entry in root.iterdir():
        if entry.name.endswith(".py"):
            files.append((entry.name, entry.read_bytes()))
    patterns = root.joinpath("patterns")
    if patterns.is_dir():
        files += [(f"patterns/{p.name}", p.read_bytes()) for p in patterns.iterdir() if p.is_file()]
    return f"{EXTRACTOR_VERSION}+{_hash_files(files)[:10]}"


@lru_cache(maxsize=1)
def build_version() -> str:
    root = resources.files("tracker")
    return _hash_files((n, root.joinpath(n).read_bytes()) for n in _BUILD_CODE)[:16]


def code_version(settings_text: str) -> str:
    """The extractor, the build code and the settings (sources) that decide the rows."""
    text = f"{extractor_version()}|{build_version()}|{settings_text}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprint(sidecars: list[Sidecar], code: str) -> str:
    """The corpus (every sidecar) and the code: equal fingerprints, equal databases."""
    digest = hashlib.sha256(code.encode())
    for side in sidecars:
        digest.update(json.dumps(vars(side), sort_keys=True).encode())
    return digest.hexdigest()


# -- extraction --------------------------------------------------------------------------------


def _overrides(side: Sidecar) -> dict:
    return {"country": side.country, "series": side.series, "year": side.report_year}


def cache_path(corpus: Corpus, side: Sidecar) -> Path:
    overrides = _overrides(side)
    name = side.sha256
    if any(overrides.values()):
        tag = hashlib.sha1(json.dumps(overrides, sort_keys=True).encode()).hexdigest()[:8]
        name = f"{side.sha256}-{tag}"
    return (
        corpus.root / "cache" / f"extract-{extractor_version()}" / side.sha256[:2] / f"{name}.json"
    )


def patterns_path(corpus: Corpus) -> Path:
    """The compiled rule patterns (extractor.compiled) kept with this extractor's cache,
    one file per Python (so that two Pythons sharing a corpus do not take turns rewriting
    it)."""
    tag = hashlib.sha256((compiled.interpreter_tag() or "").encode()).hexdigest()[:12]
    return corpus.root / "cache" / f"extract-{extractor_version()}" / f"patterns-{tag}.json"


def _extract_one(args: tuple[str, str, str | None, dict]) -> tuple[dict | None, str | None]:
    path, content_type, url, overrides = args
    if not os.path.exists(path):  # its sidecar is there, the file is not
        return None, f"stored document missing: {path}"
    try:
        result = extract_path(path, content_type, url=url, **overrides)
    except ExtractionError as exc:
        return None, str(exc)
    except Exception as exc:  # a bug on one document must not stop the build
        return None, f"{type(exc).__name__}: {exc}"
    data = result.to_json()
    data["pages_text"] = result.pages_text
    return data, None


def _write_cache(path: Path, data: bytes, made: set[Path]) -> None:
    """A file of the cache: temp file + rename (no fsync: a lost cache entry is only made
    again), the temp file removed if anything fails. ``made``: the folders already made in
    this build (a mkdir per entry cost a quarter of a second in a cold build of 1,200
    documents)."""
    if path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        made.add(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_cache(path: Path) -> dict | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def extract_corpus(
    corpus: Corpus,
    sidecars: list[Sidecar],
    workers: int,
    report: BuildReport,
    progress: Progress | None = None,
) -> dict[str, dict]:
    """sha256 -> extraction result (or {"error": ...}), from the cache where possible.
    Records the "start-up" and "extract" seconds in ``report``."""
    clock = time.perf_counter()
    results: dict[str, dict] = {}
    made: set[Path] = set()
    todo: list[Sidecar] = []
    paths = {side.sha256: cache_path(corpus, side) for side in sidecars}
    for side in sidecars:
        data = _read_cache(paths[side.sha256])
        if data is not None:
            results[side.sha256] = data
            report.cached += 1
        else:
            todo.append(side)

    def args(side: Sidecar) -> tuple:
        url = side.final_url if side.snapshot_time else side.url
        return (str(corpus.root / side.path), side.content_type, url, _overrides(side))

    def done(side: Sidecar, data: dict | None, error: str | None) -> None:
        if error is not None:
            data = {"error": error}
        else:
            report.extracted += 1
        if not report.cache_error:
            try:
                # dumps, not dump: json.dump streams through the pure-Python encoder
                text = json.dumps(data, sort_keys=True, ensure_ascii=False)
                _write_cache(paths[side.sha256], text.encode("utf-8"), made)
            except OSError as exc:  # only a cache: say so once, and build without it
                report.cache_error = _cache_error(exc, paths[side.sha256])
        results[side.sha256] = data
        if progress:
            progress(len(results), len(sidecars))

    if todo:
        # loaded once here: the worker processes (forked) start with them loaded (loading
        # them in every worker at once was no faster on two cores)
        started = time.perf_counter()
        _start_up(patterns_path(corpus), report, made)
        report.seconds["start-up"] = time.perf_counter() - started
    if workers > 1 and len(todo) > workers:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_extract_one, args(side)): side for side in todo}
            for future in as_completed(futures):
                done(futures[future], *_result(future))
    else:
        for side in todo:
            done(side, *_extract_one(args(side)))
    report.seconds["extract"] = time.perf_counter() - clock - report.seconds.get("start-up", 0.0)
    return results


def _start_up(patterns: Path, report: BuildReport, made: set[Path]) -> None:
    """The extractor's rules and pipelines, with its rule patterns made from the code
    compiled by an earlier build where it kept them (then written back for the next)."""
    try:
        kept = patterns.read_bytes()
    except OSError:  # none kept yet (or unreadable): compiled afresh
        kept = None
    compiled.use(kept)
    try:
        try:
            warm_up()
        except Exception as exc:  # a broken rule file: every document would fail the same way
            raise BuildFailed(f"extractor start-up: {type(exc).__name__}: {exc}") from exc
        report.patterns_reused, report.patterns_compiled = compiled.stats()
        data = compiled.dump()
        if data is not None:
            try:
                _write_cache(patterns, data, made)
            except OSError as exc:  # only a cache: say so once, and build without it
                report.cache_error = _cache_error(exc, patterns)
    finally:
        compiled.reset()


def _cache_error(exc: OSError, path: Path) -> str:
    return f"{exc.filename or path}: cannot write the extraction cache ({exc.strerror})"


def _result(future: Future) -> tuple[dict | None, str | None]:
    """A worker's (result, error). A result that cannot be sent back (pickled) fails its
    document only; a worker killed mid-document (out of memory, a signal) stops the build
    in one line (its documents are not failed: the next build extracts them again)."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise BuildFailed(f"extraction stopped: a worker process ended: {exc}") from exc
    except Exception as exc:
        return None, f"{type(exc).__name__}: {exc}"


# -- the build ---------------------------------------------------------------------------------


class _Lock:
    """An exclusive lock beside the database: one build at a time per database."""

    def __init__(self, target: Path):
        self.path = target.with_name(f".{target.name}.lock")
        self._lock = FileLock(self.path)

    def __enter__(self) -> _Lock:
        try:
            self._lock.acquire()
        except LockHeld as exc:
            raise BuildFailed(
                f"{self.path.parent}: another build is writing this database"
            ) from exc
        except OSError as exc:
            reason = exc.strerror or exc
            raise BuildFailed(f"{self.path}: cannot take the build lock: {reason}") from exc
        return self

    def __exit__(self, *exc) -> None:
        self._lock.release()


def _temp_files(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}.*.tmp"))


def build(
    corpus_dir: str,
    db_path: str,
    workers: int = 1,
    sources_file: str | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    started = now_iso()
    corpus = Corpus(corpus_dir)
    if not corpus.root.exists():
        raise BuildFailed(f"{corpus_dir}: corpus directory does not exist (run `tracker crawl`)")
    target = Path(db_path)
    _check_target(target)
    with _Lock(target), _heap_kept_out_of_collections():
        for stale in _temp_files(target):  # left by a killed build
            stale.unlink(missing_ok=True)
        try:
            return _build(corpus, target, workers, sources_file, progress, started)
        except CorpusStateUnreadable as exc:
            raise BuildFailed(str(exc)) from exc


@contextmanager
def _heap_kept_out_of_collections():
    """The objects alive when a build starts (the imported libraries, mostly) are left out
    of the cyclic garbage collector's scans until it ends (gc.freeze), and put back after
    (gc.unfreeze), so nothing is kept for good. One full collection over them cost
    0.06-0.09 s of a 5 % changed build of 1,200 documents; forked workers inherit the
    freeze, so their collections do not touch (and copy) the parent's pages either. A
    caller that has frozen objects itself keeps its arrangement as it is."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _check_target(target: Path) -> None:
    """The database path must be free, empty, or a database a build wrote: a build never
    replaces any other file (a mistyped --db must not destroy README.md)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or exc
        raise BuildFailed(
            f"{target.parent}: cannot make the database's directory: {reason}"
        ) from exc
    if target.is_dir():
        raise BuildFailed(f"{target}: is a directory, not a database file")
    if target.exists() and target.stat().st_size and not is_tracker_database(target):
        raise BuildFailed(
            f"{target}: exists and is not a tracker database; not replacing it "
            "(give another --db path, or move the file away)"
        )


def is_tracker_database(path: Path) -> bool:
    """A SQLite file with the tables a build writes (of any schema version)."""
    try:
        tables = store.table_names(path)
    except sqlite3.Error:
        return False
    return "documents" in tables or "builds" in tables


def _build(
    corpus: Corpus,
    target: Path,
    workers: int,
    sources_file: str | None,
    progress: Progress | None,
    started: str,
) -> BuildReport:
    report = BuildReport()
    clock = time.perf_counter()
    sidecars = _distinct(corpus.sidecars())
    report.unreadable = list(corpus.unreadable)
    report.documents = len(sidecars)
    sources = load_sources(sources_file)
    code = code_version(json.dumps([asdict(s) for s in sources.values()], default=str))
    stamp = fingerprint(sidecars, code)
    before = incremental.previous(target)
    if before is not None and before.fingerprint == stamp:
        report.unchanged = True
        report.cached = report.documents
        report.counts = _counts(target)
        report.failed = _failed(target, sidecars)
        report.seconds["corpus"] = time.perf_counter() - clock
        return report
    report.seconds["corpus"] = time.perf_counter() - clock
    build_row = {"started": started, "fingerprint": stamp, "code_version": code}
    if before is not None and before.code_version == code and before.schema_current:
        _incremental(
            corpus, target, sidecars, sources, before, workers, progress, report, build_row
        )
    else:
        _full(corpus, target, sidecars, sources, workers, progress, report, build_row)
    report.replaced = True
    return report


def _publisher(sources: dict) -> dict[str, str]:
    publisher = {s.name: s.publisher for s in sources.values()}
    publisher.setdefault("local", rows.LOCAL_SOURCE["publisher"])
    return publisher


def _full(corpus, target, sidecars, sources, workers, progress, report, build_row) -> None:
    """Every row made again (extraction results from the cache where possible)."""
    results = extract_corpus(corpus, sidecars, workers, report, progress)
    clock = time.perf_counter()
    new = assemble(corpus, sidecars, results, sources, report)
    previous = changes_mod.read_previous(target)
    report.changes = changes_mod.diff(previous, new)
    report.counts = {t: len(new[t]) for t in new}
    build_id = max((b["id"] for b in previous.get("builds", [])), default=0) + 1
    report.build_id = build_id
    new["builds"] = [*previous.get("builds", []), _build_row(build_id, report, build_row)]
    first = max((c["id"] for c in previous.get("changes", [])), default=0) + 1
    new["changes"] = [
        *previous.get("changes", []),
        *({"id": first + i, "build_id": build_id, **c} for i, c in enumerate(report.changes)),
    ]

    def load(db: sqlite_utils.Database) -> None:
        store.create_schema(db)
        with db.conn:
            for table in store.TABLES:
                store.insert(db, table, new[table])
        store.finish(db)

    write_database(target, load)
    report.seconds["database"] = time.perf_counter() - clock


def assemble(
    corpus: Corpus,
    sidecars: list[Sidecar],
    results: dict[str, dict],
    sources: dict,
    report: BuildReport,
) -> dict[str, list[dict]]:
    """Every row of a full build but builds and changes, in a deterministic order."""
    new = rows.empty()
    new["sources"], new["series"] = rows.sources(sources), list(store.SERIES)
    new["countries"] = rows.countries()
    new.update(rows.state_log(corpus))
    publisher, version = _publisher(sources), extractor_version()
    for side in sidecars:
        data = results.get(side.sha256) or {"error": "not extracted"}
        if data.get("error"):
            report.failed.append((side.url, data["error"]))
        rows.document(side, data, publisher, version, new)
    rows.derive(new)
    return new


def _incremental(
    corpus, target, sidecars, sources, before, workers, progress, report, build_row
) -> None:
    """The previous database with the rows of new and removed documents redone."""
    current = {side.sha256 for side in sidecars}
    fresh = [side for side in sidecars if side.sha256 not in before.document_ids]
    removed = set(before.document_ids) - current
    results = extract_corpus(corpus, fresh, workers, report, progress)
    clock = time.perf_counter()
    report.cached += len(sidecars) - len(fresh)
    new = rows.empty()
    publisher, version = _publisher(sources), extractor_version()
    errors = _errors(target)
    for side in fresh:
        data = results.get(side.sha256) or {"error": "not extracted"}
        if data.get("error"):
            errors[side.sha256] = data["error"]
        rows.document(side, data, publisher, version, new)
    report.failed = [(s.url, errors[s.sha256]) for s in sidecars if s.sha256 in errors]
    log = rows.state_log(corpus)
    runs, fetches = log["crawl_runs"], log["fetches"]

    def load(db: sqlite_utils.Database) -> None:
        with db.conn:
            report.changes = incremental.update(db, new, removed, runs, fetches)
            build_id = db.execute("select coalesce(max(id), 0) + 1 from builds").fetchone()[0]
            first = db.execute("select coalesce(max(id), 0) + 1 from changes").fetchone()[0]
            report.build_id = build_id
            store.insert(db, "builds", [_build_row(build_id, report, build_row)])
            store.insert(
                db,
                "changes",
                [
                    {"id": first + i, "build_id": build_id, **c}
                    for i, c in enumerate(report.changes)
                ],
            )
        report.counts = {t: db[t].count for t in store.TABLES}

    write_database(target, load, copy_from=target)
    report.seconds["database"] = time.perf_counter() - clock


def _build_row(build_id: int, report: BuildReport, extra: dict) -> dict:
    return {
        "id": build_id,
        "started": extra["started"],
        "finished": now_iso(),
        "documents": report.documents,
        "extracted": report.extracted,
        "cached": report.cached,
        "failed": len(report.failed),
        "changes": len(report.changes),
        "fingerprint": extra["fingerprint"],
        "extractor_version": extractor_version(),
        "code_version": extra["code_version"],
    }


def write_database(
    target: Path, fill: Callable[[sqlite_utils.Database], None], copy_from: Path | None = None
) -> None:
    """The one way a database file is replaced: a temporary file beside the target (a copy
    of ``copy_from``, or empty), filled, fsynced and renamed into place; removed if anything
    fails. A reader of the old file never sees a half-written one."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if copy_from is not None:
            shutil.copyfile(copy_from, tmp)
        db = store.open_new(tmp)
        fill(db)
        store.close_durably(db, tmp)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _distinct(sidecars: list[Sidecar]) -> list[Sidecar]:
    seen: dict[str, Sidecar] = {}
    for side in sorted(sidecars, key=lambda s: (s.fetched_at or "", s.sha256)):
        seen.setdefault(side.sha256, side)
    return sorted(seen.values(), key=lambda s: (s.fetched_at or "", s.sha256))


def _ro(target: Path):
    return sqlite3.connect(f"file:{target}?mode=ro", uri=True)


def _counts(target: Path) -> dict[str, int]:
    conn = _ro(target)
    try:
        return {
            t: conn.execute(f"select count(*) from [{t}]").fetchone()[0]
            for t in ("documents", "figures", "recommendations", "developments", "threads")
        }
    finally:
        conn.close()


def _errors(target: Path) -> dict[str, str]:
    conn = _ro(target)
    try:
        return dict(conn.execute("select id, error from documents where error is not null"))
    finally:
        conn.close()


def _failed(target: Path, sidecars: list[Sidecar]) -> list[tuple[str, str]]:
    """(url, error) of every document that failed, in corpus order."""
    errors = _errors(target)
    return [(side.url, errors[side.sha256]) for side in sidecars if side.sha256 in errors]
