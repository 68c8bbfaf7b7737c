"""The dataset card's plots, written as PNG files into the release.

A reader of the card sees at a glance when the events happened, who did what, and
which conditions each actor attaches. The figures use matplotlib's Agg backend (no
display needed) and PNG metadata without the matplotlib version, so with the same
matplotlib, FreeType and bundled font the bytes depend on the events alone and the
release stays byte-identical when rebuilt. A different matplotlib may draw different
bytes; verify still holds, since the manifest records what was published.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # chosen before pyplot is imported: no display is needed or used

import matplotlib.pyplot as plt
import polars as pl
from matplotlib.figure import Figure

QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
_MAX_ACTORS = 20
_PNG_METADATA = {"Software": None}
_DPI = 100


def _save(figure: Figure, path: Path) -> None:
    figure.tight_layout()
    figure.savefig(path, format="png", dpi=_DPI, metadata=_PNG_METADATA)
    plt.close(figure)


def _no_data(figure: Figure, what: str) -> None:
    figure.axes[0].text(0.5, 0.5, f"no {what}", ha="center", va="center")
    figure.axes[0].set_axis_off()


def events_per_month(events: pl.DataFrame, path: Path) -> None:
    """Stacked bars: events per month of event_date, by CAMEO quad class."""
    figure, ax = plt.subplots(figsize=(9, 4))
    counts = (
        events.with_columns(pl.col("event_date").dt.strftime("%Y-%m").alias("month"))
        .group_by("month", "quad_class")
        .len()
        .sort("month", "quad_class")
    )
    if counts.is_empty():
        _no_data(figure, "events")
    else:
        months = counts.get_column("month").unique().sort().to_list()
        bottom = [0] * len(months)
        for quad, label in QUAD_CLASSES.items():
            per_month = dict(counts.filter(pl.col("quad_class") == quad).select("month", "len").iter_rows())
            heights = [per_month.get(m, 0) for m in months]
            ax.bar(months, heights, bottom=bottom, label=f"{quad} {label}")
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_xlabel("month of the event")
        ax.set_ylabel("events")
        ax.tick_params(axis="x", labelrotation=90)
        ax.legend(fontsize="small")
    ax.set_title("Events per month by quad class")
    _save(figure, path)


def _heat_map(table: pl.DataFrame, rows: str, columns: str, title: str, xlabel: str, path: Path) -> None:
    """Counts of (rows, columns) pairs as a heat map, with the most frequent row values first."""
    figure, ax = plt.subplots(figsize=(9, 6))
    counts = table.group_by(rows, columns).len()
    if counts.is_empty():
        _no_data(figure, "events")
    else:
        totals = counts.group_by(rows).agg(pl.col("len").sum()).sort(["len", rows], descending=[True, False])
        row_values = totals.get_column(rows).head(_MAX_ACTORS).to_list()
        column_values = counts.get_column(columns).unique().sort().to_list()
        lookup = {(r, c): n for r, c, n in counts.iter_rows()}
        grid = [[lookup.get((r, c), 0) for c in column_values] for r in row_values]
        image = ax.imshow(grid, cmap="Blues", aspect="auto")
        ax.set_xticks(range(len(column_values)), column_values, rotation=90, fontsize="small")
        ax.set_yticks(range(len(row_values)), row_values, fontsize="small")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(f"actor (the {len(row_values)} most frequent)")
        figure.colorbar(image, ax=ax, label="events")
    ax.set_title(title)
    _save(figure, path)


def actor_by_action_root(events: pl.DataFrame, path: Path) -> None:
    _heat_map(events, "actor_code", "action_root", "Events by actor and CAMEO action root", "action root", path)


def conditions_by_actor(events: pl.DataFrame, path: Path) -> None:
    """Heat map of condition categories attached by each actor (an event counts once per category)."""
    pairs = (
        events.select("event_id", "actor_code", pl.col("conditions"))
        .explode("conditions")
        .drop_nulls("conditions")
        .select("event_id", "actor_code", pl.col("conditions").struct.field("category").alias("category"))
        .unique()
    )
    _heat_map(pairs, "actor_code", "category", "Condition categories by actor", "condition category", path)


PLOTS = (
    ("plots/events_per_month.png", "Events per month by quad class.", events_per_month),
    ("plots/actor_by_action_root.png", "Events by actor and CAMEO action root.", actor_by_action_root),
    ("plots/conditions_by_actor.png", "Condition categories attached by each actor.", conditions_by_actor),
)


def write_plots(folder: Path, events: pl.DataFrame) -> list[tuple[str, str]]:
    """Draw every plot into folder; returns (relative file name, caption) for the dataset card."""
    (folder / "plots").mkdir(exist_ok=True)
    for name, _, draw in PLOTS:
        draw(events, folder / name)
    return [(name, caption) for name, caption, _ in PLOTS]
