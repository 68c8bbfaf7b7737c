"""Compare the events of two releases by their stable event_id.

Researchers comparing releases (and the release notes, and `parley releases diff`) need
the same answer: which events were added, which removed, which kept their id but changed
in some field, counted by CAMEO action root and by actor so a coder change shows where it
acted. Event ids are content hashes (etl.resolve.event_id_for), so an id present in both
releases names the same actor, action, target and dates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import polars as pl

ID = "event_id"


@dataclass(frozen=True)
class EventsDiff:
    added: pl.DataFrame
    removed: pl.DataFrame
    changed: pl.DataFrame
    """Events of the newer release whose id exists in the older one with another value in some field."""
    changed_fields: dict[str, int] = field(default_factory=dict)
    """How many changed events differ in each field."""

    def counts(self) -> dict[str, int]:
        return {"added": self.added.height, "removed": self.removed.height, "changed": self.changed.height}

    def by(self, column: str) -> dict[str, dict[str, int]]:
        """For each value of column (action_root, actor_code): events added, removed, changed."""
        tally: dict[str, Counter[str]] = {}
        for kind, frame in (("added", self.added), ("removed", self.removed), ("changed", self.changed)):
            for value in frame.get_column(column).to_list():
                tally.setdefault(str(value), Counter())[kind] += 1
        return {value: {k: c[k] for k in ("added", "removed", "changed")} for value, c in sorted(tally.items())}


def diff_events(old: pl.DataFrame, new: pl.DataFrame) -> EventsDiff:
    """What changed from old to new; fields only one release has (a schema change) are not compared."""
    old_ids, new_ids = set(old.get_column(ID).to_list()), set(new.get_column(ID).to_list())
    added = new.filter(~pl.col(ID).is_in(sorted(old_ids))).sort(ID)
    removed = old.filter(~pl.col(ID).is_in(sorted(new_ids))).sort(ID)
    shared = [c for c in new.columns if c in old.columns and c != ID]
    before = {row[ID]: row for row in old.select(ID, *shared).iter_rows(named=True)}
    changed_ids: list[str] = []
    changed_fields: Counter[str] = Counter()
    for row in new.select(ID, *shared).iter_rows(named=True):
        previous = before.get(row[ID])
        if previous is None:
            continue
        differing = [c for c in shared if row[c] != previous[c]]
        if differing:
            changed_ids.append(row[ID])
            changed_fields.update(differing)
    changed = new.filter(pl.col(ID).is_in(changed_ids)).sort(ID)
    return EventsDiff(added, removed, changed, dict(sorted(changed_fields.items())))


def render_diff(diff: EventsDiff, old_label: str, new_label: str) -> list[str]:
    """The diff as Markdown lines: totals, then tables by action root and by actor, then the ids."""
    counts = diff.counts()
    totals = f"{counts['added']} events added, {counts['removed']} removed, {counts['changed']} changed"
    lines = [f"From {old_label} to {new_label}: {totals}."]
    if diff.changed_fields:
        fields = ", ".join(f"{name} ({n})" for name, n in diff.changed_fields.items())
        lines += ["", f"Fields that changed: {fields}."]
    for column, title in (("action_root", "By action root"), ("actor_code", "By actor")):
        table = diff.by(column)
        if not table:
            continue
        lines += ["", f"### {title}", "", f"| {column} | added | removed | changed |", "| --- | ---: | ---: | ---: |"]
        lines += [f"| {value} | {c['added']} | {c['removed']} | {c['changed']} |" for value, c in table.items()]
    for kind, frame in (("Added", diff.added), ("Removed", diff.removed), ("Changed", diff.changed)):
        if frame.height:
            lines += ["", f"### {kind}", ""]
            lines += [
                f"- {row['event_id']}: {row['actor_code']} {row['action_code']} {row['target_code'] or '-'} "
                f"on {row['event_date']}"
                for row in frame.iter_rows(named=True)
            ]
    return lines
