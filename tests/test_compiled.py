"""`extractor.compiled`: rule patterns made from the code an earlier build kept give the
same patterns as `re.compile`, and anything unexpected falls back to `re.compile`."""

from __future__ import annotations

import hashlib
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


def _load(path) -> int:
    """What a build does at start-up: the bytes it kept, if any, given to compiled.use."""
    return compiled.use(path.read_bytes() if path.exists() else None)


def _save(path) -> bool:
    """What a build does after it: compiled.dump written to the file, if it gives anything."""
    data = compiled.dump()
    if data is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return data is not None


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
    assert compiled.dump() is None
    assert list(tmp_path.iterdir()) == []


def test_patterns_made_from_stored_code_are_the_patterns_re_compile_makes(tmp_path):
    path = tmp_path / "cache" / "patterns.json"
    assert _load(path) == 0  # no file yet
    _same_as_re(_compile_all())
    assert compiled.stats() == (0, len(PATTERNS))
    assert _save(path) is True and path.exists()

    compiled.reset()
    assert _load(path) == len(PATTERNS)
    _same_as_re(_compile_all())
    assert compiled.stats() == (len(PATTERNS), 0)
    written = path.stat().st_mtime_ns
    assert _save(path) is False  # nothing new: the file is left as it is
    assert path.stat().st_mtime_ns == written


def test_the_file_keeps_only_the_patterns_in_use(tmp_path):
    path = tmp_path / "patterns.json"
    _load(path)
    compiled.compile("alpha", re.I)
    compiled.compile("beta")
    _save(path)
    compiled.reset()
    _load(path)
    compiled.compile("alpha", re.I)
    compiled.compile("gamma")
    assert compiled.stats() == (1, 1)
    assert _save(path) is True
    kept = _read(path)[1]
    assert [(p, f) for p, f, _ in kept] == [("alpha", int(re.I)), ("gamma", 0)]


def test_same_text_with_other_flags_is_another_pattern(tmp_path):
    path = tmp_path / "patterns.json"
    _load(path)
    compiled.compile("mine action", re.I)
    _save(path)
    compiled.reset()
    _load(path)
    plain = compiled.compile("mine action")
    assert compiled.stats() == (0, 1)
    assert plain.search("MINE ACTION") is None and plain == re.compile("mine action")


def _read(path) -> tuple[dict, list]:
    """(header, entries) of a file save() wrote: a header line, then the entries."""
    head, _, body = path.read_bytes().partition(b"\n")
    return json.loads(head), json.loads(body)


def _write(path, header: dict, entries) -> None:
    """A file in save()'s form, its checksum right (what load() then reads is the entries)."""
    body = json.dumps(entries).encode()
    header = {**header, "sha256": hashlib.sha256(body).hexdigest()}
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)


def _stored(tmp_path) -> tuple:
    path = tmp_path / "patterns.json"
    _load(path)
    _compile_all()
    _save(path)
    compiled.reset()
    return path, *_read(path)


def test_a_file_written_by_another_python_is_not_used(tmp_path):
    path, header, entries = _stored(tmp_path)
    _write(path, {**header, "tag": "3.99.0 (another build) sre-0"}, entries)
    assert _load(path) == 0
    _same_as_re(_compile_all())
    assert compiled.stats() == (0, len(PATTERNS))


def _flip_a_digit(raw: bytes, header: dict, entries: list) -> bytes:
    """One code number changed in the entries (the header's checksum left as it was)."""
    at = raw.index(b"\n") + raw[raw.index(b"\n") :].index(b"[[") + 40
    at += next(i for i, c in enumerate(raw[at:]) if chr(c).isdigit())
    return raw[:at] + (b"1" if raw[at : at + 1] != b"1" else b"2") + raw[at + 1 :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw, header, entries: raw[: len(raw) // 2],  # cut short
        lambda raw, header, entries: b"\x00\x01 not json",
        _flip_a_digit,  # a changed byte: the checksum no longer matches
        lambda raw, header, entries: json.dumps([header]).encode() + raw[raw.index(b"\n") :],
        lambda raw, header, entries: raw.replace(b"\n", b" ", 1),  # no header line
    ],
    ids=["truncated", "not-json", "changed-byte", "header-a-list", "one-line"],
)
def test_a_damaged_file_reads_as_none(tmp_path, damage):
    path, header, entries = _stored(tmp_path)
    path.write_bytes(damage(path.read_bytes(), header, entries))
    assert _load(path) == 0
    _same_as_re(_compile_all())
    assert compiled.stats() == (0, len(PATTERNS))
    assert _save(path) is True  # and the next build has a sound file again
    compiled.reset()
    assert _load(path) == len(PATTERNS)


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
    """Entries CPython rejects, in a file whose checksum is right (written so)."""
    path, header, entries = _stored(tmp_path)
    _write(path, header, [[p, f, damage(e)] for p, f, e in entries])
    assert _load(path) == len(PATTERNS)
    _same_as_re(_compile_all())
    assert compiled.stats() == (0, len(PATTERNS))
