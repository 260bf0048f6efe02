"""Training a classifier, part 4 of the blitz, as a generator the GUI and the CLI both drive.

`train_one_epoch` and `evaluate` read like the tutorial (and pytorch/examples mnist). `Trainer.run()`
strings them together and yields events (`Progress` every few steps, `EpochEnd`, `Paused`,
`Finished`); between yields the caller may `send()` a command: PAUSE, RESUME, STEP (one batch
while paused), STOP, or `SetLR(lr)`.

The images stay in memory as uint8 on the training device (4× smaller than floats; with CUDA they
never leave the GPU) and are normalized one batch at a time; batches are taken by index.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from typing import Protocol

import numpy as np
import torch
import torch.nn as nn

from blitzgui.core.metrics import EpochRecord, Evaluation, RunMetrics, confusion_matrix

OPTIMIZERS = ("SGD", "Adam", "Adagrad", "RMSprop")
SCHEDULERS = ("none", "StepLR", "CosineAnnealingLR")

PAUSE, RESUME, STEP, STOP = "pause", "resume", "step", "stop"


@dataclass(frozen=True)
class SetLR:
    lr: float


class ConfigError(ValueError):
    """A configuration or model that cannot train; the message says why, for people."""


@dataclass
class TrainConfig:
    """Defaults are the blitz's recipe (SGD lr 0.001 momentum 0.9, batch 4, 2 epochs)."""

    optimizer: str = "SGD"
    lr: float = 0.001
    momentum: float = 0.9
    weight_decay: float = 0.0
    batch_size: int = 4
    epochs: int = 2
    scheduler: str = "none"
    step_size: int = 1  # StepLR: epochs between decays
    gamma: float = 0.1  # StepLR: decay factor
    seed: int = 0
    device: str = "auto"
    # One intra-op thread: on a small model beside a busy GUI thread, more threads spin-wait and
    # run many times slower (PLATFORM-NOTES.md). Raise it for big batches on a quiet machine.
    threads: int = 1
    report_every: int = 10  # steps between Progress events
    eval_batch_size: int = 1000

    def validate(self) -> None:
        problems = []
        if self.optimizer not in OPTIMIZERS:
            problems.append(f"unknown optimizer {self.optimizer!r} (choose {', '.join(OPTIMIZERS)})")
        if self.scheduler not in SCHEDULERS:
            problems.append(f"unknown scheduler {self.scheduler!r} (choose {', '.join(SCHEDULERS)})")
        if not (math.isfinite(self.lr) and self.lr > 0):
            problems.append(f"the learning rate must be a positive number, not {self.lr}")
        if not (0 <= self.momentum < 1):
            problems.append(f"momentum must be in [0, 1), not {self.momentum}")
        if self.weight_decay < 0:
            problems.append(f"weight decay cannot be negative ({self.weight_decay})")
        for name in ("batch_size", "epochs", "threads", "report_every", "eval_batch_size", "step_size"):
            if getattr(self, name) < 1:
                problems.append(f"{name.replace('_', ' ')} must be at least 1, not {getattr(self, name)}")
        if problems:
            raise ConfigError("; ".join(problems))

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> TrainConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


class ImageData(Protocol):
    """What the trainer needs of a dataset (blitzgui.core.data.ImageDataset has it)."""

    name: str
    classes: list[str]
    train_images: torch.Tensor  # uint8 (N, C, H, W)
    train_labels: torch.Tensor
    test_images: torch.Tensor
    test_labels: torch.Tensor
    mean: tuple[float, ...]
    std: tuple[float, ...]


# -- events ----------------------------------------------------------------------------------
@dataclass
class Progress:
    epoch: int  # 1-based
    step: int  # steps done in this epoch
    steps_per_epoch: int
    global_step: int
    total_steps: int
    loss: float  # the last step's loss
    lr: float
    images_per_s: float
    eta_s: float


@dataclass
class EpochEnd:
    record: EpochRecord


@dataclass
class Paused:
    progress: Progress


@dataclass
class Finished:
    status: str  # completed, stopped, diverged, out_of_memory, refused
    message: str
    evaluation: Evaluation | None = None


Event = Progress | EpochEnd | Paused | Finished


