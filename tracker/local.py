"""`tracker add`: local files into the corpus, with the crawler's sidecar."""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractor import countries
from extractor.errors import ExtractionError
from extractor.load import sniff_content_type

from .corpus import Corpus, Sidecar, now_iso
from .errors import TrackerError


def add_files(
    paths,
    corpus_dir: str,
    url: str | None = None,
    country: str | None = None,
    series: str | None = None,
    year: int | None = None,
):
    """Returns ([(path, stored path, created)], [(path, error)]). Bad files are skipped."""
    corpus = Corpus(corpus_dir)
    added, errors = [], []
    code = None
    if country:
        found = countries.lookup(country)
        if found is None:
            return [], [(country, "unknown country (give a name, alias or ISO code)")]
        code = found.code
    for path in paths:
        p = Path(path)
        try:
            data = p.read_bytes()
        except OSError as exc:
            errors.append((path, exc.strerror or str(exc)))
            continue
        if not data.strip():
            errors.append((path, "empty file"))
            continue
        try:
            ctype = sniff_content_type(data, None, p.name)
        except ExtractionError as exc:
            errors.append((path, str(exc)))
            continue
        sha = hashlib.sha256(data).hexdigest()
        sidecar = Sidecar(
            url=url or p.resolve().as_uri(),
            final_url=url or p.resolve().as_uri(),
            fetched_at=now_iso(),
            status=200,
            content_type=ctype,
            sha256=sha,
            size=len(data),
            source="local",
            country=code,
            series=series,
            report_year=year,
        )
        try:
            stored, created = corpus.store(data, sidecar)
        except TrackerError as exc:
            errors.append((path, str(exc)))
            continue
        added.append((path, str(stored), created))
    if added:
        corpus.write_manifest()
    return added, errors
