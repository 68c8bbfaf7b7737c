"""The sources sensor, the daily schedule and the cluster code location, evaluated by Dagster itself.

Every tick runs the real sensor against a real folder of texts and a real (ephemeral)
Dagster instance; the cluster definitions are resolved and their executor config
validated and turned into a Kubernetes Job the way dagster-k8s builds one, without a
cluster.
"""

from __future__ import annotations

import datetime as dt
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

import dagster as dg
from dagster_project import definitions
from dagster_project.cluster import ClusterSettings, cluster_definitions
from dagster_project.defs.automation import CorpusState, daily_release, parley_sources_sensor
from dagster_project.defs.resources import ParleyPaths

MANIFEST = """version: 1
sources:
  - id: "one"
    path: texts/one.txt
    outlet: Test Outlet
  - id: "more"
    glob: "more/*.txt"
    outlet: Test Outlet
"""


@pytest.fixture(scope="module")
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.ephemeral() as instance:
        yield instance


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "texts").mkdir()
    (tmp_path / "more").mkdir()
    (tmp_path / "texts" / "one.txt").write_text("Moscow said it was ready to talk.\n", encoding="utf-8")
    (tmp_path / "more" / "a.txt").write_text("Kyiv rejected the proposal.\n", encoding="utf-8")
    (tmp_path / "more" / "b.txt").write_text("Ankara offered to mediate.\n", encoding="utf-8")
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    return manifest


def tick(sources: Path, cursor: str | None, instance: dg.DagsterInstance):
    context = dg.build_sensor_context(
        cursor=cursor, instance=instance, resources={"paths": ParleyPaths(sources_manifest=str(sources))}
    )
    return parley_sources_sensor.evaluate_tick(context)


def requested(data) -> dg.RunRequest:
    assert data.skip_message is None, data.skip_message
    assert len(data.run_requests) == 1
    assert data.cursor
    return data.run_requests[0]


def test_first_tick_requests_a_release_and_an_unchanged_corpus_is_skipped(corpus: Path, instance) -> None:
    first = tick(corpus, None, instance)
    request = requested(first)
    assert request.run_key.startswith("sources-1-")
    assert request.tags["parley/trigger"] == "sources"
    assert request.tags["parley/sources_added"] == "3"

    second = tick(corpus, first.cursor, instance)
    assert second.run_requests == []
    assert "no source changed" in second.skip_message
    assert "3 sources" in second.skip_message


def test_a_new_file_in_a_glob_requests_again(corpus: Path, instance) -> None:
    first = tick(corpus, None, instance)
    (corpus.parent / "more" / "c.txt").write_text("Beijing called for restraint.\n", encoding="utf-8")
    again = requested(tick(corpus, first.cursor, instance))
    assert again.tags["parley/sources_added"] == "1"
    assert again.tags["parley/sources_changed"] == "0"
    assert again.run_key != requested(first).run_key


