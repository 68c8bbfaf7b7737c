"""Score extracted events against a gold set (codebook section 7).

The project's shared scorer (shared/eval/score.py), kept here unchanged in its rules so
that `parley eval` scores exactly as the project is scored, from any checkout.

Gold: JSON Lines, one event per line, with at least
    doc, actor_code, action_code, target_code (or null), event_date, event_date_end,
    conditions (list of category strings), optional (bool, default false).
Predictions: JSON Lines / CSV / Parquet with one event (or event mention) per row and
at least doc (or doc_id), actor_code, action_code, target_code, event_date,
conditions (list of {category, text}, list of strings, or a JSON string of either).
Pass --doc-field to name the column that holds the gold's `doc` value.

Prints a table and, with --json FILE, writes the figures as JSON.
Exit status: 0 always when scoring ran; 2 on unreadable input.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path


def _read_rows(path: Path) -> list[dict]:
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        rows = []
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if line:
                    rows.append(json.loads(line))
        return rows
    if suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    if suffix == ".parquet":
        import pyarrow.parquet as pq  # only needed for parquet input

        return pq.read_table(path).to_pylist()
    raise ValueError(f"unsupported file type: {path}")


def _categories(value) -> set[str]:
    if value is None or value == "":
        return set()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return {part.strip() for part in value.split(";") if part.strip()}
    out = set()
    for item in value or []:
        if isinstance(item, dict):
            if item.get("category"):
                out.add(str(item["category"]))
        elif item:
            out.add(str(item))
    return out


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _doc_name(value) -> str:
    """A document's name: the last path component of a path or URL, without its extension."""
    text = str(value).rstrip("/")
    name = text.rsplit("/", 1)[-1]
    return name[: -len(Path(name).suffix)] if Path(name).suffix in {".txt", ".html", ".md", ".json"} else name


def _code(value) -> str:
    return "" if value is None else str(value).strip().upper()


def _action(value) -> str:
    text = "" if value is None else str(value).strip()
    # CSV readers may have turned "036" into 36; CAMEO codes are 3-4 digits.
    if text.isdigit() and len(text) < 3:
        text = text.zfill(3)
    return text


class Event:
    __slots__ = ("doc", "actor", "action", "target", "start", "end", "dates", "conditions", "optional", "raw")

    def __init__(self, doc, actor, action, target, start, end, conditions, optional, raw):
        self.doc, self.actor, self.action, self.target = doc, actor, action, target
        self.start, self.end, self.conditions, self.optional, self.raw = start, end, conditions, optional, raw
        self.dates = {start} if start else set()

    def dated_within(self, gold: "Event") -> bool:
        """True when any of this (predicted) event's mention dates lies in the gold interval."""
        return gold.start is not None and any(gold.start <= d <= gold.end for d in self.dates)

    @property
    def root(self) -> str:
        return self.action[:2]

    def label(self) -> str:
        return f"{self.actor or '-'} {self.action} {self.target or '-'}"


def load_gold(path: Path) -> list[Event]:
    events = []
    for row in _read_rows(path):
        start = _date(row.get("event_date"))
        end = _date(row.get("event_date_end")) or start
        events.append(Event(_doc_name(row["doc"]), _code(row.get("actor_code")), _action(row.get("action_code")),
                            _code(row.get("target_code")), start, end, _categories(row.get("conditions")),
                            bool(row.get("optional", False)), row))
    return events


def load_predictions(path: Path, doc_field: str) -> list[Event]:
    """Group mentions per document by (actor, action, target): one predicted event each."""
    return load_predictions_from_rows(_read_rows(path), doc_field)


def load_predictions_from_rows(rows: list[dict], doc_field: str) -> list[Event]:
    """As load_predictions, for records already in memory (parley eval)."""
    grouped: dict[tuple, Event] = {}
    for row in rows:
        doc = row.get(doc_field)
        if doc is None:
            doc = row.get("doc", row.get("doc_id"))
        doc = _doc_name(doc)
        key = (doc, _code(row.get("actor_code")), _action(row.get("action_code")), _code(row.get("target_code")))
        start = _date(row.get("event_date"))
        if key in grouped:
            event = grouped[key]
            event.conditions |= _categories(row.get("conditions"))
            if start:
                event.dates.add(start)
                if event.start is None or start < event.start:
                    event.start = start
            continue
        grouped[key] = Event(key[0], key[1], key[2], key[3], start, start, _categories(row.get("conditions")), False, row)
    return list(grouped.values())


