"""The benchmark's command line, shared by `python -m benchmarks` and `parley bench`.

Nothing heavy is imported at module level: `parley` builds its parser on every invocation,
and `parley extract` should not pay for the benchmark's imports.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs", type=_positive, required=True, help="documents in the generated corpus")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed: the same seed gives the same texts (default 0)")
    parser.add_argument("--workers", type=_positive,
                        help="also measure extraction with this many worker processes, and give the whole run as many "
                             "(default: extraction in one process only; the run uses one worker per core)")
    parser.add_argument("--incremental", type=_positive, metavar="K",
                        help="after the whole run, add K documents and run again over the same work folder")
    parser.add_argument("--extraction-only", action="store_true", help="skip the whole-run scenarios")
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep the corpus, work folder and releases in DIR (new or empty) instead of a temporary folder")


def run(args: argparse.Namespace) -> int:
    """Measure, print the table, write the JSON; exit 1 when a run failed, 2 on bad options."""
    from benchmarks.harness import Options, run_benchmark
    from benchmarks.report import render_table

    options = Options(docs=args.docs, seed=args.seed, workers=args.workers, incremental=args.incremental or 0,
                      whole_run=not args.extraction_only, keep=args.keep)
    try:
        report = run_benchmark(options)
    except ValueError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    print(render_table(report))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    failed = [section for section in ("whole_run", "incremental") if not report.get(section, {"ok": True})["ok"]]
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="Measure Parley's throughput on a generated corpus.")
    add_arguments(parser)
    return run(parser.parse_args(argv))
