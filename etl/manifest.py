"""The sources manifest: which texts make up the corpus and what is known about each.

The manifest is edited by hand, so a mistake must be reported where the editor can fix
it (file, line, field) and before anything is read: a run that fails on document 900
because of a typo in entry 3 wastes everyone's time. The models forbid unknown keys so
that a misspelt field (``pubished:``) is an error, not a silently missing date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

ID_PATTERN = r"^[A-Za-z0-9_.:-]+$"
LANGUAGE_PATTERN = r"^[a-z]{2}$"
URL_SCHEMES = ("http", "https")
LOCATION_KEYS = ("path", "glob", "fetch")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text.

    PyYAML turns 2024-02-30 into a constructor crash without a line number; reading
    dates as strings lets the model reject them with file, line and field like any
    other bad value.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    message: str


class ManifestError(ValueError):
    """A manifest that cannot be used; ``problems`` lists every finding, each with its line and field."""

    def __init__(self, file: Path, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        super().__init__("\n".join(f"{file}:{p.line}: {p.field}: {p.message}" for p in problems))


def _parse_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"expected a date YYYY-MM-DD, got {value!r} ({exc})") from None
    raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")


def _check_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme.lower() not in URL_SCHEMES:
        raise ValueError(f"unsupported URL scheme {parts.scheme or '(none)'!r} in {value!r}; expected http or https")
    if not parts.netloc:
        raise ValueError(f"URL {value!r} has no host")
    return value


def _inside(folder: Path, relative: str) -> bool:
    root = folder.resolve()
    return (root / relative).resolve().is_relative_to(root)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Defaults(_Strict):
    """Values an entry inherits when it does not set them itself."""

    outlet: str | None = None
    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    translated_from: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    published_is_estimate: bool | None = None


class SourceEntry(_Strict):
    """One manifest entry: a file, a folder glob, or a URL, and what is known about it."""

    id: str = Field(pattern=ID_PATTERN)
    path: str | None = None
    glob: str | None = None
    fetch: str | None = None
    id_from: Literal["entry", "stem"] = "entry"
    outlet: str = Field(min_length=1)
    url: str | None = None
    published: dt.date | None = None
    published_is_estimate: bool = False
    language: str = Field(default="en", pattern=LANGUAGE_PATTERN)
    translated_from: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    notes: str | None = None

    @field_validator("published", mode="before")
    @classmethod
    def _date(cls, value: Any) -> dt.date | None:
        return _parse_date(value)

    @field_validator("fetch", "url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return _check_url(value)

    @field_validator("path", "glob")
    @classmethod
    def _stays_inside(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        pure = PurePosixPath(value)
        if pure.is_absolute() or Path(value).is_absolute() or ".." in pure.parts:
            raise ValueError(f"{value!r} escapes the manifest's folder; give a path relative to it without '..'")
        folder = (info.context or {}).get("folder")
        if folder is not None:
            fixed = value if info.field_name == "path" else _fixed_prefix(value)
            if not _inside(folder, fixed):
                raise ValueError(f"{value!r} resolves outside the manifest's folder {folder}")
        return value

    @field_validator("id_from")
    @classmethod
    def _glob_only(cls, value: str, info: ValidationInfo) -> str:
        if value == "stem" and info.data.get("glob") is None:
            raise ValueError("id_from applies to glob entries only")
        return value

    @model_validator(mode="after")
    def _one_location(self) -> SourceEntry:
        given = [key for key in LOCATION_KEYS if getattr(self, key) is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else "none"
            raise ValueError(f"give exactly one of {', '.join(LOCATION_KEYS)}; found {found}")
        return self


def _fixed_prefix(pattern: str) -> str:
    """The leading folders of a glob before its first wildcard, the part that must stay inside."""
    fixed: list[str] = []
    for part in PurePosixPath(pattern).parts:
        if any(ch in part for ch in "*?["):
            break
        fixed.append(part)
    return "/".join(fixed) or "."


class Manifest(_Strict):
    """A validated manifest; entries already carry the defaults they inherit."""

    version: Literal[1]
    defaults: Defaults = Field(default_factory=Defaults)
    sources: tuple[SourceEntry, ...]
    _file: Path = PrivateAttr()
    _folder: Path = PrivateAttr()

    @field_validator("sources")
    @classmethod
    def _not_empty(cls, value: tuple[SourceEntry, ...]) -> tuple[SourceEntry, ...]:
        if not value:
            raise ValueError("lists no sources")
        return value

    @model_validator(mode="before")
    @classmethod
    def _inherit_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        defaults, sources = data.get("defaults"), data.get("sources")
        if not isinstance(defaults, dict) or not isinstance(sources, list):
            return data
        inherited = {key: value for key, value in defaults.items() if key in Defaults.model_fields and value is not None}
        merged = [{**inherited, **entry} if isinstance(entry, dict) else entry for entry in sources]
        return {**data, "sources": merged}

    @property
    def file(self) -> Path:
        return self._file

    @property
    def folder(self) -> Path:
        """The folder that relative paths and globs start from."""
        return self._folder

    def located(self, file: Path, folder: Path) -> Manifest:
        """This manifest, recorded as read from ``file`` with paths relative to ``folder``."""
        self._file = file
        self._folder = folder
        return self


def _index_marks(node: yaml.Node, path: tuple[Any, ...], marks: dict[tuple[Any, ...], int], problems: list[Problem]) -> None:
    """Record the line of every key and list item, and report duplicate keys PyYAML would silently collapse."""
    marks[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                problems.append(Problem(key_node.start_mark.line + 1, _field_name(path + (key,)), "duplicate key"))
            seen.add(key)
            _index_marks(value_node, path + (key,), marks, problems)
            marks[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_marks(item, path + (index,), marks, problems)


def _field_name(loc: tuple[Any, ...]) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "(document)"


def _line_of(loc: tuple[Any, ...], marks: dict[tuple[Any, ...], int]) -> int:
    for end in range(len(loc), -1, -1):
        if loc[:end] in marks:
            return marks[loc[:end]]
    return 1


def _problems_from(error: ValidationError, marks: dict[tuple[Any, ...], int]) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "missing field" + (" (set it here or in defaults)" if loc[-1:] == ("outlet",) else "")
        elif item["type"] == "extra_forbidden":
            message = "unknown key"
        problems.append(Problem(_line_of(loc, marks), _field_name(loc), message))
    return problems


def _duplicate_ids(manifest: Manifest, marks: dict[tuple[Any, ...], int]) -> list[Problem]:
    first_line: dict[str, int] = {}
    problems = []
    for index, entry in enumerate(manifest.sources):
        line = _line_of(("sources", index, "id"), marks)
        if entry.id in first_line:
            problems.append(Problem(line, f"sources[{index}].id", f"duplicate id {entry.id!r} (first on line {first_line[entry.id]})"))
        else:
            first_line[entry.id] = line
    return problems


def load_manifest(path: Path) -> Manifest:
    """Read and validate a manifest; raise ManifestError listing every problem found."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(path, [Problem(1, "(file)", f"cannot read manifest: {exc}")]) from exc
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ManifestError(path, [Problem(line, "(syntax)", str(exc).replace("\n", " "))]) from exc
    if node is None:
        raise ManifestError(path, [Problem(1, "(document)", "the manifest is empty")])
    marks: dict[tuple[Any, ...], int] = {}
    problems: list[Problem] = []
    _index_marks(node, (), marks, problems)
    if problems:
        raise ManifestError(path, problems)
    try:
        manifest = Manifest.model_validate(data, context={"folder": path.parent})
    except ValidationError as exc:
        raise ManifestError(path, _problems_from(exc, marks)) from None
    problems = _duplicate_ids(manifest, marks)
    if problems:
        raise ManifestError(path, problems)
    return manifest.located(path, path.parent)
