"""Ratio benchmarks: `make bench` (python -m benchmarks) runs every benchmarks/bench_*.py."""
