"""The code location: the assets and checks under defs/, bound to the default resources.

The package loaders pick up assets and checks only, so the release job, the sources
sensor and the daily schedule (defs/automation.py) are listed by name.

pipeline() is the same assets and checks without resources, so run_pipeline can bind
its own folders to the very definitions `dagster dev` serves. It is a function, not a
second module-level Definitions, because a code location may hold only one.

defs/ is read with the stable package loaders: dg.load_from_defs_folder would need a
[tool.dg] project section in pyproject.toml, and dg.load_defs is deprecated.
"""

from __future__ import annotations

from functools import cache

import dagster as dg

import dagster_project.defs
from dagster_project.defs import automation
from dagster_project.defs.resources import ParleyCoding, ParleyPaths


@cache
def pipeline() -> dg.Definitions:
    return dg.Definitions(
        assets=dg.load_assets_from_package_module(dagster_project.defs),
        asset_checks=dg.load_asset_checks_from_package_module(dagster_project.defs),
        jobs=[automation.parley_release],
        sensors=[automation.parley_sources_sensor],
        schedules=[automation.daily_release],
    )


defs = pipeline().with_resources({"paths": ParleyPaths(), "coding": ParleyCoding()})
