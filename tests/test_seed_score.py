"""The coder's score on the seed documents may not fall more than 0.05 below the committed figure.

The figure in tests/data/seed_score_baseline.json is the last measured one; raise it when the
coder improves (`parley eval ... --json`), never lower it to make this pass.
"""

from __future__ import annotations

import json
from pathlib import Path

from etl.evaluate import evaluate

DATA = Path(__file__).resolve().parent / "data"
SEEDS = Path(__file__).resolve().parent.parent / "datasets" / "sources" / "seeds"
TOLERANCE = 0.05


def test_seed_scores_do_not_regress() -> None:
    baseline = json.loads((DATA / "seed_score_baseline.json").read_text(encoding="utf-8"))
    result = evaluate(DATA / "seeds_gold.jsonl", SEEDS, DATA / "seeds_sources.csv").result
    assert result["documents"] == 5
    for level in ("core", "code", "conditions"):
        assert result[level]["f1"] >= baseline[level] - TOLERANCE, (level, result[level], baseline[level])
    assert result["date_accuracy"] >= baseline["date_accuracy"] - TOLERANCE