# -- the tutorial's loop -----------------------------------------------------------------------
class Normalizer:
    """uint8 images -> floats, (x / 255 - mean) / std per channel, as transforms.Normalize does."""

    def __init__(self, mean, std, device):
        std_t = torch.tensor(std, dtype=torch.float32, device=device).view(1, -1, 1, 1)
        mean_t = torch.tensor(mean, dtype=torch.float32, device=device).view(1, -1, 1, 1)
        self.scale = 1.0 / (255.0 * std_t)
        self.shift = -mean_t / std_t

    def __call__(self, images: torch.Tensor) -> torch.Tensor:
        return torch.addcmul(self.shift, images.float(), self.scale)


def train_one_epoch(model, optimizer, criterion, images, labels, normalize, batch_size, generator) -> Iterator:
    """One pass over the shuffled training set; yields (loss, predictions, targets) after each batch.

    They stay tensors: `.item()` would make the CPU wait for the GPU every step. Predictions are
    compared with the targets by the caller, many batches at once (per step it cost ~2 %).
    """
    model.train()
    order = torch.randperm(len(labels), generator=generator).to(labels.device)
    for start in range(0, len(order), batch_size):
        index = order[start : start + batch_size]
        # index_select, not images[index]: 2.6 instead of 11.8 µs a look-up (measured, batch 4)
        inputs, targets = normalize(images.index_select(0, index)), labels.index_select(0, index)
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        yield loss.detach(), outputs.argmax(1), targets


@torch.no_grad()
def evaluate(model, images, labels, normalize, classes, batch_size: int = 1000) -> Evaluation:
    model.eval()
    predictions, confidences = [], []
    for start in range(0, len(labels), batch_size):
        probabilities = torch.softmax(model(normalize(images[start : start + batch_size])), dim=1)
        confidence, predicted = probabilities.max(dim=1)
        predictions.append(predicted)
        confidences.append(confidence)
    predicted = torch.cat(predictions).cpu().numpy()
    truth = labels.cpu().numpy()
    return Evaluation(
        classes=list(classes),
        accuracy=float((predicted == truth).mean()) if len(truth) else float("nan"),
        confusion=confusion_matrix(truth, predicted, len(classes)),
        predictions=predicted,
        confidences=torch.cat(confidences).cpu().numpy(),
    )


# -- building blocks ---------------------------------------------------------------------------
def make_optimizer(config: TrainConfig, parameters) -> torch.optim.Optimizer:
    if config.optimizer == "SGD":
        parameters = list(parameters)
        options = dict(lr=config.lr, momentum=config.momentum, weight_decay=config.weight_decay)
        # One fused kernel instead of a Python loop over the parameters: ~4 % a step at batch 4.
        if all(p.is_floating_point() and p.device.type in ("cpu", "cuda") for p in parameters):
            return torch.optim.SGD(parameters, fused=True, **options)
        return torch.optim.SGD(parameters, **options)
    if config.optimizer == "RMSprop":
        return torch.optim.RMSprop(parameters, lr=config.lr, momentum=config.momentum, weight_decay=config.weight_decay)
    optimizer_class = {"Adam": torch.optim.Adam, "Adagrad": torch.optim.Adagrad}[config.optimizer]
    return optimizer_class(parameters, lr=config.lr, weight_decay=config.weight_decay)


def make_scheduler(config: TrainConfig, optimizer):
    if config.scheduler == "StepLR":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=config.step_size, gamma=config.gamma)
    if config.scheduler == "CosineAnnealingLR":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=config.epochs)
    return None


def evaluate_model(model: nn.Module, data: ImageData, device: str, batch_size: int = 1000) -> Evaluation:
    """The test split through `model` (trained, loaded or fresh), without training it."""
    check_model_fits(model, data, device)
    model = model.to(device)
    normalize = Normalizer(data.mean, data.std, device)
    return evaluate(model, data.test_images.to(device), data.test_labels.to(device), normalize, data.classes,
                    batch_size)


def check_model_fits(model: nn.Module, data: ImageData, device: str) -> None:
    """Refuse, before any training, a model that cannot take these images or has the wrong output."""
    sample_shape = tuple(data.train_images.shape[1:])
    probe = torch.zeros((2, *sample_shape), device=device)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            output = model(probe)
    except Exception as error:  # any failure of the user's model is a reason to refuse it
        raise ConfigError(f"the model does not accept the dataset's images of shape {sample_shape}: {error}") from None
    finally:
        model.train(was_training)
    if output.dim() != 2 or output.shape[1] != len(data.classes):
        raise ConfigError(
            f"the model outputs shape {tuple(output.shape[1:])} per image, but the dataset has "
            f"{len(data.classes)} classes: the last layer needs {len(data.classes)} outputs"
        )


