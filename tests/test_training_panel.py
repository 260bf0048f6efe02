"""The Training panel with a real worker thread, on a tiny CIFAR-10 in its real on-disk format."""

from __future__ import annotations

import json
import time

import pytest
import torch
import torch.nn as nn

from blitzgui.core.devices import resolve_device
from blitzgui.core.session import Session
from blitzgui.ui.context import AppContext
from blitzgui.ui.i18n import install_translators
from blitzgui.ui.training_panel import TrainingPanel
from blitzgui.ui.workers import GeneratorWorker, TrainingProcessWorker
from cifar_fixture import write_tiny_cifar10
from test_train_process import typed_in_the_console

WAIT_MS = 60_000


@pytest.fixture
def panel(qtbot, qapp, data_dir):
    install_translators(qapp, "en")  # an earlier test may have left the Chinese ones installed
    write_tiny_cifar10(data_dir)
    panel = TrainingPanel(AppContext(Session(), resolve_device("cpu"), data_dir))
    qtbot.addWidget(panel)
    panel.dataset.setCurrentIndex(panel.dataset.findData("cifar10"))
    panel.epochs.setValue(1)
    yield panel
    panel.shutdown()


def train(qtbot, panel):
    with qtbot.waitSignal(panel.training_finished, timeout=WAIT_MS) as finished:
        assert panel.start()
    return finished.args[0]


def test_pause_step_lr_resume_and_stop(qtbot, panel):
    panel.epochs.setValue(1000)  # long enough to be stopped by hand
    with qtbot.waitSignal(panel.training_started, timeout=WAIT_MS):
        panel.start()
    assert not panel.start_button.isEnabled() and not panel.batch_size.isEnabled()
    panel.pause_button.click()
    qtbot.waitUntil(lambda: panel.paused, timeout=WAIT_MS)
    assert panel.pause_button.text() == "Resume" and panel.step_button.isEnabled()
    before = len(panel.metrics.step_losses)
    panel.step_button.click()
    qtbot.waitUntil(lambda: len(panel.metrics.step_losses) == before + 1, timeout=WAIT_MS)
    time.sleep(0.2)
    assert len(panel.metrics.step_losses) == before + 1  # exactly one batch, still paused
    panel.lr.setValue(0.005)  # sent to the running trainer
    qtbot.waitUntil(lambda: panel.last_progress.lr == pytest.approx(0.005), timeout=WAIT_MS)
    assert "Paused" in panel.speed_label.text()
    panel.pause_button.click()  # resume
    qtbot.waitUntil(lambda: not panel.paused, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "images/s" in panel.speed_label.text(), timeout=WAIT_MS)
    with qtbot.waitSignal(panel.training_finished, timeout=WAIT_MS) as finished:
        panel.stop_button.click()
    assert finished.args[0].status == "stopped"
    assert panel.metrics.evaluation is not None
    assert panel.last_progress.lr == pytest.approx(0.005)
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=WAIT_MS)
    assert panel.save_button.isEnabled()  # a stopped run can be saved
    metrics = panel.run.metrics_json()
    assert metrics["status"] == "stopped" and len(metrics["step_loss"]) > before


def test_a_finished_run_shows_curves_evaluation_and_lands_in_the_runs_list(qtbot, panel):
    panel.epochs.setValue(2)
    finished = train(qtbot, panel)
    assert finished.status == "completed"
    assert len(panel.loss_plot.step_curve.getData()[0]) == 50  # 100 images / batch 4, 2 epochs
    assert len(panel.accuracy_plot.test_curve.getData()[0]) == 2
    assert panel.tabs.currentWidget() is panel.evaluation_view
    assert panel.evaluation_view.confusion.rowCount() == 10 and panel.evaluation_view.gallery.count() == 20
    panel.evaluation_view.mistakes_only.setChecked(True)
    wrong = int((finished.evaluation.predictions != panel.data.test_labels.numpy()).sum())
    assert panel.evaluation_view.gallery.count() == wrong
    assert panel.runs_view.list.count() == 1
    item = panel.runs_view.list.item(0)
    item.setCheckState(item.checkState().Checked)
    assert len(panel.runs_view.loss_plot.getPlotItem().listDataItems()) == 1
    assert "CPU" in panel.speed_note.text() and "images/s" in panel.speed_note.text()


