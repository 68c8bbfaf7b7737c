"""A corpus of any size for benchmarks, recombined from the bundled seed texts.

Throughput measured on five documents says little about a run over thousands, and real news
pages cannot be committed; recombining the seeds' own sentences keeps what the coder's cost
depends on (sentence length and shape, density of actors, reported speech, dates) while
giving as many distinct documents as asked. Sentences come from the project's own loading
(cleaning and segmentation), in runs of consecutive sentences so that pronouns still follow
a speaker; names, dates, weekdays and outlets then vary per document (benchmarks.variation).

Document i depends only on the seed and i, so a corpus of N + K documents is the corpus of N
plus K new ones: what the incremental scenario needs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks.variation import (
    Names,
    Shift,
    draw_shift,
    draw_swaps,
    names_from,
    shift_dates,
    swap_names,
    vary_weekdays,
)
from etl.actors import ActorMatch, default_actors
from etl.documents import load_corpus
from etl.segment import Sentence

SEEDS_MANIFEST = Path(__file__).resolve().parent.parent / "datasets" / "sources" / "manifest.yaml"
MANIFEST_NAME = "manifest.yaml"
# Outlets of the kind the corpus draws on; the seeds' own outlets are added to these.
OUTLETS = (
    "Reuters", "Associated Press", "BBC News", "The Guardian", "Deutsche Welle", "France 24", "Al Jazeera",
    "Kyiv Independent", "Meduza", "Politico Europe", "Euronews", "The Moscow Times", "Ukrainska Pravda",
)
# A run of this many consecutive sentences is taken at a time: about a news paragraph.
RUN_SENTENCES = (2, 7)
# Each document's length is a seed's word count times a factor in this range.
LENGTH_FACTOR = (0.75, 1.25)
_MANIFEST_HEADER = """\
# Parley sources manifest of a generated benchmark corpus (benchmarks/corpus.py): every text
# recombines sentences of the bundled seeds with other names, dates and outlets. The format is
# that of datasets/sources/manifest.yaml, whose header documents every key.

"""


@dataclass(frozen=True)
class Seed:
    """A loaded seed document with its actor matches, found once instead of once per generated document."""

    doc_id: str
    outlet: str
    published: dt.date
    text: str
    sentences: tuple[Sentence, ...]
    matches: tuple[ActorMatch, ...]
    words: int


@dataclass(frozen=True)
class GeneratedDocument:
    doc_id: str
    text: str
    outlet: str
    published: dt.date
    url: str
    notes: str


@dataclass(frozen=True)
class Sources:
    """Everything generation draws from, loaded once per corpus."""

    seeds: tuple[Seed, ...]
    names: Names
    outlets: tuple[str, ...]


def load_sources(manifest: Path = SEEDS_MANIFEST) -> Sources:
    """The seeds of a manifest, read exactly as a run reads them; seeds without a publication date are left out
    because dates without a year are shifted relative to it."""
    loaded, _ = load_corpus(manifest)
    dictionary = default_actors()
    seeds = tuple(
        Seed(
            doc_id=item.document.doc_id,
            outlet=item.document.source_name,
            published=item.document.source_published,
            text=item.text,
            sentences=item.sentences,
            matches=tuple(dictionary.find(item.text)),
            words=len(item.text.split()),
        )
        for item in loaded
        if item.document.source_published is not None and item.sentences
    )
    if not seeds:
        raise ValueError(f"{manifest}: no dated, non-empty seed document to generate from")
    outlets = tuple(dict.fromkeys(OUTLETS + tuple(seed.outlet for seed in seeds if seed.outlet != "unknown")))
    return Sources(seeds, names_from(dictionary), outlets)


@dataclass(frozen=True)
class _Run:
    seed: Seed
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.seed.text[self.seed.sentences[self.start].start : self.seed.sentences[self.end - 1].end]

    @property
    def matches(self) -> list[ActorMatch]:
        """The seed's actor matches inside this run, with offsets into the run's text."""
        first, last = self.seed.sentences[self.start].start, self.seed.sentences[self.end - 1].end
        return [
            dataclasses.replace(m, start=m.start - first, end=m.end - first)
            for m in self.seed.matches
            if first <= m.start and m.end <= last
        ]


def _runs(seeds: Sequence[Seed], target_words: int, rng: random.Random) -> list[_Run]:
    """Cut every seed into runs at random places and take shuffled runs up to the target length:
    drawing without replacement keeps a paragraph from appearing twice in one document."""
    pool: list[_Run] = []
    for seed in seeds:
        start = 0
        while start < len(seed.sentences):
            end = min(len(seed.sentences), start + rng.randint(*RUN_SENTENCES))
            pool.append(_Run(seed, start, end))
            start = end
    rng.shuffle(pool)
    runs: list[_Run] = []
    words = 0
    for run in pool:
        if words >= target_words:
            break
        runs.append(run)
        words += len(run.text.split())
    return runs


def _varied(run: _Run, swaps: dict[str, str], names: Names, shift: Shift) -> str:
    return shift_dates(swap_names(run.text, run.matches, swaps, names), shift, run.seed.published.year)


def _host(outlet: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", outlet.lower()).strip("-") + ".example"


def generate_document(index: int, sources: Sources, seed: int = 0) -> GeneratedDocument:
    """Document number index of the corpus for this seed: runs of seed sentences up to a seed-like length,
    one set of swapped names, one date shift, random weekdays, an outlet."""
    rng = random.Random(f"parley-bench:{seed}:{index}")
    target = round(rng.choice(sources.seeds).words * rng.uniform(*LENGTH_FACTOR))
    runs = _runs(sources.seeds, target, rng)
    swaps = draw_swaps([m.entry_id for run in runs for m in run.matches], sources.names, rng)
    shift = draw_shift(rng)
    text = vary_weekdays("\n\n".join(_varied(run, swaps, sources.names, shift) for run in runs), rng) + "\n"
    doc_id = f"bench_{index:06d}"
    published = shift.date(runs[0].seed.published)
    outlet = rng.choice(sources.outlets)
    used = ", ".join(sorted({run.seed.doc_id for run in runs}))
    return GeneratedDocument(
        doc_id=doc_id,
        text=text,
        outlet=outlet,
        published=published,
        url=f"https://{_host(outlet)}/{published:%Y/%m/%d}/{doc_id}",
        notes=f"generated by benchmarks.corpus, seed {seed}, from {used}",
    )


def generate_corpus(n: int, seed: int = 0, sources: Sources | None = None) -> list[GeneratedDocument]:
    sources = load_sources() if sources is None else sources
    return [generate_document(index, sources, seed) for index in range(n)]


def manifest_text(documents: Sequence[GeneratedDocument]) -> str:
    entries = [
        {
            "id": doc.doc_id,
            "path": f"{doc.doc_id}.txt",
            "outlet": doc.outlet,
            "url": doc.url,
            "published": doc.published.isoformat(),
            "published_is_estimate": False,
            "notes": doc.notes,
        }
        for doc in documents
    ]
    body = {"version": 1, "defaults": {"language": "en"}, "sources": entries}
    return _MANIFEST_HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=120)


def write_corpus(documents: Sequence[GeneratedDocument], folder: Path) -> Path:
    """Write one .txt per document and the manifest; return the manifest's path.

    A file whose bytes would not change is left alone, so growing a corpus (the incremental
    scenario) touches only the new documents, as adding sources to a real corpus does.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for doc in documents:
        _write_if_changed(folder / f"{doc.doc_id}.txt", doc.text)
    manifest = folder / MANIFEST_NAME
    _write_if_changed(manifest, manifest_text(documents))
    return manifest


def _write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
