"""Live training plots: they read growing buffers on a timer and never get a call per step."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QWidget

from blitzgui.core.metrics import BLITZ_PRINT_EVERY, RunMetrics

STEP_PEN = pg.mkPen((120, 160, 220), width=1)
MEAN_PEN = pg.mkPen((200, 60, 30), width=2)
TRAIN_PEN = pg.mkPen((40, 110, 200), width=2)
TEST_PEN = pg.mkPen((220, 120, 20), width=2)
CHANCE_PEN = pg.mkPen((130, 130, 130), width=1, style=pg.QtCore.Qt.PenStyle.DashLine)


def legend_below(plot: pg.PlotWidget, columns: int = 2) -> pg.LegendItem:
    """A legend in its own row under the x axis: inside the plot it covered the curves."""
    legend = pg.LegendItem(colCount=columns)
    plot.getPlotItem().layout.addItem(legend, 4, 1)
    plot.getPlotItem().legend = legend  # plot(name=...) adds each named curve to it
    return legend


def room_for_end_labels(plot: pg.PlotWidget) -> None:
    """The left axis centres each label on its tick, so a tick on the top edge of the view (the
    loss view's 1.0 before training) drew half its label above the widget, cut off."""
    half_label = QFontMetrics(plot.font()).height() // 2 + 1
    plot.getPlotItem().layout.setContentsMargins(1, half_label, 1, 1)  # pyqtgraph's 1 px, more on top


def mean_window(steps_per_epoch: int) -> int:
    """The blitz's 2000 batches; a short epoch gets a window that still shows a few points."""
    return BLITZ_PRINT_EVERY if steps_per_epoch >= BLITZ_PRINT_EVERY else max(1, steps_per_epoch // 5)


class LossPlot(pg.PlotWidget):
    """Per-step loss plus the mean of each block of batches, as the blitz prints it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setBackground("w")
        self.setLabel("bottom", self.tr("mini-batch"))
        self.setLabel("left", self.tr("loss"))
        room_for_end_labels(self)
        # No grid here: alpha-blended grid lines cost ~20 ms per repaint in software (measured).
        self.legend = legend_below(self)
        # Peak downsampling and clipping keep a million points cheap to draw (PLATFORM-NOTES.md).
        self.step_curve = self.plot([], pen=STEP_PEN, name=self.tr("loss per mini-batch"))
        self.step_curve.setDownsampling(auto=True, method="peak")
        self.step_curve.setClipToView(True)
        self.mean_curve = self.plot([], pen=MEAN_PEN, symbol="o", symbolSize=5, symbolBrush=(200, 60, 30))
        self.metrics: RunMetrics | None = None
        self._shown = -1
        self._steps = np.arange(1, 1025)
        # The view follows the data in steps, not on every refresh: pyqtgraph's auto-range costs a
        # second full repaint each time the range moves (measured: 2 paints per setData, not 1).
        self._follow = True
        self._x_max = 0.0
        self._y_range = (np.inf, -np.inf)
        view = self.getViewBox()
        view.disableAutoRange()
        view.sigRangeChangedManually.connect(self._user_moved_view)
        self.getPlotItem().autoBtn.clicked.connect(self._follow_again)

    def _user_moved_view(self, *_args) -> None:
        self._follow = False

    def _follow_again(self) -> None:
        self.getViewBox().disableAutoRange()
        self._follow = True
        self._x_max, self._y_range = 0.0, (np.inf, -np.inf)
        self._shown = -1
        self.refresh()

    def _keep_in_view(self, losses: np.ndarray, new_from: int) -> None:
        new = losses[max(new_from, 0):]
        new = new[np.isfinite(new)]
        y_min, y_max = self._y_range
        if len(new) and (new.min() < y_min or new.max() > y_max):
            # Headroom of a fifth of the span: a falling loss moves the view every few ticks,
            # not on each one (every move regenerates the axes and costs a second repaint).
            finite = losses[np.isfinite(losses)]
            low, high = float(finite.min()), float(finite.max())
            margin = 0.2 * max(high - low, 1e-3)
            y_min = (max(low - margin, 0.0) if low >= 0 else low - margin) if low < y_min else y_min
            y_max = high + margin if high > y_max else y_max
        x_max = self._x_max
        if len(losses) > x_max:
            x_max = max(100.0, 1.5 * len(losses))  # room to grow before the view moves again
        if (x_max, (y_min, y_max)) != (self._x_max, self._y_range) and y_min <= y_max:
            self._x_max, self._y_range = x_max, (y_min, y_max)
            self.setRange(xRange=(0, x_max), yRange=(y_min, y_max), padding=0)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()  # catch up with what was appended while hidden (the panel skips hidden plots)

    def show_metrics(self, metrics: RunMetrics | None) -> None:
        self.metrics = metrics
        self._shown = -1
        self._x_max, self._y_range = 0.0, (np.inf, -np.inf)
        self._follow = True
        window = mean_window(metrics.steps_per_epoch) if metrics else BLITZ_PRINT_EVERY
        self.legend.removeItem(self.mean_curve)
        self.legend.addItem(self.mean_curve, self.tr("mean of each {} mini-batches").format(window))
        self.refresh()

    def refresh(self) -> None:
        """Redraw from the buffer if it grew (called by the panel's timer)."""
        if self.metrics is None:
            self.step_curve.setData([], [])
            self.mean_curve.setData([], [])
            return
        losses = self.metrics.step_losses.values()
        if len(losses) == self._shown:
            return
        if self._follow:
            self._keep_in_view(losses, self._shown)
        self._shown = len(losses)
        if len(self._steps) < len(losses):  # step numbers, grown by doubling, not rebuilt each tick
            self._steps = np.arange(1, 2 * len(losses) + 1)
        self.step_curve.setData(self._steps[: len(losses)], losses, connect="finite")
        window = mean_window(self.metrics.steps_per_epoch)
        per_epoch = self.metrics.steps_per_epoch
        expected = len(losses) // per_epoch * (per_epoch // window) + len(losses) % per_epoch // window
        if len(self.mean_curve.xData if self.mean_curve.xData is not None else ()) != expected:
            # from the same snapshot: the buffer may have grown since `losses` was read
            steps, means = self.metrics.running_means(window, losses)  # changes every `window` steps
            self.mean_curve.setData(steps, means)


class AccuracyPlot(pg.PlotWidget):
    """Train and test accuracy per epoch, with the chance line (10 % for ten classes)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setBackground("w")
        self.setLabel("bottom", self.tr("epoch"))
        self.setLabel("left", self.tr("accuracy (%)"))
        room_for_end_labels(self)
        self.setYRange(0, 100)
        self.showGrid(x=True, y=True, alpha=0.2)
        legend_below(self, columns=3)
        symbols = dict(symbol="o", symbolSize=7)
        self.train_curve = self.plot([], pen=TRAIN_PEN, symbolBrush=(40, 110, 200), name=self.tr("train"), **symbols)
        self.test_curve = self.plot([], pen=TEST_PEN, symbolBrush=(220, 120, 20), name=self.tr("test"), **symbols)
        self.chance = pg.InfiniteLine(pos=10, angle=0, pen=CHANCE_PEN, label=self.tr("chance"),
                                      labelOpts={"position": 0.05, "color": (110, 110, 110)})
        self.addItem(self.chance)

    def show_metrics(self, metrics: RunMetrics | None) -> None:
        epochs, train, test = metrics.accuracy_curves() if metrics is not None else ([], [], [])
        self.train_curve.setData(epochs, train)
        self.test_curve.setData(epochs, test)
        if len(epochs):
            self.setXRange(0.8, int(epochs[-1]) + 0.2)
        if metrics is not None and metrics.classes:
            self.chance.setValue(100 / len(metrics.classes))
