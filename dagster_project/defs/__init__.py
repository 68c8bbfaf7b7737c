"""Dagster definitions of the pipeline, loaded by dagster_project.definitions: assets, checks, resources."""
