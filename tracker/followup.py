"""Follow-up: link recommendations across editions into threads, infer status per year.

Pure functions over plain rows (no database): ``run(documents, recommendations,
developments)`` returns the thread, status and link rows that ``build`` stores.

1. Editions. One document per (country, series, edition year) is canonical: the latest
   version of its URL (a re-crawl, the latest Wayback snapshot) and, between URLs, the
   one with most recommendations, HTML before PDF. The others (the PDF of the same
   edition, older versions) are its duplicates; their recommendations join the
   canonical one's threads.
2. Links. Each recommendation is linked to at most one recommendation of the previous
   edition (of the same country and series) that has recommendations: text
   similarity (rapidfuzz, the actor clause removed) plus topic overlap, greedy
   one-to-one by score. A link below ``review_threshold`` is kept but flagged
   ``needs_review``. Recommendations of other series of the same country in the same
   or an adjacent year are linked too (``cross_series``), at a stricter threshold.
   A chain of predecessor links is a thread.
3. Status per report year (every edition year of the country, any series):
   ``new`` (first asked), ``repeated`` (asked again), ``in_progress`` (asked again,
   or no longer asked, with a development that shows partial action), ``implemented``
   (no longer asked, and a development completed after the ask answers it: its
   sentence, document and page are the evidence), ``dropped`` (the series' next
   edition no longer asks it and no evidence either way). What counts as evidence
   for a recommendation is data (``evidence.yml``): the events its text asks for, or
   failing that its topic's events (then flagged ``needs_review``).

Thresholds were tuned on the real follow-up chains in ../shared/corpus (28 true links
between consecutive editions, labelled in tests/test_followup.py, which pins them) and
on the bundled sample site's designed chains (34 links, rewordings included; also
pinned): with greedy one-to-one linking, every link threshold from 0.38 to 0.43 finds
all 62 and no false one; 0.40 is used. True links that are rewordings ("centralise data
management" -> "strengthen information management") score 0.41-0.53, so links below
0.55 are flagged needs_review. Score = 0.7 * text + 0.3 * topics (text alone when a
side has no topic).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from .errors import SettingsError
from .evidence import Developments, Evidence, expected_events, topics_of

_PREFERRED_TYPES = {"text/html": 0, "text/plain": 1, "application/pdf": 2}
_PARTIAL = ("in_progress", "completed")  # stages that show (at least) partial action


@dataclass(frozen=True)
class FollowupSettings:
    link_threshold: float = 0.40  # minimum score of a predecessor link
    review_threshold: float = 0.55  # links below this are flagged needs_review
    cross_series_threshold: float = 0.65  # minimum score of a link across series
    text_weight: float = 0.7  # score = text_weight * text + (1 - text_weight) * topics

    def __post_init__(self) -> None:
        for name in ("link_threshold", "review_threshold", "cross_series_threshold"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise SettingsError(f"{name}: must be between 0 and 1, got {value}")
        if not 0 < self.text_weight <= 1:
            raise SettingsError(f"text_weight: must be in (0, 1], got {self.text_weight}")
        if self.review_threshold < self.link_threshold:
            raise SettingsError("review_threshold: must not be below link_threshold")


@dataclass(frozen=True)
class Doc:
    id: str
    country: str | None
    series: str | None
    year: int | None
    content_type: str | None = "text/html"
    recommendations: int = 0
    fetched_at: str | None = ""
    error: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Rec:
    id: str
    document_id: str
    country: str
    series: str
    year: int
    position: int
    text: str
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dev:
    id: str
    document_id: str
    country: str
    series: str | None
    report_year: int
    event: str
    topic: str
    stage: str
    year: int | None
    month: int | None
    sentence: str = ""
    page: int | None = None


@dataclass(frozen=True)
class Score:
    score: float
    text: float
    topics: float | None


@dataclass
class FollowUp:
    """Rows for the database: per-recommendation link fields, threads, statuses, links."""

    recommendations: dict[str, dict] = field(default_factory=dict)
    threads: list[dict] = field(default_factory=list)
    statuses: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    duplicate_of: dict[str, str] = field(default_factory=dict)


# -- scoring -----------------------------------------------------------------------------------

_ACTOR = re.compile(r"^.{0,160}?\bshould\b\s*", re.I | re.S)
_SPACES = re.compile(r"[^\w%]+")
_WORD = re.compile(r"[a-z0-9]+")
# words that say nothing about what is asked (their overlap is not evidence of a link)
STOPWORDS = frozenset(
    "a an the of to and or in on for with by as at from its it their this that these those be "
    "is are was were should would could can will which who all any more most other such into "
    "than then so not no well also including include includes particularly especially where "
    "possible appropriate ensure".split()
    # and words of the trade that nearly every recommendation has ("survey and clearance")
    + "mine action survey clearance".split()
)
_SUFFIXES = ("ing", "ed", "es", "s")


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower case, actor clause ("The CMAA should") removed, punctuation folded."""
    ask = _ACTOR.sub("", text, count=1) or text
    return _SPACES.sub(" ", ask.lower()).strip()


