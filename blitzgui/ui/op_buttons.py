"""Op buttons: pick an op, fill a small form, and the equivalent Python line runs in the console."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTabWidget, QToolButton,
    QVBoxLayout, QWidget,
)

from blitzgui.ui.op_catalog import GROUPS, OPS, OPS_BY_KEY, Op, code, fresh_name

COLUMNS = 5  # buttons per line inside a group
FIELD_MIN_WIDTH = 160  # an argument field shows "[[1., 2.], [3., 4.]]" whole


class OpButtons(QWidget):
    """Emits `code_ready(line)` when the learner runs an op; the panel runs it in the console."""

    code_ready = Signal(str)

    def __init__(self, names: Callable[[], set[str]], selected: Callable[[], str], default_device: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._names = names  # the names now in the namespace (to propose a fresh result name)
        self._selected = selected  # the variable selected in the list (the default input)
        self._default_device = default_device  # e.g. "'cuda:0'"; "" on the CPU
        self.op: Op | None = None
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        self.buttons: dict[str, QToolButton] = {}
        group_titles = {"create": self.tr("Create"), "shape": self.tr("Shape"), "math": self.tr("Math"),
                        "device": self.tr("Device")}
        self.groups = QTabWidget()  # one tab per group keeps the panel narrow
        self.groups.setDocumentMode(True)
        for group in GROUPS:
            page = QWidget()
            lines = QVBoxLayout(page)
            lines.setContentsMargins(2, 2, 2, 2)
            lines.setSpacing(2)
            line = QHBoxLayout()
            for op in (o for o in OPS if o.group == group):
                if line.count() == COLUMNS:
                    line.addStretch(1)
                    lines.addLayout(line)
                    line = QHBoxLayout()
                button = QToolButton()
                button.setText(op.key)
                button.setToolTip(self._describe(op.key))
                button.clicked.connect(lambda _checked=False, key=op.key: self.choose(key))
                line.addWidget(button)
                self.buttons[op.key] = button
            line.addStretch(1)
            lines.addLayout(line)
            lines.addStretch(1)
            self.groups.addTab(page, group_titles[group])

        self.form_box = QGroupBox(self.tr("Arguments"))
        self.form = QFormLayout()
        self.preview = QLabel()
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setWordWrap(True)  # a long line wraps rather than squeezing the fields
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.run_button = QPushButton(self.tr("Run in console"))
        self.run_button.clicked.connect(self.run)
        # The fields get the box's whole width; the code it writes and the button go below.
        form_column = QVBoxLayout(self.form_box)
        form_column.addLayout(self.form)
        form_column.addWidget(self.preview)
        form_column.addWidget(self.error)
        form_column.addWidget(self.run_button, 0, Qt.AlignmentFlag.AlignLeft)
        form_column.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.groups, 2)
        layout.addWidget(self.form_box, 3)
        self.form_box.setVisible(False)
        self.run_button.setEnabled(False)

    def _describe(self, key: str) -> str:
        descriptions = {
            "tensor": self.tr("A tensor from Python data"),
            "zeros": self.tr("A tensor of zeros"),
            "ones": self.tr("A tensor of ones"),
            "rand": self.tr("Uniform random numbers in [0, 1)"),
            "randn": self.tr("Normal random numbers (mean 0, std 1)"),
            "arange": self.tr("Evenly spaced values with a step"),
            "linspace": self.tr("A number of evenly spaced values"),
            "eye": self.tr("An identity matrix"),
            "from_numpy": self.tr("A tensor sharing a NumPy array's memory"),
            "*_like": self.tr("A new tensor with the shape, dtype and device of another"),
            "view": self.tr("Same data, new shape (no copy; needs compatible strides)"),
            "reshape": self.tr("New shape; a view when possible, else a copy"),
            "transpose": self.tr("Swap two dimensions (a view)"),
            "permute": self.tr("Reorder all dimensions (a view)"),
            "unsqueeze": self.tr("Insert a dimension of size 1"),
            "squeeze": self.tr("Remove dimensions of size 1"),
            "slice": self.tr("Index or slice (basic indexing gives a view)"),
            "cat": self.tr("Join tensors along an existing dimension"),
            "stack": self.tr("Join tensors along a new dimension"),
            "+": self.tr("Element-wise sum (broadcasting)"),
            "*": self.tr("Element-wise product (broadcasting)"),
            "@": self.tr("Matrix product"),
            "matmul": self.tr("Matrix product, as a function"),
            "sum": self.tr("Sum, over all elements or along a dimension"),
            "mean": self.tr("Mean, over all elements or along a dimension"),
            "add_": self.tr("Add in place: every name sharing the memory changes too"),
            ".to": self.tr("Copy to another device or dtype"),
        }
        return descriptions[key]

    # -- the form -----------------------------------------------------------------------------------
    def choose(self, key: str) -> None:
        """Show the form of op `key`, filled with sensible defaults."""
        self.op = OPS_BY_KEY[key]
        while self.form.rowCount():
            self.form.removeRow(0)
        self.inputs.clear()
        selected = self._selected()
        for arg in self.op.args:
            if arg.kind == "choice":
                widget: QLineEdit | QComboBox = QComboBox()
                widget.addItems(list(arg.choices))
                widget.setCurrentText(arg.default)
                widget.currentTextChanged.connect(self._update_preview)
            else:
                widget = QLineEdit(self._default(arg.name, arg.default, selected))
                widget.textChanged.connect(self._update_preview)
                widget.returnPressed.connect(self.run)  # Enter runs, as in the console
                if arg.optional:
                    widget.setPlaceholderText(self.tr("(optional)"))
            widget.setMinimumWidth(FIELD_MIN_WIDTH)
            self.form.addRow(arg.name, widget)
            self.inputs[arg.name] = widget
        self.form_box.setTitle(self.tr("Arguments of {}").format(key))
        self.form_box.setVisible(True)
        self._update_preview()

    def _default(self, name: str, default: str, selected: str) -> str:
        if name == "out":
            return fresh_name(self._names())
        if name in ("x", "a") and selected:
            return selected
        if name == "device" and self.op is not None:
            # created on the app's device; `.to` goes there too (on a CPU-only machine `.to('cpu')`
            # returns the very same tensor, which the memory view then shows)
            return self._default_device if self.op.group == "create" else self._default_device or default
        return default

    def values(self) -> dict[str, str]:
        return {name: w.currentText() if isinstance(w, QComboBox) else w.text() for name, w in self.inputs.items()}

    def current_code(self) -> str:
        """The line the form describes now; ValueError says what is wrong with it."""
        if self.op is None:
            raise ValueError(self.tr("Choose an op first."))
        return code(self.op, self.values())

    def _update_preview(self) -> None:
        try:
            line = self.current_code()
        except ValueError as problem:
            self.preview.setText("")
            self.error.setText(str(problem))
            self.run_button.setEnabled(False)
            return
        self.preview.setText(line)
        self.error.clear()
        self.run_button.setEnabled(True)

    def run(self) -> None:
        try:
            line = self.current_code()
        except ValueError as problem:
            self.error.setText(str(problem))
            return
        self.code_ready.emit(line)
        if "out" in self.inputs:  # the next run should not overwrite this result
            self.inputs["out"].setText(fresh_name(self._names()))
