"""Every tensor, ndarray, Parameter and nn.Module in the session, refreshed name by name."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import torch
from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QResizeEvent
from PySide6.QtWidgets import QApplication, QHeaderView, QMenu, QStyle, QTreeWidget, QTreeWidgetItem, QWidget
from torch import nn

from blitzgui.core import storage
from blitzgui.core.session import Session
from blitzgui.core.tensors import VariableSummary, format_bytes, is_listed, module_tensors, resolve, summarize

CHANGED = QBrush(QColor("#fff3c4"))  # rows the last cell changed (directly or through shared memory)
SHAPE_COLUMN, REQUIRES_GRAD_COLUMN, GRAD_FN_COLUMN, MEMORY_COLUMN = 2, 5, 6, 7
ELASTIC_COLUMNS = (SHAPE_COLUMN, GRAD_FN_COLUMN)  # long texts: elided in a narrow list, whole in the tooltip
ELASTIC_MIN_CHARS = 8  # an elided Shape still shows "(4, 3, 3…"
BYTES_ROLE = Qt.ItemDataRole.UserRole + 1  # the Memory column sorts by bytes, not by "1.0 KiB" as text


class Row(QTreeWidgetItem):
    def __lt__(self, other: QTreeWidgetItem) -> bool:
        tree = self.treeWidget()
        column = tree.sortColumn() if tree is not None else 0
        if column == MEMORY_COLUMN:
            return self.data(MEMORY_COLUMN, BYTES_ROLE) < other.data(MEMORY_COLUMN, BYTES_ROLE)
        return self.text(column) < other.text(column)  # as Qt's own (super() would call this again)


def row_texts(s: VariableSummary) -> list[str]:
    """A row's cells, in the order of the columns."""
    return [s.name, s.kind, s.shape, s.dtype, s.device, s.requires_grad, s.grad_fn, format_bytes(s.memory)]


