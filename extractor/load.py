"""Load stage: bytes (HTML, PDF or plain text) -> pages of text with blocks.

No interpretation happens here beyond structure: headings, list items,
paragraphs and table rows are kept apart so later stages can find sections.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from . import clean
from .errors import UnreadableDocument, UnsupportedContentType
from .model import Block, LoadedDocument, Page

HTML = "text/html"
PDF = "application/pdf"
TEXT = "text/plain"

BULLET_RE = re.compile(r"^\s*(?:[•■▪●◦>]|Ÿ+|-(?=\s|$)|\*(?=\s))\s*")

# Elements that are site chrome, never report content.
_CHROME_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "form", "aside", "svg"}
_CHROME_HINTS = ("nav", "menu", "footer", "cookie", "breadcrumb", "sidebar", "social", "share")
_BLOCK_KIND = {
    "h1": "heading",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "h5": "heading",
    "h6": "heading",
    "li": "item",
    "tr": "row",
    "p": "paragraph",
    "dt": "paragraph",
    "dd": "paragraph",
    "caption": "paragraph",
    "blockquote": "paragraph",
}


def sniff_content_type(data: bytes, hint: str | None = None, name: str | None = None) -> str:
    """Decide what the bytes are from a content-type hint, the file name and the bytes."""
    hint = (hint or "").split(";")[0].strip().lower()
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF"):
        return PDF
    if hint in (HTML, "application/xhtml+xml"):
        return HTML
    if hint == PDF:
        return PDF  # claimed PDF without the magic bytes: the PDF loader reports it
    suffix = Path(name).suffix.lower() if name else ""
    if suffix == ".pdf":
        return PDF
    lowered = head[:200].lower()
    if suffix in (".html", ".htm", ".aspx") or lowered.startswith((b"<!doctype html", b"<html")):
        return HTML
    if hint in (TEXT, "") or suffix in (".txt", ""):
        if b"\x00" in data[:4096]:
            raise UnsupportedContentType("binary file, not HTML, PDF or text")
        return TEXT
    raise UnsupportedContentType(f"unsupported content type {hint or suffix!r}")


def load_path(path: str | Path, content_type: str | None = None) -> LoadedDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(exc.strerror or str(exc)) from exc
    return load_bytes(data, content_type=content_type, name=str(path))


def load_bytes(
    data: bytes,
    content_type: str | None = None,
    name: str | None = None,
    url: str | None = None,
) -> LoadedDocument:
    if not data.strip():
        raise UnreadableDocument("empty file")
    kind = sniff_content_type(data, content_type, name)
    sha = hashlib.sha256(data).hexdigest()
    if kind == PDF:
        title, pages = _load_pdf(data)
    elif kind == HTML:
        title, pages = _load_html(data)
    else:
        text = _decode(data)
        first, _, rest = text.partition("\n")
        if first.startswith("URL:"):
            url = url or first[4:].strip()
            text = rest
        title, pages = None, [_page_from_text(1, text)]
    if not any(p.text.strip() for p in pages):
        raise UnreadableDocument("no text found (image-only or empty document)")
    return LoadedDocument(
        path=name, url=url, sha256=sha, content_type=kind, title=title, pages=pages
    )


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _page_from_text(number: int, text: str) -> Page:
    """A page whose blocks are its non-empty lines (bullets recognised as items)."""
    text = clean.clean_text(text)
    blocks: list[Block] = []
    offset = 0
    for line in text.split("\n"):
        start = offset
        offset += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        match = BULLET_RE.match(line)
        kind = "paragraph"
        lead = len(line) - len(line.lstrip())
        if match and (match.end() < len(line) or stripped in ("-",)):
            kind = "item"
            lead = match.end()
        body = line[lead:].rstrip()
        if not body:
            # a lone bullet line: the item's text follows on the next line
            blocks.append(Block("bullet", "", number, start + lead, start + lead))
            continue
        blocks.append(Block(kind, body, number, start + lead, start + lead + len(body)))
    return Page(number=number, text=text, blocks=blocks)


def _load_html(data: bytes) -> tuple[str | None, list[Page]]:
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(data)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(f"malformed HTML: {exc}") from exc
    title_el = root.find(".//title")
    title = clean.clean_text(title_el.text_content()).strip() if title_el is not None else None
    body = next(
        (el for el in (root.find(".//main"), root.find(".//article"), root.body) if el is not None),
        root,
    )
    parts: list[tuple[str, str]] = []
    _walk_html(body, parts)
    text_parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for kind, raw in parts:
        text = clean.clean_text(raw)
        text = re.sub(r"[ \t\u00a0]+", " ", text).strip()
        if not text:
            continue
        blocks.append(Block(kind, text, 1, offset, offset + len(text)))
        text_parts.append(text)
        offset += len(text) + 1
    return title or None, [Page(number=1, text="\n".join(text_parts), blocks=blocks)]


def _is_chrome(el) -> bool:
    if not isinstance(el.tag, str):
        return True
    if el.tag in _CHROME_TAGS:
        return True
    hints = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}".lower()
    return any(h in hints for h in _CHROME_HINTS) or el.get("role") == "navigation"


def _walk_html(el, parts: list[tuple[str, str]]) -> None:
    """Depth-first: block elements become blocks; inline text is gathered into paragraphs."""
    if _is_chrome(el):
        return
    tag = el.tag
    if tag in _BLOCK_KIND:
        if tag == "tr":
            cells = [c.text_content().strip() for c in el if c.tag in ("td", "th")]
            parts.append(("row", " ".join(c for c in cells if c)))
            return
        if tag == "li" and any(child.tag in ("ul", "ol") for child in el.iter()):
            own = (el.text or "").strip()
            if own:
                parts.append(("item", own))
            for child in el:
                _walk_html(child, parts)
            return
        parts.append((_BLOCK_KIND[tag], _inline_text(el)))
        return
    pending = (el.text or "").strip()
    for child in el:
        if isinstance(child.tag, str) and (child.tag in _BLOCK_KIND or _has_block(child)):
            if pending:
                parts.append(("paragraph", pending))
                pending = ""
            _walk_html(child, parts)
        elif not _is_chrome(child):
            pending = f"{pending} {_inline_text(child)}".strip()
        tail = (child.tail or "").strip()
        if tail:
            pending = f"{pending} {tail}".strip()
    if pending:
        parts.append(("paragraph", pending))


def _has_block(el) -> bool:
    return any(isinstance(d.tag, str) and d.tag in _BLOCK_KIND for d in el.iterdescendants())


def _inline_text(el) -> str:
    """Text of an element; footnote references (<sup>12</sup>) and scripts left out."""
    return re.sub(r"\s+", " ", "".join(_gather(el))).strip()


def _gather(el, previous: str = ""):
    if isinstance(el.tag, str) and el.tag in ("script", "style"):
        return
    if isinstance(el.tag, str) and el.tag == "sup":
        # km<sup>2</sup> is a unit; any other superscript is a footnote reference
        if (el.text or "").strip() in ("2", "²") and previous.rstrip().endswith("m"):
            yield "2"
        return
    if isinstance(el.tag, str) and el.tag == "br":
        yield " "
    if el.text and isinstance(el.tag, str):
        yield el.text
    text = el.text or ""
    for child in el:
        for piece in _gather(child, text):
            text += piece
            yield piece
        if child.tail:
            text += child.tail
            yield child.tail


def _load_pdf(data: bytes) -> tuple[str | None, list[Page]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    pages: list[Page] = []
    title = None
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            info = pdf.metadata or {}
            raw_title = info.get("Title")
            if isinstance(raw_title, bytes):
                raw_title = raw_title.decode("utf-8", "replace")
            title = raw_title or None
            for index, page in enumerate(pdf.pages, start=1):
                try:
                    text = page.extract_text() or ""
                finally:
                    page.close()  # do not hold every page's objects in memory
                pages.append(_page_from_text(index, text))
    except PDFPasswordIncorrect as exc:
        raise UnreadableDocument("encrypted PDF (password required)") from exc
    except PDFSyntaxError as exc:
        raise UnreadableDocument(f"broken PDF: {exc}") from exc
    except UnreadableDocument:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise UnreadableDocument(f"broken PDF: {type(exc).__name__}: {exc}") from exc
    return title, pages
