"""One benchmark: generate a corpus, measure each scenario in a fresh process, build the report.

A fresh (spawned) process per scenario means every scenario pays its own imports and model
loads, as a real invocation does, and its peak resident memory is its own rather than the
high-water mark of everything measured before it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import platform
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

from benchmarks import measure
from benchmarks.corpus import generate_corpus, load_sources, write_corpus
from benchmarks.report import Figures, build_report
from etl.parallel import default_workers

FIRST_VERSION, SECOND_VERSION = "0.1.0", "0.2.0"


@dataclass(frozen=True)
class Options:
    docs: int
    seed: int = 0
    workers: int | None = None
    """Extraction processes: measures etl.parallel with this many and gives the whole run as many;
    None measures extraction in one process only and leaves the run its default (one per core)."""
    incremental: int = 0
    """Documents added for a second run over the same work folder; 0 skips that scenario."""
    whole_run: bool = True
    keep: Path | None = None
    """Folder that keeps the corpus and the runs' outputs; None uses a temporary one."""


def in_fresh_process(scenario: Callable[..., Figures], *args: Any) -> Figures:
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(scenario, *args).result()


@contextlib.contextmanager
def _folder(keep: Path | None) -> Iterator[Path]:
    """The folder to keep, which must be new or empty (a second run into it would find its releases), or a temporary one."""
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="parley-bench-") as tmp:
            yield Path(tmp)
        return
    if keep.exists() and any(keep.iterdir()):
        raise ValueError(f"{keep} is not empty; give a new or empty folder to keep the benchmark in")
    keep.mkdir(parents=True, exist_ok=True)
    yield keep


def _settings(options: Options) -> Figures:
    return {
        "docs": options.docs,
        "seed": options.seed,
        "workers": options.workers,
        "incremental": options.incremental,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": default_workers(),
    }


def run_benchmark(options: Options, echo: Callable[[str], None] = lambda line: print(line, file=sys.stderr)) -> Figures:
    """Every scenario the options ask for, on one generated corpus; the report as build_report makes it."""
    if options.docs < 1 or options.incremental < 0 or (options.workers is not None and options.workers < 1):
        raise ValueError(f"need docs >= 1, incremental >= 0 and workers >= 1: {asdict(options)}")
    with _folder(options.keep) as root:
        corpus_dir, releases, work = (root / name for name in ("corpus", "releases", "work"))
        echo(f"generating {options.docs + options.incremental} documents (seed {options.seed}) in {corpus_dir}")
        started = perf_counter()
        documents = generate_corpus(options.docs + options.incremental, options.seed, load_sources())
        manifest = write_corpus(documents[: options.docs], corpus_dir)
        generate_seconds = perf_counter() - started
        echo("measuring extraction in one process")
        extraction = in_fresh_process(measure.extraction, manifest)
        parallel = None
        if options.workers is not None:
            echo(f"measuring extraction with {options.workers} workers")
            parallel = in_fresh_process(measure.extraction_parallel, manifest, options.workers)
        whole_run = incremental = None
        if options.whole_run:
            run_args = (releases, work)
            echo("measuring the whole run")
            whole_run = in_fresh_process(measure.whole_run, manifest, *run_args, FIRST_VERSION, options.workers or 0)
            if options.incremental:
                write_corpus(documents, corpus_dir)
                echo(f"measuring a rerun with {options.incremental} documents added")
                rerun = in_fresh_process(measure.whole_run, manifest, *run_args, SECOND_VERSION, options.workers or 0)
                incremental = (options.incremental, rerun)
    return build_report(_settings(options), generate_seconds, extraction, parallel, whole_run, incremental)
