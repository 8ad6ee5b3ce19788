"""PDF reading: text lines with positions, in reading order, one page at a time.

pypdfium2 (PDFium) reads the text and where each line sits, which is fast enough for a
300-page report. Layout is rebuilt from those positions, never from the content stream's order:

- running headers and footers: lines in the top or bottom margin whose text (digits masked)
  repeats on many pages, and bare page numbers, are dropped;
- two columns: a vertical gutter that no line crosses splits the page; lines spanning it
  (titles, tables) cut the page into bands, each read left column first;
- ruled tables: pdfplumber's table algorithm (edges -> intersections -> cells -> tables) runs
  on the ruling lines PDFium reports, so a cell whose text wraps stays one cell without paying
  for pdfminer's layout analysis of the whole page.

Each page and its text page are closed before the next is opened.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field

from .errors import UnreadableDocument

MARGIN = 0.09  # share of the page height that counts as header or footer band
REPEAT_SHARE = 0.3  # a margin line repeated on this share of pages is a running head
_PAGE_NUMBER = re.compile(r"^\W*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\W*$", re.I)
_BULLET = re.compile(r"^\s*(?:[•■▪●◦►>]|Ÿ+|[-–](?=\s))")
_MAX_PATHS = 3000  # pages with more vector paths than this are drawings, not tables


@dataclass
class Line:
    """A run of text on one baseline; coordinates from the page's top-left corner."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float = 0.0
    kind: str = "text"  # "text" | "row" (a table row, cells joined by spaces)

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class PdfPage:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)  # running heads taken out of ``lines``


def read_pdf(data: bytes) -> tuple[str | None, list[PdfPage]]:
    """Title and pages (lines in reading order, running heads removed)."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument(_cause(str(exc))) from exc
    pages: list[PdfPage] = []
    try:
        title = _title(doc)
        for index in range(len(doc)):
            page = doc[index]
            try:
                pages.append(_read_page(page, index + 1))
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument(f"broken PDF: {exc}") from exc
    finally:
        doc.close()
    _drop_running_heads(pages)
    for page in pages:
        page.lines = reading_order(page.lines, page.width)
    return title, pages


def _cause(message: str) -> str:
    lowered = message.lower()
    if "password" in lowered:
        return "encrypted PDF (password required)"
    return f"broken PDF: {message}"


def _title(doc) -> str | None:
    try:
        title = doc.get_metadata_dict(skip_empty=True).get("Title")
    except Exception:  # a damaged information dictionary is not worth failing for
        return None
    return title.strip() if isinstance(title, str) and title.strip() else None


def _read_page(page, number: int) -> PdfPage:
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        lines = _lines(textpage, height)
    finally:
        textpage.close()
    tables = ruled_tables(page, height) if lines else []
    if tables:
        lines = _table_rows(lines, tables)
    return PdfPage(number, width, height, lines)


def _lines(textpage, height: float) -> list[Line]:
    """Lines as PDFium breaks them, split where a line has separate runs (columns, cells)."""
    import pypdfium2.raw as pdfium_c

    # PDFium marks a hyphen that ends a line as U+FFFE (or U+0002) and may run the next line on
    text = textpage.get_text_range().replace("\ufffe", "-").replace("\x02", "-")
    font_size = pdfium_c.FPDFText_GetFontSize
    raw_page = textpage.raw
    charbox = _charbox_reader(textpage)
    out: list[Line] = []
    pos = 0
    for raw in text.split("\r\n"):
        count = len(raw)
        stripped = raw.strip()
        if stripped:
            size = round(font_size(raw_page, pos + count - len(raw.lstrip())), 1)
            n_rects = textpage.count_rects(pos, count)
            if n_rects == 1:
                left, bottom, right, top = textpage.get_rect(0)
                out.append(Line(left, height - top, right, height - bottom, stripped, size))
            elif n_rects > 1:
                rects = [textpage.get_rect(i) for i in range(n_rects)]
                for piece, (left, bottom, right, top) in _split_runs(charbox, raw, pos, rects):
                    if piece.strip():
                        out.append(
                            Line(left, height - top, right, height - bottom, piece.strip(), size)
                        )
        pos += count + 2
    return out


def _split_runs(charbox, raw: str, pos: int, rects) -> list[tuple[str, tuple]]:
    """Split a line PDFium reports as several runs (cells, a second column, the next line
    after a hyphen) where each run's first character sits. Rects come in character order."""
    cuts = []
    low = 0
    for j, before in enumerate(rects[:-1]):
        cut = _first_after(charbox, pos, low, len(raw), rects[: j + 1])
        if 0 < cut < len(raw) and charbox(pos + cut - 1)[2] > rects[j + 1][0] + 0.1:
            # runs overlap by a hair: a run starts after the character that ends the last one
            for near in range(max(cut - 2, 1), min(cut + 3, len(raw))):
                if abs(charbox(pos + near - 1)[2] - before[2]) < 0.3:
                    cut = near
                    break
        cuts.append(cut)
        low = cut
    if cuts != sorted(cuts) or any(not 0 < cut < len(raw) for cut in cuts):
        return [(raw, _union(rects))]
    return [
        (raw[start:end], rect)
        for start, end, rect in zip([0, *cuts], [*cuts, len(raw)], rects, strict=True)
    ]


