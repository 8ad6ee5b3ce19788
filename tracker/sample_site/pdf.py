"""A tiny, self-contained PDF writer for the sample site's report chapters.

It writes just enough PDF for a text report: A4 pages, the standard Helvetica fonts with
WinAnsi encoding (no embedding), a ZapfDingbats square for "■" bullets (with a ToUnicode map,
so text extraction reads "■"), word wrapping by character count, a fixed number of lines per
page and a correct cross-reference table. No compression and no dates or IDs: the same
blocks always give the same bytes.

    >>> data = build_pdf([Paragraph("HELLO", "title"), Paragraph("A line of text.")])
    >>> data[:8]
    b'%PDF-1.4'
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PAGE_WIDTH = 595
PAGE_HEIGHT = 842
LEFT = 56
TOP = 780  # baseline of the first line
LEADING = 15
LINES_PER_PAGE = 45
VALUE_COLUMNS = (465, 520)  # x of the value cells of a table row

# Fonts: resource name -> base font. F4 is only used for the bullet square.
_FONTS = {
    "F1": "Helvetica",
    "F2": "Helvetica-Bold",
    "F3": "Helvetica-Oblique",
    "F4": "ZapfDingbats",
}
_BULLET_CODE = b"n"  # ZapfDingbats a73, a black square (U+25A0)
_BULLET_INDENT = 14


@dataclass(frozen=True)
class _Style:
    font: str
    size: int
    width: int  # wrap at this many characters
    space_before: int = 0  # blank lines before the block (not at the top of a page)


STYLES: dict[str, _Style] = {
    "title": _Style("F2", 14, 60),
    "heading": _Style("F2", 11, 80, space_before=1),
    "body": _Style("F1", 10, 90),
    "notice": _Style("F3", 9, 100),
    "bullet": _Style("F1", 10, 86),
}


@dataclass(frozen=True)
class Paragraph:
    """A block of running text; ``style`` is one of STYLES."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Row:
    """A table row: a label (wrapped) and up to two short value cells at fixed columns."""

    label: str
    values: tuple[str, ...] = ()
    bold: bool = False


@dataclass(frozen=True)
class PageBreak:
    """Start a new page (ignored at the top of a page)."""


Block = Paragraph | Row | PageBreak


@dataclass(frozen=True)
class _Line:
    font: str
    size: int
    x: int
    text: str
    cells: tuple[str, ...] = ()
    bullet: bool = False


def build_pdf(blocks: Iterable[Block], info: Mapping[str, str] | None = None) -> bytes:
    """The bytes of a PDF showing ``blocks``; ``info`` fills the document information
    dictionary (Title, Author, Subject, Creator, Producer...)."""
    pages = _paginate(blocks)
    return _serialise(pages, dict(info or {}))


def _paginate(blocks: Iterable[Block]) -> list[list[_Line | None]]:
    """Lay blocks out as pages of line slots (None = an empty slot)."""
    pages: list[list[_Line | None]] = [[]]

    def room() -> int:
        return LINES_PER_PAGE - len(pages[-1])

    def new_page() -> None:
        if pages[-1]:
            pages.append([])

    for block in blocks:
        if isinstance(block, PageBreak):
            new_page()
            continue
        lines = _lines_of(block)
        if not lines:
            continue
        space = STYLES[block.style].space_before if isinstance(block, Paragraph) else 0
        keep = 2 if isinstance(block, Paragraph) and block.style == "heading" else 1
        if room() < space + keep + 1 and keep > 1:
            new_page()  # never leave a heading alone at the foot of a page
        if pages[-1]:
            for _ in range(min(space, room())):
                pages[-1].append(None)
        for line in lines:
            if room() == 0:
                new_page()
            pages[-1].append(line)
    return [page for page in pages if page] or [[]]


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), width, break_on_hyphens=False, break_long_words=False
    )


def _lines_of(block: Paragraph | Row) -> list[_Line]:
    if isinstance(block, Row):
        font = "F2" if block.bold else "F1"
        wrapped = _wrap(block.label, 72) or [""]
        lines = [_Line(font, 10, LEFT, wrapped[0], tuple(block.values))]
        return lines + [_Line(font, 10, LEFT, rest) for rest in wrapped[1:]]
    style = STYLES[block.style]
    if block.style == "bullet":
        wrapped = _wrap(block.text, style.width)
        x = LEFT + _BULLET_INDENT
        return [
            _Line(style.font, style.size, x, text, bullet=index == 0)
            for index, text in enumerate(wrapped)
        ]
    return [_Line(style.font, style.size, LEFT, text) for text in _wrap(block.text, style.width)]


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi encoding (unencodable characters become '?')."""
    out = bytearray(b"(")
    for byte in text.encode("cp1252", errors="replace"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            out.append(byte)
        else:
            out += b"\\%03o" % byte
    out += b")"
    return bytes(out)


def _text_string(text: str) -> bytes:
    """A PDF text string for the information dictionary (UTF-16BE with a byte-order mark)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _content(page: list[_Line | None]) -> bytes:
    ops = [b"BT"]
    for slot, line in enumerate(page):
        if line is None:
            continue
        y = TOP - slot * LEADING
        if line.bullet:
            ops.append(b"/F4 %d Tf 1 0 0 1 %d %d Tm (%s) Tj" % (line.size, LEFT, y, _BULLET_CODE))
        ops.append(
            b"/%s %d Tf 1 0 0 1 %d %d Tm %s Tj"
            % (line.font.encode(), line.size, line.x, y, pdf_string(line.text))
        )
        for x, cell in zip(VALUE_COLUMNS, line.cells, strict=False):
            ops.append(b"1 0 0 1 %d %d Tm %s Tj" % (x, y, pdf_string(cell)))
    ops.append(b"ET")
    return b"\n".join(ops) + b"\n"


_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
1 beginbfchar
<6E> <25A0>
endbfchar
endcmap
CMapName currentdict /CMapResource defineresource pop
end
end
"""


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def _serialise(pages: list[list[_Line | None]], info: dict[str, str]) -> bytes:
    # Fixed objects: 1 catalog, 2 page tree, 3-6 fonts, 7 ToUnicode map, 8 info;
    # then a page object and its content stream for each page.
    first_page = 9
    page_ids = [first_page + 2 * index for index in range(len(pages))]
    font_ids = {name: 3 + index for index, name in enumerate(_FONTS)}
    fonts = b" ".join(b"/%s %d 0 R" % (name.encode(), font_ids[name]) for name in _FONTS)
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % pid for pid in page_ids), len(pages)),
        7: _stream(_TO_UNICODE),
        8: b"<< "
        + b" ".join(
            b"/%s %s" % (key.encode("ascii"), _text_string(value)) for key, value in info.items()
        )
        + b" >>",
    }
    for name, base in _FONTS.items():
        extra = b" /ToUnicode 7 0 R" if base == "ZapfDingbats" else b" /Encoding /WinAnsiEncoding"
        objects[font_ids[name]] = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s%s >>" % (
            base.encode(),
            extra,
        )
    for page_id, page in zip(page_ids, pages, strict=True):
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << %s >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, fonts, page_id + 1)
        )
        objects[page_id + 1] = _stream(_content(page))

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 8 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        xref,
    )
    return bytes(out)
