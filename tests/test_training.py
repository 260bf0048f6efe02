"""The trainer generator: the blitz recipe, commands between yields, and every way a run can end."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
import torch
import torch.nn as nn

from blitzgui.core.training import (
    PAUSE,
    RESUME,
    STEP,
    STOP,
    ConfigError,
    EpochEnd,
    Finished,
    Paused,
    Progress,
    SetLR,
    TrainConfig,
    Trainer,
    evaluate,
    Normalizer,
)


@dataclass
class TinyData:
    """A stand-in with ImageDataset's fields: class k lights up quadrant k of an 8×8 image."""

    name: str
    classes: list
    train_images: torch.Tensor
    train_labels: torch.Tensor
    test_images: torch.Tensor
    test_labels: torch.Tensor
    mean: tuple = (0.5, 0.5, 0.5)
    std: tuple = (0.5, 0.5, 0.5)


def tiny_data(n_train: int = 96, n_test: int = 40, seed: int = 0) -> TinyData:
    generator = torch.Generator().manual_seed(seed)

    def make(n):
        labels = torch.arange(n) % 4
        images = torch.randint(0, 60, (n, 3, 8, 8), generator=generator, dtype=torch.uint8)
        for i, label in enumerate(labels.tolist()):
            row, col = divmod(label, 2)
            images[i, :, row * 4 : row * 4 + 4, col * 4 : col * 4 + 4] += 180
        return images, labels

    train_x, train_y = make(n_train)
    test_x, test_y = make(n_test)
    return TinyData("tiny", ["a", "b", "c", "d"], train_x, train_y, test_x, test_y)


def tiny_model(outputs: int = 4) -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 16), nn.ReLU(), nn.Linear(16, outputs))


def quick_config(**changes) -> TrainConfig:
    values = dict(lr=0.05, batch_size=8, epochs=2, report_every=4, eval_batch_size=16)
    values.update(changes)
    return TrainConfig(**values)


def drain(generator, commands=None):
    """Run to the end, sending `commands[i]` after the i-th event; returns the events."""
    events, command = [], None
    commands = dict(commands or {})
    while True:
        try:
            event = generator.send(command)
        except StopIteration:
            return events
        command = commands.get(len(events))
        events.append(event)


def test_defaults_are_the_blitz_recipe():
    config = TrainConfig()
    assert (config.optimizer, config.lr, config.momentum, config.batch_size, config.epochs) == ("SGD", 0.001, 0.9, 4, 2)
    assert config.scheduler == "none" and config.threads == 1


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"lr": -1.0}, "learning rate"),
        ({"lr": float("nan")}, "learning rate"),
        ({"batch_size": 0}, "batch size"),
        ({"epochs": 0}, "epochs"),
        ({"optimizer": "LBFGS"}, "unknown optimizer"),
        ({"scheduler": "Plateau"}, "unknown scheduler"),
        ({"momentum": 1.5}, "momentum"),
    ],
)
def test_bad_config_is_refused_with_the_reason(changes, words):
    with pytest.raises(ConfigError, match=words):
        TrainConfig(**changes).validate()


def test_config_round_trips_through_json():
    config = quick_config(optimizer="Adam", scheduler="StepLR")
    assert TrainConfig.from_json(config.to_json() | {"unknown_future_field": 1}) == config


def test_training_learns_and_reports_everything():
    trainer = Trainer(tiny_model(), tiny_data(), quick_config())
    events = drain(trainer.run())
    assert isinstance(events[-1], Finished) and events[-1].status == "completed"
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert [e.record.epoch for e in epochs] == [1, 2]
    progress = [e for e in events if isinstance(e, Progress)]
    assert progress[-1].global_step == progress[-1].total_steps == 2 * 12
    assert progress[-1].eta_s == pytest.approx(0.0)
    assert all(p.images_per_s > 0 for p in progress)
    metrics = trainer.metrics
    assert len(metrics.step_losses) == 24  # every step's loss, none lost between reports
    assert metrics.step_losses.values()[-4:].mean() < metrics.step_losses.values()[:4].mean()
    evaluation = events[-1].evaluation
    assert evaluation.accuracy > 0.5  # chance is 0.25
    assert evaluation.confusion.sum() == 40 and evaluation.predictions.shape == (40,)
    assert np.all((evaluation.confidences > 0) & (evaluation.confidences <= 1))
    assert epochs[-1].record.test_accuracy == evaluation.accuracy


def test_same_seed_same_run():
    def losses(seed):
        trainer = Trainer(tiny_model(), tiny_data(), quick_config(seed=seed, epochs=1))
        drain(trainer.run())
        return trainer.metrics.step_losses.values().copy()

    assert np.array_equal(losses(3), losses(3))
    assert not np.array_equal(losses(3), losses(4))


