"""The code location: everything under defs/, bound to the default resources.

`graph` is the assets and checks without resources, so run_pipeline can bind its own
folders to the very same definitions that `dagster dev` serves.
"""

from __future__ import annotations

import dagster as dg

import dagster_project.defs
from dagster_project.defs.resources import ParleyPaths

graph = dg.load_defs(defs_root=dagster_project.defs)
defs = graph.with_resources({"paths": ParleyPaths()})
