"""A worker thread that owns a generator: its events come out as signals, commands go back in.

As superqt's GeneratorWorker: the generator does the work and yields; between yields the worker
sends it the next command (or None). Frequent events are thinned to at most one per
`min_interval_s`, so the GUI thread is never flooded; the GUI reads bulk numbers (losses) from
shared buffers on its own timer instead.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import traceback
from collections.abc import Callable, Generator

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class GeneratorWorker(QObject):
    # Emitted from the worker thread: connect bound methods of main-thread QObjects (queued).
    yielded = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(
        self,
        make_generator: Callable[[], Generator],
        droppable: tuple[type, ...] = (),
        wait_after: tuple[type, ...] = (),
        min_interval_s: float = 0.05,
        parent: QObject | None = None,
    ):
        """droppable: event types that may be skipped when they come faster than min_interval_s.
        wait_after: event types after which the worker blocks until a command arrives (Paused)."""
        super().__init__(parent)
        self._make_generator = make_generator
        self._droppable = droppable
        self._wait_after = wait_after
        self._min_interval_s = min_interval_s
        self._commands: queue.Queue = queue.Queue()
        # daemon: a generator stuck outside its yields (e.g. decoding a dataset) never blocks exit
        self._thread = threading.Thread(target=self._run, name="blitzgui-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def send(self, command) -> None:
        """Thread-safe: the generator receives it at its next yield."""
        self._commands.put(command)

    def is_running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        last_emit = 0.0
        generator = self._make_generator()
        command = None
        try:
            while True:
                try:
                    event = generator.send(command)
                except StopIteration:
                    break
                if not isinstance(event, self._droppable):
                    self.yielded.emit(event)
                elif time.perf_counter() - last_emit >= self._min_interval_s:  # thinned on their own clock
                    last_emit = time.perf_counter()
                    self.yielded.emit(event)
                if isinstance(event, self._wait_after):
                    command = self._commands.get()
                else:
                    try:
                        command = self._commands.get_nowait()
                    except queue.Empty:
                        command = None
        except Exception as error:  # reported to the GUI as a message; the app keeps running
            log.error("worker failed:\n%s", traceback.format_exc())
            self.failed.emit(f"{type(error).__name__}: {error}")
        finally:
            generator.close()
            self.done.emit()
