"""Numbers a training run produces: per-step losses, per-epoch accuracies, the final evaluation.

The trainer appends from its thread; the GUI reads on a timer. Appends only ever write past the
published length and then raise it, so a reader always sees a consistent prefix, provided it reads
each buffer once per redraw: `values()` and `accuracy_curves()` are those single reads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

BLITZ_PRINT_EVERY = 2000  # the blitz prints the mean loss of every 2000 mini-batches


class GrowingBuffer:
    """An append-only 1-D numpy array that doubles its capacity when full."""

    def __init__(self, dtype=np.float32, capacity: int = 1024):
        self._data = np.empty(capacity, dtype=dtype)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def extend(self, values) -> None:
        values = np.asarray(values, dtype=self._data.dtype).ravel()
        end = self._size + len(values)
        if end > len(self._data):
            grown = np.empty(max(end, 2 * len(self._data)), dtype=self._data.dtype)
            grown[: self._size] = self._data[: self._size]
            self._data = grown
        self._data[self._size : end] = values
        self._size = end  # published last: readers never see unwritten slots

    def values(self) -> np.ndarray:
        size = self._size  # read the length first; the array it indexes is at least that long
        return self._data[:size]


def blitz_running_means(losses: np.ndarray, steps_per_epoch: int, every: int = BLITZ_PRINT_EVERY):
    """(step numbers, means) exactly as the blitz prints them: the mean of each block of `every`
    mini-batches, restarting every epoch (a last, incomplete block is not printed)."""
    steps, means = [], []
    for epoch_start in range(0, len(losses), steps_per_epoch):
        epoch = losses[epoch_start : epoch_start + steps_per_epoch]
        for block_end in range(every, len(epoch) + 1, every):
            steps.append(epoch_start + block_end)
            means.append(float(np.mean(epoch[block_end - every : block_end])))
    return np.asarray(steps, dtype=np.int64), np.asarray(means, dtype=np.float64)


def confusion_matrix(targets, predictions, num_classes: int) -> np.ndarray:
    """Rows are the true class, columns the predicted class."""
    targets = np.asarray(targets, dtype=np.int64)
    predictions = np.asarray(predictions, dtype=np.int64)
    return np.bincount(targets * num_classes + predictions, minlength=num_classes**2).reshape(num_classes, num_classes)


def per_class_accuracy(confusion: np.ndarray) -> np.ndarray:
    """Fraction of each true class predicted correctly (NaN for a class with no samples)."""
    totals = confusion.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(confusion) / np.maximum(totals, 1), np.nan)


@dataclass
class EpochRecord:
    epoch: int  # 1-based, as the blitz prints it
    train_loss: float
    train_accuracy: float
    test_accuracy: float
    seconds: float
    images_per_s: float


@dataclass
class Evaluation:
    """The test-set result: what the evaluation view shows."""

    classes: list[str]
    accuracy: float
    confusion: np.ndarray  # (classes, classes) int
    predictions: np.ndarray  # (N,) int, one per test image
    confidences: np.ndarray  # (N,) float, softmax probability of the prediction

    @property
    def per_class(self) -> dict[str, float]:
        return dict(zip(self.classes, per_class_accuracy(self.confusion).tolist()))


@dataclass
class RunMetrics:
    classes: list[str]
    steps_per_epoch: int
    step_losses: GrowingBuffer = field(default_factory=GrowingBuffer)
    epochs: list[EpochRecord] = field(default_factory=list)
    images_per_s: float = 0.0
    evaluation: Evaluation | None = None

    def running_means(self, every: int = BLITZ_PRINT_EVERY, losses: np.ndarray | None = None):
        """The blitz's block means of `losses` (a snapshot already taken), or of the buffer now."""
        losses = self.step_losses.values() if losses is None else losses
        return blitz_running_means(losses, self.steps_per_epoch, every)

    def accuracy_curves(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(epochs, train %, test %) of equal length, from one copy of the epoch list: the trainer
        may append an epoch between two reads of it."""
        records = list(self.epochs)
        return (
            np.array([e.epoch for e in records], dtype=np.int64),
            np.array([100 * e.train_accuracy for e in records], dtype=np.float64),
            np.array([100 * e.test_accuracy for e in records], dtype=np.float64),
        )

    def to_json(self) -> dict:
        """Plain JSON (no NaN: a diverged step's loss is null)."""
        losses = self.step_losses.values()  # one read: the steps and their means then agree
        steps, means = self.running_means(losses=losses)
        result = {
            "classes": self.classes,
            "steps_per_epoch": self.steps_per_epoch,
            "step_loss": [round(float(x), 6) if np.isfinite(x) else None for x in losses],
            "running_loss": {"every": BLITZ_PRINT_EVERY, "steps": steps.tolist(), "mean": means.tolist()},
            "epochs": [asdict(e) for e in list(self.epochs)],
            "images_per_s": self.images_per_s,
            "test_accuracy": None,
            "per_class_accuracy": None,
            "confusion_matrix": None,
        }
        if self.evaluation is not None:
            result["test_accuracy"] = self.evaluation.accuracy
            # JSON has no NaN: a class without test images has no accuracy.
            result["per_class_accuracy"] = {k: (None if v != v else v) for k, v in self.evaluation.per_class.items()}
            result["confusion_matrix"] = self.evaluation.confusion.tolist()
        return result

    @classmethod
    def from_json(cls, data: dict) -> RunMetrics:
        metrics = cls(classes=list(data["classes"]), steps_per_epoch=int(data["steps_per_epoch"]))
        metrics.step_losses.extend([np.nan if x is None else x for x in data["step_loss"]])
        metrics.epochs = [EpochRecord(**e) for e in data["epochs"]]
        metrics.images_per_s = float(data.get("images_per_s") or 0.0)
        return metrics