@lru_cache(maxsize=65536)
def content_words(text: str) -> frozenset[str]:
    """The ask's content words, lightly stemmed ("strategies" and "strategy" differ, but
    "revised" and "revise" do not)."""
    out = set()
    for word in _WORD.findall(normalise(text)):
        if word in STOPWORDS or len(word) < 2:
            continue
        for suffix in _SUFFIXES:
            if len(word) > 4 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        out.add(word)
    return frozenset(out)


def word_overlap(a: str, b: str) -> float:
    """Mean of the overlap coefficient and the Jaccard index of the content words."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return 0.0
    shared = len(wa & wb)
    return (shared / min(len(wa), len(wb)) + shared / len(wa | wb)) / 2


def text_similarity(a: str, b: str) -> float:
    """Content-word overlap averaged with rapidfuzz's token set and token sort ratios."""
    na, nb = normalise(a), normalise(b)
    fuzzy = (fuzz.token_set_ratio(na, nb) + fuzz.token_sort_ratio(na, nb)) / 200
    return (word_overlap(a, b) + fuzzy) / 2


@lru_cache(maxsize=4096)  # a handful of topic lists recur across all pairs
def topic_overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float | None:
    """Jaccard index of the topics, at least 0.75 when the main topics agree and 0.5 when
    any does; None when either side has no topic but ``other`` (nothing is known)."""
    sa, sb = set(a) - {"other"}, set(b) - {"other"}
    if not sa or not sb:
        return None
    overlap = len(sa & sb) / len(sa | sb)
    if a[0] == b[0]:
        overlap = max(overlap, 0.75)
    elif sa & sb:
        overlap = max(overlap, 0.5)
    return overlap


def similarity(a: Rec, b: Rec, settings: FollowupSettings | None = None) -> Score:
    settings = settings or FollowupSettings()
    return _score(a.text, b.text, a.topics, b.topics, settings.text_weight)


@lru_cache(maxsize=65536)  # an ask repeated word for word meets the same texts again
def _score(
    text_a: str, text_b: str, topics_a: tuple[str, ...], topics_b: tuple[str, ...], w: float
) -> Score:
    text = text_similarity(text_a, text_b)
    topics = topic_overlap(topics_a, topics_b)
    if topics is None:  # unknown topics neither help nor hurt
        return Score(round(text, 4), round(text, 4), None)
    return Score(round(w * text + (1 - w) * topics, 4), round(text, 4), round(topics, 4))


@lru_cache(maxsize=65536)
def _score_at_least(
    text_a: str,
    text_b: str,
    topics_a: tuple[str, ...],
    topics_b: tuple[str, ...],
    w: float,
    threshold: float,
) -> Score | None:
    """``_score`` if it reaches ``threshold``, else None; the fuzzy ratios (at most 1) are
    only computed when the content-word overlap leaves the threshold within reach."""
    topics = topic_overlap(topics_a, topics_b)
    best_text = (word_overlap(text_a, text_b) + 1) / 2
    best = best_text if topics is None else w * best_text + (1 - w) * topics
    if round(best, 4) < threshold:
        return None
    s = _score(text_a, text_b, topics_a, topics_b, w)
    return s if s.score >= threshold else None


def _greedy(
    previous: list[Rec], current: list[Rec], threshold: float, settings: FollowupSettings
) -> list[tuple[Rec, Rec, Score]]:
    """One-to-one links, best score first; ties broken by position (deterministic)."""
    pairs = []
    w = settings.text_weight
    for p in previous:
        for c in current:
            s = _score_at_least(p.text, c.text, p.topics, c.topics, w, threshold)
            if s is not None:
                pairs.append((-s.score, p.position, c.position, p.id, c.id, p, c, s))
    pairs.sort(key=lambda x: x[:5])
    taken_p: set[str] = set()
    taken_c: set[str] = set()
    out = []
    for *_, p, c, s in pairs:
        if p.id in taken_p or c.id in taken_c:
            continue
        taken_p.add(p.id)
        taken_c.add(c.id)
        out.append((p, c, s))
    return out


