"""The benchmark harness at tiny sizes, for correctness only: what it writes and reports, never how fast."""

from __future__ import annotations

import json
import random

import pytest

from benchmarks.cli import main as bench_main
from benchmarks.corpus import (
    MANIFEST_NAME,
    Sources,
    generate_corpus,
    load_sources,
    write_corpus,
)
from benchmarks.harness import Options, run_benchmark
from benchmarks.report import UNITS, build_report, render_table
from benchmarks.variation import (
    Shift,
    draw_swaps,
    names_from,
    shift_dates,
    swap_names,
    vary_weekdays,
)
from etl.actors import default_actors
from etl.documents import load_corpus
from etl.manifest import load_manifest


@pytest.fixture(scope="module")
def sources() -> Sources:
    return load_sources()


def test_corpus_is_written_in_the_manifest_format_and_loads(sources, tmp_path):
    documents = generate_corpus(4, seed=3, sources=sources)
    manifest = write_corpus(documents, tmp_path)

    assert manifest == tmp_path / MANIFEST_NAME
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == [f"{d.doc_id}.txt" for d in documents]
    entries = load_manifest(manifest).sources
    assert [e.id for e in entries] == [d.doc_id for d in documents]
    assert all(e.published is not None and e.url for e in entries)
    loaded, rejections = load_corpus(manifest)
    assert len(loaded) == 4 and rejections == []
    assert all(300 <= len(item.text.split()) <= 2500 for item in loaded)


def test_corpus_is_deterministic_and_grows_by_appending(sources):
    first = generate_corpus(4, seed=3, sources=sources)

    assert generate_corpus(4, seed=3, sources=sources) == first
    assert generate_corpus(5, seed=3, sources=sources)[:4] == first
    assert [d.text for d in generate_corpus(4, seed=4, sources=sources)] != [d.text for d in first]
    assert len({d.text for d in generate_corpus(12, seed=3, sources=sources)}) == 12


def test_dates_move_by_the_shift_and_keep_their_form():
    shift = Shift(years=-1, days=10)
    text = "On May 25, 2024 and 2025-05-11, on 17 March and in March 2014, since 2014, not $2014 or 2,014."

    assert shift_dates(text, shift, reference_year=2024) == (
        "On June 4, 2023 and 2024-05-21, on 27 March and in March 2013, since 2013, not $2014 or 2,014."
    )


def test_weekdays_are_redrawn_deterministically():
    text = "Talks on Monday, a vote on Friday."
    assert vary_weekdays(text, random.Random(1)) == vary_weekdays(text, random.Random(1))
    assert "day" in vary_weekdays(text, random.Random(1))


def test_name_swaps_keep_titles_and_use_surnames_for_surnames():
    dictionary = default_actors()
    names = names_from(dictionary)
    text = "Russian Foreign Minister Sergei Lavrov met reporters. Lavrov said little."
    matches = dictionary.find(text)
    swaps = {"lavrov": "putin"}

    assert swap_names(text, matches, swaps, names) == "Russian Foreign Minister Vladimir Putin met reporters. Putin said little."
    drawn = draw_swaps(["lavrov", "lavrov", "rus"], names, random.Random(0))
    assert set(drawn) == {"lavrov", "rus"}
    assert names.kinds[drawn["lavrov"]] == "person" and names.kinds[drawn["rus"]] == "country"


def _figures_are_positive(section: dict) -> None:
    for key, value in section.items():
        if isinstance(value, dict):
            _figures_are_positive(value)
        elif isinstance(value, float):
            assert value > 0, key


def test_harness_reports_extraction_and_reference_figures(tmp_path):
    out = tmp_path / "report.json"
    code = bench_main(["--docs", "3", "--extraction-only", "--out", str(out), "--keep", str(tmp_path / "kept")])

    report = json.loads(out.read_text())
    assert code == 0
    assert (tmp_path / "kept" / "corpus" / MANIFEST_NAME).exists()
    assert report["corpus"]["documents"] == 3 and report["corpus"]["rejected"] == 0
    extraction = report["extraction"]
    assert {f"{unit}_per_s" for unit in UNITS} <= set(extraction)
    assert set(extraction["stages"]) == {"load_corpus", "model_load", "extract"}
    assert extraction["peak_rss_mib"] > 0 and extraction["mentions"] > 0
    assert report["reference"]["words_per_s"] > 0 and report["extraction_to_reference"] > 0
    _figures_are_positive(report)


def test_harness_refuses_a_folder_it_would_mix_with(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(ValueError, match="not empty"):
        run_benchmark(Options(docs=1, keep=tmp_path))


def _run(seconds: float) -> dict:
    return {
        "ok": True, "errors": [], "documents_read": 4, "documents_coded": 1, "documents_reused": 3, "mentions": 9,
        "events": 8, "seconds": seconds, "stages": {"documents": 0.5, "event_mentions": 2.0},
        "peak_rss_mib": 500.0, "peak_child_rss_mib": 200.0,
    }


def test_report_has_every_section_and_figure():
    extraction = {"documents": 3, "words": 3000, "sentences": 150, "rejected": 0, "mentions": 9,
                  "stages": {"load_corpus": 0.5, "model_load": 2.0, "extract": 3.0}, "reference_seconds": 0.05,
                  "peak_rss_mib": 200.0}
    parallel = {"workers": 2, "mentions": 9, "seconds": 2.0, "peak_rss_mib": 150.0, "peak_child_rss_mib": 210.0}
    settings = {"docs": 3, "seed": 0, "workers": 2, "incremental": 1, "python": "3", "platform": "x", "cpus": 2}

    report = build_report(settings, 1.5, extraction, parallel, _run(10.0), (1, _run(4.0)))

    assert set(report) == {"settings", "corpus", "extraction", "reference", "extraction_to_reference",
                           "extraction_parallel", "whole_run", "incremental"}
    for section in ("extraction", "extraction_parallel", "whole_run"):
        assert {"seconds", "peak_rss_mib", *(f"{unit}_per_s" for unit in UNITS)} <= set(report[section])
    assert report["extraction"]["words_per_s"] == 1000.0
    assert report["extraction_to_reference"] == 60.0
    assert report["extraction_parallel"]["speedup"] == 1.5
    assert report["incremental"]["fraction_of_full"] == 0.4
    _figures_are_positive(report)
    table = render_table(report)
    assert "whole run" in table and "2 workers" in table and "0.40 of the full run" in table
    assert json.loads(json.dumps(report)) == report
