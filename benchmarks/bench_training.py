"""Issue 6, P1–P4: the trainer in the app against bare loops, GUI latency while training, and the
cost of repainting a loss curve of a million points. Every figure is measured side by side here.

    P1  images/s: the Training panel (training process, live plots) vs a bare in-memory loop, no Qt
    P2  images/s: the panel vs the blitz tutorial's DataLoader pipeline; and with the GUI thread busy
    P3  GUI event-loop lateness while training at full speed (a 10 ms timer measuring itself)
    P4  one repaint of a loss curve holding 1,000,000 points

All on the blitz's CIFAR Net at batch 4, one torch thread, on synthetic CIFAR-shaped data written
as an image folder (the training process loads its data itself; loading is not timed). The rows
"on a thread" train a model whose class the training process could not import (as one typed into
the console), which the panel trains on a thread beside the GUI.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from benchmarks.harness import compare, table  # noqa: E402
from blitzgui.core.data import ImageDataset  # noqa: E402
from blitzgui.core.layers import build_module, preset  # noqa: E402

TRAIN_IMAGES = 4000  # batch 4: 1000 steps, about 2 s per candidate
BATCH = 4


def synthetic_data(n_train: int = TRAIN_IMAGES, n_test: int = 200) -> ImageDataset:
    generator = torch.Generator().manual_seed(0)
    return ImageDataset(
        name="synthetic",
        classes=[f"c{i}" for i in range(10)],
        train_images=torch.randint(0, 256, (n_train, 3, 32, 32), dtype=torch.uint8, generator=generator),
        train_labels=torch.randint(0, 10, (n_train,), generator=generator),
        test_images=torch.randint(0, 256, (n_test, 3, 32, 32), dtype=torch.uint8, generator=generator),
        test_labels=torch.randint(0, 10, (n_test,), generator=generator),
    )


def new_net() -> nn.Module:
    torch.manual_seed(0)
    return build_module(preset("cifar_net"))


class ConsoleNet(nn.Sequential):
    """The same layers under a class the training process cannot import (as if typed in the console)."""


def write_image_folder(data: ImageDataset, root: Path) -> Path:
    """data as root/train/<class>/*.png and root/test/<class>/*.png (the ImageFolder layout)."""
    from PIL import Image

    for split, images, labels in (("train", data.train_images, data.train_labels),
                                  ("test", data.test_images, data.test_labels)):
        for i, (image, label) in enumerate(zip(images.permute(0, 2, 3, 1).numpy(), labels.tolist())):
            folder = root / split / data.classes[label]
            folder.mkdir(parents=True, exist_ok=True)
            Image.fromarray(image).save(folder / f"{i}.png")
    return root


# -- candidates --------------------------------------------------------------------------------
def bare_loop(data: ImageDataset, trainer_kernels: bool = True):
    """The blitz's loop fed from a pre-normalized in-memory tensor: the floor of overhead.
    trainer_kernels: with the trainer's choices (PyTorch's own convolution at small batches, fused
    SGD), so that P1 measures what the panel costs; else the blitz's code as written."""
    images = data.normalize(data.train_images)
    labels = data.train_labels

    def candidate() -> float:
        torch.set_num_threads(1)
        net = new_net()
        criterion = nn.CrossEntropyLoss()
        optimizer = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9, fused=trainer_kernels or None)
        order = torch.randperm(len(labels))
        was_enabled = torch.backends.mkldnn.enabled
        torch.backends.mkldnn.enabled = not trainer_kernels
        try:
            start = time.perf_counter()
            for i in range(0, len(order), BATCH):
                index = order[i : i + BATCH]
                optimizer.zero_grad()
                loss = criterion(net(images[index]), labels[index])
                loss.backward()
                optimizer.step()
                loss.item()  # the blitz reads every loss (running_loss += loss.item())
            return time.perf_counter() - start
        finally:
            torch.backends.mkldnn.enabled = was_enabled

    return candidate


class TutorialDataset(torch.utils.data.Dataset):
    """What torchvision's CIFAR10 does per sample: a PIL image from the array, then the transform."""

    def __init__(self, images_hwc: np.ndarray, labels: list[int], transform):
        self.images, self.labels, self.transform = images_hwc, labels, transform

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index):
        from PIL import Image

        return self.transform(Image.fromarray(self.images[index])), self.labels[index]


def tutorial_pipeline(data: ImageDataset):
    """The blitz part 4, literally: ToTensor + Normalize, DataLoader(batch 4, shuffle, num_workers=2)."""
    import torchvision.transforms as transforms

    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    dataset = TutorialDataset(data.train_images.permute(0, 2, 3, 1).numpy(), data.train_labels.tolist(), transform)

    def candidate() -> float:
        torch.set_num_threads(1)
        net = new_net()
        criterion = nn.CrossEntropyLoss()
        optimizer = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
        loader = torch.utils.data.DataLoader(dataset, batch_size=BATCH, shuffle=True, num_workers=2)
        start = time.perf_counter()
        for inputs, labels in loader:
            optimizer.zero_grad()
            loss = criterion(net(inputs), labels)
            loss.backward()
            optimizer.step()
            loss.item()
        return time.perf_counter() - start

    return candidate


class PanelHarness:
    """A Training panel in an offscreen window, with the dataset already loaded (as on a 2nd run)."""

    def __init__(self, data: ImageDataset):
        from PySide6.QtWidgets import QApplication

        from blitzgui.core.devices import resolve_device
        from blitzgui.core.session import Session
        from blitzgui.ui.context import AppContext
        from blitzgui.ui.training_panel import TrainingPanel

        self.app = QApplication.instance() or QApplication([])
        self.data_dir = Path(tempfile.mkdtemp(prefix="bench-training-"))
        self.panel = TrainingPanel(AppContext(Session(), resolve_device("cpu"), self.data_dir))
        folder = write_image_folder(data, self.data_dir / "images")
        self.panel.dataset.setCurrentIndex(self.panel.dataset.findData("folder"))
        self.panel.folder.setText(str(folder))
        self.panel.epochs.setValue(1)
        self.panel.batch_size.setValue(BATCH)
        self.panel.resize(1300, 800)
        self.panel.show()
        self.busy_timer = None

    def train(self, busy_gui: bool = False, lateness: list[float] | None = None, live_hidden: bool = False,
              on_thread: bool = False, first_loss: list[float] | None = None) -> float:
        """Seconds from the first batch to the end of the epoch (evaluation excluded).
        live_hidden: the user looks at another tab while it trains (the plots are not drawn).
        on_thread: a model the training process cannot import, so the panel trains it on a thread.
        first_loss: appends the seconds from Start to the first loss reaching the GUI."""
        from PySide6.QtCore import QEventLoop, QTimer

        panel = self.panel
        model = ConsoleNet(*new_net()) if on_thread else new_net()
        panel.context.session.emit("train_model", model, "bench")
        done = []
        panel.training_finished.connect(done.append)
        if live_hidden:
            panel.training_started.connect(self._show_runs_tab)
        timers = []
        if busy_gui:  # a GUI thread doing 20 ms of Python work every 40 ms
            busy = QTimer()
            busy.timeout.connect(lambda: _spin(0.02))
            busy.start(40)
            timers.append(busy)
        if lateness is not None:
            timers.append(lateness_probe(lateness))
        loop = QEventLoop()
        clicked, previous = time.perf_counter(), panel.metrics
        if first_loss is not None:
            first = QTimer()
            first.timeout.connect(lambda: self._first_loss(first, clicked, previous, first_loss))
            first.start(1)
            timers.append(first)
        assert panel.start()
        panel.worker.done.connect(loop.quit)
        loop.exec()  # the app's event loop, until the worker thread has ended
        for timer in timers:
            timer.stop()
        panel.training_finished.disconnect(done.append)
        if live_hidden:
            panel.training_started.disconnect(self._show_runs_tab)
        self.app.processEvents()
        assert panel.worker is None and done and done[0].status == "completed", done
        return panel.metrics.epochs[0].seconds

    def _first_loss(self, timer, clicked: float, previous, first_loss: list[float]) -> None:
        metrics = self.panel.metrics
        if metrics is not None and metrics is not previous and len(metrics.step_losses):
            first_loss.append(time.perf_counter() - clicked)
            timer.stop()

    def _show_runs_tab(self) -> None:
        self.panel.tabs.setCurrentWidget(self.panel.runs_view)

    def close(self) -> None:
        self.panel.shutdown()
        self.panel.close()



def lateness_probe(lateness: list[float], period_ms: int = 10):
    """A started 10 ms precise timer that appends how late each tick came (ms); stop() it when done."""
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer

    clock, probe, last = QElapsedTimer(), QTimer(), [None]
    probe.setTimerType(Qt.TimerType.PreciseTimer)

    def tick():
        now = clock.nsecsElapsed() / 1e6
        if last[0] is not None:
            lateness.append(max(0.0, now - last[0] - period_ms))
        last[0] = now

    probe.timeout.connect(tick)
    clock.start()
    probe.start(period_ms)
    return probe

def _spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def loss_plot_holding(points: int):
    """(app, plot, metrics): a shown LossPlot drawing `points` losses."""
    from PySide6.QtWidgets import QApplication

    from blitzgui.core.metrics import RunMetrics
    from blitzgui.ui.training_plots import LossPlot

    app = QApplication.instance() or QApplication([])
    plot = LossPlot()
    plot.resize(900, 500)
    plot.show()
    metrics = RunMetrics(classes=["a"] * 10, steps_per_epoch=12500)
    metrics.step_losses.extend(np.random.default_rng(0).random(points).astype(np.float32) + 1)
    plot.show_metrics(metrics)
    return app, plot, metrics


def repaint_cost(points: int, downsample: bool = True):
    """One repaint of the loss plot holding `points` losses (setData done beforehand)."""
    app, plot, _ = loss_plot_holding(points)
    if not downsample:
        plot.step_curve.setDownsampling(auto=False)
        plot.step_curve.setClipToView(False)
    app.processEvents()

    def candidate() -> float:
        plot.getPlotItem().vb.update()  # invalidate as a timer tick does
        start = time.perf_counter()
        plot.viewport().repaint()
        return time.perf_counter() - start

    return candidate


def refresh_cost(points: int):
    """A timer tick while training: the buffer grew by 10 losses, setData, then one repaint."""
    app, plot, metrics = loss_plot_holding(points)
    app.processEvents()

    def candidate() -> float:
        metrics.step_losses.extend(np.ones(10, dtype=np.float32))
        start = time.perf_counter()
        plot.refresh()
        plot.viewport().repaint()
        return time.perf_counter() - start

    return candidate


def latency_table(title: str, runs: dict[str, list[float]]) -> str:
    lines = [f"## {title}", "| while | ticks | median ms late | p99 ms | max ms |", "|---|---|---|---|---|"]
    for name, samples in runs.items():
        ordered = sorted(samples)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        lines.append(f"| {name} | {len(ordered)} | {statistics.median(ordered):.2f} | {p99:.2f} | {max(ordered):.2f} |")
    return "\n".join(lines)


def run(rounds: int = 4) -> str:
    import gc

    data = synthetic_data()
    harness = PanelHarness(data)
    harness.train()  # the fork server's first start (it imports torch) is not what P1 asks about
    harness.train(on_thread=True)  # and the thread path's first dataset load
    gc.freeze()  # as the app does after start-up (PLATFORM-NOTES.md: GC stalls otherwise)
    tables = []

    p1 = compare(
        {
            "bare in-memory loop (no Qt), the trainer's kernels": bare_loop(data),
            "bare in-memory loop as the blitz writes it (oneDNN conv, for-loop SGD)": bare_loop(data, False),
            "Training panel (training process, live plots)": harness.train,
            "Training panel, Live tab behind another tab": lambda: harness.train(live_hidden=True),
            "Training panel, model on a thread (live plots)": lambda: harness.train(on_thread=True),
        },
        rounds=2 * rounds,  # the panel costs a few per cent: more rounds than the machine's noise needs
    )
    tables.append(table(f"P1: {TRAIN_IMAGES} images, CIFAR Net, batch {BATCH}, 1 thread (time per epoch; "
                        "ratio > 1 means slower than the bare loop)", p1, unit="ms"))

    p2 = compare(
        {
            "blitz tutorial DataLoader (ToTensor+Normalize, num_workers=2)": tutorial_pipeline(data),
            "Training panel": harness.train,
            "Training panel, GUI thread busy 50 %": lambda: harness.train(busy_gui=True),
            "Training panel, model on a thread, GUI thread busy 50 %": lambda: harness.train(busy_gui=True,
                                                                                          on_thread=True),
        },
        rounds=3,
    )
    tables.append(table("P2: the in-app trainer vs the blitz's own pipeline (time per epoch; "
                        "ratio < 0.5 means ≥ 2× faster)", p2, unit="ms"))

    idle, training, on_thread = [], [], []
    probe = lateness_probe(idle)
    end = time.perf_counter() + 3
    while time.perf_counter() < end:
        harness.app.processEvents()
        time.sleep(0.001)
    probe.stop()
    first_loss: dict[str, list[float]] = {"training process": [], "model on a thread": []}
    for _ in range(3):
        harness.train(lateness=training, first_loss=first_loss["training process"])
        harness.train(lateness=on_thread, on_thread=True, first_loss=first_loss["model on a thread"])
    tables.append(latency_table("P3: GUI timer lateness (10 ms PreciseTimer)",
                                {"idle app": idle, "training at full speed (training process)": training,
                                 "training at full speed, model on a thread": on_thread}))
    tables.append("\n".join(["## Start → first loss in the GUI (data already on disk, 3 runs)",
                             "| how | median s | max s |", "|---|---|---|"]
                            + [f"| {name} | {statistics.median(v):.2f} | {max(v):.2f} |" for name, v in first_loss.items()]))

    p4 = compare(
        {
            "repaint, 1,000 points": repaint_cost(1_000),
            "repaint, 1,000,000 points (peak downsampling + clip)": repaint_cost(1_000_000),
            "repaint, 1,000,000 points, no downsampling": repaint_cost(1_000_000, downsample=False),
            "timer tick at 1,000,000 points (setData + repaint)": refresh_cost(1_000_000),
        },
        rounds=rounds * 2,
    )
    tables.append(table("P4: one repaint of the loss plot", p4, unit="ms"))
    harness.close()
    return "\n\n".join(tables)
