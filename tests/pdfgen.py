"""Fixture PDFs written with fpdf2 for the reading tests and the benchmark.

Every text here is our own. Each builder returns the PDF bytes and, where it matters, the
text a reader should recover, in reading order, without running heads.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from fpdf import FPDF

HEADER = "{n} Clearing Cluster Munition Remnants 2018 STATES PARTIES"
FOOTER = "mineactionreview.org {n}"

_WORDS = (
    "operators national authority survey clearance teams reported progress across the "
    "northern provinces while funding from donors declined and the centre revised its "
    "standards for land release and planned further technical survey of suspected areas "
    "along the border with community liaison and quality management in every district"
).split()


@dataclass
class Table:
    """A ruled table drawn across the full text width; the first row is the header."""

    rows: list[tuple[str, ...]]
    widths: tuple[int, ...] = (110, 35, 35)


@dataclass
class Report:
    """A generated report: the bytes and the text in reading order."""

    data: bytes
    paragraphs: list[str] = field(default_factory=list)
    pages: int = 0


class _Pdf(FPDF):
    def __init__(self, header: str | None, footer: str | None, first: int) -> None:
        super().__init__(format="A4")
        self.head, self.foot, self.first = header, footer, first
        self.set_auto_page_break(True, margin=20)
        self.set_creator("tests/pdfgen.py")

    def header(self) -> None:
        if self.head:
            self.set_font("Helvetica", size=8)
            self.set_y(8)
            self.cell(0, 4, self.head.format(n=self.page_no() + self.first), align="L")
        self.set_y(20)

    def footer(self) -> None:
        if self.foot:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 4, self.foot.format(n=self.page_no() + self.first), align="R")


def sentence(rng: random.Random, words: int) -> str:
    body = " ".join(rng.choice(_WORDS) for _ in range(words))
    return body[0].upper() + body[1:] + "."


@dataclass
class PageBreak:
    """Start a new page."""


def two_column_pdf(
    blocks: list[str | Table | PageBreak],
    *,
    header: str | None = HEADER,
    footer: str | None = FOOTER,
    first_page: int = 40,
    title: str | None = None,
    balance: bool = False,
    font_size: int = 10,
) -> bytes:
    """Paragraphs flowing through two columns; a Table interrupts them at full width."""
    pdf = _Pdf(header, footer, first_page)
    if title:
        pdf.set_title(title)
    pdf.add_page()
    pending: list[str] = []

    def write_columns() -> None:
        if not pending:
            return
        pdf.set_font("Helvetica", size=font_size)
        with pdf.text_columns(ncols=2, gutter=10, balance=balance, line_height=1.2) as cols:
            for text in pending:
                cols.write(text=text)
                cols.ln()
                cols.ln()
        pending.clear()

    for block in blocks:
        if isinstance(block, Table):
            write_columns()
            pdf.ln(4)
            pdf.set_font("Helvetica", size=9)
            with pdf.table(col_widths=block.widths, first_row_as_headings=False) as table:
                for cells in block.rows:
                    row = table.row()
                    for cell in cells:
                        row.cell(cell)
            pdf.ln(4)
        elif isinstance(block, PageBreak):
            write_columns()
            pdf.add_page()
        else:
            pending.append(block)
    write_columns()
    return bytes(pdf.output())


def score_table(years: tuple[int, int] = (2022, 2021)) -> Table:
    rows = [
        ("CRITERION", f"SCORE {years[0]}", f"SCORE {years[1]}"),
        ("UNDERSTANDING OF CMR CONTAMINATION (20% of overall score)", "7", "6"),
        ("NATIONAL OWNERSHIP AND PROGRAMME MANAGEMENT (10% of overall score)", "5", "5"),
        ("GENDER AND DIVERSITY (10% of overall score)", "4", "4"),
        ("LAND RELEASE SYSTEM (20% of overall score)", "7", "6"),
        ("LAND RELEASE OUTPUTS AND ARTICLE 4 COMPLIANCE (20% of overall score)", "6", "5"),
        ("PERFORMANCE SCORE: AVERAGE", "6.4", "5.7"),
    ]
    return Table(rows)


def data_table(rng: random.Random, rows: int = 8) -> Table:
    body = [
        (
            f"District {i + 1} along the {rng.choice(_WORDS)} road",
            f"{rng.randint(1, 90)}",
            f"{rng.randint(1000, 99999):,}",
        )
        for i in range(rows)
    ]
    return Table([("District", "CHAs", "Area (m2)"), *body])


def benchmark_report(
    pages: int = 100, seed: int = 7, table_every: int = 10, interleave: bool = True
) -> Report:
    """``pages`` pages of two-column prose (running header and footer on each, words
    hyphenated at line ends, some ligatures split) with a ruled table at the top of every
    ``table_every``-th page. With ``interleave`` the content stream alternates between the
    columns line by line, so only positions give the reading order. ``paragraphs`` holds what
    a perfect reader gives: the table rows and the prose, without running heads."""
    rng = random.Random(seed)
    pdf = _Pdf(HEADER, FOOTER, 40)
    pdf.set_auto_page_break(False)
    queue: list[str] = []
    printed: list[str] = []
    for page in range(pages):
        pdf.add_page()
        top = 24.0
        if table_every and page % table_every == table_every - 1:
            table = data_table(rng)
            pdf.set_y(top)
            pdf.set_font("Helvetica", size=9)
            with pdf.table(col_widths=table.widths, first_row_as_headings=False) as drawn:
                for cells in table.rows:
                    row = drawn.row()
                    for cell in cells:
                        row.cell(cell)
            printed += ["\n" + " ".join(cells) for cells in table.rows]
            top = pdf.get_y() + 6
        pdf.set_font("Helvetica", size=10)
        rows = int((297 - 22 - top) / LEADING)
        while len(queue) < 2 * rows:
            text = " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(5))
            text = text.replace("release", "effi cient release", 1)
            queue += [*_wrap(pdf, text, COLUMN), ""]
        left, right = queue[:rows], queue[rows : 2 * rows]
        del queue[: 2 * rows]
        printed += left + right
        order = (
            [(c, i) for i in range(rows) for c in (0, 1)]
            if interleave
            else ([(0, i) for i in range(rows)] + [(1, i) for i in range(rows)])
        )
        for column, index in order:
            line = (left, right)[column][index]
            if line:
                pdf.text(MARGIN + column * (COLUMN + GUTTER), top + (index + 1) * LEADING, line)
    text = " ".join(printed).replace("- ", "").replace("effi cient", "efficient")
    return Report(bytes(pdf.output()), [" ".join(text.split())], pages)


MARGIN, COLUMN, GUTTER, LEADING = 15.0, 86.0, 8.0, 4.8


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Greedy wrap at ``width`` mm; a long word that does not fit is hyphenated."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if pdf.get_string_width(trial) <= width:
            current = trial
            continue
        if len(word) >= 8 and word.isalpha():
            for cut in range(len(word) - 3, 3, -1):
                head = f"{current} {word[:cut]}-".strip()
                if pdf.get_string_width(head) <= width:
                    lines.append(head)
                    current = word[cut:]
                    break
            else:
                lines.append(current)
                current = word
            continue
        lines.append(current)
        current = word
    if current:
        lines.append(current)
    return lines


def _count_pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def image_only_pdf() -> bytes:
    """A scanned-looking page: one drawn shape, no text at all."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(90, 90, 90)
    pdf.rect(20, 20, 170, 250, style="F")
    return bytes(pdf.output())


