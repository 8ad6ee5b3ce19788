"""Load stage: bytes (HTML, PDF or plain text) -> pages of text with blocks.

No interpretation happens here beyond structure: headings, list items, paragraphs and table
rows are kept apart so later stages can find sections. Every block's text is exactly
``page.text[block.start:block.end]``.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from . import clean, compiled, pdf
from .errors import UnreadableDocument, UnsupportedContentType
from .model import Block, LoadedDocument, Page
from .yamlio import load_yaml

HTML = "text/html"
PDF = "application/pdf"
TEXT = "text/plain"

BULLET_RE = re.compile(r"^\s*(?:[•■▪●◦►>]|Ÿ+|-(?=\s|$)|\*(?=\s))\s*")
_CONTINUATION = re.compile(r"^[a-z]")
# a line ending in a number of its own ("Gender (10% of overall score) 4") is a table row,
# even in text hard-wrapped elsewhere
_ROW_END = re.compile(r"\s\d{1,3}(?:\.\d{1,2})?$")
_TERMINAL = re.compile(r"[.!?:;]\W*$")
_OPEN_END = re.compile(
    r"\b(?:of|and|or|the|a|an|to|in|by|at|for|with|from|than|about|some|almost|over|under|"
    r"nearly|approximately|least|total|were|was|had|have|has)$"
)

# Elements that are site chrome, never report content.
_CHROME_TAGS = {
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "form",
    "aside",
    "svg",
    "iframe",
    "button",
    "select",
    "template",
}
_CHROME_HINTS = (
    "nav",
    "menu",
    "footer",
    "header",
    "cookie",
    "breadcrumb",
    "sidebar",
    "social",
    "share",
    "banner",
    "skip-link",
    "search",
    "login",
    "newsletter",
)
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
    "pre": "paragraph",
}


def sniff_content_type(data: bytes, hint: str | None = None, name: str | None = None) -> str:
    """Decide what the bytes are from a content-type hint, the file name and the bytes."""
    hint = (hint or "").split(";")[0].strip().lower()
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF"):
        return PDF
    if hint in (HTML, "application/xhtml+xml"):
        if _is_binary(data):
            raise UnreadableDocument("binary file, not HTML, PDF or text")
        return HTML
    if hint == PDF:
        return PDF  # claimed PDF without the magic bytes: the PDF loader reports it
    suffix = Path(name).suffix.lower() if name else ""
    if suffix == ".pdf":
        return PDF
    lowered = head[:200].lower()
    if suffix in (".html", ".htm", ".aspx") or lowered.startswith((b"<!doctype html", b"<html")):
        if _is_binary(data):
            raise UnreadableDocument("binary file, not HTML, PDF or text")
        return HTML
    if hint in (TEXT, "") or suffix in (".txt", "", ".text", ".md"):
        if _is_binary(data):
            raise UnreadableDocument("binary file, not HTML, PDF or text")
        return TEXT
    raise UnsupportedContentType(f"unsupported content type {hint or suffix!r}")


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _is_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL))
    return control > len(sample) * 0.05


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
        if not data.lstrip().startswith(b"%PDF"):
            raise UnreadableDocument("broken PDF: no PDF header")
        title, pages = _load_pdf(data)
    elif kind == HTML:
        title, pages = _load_html(data)
    else:
        text = _decode(data)
        first, _, rest = text.partition("\n")
        if first.startswith("URL:"):
            url = url or first[4:].strip()
            text = rest
        title, pages = None, [page_from_text(1, text)]
    if not any(p.text.strip() for p in pages):
        raise UnreadableDocument("no text found (image-only or empty document)")
    return LoadedDocument(
        path=name, url=url, sha256=sha, content_type=kind, title=title, pages=pages
    )


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# --- building pages from (kind, text) parts ---------------------------------------------


def page_from_parts(
    number: int, parts: list[tuple[str, str]], heads: list[str] | None = None
) -> Page:
    """A page whose blocks are the cleaned parts, one per line of the page text; ``heads``
    are the running heads already taken out (those left in the parts are taken out here)."""
    texts: list[str] = []
    blocks: list[Block] = []
    heads = list(heads or [])
    offset = 0
    for kind, raw in parts:
        for part_kind, text in _clean_part(kind, raw, heads):
            if part_kind == "bullet":
                blocks.append(Block("bullet", "", number, offset, offset))
                texts.append("")
                offset += 1
                continue
            blocks.append(Block(part_kind, text, number, offset, offset + len(text)))
            texts.append(text)
            offset += len(text) + 1
    return Page(number=number, text="\n".join(texts), blocks=blocks, heads=heads)


def _clean_part(kind: str, raw: str, heads: list[str]) -> list[tuple[str, str]]:
    text = clean.clean_text(raw, heads)
    text = re.sub(r"[ \t\n]+", " ", text).strip()
    if kind == "item" or (kind == "paragraph" and BULLET_RE.match(text)):
        match = BULLET_RE.match(text)
        if match:
            if match.end() >= len(text):
                return [("bullet", "")]
            text = text[match.end() :].strip()
            kind = "item"
    if not text:
        return []
    if kind == "paragraph":
        split = _heading_prefix(text)
        if split:
            head, rest = split
            return [("heading", head), (kind, rest)]
    return [(kind, text)]


def _heading_prefix(text: str) -> tuple[str, str] | None:
    """'KEY DEVELOPMENTS In 2018, ...' -> ('KEY DEVELOPMENTS', 'In 2018, ...'): an upper-case
    section heading glued to the paragraph that follows it (PDF text)."""
    from .segment import heading_name

    match = re.match(r"^[A-Z][A-Z'’&-]+\b(?:\s+[A-Z][A-Z'’&-]+\b)*", text)
    if not match or len(match.group(0)) >= len(text):
        return None
    words = match.group(0).split()
    for cut in range(len(words), 0, -1):
        head = " ".join(words[:cut])
        rest = text[len(head) :].strip()
        # a shorter cut leaves an upper-case word: only an acronym opening a sentence
        if cut < len(words) and not re.match(r"^[A-Z][A-Z'’&-]*\s+[a-z]", rest):
            continue
        if not re.match(r"^[A-Z0-9\u201c\"]", rest):
            continue  # "UNDERSTANDING OF CMR CONTAMINATION (20% ...) 7": a table row
        if re.match(r"^\d{1,2}(?:\.\d)?\s+[A-Z][a-z]", rest):
            continue  # "LAND RELEASE 7 Output rose": a score and its commentary
        if heading_name(head):
            return (head, rest) if rest else None
    return None


# --- plain text ---------------------------------------------------------------------------


def page_from_text(number: int, text: str) -> Page:
    """A page from plain text: one block per line, hard-wrapped prose joined into paragraphs."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines, heads = _without_head_lines(lines)
    return page_from_parts(number, _text_parts(lines), heads)


