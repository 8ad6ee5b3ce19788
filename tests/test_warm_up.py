"""`extractor.pipeline.warm_up` builds everything the extractor otherwise builds on first
use, so a build's start-up is timed on its own and forked workers start with it done."""

from __future__ import annotations

import importlib
import pkgutil

import extractor
from extractor import pipeline

# built lazily, but not by the extraction of a document
NOT_FOR_EXTRACTION = {"extractor.nlp._topic_pipeline"}


def _lazy_builds() -> dict[str, object]:
    """Every function of the extractor cached with lru_cache(maxsize=1): a rule file read
    or a pipeline built once per process."""
    found = {}
    for info in pkgutil.iter_modules(extractor.__path__):
        module = importlib.import_module(f"extractor.{info.name}")
        for name, value in vars(module).items():
            if getattr(value, "__module__", None) != module.__name__:
                continue
            params = getattr(value, "cache_parameters", None)
            if params and params()["maxsize"] == 1:
                found[f"{module.__name__}.{name}"] = value
    return found


def test_warm_up_builds_every_lazy_object_extraction_uses(fixtures):
    lazy = _lazy_builds()
    assert "extractor.nlp._english" in lazy and "extractor.figures.rules" in lazy
    for function in lazy.values():
        function.cache_clear()
    pipeline.warm_up()
    missed = {name for name, f in lazy.items() if f.cache_info().currsize == 0}
    assert missed == NOT_FOR_EXTRACTION
    built = {name: f.cache_info().misses for name, f in lazy.items()}
    for name in ("sample_country_page.html", "monitor_profile.txt"):
        result = pipeline.extract_path(fixtures / name)
        assert result.figures and (result.recommendations or result.developments)
    assert {name: f.cache_info().misses for name, f in lazy.items()} == built


def test_the_extractor_tokenizer_is_spacys_english_tokenizer():
    """nlp._english builds spaCy's English tokenizer itself (its affix patterns through
    extractor.compiled): it must be spaCy's own, byte for byte and token for token."""
    import spacy

    from extractor import nlp

    ours, theirs = nlp._english(), spacy.blank("en")
    # (the vocabulary left out: ours has the strings of every text it has read)
    assert ours.tokenizer.to_bytes(exclude=["vocab"]) == theirs.tokenizer.to_bytes(
        exclude=["vocab"]
    )
    text = (
        "Mr. Smith's team didn't clear 1.5km2 (e.g. in Kampot) by 10 a.m.; "
        "see https://example.org/a-b, or 2,300 items—15% of them U.S.-made."
    )

    def tokens(pipe):
        return [(t.text, t.whitespace_, t.norm_, t.like_num, t.is_stop) for t in pipe(text)]

    assert tokens(ours) == tokens(theirs)
