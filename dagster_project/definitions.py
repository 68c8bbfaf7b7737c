"""The code location: everything under defs/, bound to the default resources.

pipeline() is the same assets and checks without resources, so run_pipeline can bind
its own folders to the very definitions `dagster dev` serves. It is a function, not a
second module-level Definitions, because a code location may hold only one.
"""

from __future__ import annotations

from functools import cache

import dagster as dg

import dagster_project.defs
from dagster_project.defs.resources import ParleyPaths


@cache
def pipeline() -> dg.Definitions:
    return dg.load_defs(defs_root=dagster_project.defs)


defs = pipeline().with_resources({"paths": ParleyPaths()})