def test_changed_bytes_are_noticed_even_with_the_same_size_and_mtime(corpus: Path, instance) -> None:
    first = tick(corpus, None, instance)
    text = corpus.parent / "more" / "a.txt"
    stat = text.stat()
    text.write_text("Kyiv accepted the proposal.\n", encoding="utf-8")
    os.utime(text, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert text.stat().st_size == stat.st_size and text.stat().st_mtime_ns == stat.st_mtime_ns

    again = requested(tick(corpus, first.cursor, instance))
    assert again.tags["parley/sources_changed"] == "1"


def test_a_touched_but_unchanged_file_is_not_a_change(corpus: Path, instance) -> None:
    first = tick(corpus, None, instance)
    os.utime(corpus.parent / "texts" / "one.txt", (1_900_000_000, 1_900_000_000))
    assert tick(corpus, first.cursor, instance).run_requests == []


def test_a_removed_file_and_a_manifest_edit_request_again(corpus: Path, instance) -> None:
    first = tick(corpus, None, instance)
    (corpus.parent / "more" / "b.txt").unlink()
    removed = tick(corpus, first.cursor, instance)
    assert requested(removed).tags["parley/sources_removed"] == "1"

    corpus.write_text(MANIFEST.replace("Test Outlet", "Other Outlet"), encoding="utf-8")
    edited = requested(tick(corpus, removed.cursor, instance))
    assert edited.tags["parley/sources_added"] == edited.tags["parley/sources_changed"] == "0"


def test_a_corpus_restored_to_an_earlier_state_gets_a_new_run_key(corpus: Path, instance) -> None:
    extra = corpus.parent / "more" / "c.txt"
    first = tick(corpus, None, instance)
    extra.write_text("Beijing called for restraint.\n", encoding="utf-8")
    second = tick(corpus, first.cursor, instance)
    extra.unlink()
    third = tick(corpus, second.cursor, instance)
    keys = [requested(data).run_key for data in (first, second, third)]
    assert len(set(keys)) == 3


def test_the_same_cursor_gives_the_same_run_key(corpus: Path, instance) -> None:
    first = tick(corpus, None, instance)
    assert requested(tick(corpus, None, instance)).run_key == requested(first).run_key


def test_an_unreadable_manifest_is_a_skip_naming_the_file(corpus: Path, instance) -> None:
    first = tick(corpus, None, instance)
    corpus.write_text("version: 1\nsources: [\n", encoding="utf-8")
    broken = tick(corpus, first.cursor, instance)
    assert broken.run_requests == []
    assert str(corpus) in broken.skip_message
    assert broken.cursor == first.cursor

    missing = corpus.parent / "nowhere.yaml"
    assert str(missing) in tick(missing, first.cursor, instance).skip_message

    corpus.write_text(MANIFEST, encoding="utf-8")
    assert tick(corpus, first.cursor, instance).run_requests == []


def test_a_file_over_the_size_cap_is_fingerprinted_by_size_without_being_read(corpus: Path) -> None:
    big = corpus.parent / "more" / "a.txt"
    capped = CorpusState.read(corpus, max_bytes=8)
    assert capped.sources["more:a"] == f"too_large:{big.stat().st_size}"
    assert len(CorpusState.read(corpus).sources["more:a"]) == 16


def test_an_unusable_cursor_requests_a_run(corpus: Path, instance) -> None:
    for cursor in ("not json", '{"v": 99}', "[]"):
        assert requested(tick(corpus, cursor, instance)).run_key.startswith("sources-1-")


def test_a_folder_without_a_manifest_is_watched_too(tmp_path: Path, instance) -> None:
    (tmp_path / "a.txt").write_text("Moscow said it was ready to talk.\n", encoding="utf-8")
    first = tick(tmp_path, None, instance)
    assert requested(first).tags["parley/sources_added"] == "1"
    (tmp_path / "b.txt").write_text("Kyiv rejected the proposal.\n", encoding="utf-8")
    assert requested(tick(tmp_path, first.cursor, instance)).tags["parley/sources_added"] == "1"


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("content-type", "text/plain")
        self.end_headers()
        self.wfile.write(b"Moscow said it was ready to talk.")

    def log_message(self, *args: object) -> None:
        return None


def test_url_sources_are_never_fetched_but_their_entries_are_watched(tmp_path: Path, instance) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/article"
        manifest = tmp_path / "manifest.yaml"
        entry = 'version: 1\nsources:\n  - id: "web"\n    fetch: {url}\n    outlet: Web\n'
        manifest.write_text(entry.format(url=url), encoding="utf-8")
        first = tick(manifest, None, instance)
        assert requested(first).tags["parley/sources_added"] == "1"
        assert tick(manifest, first.cursor, instance).run_requests == []

        manifest.write_text(entry.format(url=url + "?page=2"), encoding="utf-8")
        assert requested(tick(manifest, first.cursor, instance)).tags["parley/sources_changed"] == "1"
        assert _Recorder.requests == []
    finally:
        server.shutdown()


def test_the_schedule_requests_the_release_job_daily_at_six_utc(instance) -> None:
    context = dg.build_schedule_context(
        instance=instance, scheduled_execution_time=dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC)
    )
    data = daily_release.evaluate_tick(context)
    assert len(data.run_requests) == 1
    assert data.run_requests[0].tags["parley/trigger"] == "schedule"
    assert daily_release.job_name == "parley_release"
    assert daily_release.cron_schedule == "0 6 * * *"
    assert daily_release.execution_timezone == "UTC"


