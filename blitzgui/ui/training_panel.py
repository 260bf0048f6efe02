"""Training panel: part 4 of the blitz in one click, with everything visible while it runs.

The form builds a TrainConfig; Start runs a core `training_job` in a child process
(TrainingProcessWorker), so the GUI's Python and the trainer never wait for each other's
interpreter lock; a model the process cannot receive (a class from a module of the user's, a lock
held by it) trains on a thread (GeneratorWorker) instead. The loop never touches a widget: the
plots read the run's growing buffers on a 5 Hz timer, and the few events that change labels arrive
as (thinned) signals.
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from blitzgui.core.download import CIFAR10_DIRNAME
from blitzgui.core.runs import Evaluated, Loading, RunStore, Started, evaluation_job, training_job
from blitzgui.core.train_process import TrainedWeights, TrainRequest, can_train_in_process, pickle_model, warm_up
from blitzgui.core.training import (
    OPTIMIZERS,
    PAUSE,
    RESUME,
    SCHEDULERS,
    STEP,
    STOP,
    ConfigError,
    EpochEnd,
    Finished,
    Paused,
    Progress,
    SetLR,
    TrainConfig,
    seed_everything,
)
from blitzgui.ui.context import AppContext
from blitzgui.ui.dataset_browser import DatasetBrowser
from blitzgui.ui.dataset_download import DatasetDownloadWidget
from blitzgui.ui.evaluation_view import EvaluationView
from blitzgui.ui.preset_names import preset_title
from blitzgui.ui.training_plots import AccuracyPlot, LossPlot
from blitzgui.ui.training_runs import RunsView
from blitzgui.ui.workers import GeneratorWorker, TrainingProcessWorker

# Plots redraw at 5 Hz from the buffers, never per step. When a model trains on a thread, each
# redraw is Python work holding the GIL that the trainer needs: at 10 Hz such a run went at ~0.8 of
# a bare loop's speed on 2 cores, at 5 Hz ~0.9 (benchmarks/bench_training.py).
REPAINT_MS = 200
SHUTDOWN_WAIT_S = 15.0
log = logging.getLogger(__name__)


def format_duration(seconds: float) -> str:
    seconds = int(max(0, seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def out_of_sight(widget: QWidget) -> bool:
    """Hidden in a shown window (a window never shown, as in tests and screenshots, still draws)."""
    window = widget.window()
    return window.isVisible() and (window.isMinimized() or not widget.isVisible())


def sendable_model(module) -> bytes | None:
    """The model pickled for the training process, or None when it must train on a thread."""
    if not can_train_in_process(module):
        return None
    try:
        return pickle_model(module)
    except (pickle.PicklingError, TypeError, AttributeError):  # e.g. a lock or a widget held by it
        return None


def device_kind(device: str) -> str:
    return "cpu" if device == "cpu" else "gpu"


class TrainingPanel(QWidget):
    # Emitted in the GUI thread (tests and other code can wait on them safely).
    training_started = Signal()
    training_finished = Signal(object)  # the Finished event
    evaluation_finished = Signal(object)  # Evaluated, or Finished when an evaluation was refused

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.store = RunStore(context.data_dir)
        self.worker: GeneratorWorker | TrainingProcessWorker | None = None
        self.metrics = None  # the current or last run's RunMetrics, filled as it trains
        self.run_config: TrainConfig | None = None  # what that run was started with
        self.trained_module = None  # the model that run trained (it gets the weights at the end)
        self.run = None
        self.data = None
        self.paused = False
        self.last_progress: Progress | None = None  # the latest from the trainer
        self._shown_progress: Progress | None = None  # the one the labels show
        self._datasets: dict[tuple, object] = {}  # loaded once per source, reused by later runs
        self._stop_loading = threading.Event()  # ends a dataset load early (Stop, closing the window)
        self.preview_worker: GeneratorWorker | None = None  # loads the Data tab's dataset
        self._stop_preview = threading.Event()
        self._preview_source: str | None = None  # what the Data tab shows (or explained it could not)
        self._extra_models: dict[str, tuple] = {}  # combo key -> (module, label, spec)
        self._trained: dict[str, tuple] = {}  # model choice -> (module, label, spec) last trained with it
        self._evaluating: str | None = None  # the model's label while Evaluate runs
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(REPAINT_MS)
        self.timer.timeout.connect(self._repaint)
        context.session.on("train_model", self.take_model)
        self._set_running(False)
        self._update_speed_note()

    # -- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        defaults = TrainConfig()
        self.dataset = QComboBox()
        self.dataset.addItem(self.tr("Built-in shapes (offline)"), "builtin")
        self.dataset.addItem(self.tr("CIFAR-10 (data folder)"), "cifar10")
        self.dataset.addItem(self.tr("Image folder…"), "folder")
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(self.tr("folder with train/<class>/ and test/<class>/"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder)
        folder_row.addWidget(browse)
        self.folder_box = QWidget()
        self.folder_box.setLayout(folder_row)
        folder_row.setContentsMargins(0, 0, 0, 0)
        self.dataset.currentIndexChanged.connect(self._dataset_changed)
        self.folder.editingFinished.connect(self._dataset_changed)
        self.download_button = QPushButton(self.tr("Download CIFAR-10…"))
        self.download_button.setToolTip(self.tr("CIFAR-10 is not in the data folder yet"))
        self.download_button.clicked.connect(self._download_cifar10)

        self.model = QComboBox()
        from blitzgui.core.layers import PRESETS

        for name, (_title, spec) in PRESETS.items():
            if spec.input_shape[0] == 3:  # the part-3 Net takes 1-channel images, not these datasets
                self.model.addItem(preset_title(name), name)
        self.model.addItem(self.tr("Network file (.json)…"), "file")
        self.model_file = QLineEdit()
        self.model_file.setPlaceholderText(self.tr("a network saved by the Builder"))
        self.model_file.setVisible(False)
        self.model.currentIndexChanged.connect(
            lambda _i: self.model_file.setVisible(self.model.currentData() == "file"))

        self.optimizer = QComboBox()
        self.optimizer.addItems(OPTIMIZERS)
        self.lr = QDoubleSpinBox(decimals=6, minimum=0.000001, maximum=1e6, value=defaults.lr)
        self.lr.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr.setToolTip(self.tr("Can be changed while training runs."))
        self.lr.valueChanged.connect(self._lr_changed)
        self.momentum = QDoubleSpinBox(decimals=3, minimum=0.0, maximum=0.999, singleStep=0.05, value=defaults.momentum)
        self.weight_decay = QDoubleSpinBox(decimals=6, minimum=0.0, maximum=1.0, value=defaults.weight_decay)
        self.weight_decay.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.batch_size = QSpinBox(minimum=1, maximum=65536, value=defaults.batch_size)
        self.batch_size.valueChanged.connect(self._update_speed_note)
        self.epochs = QSpinBox(minimum=1, maximum=1000, value=defaults.epochs)
        self.scheduler = QComboBox()
        self.scheduler.addItems(SCHEDULERS)
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=defaults.seed)
        self.device = QComboBox()
        for device in self._devices():
            self.device.addItem(device, device)
        self.device.setCurrentIndex(max(0, self.device.findData(self.context.device.device)))
        self.threads = QSpinBox(minimum=1, maximum=os.cpu_count() or 1, value=defaults.threads)
        self.threads.setToolTip(self.tr("torch threads for training; 1 is fastest for small batches beside the GUI"))
        self.tensorboard = QCheckBox(self.tr("Log to TensorBoard"))

        for combo in (self.dataset, self.model, self.optimizer, self.scheduler, self.device):
            # long titles (model presets) must not widen the form beyond its column
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        form = QFormLayout()
        form.addRow(self.tr("Dataset"), self.dataset)
        form.addRow("", self.folder_box)
        form.addRow("", self.download_button)
        form.addRow(self.tr("Model"), self.model)
        form.addRow("", self.model_file)
        form.addRow(self.tr("Optimizer"), self.optimizer)
        form.addRow(self.tr("Learning rate"), self.lr)
        form.addRow(self.tr("Momentum"), self.momentum)
        form.addRow(self.tr("Weight decay"), self.weight_decay)
        form.addRow(self.tr("Batch size"), self.batch_size)
        form.addRow(self.tr("Epochs"), self.epochs)
        form.addRow(self.tr("LR scheduler"), self.scheduler)
        form.addRow(self.tr("Seed"), self.seed)
        form.addRow(self.tr("Device"), self.device)
        form.addRow(self.tr("Threads"), self.threads)
        form.addRow("", self.tensorboard)
        settings = QGroupBox(self.tr("Recipe (defaults: the blitz's)"))
        settings.setLayout(form)

        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.step_button = QPushButton(self.tr("Step"))
        self.step_button.setToolTip(self.tr("While paused: train exactly one mini-batch"))
        self.step_button.clicked.connect(lambda: self._send(STEP))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.stop)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.step_button, self.stop_button):
            buttons.addWidget(button)

        self.save_button = QPushButton(self.tr("Save checkpoint…"))
        self.save_button.clicked.connect(self._save_dialog)
        self.load_button = QPushButton(self.tr("Load checkpoint…"))
        self.load_button.clicked.connect(self._load_dialog)
        self.evaluate_button = QPushButton(self.tr("Evaluate"))
        self.evaluate_button.setToolTip(self.tr("Test the current model (last trained or loaded) on the test images, "
                                                "without training"))
        self.evaluate_button.clicked.connect(self.evaluate)
        checkpoint_row = QHBoxLayout()
        checkpoint_row.addWidget(self.save_button)
        checkpoint_row.addWidget(self.load_button)
        checkpoint_row.addWidget(self.evaluate_button)

        self.device_label = QLabel()
        self.device_label.setWordWrap(True)
        self.speed_label = QLabel(self.tr("Not training"))
        self.speed_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("epoch progress %p %"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.speed_note = QLabel()
        self.speed_note.setWordWrap(True)
        self.speed_note.setStyleSheet("color: #555;")

        form_column = QWidget()
        form_layout = QVBoxLayout(form_column)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(settings)
        form_layout.addLayout(buttons)
        form_layout.addLayout(checkpoint_row)
        form_layout.addStretch()
        scroll = QScrollArea()
        scroll.setWidget(form_column)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Status below the scrolling form, so wrapped messages get the height they need.
        left = QWidget()
        left.setMinimumWidth(360)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(scroll, 1)
        for widget in (self.device_label, self.speed_label, self.progress, self.message, self.speed_note):
            left_layout.addWidget(widget)
        self.loss_plot = LossPlot()
        self.accuracy_plot = AccuracyPlot()
        live = QSplitter(Qt.Orientation.Vertical)
        live.addWidget(self.loss_plot)
        live.addWidget(self.accuracy_plot)
        live.setSizes([500, 300])
        self.evaluation_view = EvaluationView()
        self.runs_view = RunsView(self.store)
        self.tabs = QTabWidget()
        self.tabs.addTab(live, self.tr("Live"))
        self.tabs.addTab(self.evaluation_view, self.tr("Evaluation"))
        self.tabs.addTab(self.runs_view, self.tr("Runs"))
        self.tabs.addTab(self._build_data_tab(), self.tr("Data"))
        self.tabs.currentChanged.connect(self._load_preview)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([370, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self._dataset_changed()

    def _build_data_tab(self) -> QWidget:
        """The chosen dataset's samples (the blitz's imshow) and, for CIFAR-10, its download."""
        self.download = DatasetDownloadWidget(self.context.data_dir)
        self.download.downloaded.connect(self._cifar10_downloaded)
        self.download.builtin_requested.connect(
            lambda: self.dataset.setCurrentIndex(self.dataset.findData("builtin")))
        self.data_status = QLabel()
        self.data_status.setWordWrap(True)
        self.data_status.setVisible(False)
        self.browser = DatasetBrowser()
        self.data_tab = QWidget()
        layout = QVBoxLayout(self.data_tab)
        layout.addWidget(self.download)
        layout.addWidget(self.data_status)
        layout.addWidget(self.browser, 1)
        return self.data_tab

    def _devices(self) -> list[str]:
        import torch

        devices = ["cpu"] + [f"cuda:{i}" for i in range(torch.cuda.device_count())]
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            devices.append("mps")
        return devices

    # -- form -> config, model, data ------------------------------------------------------------
    def config(self) -> TrainConfig:
        return TrainConfig(
            optimizer=self.optimizer.currentText(), lr=self.lr.value(), momentum=self.momentum.value(),
            weight_decay=self.weight_decay.value(), batch_size=self.batch_size.value(), epochs=self.epochs.value(),
            scheduler=self.scheduler.currentText(), seed=self.seed.value(), device=self.device.currentData(),
            threads=self.threads.value(),
        )

    def dataset_source(self) -> str:
        source = self.dataset.currentData()
        if source != "folder":
            return source
        folder = self.folder.text().strip()
        if not folder:
            raise ConfigError(self.tr("Choose the image folder first."))
        return f"folder:{folder}"

    def selected_model(self):
        """(module, label, spec or None): a fresh preset, a network file, or a model given to us."""
        from blitzgui.core.layers import build_module, load_spec, preset

        key = self.model.currentData()
        if key in self._extra_models:
            return self._extra_models[key]
        if key == "file":
            path = self.model_file.text().strip()
            if not path:
                raise ConfigError(self.tr("Choose a network file first."))
            spec = load_spec(path)  # ValueError with the file's name and the problem
            return build_module(spec), Path(path).stem, spec
        return build_module(preset(key)), key, preset(key)

    def take_model(self, module, label: str, spec=None) -> None:
        """The "train_model" event (the Builder's "Use for training"): train this very module."""
        self._add_model_choice("builder", self.tr("From the Builder: {}").format(label), (module, label, spec))
        self.context.session.emit("show_panel", "training")

    def _add_model_choice(self, key: str, title: str, entry: tuple) -> None:
        self._extra_models[key] = entry
        self._trained.pop(key, None)  # a new model under this choice: trained in place from here on
        index = self.model.findData(key)
        if index < 0:
            self.model.addItem(title, key)
            index = self.model.count() - 1
        self.model.setItemText(index, title)
        self.model.setCurrentIndex(index)

    # -- running ---------------------------------------------------------------------------------
    def start(self) -> bool:
        """Start training with the form's settings; False (and a message) when refused."""
        from blitzgui.core.devices import resolve_device
        from blitzgui.core.layers import spec_to_json

        if self.worker is not None:
            return False
        config = self.config()
        try:
            config.validate()
            source = self.dataset_source()
            seed_everything(config.seed)  # same seed, same initial weights
            module, label, spec = self.selected_model()
        except (ConfigError, ValueError) as error:
            self._show_message(str(error), error=True)
            return False
        device = resolve_device(config.device)
        config.device = device.device  # the run records where it really ran
        image_size = tuple(spec.input_shape[1:]) if spec is not None and source.startswith("folder:") else None

        def load_data():
            return self._load_dataset(source, image_size, self._stop_loading.is_set)

        spec_json = spec_to_json(spec) if spec is not None else None
        self._trained[self.model.currentData()] = (module, label, spec)
        tensorboard = self.tensorboard.isChecked()
        self.trained_module = module
        self.device_label.setText(self.tr("Training device: {}").format(device.name))
        self._show_message(device.notice or "")
        self.speed_label.setText(self.tr("Loading the dataset…"))
        self.paused = False
        self._stop_loading.clear()
        self._set_running(True)
        model_bytes = sendable_model(module)
        if model_bytes is not None:
            request = TrainRequest(source, self.context.data_dir, image_size, model_bytes, label, spec_json, config,
                                   device.device, tensorboard)
            try:
                self._launch(TrainingProcessWorker(request))
                return True
            except Exception:  # e.g. a script without `if __name__ == "__main__":` cannot start processes
                log.warning("cannot start a training process; training on a thread", exc_info=True)
        # On a thread: slower while the plots redraw, but any model works.
        self._launch(GeneratorWorker(
            lambda: training_job(load_data, module, label, spec_json, config, device.device, self.store, tensorboard),
            droppable=(Progress,), wait_after=(Paused,), min_interval_s=0.2,  # labels at 5 Hz
        ))
        return True

    def _launch(self, worker) -> None:
        worker.yielded.connect(self._on_event)
        worker.failed.connect(self._on_failed)
        worker.done.connect(self._on_done)
        self.worker = worker
        worker.start()

    def stop(self) -> None:
        """Stop training, or the dataset load before it (the trainer only hears commands later)."""
        self._stop_loading.set()
        self._send(STOP)

    def evaluate(self) -> bool:
        """Evaluate the chosen model (as last trained, loaded or taken from the Builder) on the test
        split, on the worker thread; False (and a message) when refused."""
        from blitzgui.core.devices import resolve_device

        if self.worker is not None:
            return False
        try:
            source = self.dataset_source()
            # the chosen model with the weights it was last trained to, if it was
            module, label, spec = self._trained.get(self.model.currentData()) or self.selected_model()
        except (ConfigError, ValueError) as error:
            self._show_message(str(error), error=True)
            return False
        device = resolve_device(self.device.currentData()).device
        image_size = tuple(spec.input_shape[1:]) if spec is not None and source.startswith("folder:") else None

        def load_data():
            return self._load_dataset(source, image_size, self._stop_loading.is_set)

        self.worker = GeneratorWorker(lambda: evaluation_job(load_data, module, device, self.threads.value()))
        self.worker.yielded.connect(self._on_event)
        self.worker.failed.connect(self._on_failed)
        self.worker.done.connect(self._on_done)
        self._evaluating = label
        self._show_message(self.tr("Evaluating {} on the test images…").format(label))
        self._stop_loading.clear()
        self._set_running(True)
        self.worker.start()
        return True

    def _load_dataset(self, source: str, image_size, should_stop):
        """Any thread: the dataset, loaded once per (source, size) and then kept in memory."""
        from blitzgui.core.data import load_dataset

        key = (source, image_size)
        if key not in self._datasets:
            self._datasets[key] = load_dataset(source, self.context.data_dir, image_size=image_size,
                                               should_stop=should_stop)
        return self._datasets[key]

    def toggle_pause(self) -> None:
        self._send(RESUME if self.paused else PAUSE)

    def _send(self, command) -> None:
        if self.worker is not None:
            self.worker.send(command)

    def _lr_changed(self, value: float) -> None:
        if self.worker is not None:
            self.worker.send(SetLR(value))

    def shutdown(self) -> None:
        """Stop a running training (the run is saved) and wait for the thread, within a bound."""
        self.timer.stop()
        self.download.shutdown()
        self._stop_preview.set()
        worker = self.worker
        if worker is not None:
            self.stop()
            if not worker.wait(SHUTDOWN_WAIT_S) and isinstance(worker, TrainingProcessWorker):
                worker.terminate()
        if self.preview_worker is not None:
            self.preview_worker.wait(SHUTDOWN_WAIT_S)

    # -- events from the worker (GUI thread) -----------------------------------------------------
    def _on_event(self, event) -> None:
        if self._evaluating is not None:
            self._evaluation_event(event)
        elif isinstance(event, Loading):
            self.speed_label.setText(self.tr("Loading the dataset…"))
        elif isinstance(event, Started):
            self.metrics, self.run_config, self.run, self.data = event.metrics, event.config, event.run, event.data
            self.loss_plot.show_metrics(self.metrics)
            self.accuracy_plot.show_metrics(self.metrics)
            self.tabs.setCurrentIndex(0)
            self.timer.start()
            self.training_started.emit()
        elif isinstance(event, Progress | Paused):
            progress = event.progress if isinstance(event, Paused) else event
            if self.paused != isinstance(event, Paused):
                self.paused = isinstance(event, Paused)
                self._set_running(True)
            self.last_progress = progress
            if self.paused:  # training waits for the user: show where it stands at once
                self._show_progress(progress)
            # While running, the labels follow on the repaint tick with the plot: one GUI wake-up
            # and one repaint pass for both, instead of two on unrelated clocks.
        elif isinstance(event, EpochEnd):
            self.accuracy_plot.show_metrics(self.metrics)
        elif isinstance(event, TrainedWeights):  # from the training process, just before Finished
            self.trained_module.load_state_dict(event.state)
        elif isinstance(event, Finished):
            self._finished(event)

    def _show_progress(self, p: Progress) -> None:
        self._shown_progress = p
        self.progress.setMaximum(p.steps_per_epoch)
        self.progress.setValue(p.step)
        state = self.tr("Paused") if self.paused else self.tr("{:,.0f} images/s").format(p.images_per_s)
        self.speed_label.setText(
            self.tr("{state} · epoch {epoch}/{epochs} · step {step}/{steps} · loss {loss:.3f} · ETA {eta}").format(
                state=state, epoch=p.epoch, epochs=self.run_config.epochs, step=p.step, steps=p.steps_per_epoch,
                loss=p.loss, eta=format_duration(p.eta_s),
            )
        )
        self._fit_labels(self.speed_label)

    def _finished(self, event: Finished) -> None:
        self.loss_plot.refresh()  # the whole curve, seen or not
        if self.metrics is not None:
            self.accuracy_plot.show_metrics(self.metrics)
        texts = {
            "completed": self.tr("Training finished."),
            "stopped": self.tr("Training stopped; the partial run is kept and can be saved."),
            "diverged": self.tr("Training stopped: the loss is no longer a number. The curves are kept."),
            "out_of_memory": self.tr("Training stopped: out of memory."),
            "refused": self.tr("Cannot start training:"),
        }
        self._show_message("{} {}".format(texts.get(event.status, event.status), event.message),
                           error=event.status not in ("completed", "stopped"))
        if event.evaluation is not None and self.data is not None:
            self.evaluation_view.show_evaluation(event.evaluation, self.data.test_images, self.data.test_labels)
            self.tabs.setCurrentWidget(self.evaluation_view)
        if self.metrics is not None:
            self.speed_label.setText(self.tr("Last run: {:,.0f} images/s").format(self.metrics.images_per_s))
            self._fit_labels()
        self.runs_view.refresh()
        self._update_speed_note()
        self.training_finished.emit(event)

    def _evaluation_event(self, event) -> None:
        if isinstance(event, Finished):  # refused (wrong model, missing data) or stopped
            self._show_message(self.tr("Cannot evaluate: {}").format(event.message), error=event.status != "stopped")
            self.evaluation_finished.emit(event)
        elif isinstance(event, Evaluated):
            self._evaluated(event)

    def _evaluated(self, event: Evaluated) -> None:
        self.data = event.data
        self.evaluation_view.show_evaluation(event.evaluation, event.data.test_images, event.data.test_labels)
        self.tabs.setCurrentWidget(self.evaluation_view)
        self._show_message(self.tr("Evaluated {model}: {accuracy:.1f} % of {count} test images right.").format(
            model=self._evaluating, accuracy=100 * event.evaluation.accuracy, count=len(event.data.test_labels)))
        self.evaluation_finished.emit(event)

    def _on_failed(self, message: str) -> None:
        self._show_message(self.tr("Training failed: {}").format(message), error=True)

    def _on_done(self) -> None:
        self.timer.stop()
        self.worker = None
        self._evaluating = None
        self.paused = False
        self._set_running(False)

    def _repaint(self) -> None:
        # What nobody can see (another tab or panel in front, window minimized) is not redrawn:
        # each redraw holds the GIL the training thread needs. The plot catches up when shown.
        if not out_of_sight(self.loss_plot):
            self.loss_plot.refresh()
        if self.last_progress is not self._shown_progress and not out_of_sight(self.speed_label):
            self._show_progress(self.last_progress)

    # -- checkpoints ----------------------------------------------------------------------------
    def save_checkpoint_to(self, path: Path) -> bool:
        from blitzgui.core.runs import save_checkpoint

        if self.metrics is None:
            self._show_message(self.tr("Train a model first; then its weights can be saved."), error=True)
            return False
        try:
            save_checkpoint(self.trained_module, path)
        except OSError as error:
            self._show_message(self.tr("Cannot save {}: {}").format(path, error.strerror or error), error=True)
            return False
        self._show_message(self.tr("Saved the weights to {}").format(path))
        return True

    def load_checkpoint_from(self, path: Path) -> bool:
        """Load weights into the selected model; it becomes the model the next Start trains."""
        from blitzgui.core.runs import CheckpointError, load_checkpoint

        try:
            module, label, spec = self.selected_model()
            load_checkpoint(module, path)
        except (CheckpointError, ConfigError, ValueError) as error:
            self._show_message(self.tr("Checkpoint refused: {}").format(error), error=True)
            return False
        name = Path(path).name
        self._add_model_choice("checkpoint", self.tr("Checkpoint {} ({})").format(name, label), (module, label, spec))
        self._show_message(self.tr("Loaded {} into {}; Start continues training from these weights.").format(name, label))
        return True

    def _save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save checkpoint"), "cifar_net.pth", "PyTorch (*.pth *.pt)")
        if path:
            self.save_checkpoint_to(Path(path))

    def _load_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Load checkpoint"), "", "PyTorch (*.pth *.pt)")
        if path:
            self.load_checkpoint_from(Path(path))

    def _browse_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Image folder"))
        if folder:
            self.folder.setText(folder)

    # -- small helpers --------------------------------------------------------------------------
    def _dataset_changed(self, *_args) -> None:
        self.folder_box.setVisible(self.dataset.currentData() == "folder")
        self._update_download()
        self._load_preview()

    def _cifar10_missing(self) -> bool:
        return self.dataset.currentData() == "cifar10" and not (self.context.data_dir / CIFAR10_DIRNAME).is_dir()

    def _update_download(self) -> None:
        self.download_button.setVisible(self._cifar10_missing())
        self.download.setVisible(self.dataset.currentData() == "cifar10")

    def _download_cifar10(self) -> None:
        self.tabs.setCurrentWidget(self.data_tab)
        self.download.start()

    def _cifar10_downloaded(self, _folder) -> None:
        for key in [k for k in self._datasets if k[0] == "cifar10"]:
            del self._datasets[key]  # the files changed: load them again
        self._preview_source = None
        self._update_download()
        self._load_preview()

    # -- the Data tab's samples -------------------------------------------------------------------
    def _load_preview(self, *_args) -> None:
        """Show the chosen dataset in the Data tab (when it is the visible tab), loading it on a thread."""
        if self.tabs.currentWidget() is not self.data_tab or self.preview_worker is not None:
            return  # a running load calls this again when it ends
        try:
            source = self.dataset_source()
        except ConfigError as error:
            self.browser.set_dataset(None)
            self._data_note(str(error))
            self._preview_source = None
            return
        if source == self._preview_source:
            return
        self._preview_source = source
        if self._cifar10_missing():
            self.browser.set_dataset(None)
            self._data_note(self.tr("Download CIFAR-10 to see its images, or choose the built-in dataset."))
            return
        self._data_note(self.tr("Loading the dataset…"))
        self._stop_preview.clear()
        self.preview_worker = GeneratorWorker(lambda: self._preview_job(source))
        self.preview_worker.yielded.connect(self._show_preview)
        self.preview_worker.failed.connect(self._data_note)
        self.preview_worker.done.connect(self._preview_done)
        self.preview_worker.start()

    def _data_note(self, text: str) -> None:
        self.data_status.setText(text)
        self.data_status.setVisible(bool(text))  # no empty band above the samples

    def _preview_job(self, source: str):
        from blitzgui.core.data import DatasetError, LoadStopped

        try:
            yield source, self._load_dataset(source, None, self._stop_preview.is_set)
        except LoadStopped:
            return
        except DatasetError as error:
            yield source, str(error)

    def _show_preview(self, result) -> None:
        source, data = result
        if isinstance(data, str):  # the reason it could not be loaded, naming the file
            self.browser.set_dataset(None)
            self._data_note(data)
        else:
            self.browser.set_dataset(data)
            self._data_note("")

    def _preview_done(self) -> None:
        self.preview_worker = None
        if not self._stop_preview.is_set():
            self._load_preview()  # the choice may have changed meanwhile

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.pause_button.setText(self.tr("Resume") if self.paused else self.tr("Pause"))
        self.step_button.setEnabled(running and self.paused)
        self.stop_button.setEnabled(running)
        self.save_button.setEnabled(not running and self.metrics is not None)
        self.load_button.setEnabled(not running)
        self.evaluate_button.setEnabled(not running)
        for widget in (self.dataset, self.folder_box, self.model, self.model_file, self.optimizer, self.momentum,
                       self.weight_decay, self.batch_size, self.epochs, self.scheduler, self.seed, self.device,
                       self.threads, self.tensorboard):
            widget.setEnabled(not running)

    def _show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self._fit_labels()

    def _fit_labels(self, *labels: QLabel) -> None:
        # A splitter does not pass height-for-width down: reserve the wrapped labels' height here.
        for label in labels or (self.speed_label, self.message, self.speed_note):
            label.setMinimumHeight(label.heightForWidth(max(label.width(), 300)) if label.text() else 0)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        try:
            warm_up()  # the fork server imports torch while the user fills in the form (once per app)
        except Exception:  # no processes here (see start()): training will use a thread
            log.warning("cannot start the training fork server", exc_info=True)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_labels()

    def _update_speed_note(self, *_args) -> None:
        """CPU vs GPU: the fastest images/s measured at this batch size on each, from past runs."""
        batch = self.batch_size.value()
        best: dict[str, float] = {}
        for run in self.store.runs():
            try:
                info, metrics = run.info(), run.summary()
            except (OSError, ValueError):
                continue
            if not metrics or info["config"].get("batch_size") != batch:
                continue
            kind = device_kind(info["config"].get("device", "cpu"))
            best[kind] = max(best.get(kind, 0.0), float(metrics.get("images_per_s") or 0.0))
        if "cpu" in best and "gpu" in best:
            text = self.tr("Measured at batch {batch}: CPU {cpu:,.0f} images/s, GPU {gpu:,.0f} images/s ({ratio:.1f}×). "
                           "Small models gain little from a GPU at small batches.").format(
                batch=batch, cpu=best["cpu"], gpu=best["gpu"], ratio=best["gpu"] / max(best["cpu"], 1e-9))
        elif best:
            kind, speed = next(iter(best.items()))
            text = self.tr("Measured at batch {batch}: {device} {speed:,.0f} images/s. Train on the other device "
                           "too to compare CPU and GPU.").format(batch=batch, device=kind.upper(), speed=speed)
        else:
            text = ""
        self.speed_note.setText(text)
        self._fit_labels()
