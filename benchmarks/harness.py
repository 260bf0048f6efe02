"""Side-by-side timing: the machine is shared and noisy, so candidates run interleaved, round by
round, and only medians and ratios measured in the same run are reported."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Candidate = Callable[[], float | None] | list[str]


@dataclass
class Result:
    name: str
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def measure(candidate: Candidate) -> float:
    """Seconds for one run. A command is timed as a subprocess; a function may return its own
    figure (seconds) when only part of what it does should count, else its wall time is taken."""
    start = time.perf_counter()
    if isinstance(candidate, list):
        subprocess.run(candidate, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start
    own = candidate()
    return own if own is not None else time.perf_counter() - start


def compare(candidates: dict[str, Candidate], rounds: int = 5, warmup: int = 1) -> list[Result]:
    """Run each candidate once per round, in rotating order, and collect the times."""
    results = {name: Result(name) for name in candidates}
    names = list(candidates)
    for round_index in range(warmup + rounds):
        order = names[round_index % len(names):] + names[: round_index % len(names)]
        for name in order:
            seconds = measure(candidates[name])
            if round_index >= warmup:
                results[name].samples.append(seconds)
    return list(results.values())


def table(title: str, results: list[Result], baseline: str | None = None, unit: str = "ms") -> str:
    """Medians, spread and the ratio of each median to the baseline's (the first by default)."""
    scale = {"s": 1.0, "ms": 1e3, "us": 1e6}[unit]
    base = next(r for r in results if r.name == (baseline or results[0].name))
    lines = [f"## {title}", f"| candidate | median {unit} | min–max {unit} | ratio to {base.name} |", "|---|---|---|---|"]
    for r in results:
        lines.append(
            f"| {r.name} | {r.median * scale:.1f} | {min(r.samples) * scale:.1f}–{max(r.samples) * scale:.1f} "
            f"| {ratio(r.median, base.median)} |"
        )
    return "\n".join(lines)


def python_command(*args: str) -> list[str]:
    return [sys.executable, *args]


def ratio(value: float, base: float) -> str:
    """value/base as "1.23×"; a baseline of 0 (e.g. a lateness that never happened) has no ratio."""
    return f"{value / base:.2f}×" if base else "—"
