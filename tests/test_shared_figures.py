"""Invariants of the figures read from the real documents in ../shared (skipped where absent):
provenance on the page, normalised values, and totals that agree with their tables."""

from __future__ import annotations

import pytest

from extractor.pipeline import extract_path

from .conftest import SHARED, shared_documents

DOCUMENTS = shared_documents()
METRICS = {
    "area_released",
    "area_cleared",
    "area_reduced",
    "area_cancelled",
    "contaminated_area",
    "confirmed_hazardous_area",
    "suspected_hazardous_area",
    "submunitions_destroyed",
    "ap_mines_destroyed",
    "av_mines_destroyed",
    "erw_destroyed",
    "performance_score",
    "casualties",
}


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_figures_are_normalised_and_on_their_page(shared, path):
    result = extract_path(path)
    for fig in result.figures:
        page = result.pages_text[fig.page - 1]
        assert fig.sentence in page and page[fig.start : fig.end] == fig.text, fig
        assert fig.metric in METRICS
        assert fig.unit == {"performance_score": "score"}.get(
            fig.metric,
            "km2" if fig.metric.startswith(("area", "contam", "confirmed", "susp")) else "count",
        )
        if fig.metric == "performance_score":
            assert fig.value is None and "not_applicable" in fig.flags or 0 <= fig.value <= 10
        else:
            assert fig.value is not None and fig.value >= 0
        report_year = result.document.report_year
        assert fig.year is not None and fig.year <= report_year, fig


@pytest.mark.parametrize(
    "name,value",
    [("monitor_lebanon_2015_1.txt", 29.5), ("monitor_zimbabwe_2015_1.txt", 63.0)],
)
def test_a_table_total_agrees_with_the_headline_figure(shared, name, value):
    result = extract_path(SHARED / "corpus" / name)
    (headline,) = [f for f in result.figures if f.value == value]
    assert "agrees_with_table_total" in headline.flags
