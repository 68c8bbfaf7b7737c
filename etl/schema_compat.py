"""Which version bump a schema change needs, decided from the JSON Schemas alone.

Consumers pin a schema version and validate what they read against it, so the dataset
follows semantic versioning on its schema: a change that can break a reader (a field
removed, renamed or retyped, an optional field made required, an allowed value dropped)
needs a MAJOR bump; a change a reader can ignore (a field, table or allowed value added,
a required field made optional) needs at least a MINOR one. Text (titles, descriptions)
and value constraints (patterns, bounds) are not compared: the first cannot break a
reader, and the second is left to review.

Everything here works on plain schema dicts as etl.schema renders them, so the rules are
unit-tested on hand-built schemas and applied to the committed schema/<version>/ folders.
Nested records are compared field by field: `$ref`s are resolved, lists are followed into
their items (`evidence[].start`), and a nullable field is the union of its types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from etl.release import parse_version

Level = Literal["major", "minor"]


@dataclass(frozen=True)
class Change:
    """One difference between two schemas, with the bump it needs; field is None for a whole table."""

    table: str
    field: str | None
    level: Level
    what: str

    def __str__(self) -> str:
        where = self.table if self.field is None else f"{self.table}.{self.field}"
        return f"{where}: {self.what}"


@dataclass(frozen=True)
class _Field:
    types: tuple[str, ...]
    """JSON types, with their format when there is one ("string:date"), sorted."""
    enum: frozenset[Any] | None
    required: bool


def _fields(schema: dict[str, Any]) -> dict[str, _Field]:
    """Every field of a table schema by path ("evidence[].start"), nested records included."""
    defs = schema.get("$defs", {})
    found: dict[str, _Field] = {}

    def members(node: dict[str, Any], seen: frozenset[str]) -> list[tuple[dict[str, Any], frozenset[str]]]:
        while "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name in seen:
                return []
            seen = seen | {name}
            node = defs[name]
        if "anyOf" in node or "oneOf" in node:
            return [m for sub in node.get("anyOf", node.get("oneOf")) for m in members(sub, seen)]
        return [(node, seen)]

    def add(path: str, node: dict[str, Any], required: bool, seen: frozenset[str]) -> None:
        resolved = members(node, seen)
        types: set[str] = set()
        enum: set[Any] | None = None
        for member, member_seen in resolved:
            declared = member.get("type", [])
            for json_type in [declared] if isinstance(declared, str) else declared:
                types.add(f"{json_type}:{member['format']}" if "format" in member else json_type)
            if "enum" in member:
                enum = (enum or set()) | set(member["enum"])
            walk(member, f"{path}.", member_seen)
            if "items" in member:
                add(f"{path}[]", member["items"], True, member_seen)
        found[path] = _Field(tuple(sorted(types)), frozenset(enum) if enum is not None else None, required)

    def walk(node: dict[str, Any], prefix: str, seen: frozenset[str]) -> None:
        required = set(node.get("required", []))
        for name, prop in node.get("properties", {}).items():
            add(f"{prefix}{name}", prop, name in required, seen)

    walk(schema, "", frozenset())
    return found


def _parent(path: str) -> str | None:
    if path.endswith("[]"):
        return path[:-2]
    return path.rsplit(".", 1)[0] if "." in path else None


def _compare_table(table: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before, after = _fields(old), _fields(new)
    removed, added = before.keys() - after.keys(), after.keys() - before.keys()
    changes = [
        Change(table, path, "major", "removed (or renamed)") for path in sorted(removed) if _parent(path) not in removed
    ]
    changes += [Change(table, path, "minor", "added") for path in sorted(added) if _parent(path) not in added]
    for path in sorted(before.keys() & after.keys()):
        was, now = before[path], after[path]
        if was.types != now.types:
            changes.append(Change(table, path, "major", f"retyped from {' | '.join(was.types)} to {' | '.join(now.types)}"))
        if was.enum is not None and now.enum is not None:
            if dropped := was.enum - now.enum:
                changes.append(Change(table, path, "major", f"allowed values dropped: {sorted(dropped, key=str)}"))
            if new_values := now.enum - was.enum:
                changes.append(Change(table, path, "minor", f"allowed values added: {sorted(new_values, key=str)}"))
        if not was.required and now.required:
            changes.append(Change(table, path, "major", "optional before, now required"))
        if was.required and not now.required:
            changes.append(Change(table, path, "minor", "required before, now optional"))
    return changes


def schema_changes(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[Change]:
    """The changes from one set of table schemas (table -> JSON Schema) to another, tables in name order."""
    changes = [Change(table, None, "major", "table removed") for table in sorted(old.keys() - new.keys())]
    changes += [Change(table, None, "minor", "table added") for table in sorted(new.keys() - old.keys())]
    for table in sorted(old.keys() & new.keys()):
        changes += _compare_table(table, old[table], new[table])
    return changes


def _bump(old_version: str, new_version: str) -> str:
    old, new = parse_version(old_version), parse_version(new_version)
    if new[0] > old[0]:
        return "major"
    if new[0] == old[0] and new[1] > old[1]:
        return "minor"
    return "patch" if new > old else "none"


def version_problems(old_version: str, new_version: str, changes: list[Change]) -> list[str]:
    """What is wrong with going from old_version to new_version for these changes; empty when the bump suffices.

    MAJOR changes need the major part raised; MINOR changes need the major or minor part raised.
    """
    bump = _bump(old_version, new_version)
    problems = []
    for change in changes:
        if change.level == "major" and bump != "major":
            needs = "a MAJOR bump"
        elif change.level == "minor" and bump not in ("major", "minor"):
            needs = "at least a MINOR bump"
        else:
            continue
        problems.append(f"{change} needs {needs}, but {old_version} -> {new_version} is {_bump_words(bump)}")
    return problems


def _bump_words(bump: str) -> str:
    return {"minor": "a MINOR bump", "patch": "a PATCH bump", "none": "no bump"}[bump]