# -- editions ----------------------------------------------------------------------------------


def editions(docs: list[Doc]) -> tuple[dict[tuple[str, str, int], Doc], dict[str, str]]:
    """The canonical document of each (country, series, year) and, for every other
    document of the same edition, the canonical document it duplicates.

    Versions of one URL (a re-crawled page, Wayback snapshots of it): the latest fetched
    stands for the URL. Between URLs (a page and its PDF): most recommendations, then
    HTML before text before PDF, then the latest fetched, then the id."""
    groups: dict[tuple[str, str, int], list[Doc]] = defaultdict(list)
    for doc in docs:
        if doc.error or not (doc.country and doc.series and doc.year):
            continue
        groups[(doc.country, doc.series, doc.year)].append(doc)
    canonical: dict[tuple[str, str, int], Doc] = {}
    duplicate_of: dict[str, str] = {}
    for key, group in groups.items():
        latest: dict[str, Doc] = {}
        for doc in sorted(group, key=lambda d: (d.fetched_at or "", d.id)):
            latest[doc.url or doc.id] = doc  # the last one wins
        candidates = sorted(latest.values(), key=lambda d: d.id)
        candidates.sort(key=lambda d: d.fetched_at or "", reverse=True)  # stable sorts:
        candidates.sort(
            key=lambda d: (-d.recommendations, _PREFERRED_TYPES.get(d.content_type or "", 3))
        )
        canonical[key] = candidates[0]
        for other in group:
            if other.id != candidates[0].id:
                duplicate_of[other.id] = candidates[0].id
    return canonical, duplicate_of


# -- threads -------------------------------------------------------------------------------------


def main_topic(chain: list[Rec], asked: tuple[str, ...] = ()) -> str:
    """The topic the chain is about: among its recommendations' topics, the topic of what
    they ask for (``asked``: the topics of the events they ask for, see evidence.yml) if
    it is one of them; else the topics weighted by rank (first = 1, second = 1/2 ...)."""
    weight: dict[str, float] = defaultdict(float)
    first_seen: dict[str, int] = {}
    for rec in chain:
        for rank, topic in enumerate(rec.topics, start=1):
            if topic == "other":
                continue
            weight[topic] += 1 / rank
            first_seen.setdefault(topic, len(first_seen))
    candidates = [t for t in weight if t in asked] or list(weight)
    if not candidates:
        return "other"
    return min(candidates, key=lambda t: (-weight[t], first_seen[t]))


# -- the whole follow-up -----------------------------------------------------------------------


def run(
    docs: list[Doc],
    recs: list[Rec],
    devs: list[Dev],
    settings: FollowupSettings | None = None,
) -> FollowUp:
    settings = settings or FollowupSettings()
    out = FollowUp()
    canonical, out.duplicate_of = editions(docs)
    canonical_ids = {d.id for d in canonical.values()}

    by_doc: dict[str, list[Rec]] = defaultdict(list)
    for rec in recs:
        by_doc[rec.document_id].append(rec)
    for group in by_doc.values():
        group.sort(key=lambda r: r.position)

    # editions with recommendations, per (country, series); edition years per country
    series_years: dict[tuple[str, str], list[int]] = defaultdict(list)
    country_years: dict[str, set[int]] = defaultdict(set)
    for (country, series, year), doc in sorted(canonical.items()):
        country_years[country].add(year)
        if by_doc.get(doc.id):
            series_years[(country, series)].append(year)

    developments = Developments(devs, canonical_ids)
    for (country, series), years in sorted(series_years.items()):
        edition = {y: by_doc[canonical[(country, series, y)].id] for y in years}
        chains = _link_series(edition, years, settings, out)
        for chain in chains:
            _thread(
                chain, edition, years, sorted(country_years[country]), developments, settings, out
            )
    _link_duplicates(canonical, by_doc, settings, out)
    _link_cross_series(series_years, canonical, by_doc, settings, out)
    out.threads.sort(key=lambda t: t["id"])
    out.statuses.sort(key=lambda s: (s["thread_id"], s["report_year"]))
    out.links.sort(key=lambda x: x["id"])
    return out


