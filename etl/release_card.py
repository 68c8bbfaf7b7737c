"""The human-facing files of a release: the dataset card (README.md) and CITATION.cff.

A researcher who downloads one release folder should learn from it alone what it holds,
what it covers, how to load it and how to cite it. Both files are built only from the
release's tables, version and coder versions (never from the clock), so rebuilding a
release from the same inputs yields the same bytes; the creation time lives in
manifest.json alone.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import yaml

TITLE = "Parley: conditional political event data"
AUTHOR = "Parley contributors"


def citation_cff(version: str, schema_version: str) -> str:
    """CITATION.cff (Citation File Format 1.2.0) for this version of the dataset."""
    citation = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below, with its version.",
        "type": "dataset",
        "title": TITLE,
        "version": version,
        "authors": [{"name": AUTHOR}],
        "abstract": "CAMEO-coded political events (who did or said what to whom, when, per which source) "
        f"with the conditions actors attach to their statements; schema version {schema_version}.",
        "keywords": ["event data", "CAMEO", "political events", "conditions"],
    }
    return yaml.safe_dump(citation, sort_keys=False, allow_unicode=True, width=100)


def citation_text(version: str) -> str:
    return f"{AUTHOR}. {TITLE}, version {version}."


def _range(values: pl.Series) -> str:
    present = values.drop_nulls()
    return f"{present.min()} to {present.max()}" if present.len() else "none"


def _span(events: pl.DataFrame) -> str:
    """From the earliest event start to the latest event end (an event may span a week, month or season)."""
    if events.is_empty():
        return "none"
    return f"{events.get_column('event_date').min()} to {events.get_column('event_date_end').max()}"


def _counts_line(frame: pl.DataFrame, column: str) -> str:
    counts = frame.get_column(column).drop_nulls().value_counts(sort=True, name="n").sort(["n", column], descending=[True, False])
    return ", ".join(f"{row[column]} ({row['n']})" for row in counts.iter_rows(named=True)) or "none"


def dataset_card(
    version: str,
    schema_version: str,
    frames: dict[str, pl.DataFrame],
    coder: dict[str, Any],
    previous_version: str | None,
    plots: list[tuple[str, str]],
) -> str:
    """README.md of the release: counts, coverage, files, loading, citing, verifying; plots as (file, caption)."""
    events, documents, rejections = frames["events"], frames["documents"], frames["rejections"]
    coder_versions = ", ".join(f"{k} {v}" for k, v in sorted(coder.items())) or "not recorded"
    lines = [
        f"# {TITLE}, v{version}",
        "",
        (
            "Political events coded in the style of CAMEO from news texts: who did or said what to whom, when, "
            "per which source, and under which terms (conditions). Schema version "
            f"{schema_version}; coder: {coder_versions}."
        ),
        "",
        "## Counts",
        "",
        "| table | rows |",
        "| --- | ---: |",
        *(f"| {table} | {frame.height} |" for table, frame in sorted(frames.items())),
        "",
        "## Coverage",
        "",
        f"- Event dates: {_span(events)}",
        f"- Publication dates of the sources: {_range(documents.get_column('source_published'))}",
        f"- Outlets (documents): {_counts_line(documents, 'source_name')}",
        f"- Languages as read (documents): {_counts_line(documents, 'language')}",
        f"- Translated from: {_counts_line(documents, 'translated_from')}",
        f"- Sources rejected, by reason: {_counts_line(rejections, 'reason')}",
        "",
        "## Files",
        "",
        "| file | what it holds |",
        "| --- | --- |",
        "| `events.parquet`, `events.csv` | one row per event (mentions of the same actor, action, target and occasion merged) |",
        "| `mentions.parquet`, `mentions.csv` | one row per coding of an event in one document |",
        "| `documents.parquet`, `documents.csv` | one row per source document |",
        "| `rejections.parquet`, `rejections.csv` | one row per source that did not become a document, with the reason |",
        "| `deletions.parquet`, `deletions.csv` | events of the previous release that this one no longer holds |",
        "| `schema/*.schema.json` | the JSON Schema (draft 2020-12) of each table's rows |",
        "| `datapackage.json` | a Frictionless Data Package with a Table Schema per CSV table |",
        "| `codebook/` | the codebook and the CAMEO, PLOVER and condition code tables used |",
        "| `NOTES.md` | what changed since "
        + (f"v{previous_version}" if previous_version else "the previous release (none: this is the first)")
        + " |",
        "| `quality.json` | the data-quality checks the tables passed |",
        "| `CITATION.cff` | how to cite this release |",
        "| `plots/*.png` | the plots below |",
        "| `manifest.json` | creation time, counts, and the size and sha256 of every file |",
        "",
        "List columns (conditions, evidence, doc_ids) are nested lists in Parquet and JSON text in CSV.",
        "",
        "## Load",
        "",
        "```python",
        "import polars as pl",
        'events = pl.read_parquet("events.parquet")',
        'print(events.group_by("action_root").len().sort("action_root"))',
        "```",
        "",
        "## Verify",
        "",
        "```sh",
        f"parley releases verify {version} --releases PATH/TO/RELEASES",
        "frictionless validate datapackage.json",
        "```",
        "",
        "## Cite",
        "",
        citation_text(version) + " See CITATION.cff.",
    ]
    if plots:
        lines += ["", "## Plots", ""]
        for name, caption in plots:
            lines += [f"![{caption}]({name})", "", caption, ""]
        lines.pop()
    return "\n".join(lines) + "\n"
