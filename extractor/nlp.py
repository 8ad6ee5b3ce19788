"""The spaCy pipeline: ``spacy.blank("en")`` plus rule components, patterns as data.

Components:
- ``sentencizer`` (spaCy's rule-based sentence splitter);
- ``topic_matcher``: a PhraseMatcher over ``patterns/topics.yml`` that writes
  ``doc._.topics`` as ``[(topic, rule_id, start_char)]``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import spacy
import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

if not Doc.has_extension("topics"):
    Doc.set_extension("topics", default=None)


@lru_cache(maxsize=1)
def topic_phrases() -> dict[str, list[str]]:
    raw = resources.files("extractor").joinpath("patterns/topics.yml").read_text()
    return yaml.safe_load(raw)


class TopicMatcher:
    def __init__(self, nlp: Language):
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for topic, phrases in topic_phrases().items():
            self.matcher.add(topic, [nlp.make_doc(p) for p in phrases])

    def __call__(self, doc: Doc) -> Doc:
        hits = []
        for match_id, start, end in self.matcher(doc):
            topic = doc.vocab.strings[match_id]
            span = doc[start:end]
            hits.append((topic, f"phrase:{topic}:{span.text.lower()}", span.start_char))
        doc._.topics = sorted(hits, key=lambda h: h[2])
        return doc


@Language.factory("topic_matcher", assigns=["doc._.topics"])
def make_topic_matcher(nlp: Language, name: str) -> TopicMatcher:
    return TopicMatcher(nlp)


@lru_cache(maxsize=1)
def pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("topic_matcher")
    return nlp


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of a text."""
    doc = pipeline().make_doc(text)
    doc = pipeline().get_pipe("sentencizer")(doc)
    return [(s.start_char, s.end_char) for s in doc.sents]


def topics(text: str) -> list[tuple[str, str, int]]:
    return pipeline()(text)._.topics
