"""The pipeline's assets: documents -> event_mentions -> events + mentions -> release.

Each asset writes its own Parquet files into the work folder with polars and returns a
MaterializeResult; nothing goes through an IO manager. Every result carries a one-line
"summary" in its metadata, which run_pipeline prints as the run's progress.
"""

from __future__ import annotations

import polars as pl

import dagster as dg
from dagster_project import work_tables as wt
from dagster_project.defs.resources import ParleyCoding, ParleyPaths
from etl.documents import load_corpus
from etl.extract import coder_info
from etl.mention_cache import KEY, CachedMentions, MentionCache, coder_fingerprint, document_key
from etl.parallel import batches, extract_corpus
from etl.release import publish_release
from etl.resolve import resolve_events
from etl.tables import to_frame
from validation.report import DUPLICATE_REASON, by_reason_text, rejected_by_reason

CHUNK = 1000
"""Documents whose new mentions become one frame: few frames, and few records alive at once."""


@dg.asset(description="Source documents read from the manifest, cleaned and segmented; rejected sources with reasons.")
def documents(paths: ParleyPaths) -> dg.MaterializeResult:
    loaded, rejections = load_corpus(paths.manifest)
    work = paths.work
    frame = to_frame("documents", [item.document for item in loaded])
    wt.write_parquet(frame, work / wt.DOCUMENTS)
    wt.write_parquet(wt.texts_frame(loaded), work / wt.TEXTS)
    rejected = wt.rejections_frame(rejections)
    wt.write_parquet(rejected, work / wt.REJECTIONS)
    by_reason = rejected_by_reason(rejected)
    return dg.MaterializeResult(
        metadata={
            "rows": frame.height,
            "rejections": rejected.height,
            "rejected_by_reason": dg.MetadataValue.json(by_reason),
            "duplicates": by_reason.get(DUPLICATE_REASON, 0),
            "path": dg.MetadataValue.path(str(work / wt.DOCUMENTS)),
            "summary": f"{frame.height} documents read, {rejected.height} rejected{by_reason_text(by_reason)}",
        }
    )


@dg.asset(deps=[documents], description="Event mentions coded from each document, before resolution into events.")
def event_mentions(paths: ParleyPaths, coding: ParleyCoding) -> dg.MaterializeResult:
    work = paths.work
    loaded = wt.read_loaded_documents(work)
    keys = [document_key(item) for item in loaded]
    cache = MentionCache(work / wt.MENTION_CACHE, coder_fingerprint())
    layout = to_frame("mentions", [])
    cached = cache.load(layout) if coding.reuse_coded else CachedMentions.empty(layout)
    todo = [(item, key) for item, key in zip(loaded, keys, strict=True) if key not in cached.keys]
    coded = extract_corpus((item for item, _ in todo), workers=coding.worker_count(), batch_size=coding.batch_size)
    parts = [cached.mentions.filter(pl.col(KEY).is_in(set(keys)))]
    for chunk in batches(zip(todo, coded, strict=True), CHUNK):
        key_of = {mention.mention_id: key for (_, key), mentions in chunk for mention in mentions}
        if key_of:
            frame = to_frame("mentions", [mention for _, mentions in chunk for mention in mentions])
            parts.append(frame.with_columns(pl.col("mention_id").replace_strict(key_of, return_dtype=pl.String).alias(KEY)))
    current = pl.concat(parts)
    cache.save(keys, current)
    frame = current.drop(KEY).sort("mention_id", maintain_order=True)
    wt.write_parquet(frame, work / wt.EVENT_MENTIONS)
    reused = len(loaded) - len(todo)
    return dg.MaterializeResult(
        metadata={
            "rows": frame.height,
            "documents_with_mentions": frame.get_column("doc_id").n_unique(),
            "documents_coded": len(todo),
            "documents_reused": reused,
            "workers": coding.worker_count(),
            "path": dg.MetadataValue.path(str(work / wt.EVENT_MENTIONS)),
            "summary": f"{frame.height} mentions from {len(loaded)} documents ({len(todo)} coded, {reused} unchanged and reused)",
        }
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec("events", deps=[event_mentions, documents], description="Events: mentions merged per occasion."),
        dg.AssetSpec("mentions", deps=[event_mentions, documents], description="Mentions as released, with event_id."),
    ],
    description="Resolve mentions of all documents into events.",
)
def resolved(paths: ParleyPaths):
    work = paths.work
    mentions = wt.read_mentions(work / wt.EVENT_MENTIONS)
    events, linked = resolve_events(mentions, wt.read_documents(work / wt.DOCUMENTS))
    events_frame, mentions_frame = to_frame("events", events), to_frame("mentions", linked)
    wt.write_parquet(events_frame, work / wt.EVENTS)
    wt.write_parquet(mentions_frame, work / wt.MENTIONS)
    multi_source = events_frame.filter(pl.col("n_sources") > 1).height
    yield dg.MaterializeResult(
        asset_key="events",
        metadata={
            "rows": events_frame.height,
            "multi_source_events": multi_source,
            "path": dg.MetadataValue.path(str(work / wt.EVENTS)),
            "summary": f"{events_frame.height} events from {mentions_frame.height} mentions"
            f" ({multi_source} reported by several outlets)",
        },
    )
    yield dg.MaterializeResult(
        asset_key="mentions",
        metadata={
            "rows": mentions_frame.height,
            "path": dg.MetadataValue.path(str(work / wt.MENTIONS)),
            "summary": f"{mentions_frame.height} mentions linked to events",
        },
    )


@dg.asset(
    deps=["events", "mentions", documents],
    description="The checked tables published as an immutable release folder vX.Y.Z.",
)
def release(paths: ParleyPaths) -> dg.MaterializeResult:
    work = paths.work
    quality = wt.read_quality_for_current_tables(work)
    frames = {table: pl.read_parquet(work / name) for table, name in wt.RELEASE_TABLES.items()}
    version = paths.version_to_publish()
    path = publish_release(paths.releases, version, frames, quality, coder_info())
    counts = {table: frame.height for table, frame in frames.items()}
    return dg.MaterializeResult(
        metadata={
            "version": version,
            "path": dg.MetadataValue.path(str(path)),
            **{f"{table}_rows": n for table, n in sorted(counts.items())},
            "summary": f"published v{version} at {path} "
            f"({counts['events']} events, {counts['mentions']} mentions, {counts['documents']} documents, "
            f"{counts['rejections']} rejected sources)",
        }
    )