def blank_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.set_encryption(
        owner_password="owner", user_password="secret", encryption_method=EncryptionMethod.RC4
    )
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 10, "A locked report.")
    return bytes(pdf.output())


CHAPTER_TITLE = "Clearing Cluster Munition Remnants 2023: Testland"


def chapter_pdf() -> bytes:
    """A two-page report chapter about an invented country: title, KEY DATA, key developments
    with figures, recommendations with '>' bullets, and on page 2 a ruled score table with two
    year columns and cells whose labels wrap."""
    blocks: list[str | Table | PageBreak] = [
        "CLEARING CLUSTER MUNITION REMNANTS 2023",
        "TESTLAND",
        "KEY DATA",
        "0.35 0.30 0.25 LAND RELEASE OUTPUT 2022",
        "AP MINES DESTROYED IN 2022: 29",
        "KEY DEVELOPMENTS",
        "In 2022, Testland released 4.2km2 of cluster munition-contaminated area, of which "
        "3.1km2 was cleared, and destroyed 1,245 submunitions. The national authority adopted "
        "a more effi cient survey method and confi rmed that remaining contamination stood at "
        "about 57km2 at the end of 2022.",
        "RECOMMENDATIONS FOR ACTION",
        "> Testland should accede to the Convention on Cluster Munitions without delay.",
        "> The national authority should not record new strikes as covering 25,000m2 by default.",
        PageBreak(),
        "ASSESSMENT OF NATIONAL PROGRAMME PERFORMANCE",
        score_table((2022, 2021)),
        "The overall score rose because clearance output improved.",
    ]
    return two_column_pdf(blocks, title=CHAPTER_TITLE)
