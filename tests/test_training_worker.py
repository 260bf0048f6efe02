"""GeneratorWorker: events out as signals (frequent ones thinned), commands back in, errors reported."""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QObject

from blitzgui.ui.workers import GeneratorWorker


@dataclass
class Tick:
    n: int


@dataclass
class Milestone:
    n: int


@dataclass
class Waiting:
    n: int


class Collector(QObject):
    """Lives in the GUI thread, so the worker's signals reach it queued, as in the app."""

    def __init__(self):
        super().__init__()
        self.events, self.errors, self.done = [], [], False

    def collect(self, value):
        self.events.append(value)

    def error(self, message):
        self.errors.append(message)

    def finish(self):
        self.done = True


def start(qtbot, make, **options):
    collector = Collector()
    worker = GeneratorWorker(make, **options)
    worker.yielded.connect(collector.collect)
    worker.failed.connect(collector.error)
    worker.done.connect(collector.finish)
    worker.start()
    return worker, collector


def test_frequent_events_are_thinned_but_milestones_always_arrive(qtbot):
    def work():
        for n in range(2000):
            time.sleep(0.0002)
            yield Milestone(n) if n % 100 == 0 else Tick(n)

    worker, got = start(qtbot, work, droppable=(Tick,), min_interval_s=0.05)
    qtbot.waitUntil(lambda: got.done, timeout=30_000)
    milestones = [e.n for e in got.events if isinstance(e, Milestone)]
    ticks = [e for e in got.events if isinstance(e, Tick)]
    assert milestones == list(range(0, 2000, 100))
    assert 0 < len(ticks) < 200  # thinned, yet still arriving between the milestones
    assert worker.wait(5)


def test_commands_reach_the_generator_and_it_waits_when_asked(qtbot):
    received = []

    def work():
        command = yield Waiting(0)
        received.append(command)
        command = yield Tick(1)
        received.append(command)

    worker, got = start(qtbot, work, wait_after=(Waiting,))
    qtbot.waitUntil(lambda: len(got.events) == 1, timeout=10_000)
    time.sleep(0.1)
    assert worker.is_running() and received == []  # blocked until a command comes
    worker.send("go")
    qtbot.waitUntil(lambda: got.done, timeout=10_000)
    assert received == ["go", None]


def test_an_exception_in_the_generator_becomes_a_message(qtbot):
    def work():
        yield Tick(0)
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied")

    _worker, got = start(qtbot, work)
    qtbot.waitUntil(lambda: got.done, timeout=10_000)
    assert got.errors == ["RuntimeError: mat1 and mat2 shapes cannot be multiplied"]
