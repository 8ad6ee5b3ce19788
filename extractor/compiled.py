"""Compiled rule patterns, kept between builds.

The extractor's rules are regular expressions read from ``patterns/``: several hundred,
about 120,000 characters once their macros are expanded. CPython compiles a pattern in
pure Python, so compiling them all takes a quarter of a second, paid by every build that
extracts anything, however few its documents. A build therefore keeps what CPython made
of each rule pattern (its SRE code) in a file beside the extraction cache, and the next
build makes the pattern objects from that directly (about a hundredth of a second). The
build reads and writes that file (:func:`use` takes its bytes, :func:`dump` gives them);
this module does no I/O.

- :func:`compile` is ``re.compile`` for the rule patterns. Until :func:`use` is called
  it is exactly ``re.compile`` (plus a flag test): tests and single-document runs keep
  nothing.
- Stored code is used only by the interpreter that wrote it (its full version and SRE
  magic number are the file's tag) and only for the same pattern text and flags. Each
  entry was checked, when it was made, to give a pattern equal to ``re.compile``'s
  (CPython compares patterns by their flags and code), so a stored pattern matches
  exactly as a freshly compiled one.
- The file is a header line (the tag and the sha256 of the rest) and the entries. Anything
  unexpected (another Python, a file that is unreadable, foreign or damaged, an entry
  CPython rejects) falls back to ``re.compile``: the file can only make the start-up
  faster, never change a match.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass, field

try:  # CPython's own compiler, as ``re.compile`` uses it
    import _sre
    from re import _compiler, _parser
except ImportError:  # another interpreter: plain re.compile, no file
    _sre = None

Entry = list  # [flags, code, groups - 1, groupindex, indexgroup], as _sre.compile takes them


def interpreter_tag() -> str | None:
    """What stored code is valid for, or None where it cannot be used at all."""
    if _sre is None or sys.implementation.name != "cpython":
        return None
    return f"{sys.version} sre-{_sre.MAGIC}"


@dataclass
class _State:
    recording: bool = False  # entries are made only after use()
    stored: dict = field(default_factory=dict)  # (pattern, flags) -> Entry, from the file
    made: dict = field(default_factory=dict)  # (pattern, flags) -> Entry, of this process
    hits: int = 0
    misses: int = 0


_state = _State()


def reset() -> None:
    """Forget the entries given and made: :func:`compile` is ``re.compile`` again (a build
    calls it once its start-up is over)."""
    global _state
    _state = _State()


def stats() -> tuple[int, int]:
    """(patterns made from stored code, patterns compiled) since :func:`use`."""
    return _state.hits, _state.misses


def compile(pattern: str, flags: int = 0) -> re.Pattern:  # noqa: A001 (re.compile's name)
    """``re.compile(pattern, flags)``, from stored code where the entries given to use() have it."""
    if not _state.recording:
        return re.compile(pattern, flags)
    key = (pattern, int(flags))
    entry = _state.stored.get(key)
    if entry is not None:
        made = _from_entry(pattern, entry)
        if made is not None:
            _state.made[key] = entry
            _state.hits += 1
            return made
    compiled = re.compile(pattern, flags)
    _state.misses += 1
    entry = _entry(pattern, int(flags), compiled)
    if entry is not None:
        _state.made[key] = entry
    return compiled


def _from_entry(pattern: str, entry: Entry) -> re.Pattern | None:
    try:
        flags, code, groups, groupindex, indexgroup = entry
        return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))
    except (TypeError, ValueError, RuntimeError, OverflowError):  # damaged or foreign
        return None


def _entry(pattern: str, flags: int, compiled: re.Pattern) -> Entry | None:
    """What ``re.compile`` made of ``pattern``, kept only if it gives an equal pattern."""
    if flags & re.DEBUG:
        return None
    try:
        parsed = _parser.parse(pattern, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry = [
            int(flags | parsed.state.flags),
            [int(c) for c in _compiler._code(parsed, flags)],
            parsed.state.groups - 1,
            groupindex,
            indexgroup,
        ]
    except (AttributeError, TypeError, ValueError, IndexError):  # the compiler has changed
        return None
    return entry if _from_entry(pattern, entry) == compiled else None


def use(kept: bytes | None) -> int:
    """Make patterns from the entries in ``kept`` (what :func:`dump` gave an earlier run,
    or None) from now on, and keep an entry of every pattern compiled from now on for
    :func:`dump`. Returns how many entries were read; bytes that are damaged or another
    interpreter's read as none."""
    global _state
    tag = interpreter_tag()
    _state = _State(recording=tag is not None)
    if tag is None or kept is None:
        return 0
    try:
        head, _, body = kept.partition(b"\n")
        header = json.loads(head)
        if header.get("tag") != tag or header.get("sha256") != hashlib.sha256(body).hexdigest():
            return 0  # another Python's, or damaged
        stored = {(p, f): e for p, f, e in json.loads(body) if isinstance(p, str)}
    except (ValueError, TypeError, AttributeError):
        return 0
    _state.stored = stored
    return len(stored)


def dump() -> bytes | None:
    """The entries of the patterns compiled or used since :func:`use`, to keep for the next
    run (a header line with the interpreter's tag and the sha256 of the rest, then the
    entries), or None when every one of them was already in what it was given."""
    if not _state.recording or not (_state.made.keys() - _state.stored.keys()):
        return None
    patterns = [[p, f, e] for (p, f), e in sorted(_state.made.items())]
    body = json.dumps(patterns, ensure_ascii=False).encode("utf-8")  # one line
    header = {"tag": interpreter_tag(), "sha256": hashlib.sha256(body).hexdigest()}
    return json.dumps(header).encode("utf-8") + b"\n" + body