SMALL_BATCH = 16  # below this, PyTorch's own convolution beats oneDNN's on the CPU


def prepare_process_for_training(config: TrainConfig, device: str) -> None:
    """Process-wide choices, so only for a process that trains and nothing else (the training
    child, the CLI), before it trains.
    - On the CPU at small batches oneDNN's per-call set-up outweighs its speed: the blitz Net trains
      1.2–1.4× faster at batch 1–4 without it, but 0.5–0.7× as fast at 16–256 (measured, 1 thread).
    - gc.freeze(): the cyclic collector's full passes walk every object torch left behind; with the
      trainer holding a few tensors between reports they cost ~5 % of the run (measured)."""
    torch.set_num_threads(config.threads)
    if device == "cpu":
        torch.backends.mkldnn.enabled = config.batch_size >= SMALL_BATCH
    gc.freeze()


def seed_everything(seed: int) -> None:
    """Same seed, same initial weights and batch order: runs can be compared and repeated."""
    torch.manual_seed(seed)
    np.random.seed(seed % 2**32)


# -- the whole run -------------------------------------------------------------------------------
class PendingSteps:
    """The steps since the last report, as tensors; turned into numbers once per report."""

    def __init__(self):
        self.losses: list[torch.Tensor] = []
        self.predictions: list[torch.Tensor] = []
        self.targets: list[torch.Tensor] = []

    def add(self, loss: torch.Tensor, predictions: torch.Tensor, targets: torch.Tensor) -> None:
        self.losses.append(loss)
        self.predictions.append(predictions)
        self.targets.append(targets)

    def take(self) -> tuple[np.ndarray, float, int]:
        """(each step's loss, the sum of loss × batch size, images predicted right); then empty."""
        losses = torch.stack(self.losses).cpu().numpy()  # one device sync per report
        sizes = np.array([len(t) for t in self.targets], dtype=np.float64)
        correct = int((torch.cat(self.predictions) == torch.cat(self.targets)).sum())
        self.__init__()
        return losses, float(np.dot(losses.astype(np.float64), sizes)), correct


