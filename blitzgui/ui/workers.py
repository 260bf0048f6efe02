"""Workers that own a generator: its events come out as signals, commands go back in.

As superqt's GeneratorWorker: the generator does the work and yields; between yields the worker
sends it the next command (or None). Frequent events are thinned to at most one per
`min_interval_s`, so the GUI thread is never flooded; the GUI reads bulk numbers (losses) from
shared buffers on its own timer instead. TrainingProcessWorker does the same for a training job
run in a child process.
"""

from __future__ import annotations

import logging
import pickle
import queue
import threading
import time
import traceback
from collections.abc import Callable, Generator

from PySide6.QtCore import QObject, Signal

from blitzgui.core import train_process

log = logging.getLogger(__name__)
PROCESS_EXIT_WAIT_S = 5.0


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


class TrainingProcessWorker(QObject):
    """GeneratorWorker's signals and commands for a training job in a child process
    (blitzgui.core.train_process): a reader thread turns the child's messages into `yielded`
    events, with the run's metrics mirrored on this side before each is emitted."""

    yielded = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(self, request: train_process.TrainRequest, parent: QObject | None = None):
        super().__init__(parent)
        self._request = request
        self._mirror = train_process.MetricsMirror()
        self._process = None
        self._connection = None
        self._thread = threading.Thread(target=self._read, name="blitzgui-training-reader", daemon=True)

    def start(self) -> None:
        self._process, self._connection = train_process.start(self._request)
        self._thread.start()

    def send(self, command) -> None:
        try:
            train_process.send(self._connection, command)
        except (OSError, ValueError):  # the child has ended: nothing left to command
            pass

    def is_running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def terminate(self) -> None:
        """The last resort when a stopped child does not end in time."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()

    def _read(self) -> None:
        reported = False
        try:
            while True:
                try:
                    message = pickle.loads(self._connection.recv_bytes())
                except (EOFError, OSError):  # the child closed its end: it has finished
                    break
                if isinstance(message, train_process.JobFailed):
                    reported = True
                    self.failed.emit(message.message)
                elif isinstance(message, train_process.TrainedWeights):
                    self.yielded.emit(message)
                else:
                    self.yielded.emit(self._mirror.apply(message))
        finally:
            self._process.join(PROCESS_EXIT_WAIT_S)
            if not reported and self._process.exitcode != 0:  # killed, crashed, or out of memory
                self.failed.emit(f"the training process ended unexpectedly (exit code {self._process.exitcode})")
            self._connection.close()
            self.done.emit()
