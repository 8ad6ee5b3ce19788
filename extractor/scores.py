"""Mine Action Review performance scores, read from every shape the tables take:

- HTML and page text: one row per line ("Problem understood 5", "Gender (10% of overall
  score) 6", "Performance score 5.4"), all three table generations;
- Monitor profiles that flatten the table one cell per line (label, then score);
- PDF chapters: two year columns ("PERFORMANCE SCORE: AVERAGE 6.4 5.7", years from the
  header "SCORE 2022 SCORE 2021" or else the edition's previous two years), and text that lost
  the table's cells ("UNDERSTANDING 5 <commentary> OF CONTAMINATION ...");
- the rating word ("Very Good", "AVERAGE[1]") as a flag on the overall score, and "Not
  Applicable" as an overall score of null with the flag ``not_applicable``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .model import Block, Figure
from .yamlio import load_yaml

_SCORE = r"\d{1,2}(?:\.\d{1,2})?"
_ROW = re.compile(rf"^(?P<label>.*?[A-Za-z)%])\s*:?\s+(?P<s1>{_SCORE})(?:\s+(?P<s2>{_SCORE}))?\s*$")
_ROW_AT = re.compile(_ROW.pattern[1:])  # a row from a given position on
_NUMBER = re.compile(rf"^(?P<s1>{_SCORE})(?:\s+(?P<s2>{_SCORE}))?$")
_WEIGHT = re.compile(r"\(\s*\d{1,3}\s*%\s*(?:of\s+(?:the\s+)?overall(?:\s+score)?\)?)?", re.I)
_START = re.compile(
    r"^(?:performance(?:\s+(?:indicator|criterion))?(?:\s+score)?|"
    r"assessment of national programme performance\b.*|"
    r"program(?:me)? performance(?:\s*:.*)?|"
    r"(?:score\s+)?criterion\b.*|performance (?:indicator|criterion)s?|"
    # the header line with its rows run on after it: "PERFORMANCE INDICATOR 2016 2015 PROBLEM ..."
    r"performance\s+(?:indicator|criterion)s?\s+(?:19|20)\d\d\b.*)$",
    re.I,
)
_HEADER_YEARS = re.compile(
    r"(?:score|criterion|indicator)\s*\(?\s*((?:19|20)\d\d)\s*\)?"
    r"|(?<=(?:19|20)\d\d)\s+\(?\s*((?:19|20)\d\d)\s*\)?(?=\s+[A-Z])",  # "INDICATOR 2016 2015"
    re.I,
)
_WEIGHT_CELL = re.compile(r"(?<=\|)\s*\d{1,3}\s*%\s*(?=\|)")
_NO_SCORE = re.compile(r"^[–—-]$")  # an empty cell ("–" for a year with no score)
_NOT_APPLICABLE = re.compile(
    r"^(?:performance(?: score)?\s*:\s*)?(?:not applicable|n/a)\.?$", re.I
)  # "Not Applicable" under "Performance", or "PERFORMANCE: NOT APPLICABLE" on one line
_SCRAMBLED = re.compile(
    rf"(?<![\w(])(?P<label>[A-Z][A-Z'’&/:-]+(?:\s+[A-Z&][A-Z'’&/:-]*){{0,6}}|"
    r"(?:Average|Overall|Performance) [Ss]core:?)\s+"  # "Average Score 7.2" ends a table
    rf"(?P<s1>{_SCORE})(?:\s+(?P<s2>{_SCORE})|\s+[–—-](?=\s))?"
    # then the commentary, or the next row's label and score ("TIMELY CLEARANCE 6 LAND
    # RELEASE SYSTEM IN PLACE 7"), or the end
    r"(?=\s+[A-Z(][a-z]|\s+[AI]\s+[a-z]|\s+[A-Z]{2,}\w*,?\s+[a-z]|"
    rf"\s+[A-Z][A-Z'’&/:-]+(?:\s+[A-Z&][A-Z'’&/:-]*){{0,6}}\s+{_SCORE}(?!\S)|\s*$)"
)
# a whole table flattened onto one line, its header first and its labels in any case:
# "PERFORMANCE INDICATOR SCORE Problem understood 7 Target date for completion ... 4 ..."
_FLAT = re.compile(r"^performance\s+(?:indicator|criterion)s?\s+score\s+(?=[A-Za-z])", re.I)
_LABEL_WORD = r"(?:(?i:article)\s+\d+|\(\s*\d{1,3}\s*%[^)]*\)|[A-Za-z(][\w()%,’'&/:-]*)"
_FLAT_ROW = re.compile(
    rf"(?P<label>{_LABEL_WORD}(?:\s+{_LABEL_WORD})*?)\s*:?\s+"
    rf"(?P<s1>{_SCORE})(?:\s+(?P<s2>{_SCORE}))?(?=\s|$)"
)
# a score inside what reads as one row's label: "IMPROVING PERFORMANCE 6 PERFORMANCE SCORE"
_INNER_SCORE = re.compile(rf"(?<=[A-Z])\s+{_SCORE}(?:\s+{_SCORE})?\s+(?=[A-Z])")
_CONTINUED = re.compile(r"^[A-Z][A-Z&/-]+(?:\s+[A-Z&][A-Z&/-]*)*\s+[a-z]")
_END = re.compile(
    r"^(?:key developments?|recommendations?\b.*|performance commentary|contamination|"
    r"five[- ]year overview|download\b.*|click here\b.*|mine action management|treaty status)$",
    re.I,
)


@lru_cache(maxsize=1)
def config() -> dict:
    raw = resources.files("extractor").joinpath("patterns/criteria.yml").read_text()
    return load_yaml(raw)


def _norm(label: str) -> str:
    label = _WEIGHT.sub(" ", label.lower())
    label = re.sub(r"[^a-z0-9 ]+", " ", label)
    return re.sub(r"\s+", " ", label).strip()


def rating_of(text: str) -> str | None:
    """The rating word a text is or ends with ("Very Good", "PERFORMANCE SCORE: AVERAGE")."""
    word = _norm(text.split(":")[-1])
    return word if word in config()["ratings"] else None


def criterion_of(
    label: str, generation: list[str] | None = None, seen: set[str] | frozenset = frozenset()
) -> str | None:
    """The criterion a table label names; a label cut after its first words is resolved
    within the table's generation. A label hyphenated across lines ("NATIONAL MINE ACTION
    STAN-DARDS") is tried again without its hyphens."""
    found = _criterion(label, generation, seen)
    joined = _BROKEN_WORD.sub("", label)
    return found if found or joined == label else _criterion(joined, generation, seen)


