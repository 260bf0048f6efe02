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

    def train():  # what the trainer does: losses every few steps, an epoch record per epoch
        for epoch in range(1, 1001):
            metrics.step_losses.extend(np.full(25, 2.3 / epoch))
            metrics.epochs.append(EpochRecord(epoch, 2.3, 0.1, 0.1, 0.01, 1000.0))
            time.sleep(0.0005)  # about half a second of appends, read concurrently all along

    trainer = threading.Thread(target=train)
    trainer.start()
    try:
        while trainer.is_alive():
            loss_plot.refresh()
            accuracy_plot.show_metrics(metrics)
    finally:
        trainer.join()
    loss_plot.refresh()
    accuracy_plot.show_metrics(metrics)
    x, y = accuracy_plot.train_curve.getData()
    assert len(x) == len(y) == 1000
    mean_x, mean_y = loss_plot.mean_curve.getData()
    assert len(mean_x) == len(mean_y) == 5000  # five means of five steps per 25-step epoch


def test_accuracy_curves_are_one_consistent_snapshot():
    metrics = RunMetrics(classes=["a", "b"], steps_per_epoch=1)
    metrics.epochs += [EpochRecord(1, 1.0, 0.25, 0.5, 1.0, 10.0), EpochRecord(2, 0.5, 0.75, 1.0, 1.0, 10.0)]
    epochs, train, test = metrics.accuracy_curves()
    assert epochs.tolist() == [1, 2] and train.tolist() == [25.0, 75.0] and test.tolist() == [50.0, 100.0]


def test_a_falling_loss_moves_the_view_every_few_ticks_not_each_one(qtbot):
    metrics = RunMetrics(classes=[str(i) for i in range(10)], steps_per_epoch=12500)
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.show_metrics(metrics)
    moves = []
    plot.getViewBox().sigRangeChanged.connect(lambda *_: moves.append(1))
    for tick in range(100):  # a loss falling from 2.3 towards 0.5, ten steps per timer tick
        metrics.step_losses.extend(2.3 - 1.8 * (tick + np.linspace(0, 1, 10)) / 100)
        plot.refresh()
    assert len(moves) <= 30  # about 100 when it followed every new minimum
    low, high = plot.getViewBox().viewRange()[1]
    values = metrics.step_losses.values()
    assert 0 <= low <= values.min() and high >= values.max()  # all of it in view, never below 0


def test_the_panel_skips_a_hidden_loss_plot_and_it_catches_up_when_shown(qtbot, qapp, data_dir):
    from blitzgui.core.devices import resolve_device
    from blitzgui.core.session import Session
    from blitzgui.ui.context import AppContext
    from blitzgui.ui.training_panel import TrainingPanel

    panel = TrainingPanel(AppContext(Session(), resolve_device("cpu"), data_dir))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    metrics = RunMetrics(classes=[str(i) for i in range(10)], steps_per_epoch=100)
    panel.loss_plot.show_metrics(metrics)
    metrics.step_losses.extend(np.full(10, 2.3))
    panel._repaint()  # a timer tick with the Live tab in front: drawn
    assert len(panel.loss_plot.step_curve.xData) == 10

    panel.tabs.setCurrentWidget(panel.evaluation_view)  # the Live tab behind another
    metrics.step_losses.extend(np.full(20, 2.2))
    panel._repaint()
    assert len(panel.loss_plot.step_curve.xData) == 10  # skipped while out of sight

    panel.tabs.setCurrentIndex(0)  # shown again: catches up at once, without waiting for a tick
    assert len(panel.loss_plot.step_curve.xData) == 30
    assert panel.loss_plot.step_curve.yData[-1] == pytest.approx(2.2)
