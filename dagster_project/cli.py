"""The `parley` command line: the one entry point for data engineers and researchers.

It lives beside the Dagster definitions because `parley run` materializes them; every
other command calls plain functions of etl/ and never imports Dagster, so that
`parley extract` starts fast.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path

from etl.models import TABLES

DEFAULT_SOURCES = Path("datasets/sources/manifest.yaml")
DEFAULT_RELEASES = Path("datasets/releases")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def cmd_run(args: argparse.Namespace) -> int:
    from dagster_project.run import run_pipeline

    summary = run_pipeline(args.sources, args.releases, args.version)
    return 0 if summary.ok else 1


def cmd_extract(args: argparse.Namespace) -> int:
    from etl.documents import load_text_file
    from etl.extract import extract_mentions

    status = 0
    rows: list[dict] = []
    for path in args.files:
        try:
            loaded = load_text_file(path, published=args.published, source_name=args.source_name, url=args.url)
        except (OSError, ValueError) as exc:
            print(f"parley extract: {path}: {exc}", file=sys.stderr)
            status = 1
            continue
        today = None
        basis = loaded.document.published_basis
        if basis == "text":
            print(f"parley extract: {path}: no --published; using the date stated in the text, "
                  f"{loaded.document.source_published}", file=sys.stderr)
        elif basis == "unknown":
            today = dt.date.today()
            print(f"parley extract: {path}: no --published and no date in the text; dates resolve against today, {today}",
                  file=sys.stderr)
        rows.extend(m.model_dump(mode="json") for m in extract_mentions(loaded, today=today))
    _print_rows(rows, args.format)
    return status


def _print_rows(rows: list[dict], fmt: str) -> None:
    if fmt == "jsonl":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False, sort_keys=False))
    elif fmt == "csv":
        fields = list(TABLES["mentions"].model_fields)
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in row.items()})
    else:
        print(f"{'doc_id':<24} {'date':<10} {'actor':<10} {'code':<5} {'target':<10} conditions")
        for row in rows:
            conditions = ",".join(c["category"] for c in row["conditions"])
            print(f"{row['doc_id'][:24]:<24} {row['event_date']:<10} {row['actor_code']:<10} {row['action_code']:<5} "
                  f"{row['target_code'] or '-':<10} {conditions}")


def cmd_schema(args: argparse.Namespace) -> int:
    from etl.schema import render_schema

    sys.stdout.write(render_schema(args.table))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from etl.evaluate import evaluate, render

    evaluation = evaluate(args.gold, args.texts, args.sources)
    print(render(evaluation, verbose=not args.quiet))
    if args.json:
        result = {k: v for k, v in evaluation.result.items() if not k.startswith("_")}
        args.json.write_text(json.dumps({"overall": result, "per_document": evaluation.per_document}, indent=2) + "\n")
    if args.pred:
        with args.pred.open("w", encoding="utf-8") as fh:
            for row in evaluation.predictions:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parley", description="Conditional political event data from news texts.")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="materialize the whole Dagster graph and publish a release")
    run.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="sources manifest (YAML)")
    run.add_argument("--releases", type=Path, default=DEFAULT_RELEASES, help="folder of published releases")
    run.add_argument("--version", help="release version X.Y.Z (default: the newest bumped by minor, or 1.0.0)")
    run.set_defaults(func=cmd_run)

    extract = sub.add_parser("extract", help="code plain-text files without Dagster")
    extract.add_argument("files", nargs="+", type=Path)
    extract.add_argument("--published", type=_date, help="publication date YYYY-MM-DD")
    extract.add_argument("--source-name", help="the outlet")
    extract.add_argument("--url", help="the article's address")
    extract.add_argument("--format", choices=("jsonl", "csv", "table"), default="jsonl")
    extract.set_defaults(func=cmd_extract)

    schema = sub.add_parser("schema", help="print the published JSON Schema of a table")
    schema.add_argument("table", nargs="?", choices=sorted(TABLES), default="events")
    schema.set_defaults(func=cmd_schema)

    ev = sub.add_parser("eval", help="score the coder against a gold set")
    ev.add_argument("--gold", type=Path, required=True, help="gold events (JSON Lines)")
    ev.add_argument("--texts", type=Path, required=True, help="folder of <id>.txt texts")
    ev.add_argument("--sources", type=Path, required=True, help="CSV with id (or file) and published columns")
    ev.add_argument("--json", type=Path, help="write the figures here as JSON")
    ev.add_argument("--pred", type=Path, help="write the predicted mentions here as JSON Lines")
    ev.add_argument("--quiet", action="store_true", help="omit the missed and spurious lists")
    ev.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