def test_huge_learning_rate_stops_with_a_message_and_keeps_the_curve(qtbot, panel):
    panel.lr.setValue(1e6)
    finished = train(qtbot, panel)
    assert finished.status == "diverged"
    assert "too high" in panel.message.text()
    assert len(panel.loss_plot.step_curve.getData()[0]) > 0


def test_missing_dataset_is_named_and_the_panel_stays_usable(qtbot, panel, data_dir):
    import shutil

    shutil.rmtree(data_dir / "cifar-10-batches-py")
    finished = train(qtbot, panel)
    assert finished.status == "refused" and "cifar-10-batches-py" in panel.message.text()
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=WAIT_MS)


def test_truncated_dataset_file_is_named(qtbot, panel, data_dir):
    batch = data_dir / "cifar-10-batches-py" / "data_batch_3"
    batch.write_bytes(batch.read_bytes()[:500])
    train(qtbot, panel)
    assert "data_batch_3" in panel.message.text()


def test_model_with_wrong_output_size_is_refused_with_the_reason(qtbot, panel):
    panel.context.session.emit("train_model", nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 7)), "seven")
    assert "seven" in panel.model.currentText()
    finished = train(qtbot, panel)
    assert finished.status == "refused" and "10 classes" in panel.message.text()


def test_model_with_wrong_input_shape_is_refused_with_the_reason(qtbot, panel):
    panel.context.session.emit("train_model", nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 10)), "mnist-like")
    train(qtbot, panel)
    assert "(3, 32, 32)" in panel.message.text()


OUT_OF_MEMORY_SOURCE = """class Hungry(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3 * 32 * 32, 10)

    def forward(self, x):
        if self.training:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")
        return self.fc(x.flatten(1))
"""


@pytest.mark.parametrize("where", ["process", "thread"])
def test_out_of_memory_suggests_a_smaller_batch_and_the_app_lives(qtbot, panel, where):
    # typed into the console: sent to the training process; from a module of the user's: on a thread
    module = "__main__" if where == "process" else __name__
    model = typed_in_the_console(OUT_OF_MEMORY_SOURCE, "Hungry", module)()
    panel.context.session.emit("train_model", model, "hungry")
    panel.batch_size.setValue(512)
    with qtbot.waitSignal(panel.training_finished, timeout=WAIT_MS) as done:
        assert panel.start()
        assert isinstance(panel.worker, TrainingProcessWorker if where == "process" else GeneratorWorker)
    finished = done.args[0]
    assert finished.status == "out_of_memory" and "smaller batch size" in panel.message.text()
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=WAIT_MS)


def test_builder_models_train_in_a_process_and_their_weights_come_back(qtbot, panel):
    module = panel.selected_model()[0]
    panel.context.session.emit("train_model", module, "from the builder")
    before = {k: v.clone() for k, v in module.state_dict().items()}
    with qtbot.waitSignal(panel.training_finished, timeout=WAIT_MS) as done:
        assert panel.start()
        assert isinstance(panel.worker, TrainingProcessWorker)
    assert done.args[0].status == "completed"
    assert panel.trained_module is module
    assert not torch.equal(module.state_dict()["fc3.weight"], before["fc3.weight"])  # trained over there


BLITZ_NET = """class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)
"""