def water_level(widths: list[int], budget: int, floor: int) -> int:
    """The largest cap such that the widths, each cut down to it, sum to at most `budget`;
    never below `floor` (below that, the caller scrolls rather than shows nothing)."""
    narrow = 0
    for index, width in enumerate(sorted(widths)):
        remaining = len(widths) - index
        if width * remaining + narrow >= budget:
            return max((budget - narrow) // remaining, floor)
        narrow += width
    return max(widths, default=floor)


class CompactHeader(QHeaderView):
    """Qt widens every section for a sort arrow (about 25 px each, 175 px over the unsorted
    columns); only the sorted column draws one, so only it keeps that room."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        # What QTreeView sets up on the header it makes itself.
        self.setSectionsMovable(True)
        self.setStretchLastSection(True)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def sectionSizeFromContents(self, logical_index: int) -> QSize:
        size = super().sectionSizeFromContents(logical_index)
        if self.isSortIndicatorShown() and logical_index != self.sortIndicatorSection():
            margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self)
            size.setWidth(size.width() - size.height() - margin)  # what Qt added for the arrow
        return size


class VariableList(QTreeWidget):
    """One row per listed name; `refresh(names)` re-summarises only those names."""

    selected = Signal(str)  # a name, or "" when nothing is selected
    delete_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.items: dict[str, QTreeWidgetItem] = {}
        self.changed_last: set[str] = set()  # names highlighted as changed by the last cell
        self.changed_now: set[str] = set()  # names the latest refresh updated
        self._ids: dict[str, int] = {}  # the object each row describes, to tell in-place changes
        self.setHeader(CompactHeader(self))
        self.setHeaderLabels([
            self.tr("Name"), self.tr("Kind"), self.tr("Shape"), self.tr("dtype"), self.tr("Device"),
            self.tr("requires_grad"), self.tr("grad_fn"), self.tr("Memory"),
        ])
        self.setUniformRowHeights(True)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        # Column widths follow the contents only when rows are added: re-measuring every row
        # after each cell (ResizeToContents) cost more than the rest of the refresh.
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.header().setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a narrowed "requires_grad" reads "req…grad"
        self.headerItem().setToolTip(REQUIRES_GRAD_COLUMN, self.tr("requires_grad: whether autograd records the operations on it"))
        self.header().sortIndicatorChanged.connect(self._fit_columns)  # the sorted column needs room for its arrow
        self._wanted: list[int] = []  # each column's width for its whole contents and header
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.itemSelectionChanged.connect(self._selection_changed)
        self.itemExpanded.connect(self._fit_columns)  # measured rows leave out collapsed children
        self._unsubscribe = session.subscribe(self.refresh)
        self.refresh(session.namespace.keys())
        if not self._wanted:  # no rows yet: the headers alone set the widths (Qt's default is 100 px each)
            self._fit_columns()

    def refresh(self, names: Iterable[str]) -> set[str]:
        """Update the rows of `names`; a name changed in place (same object) also updates the
        names sharing its memory (an `add_` on a tensor changes its `.numpy()` array too).
        Returns the names updated now; `changed_last` gathers them until `clear_highlights()`."""
        namespace = self.session.namespace
        names = {n for n in names if n in namespace and is_listed(n, namespace[n]) or n in self.items}
        in_place = {n for n in names if n in namespace and self._ids.get(n) == id(namespace[n])}
        changed = names | storage.changed_with(namespace, in_place, listed=is_listed)
        added = False
        for name in changed:  # with sorting on, Qt moves only the rows that changed
            value = namespace.get(name)
            if value is None or not is_listed(name, value):
                self._remove_row(name)
                continue
            added |= name not in self.items
            self._update_row(name)
        if added:
            self._fit_columns()
        self.changed_now = {n for n in changed if n in self.items}
        self.changed_last |= self.changed_now
        return self.changed_now

    def _fit_columns(self, *_ignored: object) -> None:
        header = self.header()
        self._wanted = [max(self.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(self.columnCount())]
        self._fit_to_width()

    def _fit_to_width(self) -> None:
        """Columns as wide as their contents. When that is wider than the list (a 1280 px window
        leaves it ~550 px), the requires_grad header first narrows to "req…grad", then
        Shape and grad_fn share what is left, elided, down to a few characters; only then does
        the list scroll sideways."""
        widths = list(self._wanted)
        excess = sum(widths) - self.viewport().width()
        if excess > 0:
            header = self.header()
            margins = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
            shortest = max(self.sizeHintForColumn(REQUIRES_GRAD_COLUMN), header.fontMetrics().horizontalAdvance("req…grad") + margins)
            spare = max(widths[REQUIRES_GRAD_COLUMN] - shortest, 0)
            widths[REQUIRES_GRAD_COLUMN] -= min(spare, excess)
            excess -= min(spare, excess)
        if excess > 0:
            floor = self.fontMetrics().horizontalAdvance("0" * ELASTIC_MIN_CHARS)
            elastic = [widths[c] for c in ELASTIC_COLUMNS]
            cap = water_level(elastic, sum(elastic) - excess, floor)
            for column in ELASTIC_COLUMNS:
                widths[column] = min(widths[column], cap)
        for column, width in enumerate(widths):
            self.setColumnWidth(column, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._wanted:
            self._fit_to_width()

    def clear_highlights(self) -> None:
        for name in self.changed_last & self.items.keys():
            for column in range(self.columnCount()):
                self.items[name].setBackground(column, QBrush())
        self.changed_last = set()

    def _update_row(self, name: str) -> None:
        value = self.session.namespace[name]
        summary = summarize(name, value)
        self._ids[name] = id(value)
        item = self.items.get(name)
        if item is None:
            item = Row()
            item.setData(0, Qt.ItemDataRole.UserRole, name)
            font = QFont(item.font(0))
            font.setBold(True)
            item.setFont(0, font)
            self.addTopLevelItem(item)
            self.items[name] = item
        if isinstance(value, nn.Module):
            shape = self.tr("{type}, {count} params").format(type=type(value).__name__, count=f"{summary.parameters:,}")
            summary = dataclasses.replace(summary, shape=shape)
        for column, text in enumerate(row_texts(summary)):
            item.setText(column, text)
            item.setBackground(column, CHANGED)
        for column in ELASTIC_COLUMNS:
            item.setToolTip(column, item.text(column))
        item.setData(MEMORY_COLUMN, BYTES_ROLE, summary.memory)
        if isinstance(value, nn.Module):
            self._fill_module_rows(item, name, value)
        item.setToolTip(0, self.tr("{name}: {kind} {shape}").format(name=name, kind=summary.kind, shape=summary.shape))

    def _fill_module_rows(self, item: QTreeWidgetItem, name: str, module: nn.Module) -> None:
        """A module row expands into its parameters and buffers, each one inspectable.

        The child rows are updated in place while the module keeps the same parameters, so a
        selected parameter stays selected (and inspected) through `optimizer.step()`."""
        tensors = {f"{name}.{path}": tensor for path, tensor in module_tensors(module)}
        children = {item.child(i).data(0, Qt.ItemDataRole.UserRole): item.child(i) for i in range(item.childCount())}
        if children.keys() != tensors.keys():
            item.takeChildren()
            children = {}
            for path in tensors:
                children[path] = Row()
                children[path].setData(0, Qt.ItemDataRole.UserRole, path)
                item.addChild(children[path])
        for path, tensor in tensors.items():
            summary = summarize(path, tensor)
            for column, text in enumerate(row_texts(summary)):
                children[path].setText(column, text)
            for column in ELASTIC_COLUMNS:
                children[path].setToolTip(column, children[path].text(column))
            children[path].setData(MEMORY_COLUMN, BYTES_ROLE, summary.memory)

    def _remove_row(self, name: str) -> None:
        self._ids.pop(name, None)
        item = self.items.pop(name, None)
        if item is not None:
            self.takeTopLevelItem(self.indexOfTopLevelItem(item))

    # -- selection and context menu --------------------------------------------------------------
    def current_name(self) -> str:
        item = self.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None and item.isSelected() else ""

    def select(self, name: str) -> None:
        """Select a row by name, or a module's parameter row by its path (`net.fc.weight`)."""
        item = self.items.get(name.split(".")[0])
        if item is not None and "." in name:
            item.setExpanded(True)
            item = next((item.child(i) for i in range(item.childCount())
                         if item.child(i).data(0, Qt.ItemDataRole.UserRole) == name), None)
        if item is not None:
            self.setCurrentItem(item)

    def _selection_changed(self) -> None:
        self.selected.emit(self.current_name())

    def _context_menu(self, position: QPoint) -> QMenu | None:
        item = self.itemAt(position)
        if item is None:
            return None
        menu = self.context_menu(item.data(0, Qt.ItemDataRole.UserRole))
        menu.popup(self.viewport().mapToGlobal(position))
        return menu

    def context_menu(self, name: str) -> QMenu:
        menu = QMenu(self)
        if "." not in name:  # a module's parameter is not deleted from here
            delete = QAction(self.tr("Delete {}").format(name), menu)
            delete.triggered.connect(lambda: self.delete_requested.emit(name))
            menu.addAction(delete)
        copy = QAction(self.tr("Copy repr"), menu)
        copy.triggered.connect(lambda: self.copy_repr(name))
        menu.addAction(copy)
        value = resolve(self.session.namespace, name)
        if isinstance(value, torch.Tensor) and (value.requires_grad or value.grad_fn is not None):
            graph = QAction(self.tr("Show its autograd graph"), menu)
            graph.triggered.connect(lambda: self.follow_tensor(name))
            menu.addAction(graph)
        return menu

    def follow_tensor(self, name: str) -> None:
        """Hand the tensor to the Autograd panel (through the session's events) and show it."""
        value = resolve(self.session.namespace, name)
        if isinstance(value, torch.Tensor):
            self.session.emit("follow_tensor", value, name)
            self.session.emit("show_panel", "autograd")

    def copy_repr(self, name: str) -> None:
        value = resolve(self.session.namespace, name)
        if value is not None:
            QApplication.clipboard().setText(repr(value))

    def detach(self) -> None:
        self._unsubscribe()