def _without_head_lines(lines: list[str]) -> tuple[list[str], list[str]]:
    """Lines that are only a running head ("CLEARING THE MINES 2017 93") go, and so do the
    blank lines around them: the text on either side is one paragraph or item that a page
    break cut in two. Returns the lines left and the heads."""
    kept: list[str] = []
    heads: list[str] = []
    after_head = False
    for line in lines:
        stripped = line.strip()
        if stripped and not clean.strip_running_heads(stripped).strip():
            heads.append(stripped)
            while kept and not kept[-1].strip():
                kept.pop()
            after_head = True
            continue
        if after_head and not stripped:
            continue
        after_head = False
        kept.append(line)
    return kept, heads


def _text_parts(lines: list[str]) -> list[tuple[str, str]]:
    """(kind, text) parts of plain-text lines: a bullet starts an item; a line that goes on
    in lower case ("... about 9 million" / "square meters of ...") continues the one before,
    and so does every line of prose hard-wrapped at a fixed width."""
    wrapped = _is_hard_wrapped(lines)
    parts: list[tuple[str, str]] = []
    joinable = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            joinable = False
            continue
        bullet = BULLET_RE.match(line)
        if bullet and (bullet.end() < len(line.rstrip()) or stripped in ("-", "•", "■")):
            parts.append(("item", stripped))
            joinable = stripped not in ("-", "•", "■")
            continue
        previous = parts[-1][1].split("\n")[-1] if parts else ""
        start = clean.strip_running_heads(stripped).lstrip()
        continues = (
            joinable
            and not _TERMINAL.search(previous)
            and (
                (wrapped and len(previous) >= 45 and not _ROW_END.search(previous))
                or _CONTINUATION.match(start) is not None
                or (_OPEN_END.search(previous) is not None and start[:1].isdigit())
            )
        )
        if continues and not _is_heading_line(stripped):
            kind, text = parts[-1]
            parts[-1] = (kind, f"{text}\n{stripped}")
        else:
            parts.append(("paragraph", stripped))
        joinable = True
    return parts


