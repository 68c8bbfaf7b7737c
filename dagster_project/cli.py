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
import os
import sys
from collections.abc import Callable
from pathlib import Path

from etl.models import SCHEMA_VERSION, TABLES

DEFAULT_SOURCES = Path("datasets/sources/manifest.yaml")
DEFAULT_RELEASES = Path("datasets/releases")
DEFAULT_WORK = Path(".dagster_home/work")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def cmd_run(args: argparse.Namespace) -> int:
    from dagster_project.defs.resources import ParleyCoding
    from dagster_project.run import run_pipeline

    coding = ParleyCoding(workers=args.workers, reuse_coded=not args.recode)
    summary = run_pipeline(args.sources, args.releases, args.version, work_dir=args.work, coding=coding)
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


def cmd_validate(args: argparse.Namespace) -> int:
    from etl.validate_files import validate_file

    try:
        report = validate_file(args.path, args.table, args.max_errors)
    except (OSError, ValueError) as exc:
        print(f"parley validate: {exc}", file=sys.stderr)
        return 2
    for error in report.errors:
        print(f"{args.path}: {error.render()}")
    if report.ok:
        print(f"{args.path}: {report.rows} {report.table} rows valid against schema {SCHEMA_VERSION}")
        return 0
    shown = f" (first {len(report.errors)} shown)" if len(report.errors) < report.n_errors else ""
    print(f"{args.path}: {report.n_errors} errors{shown} in {report.invalid_rows} of {report.rows} {report.table} rows; "
          f"schema {SCHEMA_VERSION}")
    return 1


def _release_dir(releases: Path, version: str) -> Path:
    """The folder of a published version, given as X.Y.Z or vX.Y.Z; a missing one is an error naming the folder."""
    from etl.release import release_path

    path = release_path(releases, version.removeprefix("v"))
    if not path.is_dir():
        raise FileNotFoundError(f"no release {version} in {releases} (looked for {path}); see `parley releases list`")
    return path


def cmd_releases_list(args: argparse.Namespace) -> int:
    from etl.release import read_index

    releases = read_index(args.releases).releases
    if not releases:
        print(f"no releases in {args.releases}")
        return 0
    print(f"{'version':<10} {'created':<26} {'schema':<8} {'events':>7} {'mentions':>9} {'documents':>10}")
    for entry in releases:
        c = entry.counts
        print(f"{entry.version:<10} {entry.created:<26} {entry.schema_version:<8} "
              f"{c.get('events', 0):>7} {c.get('mentions', 0):>9} {c.get('documents', 0):>10}")
    return 0


def cmd_releases_show(args: argparse.Namespace) -> int:
    from etl.release import read_manifest

    folder = _release_dir(args.releases, args.version)
    manifest = read_manifest(folder)
    print(f"release v{manifest.version} at {folder}")
    print(f"created {manifest.created}, schema {manifest.schema_version}")
    print("counts: " + ", ".join(f"{table} {n}" for table, n in manifest.counts.items()))
    print("coder: " + ", ".join(f"{k} {v}" for k, v in sorted(manifest.coder.items())))
    print("files:")
    for name, entry in manifest.files.items():
        print(f"  {name:<40} {entry.bytes:>10}  {entry.sha256[:16]}")
    return 0


def cmd_releases_diff(args: argparse.Namespace) -> int:
    import polars as pl

    from etl.release_diff import diff_events, render_diff

    old, new = (_release_dir(args.releases, v) for v in (args.old, args.new))
    diff = diff_events(pl.read_parquet(old / "events.parquet"), pl.read_parquet(new / "events.parquet"))
    print("\n".join(render_diff(diff, old.name, new.name)))
    return 0


def cmd_releases_verify(args: argparse.Namespace) -> int:
    from etl.release_verify import verify_release

    folder = _release_dir(args.releases, args.version)
    problems, done = verify_release(folder)
    for line in done:
        print(f"ok {line}")
    for line in problems:
        print(f"FAILED {line}")
    print(f"{folder}: " + ("verified" if not problems else f"{len(problems)} problem(s)"))
    return 0 if not problems else 1


def _releases_errors(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run a releases subcommand; a missing release or unreadable file is one line on stderr, exit 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except (OSError, ValueError) as exc:
            print(f"parley releases {args.releases_command}: {exc}", file=sys.stderr)
            return 2

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parley", description="Conditional political event data from news texts.")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="materialize the whole Dagster graph and publish a release")
    run.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="sources manifest (YAML) or a folder of text files")
    run.add_argument("--releases", type=Path, default=DEFAULT_RELEASES, help="folder of published releases")
    run.add_argument("--version", help="release version X.Y.Z (default: the newest bumped by minor, or 1.0.0)")
    run.add_argument("--work", type=Path, default=DEFAULT_WORK,
                     help="work folder: intermediate tables and the cache of coded documents that makes reruns incremental")
    run.add_argument("--workers", type=int, default=0, help="extraction processes (default 0: one per core)")
    run.add_argument("--recode", action="store_true", help="code every document again instead of reusing unchanged ones")
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

    validate = sub.add_parser("validate", help="validate a CSV, Parquet or JSON Lines table file against the published schema")
    validate.add_argument("path", type=Path)
    validate.add_argument("--table", choices=sorted(TABLES), help="the table the rows belong to (default: from the columns)")
    validate.add_argument("--max-errors", type=int, default=20, help="errors to list before the count (default 20)")
    validate.set_defaults(func=cmd_validate)

    releases = sub.add_parser("releases", help="list, show, compare and verify published releases")
    releases_sub = releases.add_subparsers(dest="releases_command", required=True)
    for name, func, help_text, versions in (
        ("list", cmd_releases_list, "every published version with its date and counts", ()),
        ("show", cmd_releases_show, "one release's manifest: counts, coder, files", ("version",)),
        ("diff", cmd_releases_diff, "events added, removed and changed from OLD to NEW", ("old", "new")),
        ("verify", cmd_releases_verify, "sizes, sha256 and schema validity of every file of a release", ("version",)),
    ):
        command = releases_sub.add_parser(name, help=help_text)
        for version in versions:
            command.add_argument(version, help="X.Y.Z or vX.Y.Z")
        command.add_argument("--releases", type=Path, default=DEFAULT_RELEASES, help="folder of published releases")
        command.set_defaults(func=_releases_errors(func))

    from benchmarks.cli import add_arguments as add_bench_arguments
    from benchmarks.cli import run as cmd_bench

    bench = sub.add_parser("bench", help="measure extraction and whole-run throughput on a generated corpus (benchmarks/README.md)")
    add_bench_arguments(bench)
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        # The reader went away (`parley eval ... | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
