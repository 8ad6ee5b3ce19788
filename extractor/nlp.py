"""The spaCy side of the extractor: ``spacy.blank("en")`` plus rule components, rules as data.

Components registered here:
- ``sentencizer`` (spaCy's rule-based sentence splitter, used by every stage);
- ``topic_matcher``: PhraseMatcher and Matcher rules from ``patterns/topics.yml`` that write
  ``doc._.topics``, a list of :class:`TopicHit` in text order.

``recommendations`` adds the ``ask_parser`` component and ``developments`` the
``development_finder``; each stage builds its own small pipeline with :func:`blank` (all
of them on one shared vocabulary and tokenizer).
No model is loaded or downloaded: everything here is rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.lang.en import English
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import compiled
from .yamlio import load_yaml

if not Doc.has_extension("topics"):
    Doc.set_extension("topics", default=None)

MASK = "_mask"
_HYPHEN = re.compile(r"(?<=[A-Za-z])[-\u2010\u2011](?:\s+(?=[a-z])|(?=[a-z]))")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_IZE = re.compile(r"(?<=[a-z]{3})iz(?=(?:e|ed|es|ing|ation|ations|er)\b)")


@dataclass(frozen=True)
class TopicHit:
    topic: str
    rule: str  # "<rule id>:<matched words>", shown to people as the reason for the topic
    start: int  # character offset in the (normalised) text
    sentence: int  # index of the sentence the hit is in
    tier: int
    weak: bool


def normalise(text: str) -> str:
    """The form topic rules are matched on: "land-release" -> "land release", "sex- and age"
    -> "sex and age", curly quotes straight, "-ize" spelled "-ise". Hyphens before a capital
    ("Guinea-Bissau", "Anti-Personnel") are kept."""
    text = _HYPHEN.sub(" ", text.translate(_QUOTES))
    return _IZE.sub("is", text)


@lru_cache(maxsize=1)
def topic_rules() -> dict:
    raw = resources.files("extractor").joinpath("patterns/topics.yml").read_text("utf-8")
    data = load_yaml(raw)
    ids = [rule["id"] for rule in data["rules"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"topics.yml: duplicate rule ids: {', '.join(duplicates)}")
    for rule in data["rules"]:
        if ("phrases" in rule) == ("tokens" in rule):
            raise ValueError(f"topics.yml: rule {rule['id']}: give phrases or tokens, not both")
    return data


@lru_cache(maxsize=1)
def _english() -> Language:
    """``spacy.blank("en")``, with its tokenizer's three affix patterns compiled through
    :mod:`compiled` (a test checks the tokenizer is byte for byte spaCy's own)."""
    return English(create_tokenizer=_english_tokenizer)


def _english_tokenizer(nlp: Language) -> Tokenizer:
    """spaCy's default tokenizer factory for English (``spacy.Tokenizer.v1`` with the
    expressions of ``spacy.util.compile_prefix_regex`` and its two siblings)."""
    defaults = English.Defaults
    prefixes = "|".join("^" + p for p in defaults.prefixes if p.strip())
    suffixes = "|".join(p + "$" for p in defaults.suffixes if p.strip())
    infixes = "|".join(p for p in defaults.infixes if p.strip())
    return Tokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=compiled.compile(prefixes).search,
        suffix_search=compiled.compile(suffixes).search,
        infix_finditer=compiled.compile(infixes).finditer,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


def blank() -> Language:
    """An empty English pipeline with the sentence splitter: the base of every stage.

    Every stage's pipeline shares one vocabulary and one tokenizer: loading the English
    tokenizer's special cases is most of the cost of ``spacy.blank("en")`` (about 0.1 s),
    paid once per process instead of once per stage. No stage changes the tokenizer."""
    english = _english()
    nlp = type(english)(vocab=english.vocab, create_tokenizer=lambda _: english.tokenizer)
    nlp.add_pipe("sentencizer")
    return nlp


class TopicMatcher:
    """Finds topic rule matches; overlapping matches resolve to the longest."""

    def __init__(self, nlp: Language):
        data = topic_rules()
        self.rules = {rule["id"]: rule for rule in data["rules"]}
        self.tiers: dict[str, int] = data.get("tiers") or {}
        self.default_tier = int(data.get("default_tier", 2))
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = Matcher(nlp.vocab)
        for rule in data["rules"]:
            if "phrases" in rule:
                docs = [nlp.make_doc(normalise(p)) for p in rule["phrases"]]
                self.phrases.add(rule["id"], docs)
            else:
                self.tokens.add(rule["id"], rule["tokens"])

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=match_id)
            for matcher in (self.phrases, self.tokens)
            for match_id, start, end in matcher(doc)
        ]
        ask = doc._.ask if Doc.has_extension("ask") else None
        masked = (ask or {}).get("masked", [])  # agentive subjects, set by ask_parser
        sentence_starts = (
            [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
        )
        hits = []
        for span in sorted(filter_spans(spans), key=lambda s: s.start):
            rule = self.rules[span.label_]
            if rule["topic"] == MASK:
                continue
            if rule.get("common_noun") and _is_name(span):
                continue
            if any(a <= span.start_char < b for a, b in masked):
                continue
            sentence = sum(1 for s in sentence_starts if s <= span.start_char) - 1
            hits.append(
                TopicHit(
                    topic=rule["topic"],
                    rule=f"{rule['id']}:{span.text.lower()}",
                    start=span.start_char,
                    sentence=max(sentence, 0),
                    tier=int(self.tiers.get(rule["topic"], self.default_tier)),
                    weak=bool(rule.get("weak")),
                )
            )
        doc._.topics = hits
        return doc


def _is_name(span: Span) -> bool:
    words = [t.text for t in span if t.is_alpha]
    return bool(words) and all(w[0].isupper() for w in words)


@Language.factory("topic_matcher", assigns=["doc._.topics"])
def make_topic_matcher(nlp: Language, name: str) -> TopicMatcher:
    return TopicMatcher(nlp)


@lru_cache(maxsize=1)
def _sentence_pipeline() -> Language:
    return blank()


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of a text."""
    doc = _sentence_pipeline()(text)
    return [(s.start_char, s.end_char) for s in doc.sents]


@lru_cache(maxsize=1)
def _topic_pipeline() -> Language:
    nlp = blank()
    nlp.add_pipe("topic_matcher")
    return nlp


def topics(text: str) -> list[TopicHit]:
    """Topic rule hits in a text (no actor masking; see ``recommendations.analyse``)."""
    return _topic_pipeline()(normalise(text))._.topics