def _charbox_reader(textpage):
    """PDFium's character box (left, bottom, right, top), without per-call wrapping."""
    import pypdfium2.raw as pdfium_c

    raw, get = textpage.raw, pdfium_c.FPDFText_GetCharBox
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))

    def charbox(index: int) -> tuple[float, float, float, float]:
        get(raw, index, left, right, bottom, top)
        return left.value, bottom.value, right.value, top.value

    return charbox


def _first_after(charbox, pos: int, low: int, high: int, rects) -> int:
    """Binary search for the first character (from ``low``) outside ``rects``: characters
    come in run order, so "inside one of the first runs" holds for a prefix of the line."""

    def inside(i: int) -> bool:
        left, bottom, right, top = charbox(pos + i)
        while right - left <= 0 and i + 1 < high:  # a generated space has no box
            i += 1
            left, bottom, right, top = charbox(pos + i)
        x, y = (left + right) / 2, (bottom + top) / 2
        return any(r[0] - 0.5 <= x <= r[2] + 0.5 and r[1] - 0.5 <= y <= r[3] + 0.5 for r in rects)

    while low < high:
        middle = (low + high) // 2
        if inside(middle):
            low = middle + 1
        else:
            high = middle
    return low


def _union(rects) -> tuple[float, float, float, float]:
    return (
        min(r[0] for r in rects),
        min(r[1] for r in rects),
        max(r[2] for r in rects),
        max(r[3] for r in rects),
    )


def _drop_running_heads(pages: list[PdfPage]) -> None:
    """Remove margin lines repeated across pages (digits masked) and bare page numbers."""
    if not pages:
        return
    seen: Counter[str] = Counter()
    for page in pages:
        keys = {_head_key(line) for line in page.lines if _in_margin(line, page.height)}
        seen.update(keys)
    threshold = max(2, REPEAT_SHARE * len(pages))
    repeated = {key for key, count in seen.items() if count >= threshold}
    for page in pages:
        kept = []
        for line in page.lines:
            if not _in_margin(line, page.height):
                kept.append(line)
            elif _head_key(line) in repeated:
                page.heads.append(line.text)
            elif not _PAGE_NUMBER.match(line.text):
                kept.append(line)
        page.lines = kept


def _in_margin(line: Line, height: float) -> bool:
    return line.bottom <= height * MARGIN or line.top >= height * (1 - MARGIN)


def _head_key(line: Line) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", line.text.lower())).strip()


def reading_order(lines: list[Line], width: float) -> list[Line]:
    """Lines in reading order: bands top to bottom, each band's left column before its right;
    runs sharing a baseline within a column become one line (a table row if far apart)."""
    ordered = sorted(lines, key=lambda line: (round(line.top), line.x0))
    gutter = find_gutter([line for line in lines if line.kind == "text"], width)
    if gutter is None:
        return _merge_baselines(ordered)
    out: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []
    for line in ordered:
        spanning = line.kind == "row" or (line.x0 < gutter - 1 and line.x1 > gutter + 1)
        if spanning:
            out += _merge_baselines(left) + _merge_baselines(right)
            left, right = [], []
            out.append(line)
        elif line.x1 <= gutter + 1:
            left.append(line)
        else:
            right.append(line)
    return out + _merge_baselines(left) + _merge_baselines(right)


