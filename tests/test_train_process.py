"""Training in a child process: the pipe protocol, the metrics mirror, which models may go."""

from __future__ import annotations

import multiprocessing
import pickle
import threading
import time

import numpy as np
import torch
import torch.nn as nn

from blitzgui.core.layers import build_module, preset
from blitzgui.core.metrics import EpochRecord, RunMetrics
from blitzgui.core.runs import Started
from blitzgui.core.train_process import (
    Inbox,
    MetricsMirror,
    Update,
    can_train_in_process,
    pickle_model,
    relay,
    send,
    without_training_images,
)
from blitzgui.core.training import PAUSE, RESUME, STOP, EpochEnd, Finished, Paused, Progress, SetLR, TrainConfig
from test_training import tiny_data


class FromSomeModule(nn.Module):  # this test module: importable here, maybe not over there
    def forward(self, x):
        return x


def test_which_models_go_to_the_process():
    assert can_train_in_process(build_module(preset("cifar_net")))
    assert can_train_in_process(nn.Sequential(nn.Flatten(), nn.Linear(4, 2)))
    assert can_train_in_process(typed_in_the_console()())
    assert not can_train_in_process(FromSomeModule())
    assert not can_train_in_process(nn.Sequential(nn.Flatten(), FromSomeModule()))  # a child counts too


def typed_in_the_console(source: str | None = None, name: str = "Net", module: str = "__main__"):
    """The class `source` defines, made as the console makes it (module __main__), or as if it
    came from `module`."""
    source = source or ("class Net(nn.Module):\n"
                        "    def __init__(self):\n"
                        "        super().__init__()\n"
                        "        self.fc = nn.Linear(4, 2)\n"
                        "    def forward(self, x):\n"
                        "        return torch.relu(self.fc(x))\n")
    namespace = {"__name__": module, "nn": nn, "torch": torch}  # as in the console's namespace
    exec(source, namespace)
    return namespace[name]


def test_a_console_class_travels_by_value_to_a_fresh_interpreter(tmp_path):
    import subprocess
    import sys

    model = typed_in_the_console()()
    (tmp_path / "model.pkl").write_bytes(pickle_model(model))
    check = ("import pickle, torch; m = pickle.load(open('model.pkl', 'rb')); "
             "print(type(m).__name__, tuple(m(torch.zeros(3, 4)).shape))")
    result = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "Net (3, 2)", result.stderr


def test_inbox_reads_commands_in_order_and_a_closed_pipe_as_stop():
    ours, theirs = multiprocessing.Pipe()
    inbox = Inbox(theirs)
    assert inbox.next() is None and not inbox.stop_requested()
    for command in (PAUSE, SetLR(0.5), RESUME):
        send(ours, command)
    assert inbox.next() == PAUSE and inbox.wait() == SetLR(0.5) and inbox.next() == RESUME
    send(ours, STOP)
    assert inbox.stop_requested()  # seen while loading, and still handed to the trainer after
    assert inbox.next() == STOP
    ours.close()
    assert inbox.wait() == STOP and inbox.stop_requested()  # the GUI is gone: stop, saving the run


def progress(step: int) -> Progress:
    return Progress(1, step, 100, step, 100, 2.0, 0.001, 1000.0, 1.0)


def fake_job(data, metrics: RunMetrics, received: list):
    """What training_job yields, with the losses appended as a trainer would."""
    received.append((yield Started(metrics, TrainConfig(), None, data, "cpu")))
    metrics.step_losses.extend([2.3, 2.2])
    received.append((yield progress(2)))
    metrics.step_losses.extend([2.1])
    received.append((yield progress(3)))  # within 0.2 s of the last: not sent, its loss rides along later
    metrics.step_losses.extend([2.0])
    metrics.images_per_s = 1000.0
    received.append((yield Paused(progress(4))))
    record = EpochRecord(1, 2.0, 0.3, 0.25, 1.0, 1000.0)
    received.append((yield EpochEnd(record)))
    received.append((yield Finished("stopped", "by request")))


def receive(connection) -> object:
    assert connection.poll(10), "nothing came up the pipe"
    return pickle.loads(connection.recv_bytes())


