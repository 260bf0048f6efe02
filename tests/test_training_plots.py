"""The live plots read buffers that the trainer's thread appends to: every read must be consistent."""

from __future__ import annotations

import sys
import threading
import time

import numpy as np
import pytest

from blitzgui.core.metrics import EpochRecord, RunMetrics
from blitzgui.ui.training_plots import AccuracyPlot, LossPlot


@pytest.fixture
def fast_thread_switches():
    """Let the GIL change hands every microsecond, so a race shows up in a fraction of a second."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def test_plots_refresh_while_a_thread_appends(qtbot, fast_thread_switches):
    metrics = RunMetrics(classes=[str(i) for i in range(10)], steps_per_epoch=25)
    loss_plot, accuracy_plot = LossPlot(), AccuracyPlot()
    qtbot.addWidget(loss_plot)
    qtbot.addWidget(accuracy_plot)
    loss_plot.show_metrics(metrics)
    accuracy_plot.show_metrics(metrics)
    done = threading.Event()

    def train():  # what the trainer does: losses every few steps, an epoch record per epoch
        epoch = 0
        while not done.is_set():
            epoch += 1
            metrics.step_losses.extend(np.full(25, 2.3 / epoch))
            metrics.epochs.append(EpochRecord(epoch, 2.3, 0.1, 0.1, 0.01, 1000.0))

    trainer = threading.Thread(target=train)
    trainer.start()
    try:
        deadline = time.perf_counter() + 1.5
        while time.perf_counter() < deadline:
            loss_plot.refresh()
            accuracy_plot.show_metrics(metrics)
    finally:
        done.set()
        trainer.join()
    x, y = accuracy_plot.train_curve.getData()
    assert len(x) == len(y) > 0
    mean_x, mean_y = loss_plot.mean_curve.getData()
    assert len(mean_x) == len(mean_y) > 0


def test_accuracy_curves_are_one_consistent_snapshot():
    metrics = RunMetrics(classes=["a", "b"], steps_per_epoch=1)
    metrics.epochs += [EpochRecord(1, 1.0, 0.25, 0.5, 1.0, 10.0), EpochRecord(2, 0.5, 0.75, 1.0, 1.0, 10.0)]
    epochs, train, test = metrics.accuracy_curves()
    assert epochs.tolist() == [1, 2] and train.tolist() == [25.0, 75.0] and test.tolist() == [50.0, 100.0]