def test_sensor_and_schedule_are_registered_and_stopped_by_default() -> None:
    defs = definitions.defs
    sensor = defs.resolve_sensor_def("parley_sources_sensor")
    schedule = defs.resolve_schedule_def("parley_daily_release")
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    assert sensor.job_name == schedule.job_name == "parley_release"


def test_the_release_job_runs_every_asset_and_check_parley_run_does() -> None:
    defs = definitions.defs
    job = defs.resolve_job_def("parley_release")
    assert set(job.graph.node_dict) == set(defs.resolve_implicit_global_asset_job_def().graph.node_dict)
    expected = {"documents", "event_mentions", "resolved", "release", "events_events_pass_quality_suite"}
    assert expected <= set(job.graph.node_dict)
    assert job.run_tags["parley/serial"] == "work-folder"


def test_the_k8s_code_location_loads_with_the_k8s_executor_and_the_shared_volume() -> None:
    from dagster_k8s import DagsterK8sJobConfig, construct_dagster_k8s_job

    settings = ClusterSettings(data_dir="/mnt/parley", volume_claim="corpus-claim", step_cpus=3)
    defs = cluster_definitions(settings)
    dg.Definitions.validate_loadable(defs)
    job = defs.resolve_job_def("parley_release")
    assert job.executor_def.name == "k8s"
    assert defs.resolve_sensor_def("parley_sources_sensor").default_status == dg.DefaultSensorStatus.STOPPED
    assert defs.resources["paths"].sources_manifest == "/mnt/parley/sources/manifest.yaml"
    assert defs.resources["paths"].work_dir == "/mnt/parley/work"
    assert defs.resources["coding"].workers == 3

    config = dg.validate_run_config(job)["execution"]["k8s"]
    pod = construct_dagster_k8s_job(
        DagsterK8sJobConfig(
            job_image="parley:test",
            dagster_home="/opt/dagster/dagster_home",
            instance_config_map="dagster-instance",
            volume_mounts=config["volume_mounts"],
            volumes=config["volumes"],
            env_vars=config["env_vars"],
            resources=config["resources"],
        ),
        args=["dagster", "api", "execute_step"],
        job_name="parley-step",
    ).spec.template.spec
    assert [v.persistent_volume_claim.claim_name for v in pod.volumes if v.persistent_volume_claim] == ["corpus-claim"]
    container = pod.containers[0]
    assert [(m.name, m.mount_path) for m in container.volume_mounts] == [("parley-data", "/mnt/parley")]
    env = {e.name: e.value for e in container.env}
    assert env["PARLEY_DATA"] == "/mnt/parley" and env["PARLEY_STEP_CPUS"] == "3"
    assert container.resources.requests["cpu"] == "3"


def test_the_celery_code_location_loads_with_the_celery_executor() -> None:
    defs = cluster_definitions(ClusterSettings(executor="celery", celery_broker="redis://broker:6379/0"))
    dg.Definitions.validate_loadable(defs)
    job = defs.resolve_job_def("parley_release")
    assert job.executor_def.name == "celery"
    assert dg.validate_run_config(job)["execution"]["celery"]["broker"] == "redis://broker:6379/0"


def test_the_cluster_module_loads_from_its_environment() -> None:
    from dagster_project import cluster

    dg.Definitions.validate_loadable(cluster.defs)
    env = {"PARLEY_EXECUTOR": "celery", "PARLEY_DATA": "/srv/parley", "PARLEY_STEP_CPUS": ""}
    settings = ClusterSettings.from_env(env)
    assert (settings.executor, settings.data_dir, settings.step_cpus) == ("celery", "/srv/parley", 2)
    with pytest.raises(ValueError, match="k8s, celery"):
        ClusterSettings.from_env({"PARLEY_EXECUTOR": "spark"})