def test_relay_sends_events_with_their_losses_and_the_weights_and_obeys_commands():
    data = tiny_data()
    ours, theirs = multiprocessing.Pipe()
    model = nn.Linear(2, 2)
    metrics, received = RunMetrics(classes=data.classes, steps_per_epoch=100), []
    send(ours, SetLR(0.1))  # sent before the job starts: handed over at its first yield
    child = threading.Thread(target=relay, args=(fake_job(data, metrics, received), theirs, Inbox(theirs), model))
    child.start()
    messages = [receive(ours) for _ in range(3)]
    assert isinstance(messages[-1].event, Paused)
    time.sleep(0.3)
    assert child.is_alive() and not ours.poll()  # paused: waits for a command
    send(ours, RESUME)
    child.join(10)
    messages += [receive(ours) for _ in range(3)]
    assert received == [SetLR(0.1), None, None, RESUME, None, None]
    kinds = [type(m.event if isinstance(m, Update) else m).__name__ for m in messages]
    assert kinds == ["Started", "Progress", "Paused", "EpochEnd", "TrainedWeights", "Finished"]
    started = messages[0].event
    assert len(started.metrics.step_losses) == 0 and len(started.data.train_labels) == 0  # no training images sent
    assert torch.equal(started.data.test_images, data.test_images)
    losses = np.concatenate([m.losses for m in messages if isinstance(m, Update)])
    np.testing.assert_allclose(losses, [2.3, 2.2, 2.1, 2.0], rtol=1e-6)  # every loss, once, in order
    weights = messages[4]
    assert torch.equal(weights.state["weight"], model.weight)

    mirror = MetricsMirror()
    for message in messages:
        if isinstance(message, Update):
            mirror.apply(message)
    np.testing.assert_allclose(mirror.metrics.step_losses.values(), [2.3, 2.2, 2.1, 2.0], rtol=1e-6)
    assert mirror.metrics.epochs[0].test_accuracy == 0.25 and mirror.metrics.images_per_s == 1000.0


def test_a_refused_job_sends_no_weights():
    ours, theirs = multiprocessing.Pipe()

    def refused():
        yield Finished("refused", "the model outputs 7 classes")

    relay(refused(), theirs, Inbox(theirs), nn.Linear(2, 2))
    assert isinstance(receive(ours).event, Finished) and not ours.poll(0.1)


def test_the_gui_gets_the_dataset_without_its_training_images():
    data = tiny_data()
    kept = without_training_images(data)
    assert kept.train_images.shape[1:] == data.train_images.shape[1:] and len(kept.train_images) == 0
    assert kept.classes == data.classes and torch.equal(kept.test_labels, data.test_labels)
    assert len(pickle.dumps(kept)) < len(pickle.dumps(data)) - data.train_images.numel()  # not as a view


def test_a_request_the_child_cannot_read_is_reported_not_swallowed(capsys):
    from blitzgui.core.train_process import JobFailed, run_training

    ours, theirs = multiprocessing.Pipe()
    run_training(theirs, b"not a pickle")
    failed = receive(ours)
    assert isinstance(failed, JobFailed) and "UnpicklingError" in failed.message
    assert "Traceback" in capsys.readouterr().err  # the details, for whoever reads the log


def test_a_gpu_run_starts_a_fresh_interpreter_and_trains_there(tmp_path, monkeypatch):
    """What a CUDA or MPS run does (no fork of a GPU runtime), tried on the CPU: spawn, then train."""
    import blitzgui.core.train_process as train_process
    from cifar_fixture import write_tiny_cifar10

    assert train_process.process_context("cuda:0").get_start_method() == "spawn"
    assert train_process.process_context("mps").get_start_method() == "spawn"
    spawn = train_process.process_context("cuda:0")
    monkeypatch.setattr(train_process, "process_context", lambda device: spawn)
    write_tiny_cifar10(tmp_path)
    request = train_process.TrainRequest(
        "cifar10", tmp_path, None, pickle_model(build_module(preset("cifar_net"))), "net", None,
        TrainConfig(epochs=1, batch_size=8), "cpu")
    process, connection = train_process.start(request)
    events = []
    while not events or not isinstance(events[-1], Finished):
        message = receive(connection) if connection.poll(120) else None
        assert message is not None, "the spawned child did not report"
        events.append(message.event if isinstance(message, Update) else message)
    process.join(30)
    assert events[-1].status == "completed" and isinstance(events[-2], train_process.TrainedWeights)
    assert process.exitcode == 0
