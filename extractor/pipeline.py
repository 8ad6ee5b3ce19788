"""The whole extractor: load -> clean -> segment -> nlp -> figures, recommendations,
developments. ``extract_path`` and ``extract_bytes`` are the public entry points."""

from __future__ import annotations

from pathlib import Path

from . import clean, countries, developments, figures, load, nlp, recommendations, scores, segment
from .model import Block, Extraction, LoadedDocument

EXTRACTOR_VERSION = "0.2.0"


def warm_up() -> None:
    """Read every rule file and build every spaCy pipeline the extractor uses now (each is
    otherwise built on first use, once per process). A build calls it before extracting,
    so that the start-up is timed on its own and forked workers start with it done; a
    test checks that nothing built lazily is left out."""
    clean.ligature_words()
    clean._missing_ligature_index()
    clean._gap_index()
    clean.hyphen_compounds()
    clean.running_heads()
    countries._table()
    load._chrome_texts()
    segment._heading_patterns()
    scores.config()
    figures.rules()
    recommendations.rules()
    recommendations.pipeline()
    recommendations.clause_patterns()
    developments.rules()
    developments._any_trigger()
    developments._any_anaphora()
    developments.pipeline()
    nlp._sentence_pipeline()


def extract_path(path: str | Path, content_type: str | None = None, **overrides) -> Extraction:
    doc = load.load_path(path, content_type)
    return extract_document(doc, **overrides)


def extract_bytes(
    data: bytes,
    content_type: str | None = None,
    name: str | None = None,
    url: str | None = None,
    **overrides,
) -> Extraction:
    doc = load.load_bytes(data, content_type=content_type, name=name, url=url)
    return extract_document(doc, **overrides)


def extract_document(
    doc: LoadedDocument,
    url: str | None = None,
    country: str | None = None,
    series: str | None = None,
    year: int | None = None,
) -> Extraction:
    if url:
        doc.url = url
    meta = segment.metadata(doc, {"country": country, "series": series, "report_year": year})
    result = Extraction(
        source={"path": doc.path, "url": doc.url, "sha256": doc.sha256}, document=meta
    )
    result.pages_text = [p.text for p in doc.pages]
    sections = segment.sections(doc)
    result.sections = [s.name for s in sections]
    section_of: dict[int, tuple[str, str]] = {}
    for sec in sections:
        for block in sec.blocks:
            section_of[id(block)] = (sec.name, sec.heading)

    acronyms = recommendations.defined_acronyms("\n".join(p.text for p in doc.pages))
    item_ids = _read_recommendations(doc, sections, section_of, result, acronyms)
    result.figures = figures.extract(doc, section_of, meta.report_year)
    result.developments = developments.extract(
        doc, section_of, item_ids, meta.report_year, acronyms, meta.country_code
    )
    return result


def _read_recommendations(doc, sections, section_of, result, acronyms) -> set[int]:
    """Recommendations of every recommendations section (or of a heading glued to its first
    item). Returns the ids of the blocks that hold items; the section's other blocks (an
    unheaded paragraph after the list) are re-labelled as text under no heading."""
    found = [s for s in sections if s.name == "recommendations"]
    if not found:
        inline = recommendations.inline_section(doc)
        found = [inline] if inline else []
    last_blocks = [p.blocks[-1] for p in doc.pages if p.blocks]
    document_end = last_blocks[-1] if last_blocks else None
    item_ids: set[int] = set()
    for sec in found:
        for rec in recommendations.extract(sec, document_end, acronyms):
            rec.position = len(result.recommendations) + 1
            result.recommendations.append(rec)
        items = recommendations.item_blocks(sec)
        for page in doc.pages:
            for block in page.blocks:
                if any(_overlaps(block, item) for item in items):
                    item_ids.add(id(block))
                    section_of[id(block)] = ("recommendations", sec.heading)
        for block in sec.blocks:
            if id(block) not in item_ids:
                section_of[id(block)] = (None, "")
    return item_ids


def _overlaps(block: Block, item: Block) -> bool:
    return block.page == item.page and block.start < item.end and item.start < block.end