def _is_heading_line(text: str) -> bool:
    from .segment import heading_name

    return heading_name(text) is not None


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Prose broken at a fixed width: many long lines that stop mid-sentence and go on in
    the next line, almost none longer than a typewriter line (a title or URL may be)."""
    texts = [line.strip() for line in lines]
    lengths = sorted(len(text) for text in texts if text)
    if len(lengths) < 5 or lengths[int(0.9 * (len(lengths) - 1))] > 110:
        return False
    pairs = [(a, b) for a, b in zip(texts, texts[1:], strict=False) if len(a) >= 50]
    open_ends = [(a, b) for a, b in pairs if not _TERMINAL.search(a) and not re.search(r"\d$", a)]
    lower = sum(1 for _, b in open_ends if re.match(r"^[a-z0-9(]", b))
    if lower >= 3 and lower >= 0.2 * len(lengths):
        return True  # lines that go on in lower case
    # or most long lines stop mid-sentence and the text goes on in the next line
    going_on = sum(1 for _, b in open_ends if b and not BULLET_RE.match(b))
    return going_on >= 6 and going_on >= 0.6 * len(pairs)


# --- HTML -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _chrome_texts() -> tuple[re.Pattern, ...]:
    raw = resources.files("extractor").joinpath("patterns/chrome.yml").read_text()
    return tuple(compiled.compile(rf"^(?:{p})$", re.I) for p in load_yaml(raw)["blocks"])


def is_chrome_text(text: str) -> bool:
    """A block made only of site furniture ("About Us | Contact", "Email Notification")."""
    pieces = [p.strip() for p in re.split(r"\s*[|•·/\n]\s*", text) if p.strip()]
    if not pieces or len(text) > 200:
        return False
    chrome = _chrome_texts()
    return all(any(pattern.match(piece) for pattern in chrome) for piece in pieces)


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
    kept = [(kind, text) for kind, text in parts if not is_chrome_text(text)]
    lines: list[tuple[str, str]] = []
    for kind, text in kept:
        if "\n" in text and kind in ("paragraph", "item"):
            # <br>-broken text: a label/value list, or prose with hard line wraps
            for sub_kind, sub in _text_parts(text.split("\n")):
                lines.append((kind if sub_kind == "paragraph" else sub_kind, sub))
        else:
            lines.append((kind, text))
    return title or None, [page_from_parts(1, lines)]


def _is_chrome(el) -> bool:
    if not isinstance(el.tag, str):
        return True
    if el.tag in _CHROME_TAGS:
        return True
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    classes = f"{el.get('class', '')} {el.get('id', '')}".lower()
    tokens = set(re.split(r"[\s_]+", classes))
    hinted = any(h in token for token in tokens for h in _CHROME_HINTS)
    return hinted or el.get("role") in ("navigation", "banner", "contentinfo", "search")


def _walk_html(el, parts: list[tuple[str, str]]) -> None:
    """Depth-first: block elements become blocks; inline text is gathered into paragraphs."""
    if _is_chrome(el):
        return
    tag = el.tag
    if tag == "tr" and not _has_block(el, skip={"td", "th"}):
        cells = [_inline_text(c) for c in el if isinstance(c.tag, str) and c.tag in ("td", "th")]
        parts.append(("row", " ".join(c for c in cells if c)))
        return
    if tag in _BLOCK_KIND and tag != "tr":
        if _has_block(el):
            own = (el.text or "").strip()
            if own:
                parts.append((_BLOCK_KIND[tag], own))
            for child in el:
                _walk_html(child, parts)
                tail = (child.tail or "").strip()
                if tail:
                    parts.append(("paragraph", tail))
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
            if child.tag == "br":
                pending += "\n"
        tail = (child.tail or "").strip()
        if tail:
            pending = f"{pending} {tail}".strip() if not pending.endswith("\n") else pending + tail
    if pending.strip():
        parts.append(("paragraph", pending.strip()))


def _has_block(el, skip: frozenset | set = frozenset()) -> bool:
    return any(
        isinstance(d.tag, str) and d.tag in _BLOCK_KIND and d.tag not in skip
        for d in el.iterdescendants()
    )


def _inline_text(el) -> str:
    """Text of an element; footnote references (<sup>12</sup>) and scripts left out;
    <br> kept as a line break."""
    text = "".join(_gather(el))
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", text)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _gather(el, previous: str = ""):
    if isinstance(el.tag, str) and el.tag in ("script", "style", "noscript"):
        return
    if isinstance(el.tag, str) and el.tag == "sup":
        # km<sup>2</sup> is a unit; any other superscript is a footnote reference
        if (el.text or "").strip() in ("2", "²") and previous.rstrip().endswith("m"):
            yield "2"
        return
    if isinstance(el.tag, str) and el.tag == "br":
        yield "\n"
    own = (el.text or "").replace("\n", " ") if isinstance(el.tag, str) else ""
    if own:
        yield own
    text = previous + own
    for child in el:
        for piece in _gather(child, text):
            text += piece
            yield piece
        if child.tail:
            tail = child.tail.replace("\n", " ")
            text += tail
            yield tail


# --- PDF ------------------------------------------------------------------------------------


def _load_pdf(data: bytes) -> tuple[str | None, list[Page]]:
    title, pdf_pages = pdf.read_pdf(data)
    pages = [
        page_from_parts(page.number, pdf.paragraphs(page.lines), page.heads) for page in pdf_pages
    ]
    return title, pages
