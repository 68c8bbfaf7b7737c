"""The schema changes only with the version bump it needs (semantic versioning of the dataset's contract).

The first tests apply the rules to the real models and the committed schema/<version>/
folders; the rest pin the rules themselves on small hand-built schemas, compatible and
incompatible, plus two edits of the real generated schema (a removed field, a retyped
nested field) so the rules are known to see what pydantic actually writes.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from etl.models import SCHEMA_VERSION, TABLES
from etl.release import parse_version
from etl.schema import build_schema, committed_versions, read_committed_schemas
from etl.schema_compat import schema_changes, version_problems


def _current() -> dict[str, dict[str, Any]]:
    return {table: build_schema(table) for table in TABLES}


def test_the_models_differ_from_the_previous_schema_only_as_far_as_the_version_bump_allows() -> None:
    below = [v for v in committed_versions() if parse_version(v) < parse_version(SCHEMA_VERSION)]
    if not below:
        pytest.skip(f"{SCHEMA_VERSION} is the first schema version: nothing to compare with")
    previous = below[-1]
    problems = version_problems(previous, SCHEMA_VERSION, schema_changes(read_committed_schemas(previous), _current()))
    assert not problems, "etl/models.py changed the schema more than SCHEMA_VERSION says:\n" + "\n".join(problems)


def test_the_models_match_the_committed_schema_of_their_own_version() -> None:
    assert SCHEMA_VERSION in committed_versions(), f"schema/{SCHEMA_VERSION}/ is missing: generate it (etl.schema.write_schemas)"
    changes = schema_changes(read_committed_schemas(SCHEMA_VERSION), _current())
    problems = version_problems(SCHEMA_VERSION, SCHEMA_VERSION, changes)
    assert not problems, f"the models changed the published schema {SCHEMA_VERSION}; bump SCHEMA_VERSION:\n" + "\n".join(problems)


def test_every_committed_version_follows_from_the_one_before() -> None:
    versions = committed_versions()
    for old, new in itertools.pairwise(versions):
        changes = schema_changes(read_committed_schemas(old), read_committed_schemas(new))
        assert not version_problems(old, new, changes), (old, new)


def test_the_committed_versions_are_the_published_ones_and_1_0_0_is_kept() -> None:
    assert committed_versions()[0] == "1.0.0"
    assert set(read_committed_schemas("1.0.0")) == {"events", "mentions", "documents"}
    assert set(read_committed_schemas(SCHEMA_VERSION)) == set(TABLES)


# --- the rules, on hand-built schemas -------------------------------------------------


def _table(properties: dict[str, Any], required: list[str], defs: dict[str, Any] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    if defs:
        schema["$defs"] = defs
    return schema


STRING = {"type": "string"}
NULLABLE_STRING = {"anyOf": [{"type": "string"}, {"type": "null"}]}
SPAN = {"type": "object", "properties": {"start": {"type": "integer"}, "text": STRING}, "required": ["start", "text"]}
BASE = {
    "things": _table(
        {
            "thing_id": STRING,
            "when": {"type": "string", "format": "date"},
            "note": NULLABLE_STRING,
            "kind": {"type": "string", "enum": ["a", "b"]},
            "spans": {"type": "array", "items": {"$ref": "#/$defs/Span"}},
        },
        ["thing_id", "when", "kind", "spans"],
        {"Span": SPAN},
    )
}


def _edit(change: Any) -> dict[str, dict[str, Any]]:
    schemas = copy.deepcopy(BASE)
    change(schemas["things"])
    return schemas


def _described(schema: dict[str, Any]) -> None:
    schema["properties"]["thing_id"]["description"] = "The id."
    schema["$defs"]["Span"]["properties"]["text"]["title"] = "Text"


def _field_added(schema: dict[str, Any]) -> None:
    schema["properties"]["score"] = {"type": "number"}
    schema["required"].append("score")


def _nested_field_added(schema: dict[str, Any]) -> None:
    schema["$defs"]["Span"]["properties"]["end"] = {"type": "integer"}


def _value_allowed(schema: dict[str, Any]) -> None:
    schema["properties"]["kind"]["enum"].append("c")


def _made_optional(schema: dict[str, Any]) -> None:
    schema["required"].remove("when")


def test_unchanged_schemas_and_text_edits_need_no_bump() -> None:
    assert schema_changes(BASE, copy.deepcopy(BASE)) == []
    assert schema_changes(BASE, _edit(_described)) == []
    assert version_problems("1.0.0", "1.0.0", []) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_field_added, "things.score: added"),
        (_nested_field_added, "things.spans[].end: added"),
        (_value_allowed, "things.kind: allowed values added: ['c']"),
        (_made_optional, "things.when: required before, now optional"),
    ],
)
def test_additive_changes_need_a_minor_bump(edit: Any, expected: str) -> None:
    changes = schema_changes(BASE, _edit(edit))
    assert [str(c) for c in changes] == [expected] and changes[0].level == "minor"
    assert version_problems("1.2.0", "1.3.0", changes) == []
    assert version_problems("1.2.0", "2.0.0", changes) == []
    assert version_problems("1.2.0", "1.2.1", changes) == [f"{expected} needs at least a MINOR bump, but 1.2.0 -> 1.2.1 is a PATCH bump"]
    assert version_problems("1.2.0", "1.2.0", changes) == [f"{expected} needs at least a MINOR bump, but 1.2.0 -> 1.2.0 is no bump"]


def test_an_added_table_needs_a_minor_bump() -> None:
    changes = schema_changes(BASE, {**BASE, "others": _table({"other_id": STRING}, ["other_id"])})
    assert [(str(c), c.level) for c in changes] == [("others: table added", "minor")]
    assert version_problems("1.0.0", "1.1.0", changes) == []


def _removed(schema: dict[str, Any]) -> None:
    del schema["properties"]["note"]


def _renamed(schema: dict[str, Any]) -> None:
    schema["properties"]["remark"] = schema["properties"].pop("note")


def _retyped(schema: dict[str, Any]) -> None:
    schema["properties"]["when"] = {"type": "string"}


def _no_longer_nullable(schema: dict[str, Any]) -> None:
    schema["properties"]["note"] = STRING


def _made_required(schema: dict[str, Any]) -> None:
    schema["required"].append("note")


def _nested_retyped(schema: dict[str, Any]) -> None:
    schema["$defs"]["Span"]["properties"]["start"] = {"type": "string"}


def _value_dropped(schema: dict[str, Any]) -> None:
    schema["properties"]["kind"]["enum"].remove("b")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_removed, ["things.note: removed (or renamed)"]),
        (_renamed, ["things.note: removed (or renamed)", "things.remark: added"]),
        (_retyped, ["things.when: retyped from string:date to string"]),
        (_no_longer_nullable, ["things.note: retyped from null | string to string"]),
        (_made_required, ["things.note: optional before, now required"]),
        (_nested_retyped, ["things.spans[].start: retyped from integer to string"]),
        (_value_dropped, ["things.kind: allowed values dropped: ['b']"]),
    ],
)
def test_breaking_changes_need_a_major_bump_and_name_table_and_field(edit: Any, expected: list[str]) -> None:
    changes = schema_changes(BASE, _edit(edit))
    assert [str(c) for c in changes] == expected
    assert version_problems("1.2.0", "2.0.0", changes) == []
    problems = version_problems("1.2.0", "1.3.0", changes)
    assert problems and problems[0] == f"{expected[0]} needs a MAJOR bump, but 1.2.0 -> 1.3.0 is a MINOR bump"


def test_a_removed_table_needs_a_major_bump() -> None:
    changes = schema_changes({**BASE, "others": _table({"other_id": STRING}, ["other_id"])}, BASE)
    assert version_problems("1.1.0", "1.2.0", changes) == ["others: table removed needs a MAJOR bump, but 1.1.0 -> 1.2.0 is a MINOR bump"]


def test_a_removed_record_field_is_reported_once_not_with_each_nested_field() -> None:
    changes = schema_changes(BASE, _edit(lambda schema: schema["properties"].pop("spans")))
    assert [str(c) for c in changes] == ["things.spans: removed (or renamed)"]


# --- the rules, on what pydantic generates ---------------------------------------------


def test_a_field_dropped_from_a_real_model_is_caught() -> None:
    edited = _current()
    del edited["mentions"]["properties"]["plover_type"]
    edited["mentions"]["required"].remove("plover_type")
    problems = version_problems("1.1.0", "1.2.0", schema_changes(_current(), edited))
    assert problems == ["mentions.plover_type: removed (or renamed) needs a MAJOR bump, but 1.1.0 -> 1.2.0 is a MINOR bump"]


def test_a_retyped_field_of_a_shared_record_is_caught_in_every_table_that_uses_it() -> None:
    edited = _current()
    for table in ("events", "mentions"):
        edited[table]["$defs"]["Condition"]["properties"]["text"] = {"type": "integer"}
    changes = schema_changes(_current(), edited)
    assert [str(c) for c in changes] == [
        "events.conditions[].text: retyped from string to integer",
        "mentions.conditions[].text: retyped from string to integer",
    ]
    assert all(c.level == "major" for c in changes)
