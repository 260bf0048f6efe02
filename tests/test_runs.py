"""Runs on disk and checkpoints: kept however a run ends; bad checkpoints refused with a reason."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn

from blitzgui.core.runs import CheckpointError, RunStore, load_checkpoint, recorded, save_checkpoint
from blitzgui.core.training import STOP, TrainConfig, Trainer
from test_training import drain, quick_config, tiny_data, tiny_model


def start(tmp_path, config=None, tensorboard=False):
    config = config or quick_config()
    model = tiny_model()
    trainer = Trainer(model, tiny_data(), config)
    run = RunStore(tmp_path).create(config, "tiny", "tiny model")
    return run, model, recorded(trainer.run(), run, trainer.metrics, model, tensorboard=tensorboard)


def test_a_finished_run_keeps_config_metrics_and_checkpoint(tmp_path):
    run, model, events = start(tmp_path)
    drain(events)
    assert run.info()["config"] == quick_config().to_json() and run.info()["model"] == "tiny model"
    metrics = run.metrics_json()
    assert metrics["status"] == "completed" and len(metrics["step_loss"]) == 24
    assert len(metrics["epochs"]) == 2 and metrics["test_accuracy"] > 0.5
    summary = run.summary()  # what the runs list reads
    assert summary["status"] == "completed" and summary["test_accuracy"] == metrics["test_accuracy"]
    assert summary["images_per_s"] > 0
    fresh = tiny_model()
    load_checkpoint(fresh, run.checkpoint_path)
    assert all(torch.equal(a, b) for a, b in zip(fresh.state_dict().values(), model.state_dict().values()))
    assert [r.id for r in RunStore(tmp_path).runs()] == [run.id]


def test_a_stopped_run_is_kept_and_savable(tmp_path):
    run, _model, events = start(tmp_path)
    drain(events, {0: STOP})
    assert run.metrics_json()["status"] == "stopped" and len(run.metrics_json()["step_loss"]) == 4
    assert run.checkpoint_path.is_file()


def test_a_run_closed_mid_way_is_kept(tmp_path):
    # The window closed while training: the worker closes the generator.
    run, _model, events = start(tmp_path)
    next(events)
    events.close()
    assert run.metrics_json()["status"] == "stopped" and run.checkpoint_path.is_file()


def test_a_diverged_run_keeps_its_curve_but_no_weights(tmp_path):
    run, _model, events = start(tmp_path, quick_config(lr=1e12, epochs=3))
    drain(events)
    metrics = run.metrics_json()
    assert metrics["status"] == "diverged" and "too high" in metrics["message"]
    assert len(metrics["step_loss"]) >= 1 and not run.checkpoint_path.exists()


def test_runs_list_skips_broken_folders(tmp_path):
    store = RunStore(tmp_path)
    store.create(TrainConfig(), "builtin", "Net")
    (store.root / "zz-broken").mkdir()
    (store.root / "zz-broken" / "config.json").write_text("{not json", encoding="utf-8")
    assert len(store.runs()) == 1


def test_tensorboard_log_is_readable(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    run, _model, events = start(tmp_path, tensorboard=True)
    drain(events)
    accumulator = EventAccumulator(str(run.path / "tensorboard"))
    accumulator.Reload()
    assert len(accumulator.Scalars("accuracy/test")) == 2
    assert len(accumulator.Scalars("loss/train_step")) > 2


@pytest.fixture
def checkpoint(tmp_path):
    return save_checkpoint(tiny_model(), tmp_path / "model.pth")


def test_truncated_checkpoint_is_refused_with_its_name(checkpoint):
    checkpoint.write_bytes(checkpoint.read_bytes()[:200])
    with pytest.raises(CheckpointError, match="model.pth: not a readable PyTorch checkpoint"):
        load_checkpoint(tiny_model(), checkpoint)


def test_garbage_file_is_refused(tmp_path):
    path = tmp_path / "notes.pth"
    path.write_text("these are my notes, not weights", encoding="utf-8")
    with pytest.raises(CheckpointError, match="notes.pth"):
        load_checkpoint(tiny_model(), path)


def test_checkpoint_of_another_model_is_refused_with_the_difference(checkpoint):
    wider = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 32), nn.ReLU(), nn.Linear(32, 4))
    with pytest.raises(CheckpointError, match=r"different model.*shape mismatch.*1.weight \(16, 192\) vs \(32, 192\)"):
        load_checkpoint(wider, checkpoint)
    with pytest.raises(CheckpointError, match="missing"):
        load_checkpoint(nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2)), checkpoint)


class Payload:
    def __reduce__(self):
        return (print, ("this ran on load",))


def test_pickled_code_is_refused_not_run(tmp_path, capsys):
    path = tmp_path / "evil.pth"
    torch.save({"weight": Payload()}, path)
    with pytest.raises(CheckpointError, match="evil.pth"):
        load_checkpoint(tiny_model(), path)
    assert "this ran on load" not in capsys.readouterr().out


def test_a_whole_pickled_model_is_not_a_state_dict(tmp_path):
    path = tmp_path / "whole.pth"
    torch.save([torch.zeros(2)], path)
    with pytest.raises(CheckpointError, match="not a model state_dict"):
        load_checkpoint(tiny_model(), path)


def test_missing_checkpoint_file(tmp_path):
    with pytest.raises(CheckpointError, match="no such checkpoint"):
        load_checkpoint(tiny_model(), tmp_path / "nope.pth")


def test_a_command_sent_while_the_job_sets_up_is_not_lost(tmp_path):
    from blitzgui.core.runs import Loading, Started, training_job
    from blitzgui.core.training import PAUSE, Paused, Progress

    job = training_job(tiny_data, tiny_model(), "tiny", None, quick_config(), "cpu", RunStore(tmp_path))
    assert isinstance(next(job), Loading)
    assert isinstance(job.send(PAUSE), Started)
    assert isinstance(job.send(None), Progress)  # the trainer's first report receives the PAUSE
    assert isinstance(job.send(None), Paused)
    assert job.send(STOP).status == "stopped"


def test_a_job_with_bad_data_is_refused_and_saves_nothing(tmp_path):
    from blitzgui.core.data import DatasetError
    from blitzgui.core.runs import training_job

    def missing():
        raise DatasetError("Missing file: /data/cifar-10-batches-py/data_batch_1")

    events = drain(training_job(missing, tiny_model(), "tiny", None, quick_config(), "cpu", RunStore(tmp_path)))
    assert events[-1].status == "refused" and "data_batch_1" in events[-1].message
    assert RunStore(tmp_path).runs() == []


def test_evaluation_job_evaluates_without_training_and_refuses_a_misfit():
    from blitzgui.core.runs import Evaluated, Loading, evaluation_job
    from blitzgui.core.training import Finished

    data, model = tiny_data(), tiny_model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    events = drain(evaluation_job(lambda: data, model, "cpu"))
    assert isinstance(events[0], Loading) and isinstance(events[-1], Evaluated)
    assert len(events[-1].evaluation.predictions) == len(data.test_labels)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())  # not trained
    refused = drain(evaluation_job(lambda: data, tiny_model(outputs=3), "cpu"))[-1]
    assert isinstance(refused, Finished) and refused.status == "refused" and "4 classes" in refused.message