def test_the_blitz_net_typed_into_the_console_trains_in_a_process_and_keeps_its_weights(
        qtbot, make_window, data_dir):
    write_tiny_cifar10(data_dir)
    window = make_window()
    window.execute(BLITZ_NET)
    window.execute("net = Net()")
    net = window.session.namespace["net"]
    before = net.fc3.weight.detach().clone()
    panel = window.show_panel("training")
    panel.dataset.setCurrentIndex(panel.dataset.findData("cifar10"))
    panel.epochs.setValue(1)
    window.session.emit("train_model", net, "console Net")
    with qtbot.waitSignal(panel.training_finished, timeout=WAIT_MS) as done:
        assert panel.start()
        assert isinstance(panel.worker, TrainingProcessWorker)  # its code went along (cloudpickle)
    assert done.args[0].status == "completed"
    assert not torch.equal(net.fc3.weight, before)  # the console's `net` now holds the trained weights


def test_a_training_process_that_dies_is_reported_and_the_panel_recovers(qtbot, panel):
    panel.epochs.setValue(1000)
    with qtbot.waitSignal(panel.training_started, timeout=WAIT_MS):
        assert panel.start()
    panel.worker.terminate()  # as if killed by the system
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=WAIT_MS)
    assert "training process ended unexpectedly" in panel.message.text() and panel.worker is None
    panel.epochs.setValue(1)
    assert train(qtbot, panel).status == "completed"


def test_bad_form_values_are_refused_before_starting(qtbot, panel):
    panel.dataset.setCurrentIndex(panel.dataset.findData("folder"))
    assert not panel.start()
    assert "image folder" in panel.message.text() and panel.worker is None
    panel.dataset.setCurrentIndex(panel.dataset.findData("cifar10"))
    panel.model.setCurrentIndex(panel.model.findData("file"))
    panel.model_file.setText(str(panel.context.data_dir / "nope.json"))
    assert not panel.start()
    assert "nope.json" in panel.message.text()


def test_checkpoints_save_load_and_refuse_bad_files(qtbot, panel, tmp_path):
    assert not panel.save_checkpoint_to(tmp_path / "early.pth")
    train(qtbot, panel)
    qtbot.waitUntil(lambda: panel.save_button.isEnabled(), timeout=WAIT_MS)
    assert panel.save_checkpoint_to(tmp_path / "cifar_net.pth")
    assert panel.load_checkpoint_from(tmp_path / "cifar_net.pth")
    assert "cifar_net.pth" in panel.model.currentText()
    module = panel.selected_model()[0]
    assert torch.equal(module.state_dict()["conv1.weight"], panel.trained_module.state_dict()["conv1.weight"])
    (tmp_path / "broken.pth").write_bytes(b"\x80\x02garbage")
    assert not panel.load_checkpoint_from(tmp_path / "broken.pth")
    assert "broken.pth" in panel.message.text() and "refused" in panel.message.text()
    panel.model.setCurrentIndex(panel.model.findData("cifar_net_wide"))
    assert not panel.load_checkpoint_from(tmp_path / "cifar_net.pth")
    assert "different model" in panel.message.text()


def test_closing_the_window_mid_training_stops_the_worker_and_keeps_the_run(qtbot, make_window, data_dir):
    write_tiny_cifar10(data_dir)
    window = make_window()
    panel = window.show_panel("training")
    panel.dataset.setCurrentIndex(panel.dataset.findData("cifar10"))
    panel.epochs.setValue(500)
    with qtbot.waitSignal(panel.training_started, timeout=WAIT_MS):
        panel.start()
    qtbot.waitUntil(lambda: len(panel.metrics.step_losses) > 10, timeout=WAIT_MS)
    worker = panel.worker
    started = time.perf_counter()
    assert window.close()
    assert time.perf_counter() - started < 10
    assert not worker.is_running()
    metrics = json.loads((panel.run.path / "metrics.json").read_text())
    assert metrics["status"] == "stopped" and len(metrics["step_loss"]) > 10
    assert (panel.run.path / "model.pth").is_file()


