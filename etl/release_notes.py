"""What a release changed against the previous one: the deletions table and NOTES.md.

Users of event data keep local copies and must learn which records disappeared (ACLED
publishes deletions for this reason), not only which appeared. Both files are derived
from the two releases' events by stable event_id, so they say the same as
`parley releases diff PREVIOUS THIS`.
"""

from __future__ import annotations

import polars as pl

from etl.release_diff import diff_events, render_diff

DELETIONS_SCHEMA = pl.Schema(
    {
        "event_id": pl.String(),
        "actor_code": pl.String(),
        "action_code": pl.String(),
        "target_code": pl.String(),
        "event_date": pl.Date(),
        "last_version": pl.String(),
    }
)
DELETIONS_TITLE = "Parley deleted events"
DELETIONS_DESCRIPTIONS = {
    "event_id": "An event of the previous release that this release no longer holds.",
    "last_version": "The last release that held the event.",
}


def deletions_frame(previous_events: pl.DataFrame | None, events: pl.DataFrame, previous_version: str | None) -> pl.DataFrame:
    """Events of the previous release whose event_id is absent now; empty for the first release."""
    if previous_events is None or previous_version is None:
        return DELETIONS_SCHEMA.to_frame()
    gone = previous_events.filter(~pl.col("event_id").is_in(events.get_column("event_id").to_list()))
    return (
        gone.select(*(c for c in DELETIONS_SCHEMA if c != "last_version"))
        .with_columns(pl.lit(previous_version, dtype=pl.String).alias("last_version"))
        .cast(dict(DELETIONS_SCHEMA))
        .sort("event_id")
    )


def release_notes(version: str, events: pl.DataFrame, previous_events: pl.DataFrame | None, previous_version: str | None) -> str:
    """NOTES.md: the events added, removed and changed since the previous release, by action root and actor."""
    lines = [f"# Release notes: Parley v{version}", ""]
    if previous_events is None or previous_version is None:
        lines.append(
            f"First release: {events.height} events. There is no previous release to compare with, "
            "and deletions.csv is empty."
        )
    else:
        diff = diff_events(previous_events, events)
        lines += render_diff(diff, f"v{previous_version}", f"v{version}")
        lines += ["", "Removed events are listed in deletions.csv and deletions.parquet."]
    return "\n".join(lines) + "\n"
