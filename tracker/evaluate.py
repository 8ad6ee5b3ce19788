"""`tracker eval`: score the extractor against hand-labelled gold files.

Gold format: ``tests/gold/README.md``. Kinds scored:

- document metadata: country, series and edition year right (accuracy per field and all three);
- figures: matched one-to-one on metric, year, criterion and value within 0.5 %
  (gold figures marked ``confidence: low`` are optional: found counts, missed does not);
- recommendations: items aligned in order (precision and recall of the item count),
  primary topic and truncated flag on aligned items, topics as multi-label;
- developments: matched on event, stage and year (a gold year of null matches any year).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from extractor.errors import ExtractionError
from extractor.pipeline import extract_path

VALUE_TOLERANCE = 0.005


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class EvalReport:
    documents: int = 0
    metadata: dict[str, list[int]] = field(
        default_factory=lambda: {"country": [0, 0], "series": [0, 0], "year": [0, 0], "all": [0, 0]}
    )
    figures: Score = field(default_factory=Score)
    recommendations: Score = field(default_factory=Score)
    topics: Score = field(default_factory=Score)
    primary_topic: list[int] = field(default_factory=lambda: [0, 0])
    truncated: list[int] = field(default_factory=lambda: [0, 0])
    developments: Score = field(default_factory=Score)
    misses: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        def acc(pair):
            return round(pair[0] / pair[1], 4) if pair[1] else None

        return {
            "documents": self.documents,
            "metadata": {k: acc(v) for k, v in self.metadata.items()},
            "figures": self.figures.as_dict(),
            "recommendations": self.recommendations.as_dict(),
            "topics": self.topics.as_dict(),
            "primary_topic_accuracy": acc(self.primary_topic),
            "truncated_accuracy": acc(self.truncated),
            "developments": self.developments.as_dict(),
            "errors": self.errors,
            "misses": self.misses,
        }


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if b == 0:
        return abs(a) < 1e-9
    return abs(a - b) <= VALUE_TOLERANCE * abs(b)


def _figure_match(pred: dict, gold: dict) -> bool:
    return (
        pred["metric"] == gold["metric"]
        and pred.get("year") == gold.get("year")
        and (pred.get("criterion") or None) == (gold.get("criterion") or None)
        and _close(pred.get("value"), gold.get("value"))
    )


def _dev_match(pred: dict, gold: dict) -> bool:
    return (
        pred["event"] == gold["event"]
        and pred["stage"] == gold["stage"]
        and (gold.get("year") is None or pred.get("year") == gold.get("year"))
    )


def _match(preds: list[dict], golds: list[dict], same) -> tuple[list, list, list]:
    """Greedy one-to-one matching: (matched pairs, unmatched preds, unmatched golds)."""
    unmatched_gold = list(golds)
    pairs, extra = [], []
    for pred in preds:
        hit = next((g for g in unmatched_gold if same(pred, g)), None)
        if hit is None:
            extra.append(pred)
        else:
            unmatched_gold.remove(hit)
            pairs.append((pred, hit))
    return pairs, extra, unmatched_gold


def evaluate(gold_dir: str | Path, documents_root: str | Path) -> EvalReport:
    report = EvalReport()
    gold_files = sorted(Path(gold_dir).glob("*.yml"))
    for gold_file in gold_files:
        name = gold_file.stem
        try:
            gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
            if not isinstance(gold, dict) or not isinstance(gold.get("document"), dict):
                raise ValueError("no `document:` mapping")
            path = Path(documents_root) / gold["file"]
        except (
            OSError,
            UnicodeDecodeError,
            yaml.YAMLError,
            ValueError,
            KeyError,
            TypeError,
        ) as exc:
            cause = f"missing {exc}" if isinstance(exc, KeyError) else str(exc).splitlines()[0]
            report.errors.append(f"{name}: bad gold file {gold_file} ({cause})")
            continue
        if not path.exists():
            report.errors.append(f"{name}: document not found: {path}")
            continue
        try:
            result = extract_path(path).to_json()
        except ExtractionError as exc:
            report.errors.append(f"{name}: {exc}")
            continue
        except Exception as exc:  # a bug on one document must not stop the scoring
            report.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        report.documents += 1
        _score_metadata(report, name, result["document"], gold["document"])
        _score_figures(report, name, result["figures"], gold.get("figures") or [])
        _score_recommendations(
            report, name, result["recommendations"], gold.get("recommendations") or []
        )
        _score_developments(report, name, result["developments"], gold.get("developments") or [])
    return report


def _score_metadata(report, name, doc, gold) -> None:
    checks = {
        "country": doc.get("country_code") == gold.get("country_code"),
        "series": doc.get("series") == gold.get("series"),
        "year": doc.get("report_year") == gold.get("report_year"),
    }
    checks["all"] = all(checks.values())
    for key, ok in checks.items():
        report.metadata[key][0] += int(ok)
        report.metadata[key][1] += 1
    if not checks["all"]:
        report.misses.append(
            f"{name}: metadata {doc.get('country_code')}/{doc.get('series')}/"
            f"{doc.get('report_year')}, gold {gold.get('country_code')}/{gold.get('series')}/"
            f"{gold.get('report_year')}"
        )


def _score_figures(report, name, preds, golds) -> None:
    required = [g for g in golds if g.get("confidence") != "low"]
    optional = [g for g in golds if g.get("confidence") == "low"]
    pairs, extra, missed = _match(preds, required, _figure_match)
    pairs_opt, extra, _ = _match(extra, optional, _figure_match)
    report.figures.tp += len(pairs) + len(pairs_opt)
    report.figures.fp += len(extra)
    report.figures.fn += len(missed)
    for f in extra:
        report.misses.append(
            f"{name}: figure not in gold: {f['metric']} {f.get('criterion') or ''} "
            f"{f['value']} ({f.get('year')}) [{f.get('text')}]"
        )
    for g in missed:
        report.misses.append(
            f"{name}: figure missed: {g['metric']} {g.get('criterion') or ''} {g.get('value')} "
            f"({g.get('year')})"
        )


def _score_recommendations(report, name, preds, golds) -> None:
    aligned = min(len(preds), len(golds))
    report.recommendations.tp += aligned
    report.recommendations.fp += max(0, len(preds) - len(golds))
    report.recommendations.fn += max(0, len(golds) - len(preds))
    if len(preds) != len(golds):
        report.misses.append(f"{name}: {len(preds)} recommendations found, gold has {len(golds)}")
    for i in range(aligned):
        pred, gold = preds[i], golds[i]
        ptopics, gtopics = pred.get("topics") or [], gold.get("topics") or []
        ok = bool(ptopics) and bool(gtopics) and ptopics[0] == gtopics[0]
        report.primary_topic[0] += int(ok)
        report.primary_topic[1] += 1
        if not ok:
            report.misses.append(
                f"{name}: recommendation {i + 1} primary topic {ptopics[:1]}, gold {gtopics[:1]}"
                f" ({gold.get('gist')})"
            )
        report.topics.tp += len(set(ptopics) & set(gtopics))
        report.topics.fp += len(set(ptopics) - set(gtopics))
        report.topics.fn += len(set(gtopics) - set(ptopics))
        trunc_ok = bool(pred.get("truncated")) == bool(gold.get("truncated"))
        report.truncated[0] += int(trunc_ok)
        report.truncated[1] += 1
        if not trunc_ok:
            report.misses.append(f"{name}: recommendation {i + 1} truncated flag wrong")


def _score_developments(report, name, preds, golds) -> None:
    pairs, extra, missed = _match(preds, golds, _dev_match)
    report.developments.tp += len(pairs)
    report.developments.fp += len(extra)
    report.developments.fn += len(missed)
    for d in extra:
        report.misses.append(
            f"{name}: development not in gold: {d['event']} {d['stage']} ({d.get('year')})"
        )
    for g in missed:
        report.misses.append(
            f"{name}: development missed: {g['event']} {g['stage']} ({g.get('year')})"
        )


def format_report(report: EvalReport, show_misses: bool = True) -> str:
    data = report.as_dict()
    lines = [f"Documents scored: {report.documents}"]
    meta = data["metadata"]
    lines.append(
        f"metadata          country {meta['country']:.1%}  series {meta['series']:.1%}  "
        f"year {meta['year']:.1%}  all three {meta['all']:.1%}"
        if report.documents
        else "metadata          (no documents)"
    )
    lines.append(f"{'kind':<18}{'precision':>10}{'recall':>10}{'f1':>8}{'tp':>6}{'fp':>6}{'fn':>6}")
    for kind in ("figures", "recommendations", "topics", "developments"):
        s = data[kind]
        lines.append(
            f"{kind:<18}{s['precision']:>10.3f}{s['recall']:>10.3f}{s['f1']:>8.3f}"
            f"{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}"
        )
    if data["primary_topic_accuracy"] is not None:
        lines.append(
            f"primary topic right: {data['primary_topic_accuracy']:.1%}   "
            f"truncated flag right: {data['truncated_accuracy']:.1%}"
        )
    for error in report.errors:
        lines.append(f"Error: {error}")
    if show_misses and report.misses:
        lines.append("")
        lines.append("Misses:")
        lines.extend(f"  {m}" for m in report.misses)
    return "\n".join(lines)
