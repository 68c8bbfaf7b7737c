"""Scoring the coder against a gold set: the figures behind every claim about its quality.

Runs the coder over the listed texts with their publication dates and scores the mentions
with the project's scorer (etl.scorer), so `parley eval` and shared/eval/score.py agree.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from etl import scorer
from etl.documents import load_text_file
from etl.extract import extract_mentions
from etl.models import EventMention


@dataclass(frozen=True)
class SourceRow:
    doc: str
    path: Path
    published: dt.date | None
    outlet: str | None
    url: str | None


@dataclass(frozen=True)
class Evaluation:
    result: dict
    per_document: dict[str, dict]
    missing_texts: list[str]
    predictions: list[dict]
    evidence: dict[str, str]  # "doc: label" -> evidence sentence(s)


def read_sources(csv_path: Path, texts: Path) -> tuple[list[SourceRow], list[str]]:
    """Rows of a sources CSV (seeds style `file,...` or dev style `id,...`), and the ids with no text."""
    rows, missing = [], []
    with csv_path.open(encoding="utf-8", newline="") as fh:
        for record in csv.DictReader(fh):
            name = record.get("id") or record.get("file")
            if not name:
                raise ValueError(f"{csv_path}: a row has neither an 'id' nor a 'file' column")
            doc = Path(name).stem if name.endswith(".txt") else name
            path = texts / (name if name.endswith(".txt") else f"{name}.txt")
            published = dt.date.fromisoformat(record["published"]) if record.get("published") else None
            if not path.is_file():
                missing.append(doc)
                continue
            rows.append(SourceRow(doc, path, published, record.get("outlet") or None, record.get("url") or None))
    return rows, missing


def predict(rows: list[SourceRow]) -> list[EventMention]:
    mentions = []
    for row in rows:
        loaded = load_text_file(row.path, published=row.published, source_name=row.outlet, url=row.url, doc_id=row.doc)
        mentions.extend(extract_mentions(loaded))
    return mentions


def _as_prediction(mention: EventMention) -> dict:
    record = mention.model_dump(mode="json")
    record["doc"] = mention.doc_id
    return record


def evaluate(gold_path: Path, texts: Path, sources_csv: Path) -> Evaluation:
    rows, missing = read_sources(sources_csv, texts)
    mentions = predict(rows)
    predictions = [_as_prediction(m) for m in mentions]
    available = {r.doc for r in rows}
    gold = [g for g in scorer.load_gold(gold_path) if g.doc in available]
    pred = scorer.load_predictions_from_rows(predictions, "doc")
    result = scorer.score(gold, pred)
    per_document = {}
    for doc in sorted(available):
        doc_result = scorer.score([g for g in gold if g.doc == doc], [p for p in pred if p.doc == doc])
        doc_result.pop("_core_detail")
        per_document[doc] = doc_result
    evidence: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        key = f"{m.doc_id}: {m.actor_code or '-'} {m.action_code} {m.target_code or '-'}"
        evidence[key].extend(span.text for span in m.evidence)
    for g in gold:
        if g.raw.get("evidence"):
            evidence[f"{g.doc}: {g.label()}"].append(str(g.raw["evidence"]))
    return Evaluation(result, per_document, missing, predictions, {k: " | ".join(v) for k, v in evidence.items()})


def render(evaluation: Evaluation, verbose: bool = True) -> str:
    r = evaluation.result
    lines = [
        f"documents {r['documents']}  gold events {r['gold_events']} (+{r['optional_gold_events']} optional)"
        f"  predicted events {r['predicted_events']}",
        f"{'level':<11}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}",
    ]
    for level in ("country", "core", "code", "triple", "conditions"):
        m = r[level]
        lines.append(f"{level:<11}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['tp']:>6}{m['fp']:>6}{m['fn']:>6}")
    lines.append(f"date accuracy on core matches: {r['date_accuracy']}")
    if evaluation.missing_texts:
        lines.append(f"no text for {len(evaluation.missing_texts)} listed document(s), left out of the score: "
                     + ", ".join(evaluation.missing_texts))
    lines.append("\nper document (core F1, code F1, conditions F1, date accuracy):")
    for doc, d in evaluation.per_document.items():
        lines.append(f"  {doc:<24}{d['core']['f1']:>7.3f}{d['code']['f1']:>7.3f}{d['conditions']['f1']:>7.3f}"
                     f"{'' if d['date_accuracy'] is None else format(d['date_accuracy'], '7.3f'):>8}"
                     f"   gold {d['gold_events']:>3}  predicted {d['predicted_events']:>3}")
    if verbose:
        detail = r["_core_detail"]
        for name in ("missed", "spurious"):
            lines.append(f"\n{name}:")
            for label in detail[name]:
                lines.append(f"  {label}")
                if label in evaluation.evidence:
                    lines.append(f"      {evaluation.evidence[label][:300]}")
    return "\n".join(lines)
