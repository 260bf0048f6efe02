"""Training runs kept on disk, and checkpoints loaded safely.

    <data_dir>/runs/<run id>/config.json    what was trained: TrainConfig, dataset, model (+ spec)
                             metrics.json   RunMetrics.to_json() and the run's status
                             model.pth      the state_dict, as the blitz saves cifar_net.pth
                             tensorboard/   optional SummaryWriter logs
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn as nn

from blitzgui.core.metrics import RunMetrics
from blitzgui.core.training import EpochEnd, Event, Finished, Progress, TrainConfig


class CheckpointError(ValueError):
    """A checkpoint that cannot be loaded into the model; the message names the file and why."""


def save_checkpoint(model: nn.Module, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), path)
    return path


def load_checkpoint(model: nn.Module, path: Path) -> None:
    """Load a state_dict into `model`, refusing corrupt files and checkpoints of another model.

    `weights_only=True` unpickles tensors and plain containers only, never arbitrary code.
    """
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such checkpoint file")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # a damaged file fails anywhere in the unpickler, with any error type
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CheckpointError(f"{path.name}: not a readable PyTorch checkpoint (corrupt, truncated or unsafe): {first_line}") from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"{path.name}: not a model state_dict (expected a dict of tensors)")
    expected = model.state_dict()
    missing = sorted(expected.keys() - state.keys())
    unexpected = sorted(state.keys() - expected.keys())
    wrong_shape = [
        f"{k} {tuple(state[k].shape)} vs {tuple(v.shape)}" for k, v in expected.items() if k in state and state[k].shape != v.shape
    ]
    if missing or unexpected or wrong_shape:
        reasons = []
        if missing:
            reasons.append("missing " + ", ".join(missing[:5]))
        if unexpected:
            reasons.append("unexpected " + ", ".join(unexpected[:5]))
        if wrong_shape:
            reasons.append("shape mismatch (checkpoint vs model): " + "; ".join(wrong_shape[:5]))
        raise CheckpointError(f"{path.name} was saved from a different model: " + "; ".join(reasons))
    model.load_state_dict(state)


@dataclass
class Run:
    """One run's folder."""

    path: Path

    @property
    def id(self) -> str:
        return self.path.name

    @property
    def checkpoint_path(self) -> Path:
        return self.path / "model.pth"

    def info(self) -> dict:
        return json.loads((self.path / "config.json").read_text(encoding="utf-8"))

    def metrics_json(self) -> dict | None:
        path = self.path / "metrics.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def summary(self) -> dict | None:
        """status, test_accuracy, images_per_s: a few bytes, so listing many runs stays fast."""
        path = self.path / "summary.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def save_metrics(self, metrics: RunMetrics, status: str, message: str = "") -> None:
        data = metrics.to_json() | {"status": status, "message": message}
        summary = {key: data[key] for key in ("status", "message", "test_accuracy", "images_per_s")}
        for name, content in (("metrics.json", data), ("summary.json", summary)):
            temporary = self.path / f"{name}.tmp"  # written then renamed: never half a file
            temporary.write_text(json.dumps(content), encoding="utf-8")
            temporary.replace(self.path / name)


def create_run(path: Path, config: TrainConfig, dataset: str, model_label: str, spec_json: str | None = None) -> Run:
    """A run folder at `path` (made if needed) holding config.json."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    info = {"config": config.to_json(), "dataset": dataset, "model": model_label, "spec": spec_json,
            "created": time.strftime("%Y-%m-%d %H:%M:%S")}
    (path / "config.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    return Run(path)


class RunStore:
    def __init__(self, data_dir: Path):
        self.root = Path(data_dir) / "runs"

    def create(self, config: TrainConfig, dataset: str, model_label: str, spec_json: str | None = None) -> Run:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{dataset}-{model_label}")[:40].strip("-")
        base = f"{stamp}-{slug}"
        path, n = self.root / base, 2
        while path.exists():
            path, n = self.root / f"{base}-{n}", n + 1
        return create_run(path, config, dataset, model_label, spec_json)

    def runs(self) -> list[Run]:
        """Runs with a readable config, newest first; unreadable folders are skipped."""
        if not self.root.is_dir():
            return []
        found = []
        for path in sorted(self.root.iterdir(), reverse=True):
            try:
                Run(path).info()
            except (OSError, ValueError):
                continue
            found.append(Run(path))
        return found


class TensorBoardLog:
    """Optional: the run's curves for TensorBoard (`tensorboard --logdir <data_dir>/runs`)."""

    def __init__(self, run: Run):
        from torch.utils.tensorboard import SummaryWriter  # ~3 s to import: only when asked for

        self.writer = SummaryWriter(log_dir=str(run.path / "tensorboard"))

    def log(self, event: Event) -> None:
        if isinstance(event, Progress):
            self.writer.add_scalar("loss/train_step", event.loss, event.global_step)
        elif isinstance(event, EpochEnd):
            r = event.record
            self.writer.add_scalar("accuracy/train", r.train_accuracy, r.epoch)
            self.writer.add_scalar("accuracy/test", r.test_accuracy, r.epoch)
            self.writer.add_scalar("loss/train_epoch", r.train_loss, r.epoch)

    def close(self) -> None:
        self.writer.close()


