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
