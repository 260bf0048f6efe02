"""Training in a child process, so the GUI's Python and the trainer never share one interpreter lock.

On a thread beside the GUI, every repaint of the live plots held the GIL the trainer needed and the
trainer held it against the GUI (measured, benchmarks/bench_training.py: 0.85–0.92 of a bare loop's
speed, GUI lateness p99 20–40 ms, and half the speed while the GUI thread was busy). In a process of
its own the job runs the same `training_job` generator; `relay()` sends its events down a pipe,
each with the losses since the previous one, and hands it the commands (PAUSE, STEP, SetLR, STOP)
that come up the pipe. `MetricsMirror` rebuilds the run's metrics on the GUI side.

The model is pickled with cloudpickle: PyTorch's classes go by name, a `class Net` typed into the
console (module `__main__`, which exists in this process alone) goes by value, its code along.
Classes from any other module, or a model that cannot be pickled, train on a thread instead
(`can_train_in_process`, `pickle_model`). Messages are plain pickles of numpy arrays, tensors and
dataclasses (no shared memory to clean up).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import time
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path

import cloudpickle
import numpy as np
import torch.nn as nn

from blitzgui.core.data import load_dataset
from blitzgui.core.metrics import RunMetrics
from blitzgui.core.runs import RunStore, Started, training_job
from blitzgui.core.training import (STOP, EpochEnd, Finished, Paused, Progress, TrainConfig,
                                    prepare_process_for_training)

PROGRESS_INTERVAL_S = 0.2  # Progress goes up the pipe at most 5 times a second (the labels' rate)
IMPORTABLE_PACKAGES = ("torch", "torchvision", "blitzgui")


@dataclass
class TrainRequest:
    """Everything the child needs; the model travels as pickle bytes, made (and so checked) by the
    sender before any process starts."""

    source: str
    data_dir: Path
    image_size: tuple[int, int] | None
    model_bytes: bytes
    model_label: str
    spec_json: str | None
    config: TrainConfig
    device: str
    tensorboard: bool = False


@dataclass
class Update:
    """One message up the pipe: an event and the step losses recorded since the previous message."""

    event: object
    losses: np.ndarray
    images_per_s: float


@dataclass
class TrainedWeights:
    """The model's state_dict (on the CPU) at the end of the run, just before Finished: the GUI's
    copy of the model gets the trained weights, as a model trained on a thread would have them."""

    state: dict


@dataclass
class JobFailed:
    """The job raised; the message is for people (the traceback went to the child's stderr)."""

    message: str


def can_train_in_process(model: nn.Module) -> bool:
    """True when every module class is one the child imports by name (PyTorch's, ours) or one typed
    into the console, sent by value. A class from some other module may not import over there."""
    return all(type(m).__module__.split(".")[0] in IMPORTABLE_PACKAGES or type(m).__module__ == "__main__"
               for m in model.modules())


def pickle_model(model: nn.Module) -> bytes:
    """The model for TrainRequest.model_bytes; raises pickle.PicklingError or TypeError for a model
    holding something that cannot be pickled (a lock, an open file, a hook on a widget)."""
    return cloudpickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)


def process_context(device: str = "cpu"):
    """forkserver where there is one (Linux, macOS): the server imports torch once, then each run
    is a fork of it (~10 ms) instead of a fresh interpreter importing torch (2–4 s). Elsewhere spawn.
    torch._dynamo too: the first optimizer a process makes imports it (1.2–1.6 s, measured).
    A GPU run always spawns: GPU runtimes do not survive a fork of a process that may have touched
    them, and a fresh interpreter costs little next to a GPU run's own start."""
    if "forkserver" in multiprocessing.get_all_start_methods() and device == "cpu":
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, "torch._dynamo"])
        return context
    return multiprocessing.get_context("spawn")


def warm_up() -> None:
    """Start the fork server now (it imports torch in the background) so Start does not wait for it."""
    context = process_context()
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


