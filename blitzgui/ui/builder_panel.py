"""Network builder: the blitz Net layer by layer, shapes checked live, code round-trip.

The panel edits one immutable `NetworkSpec` (plus the batch size of the shape check). Every edit is
a `SpecCommand` on a QUndoStack, so undo/redo, "unsaved changes" (the stack's clean state) and the
views all follow from swapping whole specs. Shape inference runs debounced on the GUI thread: it
reruns only the layers whose input or parameters changed (core.shapes caches the rest).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QDragEnterEvent, QDropEvent, QFontDatabase, QKeySequence, QMouseEvent, QShowEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from blitzgui.core.codegen import layer_text, parse_code, to_class_code, to_sequential_code
from blitzgui.core.layers import (
    CATEGORIES,
    LAYER_TYPES,
    MAX_PARAMS,
    PRESETS,
    LayerSpec,
    NetworkSpec,
    build_module,
    layer_names,
    load_spec,
    preset,
    save_spec,
)
from blitzgui.core.shapes import (
    ShapeReport,
    describe_counts,
    fitting_layer,
    format_shape,
    infer_shapes,
    parse_input_shape,
    warm_up,
)
from blitzgui.ui.builder_form import ERROR_STYLE, FIELD_ERROR_STYLE, LayerForm
from blitzgui.ui.context import AppContext
from blitzgui.ui.preset_names import preset_title

DEBOUNCE_MS = 80
MAX_GRAPH_VALUES = 100_000_000  # layer outputs Show graph may allocate: 400 MB of float32
WARM_UP_DELAY_MS = 2000  # after the window's first paint, before a learner is likely to open the Builder
ERROR_ROW = QColor("#fde2e0")
COLUMNS = 5  # #, layer, output shape, params, MACs


class SpecCommand(QUndoCommand):
    """Replace the whole (spec, batch) state; consecutive typing in one field merges into one step."""

    def __init__(self, panel: BuilderPanel, after: tuple[NetworkSpec, int], text: str, select: int | None,
                 merge_key: tuple | None = None):
        super().__init__(text)
        self.panel = panel
        self.before = (panel.spec, panel.batch)
        self.after = after
        self.select_before = panel.selected_row()
        self.select_after = self.select_before if select is None else select
        self.merge_key = merge_key

    def id(self) -> int:
        return 1 if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SpecCommand) or other.merge_key != self.merge_key:
            return False
        self.after, self.select_after = other.after, other.select_after
        self.setObsolete(self.after == self.before)  # typed back to where it was: the stack drops the step
        return True

    def redo(self) -> None:
        self.panel._apply(*self.after, self.select_after)

    def undo(self) -> None:
        self.panel._apply(*self.before, self.select_before)


class LayerList(QTreeWidget):
    """The layers with their inferred shapes. Rows are dragged to reorder and palette entries dropped
    to add; the panel changes the spec (Qt would move or nest the items itself)."""

    move_requested = Signal(int, int)  # from row, to row
    add_requested = Signal(str, int)  # layer type, row to insert at

    def __init__(self, palette: QTreeWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.palette = palette
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # Select the pressed row at once, so a drag always moves the row under the mouse.
        item = self.itemAt(event.position().toPoint())
        if item is not None:
            self.setCurrentItem(item)
        super().mousePressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.source() in (self, self.palette):
            super().dragEnterEvent(event)
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        target_item = self.itemAt(event.position().toPoint())
        target = None if target_item is None else self.indexOfTopLevelItem(target_item)
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        self.drop_from(event.source() or self, target)

    def drop_from(self, source: QWidget, target: int | None) -> None:
        """A drop from `source` (this list or the palette) on row `target` (None: below the last row)."""
        count = self.topLevelItemCount()
        if source is self:
            row = self.currentIndex().row()
            target = count - 1 if target is None else target
            if row >= 0 and target != row:
                self.move_requested.emit(row, target)
        elif source is self.palette and self.palette.currentItem() is not None:
            kind = self.palette.currentItem().data(0, Qt.ItemDataRole.UserRole)
            if kind:
                self.add_requested.emit(kind, count if target is None else target + 1)


class ClickableLabel(QLabel):
    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)


class BuilderPanel(QWidget):
    report_updated = Signal(object)  # a core.shapes.ShapeReport, after each (debounced) shape check

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.spec = preset("cifar_net")
        self.batch = 1
        self.path: Path | None = None
        self.report: ShapeReport | None = None
        self.undo_stack = QUndoStack(self)
        self._checked = False  # the first shape check waits until the panel is shown (it imports dynamo, ~1 s)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.check_shapes)
        # The first shape check imports torch._dynamo (~1.5 s on the GUI thread): do it in the background.
        self._warm_up = threading.Thread(target=warm_up, name="builder-warm-up", daemon=True)
        QTimer.singleShot(WARM_UP_DELAY_MS, self, self._warm_up.start)

        self._build_toolbar()
        self._build_palette()
        self._build_layer_list()
        self._build_editors()
        splitter = QSplitter()
        splitter.addWidget(self.palette)
        splitter.addWidget(self.center)
        splitter.addWidget(self.side_tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([190, 620, 420])
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)

        self.undo_stack.cleanChanged.connect(self._update_title)
        self._apply(self.spec, self.batch, 0)
        self.undo_stack.setClean()
        self._update_title()

    # -- building the widgets -----------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            # Only while the builder has focus: the REPL has its own Ctrl+Z.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        action.setToolTip(tip or text)
        return action

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar()
        self.preset_box = QComboBox()
        self.preset_box.addItem(self.tr("Load a preset…"), None)
        for name in PRESETS:
            self.preset_box.addItem(preset_title(name), name)
        self.preset_box.activated.connect(self._preset_chosen)
        # As wide as "Load a preset…", not as the longest title (its list still shows titles in full).
        self.preset_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset_box.setMinimumContentsLength(16)
        self.toolbar.addWidget(self.preset_box)
        self.toolbar.addSeparator()
        self.open_action = self._action(self.tr("Open…"), self._open_clicked, QKeySequence.StandardKey.Open,
                                        self.tr("Open a network file (.json)"))
        self.save_action = self._action(self.tr("Save"), self.save, QKeySequence.StandardKey.Save,
                                        self.tr("Save the network as JSON"))
        self.save_as_action = self._action(self.tr("Save as…"), self.save_as, QKeySequence.StandardKey.SaveAs)
        # Fixed button texts (QUndoStack's own actions put the step into the text, which grows the
        # toolbar until it overflows); the step is in the tooltip instead.
        self.undo_action = self._action(self.tr("Undo"), self.undo_stack.undo, "Ctrl+Z")
        self.redo_action = self._action(self.tr("Redo"), self.undo_stack.redo, "Ctrl+Shift+Z")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_stack.undoTextChanged.connect(self._undo_steps_changed)
        self.undo_stack.redoTextChanged.connect(self._undo_steps_changed)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.repl_action = self._action(self.tr("Send to REPL"), self.send_to_repl, "Ctrl+Shift+R",
                                        self.tr("Run the code in the REPL: defines Net and net = Net()"))
        self.train_action = self._action(self.tr("Use for training"), self.use_for_training, None,
                                         self.tr("Hand this model to the Training panel"))
        self.graph_action = self._action(self.tr("Show graph"), self.show_graph, None,
                                         self.tr("Run one random input and show its autograd graph"))
        for action in (self.open_action, self.save_action, self.save_as_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.undo_action)
        self.toolbar.addAction(self.redo_action)
        self.toolbar.addSeparator()
        for action in (self.repl_action, self.train_action, self.graph_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.file_label = QLabel()
        self.file_label.setToolTip(self.tr("The network file, and whether the design has changed since it was saved"))
        self.toolbar.addWidget(self.file_label)

    def _undo_steps_changed(self) -> None:
        self.undo_action.setToolTip(self.tr("Undo {}").format(self.undo_stack.undoText()).strip())
        self.redo_action.setToolTip(self.tr("Redo {}").format(self.undo_stack.redoText()).strip())

    def _build_palette(self) -> None:
        self.palette = QTreeWidget()
        self.palette.setHeaderLabel(self.tr("Palette"))
        self.palette.setToolTip(self.tr("Enter, double-click or drag a layer into the list to add it"))
        self.palette.setDragEnabled(True)
        self.palette.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        categories = {
            "Convolution": self.tr("Convolution"), "Pooling": self.tr("Pooling"), "Linear": self.tr("Linear"),
            "Shape": self.tr("Shape"), "Activation": self.tr("Activation"), "Normalization": self.tr("Normalization"),
            "Regularization": self.tr("Regularization"), "Recurrent": self.tr("Recurrent"),
        }
        for category in CATEGORIES:
            group = QTreeWidgetItem(self.palette, [categories.get(category, category)])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for kind in LAYER_TYPES.values():
                if kind.category == category:
                    item = QTreeWidgetItem(group, [kind.name])
                    item.setData(0, Qt.ItemDataRole.UserRole, kind.name)
                    item.setToolTip(0, kind.summary)
        self.palette.expandAll()
        # Narrow windows squeeze the palette first: keep its longest entry (BatchNorm2d) readable.
        self.palette.setMinimumWidth(self.palette.sizeHintForColumn(0) + 2 * self.palette.frameWidth())
        self.palette.itemActivated.connect(self._palette_activated)

    def _build_layer_list(self) -> None:
        self.center = QWidget()
        shape_row = QHBoxLayout()
        shape_row.addWidget(QLabel(self.tr("Input shape (N×C×H×W):")))
        self.input_field = QLineEdit()
        self.input_field.setToolTip(self.tr("Batch size, then one sample's shape, e.g. 1×3×32×32 or 4, 1, 28, 28"))
        self.input_field.textEdited.connect(self._input_typed)
        shape_row.addWidget(self.input_field, 1)
        self.input_message = QLabel()
        self.input_message.setStyleSheet(ERROR_STYLE)
        self.input_message.setWordWrap(True)
        self.input_message.hide()

        self.layers = LayerList(self.palette)
        self.layers.setHeaderLabels([self.tr("#"), self.tr("Layer"), self.tr("Output shape"), self.tr("Params"),
                                     self.tr("MACs")])
        header = self.layers.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.layers.currentItemChanged.connect(self._selection_changed)
        self.layers.move_requested.connect(self.move_layer)
        self.layers.add_requested.connect(lambda kind, row: self.add_layer(kind, row - 1))

        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setToolTip(self.tr("Add the palette's selected layer after the selected layer (Insert)"))
        self.add_button.clicked.connect(lambda: self._palette_activated(self.palette.currentItem()))
        self.duplicate_button = QPushButton(self.tr("Duplicate"))
        self.duplicate_button.setToolTip(self.tr("Duplicate the selected layer (Ctrl+D)"))
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Remove the selected layer (Delete)"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button = QPushButton(self.tr("Move up"))
        self.up_button.setToolTip(self.tr("Alt+Up; or drag the row"))
        self.up_button.clicked.connect(lambda: self._move_selected(-1))
        self.down_button = QPushButton(self.tr("Move down"))
        self.down_button.setToolTip(self.tr("Alt+Down; or drag the row"))
        self.down_button.clicked.connect(lambda: self._move_selected(1))
        for button in (self.add_button, self.duplicate_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self._action(self.tr("Add layer"), lambda: self._palette_activated(self.palette.currentItem()), "Insert")
        self._action(self.tr("Duplicate layer"), self.duplicate_selected, "Ctrl+D")
        self._action(self.tr("Remove layer"), self.remove_selected, QKeySequence.StandardKey.Delete)
        self._action(self.tr("Move layer up"), lambda: self._move_selected(-1), "Alt+Up")
        self._action(self.tr("Move layer down"), lambda: self._move_selected(1), "Alt+Down")

        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.shape_message = ClickableLabel()
        self.shape_message.setWordWrap(True)
        self.shape_message.setCursor(Qt.CursorShape.PointingHandCursor)
        self.shape_message.setToolTip(self.tr("Click to select this layer and the value to change"))
        self.shape_message.clicked.connect(self.show_error_layer)
        self.shape_message.setStyleSheet(ERROR_STYLE)
        self.shape_message.hide()

        layout = QVBoxLayout(self.center)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(shape_row)
        layout.addWidget(self.input_message)
        layout.addWidget(self.layers, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.shape_message)
        layout.addWidget(self.totals)

    def _build_editors(self) -> None:
        self.form = LayerForm()
        self.form.value_edited.connect(self._param_edited)

        code_page = QWidget()
        style_row = QHBoxLayout()
        self.code_style = QComboBox()
        self.code_style.addItem(self.tr("class Net(nn.Module)"), "class")
        self.code_style.addItem(self.tr("nn.Sequential"), "sequential")
        self.code_style.currentIndexChanged.connect(lambda _index: self._show_code(force=True))
        style_row.addWidget(QLabel(self.tr("Export as:")))
        style_row.addWidget(self.code_style, 1)
        self.code_edit = QPlainTextEdit()
        self.code_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.code_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.code_edit.document().modificationChanged.connect(self._code_modified)
        self.apply_code_button = QPushButton(self.tr("Apply code to the builder"))
        self.apply_code_button.setToolTip(self.tr("Read the edited code back into layers (undoable)"))
        self.apply_code_button.clicked.connect(self.apply_code)
        self.revert_code_button = QPushButton(self.tr("Revert"))
        self.revert_code_button.clicked.connect(lambda: self._show_code(force=True))
        self.code_message = QLabel()
        self.code_message.setWordWrap(True)
        self.code_message.setStyleSheet(ERROR_STYLE)
        self.code_message.hide()
        code_buttons = QHBoxLayout()
        code_buttons.addWidget(self.apply_code_button)
        code_buttons.addWidget(self.revert_code_button)
        code_buttons.addStretch(1)
        code_layout = QVBoxLayout(code_page)
        code_layout.addLayout(style_row)
        code_layout.addWidget(self.code_edit, 1)
        code_layout.addWidget(self.code_message)
        code_layout.addLayout(code_buttons)

        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.form, self.tr("Layer"))
        self.side_tabs.addTab(code_page, self.tr("Code"))
        self._code_modified(False)

    # -- state ------------------------------------------------------------------------------------
    def selected_row(self) -> int:
        item = self.layers.currentItem()
        return -1 if item is None else self.layers.indexOfTopLevelItem(item)

    def _push(self, spec: NetworkSpec, text: str, select: int | None = None, batch: int | None = None,
              merge_key: tuple | None = None) -> None:
        after = (spec, self.batch if batch is None else batch)
        if after == (self.spec, self.batch):
            return
        self.undo_stack.push(SpecCommand(self, after, text, select, merge_key))

    def _apply(self, spec: NetworkSpec, batch: int, select: int) -> None:
        """Show a (spec, batch) state: the only place the panel's model changes (undo commands call it)."""
        self.spec, self.batch = spec, batch
        names = layer_names(spec.layers)
        while self.layers.topLevelItemCount() > len(spec.layers):
            self.layers.takeTopLevelItem(self.layers.topLevelItemCount() - 1)
        while self.layers.topLevelItemCount() < len(spec.layers):
            item = QTreeWidgetItem(self.layers)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
            for column in (0, 3, 4):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for row, (name, layer) in enumerate(zip(names, spec.layers)):
            item = self.layers.topLevelItem(row)
            item.setText(0, str(row + 1))
            item.setText(1, "{}  {}".format(name, layer_text(layer)))
        input_text = format_shape((batch, *spec.input_shape))
        if not self.input_field.hasFocus() or self._typed_shape() != (batch, spec.input_shape):
            self.input_field.setText(input_text)
            self._show_input_message(None)
        select = min(select, len(spec.layers) - 1)
        self.layers.setCurrentItem(self.layers.topLevelItem(select) if select >= 0 else None)
        self._selection_changed()
        self._show_code()
        self._schedule_check()

    def _typed_shape(self) -> tuple[int, tuple[int, ...]] | None:
        try:
            return parse_input_shape(self.input_field.text())
        except ValueError:
            return None

    def _update_title(self) -> None:
        name = self.path.name if self.path else self.tr("not saved yet")
        self.file_label.setText(self.tr("{} (changed)").format(name) if self.has_unsaved_changes() else name)

    def has_unsaved_changes(self) -> bool:
        return not self.undo_stack.isClean()

    # -- editing ------------------------------------------------------------------------------
    def add_layer(self, kind: str, row: int | None = None) -> None:
        """Insert a layer of `kind` after `row` (default: after the selection), sized to fit its input."""
        row = self.selected_row() if row is None else row
        layers = list(self.spec.layers)
        layers.insert(row + 1, fitting_layer(kind, self.spec, row + 1, self.batch))
        self._push(self._with_layers(layers), self.tr("Add {}").format(kind), select=row + 1)

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row < 0:
            return
        layers = list(self.spec.layers)
        removed = layers.pop(row)
        self._push(self._with_layers(layers), self.tr("Remove {}").format(removed.kind), select=max(row - 1, 0))

    def duplicate_selected(self) -> None:
        row = self.selected_row()
        if row < 0:
            return
        layers = list(self.spec.layers)
        layers.insert(row + 1, layers[row])
        self._push(self._with_layers(layers), self.tr("Duplicate {}").format(layers[row].kind), select=row + 1)

    def move_layer(self, source: int, target: int) -> None:
        layers = list(self.spec.layers)
        if not (0 <= source < len(layers) and 0 <= target < len(layers)) or source == target:
            return
        layers.insert(target, layers.pop(source))
        self._push(self._with_layers(layers), self.tr("Move {}").format(layers[target].kind), select=target)

    def _move_selected(self, step: int) -> None:
        row = self.selected_row()
        if row >= 0:
            self.move_layer(row, row + step)

    def set_param(self, row: int, name: str, value) -> None:
        layers = list(self.spec.layers)
        layers[row] = layers[row].with_param(name, value)
        self._push(self._with_layers(layers), self.tr("Set {} of layer {}").format(name, row + 1), select=row,
                   merge_key=(row, name))

    def set_input_shape(self, batch: int, shape: tuple[int, ...]) -> None:
        spec = NetworkSpec(self.spec.layers, shape, self.spec.name)
        self._push(spec, self.tr("Set input shape"), batch=batch, merge_key=("input",))

    def load(self, spec: NetworkSpec, text: str) -> None:
        """Replace the design (undoable, so the previous one is never lost)."""
        self._push(spec, text, select=0 if spec.layers else -1)

    def _with_layers(self, layers: list[LayerSpec]) -> NetworkSpec:
        return NetworkSpec(tuple(layers), self.spec.input_shape, self.spec.name)

    def _param_edited(self, name: str, value) -> None:
        row = self.selected_row()
        if row >= 0:
            self.set_param(row, name, value)

    def _input_typed(self, text: str) -> None:
        try:
            batch, shape = parse_input_shape(text)
        except ValueError as error:
            self._show_input_message(self.tr("{problem} (the check keeps {shape})").format(
                problem=error, shape=format_shape((self.batch, *self.spec.input_shape))))
            return
        self._show_input_message(None)
        self.set_input_shape(batch, shape)

    def _show_input_message(self, message: str | None) -> None:
        self.input_message.setText(message or "")
        self.input_message.setVisible(bool(message))
        self.input_field.setStyleSheet(FIELD_ERROR_STYLE if message else "")

    def _palette_activated(self, item: QTreeWidgetItem | None, _column: int = 0) -> None:
        kind = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if kind:
            self.add_layer(kind)

    def _preset_chosen(self, index: int) -> None:
        name = self.preset_box.itemData(index)
        self.preset_box.setCurrentIndex(0)
        if name:
            self.load(preset(name), self.tr("Load preset {}").format(name))

    def _selection_changed(self, *_args) -> None:
        row = self.selected_row()
        layer = self.spec.layers[row] if 0 <= row < len(self.spec.layers) else None
        self.form.show_layer(layer, row, layer_names(self.spec.layers)[row] if layer else "")
        for button in (self.duplicate_button, self.remove_button):
            button.setEnabled(layer is not None)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(self.spec.layers) - 1)
        self._mark_form()

    # -- shape check --------------------------------------------------------------------------------
    def _schedule_check(self) -> None:
        if self._checked or self.isVisible():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._checked:
            self._timer.start()

    def check_shapes(self) -> ShapeReport:
        """Infer shapes now and update the table, totals and messages (normally called debounced)."""
        self._timer.stop()
        self._checked = True
        report = infer_shapes(self.spec, batch=self.batch)
        self.report = report
        bad = report.error_index
        for row, shape in enumerate(report.layers):
            item = self.layers.topLevelItem(row)
            item.setText(2, format_shape(shape.output_shape) if shape.output_shape else ("✗" if row == bad else "—"))
            item.setText(3, f"{shape.params:,}")
            item.setText(4, describe_counts(shape.macs) if shape.output_shape else "—")
            brush = QBrush(ERROR_ROW) if row == bad else QBrush()
            for column in range(COLUMNS):
                item.setBackground(column, brush)
                item.setToolTip(column, shape.error or "")
        if bad is None:
            self.shape_message.hide()
            self.totals.setText(self.tr("Total: {params} parameters · {macs} MACs ({flops} FLOPs) · output {output}").format(
                params=f"{report.total_params:,}", macs=describe_counts(report.total_macs),
                flops=describe_counts(report.total_flops), output=format_shape(report.output_shape)))
        else:
            self.shape_message.setText(self.tr("Layer {row} ({name}): {error}").format(
                row=bad + 1, name=report.layers[bad].name, error=report.error))
            self.shape_message.show()
            self.totals.setText(self.tr("Total: {params} parameters · the shape check stops at layer {row}").format(
                params=f"{report.total_params:,}", row=bad + 1))
        for action in (self.train_action, self.graph_action):
            action.setEnabled(bad is None and bool(self.spec.layers))
        self._mark_form()
        self.report_updated.emit(report)
        return report

    def show_error_layer(self) -> None:
        """Select the layer the shape check stopped at and put the cursor in the field to change."""
        report = self.report
        if report is None or report.error_index is None or len(report.layers) != len(self.spec.layers):
            return
        item = self.layers.topLevelItem(report.error_index)
        self.layers.setCurrentItem(item)
        self.layers.scrollToItem(item)
        self.side_tabs.setCurrentWidget(self.form)
        editor = self.form.editors.get(report.layers[report.error_index].field or "")
        (editor or self.layers).setFocus()

    def _mark_form(self) -> None:
        report, row = self.report, self.selected_row()
        if report is not None and row == report.error_index and len(report.layers) == len(self.spec.layers):
            self.form.mark_shape_problem(report.layers[row].field, report.layers[row].error)
        else:
            self.form.mark_shape_problem(None, None)

    # -- code ---------------------------------------------------------------------------------------
    def exported_code(self, style: str | None = None) -> str:
        style = style or self.code_style.currentData()
        return to_class_code(self.spec) if style == "class" else to_sequential_code(self.spec)

    def _show_code(self, force: bool = False) -> None:
        if self.code_edit.document().isModified() and not force:
            return  # keep the learner's edits until applied or reverted
        self.code_edit.setPlainText(self.exported_code())
        self.code_edit.document().setModified(False)
        self.code_message.hide()

    def _code_modified(self, modified: bool) -> None:
        self.apply_code_button.setEnabled(modified)
        self.revert_code_button.setEnabled(modified)
        self.code_style.setEnabled(not modified)  # switching would replace the learner's edits

    def apply_code(self) -> bool:
        """Read the code editor back into layers; False (and a message under the editor) if it cannot."""
        try:
            spec = parse_code(self.code_edit.toPlainText(), input_shape=self.spec.input_shape)
        except ValueError as error:
            self.code_message.setText(self.tr("Cannot read this code: {}").format(error))
            self.code_message.show()
            return False
        self.code_edit.document().setModified(False)
        self.load(spec, self.tr("Apply code"))
        self._show_code(force=True)
        return True

    # -- handing the model on ---------------------------------------------------------------------
    def _say(self, message: str | None, error: bool = False) -> None:
        self.notice.setText(message or "")
        self.notice.setStyleSheet(ERROR_STYLE if error else "color: #1e7e34;")
        self.notice.setVisible(bool(message))

    def _buildable(self, need_shapes: bool) -> bool:
        report = self.check_shapes()
        if not self.spec.layers:
            self._say(self.tr("Add at least one layer first."), error=True)
            return False
        if report.total_params > MAX_PARAMS:
            self._say(self.tr("This network has {} parameters, more than the {} the builder will allocate.").format(
                f"{report.total_params:,}", f"{MAX_PARAMS:,}"), error=True)
            return False
        if need_shapes and not report.ok:
            self._say(self.tr("Fix layer {row} first: {error}").format(row=report.error_index + 1, error=report.error),
                      error=True)
            return False
        return True

    def send_to_repl(self) -> bool:
        """Run the class code plus `net = Net()` in the REPL, where the learner sees it."""
        if not self._buildable(need_shapes=False):
            return False
        code = "{}\nnet = {}()\nnet\n".format(to_class_code(self.spec), self.spec.name)
        self.context.session.emit("run_code", code)
        self.context.session.emit("show_panel", "tensors")
        self._say(self.tr("Sent to the REPL: net = {}()").format(self.spec.name))
        return True

    def _label(self) -> str:
        return self.path.stem if self.path else self.spec.name

    def use_for_training(self) -> bool:
        if not self._buildable(need_shapes=True):
            return False
        self.context.session.emit("train_model", build_module(self.spec), self._label(), spec=self.spec)
        self.context.session.emit("show_panel", "training")
        self._say(self.tr("Handed to the Training panel."))
        return True

    def show_graph(self) -> bool:
        """Build the model on the app's device, run one random input, show the output's autograd graph."""
        if not self._buildable(need_shapes=True):
            return False
        import torch

        batch = max(self.batch, 2)  # batch norm needs two samples to train
        values = self.report.total_outputs // self.batch * batch
        if values > MAX_GRAPH_VALUES:
            self._say(self.tr("One pass of a batch of {batch} through this network holds {values} values, more than "
                              "the {limit} Show graph will allocate: use a smaller input shape.").format(
                batch=batch, values=f"{values:,}", limit=f"{MAX_GRAPH_VALUES:,}"), error=True)
            return False
        device = self.context.device.device
        try:
            module = build_module(self.spec, device=device)
            output = module(torch.randn(batch, *self.spec.input_shape, device=device))
        except (RuntimeError, MemoryError) as error:  # e.g. out of memory on a small GPU
            self._say(self.tr("Could not run the network: {}").format(str(error).splitlines()[0]), error=True)
            return False
        self.context.session.emit("follow_tensor", output, self.tr("{} output").format(self._label()))
        self.context.session.emit("show_panel", "autograd")
        self._say(None)
        return True

    # -- files --------------------------------------------------------------------------------------
    def open_file(self, path: str | Path) -> bool:
        """Load a network file; a bad one leaves the design as it is and says why."""
        try:
            spec = load_spec(path)
        except ValueError as error:
            self._say(self.tr("Could not open the network: {}").format(error), error=True)
            return False
        self.load(spec, self.tr("Open {}").format(Path(path).name))
        self.path = Path(path)
        self.undo_stack.setClean()
        self._update_title()
        self._say(self.tr("Opened {}").format(self.path.name))
        return True

    def save_to(self, path: str | Path) -> bool:
        try:
            save_spec(self.spec, path)
        except OSError as error:
            self._say(self.tr("Could not save: {}").format(error.strerror or error), error=True)
            return False
        self.path = Path(path)
        self.undo_stack.setClean()
        self._update_title()
        self._say(self.tr("Saved {}").format(self.path.name))
        return True

    def save(self) -> bool:
        return self.save_to(self.path) if self.path else self.save_as()

    def save_as(self) -> bool:
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save network"), str(self._dialog_dir() / "net.json"),
                                                    self.tr("Network files (*.json)"))
        if not path:
            return False
        if not path.endswith(".json"):
            path += ".json"
        return self.save_to(path)

    def _open_clicked(self) -> None:
        if not self.confirm_close():  # an opened file is the saved state: the current design would be lost at close
            return
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("Open network"), str(self._dialog_dir()),
                                                    self.tr("Network files (*.json);;All files (*)"))
        if path:
            self.open_file(path)

    def _dialog_dir(self) -> Path:
        return self.path.parent if self.path else self.context.data_dir

    # -- life cycle ------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Let a warm-up import in progress finish (at most ~2 s) rather than exit in the middle of it."""
        if self._warm_up.is_alive():
            self._warm_up.join(timeout=10)

    def confirm_close(self) -> bool:
        """Ask about unsaved changes (before closing or opening another file); True at once when there are none."""
        if not self.has_unsaved_changes():
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved network"),
            self.tr("The network in the Builder has unsaved changes. Save them?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard


if __name__ == "__main__":  # the panel on its own: python -m blitzgui.ui.builder_panel
    import sys

    from PySide6.QtWidgets import QApplication

    from blitzgui.core.devices import resolve_device
    from blitzgui.core.paths import default_data_dir
    from blitzgui.core.session import Session

    app = QApplication(sys.argv)
    panel = BuilderPanel(AppContext(Session(), resolve_device("auto"), default_data_dir()))
    panel.resize(1300, 760)
    panel.show()
    sys.exit(app.exec())