def _link_series(
    edition: dict[int, list[Rec]], years: list[int], settings: FollowupSettings, out: FollowUp
) -> list[list[Rec]]:
    """Predecessor links between consecutive editions; returns the chains (threads)."""
    chain_of: dict[str, list[Rec]] = {}
    chains: list[list[Rec]] = []
    for previous_year, year in zip([None, *years], years, strict=False):
        current = edition[year]
        linked = {}
        if previous_year is not None:
            for p, c, s in _greedy(
                edition[previous_year], current, settings.link_threshold, settings
            ):
                linked[c.id] = (p, s)
        for c in current:
            if c.id in linked:
                p, s = linked[c.id]
                review = int(s.score < settings.review_threshold)
                out.recommendations[c.id] = {
                    "predecessor_id": p.id,
                    "link_score": s.score,
                    "text_score": s.text,
                    "topic_score": s.topics,
                    "needs_review": review,
                }
                out.links.append(_link_row(c.id, p.id, "predecessor", s, review))
                chain_of[c.id] = chain_of[p.id]
                chain_of[c.id].append(c)
            else:
                out.recommendations[c.id] = {
                    "predecessor_id": None,
                    "link_score": None,
                    "text_score": None,
                    "topic_score": None,
                    "needs_review": 0,
                }
                chain_of[c.id] = [c]
                chains.append(chain_of[c.id])
    return chains


def _link_row(rec_id: str, linked_id: str, kind: str, s: Score, review: int) -> dict:
    return {
        "id": f"{rec_id}>{linked_id}",
        "recommendation_id": rec_id,
        "linked_id": linked_id,
        "kind": kind,
        "score": s.score,
        "text_score": s.text,
        "topic_score": s.topics,
        "needs_review": review,
    }


def thread_id(country: str, series: str, first: Rec) -> str:
    digest = hashlib.sha1(f"{normalise(first.text)}|{first.position}".encode()).hexdigest()
    return f"{country}-{series}-{first.year}-{digest[:8]}"


def _thread(
    chain: list[Rec],
    edition: dict[int, list[Rec]],
    series_years: list[int],
    country_years: list[int],
    developments: Developments,
    settings: FollowupSettings,
    out: FollowUp,
) -> None:
    first, last = chain[0], chain[-1]
    country, series = first.country, first.series
    tid = thread_id(country, series, first)
    texts = [r.text for r in chain]
    topic = main_topic(chain, topics_of(expected_events(texts, "other")[0]))
    events, partial_events, basis = expected_events(texts, topic)
    # the events asked for count from any series; weak evidence (the main topic's events,
    # partial-only events) only from this series
    strong = events if basis == "event" else ()
    topic_events = events if basis == "topic" else ()
    weak = topic_events + partial_events
    asked = {r.year: r for r in chain}
    for rec in chain:
        out.recommendations[rec.id]["thread_id"] = tid

    rows: list[dict] = []
    previous_ask: int | None = None
    for year in country_years:
        if year < first.year:
            continue
        rec = asked.get(year)
        if rec is not None:
            row = {"year": year, "recommendation_id": rec.id, "status": "new", "evidence": None}
            review = out.recommendations[rec.id]["needs_review"]
            if previous_ask is not None:
                progress = developments.find(
                    country, series, previous_ask, year, strong, weak, basis, _PARTIAL
                )
                row["status"] = "in_progress" if progress else "repeated"
                row["evidence"] = progress
                if progress:
                    row["note"] = "asked again; a development shows partial action"
                    review = int(review or progress.review)
            row["needs_review"] = review
            rows.append(row)
            previous_ask = year
            continue
        if year < last.year:
            continue  # between two asks of the thread: the next ask covers it
        done = developments.find(
            country, series, last.year, year, strong, topic_events, basis, ("completed",), True
        )
        if done is not None:
            rows.append(
                {
                    "year": year,
                    "recommendation_id": None,
                    "status": "implemented",
                    "evidence": done,
                    "needs_review": int(done.review or done.basis != "event"),
                    "note": done.note or None,
                }
            )
            break
        if year not in series_years:
            continue  # no edition of this series that year: nothing is known
        partial = developments.find(country, series, last.year, year, strong, weak, basis, _PARTIAL)
        if partial is not None:
            rows.append(
                {
                    "year": year,
                    "recommendation_id": None,
                    "status": "in_progress",
                    "evidence": partial,
                    "needs_review": int(partial.review),
                    "note": "no longer asked; a development shows partial action",
                }
            )
            continue
        near = _near_miss(last, edition.get(year, []), settings)
        rows.append(
            {
                "year": year,
                "recommendation_id": None,
                "status": "dropped",
                "evidence": None,
                "needs_review": int(near is not None),
                "note": (
                    f"a recommendation of the {year} edition resembles it (score {near:.2f})"
                    if near is not None
                    else f"not asked in the {year} edition; no development either way"
                ),
            }
        )
        break

    for row in rows:
        ev: Evidence | None = row["evidence"]
        out.statuses.append(
            {
                "thread_id": tid,
                "report_year": row["year"],
                "status": row["status"],
                "recommendation_id": row["recommendation_id"],
                "evidence_id": ev.dev.id if ev else None,
                "evidence_basis": ev.basis if ev else None,
                "needs_review": int(row["needs_review"]),
                "note": row.get("note"),
            }
        )
    current = out.statuses[-1]
    links_review = any(out.recommendations[r.id]["needs_review"] for r in chain)
    out.threads.append(
        {
            "id": tid,
            "country_code": country,
            "series": series,
            "topic": topic,
            "title": last.text[:200],
            "first_year": first.year,
            "last_year": last.year,
            "times_repeated": len(chain) - 1,
            "status": current["status"],
            "status_year": current["report_year"],
            "needs_review": int(links_review or current["needs_review"]),
            "evidence_id": current["evidence_id"],
            "evidence_basis": current["evidence_basis"],
            "events": ",".join(events) or None,
            "first_recommendation_id": first.id,
            "last_recommendation_id": last.id,
        }
    )