def _country(code: str) -> str:
    """Country (or region) part of an actor code; organisations keep their whole code."""
    return code if code.startswith(("IGO", "NGO")) else code[:3]


LEVELS = {
    "country": lambda g, p: _country(g.actor) == _country(p.actor) and g.root == p.root,
    "core": lambda g, p: g.actor == p.actor and g.root == p.root,
    "code": lambda g, p: g.actor == p.actor and g.action == p.action,
    "triple": lambda g, p: g.actor == p.actor and g.action == p.action and g.target == p.target,
}


def _affinity(g: Event, p: Event) -> int:
    return 4 * (g.action == p.action) + 2 * (g.target == p.target) + p.dated_within(g)


def match(gold: list[Event], pred: list[Event], same) -> tuple[list[tuple[Event, Event]], list[Event], list[Event]]:
    """Greedy one-to-one matching per document; optional gold absorbs predictions at no cost."""
    pairs, unmatched_pred = [], []
    used_gold: set[int] = set()
    by_doc_gold = defaultdict(list)
    for g in gold:
        by_doc_gold[g.doc].append(g)
    by_doc_pred = defaultdict(list)
    for p in pred:
        by_doc_pred[p.doc].append(p)
    for doc in set(by_doc_gold) | set(by_doc_pred):
        gs, ps = by_doc_gold.get(doc, []), by_doc_pred.get(doc, [])
        candidates = sorted(
            ((not g.optional, _affinity(g, p), gi, pi) for gi, g in enumerate(gs) for pi, p in enumerate(ps) if same(g, p)),
            reverse=True,
        )
        taken_g, taken_p = set(), set()
        for required, _, gi, pi in candidates:
            if gi in taken_g or pi in taken_p:
                continue
            taken_g.add(gi)
            taken_p.add(pi)
            if required:
                pairs.append((gs[gi], ps[pi]))
                used_gold.add(id(gs[gi]))
        unmatched_pred.extend(p for pi, p in enumerate(ps) if pi not in taken_p)
    missed = [g for g in gold if not g.optional and id(g) not in used_gold]
    return pairs, unmatched_pred, missed


def _prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def score(gold: list[Event], pred: list[Event]) -> dict:
    docs = {g.doc for g in gold}
    pred = [p for p in pred if p.doc in docs]
    result: dict = {"documents": len(docs), "gold_events": sum(not g.optional for g in gold),
                    "optional_gold_events": sum(g.optional for g in gold), "predicted_events": len(pred)}
    for level, same in LEVELS.items():
        pairs, fp, fn = match(gold, pred, same)
        result[level] = _prf(len(pairs), len(fp), len(fn))
        if level == "core":
            dated = [(g, p) for g, p in pairs if g.start is not None]
            correct = sum(p.dated_within(g) for g, p in dated)
            result["date_accuracy"] = round(correct / len(dated), 4) if dated else None
            ctp = sum(len(g.conditions & p.conditions) for g, p in pairs)
            cfp = sum(len(p.conditions - g.conditions) for g, p in pairs)
            cfn = sum(len(g.conditions - p.conditions) for g, p in pairs)
            result["conditions"] = _prf(ctp, cfp, cfn)
            result["_core_detail"] = {
                "missed": [f"{g.doc}: {g.label()}" for g in fn],
                "spurious": [f"{p.doc}: {p.label()}" for p in fp],
            }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", required=True, type=Path)
    parser.add_argument("--pred", required=True, type=Path)
    parser.add_argument("--doc-field", default="doc", help="prediction column holding the gold's doc value")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missed and spurious core events")
    args = parser.parse_args(argv)
    try:
        gold = load_gold(args.gold)
        pred = load_predictions(args.pred, args.doc_field)
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
        print(f"score.py: cannot read input: {exc}", file=sys.stderr)
        return 2
    result = score(gold, pred)
    detail = result.pop("_core_detail")
    print(f"documents {result['documents']}  gold events {result['gold_events']} (+{result['optional_gold_events']} optional)"
          f"  predicted events {result['predicted_events']}")
    print(f"{'level':<11}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}")
    for level in ("country", "core", "code", "triple", "conditions"):
        m = result[level]
        print(f"{level:<11}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['tp']:>6}{m['fp']:>6}{m['fn']:>6}")
    print(f"date accuracy on core matches: {result['date_accuracy']}")
    if args.verbose:
        for name in ("missed", "spurious"):
            print(f"\n{name}:")
            for line in detail[name]:
                print(f"  {line}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