class Trainer:
    def __init__(self, model: nn.Module, data: ImageData, config: TrainConfig, device: str = "cpu"):
        config.validate()
        if len(data.train_labels) == 0:
            raise ConfigError(f"the dataset {data.name!r} has no training images")
        self.config = config
        self.device = device
        self.model = model.to(device)
        check_model_fits(self.model, data, device)
        self.data = data
        self.classes = list(data.classes)
        self.steps_per_epoch = math.ceil(len(data.train_labels) / config.batch_size)
        self.metrics = RunMetrics(classes=self.classes, steps_per_epoch=self.steps_per_epoch)

    def run(self) -> Generator[Event, object, None]:
        config = self.config
        torch.set_num_threads(config.threads)
        # Data onto the device once; from here on batches are index look-ups there.
        train_x, train_y = self.data.train_images.to(self.device), self.data.train_labels.to(self.device)
        test_x, test_y = self.data.test_images.to(self.device), self.data.test_labels.to(self.device)
        normalize = Normalizer(self.data.mean, self.data.std, self.device)
        criterion = nn.CrossEntropyLoss()
        optimizer = make_optimizer(config, self.model.parameters())
        scheduler = make_scheduler(config, optimizer)
        shuffle = torch.Generator().manual_seed(config.seed)
        total_steps = self.steps_per_epoch * config.epochs
        self.paused = False
        global_step = 0
        self.clock = ActiveClock()  # wall time minus pauses and evaluations: images/s and ETA
        images_seen = 0

        def evaluate_test() -> Evaluation:
            return evaluate(self.model, test_x, test_y, normalize, self.classes, config.eval_batch_size)

        try:
            for epoch in range(1, config.epochs + 1):
                epoch_start, epoch_images = self.clock.seconds(), 0
                loss_sum, correct_sum = 0.0, 0
                pending = PendingSteps()
                batches = train_one_epoch(
                    self.model, optimizer, criterion, train_x, train_y, normalize, config.batch_size, shuffle
                )
                step = 0
                while True:
                    try:
                        loss, predictions, targets = next(batches)
                    except StopIteration:
                        break
                    step += 1
                    global_step += 1
                    batch_size = len(targets)
                    pending.add(loss, predictions, targets)
                    images_seen += batch_size
                    epoch_images += batch_size
                    # Report every few steps, at the end of an epoch, and after each STEP while paused.
                    if step % config.report_every and step != self.steps_per_epoch and not self.paused:
                        continue
                    losses, batch_loss_sum, batch_correct = pending.take()
                    loss_sum += batch_loss_sum
                    correct_sum += batch_correct
                    self.metrics.step_losses.extend(losses)
                    if not np.isfinite(losses).all():
                        yield Finished("diverged", _diverged_message(losses, global_step, epoch, config))
                        return
                    images_per_s = images_seen / max(self.clock.seconds(), 1e-9)
                    self.metrics.images_per_s = images_per_s
                    progress = Progress(
                        epoch, step, self.steps_per_epoch, global_step, total_steps, float(losses[-1]),
                        optimizer.param_groups[0]["lr"], images_per_s,
                        (total_steps - global_step) * config.batch_size / max(images_per_s, 1e-9),
                    )
                    if self.paused:
                        with self.clock.excluded():
                            command = yield Paused(progress)
                    else:
                        command = yield progress
                    if (yield from self._obey(command, optimizer, progress)):
                        self.metrics.evaluation = evaluate_test()
                        message = f"stopped by request at step {step} of epoch {epoch}"
                        yield Finished("stopped", message, self.metrics.evaluation)
                        return
                train_seconds = self.clock.seconds() - epoch_start
                with self.clock.excluded():
                    test = evaluate_test()
                record = EpochRecord(
                    epoch=epoch,
                    train_loss=float(loss_sum) / max(epoch_images, 1),
                    train_accuracy=float(correct_sum) / max(epoch_images, 1),
                    test_accuracy=test.accuracy,
                    seconds=train_seconds,
                    images_per_s=epoch_images / max(train_seconds, 1e-9),
                )
                self.metrics.epochs.append(record)
                self.metrics.evaluation = test
                if scheduler is not None:
                    scheduler.step()
                command = yield EpochEnd(record)
                if (yield from self._obey(command, optimizer, progress)) and epoch < config.epochs:
                    yield Finished("stopped", f"stopped by request after epoch {epoch}", test)
                    return
            yield Finished("completed", f"finished {config.epochs} epoch(s)", self.metrics.evaluation)
        except torch.OutOfMemoryError:
            if self.device.startswith("cuda"):
                torch.cuda.empty_cache()
            yield Finished(
                "out_of_memory",
                f"the {self.device} device ran out of memory at batch size {config.batch_size}; "
                f"try a smaller batch size (for example {max(1, config.batch_size // 4)})",
            )


    def _obey(self, command, optimizer, progress: Progress) -> Generator[Event, object, bool]:
        """Apply a command; while paused, yield Paused and wait for the next. True means stop."""
        while True:
            if isinstance(command, SetLR):
                for group in optimizer.param_groups:
                    group["lr"] = command.lr
            elif command == STOP:
                return True
            elif command == PAUSE:
                self.paused = True
            elif command == RESUME:
                self.paused = False
            elif command == STEP:
                return False  # run one batch, then report (and stay paused)
            if not self.paused:
                return False
            progress.lr = optimizer.param_groups[0]["lr"]
            with self.clock.excluded():
                command = yield Paused(progress)


class ActiveClock:
    """Seconds since creation, minus the spans spent in `excluded()` (paused, evaluating)."""

    def __init__(self):
        self._start = time.perf_counter()
        self._excluded = 0.0

    def seconds(self) -> float:
        return time.perf_counter() - self._start - self._excluded

    @contextmanager
    def excluded(self):
        began = time.perf_counter()
        try:
            yield
        finally:
            self._excluded += time.perf_counter() - began


def _diverged_message(losses: np.ndarray, global_step: int, epoch: int, config: TrainConfig) -> str:
    bad = float(losses[~np.isfinite(losses)][0])
    return (
        f"the loss became {bad} near step {global_step} (epoch {epoch}): training diverged. "
        f"The learning rate {config.lr:g} is probably too high; try a smaller one."
    )

