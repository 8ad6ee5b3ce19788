"""The whole extractor: load -> clean -> segment -> nlp -> figures, recommendations,
developments. ``extract_path`` and ``extract_bytes`` are the public entry points."""

from __future__ import annotations

import re
from pathlib import Path

from . import developments, figures, load, nlp, recommendations, segment
from .model import Block, Development, Extraction, LoadedDocument

EXTRACTOR_VERSION = "0.1.0"

_NO_FIGURES = {"recommendations", "download", "performance"}
_DEVELOPMENT_SECTIONS = {
    None,
    "key_developments",
    "performance_commentary",
    "five_year_overview",
    "management",
    "progress",
    "treaty_status",
    "contamination",
    "land_release",
}


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

    for index, sec in enumerate(sections):
        if sec.name == "recommendations":
            is_last = index == len(sections) - 1 or all(
                s.name == "download" for s in sections[index + 1 :]
            )
            start_pos = len(result.recommendations)
            for rec in recommendations.extract(sec, is_last):
                rec.position += start_pos
                result.recommendations.append(rec)
        elif sec.name == "performance":
            result.figures.extend(figures.scores(sec, meta.report_year))

    default_year = meta.report_year - 1 if meta.report_year else None
    label_rules = developments.rules()["labels"]
    absent = re.compile(developments.rules()["label_absent"], re.I)
    for page in doc.pages:
        inherited: int | None = None
        previous: Block | None = None
        for block in page.blocks:
            name, heading = section_of.get(id(block), (None, ""))
            if block.kind == "bullet":
                continue
            label_dev = _label_development(previous, block, label_rules, absent)
            if label_dev:
                result.developments.append(label_dev)
            previous = block
            if name in _NO_FIGURES:
                continue
            section_year = figures.section_year(heading) if heading else None
            inherited = None  # year inheritance stays within a paragraph
            for start, end in nlp.sentences(block.text):
                sentence = block.text[start:end].strip()
                if not sentence:
                    continue
                lead = block.text[start:end].find(sentence)
                offset = block.start + start + lead
                year_default = inherited or section_year or default_year
                found = figures.from_sentence(
                    sentence, page.number, offset, year_default, section=name
                )
                result.figures.extend(found)
                explicit = figures._year(sentence, 0, None)
                if explicit:
                    inherited = explicit
                if name in _DEVELOPMENT_SECTIONS:
                    result.developments.extend(
                        developments.from_sentence(sentence, page.number, offset)
                    )
    return result


def _label_development(previous, block, label_rules, absent) -> Development | None:
    if previous is None:
        return None
    for rule in label_rules:
        if re.match(rule["label"], previous.text.strip(), re.I):
            value = block.text.strip()
            stage = "not_done" if absent.match(value) else "completed"
            if re.search(r"\bdraft\b|being (prepared|developed|revised)", value, re.I):
                stage = "in_progress"
            year, month = developments._date_near(value, len(value))
            if stage == "completed" and re.search(r"\d{4}\s*[–-]\s*\d{4}", value):
                year, month = None, None  # "Strategy 2011-2020" names a period, not a date
            return Development(
                event=rule["event"],
                topic=rule["topic"],
                stage=stage,
                year=year,
                month=month,
                sentence=value,
                page=block.page,
                start=block.start,
                end=block.end,
                rule=f"label:{rule['event']}",
            )
    return None
