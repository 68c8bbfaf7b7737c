"""On-demand benchmarks of Parley: a corpus generator and a harness that measures extraction and whole runs.

Never part of the unit-test suite's timings; see benchmarks/README.md.
"""
