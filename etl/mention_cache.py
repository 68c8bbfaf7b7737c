"""Mentions already coded, keyed by document content and by the coder that coded them.

A run re-codes only documents whose key it has not seen: the key hashes the document's
record and cleaned text, and the cache lives under a fingerprint of the coder (its code,
dictionaries, code tables and parser model), so changing any of them starts afresh
instead of serving stale codings. Stored as two Parquet files per fingerprint: the keys
coded (a document may have no mentions) and the mentions, in the mentions table's layout.
"""

from __future__ import annotations

import ast
import hashlib
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import polars as pl

from etl import nlp
from etl.documents import LoadedDocument

ETL_DIR = Path(__file__).resolve().parent
KEY = "cache_key"
_CODER_DATA = ("dictionaries/*", "codebook/*")


def _etl_imports(module: str) -> set[str]:
    """The etl modules a module of etl imports, read from its source (no import needed)."""
    tree = ast.parse((ETL_DIR / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "etl":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("etl."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("etl.")}
    return {name for name in found if (ETL_DIR / f"{name}.py").is_file()}


def coder_modules() -> list[str]:
    """etl.extract and every etl module it depends on: exactly the code that decides a document's mentions."""
    seen: set[str] = set()
    todo = ["extract"]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(_etl_imports(module) - seen)
    return sorted(seen)


def coder_fingerprint() -> str:
    """A hash of everything that decides a document's mentions (the coder's modules, its data files
    and the parser model), so that a change elsewhere (release writing, say) keeps the cache."""
    digest = hashlib.sha256()
    files = [ETL_DIR / f"{module}.py" for module in coder_modules()]
    files += sorted(path for pattern in _CODER_DATA for path in ETL_DIR.glob(pattern) if path.is_file())
    for path in files:
        digest.update(path.relative_to(ETL_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(f"{nlp.MODEL}=={metadata.version(nlp.MODEL)}".encode())
    return digest.hexdigest()[:16]


def document_key(loaded: LoadedDocument) -> str:
    """What a document's mentions depend on: its record (id, outlet, dates) and its cleaned text."""
    record = loaded.document.model_dump_json().encode()
    return hashlib.sha256(record + b"\0" + loaded.text.encode()).hexdigest()


@dataclass(frozen=True)
class CachedMentions:
    keys: frozenset[str]
    mentions: pl.DataFrame  # the mentions table's columns plus KEY

    @classmethod
    def empty(cls, layout: pl.DataFrame) -> CachedMentions:
        """Nothing cached, in the mentions layout of `layout` plus KEY."""
        return cls(frozenset(), layout.clear().with_columns(pl.lit(None, pl.String).alias(KEY)))


class MentionCache:
    """One folder per coder fingerprint under `root`; other fingerprints are removed on save."""

    def __init__(self, root: Path, fingerprint: str) -> None:
        self.root = root
        self.folder = root / fingerprint

    def load(self, layout: pl.DataFrame) -> CachedMentions:
        """What the cache holds; `layout` is the mentions layout to use when it holds nothing.
        An unreadable cache is treated as empty: it is only a shortcut, never the record."""
        try:
            keys = pl.read_parquet(self.folder / "keys.parquet").get_column(KEY).to_list()
            mentions = pl.read_parquet(self.folder / "mentions.parquet")
        except (OSError, pl.exceptions.PolarsError):
            return CachedMentions.empty(layout)
        return CachedMentions(frozenset(keys), mentions)

    def save(self, keys: list[str], mentions: pl.DataFrame) -> None:
        """Replace the cache with exactly these keys and mentions, written aside and renamed into place."""
        self.root.mkdir(parents=True, exist_ok=True)
        staging = self.root / f".{self.folder.name}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        pl.DataFrame({KEY: sorted(set(keys))}, schema={KEY: pl.String}).write_parquet(staging / "keys.parquet")
        mentions.write_parquet(staging / "mentions.parquet", compression="zstd")
        for old in self.root.iterdir():
            if old != staging:
                shutil.rmtree(old, ignore_errors=True)
        staging.rename(self.folder)
