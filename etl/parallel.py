"""Extraction of a corpus across worker processes, in the corpus's order.

The coder is CPU-bound Python plus a parser, so threads would not help; worker processes
each load the parser and dictionaries once and code whole batches. A document's mentions
depend on that document alone, so the output is the same for any number of workers or
batch size, and results are yielded in input order so callers can stream them.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from itertools import chain, islice
from typing import TypeVar

from etl.documents import LoadedDocument
from etl.extract import extract_batch
from etl.models import EventMention

T = TypeVar("T")

DEFAULT_BATCH = 32
"""Documents per parser batch: large enough to keep the parser's matrices full, small enough
to keep every worker busy to the end of a run."""


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last may be shorter), read lazily."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def extract_corpus(
    documents: Iterable[LoadedDocument],
    *,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH,
    today: dt.date | None = None,
) -> Iterator[list[EventMention]]:
    """Each document's mentions, in input order.

    With workers > 1, at most two batches per worker are in flight, so memory stays bounded
    however long the input is; input that fits one batch is coded in this process, since
    starting workers (each loads the parser) would cost more than it saves. Workers are
    spawned, not forked: the caller may be a Dagster run with threads of its own, which a
    fork would copy in an undefined state.
    """
    if workers < 1 or batch_size < 1:
        raise ValueError(f"workers and batch_size must be at least 1, got {workers} and {batch_size}")
    code = partial(extract_batch, today=today)
    queue = batches(documents, batch_size)
    first, second = next(queue, []), next(queue, [])
    if workers == 1 or not second:
        for batch in chain([first, second], queue):
            yield from code(batch)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque[Future[list[list[EventMention]]]] = deque()
        for batch in chain([first, second], queue):
            pending.append(pool.submit(code, batch))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def default_workers() -> int:
    """One worker per core this process may run on (a container's CPU set, not the host's)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)
