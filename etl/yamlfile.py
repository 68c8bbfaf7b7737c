"""Reading hand-edited YAML data files so that every error can name its file and line.

The coder's knowledge lives in YAML files that people edit; a typo must be reported
where it can be fixed ("actions.yaml:212: ..."), not as a traceback from deep inside
the coder at run time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError


M = TypeVar("M", bound=BaseModel)


class DataFileError(ValueError):
    """A data file that cannot be used, with the file and line of the offending entry."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path, self.line = path, line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


def load_mapping(path: Path) -> tuple[dict[str, Any], yaml.MappingNode]:
    """The file's top-level mapping and its node tree (the tree holds the line numbers)."""
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, None, f"cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataFileError(path, mark.line + 1 if mark else None, f"invalid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise DataFileError(path, 1, "expected a mapping at the top level")
    return data, node


def entry_lines(node: yaml.MappingNode, key: str) -> list[int]:
    """1-based line of each item of the list stored under key."""
    for key_node, value_node in node.value:
        if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value_node.value]
    return []


def validate_entries(path: Path, key: str, model: type[M]) -> tuple[dict[str, Any], list[tuple[int, M]]]:
    """Validate every item under key with model; the first bad item raises with its line and field."""
    data, node = load_mapping(path)
    items = data.get(key)
    if not isinstance(items, list):
        raise DataFileError(path, 1, f"expected a list under {key!r}")
    lines = entry_lines(node, key)
    entries = []
    for line, item in zip(lines, items, strict=True):
        try:
            entries.append((line, model.model_validate(item)))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "(entry)"
            raise DataFileError(path, line, f"{key} entry: {field}: {first['msg']}") from exc
    return data, entries
