"""The CAMEO event table and its PLOVER mapping, as shipped in etl/codebook/.

Every coded action takes its label, Goldstein value and quad class from this one
table, so a release and its data-quality checks can never disagree about them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CODEBOOK_DIR = Path(__file__).resolve().parent / "codebook"
EVENT_CODES_CSV = CODEBOOK_DIR / "cameo_event_codes.csv"
PLOVER_CSV = CODEBOOK_DIR / "plover.csv"


@dataclass(frozen=True)
class ActionCode:
    code: str
    root: str
    label: str
    goldstein: float
    quad_class: int
    plover_type: str | None
    plover_mode: str | None


@cache
def _plover_map() -> dict[str, tuple[str | None, str | None]]:
    """CAMEO code -> (PLOVER event, mode); root-level rows fill codes with no row of their own."""
    exact: dict[str, tuple[str | None, str | None]] = {}
    roots: dict[str, tuple[str | None, str | None]] = {}
    with PLOVER_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            event = row["plover_event"] or None
            if event == "dropped":
                event = None
            if row["record_type"] == "cameo_map":
                exact[row["cameo_code"]] = (event, row["mode"] or None)
            elif row["record_type"] == "cameo_root_map":
                roots[row["cameo_code"]] = (event, None)
    return {**roots, **exact}


@cache
def action_codes() -> dict[str, ActionCode]:
    """Every CAMEO code of level 1 or deeper (3-4 digits), keyed by code."""
    plover = _plover_map()
    table: dict[str, ActionCode] = {}
    with EVENT_CODES_CSV.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            code = row["code"]
            if len(code) < 3:
                continue
            try:
                goldstein, quad = float(row["goldstein"]), int(row["quad_class"])
            except ValueError as exc:
                raise ValueError(f"{EVENT_CODES_CSV}:{line}: code {code}: {exc}") from exc
            event, mode = plover.get(code) or plover.get(code[:3]) or plover.get(code[:2]) or (None, None)
            table[code] = ActionCode(code, row["root_code"], row["name"], goldstein, quad, event, mode)
    return table


def lookup(code: str) -> ActionCode:
    """The table row of a full CAMEO code; a code outside the table is a programming or data error."""
    try:
        return action_codes()[code]
    except KeyError:
        raise KeyError(f"CAMEO code {code!r} is not in {EVENT_CODES_CSV.name}") from None
