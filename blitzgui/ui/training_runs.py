"""The runs kept in the data folder: tick several to overlay their loss and accuracy curves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter, QVBoxLayout, QWidget

from blitzgui.core.runs import Run, RunStore


def describe(run: Run) -> str:
    """One line naming what differs between runs (lr, batch, model) and how each ended."""
    info = run.info()
    config = info["config"]
    metrics = run.summary()
    accuracy = metrics.get("test_accuracy") if metrics else None
    result = f"{100 * accuracy:.1f} %" if accuracy is not None else (metrics or {}).get("status", "unfinished")
    line = "{created} · {dataset} · {model} · {opt} lr {lr:g} · batch {bs} · {device} → {result}".format(
        created=info.get("created", run.id), dataset=info.get("dataset"), model=info.get("model"),
        opt=config.get("optimizer"), lr=config.get("lr"), bs=config.get("batch_size"),
        device=config.get("device"), result=result,
    )
    return line


def smoothed_loss(losses: np.ndarray, batch_size: int, points: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """(images seen, mean loss) in about `points` equal blocks: runs with different batch sizes
    and lengths line up on one axis."""
    window = max(1, len(losses) // points)
    usable = len(losses) // window * window
    means = losses[:usable].reshape(-1, window).mean(axis=1)
    return np.arange(1, len(means) + 1) * window * batch_size, means


class RunsView(QWidget):
    def __init__(self, store: RunStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.list = QListWidget()
        self.list.itemChanged.connect(self._redraw)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        self.loss_plot = pg.PlotWidget(background="w")
        self.loss_plot.setLabel("bottom", self.tr("images seen"))
        self.loss_plot.setLabel("left", self.tr("mean loss"))
        self.accuracy_plot = pg.PlotWidget(background="w")
        self.accuracy_plot.setLabel("bottom", self.tr("epoch"))
        self.accuracy_plot.setLabel("left", self.tr("test accuracy (%)"))
        self.accuracy_plot.setYRange(0, 100)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(QLabel(self.tr("Runs in the data folder (tick to compare):")))
        header.addStretch()
        header.addWidget(refresh)
        top_layout.addLayout(header)
        top_layout.addWidget(self.list)
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(self.loss_plot)
        plots.addWidget(self.accuracy_plot)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(plots)
        split.setSizes([200, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.refresh()

    def refresh(self) -> None:
        checked = set(self.checked_ids())
        self.list.blockSignals(True)
        self.list.clear()
        for run in self.store.runs():
            try:
                line = describe(run)
            except (OSError, ValueError, KeyError, TypeError):
                continue  # a damaged run folder is skipped, not fatal
            item = QListWidgetItem(line)
            item.setData(Qt.ItemDataRole.UserRole, str(run.path))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if run.id in checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._redraw()

    def checked_ids(self) -> list[str]:
        return [
            Run(self._path(self.list.item(i))).id
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _path(self, item: QListWidgetItem) -> Path:
        return Path(item.data(Qt.ItemDataRole.UserRole))

    def _redraw(self, *_args) -> None:
        self.loss_plot.clear()
        self.accuracy_plot.clear()
        # The list is the legend: each ticked run gets a swatch of its curves' colour (a legend
        # of long run names inside these narrow plots covered the curves).
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            self.list.item(i).setIcon(QIcon())
        self.list.blockSignals(False)
        for number, i in enumerate(i for i in range(self.list.count())
                                   if self.list.item(i).checkState() == Qt.CheckState.Checked):
            item = self.list.item(i)
            metrics = Run(self._path(item)).metrics_json()
            if not metrics:
                continue
            pen = pg.mkPen(pg.intColor(number, hues=8), width=2)
            swatch = QPixmap(12, 12)
            swatch.fill(pen.color())
            self.list.blockSignals(True)
            item.setIcon(QIcon(swatch))
            self.list.blockSignals(False)
            losses = np.array([np.nan if x is None else x for x in metrics["step_loss"]], dtype=float)
            batch_size = Run(self._path(item)).info()["config"]["batch_size"]
            images, means = smoothed_loss(losses, batch_size)
            self.loss_plot.plot(images, means, pen=pen, connect="finite",
                                symbol="o" if len(means) < 30 else None, symbolSize=5, symbolBrush=pen.color())
            epochs = metrics["epochs"]
            self.accuracy_plot.plot([e["epoch"] for e in epochs], [100 * e["test_accuracy"] for e in epochs],
                                    pen=pen, symbol="o", symbolBrush=pen.color())