_BROKEN_WORD = re.compile(r"(?<=[A-Za-z])-\s*(?=[A-Za-z])")


def _criterion(label: str, generation: list[str] | None, seen: set[str] | frozenset) -> str | None:
    norm = _norm(label.split(":")[0] if rating_of(label) else label)
    if not norm:
        return None
    for slug, variants in config()["criteria"].items():
        if any(norm == v or norm.startswith(v + " ") for v in variants):
            return slug
    words = norm.split()
    if not any(len(w) >= 4 for w in words):
        return None
    pool = generation or list(config()["criteria"])
    matches = [
        slug
        for slug in dict.fromkeys(pool)
        for v in config()["criteria"][slug]
        if v.split()[: len(words)] == words or (len(words) == 1 and v.startswith(norm))
    ]
    matches = list(dict.fromkeys(matches))
    if len(matches) > 1:
        matches = [m for m in matches if m not in seen] or matches
    return matches[0] if matches and (len(matches) == 1 or generation) else None


def is_table_text(text: str) -> bool:
    match = _ROW.match(text.strip())
    return bool(match and criterion_of(match.group("label")))


@dataclass
class _Table:
    report_year: int | None
    years: list[int] = field(default_factory=list)
    generation: str | None = None
    rating: tuple[str, Block] | None = None
    # label lines waiting for their scores: one in a table read row by row, all of them in
    # one read column by column (every label, then every score)
    pending: list[Block] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    misses: int = 0

    def year(self, column: int) -> int | None:
        if column < len(self.years):
            return self.years[column]
        if self.years:
            return self.years[0] - column
        return self.report_year - 1 - column if self.report_year else None

    def criteria(self) -> list[str]:
        generations = config()["generations"]
        if self.generation:
            return generations[self.generation]
        if self.report_year and self.report_year >= config()["weighted_from"]:
            return generations["weighted"] + generations["weighted_environment"]
        return generations["indicators"]

    def seen(self) -> set[str]:
        return {f.criterion for f in self.figures if f.criterion}

    def note_generation(self, text: str, slug: str | None) -> None:
        if "% of overall" in text.lower():
            self.generation = self.generation or "weighted"
        generations = config()["generations"]
        if slug and slug not in generations["weighted_environment"] and slug != "overall":
            self.generation = "indicators"
        if slug == "environment":
            self.generation = "weighted_environment"


