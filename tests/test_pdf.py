"""Reading PDFs written for the tests with fpdf2 (tests/pdfgen.py): two columns, running
headers and footers, hyphenation, split ligatures, KEY DATA, a ruled score table; and the
PDFs that cannot be read."""

from __future__ import annotations

import io

import pdfplumber
import pypdfium2
import pytest
from rapidfuzz.distance import Indel

from extractor import load, pdf
from extractor.errors import UnreadableDocument
from extractor.pipeline import extract_bytes

from . import pdfgen


@pytest.fixture(scope="module")
def chapter():
    return extract_bytes(pdfgen.chapter_pdf(), "application/pdf")


@pytest.fixture(scope="module")
def report():
    return pdfgen.benchmark_report(4, table_every=3, interleave=True)


def words(text: str) -> list[str]:
    return text.split()


def test_two_columns_read_in_order_without_running_heads(report):
    doc = load.load_bytes(report.data, "application/pdf")
    text = "\n".join(page.text for page in doc.pages)
    assert Indel.normalized_similarity(words(text), words(report.paragraphs[0])) >= 0.99
    assert "STATES PARTIES" not in text and "mineactionreview.org" not in text


def test_pdfplumber_alone_interleaves_the_columns(report):
    with pdfplumber.open(io.BytesIO(report.data)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert Indel.normalized_similarity(words(text), words(report.paragraphs[0])) < 0.8


def test_hyphenation_and_split_ligatures_are_repaired(report):
    doc = load.load_bytes(report.data, "application/pdf")
    text = " ".join(page.text for page in doc.pages)
    assert "effi cient" not in text and "efficient" in text
    assert not any(word.endswith("-") for word in text.split()[:-1])


def test_a_ruled_table_keeps_each_row_and_its_wrapped_cells(report):
    doc = load.load_bytes(report.data, "application/pdf")
    rows = [b.text for page in doc.pages for b in page.blocks if b.kind == "row"]
    assert rows[0] == "District CHAs Area (m2)"
    assert len(rows) == 9 and all(row.startswith("District") for row in rows)


def test_chapter_metadata_from_the_pdf_title(chapter):
    assert (chapter.document.series, chapter.document.report_year) == ("mar-cmr", 2023)
    assert chapter.document.rules["report_year"] == "text:title"
    assert chapter.document.pages == 2


def test_chapter_scores_two_year_columns_and_rating(chapter):
    scores = [
        (f.criterion, f.value, f.year, f.flags)
        for f in chapter.figures
        if f.metric == "performance_score"
    ]
    assert scores == [
        ("understanding_of_contamination", 7.0, 2022, []),
        ("understanding_of_contamination", 6.0, 2021, []),
        ("national_ownership", 5.0, 2022, []),
        ("national_ownership", 5.0, 2021, []),
        ("gender_diversity", 4.0, 2022, []),
        ("gender_diversity", 4.0, 2021, []),
        ("land_release_system", 7.0, 2022, []),
        ("land_release_system", 6.0, 2021, []),
        ("land_release_outputs", 6.0, 2022, []),
        ("land_release_outputs", 5.0, 2021, []),
        ("overall", 6.4, 2022, ["rating:average"]),
        ("overall", 5.7, 2021, []),
    ]
    assert {f.page for f in chapter.figures if f.metric == "performance_score"} == {2}


def test_chapter_figures_key_data_low_and_recommendation_numbers_left_out(chapter):
    found = [
        (f.metric, f.value, f.year, f.qualifier, f.confidence)
        for f in chapter.figures
        if f.metric != "performance_score"
    ]
    assert found == [
        ("ap_mines_destroyed", 29.0, 2022, None, "low"),
        ("area_released", 4.2, 2022, None, "high"),
        ("area_cleared", 3.1, 2022, None, "high"),
        ("submunitions_destroyed", 1245.0, 2022, None, "high"),
        ("contaminated_area", 57.0, 2022, "approximately", "high"),
    ]
    assert [r.text for r in chapter.recommendations] == [
        "Testland should accede to the Convention on Cluster Munitions without delay.",
        "The national authority should not record new strikes as covering 25,000m2 by default.",
    ]


def test_every_figure_sentence_is_on_its_page(chapter):
    for fig in chapter.figures:
        page = chapter.pages_text[fig.page - 1]
        assert fig.sentence in page
        assert page[fig.start : fig.end] == fig.text


def test_pages_are_closed_as_they_are_read(monkeypatch, report):
    open_pages, most = set(), [0]
    get_page, close = pypdfium2.PdfDocument.get_page, pypdfium2.PdfPage.close

    def opening(self, index):
        page = get_page(self, index)
        open_pages.add(id(page))
        most[0] = max(most[0], len(open_pages))
        return page

    def closing(self, *args, **kwargs):
        open_pages.discard(id(self))
        return close(self, *args, **kwargs)

    monkeypatch.setattr(pypdfium2.PdfDocument, "get_page", opening)
    monkeypatch.setattr(pypdfium2.PdfPage, "close", closing)
    pdf.read_pdf(report.data)
    assert most[0] == 1 and not open_pages


def test_gutter_is_found_only_with_text_on_both_sides():
    left = [pdf.Line(30, 100 + 12 * i, 280, 110 + 12 * i, "left column words") for i in range(8)]
    right = [pdf.Line(315, 100 + 12 * i, 560, 110 + 12 * i, "right column words") for i in range(8)]
    assert 280 <= pdf.find_gutter(left + right, 595) <= 315
    assert pdf.find_gutter(left, 595) is None
    full = [pdf.Line(30, 100 + 12 * i, 560, 110 + 12 * i, "one wide column") for i in range(8)]
    assert pdf.find_gutter(full, 595) is None


def test_running_heads_need_repetition():
    pages = [
        pdf.PdfPage(
            n,
            595,
            842,
            [
                pdf.Line(30, 20, 300, 30, f"{n} Report 2018"),
                pdf.Line(30, 400, 300, 410, f"Body {n}"),
            ],
        )
        for n in range(1, 5)
    ]
    pdf._drop_running_heads(pages)
    assert [[line.text for line in page.lines] for page in pages] == [
        ["Body 1"],
        ["Body 2"],
        ["Body 3"],
        ["Body 4"],
    ]
    single = [pdf.PdfPage(1, 595, 842, [pdf.Line(30, 20, 300, 30, "Report 2018")])]
    pdf._drop_running_heads(single)
    assert [line.text for line in single[0].lines] == ["Report 2018"]


@pytest.mark.parametrize(
    "data,cause",
    [
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ngarbage", "broken PDF"),
        (pdfgen.encrypted_pdf(), "encrypted PDF (password required)"),
        (pdfgen.blank_pdf(), "no text found (image-only or empty document)"),
        (pdfgen.image_only_pdf(), "no text found (image-only or empty document)"),
        (b"", "empty file"),
        (b"PK\x03\x04 not a pdf", "broken PDF"),
    ],
)
def test_unreadable_pdfs(data, cause):
    with pytest.raises(UnreadableDocument) as error:
        load.load_bytes(data, "application/pdf", name="report.pdf")
    assert str(error.value).startswith(cause)
