"""Invariants over the real documents in ../shared (skipped where it is absent)."""

from __future__ import annotations

import pytest

from extractor.pipeline import extract_path

from .conftest import shared_documents

DOCUMENTS = shared_documents()


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_provenance_is_on_the_page(shared, path):
    result = extract_path(path)
    pages = result.pages_text
    for fig in result.figures:
        page = pages[fig.page - 1]
        assert fig.sentence in page, fig
        assert page[fig.start : fig.end] == fig.text, fig
    for rec in result.recommendations:
        page = pages[rec.page - 1]
        assert rec.text.split(" ")[0] in page[rec.start : rec.end]
        assert rec.topics
    for dev in result.developments:
        assert dev.sentence in pages[dev.page - 1]


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_every_document_has_a_country_and_series(shared, path):
    result = extract_path(path)
    assert result.document.country_code
    assert result.document.series in ("mar-cmr", "mar-mines", "monitor")