# -- in the child ------------------------------------------------------------------------------
class Inbox:
    """Commands from the parent, read without blocking between steps; a closed pipe reads as STOP."""

    def __init__(self, connection):
        self.connection = connection
        self.pending: deque = deque()
        self.closed = False
        self.stop_seen = False

    def _read_one(self) -> None:
        try:
            command = pickle.loads(self.connection.recv_bytes())
        except (EOFError, OSError):  # the parent is gone: finish as if stopped, saving the run
            self.closed, command = True, STOP
        self.stop_seen = self.stop_seen or command == STOP
        self.pending.append(command)

    def _drain(self) -> None:
        while not self.closed and self.connection.poll():
            self._read_one()

    def stop_requested(self) -> bool:
        """For the dataset load: polled between chunks of work."""
        self._drain()
        return self.stop_seen

    def next(self):
        """The next command, or None."""
        self._drain()
        return self.pending.popleft() if self.pending else None

    def wait(self):
        """The next command, waiting for one (while paused)."""
        if not self.pending:
            if self.closed:
                return STOP
            self._read_one()
        return self.pending.popleft()


def send(connection, message) -> None:
    connection.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))


def without_training_images(data):
    """The dataset without its training images: what the GUI shows (gallery, classes) after a run."""
    # cloned: an empty slice is a view, and a pickled view carries its whole storage (150 MB here)
    return replace(data, train_images=data.train_images[:0].clone(), train_labels=data.train_labels[:0].clone())


def relay(job, connection, inbox: Inbox, model: nn.Module) -> None:
    """Drive `job` (a training_job generator): events down the pipe, commands from `inbox` back in."""
    metrics: RunMetrics | None = None
    sent = 0  # step losses already sent
    last_progress = 0.0
    command = None
    while True:
        try:
            event = job.send(command)
        except StopIteration:
            return
        if isinstance(event, Started):
            metrics = event.metrics  # the child's; the parent gets an empty one to mirror into
            event = replace(event, metrics=RunMetrics(metrics.classes, metrics.steps_per_epoch),
                            data=without_training_images(event.data))
        if isinstance(event, Finished) and metrics is not None:
            send(connection, TrainedWeights({k: v.detach().cpu() for k, v in model.state_dict().items()}))
        now = time.perf_counter()
        if not isinstance(event, Progress) or now - last_progress >= PROGRESS_INTERVAL_S:
            losses = metrics.step_losses.values()[sent:].copy() if metrics is not None else np.empty(0, np.float32)
            sent += len(losses)
            send(connection, Update(event, losses, metrics.images_per_s if metrics is not None else 0.0))
            if isinstance(event, Progress):
                last_progress = now
        command = inbox.wait() if isinstance(event, Paused) else inbox.next()


def run_training(connection, request_bytes: bytes) -> None:
    """The child's entry point: load the data and train, reporting up `connection`."""
    inbox = Inbox(connection)
    try:
        request: TrainRequest = pickle.loads(request_bytes)
        model = pickle.loads(request.model_bytes)
        prepare_process_for_training(request.config, request.device)  # this process only trains

        def load_data():
            return load_dataset(request.source, request.data_dir, image_size=request.image_size,
                                should_stop=inbox.stop_requested)

        job = training_job(load_data, model, request.model_label, request.spec_json, request.config,
                           request.device, RunStore(request.data_dir), request.tensorboard)
        try:
            relay(job, connection, inbox, model)
        finally:
            job.close()  # stopped early: the recorder saves what there is
    except Exception as error:  # reported to the GUI as a message; the traceback to stderr
        import traceback

        traceback.print_exc()
        with contextlib.suppress(OSError):  # the GUI may be gone: then nobody is left to tell
            send(connection, JobFailed(f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


# -- in the parent -----------------------------------------------------------------------------
def start(request: TrainRequest):
    """Start the child; returns (process, connection)."""
    context = process_context(request.device)
    parent_end, child_end = context.Pipe()
    process = context.Process(target=run_training, args=(child_end, pickle.dumps(request)),
                              name="blitzgui-training", daemon=True)
    process.start()
    child_end.close()  # ours closed: when the child exits, recv() ends with EOFError
    return process, parent_end


class MetricsMirror:
    """Rebuilds the child's RunMetrics from the Updates, on the parent's reader thread. Same
    single-writer rule as on a thread: the GUI reads the buffers on its timer."""

    def __init__(self):
        self.metrics: RunMetrics | None = None

    def apply(self, update: Update):
        """Fold an Update into the metrics; returns its event for the GUI."""
        event = update.event
        if isinstance(event, Started):
            self.metrics = event.metrics
        if self.metrics is not None:
            if len(update.losses):
                self.metrics.step_losses.extend(update.losses)
            self.metrics.images_per_s = update.images_per_s
            if isinstance(event, EpochEnd):
                self.metrics.epochs.append(event.record)
            if isinstance(event, Finished) and event.evaluation is not None:
                self.metrics.evaluation = event.evaluation
        return event