def test_pause_step_lr_and_stop_between_yields():
    trainer = Trainer(tiny_model(), tiny_data(), quick_config(epochs=3))
    run = trainer.run()
    first = next(run)
    assert isinstance(first, Progress) and first.global_step == 4
    paused = run.send(PAUSE)
    assert isinstance(paused, Paused) and paused.progress.global_step == 4
    stepped = run.send(STEP)  # exactly one batch, still paused
    assert isinstance(stepped, Paused) and stepped.progress.global_step == 5
    assert len(trainer.metrics.step_losses) == 5
    changed = run.send(SetLR(0.5))
    assert isinstance(changed, Paused) and changed.progress.lr == 0.5
    resumed = run.send(RESUME)
    assert isinstance(resumed, Progress) and resumed.global_step == 8 and resumed.lr == 0.5
    finished = run.send(STOP)
    assert isinstance(finished, Finished) and finished.status == "stopped"
    assert "step 8" in finished.message
    assert finished.evaluation is not None  # a partial run is still evaluated and kept
    assert len(trainer.metrics.step_losses) == 8


def test_stop_while_paused_and_at_an_epoch_end():
    run = Trainer(tiny_model(), tiny_data(), quick_config()).run()
    next(run)
    run.send(PAUSE)
    assert run.send(STOP).status == "stopped"

    events = drain(Trainer(tiny_model(), tiny_data(), quick_config()).run())
    epoch_end = next(i for i, e in enumerate(events) if isinstance(e, EpochEnd))
    events = drain(Trainer(tiny_model(), tiny_data(), quick_config()).run(), {epoch_end: STOP})
    assert events[-1].status == "stopped" and "after epoch 1" in events[-1].message


def test_huge_learning_rate_stops_with_a_clear_message_and_keeps_the_curve():
    trainer = Trainer(tiny_model(), tiny_data(), quick_config(lr=1e12, epochs=3))
    events = drain(trainer.run())
    finished = events[-1]
    assert finished.status == "diverged"
    assert "too high" in finished.message and "1e+12" in finished.message
    losses = trainer.metrics.step_losses.values()
    assert len(losses) > 0 and np.isfinite(losses[0]) and not np.isfinite(losses).all()


class RunsOutOfMemory(nn.Module):
    """Fine when checked (eval), out of memory when training: as a too-big batch on a GPU."""

    def __init__(self):
        super().__init__()
        self.inner = tiny_model()

    def forward(self, x):
        if self.training:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return self.inner(x)


def test_out_of_memory_suggests_a_smaller_batch():
    events = drain(Trainer(RunsOutOfMemory(), tiny_data(), quick_config(batch_size=64)).run())
    assert events[-1].status == "out_of_memory"
    assert "smaller batch size" in events[-1].message and "16" in events[-1].message


def test_model_with_wrong_output_size_is_refused_before_training():
    with pytest.raises(ConfigError, match="4 classes"):
        Trainer(tiny_model(outputs=10), tiny_data(), quick_config())


def test_model_with_wrong_input_shape_is_refused_before_training():
    expects_32 = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 4))
    with pytest.raises(ConfigError, match=r"shape \(3, 8, 8\)"):
        Trainer(expects_32, tiny_data(), quick_config())


@pytest.mark.parametrize("optimizer", ["SGD", "Adam", "Adagrad", "RMSprop"])
@pytest.mark.parametrize("scheduler", ["none", "StepLR", "CosineAnnealingLR"])
def test_every_optimizer_and_scheduler_trains(optimizer, scheduler):
    lr = 0.05 if optimizer in ("SGD", "Adagrad") else 0.005
    config = quick_config(optimizer=optimizer, scheduler=scheduler, lr=lr)
    events = drain(Trainer(tiny_model(), tiny_data(), config).run())
    assert events[-1].status == "completed" and events[-1].evaluation.accuracy > 0.4
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    progress_lrs = {p.lr for p in events if isinstance(p, Progress) and p.epoch == 2}
    if scheduler == "StepLR":
        assert len(progress_lrs) == 1 and progress_lrs.pop() == pytest.approx(lr * 0.1)
    elif scheduler == "none":
        assert progress_lrs == {lr}
    assert len(epochs) == 2


def test_normalizer_matches_torchvision_normalize():
    from torchvision.transforms import Normalize

    images = torch.randint(0, 256, (5, 3, 4, 4), dtype=torch.uint8)
    ours = Normalizer((0.5, 0.4, 0.3), (0.2, 0.25, 0.5), "cpu")(images)
    theirs = Normalize((0.5, 0.4, 0.3), (0.2, 0.25, 0.5))(images.float() / 255)
    assert torch.allclose(ours, theirs, atol=1e-5)


def test_evaluate_counts_per_class():
    data = tiny_data()

    class Oracle(nn.Module):  # predicts class 0 always
        def forward(self, x):
            return torch.tensor([[5.0, 0.0, 0.0, 0.0]]).repeat(len(x), 1)

    result = evaluate(Oracle(), data.test_images, data.test_labels, Normalizer(data.mean, data.std, "cpu"), data.classes, 7)
    assert result.accuracy == pytest.approx(0.25)
    assert result.per_class == {"a": 1.0, "b": 0.0, "c": 0.0, "d": 0.0}
    assert result.confusion[:, 0].sum() == 40


def test_time_spent_paused_does_not_count_against_images_per_second():
    import time

    trainer = Trainer(tiny_model(), tiny_data(), quick_config(epochs=1))
    run = trainer.run()
    next(run)
    run.send(PAUSE)
    time.sleep(0.5)
    events = [run.send(RESUME)] + drain(run)
    record = next(e.record for e in events if isinstance(e, EpochEnd))
    assert record.seconds < 0.4 and record.images_per_s > 96 / 0.4
