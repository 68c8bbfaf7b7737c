"""The benchmark's figures: throughput from counts and seconds, one JSON-ready report, and its table.

Kept apart from the measuring so that the report's shape (which the JSON consumers and the
tests rely on) is a pure function of the measured numbers.
"""

from __future__ import annotations

from typing import Any

Figures = dict[str, Any]
UNITS = ("documents", "words", "sentences")


def rates(corpus: Figures, seconds: float) -> Figures:
    """Documents, words and sentences per second of the given time."""
    return {f"{unit}_per_s": corpus[unit] / seconds for unit in UNITS}


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def _extraction(corpus: Figures, measured: Figures) -> Figures:
    seconds = measured["stages"]["extract"]
    return {
        "seconds": seconds,
        **rates(corpus, seconds),
        "stages": measured["stages"],
        "mentions": measured["mentions"],
        "peak_rss_mib": measured["peak_rss_mib"],
    }


def _parallel(corpus: Figures, measured: Figures, single_seconds: float) -> Figures:
    return {
        "workers": measured["workers"],
        "seconds": measured["seconds"],
        **rates(corpus, measured["seconds"]),
        "speedup": single_seconds / measured["seconds"],
        "mentions": measured["mentions"],
        "peak_rss_mib": measured["peak_rss_mib"],
        "peak_child_rss_mib": measured["peak_child_rss_mib"],
    }


def _whole_run(corpus: Figures, measured: Figures) -> Figures:
    keys = ("ok", "errors", "mentions", "events", "documents_coded", "stages", "peak_rss_mib", "peak_child_rss_mib")
    return {"seconds": measured["seconds"], **rates(corpus, measured["seconds"]), **{key: measured[key] for key in keys}}


def _incremental(added: int, first: Figures, second: Figures) -> Figures:
    keys = ("ok", "errors", "documents_read", "documents_coded", "documents_reused", "stages", "peak_rss_mib")
    return {
        "added": added,
        "seconds": second["seconds"],
        "fraction_of_full": second["seconds"] / first["seconds"],
        **{key: second[key] for key in keys},
    }


def build_report(
    settings: Figures,
    generate_seconds: float,
    extraction: Figures,
    parallel: Figures | None = None,
    whole_run: Figures | None = None,
    incremental: tuple[int, Figures] | None = None,
) -> Figures:
    """One report from the scenarios' raw figures; a scenario that was not run has no section.

    Rates of the whole run use the corpus counts of the extraction scenario: both read the same manifest.
    """
    reference = extraction["reference_seconds"]
    corpus = {unit: extraction[unit] for unit in UNITS}
    corpus |= {"rejected": extraction["rejected"], "generate_seconds": generate_seconds}
    report: Figures = {
        "settings": settings,
        "corpus": corpus,
        "extraction": _extraction(corpus, extraction),
        "reference": {"seconds": reference, "words_per_s": corpus["words"] / reference},
        "extraction_to_reference": extraction["stages"]["extract"] / reference,
    }
    if parallel is not None:
        report["extraction_parallel"] = _parallel(corpus, parallel, extraction["stages"]["extract"])
    if whole_run is not None:
        report["whole_run"] = _whole_run(corpus, whole_run)
        if incremental is not None:
            report["incremental"] = _incremental(incremental[0], whole_run, incremental[1])
    return _rounded(report)


def _row(label: str, section: Figures) -> str:
    return (f"{label:<26} {section['seconds']:>9.2f} {section['documents_per_s']:>9.2f} {section['words_per_s']:>10,.0f} "
            f"{section['sentences_per_s']:>9.1f} {section['peak_rss_mib']:>9.0f}")


def _child(section: Figures) -> str:
    """The largest child process's peak, when the scenario started any (extraction workers)."""
    return f"  largest child {section['peak_child_rss_mib']:.0f} MiB" if section["peak_child_rss_mib"] else ""


def _stages(label: str, stages: Figures) -> str:
    return f"  {label}: " + ", ".join(f"{name} {seconds:.2f}" for name, seconds in stages.items())


def render_table(report: Figures) -> str:
    corpus, settings = report["corpus"], report["settings"]
    lines = [
        (f"Parley benchmark: {corpus['documents']} documents, {corpus['words']:,} words, {corpus['sentences']:,} sentences "
         f"(seed {settings['seed']}, {corpus['rejected']} rejected, generated in {corpus['generate_seconds']:.1f} s)"),
        "",
        f"{'scenario':<26} {'seconds':>9} {'docs/s':>9} {'words/s':>10} {'sents/s':>9} {'peak MiB':>9}",
        _row("extraction (1 process)", report["extraction"]),
    ]
    parallel = report.get("extraction_parallel")
    if parallel:
        label = f"extraction ({parallel['workers']} workers)"
        lines.append(_row(label, parallel) + f"  x{parallel['speedup']:.2f}" + _child(parallel))
    run = report.get("whole_run")
    if run:
        lines.append(_row("whole run" + ("" if run["ok"] else " (FAILED)"), run) + _child(run))
    reference = report["reference"]
    lines += [
        (f"{'reference tokenizer':<26} {reference['seconds']:>9.2f} {'':>9} {reference['words_per_s']:>10,.0f}"
         "  (spaCy blank en + sentencizer)"),
        f"extraction time / reference time: {report['extraction_to_reference']:.1f}",
        "",
        "stage seconds",
        _stages("extraction", report["extraction"]["stages"]),
    ]
    if run:
        lines.append(_stages("whole run", run["stages"]))
    incremental = report.get("incremental")
    if incremental:
        lines += [
            "",
            (f"incremental: {incremental['added']} documents added, rerun in {incremental['seconds']:.2f} s = "
             f"{incremental['fraction_of_full']:.2f} of the full run ({incremental['documents_coded']} coded, "
             f"{incremental['documents_reused']} reused, peak {incremental['peak_rss_mib']:.0f} MiB)"),
            _stages("rerun", incremental["stages"]),
        ]
    errors = (run or {}).get("errors", []) + (incremental or {}).get("errors", [])
    lines += [f"error: {error}" for error in errors]
    return "\n".join(lines)
