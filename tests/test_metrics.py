"""Metric buffers and summaries, checked against the blitz's own arithmetic."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from blitzgui.core.metrics import (
    EpochRecord,
    Evaluation,
    GrowingBuffer,
    RunMetrics,
    blitz_running_means,
    confusion_matrix,
    per_class_accuracy,
)


def test_growing_buffer_keeps_every_value_across_growth():
    buffer = GrowingBuffer(capacity=4)
    for start in range(0, 1000, 7):
        buffer.extend(np.arange(start, min(start + 7, 1000)))
    assert len(buffer) == 1000
    assert np.array_equal(buffer.values(), np.arange(1000, dtype=np.float32))


def test_a_reader_in_another_thread_only_sees_written_values():
    buffer = GrowingBuffer(capacity=2)
    done = threading.Event()
    bad = []

    def read():
        while not done.is_set():
            values = buffer.values()
            if len(values) and not np.array_equal(values, np.arange(len(values), dtype=np.float32)):
                bad.append(len(values))

    reader = threading.Thread(target=read)
    reader.start()
    for i in range(20000):
        buffer.extend([i])
    done.set()
    reader.join()
    assert not bad


def blitz_prints(losses, steps_per_epoch):
    """The blitz's loop, literally: running_loss reset each epoch, printed every 2000 batches."""
    printed = []
    for epoch in range(len(losses) // steps_per_epoch):
        running_loss = 0.0
        for i in range(steps_per_epoch):
            running_loss += losses[epoch * steps_per_epoch + i]
            if i % 2000 == 1999:
                printed.append(running_loss / 2000)
                running_loss = 0.0
    return printed


def test_running_means_match_what_the_blitz_prints():
    losses = np.random.default_rng(0).random(2 * 12500)
    steps, means = blitz_running_means(losses, steps_per_epoch=12500)
    assert means == pytest.approx(blitz_prints(losses, 12500))
    assert steps.tolist() == [2000 * k for k in range(1, 7)] + [12500 + 2000 * k for k in range(1, 7)]


def test_confusion_matrix_and_per_class_accuracy():
    confusion = confusion_matrix([0, 0, 1, 1, 2], [0, 1, 1, 1, 0], 4)
    assert confusion.tolist() == [[1, 1, 0, 0], [0, 2, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]]
    accuracy = per_class_accuracy(confusion)
    assert accuracy[:3].tolist() == [0.5, 1.0, 0.0] and np.isnan(accuracy[3])


def test_metrics_json_round_trip_and_no_nan_in_json():
    import json

    metrics = RunMetrics(classes=["a", "b"], steps_per_epoch=3)
    metrics.step_losses.extend([2.0, 1.5, 1.0, 0.9, 0.8, 0.7])
    metrics.epochs.append(EpochRecord(1, 1.5, 0.4, 0.5, 1.0, 100.0))
    metrics.evaluation = Evaluation(["a", "b"], 0.5, np.array([[1, 0], [0, 0]]), np.array([0]), np.array([0.9]))
    data = json.loads(json.dumps(metrics.to_json(), allow_nan=False))
    assert data["per_class_accuracy"] == {"a": 1.0, "b": None}
    assert data["test_accuracy"] == 0.5 and data["confusion_matrix"] == [[1, 0], [0, 0]]
    again = RunMetrics.from_json(data)
    assert again.step_losses.values().tolist() == pytest.approx([2.0, 1.5, 1.0, 0.9, 0.8, 0.7])
    assert again.epochs == metrics.epochs