def extract(blocks: list[Block], report_year: int | None) -> list[Figure]:
    """Scores of every performance table in a document's blocks (document order)."""
    out: list[Figure] = []
    table: _Table | None = None
    previous = ""
    for block in blocks:
        text = _cells(block.text.strip())
        if not text:
            continue
        if table is None:
            if _starts_table(text, previous):
                table = _Table(report_year)
                _feed(table, block, text)
            previous = text
            continue
        if _END.match(text.strip().rstrip(":")):
            out += _close(table)
            table = None
        elif _feed(table, block, text):
            table.misses = 0
        else:
            table.misses += 1
            if table.misses >= 3:
                out += _close(table)
                table = None
        previous = text
    if table is not None:
        out += _close(table)
    return out


def _starts_table(text: str, previous: str) -> bool:
    if _START.match(text.strip()) or _FLAT.match(text):
        return True
    if _NOT_APPLICABLE.match(text) and (
        _norm(previous) == "performance" or text.lower().startswith("performance")
    ):
        return True
    row = _ROW.match(text)
    return bool(row and criterion_of(row.group("label")) in ("overall", "problem_understood"))


def _cells(text: str) -> str:
    """A row written with pipes ("| GENDER AND DIVERSITY | 10% | 3 |") as plain text, its
    pipes and weight cell blanked: the same length, so a score keeps its offset in the block."""
    if not (text.startswith("|") and text.endswith("|")):
        return text
    return _WEIGHT_CELL.sub(lambda m: " " * len(m.group(0)), text).replace("|", " ")


def _feed(table: _Table, block: Block, text: str) -> bool:
    """Read one block into the table; False when the block is not part of it."""
    if _NOT_APPLICABLE.match(text):
        table.figures.append(_figure(table, block, None, "overall", 0, 0, text, na=True))
        return True
    flat = _FLAT.match(text)
    if _flat_rows(table, block, text, flat.end() if flat else 0):
        return True
    if rating_of(text) and not re.search(r"\d", text):
        table.rating = (rating_of(text), block)
        return True
    headers = list(_HEADER_YEARS.finditer(text))
    row = _ROW.match(text)
    if headers and not (row and criterion_of(row.group("label"))):
        table.years = [int(m.group(1) or m.group(2)) for m in headers]
        # a header with a row after it: "Score (2017) Score (2016) PERFORMANCE SCORE: POOR 4.6 4.9"
        tail = headers[-1].end()
        tail += len(text[tail:]) - len(text[tail:].lstrip())
        last = _ROW_AT.match(text, tail)
        if last and _holds_a_row(last.group("label")):
            return _scrambled(table, block, text, tail) or True  # rows run on after the header
        slug = criterion_of(last.group("label"), table.criteria(), table.seen()) if last else None
        if slug:
            _add_row(table, block, slug, last, rating_of(last.group("label")))
            return True
        return _scrambled(table, block, text, headers[0].start()) or True
    if row and _holds_a_row(row.group("label")) and _scrambled(table, block, text, 0):
        return True  # rows run together on one line, the last one ending it
    if row:
        label = row.group("label")
        slug = criterion_of(label, table.criteria(), table.seen())
        if slug:
            table.note_generation(text, slug)
            _add_row(table, block, slug, row, rating_of(label))
            table.pending = []
            return True
    number = _NUMBER.match(text)
    if (number or _NO_SCORE.match(text)) and table.pending:
        label = table.pending.pop(0)
        slug = criterion_of(label.text, table.criteria(), table.seen())
        if slug and number:
            _add_row(table, block, slug, number, rating_of(label.text))
        return True
    if _scrambled(table, block, text, 0):  # "UNDERSTANDING OF CMR 4 Chile knows ..."
        return True
    slug = criterion_of(text, table.criteria(), table.seen()) if len(text) < 120 else None
    if slug:
        table.note_generation(text, slug)
        table.pending.append(block)
        if rating_of(text):
            table.rating = (rating_of(text), block)
        return True
    if _START.match(text.strip()) or _norm(text) == "score":
        return True
    if _WEIGHT.match(text) or _CONTINUED.match(text):
        # "(10% of overall score)", or the rest of a label cut across lines ("PROGRAMME
        # out demining, but ..."): a row of the table, without a score
        table.note_generation(text, None)
        return True
    return False


