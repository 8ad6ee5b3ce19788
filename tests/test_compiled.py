"""`extractor.compiled`: rule patterns made from the code an earlier build kept give the
same patterns as `re.compile`, and anything unexpected falls back to `re.compile`."""

from __future__ import annotations

import json
import re

import pytest

from extractor import compiled

pytestmark = pytest.mark.skipif(
    compiled.interpreter_tag() is None, reason="stored patterns need CPython's compiler"
)

# (pattern, flags, a text it is tried on): groups, names, look-arounds, classes, flags
PATTERNS = [
    (r"(?P<low>\d+(?:\.\d+)?)\s*(?P<unit>km2|km²|hectares?)", re.I, "released 12.5 KM2 in 2021"),
    (
        r"(?<![\w.])(?:adopt|approv)e?d?\s+(?:a|the)\s+national\s+strategy",
        re.I,
        "it ADOPTED a national strategy",
    ),
    (
        r"^(?:Recommendations? for action)\s*:?$",
        re.I | re.M,
        "intro\nRECOMMENDATIONS FOR ACTION:\nmore",
    ),
    (r"(\w+) \1", 0, "the the mine"),
    (r"(?i:mine)s?(?=\s+action)|[Ѐ-ӿ]+", 0, "Mines action, Разминирование"),
    (r"""(?x) \b ( \d{4} ) \s* - \s* ( \d{4} ) \b  # a range of years""", 0, "from 2018 - 2025 on"),
]


@pytest.fixture(autouse=True)
def _fresh():
    compiled.reset()
    yield
    compiled.reset()


def _compile_all() -> list[re.Pattern]:
    return [compiled.compile(p, f) for p, f, _ in PATTERNS]


def _same_as_re(patterns: list[re.Pattern]) -> None:
    for made, (pattern, flags, text) in zip(patterns, PATTERNS, strict=True):
        fresh = re.compile(pattern, flags)
        assert made == fresh  # CPython compares patterns by flags and code
        assert (made.groups, made.groupindex) == (fresh.groups, fresh.groupindex)
        assert [m.groups() for m in made.finditer(text)] == [
            m.groups() for m in fresh.finditer(text)
        ]
        assert made.search(text) is not None


def test_without_a_loaded_file_compile_is_re_compile_and_keeps_nothing(tmp_path):
    _same_as_re(_compile_all())
    assert compiled.stats() == (0, 0)
    assert compiled.save() is False
    assert list(tmp_path.iterdir()) == []


def test_patterns_made_from_stored_code_are_the_patterns_re_compile_makes(tmp_path):
    path = tmp_path / "cache" / "patterns.json"
    assert compiled.load(path) == 0  # no file yet
    _same_as_re(_compile_all())
    assert compiled.stats() == (0, len(PATTERNS))
    assert compiled.save() is True and path.exists()

    compiled.reset()
    assert compiled.load(path) == len(PATTERNS)
    _same_as_re(_compile_all())
    assert compiled.stats() == (len(PATTERNS), 0)
    written = path.stat().st_mtime_ns
    assert compiled.save() is False  # nothing new: the file is left as it is
    assert path.stat().st_mtime_ns == written


def test_the_file_keeps_only_the_patterns_in_use(tmp_path):
    path = tmp_path / "patterns.json"
    compiled.load(path)
    compiled.compile("alpha", re.I)
    compiled.compile("beta")
    compiled.save()
    compiled.reset()
    compiled.load(path)
    compiled.compile("alpha", re.I)
    compiled.compile("gamma")
    assert compiled.stats() == (1, 1)
    assert compiled.save() is True
    kept = json.loads(path.read_text(encoding="utf-8"))["patterns"]
    assert [(p, f) for p, f, _ in kept] == [("alpha", int(re.I)), ("gamma", 0)]


def test_same_text_with_other_flags_is_another_pattern(tmp_path):
    path = tmp_path / "patterns.json"
    compiled.load(path)
    compiled.compile("mine action", re.I)
    compiled.save()
    compiled.reset()
    compiled.load(path)
    plain = compiled.compile("mine action")
    assert compiled.stats() == (0, 1)
    assert plain.search("MINE ACTION") is None and plain == re.compile("mine action")


def _stored(tmp_path) -> tuple:
    path = tmp_path / "patterns.json"
    compiled.load(path)
    _compile_all()
    compiled.save()
    compiled.reset()
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_a_file_written_by_another_python_is_not_used(tmp_path):
    path, data = _stored(tmp_path)
    data["tag"] = "3.99.0 (another build) sre-0"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert compiled.load(path) == 0
    _same_as_re(_compile_all())
    assert compiled.stats() == (0, len(PATTERNS))


@pytest.mark.parametrize(
    "damage",
    [
        lambda text, data: text[: len(text) // 2],  # cut short
        lambda text, data: "\x00\x01 not json",
        lambda text, data: json.dumps([data]),  # another shape
        lambda text, data: json.dumps({**data, "patterns": {"a": 1}}),
    ],
    ids=["truncated", "not-json", "a-list", "patterns-not-a-list"],
)
def test_a_damaged_file_reads_as_none(tmp_path, damage):
    path, data = _stored(tmp_path)
    path.write_text(damage(path.read_text(encoding="utf-8"), data), encoding="utf-8")
    assert compiled.load(path) == 0
    _same_as_re(_compile_all())
    assert compiled.stats() == (0, len(PATTERNS))
    assert compiled.save() is True  # and the next build has a sound file again
    compiled.reset()
    assert compiled.load(path) == len(PATTERNS)


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: [entry[0], [999, 999, 999], *entry[2:]],  # code CPython rejects
        lambda entry: [entry[0], [*entry[1][:-3]], *entry[2:]],  # code cut short
        lambda entry: entry[:3],  # too few parts
        lambda entry: [entry[0], ["x"], *entry[2:]],  # not numbers
    ],
    ids=["invalid-code", "cut-code", "short-entry", "not-numbers"],
)
def test_a_damaged_entry_is_compiled_again(tmp_path, damage):
    path, data = _stored(tmp_path)
    data["patterns"] = [[p, f, damage(e)] for p, f, e in data["patterns"]]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert compiled.load(path) == len(PATTERNS)
    _same_as_re(_compile_all())
    assert compiled.stats() == (0, len(PATTERNS))


def test_a_file_that_cannot_be_written_raises_oserror_and_leaves_no_temp_file(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory goes")
    compiled.load(blocker / "patterns.json")
    compiled.compile("mine")
    with pytest.raises(OSError):
        compiled.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]
