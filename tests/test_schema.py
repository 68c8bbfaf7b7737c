"""The committed schema is what the models generate, and it accepts and rejects what it should."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from etl.models import SCHEMA_VERSION, TABLES
from etl.schema import committed_schema_path, render_schema, schema_id


@pytest.mark.parametrize("table", sorted(TABLES))
def test_committed_schema_matches_models(table: str) -> None:
    path = committed_schema_path(table)
    assert path.is_file(), f"{path} is missing: regenerate with `parley schema {table} > {path}`"
    assert path.read_text(encoding="utf-8") == render_schema(table), (
        f"{path} differs from what etl/models.py generates: a model changed without its published schema; "
        f"regenerate it (and bump SCHEMA_VERSION if the change is incompatible)"
    )


@pytest.mark.parametrize("table", sorted(TABLES))
def test_schema_is_valid_draft_2020_12_with_id_and_version(table: str) -> None:
    schema = json.loads(render_schema(table))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == schema_id(table) and SCHEMA_VERSION in schema["$id"]
    assert schema["version"] == SCHEMA_VERSION


def _mention() -> dict:
    return {
        "mention_id": "mn_0123456789abcdef", "event_id": None, "doc_id": "doc-1",
        "actor_name": "Ruritania", "actor_code": "RURGOV", "actor_country": "RUR", "actor_role": "GOV", "actor_id": None,
        "action_code": "036", "action_root": "03", "action_label": "Express intent to meet or negotiate",
        "quad_class": 1, "goldstein": 4.0, "plover_type": "AGREE", "plover_mode": None,
        "target_name": None, "target_code": None, "target_country": None, "target_role": None, "target_id": None,
        "conditions": [{"category": "no_preconditions", "text": "without preconditions"}],
        "event_date": "2024-01-02", "event_date_end": "2024-01-02", "date_precision": "day", "date_text": "on Tuesday",
        "attribution": None, "location_name": None, "location_country": None, "location_lat": None,
        "location_lon": None, "location_precision": None, "confidence": 0.8,
        "source_name": "The Daily", "source_url": None, "source_published": "2024-01-03",
        "evidence": [{"start": 0, "end": 10, "text": "0123456789"}],
    }


def test_schema_accepts_a_valid_mention_and_rejects_broken_ones() -> None:
    validator = Draft202012Validator(json.loads(render_schema("mentions")))
    assert not list(validator.iter_errors(_mention()))
    broken = [
        {**_mention(), "action_code": "36"},
        {**_mention(), "date_precision": "decade"},
        {**_mention(), "conditions": [{"category": "wishful_thinking", "text": "x"}]},
        {**_mention(), "unexpected": 1},
        {**_mention(), "evidence": []},
        {k: v for k, v in _mention().items() if k != "actor_code"},
    ]
    for record in broken:
        assert list(validator.iter_errors(record)), record