def _near_miss(last: Rec, candidates: list[Rec], settings: FollowupSettings) -> float | None:
    """The best score of a recommendation of the later edition that shares a topic with
    the thread but was not linked (a possible missed link), if close to the threshold."""
    best = None
    for c in candidates:
        if not set(c.topics) & set(last.topics) - {"other"}:
            continue
        s = similarity(last, c, settings).score
        if s >= settings.link_threshold - 0.1 and (best is None or s > best):
            best = s
    return best


def _link_duplicates(
    canonical: dict[tuple[str, str, int], Doc],
    by_doc: dict[str, list[Rec]],
    settings: FollowupSettings,
    out: FollowUp,
) -> None:
    """Recommendations of a duplicate of an edition join the canonical one's threads."""
    canonical_by_id = {d.id: d for d in canonical.values()}
    for dup_id, canon_id in sorted(out.duplicate_of.items()):
        mine = by_doc.get(dup_id, [])
        theirs = by_doc.get(canonical_by_id[canon_id].id, [])
        matched = {c.id: (p, s) for p, c, s in _greedy(theirs, mine, 0.0, settings)}
        for rec in mine:
            p, s = matched.get(rec.id, (None, None))
            if p is None or s.score < settings.link_threshold:
                out.recommendations[rec.id] = {
                    "thread_id": None,
                    "predecessor_id": None,
                    "link_score": s.score if s else None,
                    "text_score": s.text if s else None,
                    "topic_score": s.topics if s else None,
                    "needs_review": 1,
                }
                continue
            review = int(s.score < settings.review_threshold)
            out.recommendations[rec.id] = {
                "thread_id": out.recommendations[p.id].get("thread_id"),
                "predecessor_id": None,
                "link_score": s.score,
                "text_score": s.text,
                "topic_score": s.topics,
                "needs_review": review,
            }
            out.links.append(_link_row(rec.id, p.id, "duplicate", s, review))


def _link_cross_series(
    series_years: dict[tuple[str, str], list[int]],
    canonical: dict[tuple[str, str, int], Doc],
    by_doc: dict[str, list[Rec]],
    settings: FollowupSettings,
    out: FollowUp,
) -> None:
    """The same ask made by another series (or publisher) in the same or an adjacent year."""
    by_country: dict[str, list[str]] = defaultdict(list)
    for country, series in sorted(series_years):
        by_country[country].append(series)
    for country, all_series in by_country.items():
        for i, s1 in enumerate(all_series):
            for s2 in all_series[i + 1 :]:
                for y1 in series_years[(country, s1)]:
                    for y2 in series_years[(country, s2)]:
                        if abs(y1 - y2) > 1:
                            continue
                        a = by_doc[canonical[(country, s1, y1)].id]
                        b = by_doc[canonical[(country, s2, y2)].id]
                        for p, c, s in _greedy(a, b, settings.cross_series_threshold, settings):
                            review = int(s.score < settings.review_threshold)
                            out.links.append(_link_row(c.id, p.id, "cross_series", s, review))
