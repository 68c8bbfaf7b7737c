"""The same code location for a cluster: `dagster dev -m dagster_project.cluster`, or a Helm user deployment.

Assets, checks, the release job, the sensor and the schedule are pipeline()'s own;
only the executor and the folders change. Each step then runs in its own Kubernetes
pod (dagster-k8s) or on a Celery worker (dagster-celery), so the steps no longer share
a machine: they hand their Parquet files to each other through the work folder, which
must therefore live on a volume every pod or worker mounts at the same path. The code
server mounts it too, because the sources sensor reads the manifest there.

Settings come from the environment of the code location, and are handed on to every
step pod, so that a step builds the same folders as the run that launched it:

    PARLEY_EXECUTOR        k8s (default) or celery
    PARLEY_DATA            the shared volume's mount path (default /parley), holding
                           sources/manifest.yaml, releases/ and work/
    PARLEY_VOLUME_CLAIM    the ReadWriteMany PersistentVolumeClaim mounted there (k8s; default parley-data)
    PARLEY_MAX_CONCURRENT  step pods at once within one run (k8s; default 4)
    PARLEY_STEP_CPUS       CPUs each step pod requests, and the coder processes it starts (k8s; default 2)
    PARLEY_CELERY_BROKER   the broker URL (celery; default dagster-celery's pyamqp://guest@localhost//)
    PARLEY_CELERY_BACKEND  the result backend (celery; default rpc://)

docs/cluster.md says how to deploy, what it costs and how partitions would fit.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import dagster as dg
from dagster_project import definitions
from dagster_project.defs.resources import ParleyCoding, ParleyPaths

EXECUTORS = ("k8s", "celery")
_VOLUME = "parley-data"
_BASE_MIB = 512
_PER_CODER_MIB = 384
"""Step pod memory: measured peaks are about 240 MiB for a step process and 205 MiB for each
coder process (docs/cluster.md); these leave half as much again."""


@dataclass(frozen=True)
class ClusterSettings:
    """The PARLEY_* settings, read once, so that a test can build a location without touching os.environ."""

    executor: str = "k8s"
    data_dir: str = "/parley"
    volume_claim: str = "parley-data"
    max_concurrent: int = 4
    step_cpus: int = 2
    celery_broker: str | None = None
    celery_backend: str = "rpc://"

    def __post_init__(self) -> None:
        if self.executor not in EXECUTORS:
            raise ValueError(f"PARLEY_EXECUTOR={self.executor!r}: expected one of {', '.join(EXECUTORS)}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> ClusterSettings:
        """Unset or empty variables keep the defaults."""
        given = {key: value for key, value in env.items() if value}
        default = cls()
        return cls(
            executor=given.get("PARLEY_EXECUTOR", default.executor),
            data_dir=given.get("PARLEY_DATA", default.data_dir),
            volume_claim=given.get("PARLEY_VOLUME_CLAIM", default.volume_claim),
            max_concurrent=int(given.get("PARLEY_MAX_CONCURRENT", default.max_concurrent)),
            step_cpus=int(given.get("PARLEY_STEP_CPUS", default.step_cpus)),
            celery_broker=given.get("PARLEY_CELERY_BROKER", default.celery_broker),
            celery_backend=given.get("PARLEY_CELERY_BACKEND", default.celery_backend),
        )

    def env(self) -> list[str]:
        """The settings as KEY=VALUE for step pods, which rebuild the definitions from their own environment."""
        values = {
            "PARLEY_EXECUTOR": self.executor,
            "PARLEY_DATA": self.data_dir,
            "PARLEY_VOLUME_CLAIM": self.volume_claim,
            "PARLEY_MAX_CONCURRENT": str(self.max_concurrent),
            "PARLEY_STEP_CPUS": str(self.step_cpus),
        }
        return [f"{key}={value}" for key, value in values.items()]


def cluster_paths(settings: ClusterSettings) -> ParleyPaths:
    data = PurePosixPath(settings.data_dir)
    return ParleyPaths(
        sources_manifest=str(data / "sources" / "manifest.yaml"),
        releases_dir=str(data / "releases"),
        work_dir=str(data / "work"),
    )


def cluster_resources(settings: ClusterSettings) -> dict[str, Any]:
    """The local code location's resources, with the shared volume's folders.

    On Kubernetes the coder starts as many processes as the step pod requests CPUs: its
    default, one per core it may run on, counts the node's cores, since a CPU request does
    not narrow a container's CPU set, and would start dozens of parsers in a 2-CPU pod.
    """
    resources: dict[str, Any] = {**definitions.defs.resources, "paths": cluster_paths(settings)}
    if settings.executor == "k8s":
        resources["coding"] = ParleyCoding(workers=settings.step_cpus)
    return resources


def _k8s_executor(settings: ClusterSettings) -> dg.ExecutorDefinition:
    from dagster_k8s import k8s_job_executor

    memory = _BASE_MIB + _PER_CODER_MIB * settings.step_cpus
    return k8s_job_executor.configured(
        {
            "max_concurrent": settings.max_concurrent,
            "env_vars": settings.env(),
            "volumes": [{"name": _VOLUME, "persistent_volume_claim": {"claim_name": settings.volume_claim}}],
            "volume_mounts": [{"name": _VOLUME, "mount_path": settings.data_dir}],
            "resources": {
                "requests": {"cpu": str(settings.step_cpus), "memory": f"{memory}Mi"},
                "limits": {"memory": f"{memory}Mi"},
            },
        }
    )


def _celery_executor(settings: ClusterSettings) -> dg.ExecutorDefinition:
    from dagster_celery import celery_executor

    broker = {"broker": settings.celery_broker} if settings.celery_broker else {}
    return celery_executor.configured({**broker, "backend": settings.celery_backend})


_EXECUTOR_FACTORIES: dict[str, Callable[[ClusterSettings], dg.ExecutorDefinition]] = {
    "k8s": _k8s_executor,
    "celery": _celery_executor,
}


def cluster_definitions(settings: ClusterSettings) -> dg.Definitions:
    """pipeline() with the cluster's executor and folders; ImportError names the missing extra."""
    try:
        executor = _EXECUTOR_FACTORIES[settings.executor](settings)
    except ImportError as exc:
        hint = f"the {settings.executor} executor needs the cluster extra: pip install -e '.[cluster]'"
        raise ImportError(f"{hint} ({exc})") from exc
    return dg.Definitions.merge(
        definitions.pipeline(),
        dg.Definitions(executor=executor, resources=cluster_resources(settings)),
    )


defs = cluster_definitions(ClusterSettings.from_env())