def _start_loading_the_full_builtin_set(qtbot, panel):
    """The 60,000 built-in images are generated on first use: seconds of work to interrupt."""
    panel.dataset.setCurrentIndex(panel.dataset.findData("builtin"))
    assert panel.start()
    worker = panel.worker
    qtbot.wait(300)  # well into the generation
    assert worker.is_running() and panel.metrics is None
    return worker


def test_stop_while_the_dataset_loads_ends_the_load(qtbot, panel, data_dir):
    _start_loading_the_full_builtin_set(qtbot, panel)
    with qtbot.waitSignal(panel.training_finished, timeout=10_000) as finished:
        panel.stop_button.click()
    assert finished.args[0].status == "stopped" and "loading" in finished.args[0].message
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=5000)
    assert not list((data_dir / "builtin").glob("*.pt")) if (data_dir / "builtin").exists() else True


def test_shutdown_during_a_long_dataset_load_stops_it_promptly(qtbot, panel):
    worker = _start_loading_the_full_builtin_set(qtbot, panel)
    started = time.perf_counter()
    panel.shutdown()
    assert not worker.is_running()  # the thread ended, not abandoned
    assert time.perf_counter() - started < 3  # one chunk of generation, not the whole set


def evaluate(qtbot, panel):
    with qtbot.waitSignal(panel.evaluation_finished, timeout=WAIT_MS) as finished:
        assert panel.evaluate()
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=WAIT_MS)
    return finished.args[0]


def test_evaluate_the_trained_model_without_training(qtbot, panel):
    trained = train(qtbot, panel)
    qtbot.waitUntil(lambda: panel.evaluate_button.isEnabled(), timeout=WAIT_MS)
    runs_before = len(panel.store.runs())
    steps_before = len(panel.metrics.step_losses)
    panel.tabs.setCurrentIndex(0)
    result = evaluate(qtbot, panel)
    # the very model just trained, unchanged: the same predictions as the run's final evaluation
    assert (result.evaluation.predictions == trained.evaluation.predictions).all()
    assert len(panel.metrics.step_losses) == steps_before and len(panel.store.runs()) == runs_before
    assert panel.tabs.currentWidget() is panel.evaluation_view
    assert panel.evaluation_view.confusion.rowCount() == 10
    assert "test images right" in panel.message.text() and "cifar_net" in panel.message.text()
    panel.model.setCurrentIndex(panel.model.findData("cifar_net_wide"))  # another model: not trained yet
    assert evaluate(qtbot, panel).evaluation is not None and "cifar_net_wide" in panel.message.text()
    panel.model.setCurrentIndex(panel.model.findData("cifar_net"))  # back: the trained weights again
    assert (evaluate(qtbot, panel).evaluation.predictions == trained.evaluation.predictions).all()


def test_evaluate_a_loaded_checkpoint(qtbot, panel, tmp_path):
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
    with torch.no_grad():
        model[1].weight.zero_()
        model[1].bias.copy_(torch.arange(10.0))  # always predicts class 9
    torch.save(model.state_dict(), tmp_path / "nine.pth")
    panel.context.session.emit("train_model", nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10)), "linear")
    assert panel.load_checkpoint_from(tmp_path / "nine.pth")
    result = evaluate(qtbot, panel)
    assert (result.evaluation.predictions == 9).all()
    assert result.evaluation.accuracy == pytest.approx((panel.data.test_labels == 9).float().mean().item())


def test_evaluate_refuses_a_model_that_does_not_fit_and_a_missing_dataset(qtbot, panel, data_dir):
    panel.context.session.emit("train_model", nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 7)), "seven")
    result = evaluate(qtbot, panel)
    assert result.status == "refused" and "10 classes" in panel.message.text()
    import shutil

    shutil.rmtree(data_dir / "cifar-10-batches-py")
    panel._datasets.clear()
    result = evaluate(qtbot, panel)
    assert result.status == "refused" and "cifar-10-batches-py" in panel.message.text()
    assert panel.evaluate_button.isEnabled() and panel.start_button.isEnabled()
