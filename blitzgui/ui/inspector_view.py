"""The tensor inspector: summary, statistics, shared memory, and the values as a table, a heatmap,
a histogram or an image, for any 2-D slice of an n-D tensor.

Only the visible tab is drawn. Planes larger than `MAX_SIDE` per side are thinned by striding
before they leave the tensor, and the table model formats only the cells Qt asks for, so a
10^8-element tensor never becomes 10^8 Qt objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget, QSizePolicy, QSpinBox, QTableView, QTabWidget,
    QVBoxLayout, QWidget,
)
from torch import nn

from blitzgui.core import storage, tensors

MAX_SIDE = 2048  # largest plane side drawn or tabled; bigger planes are strided
INDEX_BOXES_PER_LINE = 4  # the slice picker's index boxes per line
DETAIL_KEYS = [
    "shape", "stride", "dtype", "device", "is_contiguous", "storage_offset", "numel", "memory", "requires_grad",
]


class PlaneTableModel(QAbstractTableModel):
    """A 2-D numpy array as a read-only table; headers give the tensor's own indices."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.values = np.zeros((0, 0))
        self.step = (1, 1)

    def set_plane(self, values: np.ndarray, step: tuple[int, int]) -> None:
        self.beginResetModel()
        self.values, self.step = values, step
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.values.shape[0]

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.values.shape[1]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return format_value(self.values[index.row(), index.column()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        step = self.step[0] if orientation == Qt.Orientation.Vertical else self.step[1]
        return str(section * step)


def format_value(value: Any) -> str:
    if isinstance(value, np.floating):
        return f"{value:.5g}"
    if isinstance(value, np.complexfloating):
        return f"{value:.4g}"
    return str(value)


class ValueLabel(QLabel):
    """A value that asks for its whole width but wraps when squeezed: a 5-D tensor's stride
    wraps instead of making the window wider than the screen."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        margins = self.contentsMargins()
        whole = self.fontMetrics().horizontalAdvance(self.text()) + margins.left() + margins.right() + 2
        return QSize(max(hint.width(), whole), hint.height())


class SlicePicker(QWidget):
    """Which two axes of an n-D tensor are shown, and the index of every other axis."""

    def __init__(self, on_change: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self._on_change = on_change
        self._shape: tuple[int, ...] = ()
        self.rows_axis = QComboBox()
        self.cols_axis = QComboBox()
        for combo in (self.rows_axis, self.cols_axis):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.index_boxes: dict[int, QSpinBox] = {}
        self.rows_axis.currentIndexChanged.connect(self._axes_changed)
        self.cols_axis.currentIndexChanged.connect(self._axes_changed)
        axes_row = QHBoxLayout()
        axes_row.addWidget(QLabel(self.tr("rows: axis")))
        axes_row.addWidget(self.rows_axis)
        axes_row.addWidget(QLabel(self.tr("columns: axis")))
        axes_row.addWidget(self.cols_axis)
        axes_row.addStretch(1)
        # The other axes' index boxes wrap onto lines of their own, so that a 5-D tensor does
        # not make the whole window wider than the screen.
        self.index_grid = QGridLayout()
        self.index_grid.setColumnStretch(INDEX_BOXES_PER_LINE, 1)  # boxes packed to the left
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(axes_row)
        layout.addLayout(self.index_grid)
        self.hide()  # until a tensor of 2 or more dimensions is shown

    def set_shape(self, shape: tuple[int, ...]) -> None:
        """Keep the choice when the shape did not change (a refresh after an in-place op)."""
        if shape == self._shape:
            return
        self._shape = shape
        for combo in (self.rows_axis, self.cols_axis):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([
                self.tr("{axis} (size {size})").format(axis=axis, size=size) for axis, size in enumerate(shape)
            ])
            combo.blockSignals(False)
        if len(shape) >= 2:
            self.rows_axis.setCurrentIndex(len(shape) - 2)
            self.cols_axis.setCurrentIndex(len(shape) - 1)
        self.setVisible(len(shape) >= 2)
        self._rebuild_index_boxes()

    def _axes_changed(self) -> None:
        if self.rows_axis.currentIndex() == self.cols_axis.currentIndex():
            # Keep two different axes: move the other combo to the first free axis.
            other = self.cols_axis if self.sender() is self.rows_axis else self.rows_axis
            free = next(a for a in range(len(self._shape)) if a != other.currentIndex())
            other.blockSignals(True)
            other.setCurrentIndex(free)
            other.blockSignals(False)
        self._rebuild_index_boxes()
        self._on_change()

    def _rebuild_index_boxes(self) -> None:
        while self.index_grid.count():
            widget = self.index_grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # at once: deleteLater() waits for the event loop
                widget.deleteLater()
        self.index_boxes.clear()
        for axis, size in enumerate(self._shape):
            if axis in (self.rows_axis.currentIndex(), self.cols_axis.currentIndex()):
                continue
            box = QSpinBox()
            box.setRange(0, max(size - 1, 0))
            box.setPrefix(self.tr("axis {}: ").format(axis))
            box.valueChanged.connect(self._on_change)
            self.index_grid.addWidget(box, len(self.index_boxes) // INDEX_BOXES_PER_LINE,
                                      len(self.index_boxes) % INDEX_BOXES_PER_LINE, Qt.AlignmentFlag.AlignLeft)
            self.index_boxes[axis] = box

    def choice(self) -> tuple[int, int, dict[int, int]]:
        index = {axis: box.value() for axis, box in self.index_boxes.items()}
        return self.rows_axis.currentIndex(), self.cols_axis.currentIndex(), index


class TensorInspector(QWidget):
    """Shows one tensor or ndarray from the namespace; `show(name, namespace)` to change it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = ""
        self.namespace: Mapping[str, Any] = {}
        self.tensor: Any = None
        self.changed_names: set[str] = set()
        self.sharer_names: set[str] = set()  # the names listed as sharing its memory
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.detail_labels: dict[str, QLabel] = {}
        details_box = QGroupBox(self.tr("Summary"))
        grid = QGridLayout(details_box)
        grid.setHorizontalSpacing(12)
        for number, key in enumerate(DETAIL_KEYS):  # three key/value pairs per row
            label = ValueLabel()
            label.setFont(mono)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.detail_labels[key] = label
            name = QLabel(key)
            name.setStyleSheet("color: #555;")
            grid.addWidget(name, number // 3, 2 * (number % 3))
            grid.addWidget(label, number // 3, 2 * (number % 3) + 1)
        grid.setColumnStretch(6, 1)  # spare width goes after the values, which then seldom wrap
        self.stats_label = QLabel()
        self.stats_label.setFont(mono)
        self.stats_label.setWordWrap(True)
        self.stats_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.stats_label, 3, 0, 1, 7)

        memory_box = QGroupBox(self.tr("Memory"))
        self.ownership_label = QLabel()
        self.ownership_label.setWordWrap(True)
        self.sharers_list = QListWidget()
        self.sharers_list.setMaximumHeight(72)
        memory_layout = QVBoxLayout(memory_box)
        memory_layout.addWidget(self.ownership_label)
        memory_layout.addWidget(self.sharers_list)

        self.picker = SlicePicker(self._render_current)
        self.picker.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.view_note = QLabel()
        self.table_model = PlaneTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setFont(mono)
        self.table.horizontalHeader().setDefaultSectionSize(72)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.heatmap = HeatmapView()
        self.histogram = pg.PlotWidget()
        self.histogram.setLabel("bottom", self.tr("value"))
        self.histogram.setLabel("left", self.tr("count"))
        self.histogram_curve = self.histogram.plot(stepMode="center", fillLevel=0, brush=(70, 130, 180, 160))
        self.image_view = pg.PlotWidget()
        self.image_view.setAspectLocked(True)
        self.image_view.invertY(True)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_view.addItem(self.image_item)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, self.tr("Values"))
        self.tabs.addTab(self.heatmap, self.tr("Heatmap"))
        self.tabs.addTab(self.histogram, self.tr("Histogram"))
        self.tabs.addTab(self.image_view, self.tr("Image"))
        self.tabs.currentChanged.connect(self._render_current)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(details_box)
        layout.addWidget(memory_box)
        layout.addWidget(self.picker)
        layout.addWidget(self.view_note)
        layout.addWidget(self.tabs, 1)
        self.clear()

    # -- what is shown ----------------------------------------------------------------------------
    def clear(self) -> None:
        self.name, self.tensor = "", None
        self.title.setText(self.tr("Select a tensor or array in the list to inspect it."))
        for label in self.detail_labels.values():
            label.clear()
        self.stats_label.clear()
        self.ownership_label.clear()
        self.sharers_list.clear()
        self.sharer_names = set()
        self.picker.set_shape(())
        self.view_note.clear()
        self.table_model.set_plane(np.zeros((0, 0)), (1, 1))
        self.heatmap.clear_plane()
        self.histogram_curve.setData([0, 1], [0])
        self.image_item.clear()
        self.setEnabled(False)

    def inspect(self, name: str, namespace: Mapping[str, Any], changed: set[str] | None = None) -> None:
        """Inspect `name` (or a module's `net.fc.weight`); `changed`: what the last cell changed."""
        value = tensors.resolve(namespace, name)
        if value is None:
            self.clear()
            return
        self.name, self.namespace, self.changed_names = name, namespace, set(changed or ())
        if isinstance(value, nn.Module):  # not an error: its tensors are one click away
            self.clear()
            self.title.setText(self.tr(
                "{name} is a {kind} module: expand its row in the list to inspect each parameter and buffer."
            ).format(name=name, kind=type(value).__name__))
            return
        try:
            self.tensor = tensors.as_tensor(value)
        except (TypeError, ValueError, RuntimeError) as error:  # e.g. a dtype torch does not have
            self.clear()
            self.title.setText(self.tr("{name} cannot be inspected: {error}").format(name=name, error=error))
            return
        self.setEnabled(True)
        kind = tensors.summarize(name, value).kind
        title = self.tr("<b>{name}</b> — {kind}").format(name=name, kind=kind)
        if name in self.changed_names:
            title += "  ● " + self.tr("changed by the last cell")
        self.title.setText(title)
        array = value if isinstance(value, np.ndarray) else None
        for key, text in tensors.details(self.tensor, array).items():
            self.detail_labels[key].setText(text)
        self.stats_label.setText(self._stats_text(tensors.stats(self.tensor)))
        self._show_memory(name, value)
        self.picker.set_shape(tuple(self.tensor.shape))
        # Disabling the current Image tab makes Qt switch tabs, which draws the new one.
        if self.tabs.currentIndex() == 3 and not tensors.image_shape_ok(self.tensor):
            self.tabs.setTabEnabled(3, False)
            return
        self.tabs.setTabEnabled(3, tensors.image_shape_ok(self.tensor))
        self._render_current()

    def _stats_text(self, s: tensors.Stats) -> str:
        if s.count == 0:
            return s.note
        text = self.tr(
            "min {min:.5g}   max {max:.5g}   mean {mean:.5g}   std {std:.5g}\nNaN {nan}   inf {inf}"
        ).format(min=s.min, max=s.max, mean=s.mean, std=s.std, nan=s.nan_count, inf=s.inf_count)
        return text + ("\n" + self.tr("(estimated from a random sample of {count} elements)").format(
            count=f"{s.count:,}") if s.sampled else "")

    def _show_memory(self, name: str, value: Any) -> None:
        if storage.ownership(value) == "view":
            own = self.tr("{name} is a view: it uses memory owned by another object (no copy).").format(name=name)
        else:
            own = self.tr("{name} owns its memory.").format(name=name)
        found = storage.sharers(self.namespace, name, listed=tensors.is_listed, value=value)
        self.sharer_names = {sharer.name for sharer in found}
        relations = {
            "the same object, another name": self.tr("the same object, another name"),
            "view of it": self.tr("view of it"),
            "its base (it is a view of this)": self.tr("its base (it is a view of this)"),
            "view of the same base": self.tr("view of the same base"),
            "same storage": self.tr("same storage"),
            "NumPy array on the same memory": self.tr("NumPy array on the same memory"),
            "tensor on the same memory": self.tr("tensor on the same memory"),
        }
        self.sharers_list.clear()
        self.sharers_list.setVisible(bool(found))
        if not found:
            alone = self.tr("No other name shares it: changing it changes nothing else.")
            self.ownership_label.setText(own + " " + alone)
            return
        shared = self.tr("These names share its memory, so an in-place change to one changes all:")
        self.ownership_label.setText(own + " " + shared)
        for sharer in found:
            line = "{}  —  {}".format(sharer.name, relations.get(sharer.relation, sharer.relation))
            if sharer.name in self.changed_names:
                line += "  ● " + self.tr("changed by the last cell")
            self.sharers_list.addItem(line)

    # -- drawing the current tab --------------------------------------------------------------------
    def _render_current(self, *_args: Any) -> None:
        if self.tensor is None:
            return
        rows, cols, index = self.picker.choice() if self.tensor.dim() >= 2 else (0, 0, {})
        tab = self.tabs.currentIndex()
        try:
            if tab == 0:
                plane = tensors.plane(self.tensor, rows, cols, index, max_side=MAX_SIDE, as_float=False)
                if self.tensor.dim() == 1:  # a vector reads better as one column
                    self.table_model.set_plane(plane.values.T, (plane.step[1], 1))
                else:
                    self.table_model.set_plane(plane.values, plane.step)
                self._note_step(plane.step)
            elif tab == 1:
                plane = tensors.plane(self.tensor, rows, cols, index, max_side=MAX_SIDE)
                self.heatmap.show_plane(plane.values)
                self._note_step(plane.step)
            elif tab == 2:
                counts, edges = tensors.histogram(self.tensor)
                if counts.size:
                    self.histogram_curve.setData(edges, counts)
                else:
                    self.histogram_curve.setData([0, 1], [0])
                self.view_note.setText(self.tr("Finite values; big tensors are sampled."))
            elif tab == 3 and tensors.image_shape_ok(self.tensor):
                self.image_item.setImage(tensors.image(self.tensor))
                self.view_note.setText(self.tr("Shown as an image (C×H×W or H×W)."))
        except (ValueError, IndexError, RuntimeError, TypeError) as error:
            self.view_note.setText(self.tr("Cannot show this view: {}").format(error))

    def _note_step(self, step: tuple[int, int]) -> None:
        if step == (1, 1):
            self.view_note.setText(self.tr("All values of this slice are shown."))
        else:
            self.view_note.setText(self.tr("Large slice: every {rows}th row and {cols}th column is shown.").format(
                rows=step[0], cols=step[1]))


class HeatmapView(pg.PlotWidget):
    """A 2-D array as a colour image with a colour bar (NaN and inf are left out of the levels)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.addItem(self.image)
        self.invertY(True)
        self.colorbar = pg.ColorBarItem(colorMap=pg.colormap.get("viridis"), interactive=False)
        self.colorbar.setImageItem(self.image, insert_in=self.getPlotItem())
        self.getPlotItem().setLabel("left", self.tr("rows"))
        self.getPlotItem().setLabel("bottom", self.tr("columns"))

    def show_plane(self, values: np.ndarray) -> None:
        finite_mask = np.isfinite(values)
        finite = values if finite_mask.all() else values[finite_mask]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if low == high:
            low, high = low - 0.5, high + 0.5
        self.image.setImage(values, autoLevels=False, levels=(low, high))
        self.colorbar.setLevels((low, high))

    def clear_plane(self) -> None:
        self.image.clear()
