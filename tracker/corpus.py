"""The corpus: every fetched version of every document, content-addressed.

Layout (under the corpus directory)::

    documents/<sha[:2]>/<sha256>.<ext>        the bytes exactly as served
    documents/<sha[:2]>/<sha256>.<ext>.json   the sidecar: url, final url, fetched at, ...
    crawl.db                                  crawl state: url_state, fetches, crawl_runs
    manifest.json                             every version, sorted (commit it for history)

Files are written to a temporary name and renamed into place, never overwritten,
so a crawl killed at any moment leaves no partial file.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from .errors import CorpusLocked, CorpusNotWritable

EXTENSIONS = {"text/html": ".html", "application/pdf": ".pdf", "text/plain": ".txt"}


@dataclass
class Sidecar:
    url: str
    final_url: str
    fetched_at: str
    status: int
    content_type: str
    sha256: str
    size: int
    source: str
    etag: str | None = None
    last_modified: str | None = None
    snapshot_time: str | None = None  # Wayback timestamp, for archived versions
    original_url: str | None = None  # the page the snapshot is of
    text_sha256: str | None = None
    country: str | None = None  # set by `tracker add` (overrides for the extractor)
    series: str | None = None
    report_year: int | None = None
    path: str | None = None  # relative path of the bytes in the corpus


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class Corpus:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self._lock_fh = None

    # -- locking -----------------------------------------------------------------
    def lock(self, name: str = "crawl") -> None:
        """Take the corpus lock; a second crawl on the same corpus refuses."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fh = open(self.root / f".{name}.lock", "a+")
        except OSError as exc:
            raise CorpusNotWritable(f"{self.root}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.close()
            raise CorpusLocked(
                f"{self.root}: another {name} is running on this corpus (lock held)"
            ) from exc
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._lock_fh = fh

    def unlock(self) -> None:
        if self._lock_fh is not None:
            fcntl.flock(self._lock_fh.fileno(), fcntl.LOCK_UN)
            self._lock_fh.close()
            self._lock_fh = None

    def check_writable(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = self.root / ".write-probe"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise CorpusNotWritable(f"{self.root}: not writable ({exc.strerror or exc})") from exc

    # -- state -------------------------------------------------------------------
    def state_db(self) -> sqlite_utils.Database:
        db = sqlite_utils.Database(self.root / "crawl.db")
        db.execute("PRAGMA journal_mode=WAL")
        if "url_state" not in db.table_names():
            db["url_state"].create(
                {
                    "url": str,
                    "source": str,
                    "etag": str,
                    "last_modified": str,
                    "sha256": str,
                    "text_sha256": str,
                    "status": int,
                    "outcome": str,
                    "fetched_at": str,
                    "error": str,
                },
                pk="url",
            )
        if "crawl_runs" not in db.table_names():
            db["crawl_runs"].create(
                {
                    "id": int,
                    "started": str,
                    "finished": str,
                    "sources": str,
                    "requested": int,
                    "not_modified": int,
                    "new": int,
                    "changed": int,
                    "unchanged": int,
                    "failed": int,
                    "outcome": str,
                },
                pk="id",
            )
        if "fetches" not in db.table_names():
            db["fetches"].create(
                {
                    "id": int,
                    "run_id": int,
                    "source": str,
                    "url": str,
                    "final_url": str,
                    "status": int,
                    "outcome": str,
                    "sha256": str,
                    "error": str,
                    "fetched_at": str,
                    "elapsed_ms": int,
                },
                pk="id",
                foreign_keys=[("run_id", "crawl_runs", "id")],
            )
            db["fetches"].create_index(["url"])
        return db

    # -- documents ---------------------------------------------------------------
    def document_path(self, sha256: str, content_type: str) -> Path:
        ext = EXTENSIONS.get(content_type, ".bin")
        return self.root / "documents" / sha256[:2] / f"{sha256}{ext}"

    def has(self, sha256: str, content_type: str) -> bool:
        return self.document_path(sha256, content_type).exists()

    def store(self, data: bytes, sidecar: Sidecar) -> tuple[Path, bool]:
        """Store bytes and sidecar; returns (path, created). Never overwrites."""
        sha = hashlib.sha256(data).hexdigest()
        if sidecar.sha256 != sha:
            raise ValueError("sidecar sha256 does not match the bytes")
        path = self.document_path(sha, sidecar.content_type)
        sidecar.path = str(path.relative_to(self.root))
        side = path.with_name(path.name + ".json")
        if path.exists() and side.exists():
            return path, False
        try:
            if not path.exists():
                atomic_write(path, data)
            atomic_write(side, json.dumps(asdict(sidecar), indent=2, sort_keys=True).encode())
        except OSError as exc:
            raise CorpusNotWritable(f"{self.root}: {exc.strerror or exc}") from exc
        return path, True

    def sidecars(self) -> list[Sidecar]:
        """Every stored version, in a stable order (fetch time, then sha256)."""
        out = []
        base = self.root / "documents"
        if not base.exists():
            return out
        for side in base.glob("*/*.json"):
            try:
                raw = json.loads(side.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # an unreadable sidecar is skipped, never fatal
            known = {k: raw.get(k) for k in Sidecar.__dataclass_fields__ if k in raw}
            try:
                out.append(Sidecar(**known))
            except TypeError:
                continue
        return sorted(out, key=lambda s: (s.fetched_at, s.sha256))

    def write_manifest(self) -> Path:
        rows = [
            {k: v for k, v in asdict(s).items() if v is not None}
            for s in sorted(self.sidecars(), key=lambda s: (s.url, s.fetched_at, s.sha256))
        ]
        path = self.root / "manifest.json"
        atomic_write(path, (json.dumps(rows, indent=1, sort_keys=True) + "\n").encode())
        return path