def recorded(events: Generator, run: Run, metrics: RunMetrics, model: nn.Module, tensorboard: bool = False):
    """Pass a trainer's events (and the commands sent back) through, saving the run as it goes:
    metrics and checkpoint after each epoch and at the end, however the run ends."""
    log = TensorBoardLog(run) if tensorboard else None
    status, message = "running", ""
    command = None
    try:
        while True:
            try:
                event = events.send(command)
            except StopIteration:
                return
            if log is not None:
                log.log(event)
            if isinstance(event, EpochEnd | Finished):
                if isinstance(event, Finished):
                    status, message = event.status, event.message
                _save(run, metrics, model, status, message)
            command = yield event
    finally:
        if status == "running":  # closed early (window closed, Ctrl-C): keep what there is
            _save(run, metrics, model, "stopped", "interrupted")
        if log is not None:
            log.close()


def _save(run: Run, metrics: RunMetrics, model: nn.Module, status: str, message: str) -> None:
    run.save_metrics(metrics, status, message)
    if status != "diverged":  # NaN weights are not worth keeping; the curves are
        save_checkpoint(model, run.checkpoint_path)


# -- a whole job, as the Training panel runs it on its worker thread --------------------------------
@dataclass
class Loading:
    what: str


@dataclass
class Started:
    """Training is about to begin: the panel plots `metrics` (filled as the run goes) and keeps
    `data` for display."""

    metrics: RunMetrics
    config: TrainConfig
    run: Run
    data: object  # ImageDataset
    device: str


@dataclass
class Evaluated:
    """evaluation_job's result: the model's evaluation on `data`'s test split."""

    data: object  # ImageDataset
    evaluation: object  # Evaluation


def evaluation_job(load_data, model: nn.Module, device: str, threads: int = 1):
    """Load the data, then evaluate `model` on its test split (no training, no run recorded).
    Ends in Evaluated, or Finished("refused"/"stopped", reason)."""
    from blitzgui.core.data import DatasetError, LoadStopped
    from blitzgui.core.training import STOP, ConfigError, evaluate_model

    if (yield Loading("dataset")) == STOP:
        return
    torch.set_num_threads(threads)
    try:
        data = load_data()
        evaluation = evaluate_model(model, data, device)
    except LoadStopped:
        yield Finished("stopped", "stopped while loading the dataset")
        return
    except (DatasetError, ConfigError) as error:
        yield Finished("refused", str(error))
        return
    except torch.OutOfMemoryError:
        yield Finished("out_of_memory", f"the {device} device ran out of memory while evaluating")
        return
    yield Evaluated(data, evaluation)


def training_job(
    load_data,
    model: nn.Module,
    model_label: str,
    spec_json: str | None,
    config: TrainConfig,
    device: str,
    store: RunStore,
    tensorboard: bool = False,
):
    """Load the data (`load_data()`, may raise DatasetError), check the model, then train and record.
    Anything that stops it before training ends in Finished("refused", reason); nothing is saved."""
    from blitzgui.core.data import DatasetError, LoadStopped
    from blitzgui.core.training import STOP, ConfigError, Trainer

    # A command sent while the job is setting up is kept and handed to the trainer at its first yield.
    pending = yield Loading("dataset")
    if pending == STOP:
        return
    try:
        data = load_data()
        trainer = Trainer(model, data, config, device)
    except LoadStopped:  # Stop pressed or the window closed while loading
        yield Finished("stopped", "stopped while loading the dataset")
        return
    except (DatasetError, ConfigError) as error:
        yield Finished("refused", str(error))
        return
    run = store.create(config, data.name, model_label, spec_json)
    pending = (yield Started(trainer.metrics, config, run, data, device)) or pending
    if pending == STOP:
        run.save_metrics(trainer.metrics, "stopped", "stopped before the first batch")
        yield Finished("stopped", "stopped before the first batch")
        return
    events = recorded(trainer.run(), run, trainer.metrics, trainer.model, tensorboard)
    reply = None
    try:
        while True:
            try:
                event = events.send(reply)
            except StopIteration:
                return
            reply = yield event
            if pending is not None:
                reply, pending = reply or pending, None
    finally:
        events.close()  # closed early (window closed): the recorder saves what there is