def _merge_baselines(lines: list[Line]) -> list[Line]:
    """Join consecutive runs whose vertical extents overlap into one line, left to right."""
    out: list[Line] = []
    group: list[Line] = []
    for line in lines:
        if (
            group
            and line.kind == "text"
            and group[-1].kind == "text"
            and _same_baseline(group[-1], line)
        ):
            group.append(line)
            continue
        if group:
            out.append(_join(group))
        group = [line]
    if group:
        out.append(_join(group))
    return out


def _same_baseline(a: Line, b: Line) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.5 * min(a.height, b.height)


def _join(group: list[Line]) -> Line:
    if len(group) == 1:
        return group[0]
    group = sorted(group, key=lambda line: line.x0)
    size = max(line.size for line in group) or 10.0
    far = any(b.x0 - a.x1 > 2 * size for a, b in zip(group, group[1:], strict=False))
    return Line(
        min(line.x0 for line in group),
        min(line.top for line in group),
        max(line.x1 for line in group),
        max(line.bottom for line in group),
        " ".join(line.text for line in group),
        size,
        kind="row" if far else "text",
    )


def find_gutter(lines: list[Line], width: float) -> float | None:
    """The x of a column gutter: the least crossed point of the page's middle, if few lines
    cross it and enough text stands on each side."""
    if len(lines) < 6 or width <= 0:
        return None
    bins = int(width) + 2
    coverage = [0] * (bins + 1)
    for line in lines:
        start, end = max(0, int(line.x0)), min(bins, int(line.x1) + 1)
        coverage[start] += 1
        coverage[end] -= 1
    running, crossing = 0, []
    for value in coverage:
        running += value
        crossing.append(running)
    low, high = int(width * 0.3), int(width * 0.7)
    middle = width / 2
    best = min(range(low, high + 1), key=lambda x: (crossing[x], abs(x - middle)))
    if crossing[best] > max(1, 0.08 * len(lines)):
        return None
    left = sum(len(line.text) for line in lines if line.x1 <= best)
    right = sum(len(line.text) for line in lines if line.x0 >= best)
    total = sum(len(line.text) for line in lines)
    if min(left, right) < 0.15 * total:
        return None
    return float(best)


# --- ruled tables -----------------------------------------------------------------------


def ruled_tables(page, height: float) -> list[list[tuple[float, float, float, float]]]:
    """Tables drawn with ruling lines: each a list of cells (x0, top, x1, bottom)."""
    import pypdfium2.raw as pdfium_c
    from pdfplumber import table as plumber_table

    raw_page = page.raw
    total = pdfium_c.FPDFPage_CountObjects(raw_page)
    paths = []
    for index in range(total):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, index)
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths.append(obj)
    if len(paths) < 2 or len(paths) > _MAX_PATHS:
        return []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    edges: list[dict] = []
    for obj in paths:
        pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        edges += _edges(left.value, height - top.value, right.value, height - bottom.value)
    if len(edges) < 4:
        return []
    edges = plumber_table.merge_edges(edges, 3, 3, 3, 3)
    intersections = plumber_table.edges_to_intersections(edges, 1, 1)
    cells = plumber_table.intersections_to_cells(intersections)
    tables = plumber_table.cells_to_tables(cells)
    return [cells for cells in tables if len(cells) >= 2]


def _edges(x0: float, top: float, x1: float, bottom: float) -> list[dict]:
    """Ruling edges of a path's bounding box: a thin box is a rule, a larger one a frame."""
    w, h = x1 - x0, bottom - top
    if h <= 3 and w >= 5:
        middle = (top + bottom) / 2
        return [_edge("h", x0, middle, x1, middle)]
    if w <= 3 and h >= 5:
        middle = (x0 + x1) / 2
        return [_edge("v", middle, top, middle, bottom)]
    if w >= 5 and h >= 5:
        return [
            _edge("h", x0, top, x1, top),
            _edge("h", x0, bottom, x1, bottom),
            _edge("v", x0, top, x0, bottom),
            _edge("v", x1, top, x1, bottom),
        ]
    return []


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {
        "orientation": orientation,
        "object_type": "line",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
    }


