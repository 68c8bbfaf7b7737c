"""etl/ is plain Python: Dagster is wired in only by dagster_project/."""

from __future__ import annotations

import ast
from pathlib import Path

ETL = Path(__file__).resolve().parent.parent / "etl"


def test_etl_never_imports_dagster() -> None:
    offenders = []
    for path in sorted(ETL.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("dagster", "dagster_project")]
    assert not offenders, offenders
