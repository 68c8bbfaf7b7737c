"""`parley eval` reads both styles of sources CSV and scores with the project's scorer."""

from __future__ import annotations

import json
from pathlib import Path

from etl.evaluate import evaluate, read_sources, render


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_sources_csv_with_id_or_file_columns_and_missing_texts(tmp_path: Path) -> None:
    _write(tmp_path / "a1.txt", "text")
    by_id = _write(tmp_path / "dev.csv", "id,url,outlet,title,published\na1,,Wire,T,2024-01-02\na2,,Wire,T,2024-01-03\n")
    rows, missing = read_sources(by_id, tmp_path)
    assert [(r.doc, r.published.isoformat()) for r in rows] == [("a1", "2024-01-02")] and missing == ["a2"]
    by_file = _write(tmp_path / "seeds.csv", "file,outlet,url,published\na1.txt,Wire,,2024-01-02\n")
    rows, missing = read_sources(by_file, tmp_path)
    assert [r.doc for r in rows] == ["a1"] and missing == []


def test_a_perfect_and_an_empty_prediction_score_as_expected(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    _write(texts / "x1.txt", "Kremlin spokesman Dmitry Peskov said Russia remains open to talks with Ukraine.\n")
    sources = _write(tmp_path / "s.csv", "id,outlet,published\nx1,Wire,2024-06-14\n")
    gold = _write(tmp_path / "gold.jsonl", json.dumps({
        "doc": "x1", "actor_code": "RUSGOV", "action_code": "036", "target_code": "UKRGOV",
        "event_date": "2024-06-07", "event_date_end": "2024-06-14", "conditions": [], "optional": False}) + "\n")
    result = evaluate(gold, texts, sources)
    assert result.result["core"]["f1"] == 1.0 and result.result["date_accuracy"] == 1.0
    assert "per document" in render(result)
    wrong = _write(tmp_path / "gold2.jsonl", json.dumps({
        "doc": "x1", "actor_code": "USAGOV", "action_code": "190", "target_code": None,
        "event_date": "2024-06-07", "event_date_end": "2024-06-14", "conditions": []}) + "\n")
    assert evaluate(wrong, texts, sources).result["core"]["f1"] == 0.0