def _table_rows(lines: list[Line], tables) -> list[Line]:
    """Replace the lines inside each table by one "row" line per table row (cells in order)."""
    out = list(lines)
    for cells in tables:
        x0 = min(c[0] for c in cells)
        top = min(c[1] for c in cells)
        x1 = max(c[2] for c in cells)
        bottom = max(c[3] for c in cells)
        inside = [
            line
            for line in out
            if x0 - 1 <= (line.x0 + line.x1) / 2 <= x1 + 1
            and top - 1 <= (line.top + line.bottom) / 2 <= bottom + 1
        ]
        if not inside:
            continue
        row_tops = sorted({round(c[1], 1) for c in cells})
        rows: dict[float, dict[tuple, list[Line]]] = {t: {} for t in row_tops}
        for line in inside:
            cell = _cell_of(line, cells)
            if cell is None:
                continue
            rows[round(cell[1], 1)].setdefault(cell, []).append(line)
        taken = {id(line) for line in inside}
        out = [line for line in out if id(line) not in taken]
        for row_top, row_cells in rows.items():
            if not row_cells:
                continue
            texts = []
            for cell in sorted(row_cells, key=lambda c: c[0]):
                parts = sorted(row_cells[cell], key=lambda line: (round(line.top), line.x0))
                texts.append(" ".join(part.text for part in parts))
            members = [line for group in row_cells.values() for line in group]
            out.append(
                Line(
                    x0,
                    row_top,
                    x1,
                    max(line.bottom for line in members),
                    " ".join(texts),
                    members[0].size,
                    kind="row",
                )
            )
    return out


def _cell_of(line: Line, cells) -> tuple | None:
    mx, my = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    for cell in cells:
        if cell[0] - 1 <= mx <= cell[2] + 1 and cell[1] - 1 <= my <= cell[3] + 1:
            return cell
    return None


# --- paragraphs ---------------------------------------------------------------------------


def paragraphs(lines: list[Line]) -> list[tuple[str, str]]:
    """(kind, text) blocks: rows stay rows; text lines join into paragraphs and items.
    Line ends keep a newline so that hyphenation can be judged by the clean stage."""
    text_lines = [line for line in lines if line.kind == "text"]
    heights = sorted(line.height for line in text_lines) or [10.0]
    pitches = sorted(
        b.top - a.top
        for a, b in zip(text_lines, text_lines[1:], strict=False)
        if 0 < b.top - a.top < 3 * max(a.height, 1.0)
    ) or [1.2 * heights[len(heights) // 2]]
    pitch = pitches[len(pitches) // 2]  # the usual distance from one line to the next
    sizes = Counter(line.size for line in lines if line.kind == "text")
    body_size = sizes.most_common(1)[0][0] if sizes else 0.0
    blocks: list[tuple[str, str]] = []
    current: list[Line] = []
    kind = "paragraph"

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append((kind, "\n".join(line.text for line in current)))
        current = []

    previous: Line | None = None
    heading = {id(line): _is_heading(line.text) for line in lines if line.kind == "text"}
    for line in lines:
        if line.kind == "row":
            flush()
            blocks.append(("row", line.text))
            previous = None
            continue
        moved_up = previous is not None and line.top < previous.top - 1  # next column or band
        if moved_up and _continues(previous.text, line.text) and not heading[id(line)]:
            current.append(line)
            previous = line
            continue
        starts_new = (
            previous is None
            or moved_up
            or line.top - previous.top > 1.45 * pitch
            or abs(line.size - previous.size) > 0.6
            or _BULLET.match(line.text) is not None
            or heading[id(line)] != heading.get(id(previous), False)
        )
        if starts_new:
            flush()
            kind = "item" if _BULLET.match(line.text) else "paragraph"
            if body_size and line.size and line.size < body_size - 1.5 and line.text[:1].isdigit():
                kind = "footnote"
        current.append(line)
        previous = line
    flush()
    return blocks


def _continues(before: str, after: str) -> bool:
    """A paragraph running on into the next column: it stopped without a full stop."""
    return not re.search(r"[.!?:;]\W*$", before) and _BULLET.match(after) is None


def _is_heading(text: str) -> bool:
    """A short line in capitals ("KEY DEVELOPMENTS")."""
    if len(text) > 80 or not text.isupper() or len(text.split()) > 8:
        return False
    letters = sum(c.isalpha() for c in text)
    return letters >= 4 and not re.search(r"\d[\d,.]*\s*(?:km|m2|ha)", text, re.I)
