"""Publishing with Datasette: immutable, read-only, with metadata.yml and plugins."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

SETTINGS = {
    "sql_time_limit_ms": 3000,
    "max_returned_rows": 1000,
    "suggest_facets": "off",
    "allow_download": "on",
    "default_page_size": 50,
}


def metadata_path() -> Path:
    """metadata.yml of the checkout (or the current directory's, if it has one)."""
    local = Path.cwd() / "metadata.yml"
    if local.exists():
        return local
    return Path(__file__).resolve().parent.parent / "metadata.yml"


def load_metadata() -> dict:
    path = metadata_path()
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def datasette_args(db_path: str, host: str = "127.0.0.1", port: int = 8001) -> list[str]:
    args = ["serve", "-i", str(db_path), "--host", host, "--port", str(port)]
    meta = metadata_path()
    if meta.exists():
        args += ["--metadata", str(meta)]
    for key, value in SETTINGS.items():
        args += ["--setting", key, str(value)]
    return args


def make_datasette(db_path: str):
    """A Datasette instance configured exactly as `tracker serve` runs it (for tests)."""
    from datasette.app import Datasette

    return Datasette(
        immutables=[str(db_path)],
        metadata=load_metadata(),
        settings=dict(SETTINGS),
    )


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8001) -> int:
    if not Path(db_path).exists():
        raise FileNotFoundError(f"{db_path}: database not found (run `tracker build`)")
    command = [sys.executable, "-m", "datasette", *datasette_args(db_path, host, port)]
    return subprocess.call(command)


def start(db_path: str, host: str = "127.0.0.1", port: int = 8001) -> subprocess.Popen:
    command = [sys.executable, "-m", "datasette", *datasette_args(db_path, host, port)]
    return subprocess.Popen(command)