def _flat_rows(table: _Table, block: Block, text: str, offset: int) -> bool:
    """A line made only of rows (two at least), as a table flattened onto one line gives it,
    its header before ``offset``: each label the longest tail of the words before a score
    that names a criterion. Commentary with a number in it is no such line."""
    rows = []
    position = offset
    for match in _FLAT_ROW.finditer(text, offset):
        if text[position : match.start()].strip() or match.group("label").count(" ") > 16:
            return False  # not a row where the last ended, or prose (no label is that long)
        slug = _tail_criterion(table, match.group("label"))
        if slug is None:
            return False
        rows.append((slug, match))
        position = match.end()
    if len({slug for slug, _ in rows}) < 2 or text[position:].strip():
        return False  # one row (two year columns) is read as a row
    for slug, match in rows:
        _add_row(table, block, slug, match, rating_of(match.group("label")))
    return True


def _tail_criterion(table: _Table, label: str) -> str | None:
    """The criterion the longest tail of ``label`` names (its words before a score may have
    picked up a header, a running head or the end of the row before)."""
    words = label.split()
    tails = (" ".join(words[i:]) for i in range(len(words)))
    return next(
        (s for s in (criterion_of(t, table.criteria(), table.seen()) for t in tails) if s), None
    )


def _holds_a_row(label: str) -> bool:
    """The label is a row and the start of another: the words after a score in it name a
    criterion ("IMPROVING PERFORMANCE 6 PERFORMANCE SCORE: AVERAGE"), unlike a number that
    is part of the label ("LAND RELEASE OUTPUTS AND ARTICLE 5 COMPLIANCE")."""
    return any(criterion_of(label[m.end() :]) for m in _INNER_SCORE.finditer(label))


def _scrambled(table: _Table, block: Block, text: str, offset: int) -> bool:
    """Rows whose cells ran together with the commentary column ("NATIONAL 7 Serbia has ...")."""
    found = False
    if "% of overall" in text.lower():
        table.generation = table.generation or "weighted"
    for match in _SCRAMBLED.finditer(text, offset):
        # the label may have picked up a header or a running head before it ("PERFORMANCE
        # COMMENTARY PROBLEM UNDERSTOOD 7")
        slug = _tail_criterion(table, match.group("label"))
        if slug:
            _add_row(table, block, slug, match, rating_of(match.group("label")))
            found = True
    return found


def _add_row(table: _Table, block: Block, slug: str, match: re.Match, rating: str | None) -> None:
    for column, group in enumerate(("s1", "s2")):
        raw = match.group(group)
        if raw is None or float(raw) > 10:
            continue
        start = match.start(group)
        table.figures.append(_figure(table, block, float(raw), slug, start, column, raw))
    if rating and slug == "overall":
        table.rating = (rating, block)


def _figure(table, block, value, slug, start, column, raw, na: bool = False) -> Figure:
    return Figure(
        metric="performance_score",
        value=value,
        unit="score",
        year=table.year(column),
        qualifier=None,
        criterion=slug,
        text=raw,
        sentence=block.text,
        page=block.page,
        start=block.start + start,
        end=block.start + start + len(raw),
        flags=["not_applicable"] if na else [],
        section="performance",
        rule="score:not-applicable" if na else f"score:{slug}",
    )


def _close(table: _Table) -> list[Figure]:
    """Flag the overall score of the first year column with the table's rating word."""
    if table.rating:
        word, _ = table.rating
        first_year = table.year(0)
        for fig in table.figures:
            if fig.criterion == "overall" and fig.year == first_year and fig.value is not None:
                fig.flags.append(f"rating:{word.replace(' ', '_')}")
                if band(fig.value) != word:
                    fig.flags.append("rating_differs_from_band")
    return table.figures


def band(score: float) -> str:
    """The rating word of an overall score by Mine Action Review's bands."""
    ratings = sorted(config()["ratings"].items(), key=lambda item: -item[1])
    return next(word for word, low in ratings if score >= low)
