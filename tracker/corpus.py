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
import sqlite3
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from .errors import CorpusLocked, CorpusNotWritable, CorpusStateUnreadable

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


def atomic_write(
    path: Path, data: bytes, tmp_dir: Path | None = None, sync_dir: bool = True
) -> None:
    """Write to a temporary file (in ``tmp_dir``, on the same file system, or next to
    ``path``), flush it to disk, then rename it into place: readers see the old file or
    the whole new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if tmp_dir is not None:
        tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".tmp-{os.getpid()}-", dir=tmp_dir or path.parent)
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
    if sync_dir:
        fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make renames into ``directory`` survive a crash (where the platform allows)."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)  # the rename itself survives a crash
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _writer_alive(name: str) -> bool:
    """Whether the process that named this temporary file (``.tmp-<pid>-...``) still runs."""
    pid = name.split("-")[1] if name.count("-") >= 2 else ""
    if not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LockHeld(Exception):
    """The lock is held by a live process; ``holder`` is what its lock file says."""

    def __init__(self, holder: str):
        super().__init__(holder)
        self.holder = holder


class FileLock:
    """An exclusive, non-blocking flock on a file that names its holder ("pid start-time").

    The kernel releases the lock when its holder dies, so a killed run never blocks the
    next one; the file it left naming itself is reported by ``acquire`` as a stale lock."""

    def __init__(self, path: Path):
        self.path = path
        self._fh = None

    def acquire(self) -> str | None:
        """Take the lock. Returns the line a dead holder left (a stale lock), else None.
        Raises LockHeld when a live process holds it, OSError when the file cannot be made."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.seek(0)
            holder = fh.read().strip()
            fh.close()
            raise LockHeld(holder) from exc
        fh.seek(0)
        previous = fh.read().strip()
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()} {now_iso()}\n")
        fh.flush()
        self._fh = fh
        return previous or None

    def release(self) -> None:
        if self._fh is not None:
            self._fh.seek(0)
            self._fh.truncate()
            self._fh.flush()
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


def state_unreadable(path: Path, exc: Exception) -> CorpusStateUnreadable:
    return CorpusStateUnreadable(
        f"{path}: unreadable crawl state ({exc}); move it away and the next crawl starts a "
        "new one (the stored documents are kept)"
    )


def _sidecar_paths(base: Path) -> list[str]:
    """documents/<2 hex>/<sha256>.<ext>.json, in no particular order."""
    out = []
    with os.scandir(base) as shards:
        for shard in shards:
            if not shard.is_dir():
                continue
            with os.scandir(shard.path) as entries:
                out += [e.path for e in entries if e.name.endswith(".json") and e.is_file()]
    return out


class Corpus:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self._lock: FileLock | None = None
        # (path, cause) of the sidecars the last sidecars() call could not read
        self.unreadable: list[tuple[str, str]] = []

    # -- locking -----------------------------------------------------------------
    def lock(self, name: str = "crawl") -> None:
        """Take the corpus lock; a second crawl on the same corpus refuses."""
        lock = FileLock(self.root / f".{name}.lock")
        try:
            lock.acquire()
        except LockHeld as exc:
            raise CorpusLocked(
                f"{self.root}: another {name} is running on this corpus (lock held)"
            ) from exc
        except OSError as exc:
            raise CorpusNotWritable(f"{self.root}: {exc.strerror or exc}") from exc
        self._lock = lock

    def unlock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @property
    def tmp_dir(self) -> Path:
        """Where files are written before being renamed into place (same file system)."""
        return self.root / ".tmp"

    def clean_temp(self) -> int:
        """Remove the temporary files of writers that were killed (their process is gone);
        a live writer's (``tracker add`` running alongside) are left alone. Returns how
        many files were removed."""
        removed = 0
        leftovers = list(self.tmp_dir.glob(".tmp-*")) if self.tmp_dir.exists() else []
        if (self.root / "documents").exists():
            leftovers += list((self.root / "documents").glob("*/.tmp-*"))
        leftovers += list(self.root.glob(".tmp-*"))
        for path in leftovers:
            if _writer_alive(path.name):
                continue
            try:
                path.unlink()
                removed += 1
            except OSError:
                continue
        return removed

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
        path = self.root / "crawl.db"
        db = sqlite_utils.Database(path)
        try:
            db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as exc:
            db.close()
            raise state_unreadable(path, exc) from exc
        db.execute("PRAGMA synchronous=NORMAL")  # WAL: safe against a killed process
        if "url_state" not in db.table_names():
            db["url_state"].create(
                {
                    "url": str,
                    "source": str,
                    "etag": str,
                    "last_modified": str,
                    "sha256": str,
                    "text_sha256": str,
                    "content_type": str,
                    "status": int,
                    "outcome": str,
                    "fetched_at": str,
                    "error": str,
                },
                pk="url",
            )
        elif "content_type" not in db["url_state"].columns_dict:
            db["url_state"].add_column("content_type", str)
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

    def sidecar(self, sha256: str, content_type: str) -> Sidecar | None:
        """The stored sidecar of these bytes, if there is one (and it is readable)."""
        side = self.document_path(sha256, content_type)
        side = side.with_name(side.name + ".json")
        try:
            raw = json.loads(side.read_text(encoding="utf-8"))
            return Sidecar(**{k: raw.get(k) for k in Sidecar.__dataclass_fields__ if k in raw})
        except (OSError, ValueError, TypeError):
            return None

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
                atomic_write(path, data, self.tmp_dir, sync_dir=not side.exists())
            if not side.exists():
                text = json.dumps(asdict(sidecar), indent=2, sort_keys=True)
                atomic_write(side, text.encode(), self.tmp_dir)  # syncs both renames
        except OSError as exc:
            raise CorpusNotWritable(f"{self.root}: {exc.strerror or exc}") from exc
        return path, True

    def sidecars(self) -> list[Sidecar]:
        """Every stored version, in a stable order (fetch time, then sha256)."""
        out = []
        self.unreadable = []
        base = self.root / "documents"
        if not base.exists():
            return out
        fields = Sidecar.__dataclass_fields__
        for path in _sidecar_paths(base):  # os.scandir: pathlib's glob took half the time
            try:
                with open(path, encoding="utf-8") as fh:
                    raw = json.loads(fh.read())
                out.append(Sidecar(**{k: v for k, v in raw.items() if k in fields}))
            except (OSError, ValueError, TypeError, AttributeError) as exc:
                # skipped, never fatal, and said: its document is left out of the build
                cause = exc.strerror if isinstance(exc, OSError) else str(exc)
                self.unreadable.append((path, f"unreadable sidecar ({cause})"))
        self.unreadable.sort()
        return sorted(out, key=lambda s: (s.fetched_at, s.sha256))

    def write_manifest(self) -> Path:
        rows = [
            {k: v for k, v in asdict(s).items() if v is not None}
            for s in sorted(self.sidecars(), key=lambda s: (s.url, s.fetched_at, s.sha256))
        ]
        path = self.root / "manifest.json"
        data = (json.dumps(rows, indent=1, sort_keys=True) + "\n").encode()
        if path.exists() and path.read_bytes() == data:
            return path  # unchanged: not even touched
        atomic_write(path, data, self.tmp_dir)
        return path
