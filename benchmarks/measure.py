"""The measured scenarios. Each is meant to run in a fresh process (benchmarks.harness), so that the
peak memory it reports is its own and no model or dictionary is already loaded when it starts.

Scenario functions return plain dicts of numbers so that they cross the process boundary as
they are and land in the JSON report unchanged.
"""

from __future__ import annotations

import dataclasses
import resource
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from time import perf_counter
from typing import Any

import spacy

from benchmarks.report import Figures
from etl.documents import LoadedDocument, load_corpus
from etl.extract import coder_info, extract_mentions
from etl.parallel import extract_corpus


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process (or of its largest finished child) in MiB.

    ru_maxrss is in KiB on Linux and in bytes on macOS.
    """
    peak = resource.getrusage(who).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def counts(loaded: Sequence[LoadedDocument]) -> Figures:
    """What a corpus holds, in the units throughput is reported in; sentences as the project segments them."""
    return {
        "documents": len(loaded),
        "words": sum(len(item.text.split()) for item in loaded),
        "sentences": sum(len(item.sentences) for item in loaded),
    }


def _timed(action: Callable[[], Any]) -> tuple[Any, float]:
    started = perf_counter()
    result = action()
    return result, perf_counter() - started


def _warm_up(loaded: Sequence[LoadedDocument]) -> None:
    """Load the dictionaries and the parser, and code one sentence, so first-call costs count as loading."""
    coder_info()
    if loaded:
        extract_mentions(dataclasses.replace(loaded[0], sentences=loaded[0].sentences[:1]))


def _reference_seconds(texts: Sequence[str]) -> float:
    """spaCy's blank English tokenizer with its rule-based sentencizer over the same texts:
    a floor for any pipeline that tokenizes and segments at all."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = max((len(text) for text in texts), default=0) + 1
    _, seconds = _timed(lambda: sum(len(list(doc.sents)) for doc in nlp.pipe(texts)))
    return seconds


def extraction(manifest: Path) -> Figures:
    """The coder alone over a loaded corpus, in this one process and in parser batches as a run codes
    it, then the reference over the same texts."""
    (loaded, rejections), load_seconds = _timed(lambda: load_corpus(manifest))
    _, model_seconds = _timed(lambda: _warm_up(loaded))
    mentions, extract_seconds = _timed(lambda: sum(len(found) for found in extract_corpus(loaded, workers=1)))
    reference_seconds = _reference_seconds([item.text for item in loaded])
    return {
        **counts(loaded),
        "rejected": len(rejections),
        "mentions": mentions,
        "stages": {"load_corpus": load_seconds, "model_load": model_seconds, "extract": extract_seconds},
        "reference_seconds": reference_seconds,
        "peak_rss_mib": peak_rss_mib(),
    }


def extraction_parallel(manifest: Path, workers: int) -> Figures:
    """The coder over the same corpus through etl.parallel with worker processes, as a run codes it.

    Each worker loads the parser and dictionaries itself, so that loading is part of the time:
    it is what a run with workers pays.
    """
    loaded, _ = load_corpus(manifest)
    mentions, seconds = _timed(lambda: sum(len(found) for found in extract_corpus(loaded, workers=workers)))
    return {
        "workers": workers,
        "mentions": mentions,
        "seconds": seconds,
        "peak_rss_mib": peak_rss_mib(),
        "peak_child_rss_mib": peak_rss_mib(resource.RUSAGE_CHILDREN),
    }


def whole_run(manifest: Path, releases: Path, work: Path, version: str, workers: int) -> Figures:
    """The whole graph as `parley run` runs it (its in-memory instance), with the step times the run reports.

    workers 0 is the run's default (one per core).
    Reruns with the same work folder reuse the documents coded before, as `parley run` does.
    """
    from dagster_project.defs.resources import ParleyCoding
    from dagster_project.run import run_pipeline

    summary, seconds = _timed(
        lambda: run_pipeline(manifest, releases, version, work, echo=lambda _: None, coding=ParleyCoding(workers=workers))
    )
    return {
        "ok": summary.ok,
        "errors": summary.errors,
        "documents_read": summary.documents_read or 0,
        "documents_coded": summary.documents_coded or 0,
        "documents_reused": summary.documents_reused or 0,
        "mentions": summary.mentions or 0,
        "events": summary.events or 0,
        "seconds": seconds,
        "stages": summary.step_seconds,
        "peak_rss_mib": peak_rss_mib(),
        "peak_child_rss_mib": peak_rss_mib(resource.RUSAGE_CHILDREN),
    }
