"""The pipeline's assets: documents -> event_mentions -> events + mentions -> release.

Each asset writes its own Parquet files into the work folder with polars and returns a
MaterializeResult; nothing goes through an IO manager. Every result carries a one-line
"summary" in its metadata, which run_pipeline prints as the run's progress.
"""

from __future__ import annotations

import polars as pl

import dagster as dg
from dagster_project import work_tables as wt
from dagster_project.defs.resources import ParleyPaths
from etl.documents import load_corpus
from etl.extract import coder_info, extract_mentions
from etl.release import publish_release
from etl.resolve import resolve_events
from etl.tables import to_frame
from validation.report import DUPLICATE_REASON, by_reason_text, rejected_by_reason


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
def event_mentions(paths: ParleyPaths) -> dg.MaterializeResult:
    work = paths.work
    loaded = wt.read_loaded_documents(work)
    mentions = [mention for item in loaded for mention in extract_mentions(item)]
    frame = to_frame("mentions", mentions)
    wt.write_parquet(frame, work / wt.EVENT_MENTIONS)
    return dg.MaterializeResult(
        metadata={
            "rows": frame.height,
            "documents_with_mentions": frame.get_column("doc_id").n_unique(),
            "path": dg.MetadataValue.path(str(work / wt.EVENT_MENTIONS)),
            "summary": f"{frame.height} mentions from {len(loaded)} documents",
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
