"""Plain dataclasses that flow through the extractor's stages.

Every object that leaves the extractor carries its provenance: the page it came
from, the sentence it was read in, and character offsets into that page's text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Block:
    """A structural unit of a page: a heading, paragraph, list item or table row."""

    kind: str  # "heading" | "paragraph" | "item" | "row"
    text: str
    page: int
    start: int  # offset of ``text`` in the page text
    end: int


@dataclass
class Page:
    number: int  # 1-based
    text: str
    blocks: list[Block] = field(default_factory=list)
    # running heads and footers the loader took out of the text ("CLEARING THE MINES 2017
    # 93"): not content, but they name the edition the page is from
    heads: list[str] = field(default_factory=list)


@dataclass
class LoadedDocument:
    """What the loader read: pages of text, before any interpretation."""

    path: str | None
    url: str | None
    sha256: str
    content_type: str  # "text/html" | "application/pdf" | "text/plain"
    title: str | None
    pages: list[Page]


@dataclass
class DocumentMeta:
    country: str | None = None
    country_code: str | None = None
    series: str | None = None
    report_year: int | None = None
    title: str | None = None
    pages: int = 0
    rules: dict[str, str] = field(default_factory=dict)  # field -> rule that set it


@dataclass
class Section:
    name: str  # slug: key_developments, performance, recommendations, ...
    heading: str
    page: int
    blocks: list[Block]


@dataclass
class Figure:
    metric: str
    value: float | None
    unit: str
    year: int | None
    qualifier: str | None
    criterion: str | None
    text: str
    sentence: str
    page: int
    start: int
    end: int
    value_high: float | None = None
    confidence: str = "high"
    flags: list[str] = field(default_factory=list)
    section: str | None = None
    rule: str | None = None


@dataclass
class Recommendation:
    text: str
    topics: list[str]
    actor: str | None
    page: int
    start: int
    end: int
    position: int  # 1-based order within the document
    action: str | None = None
    urgency: str | None = None
    truncated: bool = False
    topic_rules: dict[str, str] = field(default_factory=dict)  # topic -> rule id


@dataclass
class Development:
    event: str
    topic: str
    stage: str  # completed | in_progress | not_done
    year: int | None
    sentence: str
    page: int
    start: int
    end: int
    month: int | None = None
    rule: str | None = None


@dataclass
class Extraction:
    source: dict
    document: DocumentMeta
    figures: list[Figure] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    developments: list[Development] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    pages_text: list[str] = field(default_factory=list, repr=False)  # not in the JSON contract

    def to_json(self) -> dict:
        """The JSON contract of ``tracker extract --json`` (see DESIGN.md)."""
        return {
            "source": dict(self.source),
            "document": asdict(self.document),
            "figures": [asdict(f) for f in self.figures],
            "recommendations": [asdict(r) for r in self.recommendations],
            "developments": [asdict(d) for d in self.developments],
            "errors": list(self.errors),
        }
