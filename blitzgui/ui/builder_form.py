"""The parameter form of the selected layer: one field per constructor argument, checked as typed.

A valid value is reported with `value_edited`; an invalid one gets a red message under its field
and is not reported, so the model keeps its last valid value.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from blitzgui.core.layers import LayerSpec, Param, layer_type

ERROR_STYLE = "color: #c0392b;"
FIELD_ERROR_STYLE = "QLineEdit { border: 1px solid #c0392b; }"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class LayerForm(QWidget):
    value_edited = Signal(str, object)  # parameter name, new valid value

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: palette(mid);")
        self.fields = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addLayout(self.fields)
        layout.addStretch(1)
        self.editors: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self.layer: LayerSpec | None = None
        self._shown: tuple[int, str] | None = None  # (row, kind) the fields were built for
        self.show_layer(None, -1, "")

    # -- showing a layer ----------------------------------------------------------------------
    def show_layer(self, layer: LayerSpec | None, row: int, name: str) -> None:
        """Show `layer`; when it is the same row and type as before only changed values are updated,
        so a field being typed in keeps its cursor."""
        self.layer = layer
        if layer is None:
            self._clear()
            self.title.setText(self.tr("Select a layer to edit its parameters, or add one from the palette."))
            self.summary.clear()
            return
        if self._shown != (row, layer.kind):
            self._rebuild(layer)
            self._shown = (row, layer.kind)
        self.title.setText("<b>{}</b> — {}".format(name, layer.kind))
        self.summary.setText(layer_type(layer.kind).summary)
        for param in layer_type(layer.kind).params:
            self._sync(param, layer.params.get(param.name))

    def _clear(self) -> None:
        while self.fields.rowCount():
            self.fields.removeRow(0)
        self.editors.clear()
        self.messages.clear()
        self._shown = None

    def _rebuild(self, layer: LayerSpec) -> None:
        self._clear()
        for param in layer_type(layer.kind).params:
            editor = self._editor(param)
            editor.setObjectName(param.name)
            editor.setToolTip(param.help)
            message = QLabel()
            message.setStyleSheet(ERROR_STYLE)
            message.setWordWrap(True)
            message.hide()
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(editor)
            box.addWidget(message)
            self.fields.addRow(param.name, holder)
            self.editors[param.name] = editor
            self.messages[param.name] = message

    def _editor(self, param: Param) -> QWidget:
        if param.kind is bool:
            editor = QCheckBox()
            editor.toggled.connect(lambda checked, p=param: self.value_edited.emit(p.name, checked))
        elif param.kind is str:
            editor = QComboBox()
            editor.addItems(list(param.choices))
            editor.currentTextChanged.connect(lambda text, p=param: self.value_edited.emit(p.name, text))
        else:
            editor = QLineEdit()
            if param.optional:
                editor.setPlaceholderText(self.tr("empty: same as kernel_size"))
            editor.textEdited.connect(lambda text, p=param: self._typed(p, text))
        return editor

    def _sync(self, param: Param, value: Any) -> None:
        editor = self.editors[param.name]
        editor.blockSignals(True)
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            editor.setCurrentText(str(value))
        else:
            try:
                same = param.parse(editor.text()) == value
            except ValueError:
                same = False
            if not same or not editor.text().strip() and value is not None:
                editor.setText(_text(value))
        editor.blockSignals(False)
        self._show_message(param.name, None)

    # -- typing -----------------------------------------------------------------------------------
    def _typed(self, param: Param, text: str) -> None:
        try:
            value = param.parse(text)
        except ValueError as error:
            kept = self.layer.params.get(param.name) if self.layer else None
            self._show_message(
                param.name, self.tr("{problem} (the model keeps {value})").format(problem=error, value=_text(kept) or "—")
            )
            return
        self._show_message(param.name, None)
        self.value_edited.emit(param.name, value)

    def _show_message(self, name: str, message: str | None, from_shape_check: bool = False) -> None:
        label = self.messages.get(name)
        if label is None:
            return
        label.setProperty("shape", from_shape_check)  # a later shape check may replace only its own messages
        label.setText(message or "")
        label.setVisible(bool(message))
        editor = self.editors[name]
        if isinstance(editor, QLineEdit):
            editor.setStyleSheet(FIELD_ERROR_STYLE if message else "")

    def mark_shape_problem(self, field: str | None, message: str | None) -> None:
        """Show the shape check's complaint under the field it names (unless that field has its own)."""
        for name, label in self.messages.items():
            typed_problem = not label.isHidden() and label.property("shape") is not True
            if typed_problem:
                continue
            if name == field and message:
                self._show_message(name, message, from_shape_check=True)
            elif label.property("shape"):
                self._show_message(name, None)

    def message(self, name: str) -> str:
        """The message shown under a field ('' when none), for tests and automation."""
        label = self.messages.get(name)
        return label.text() if label is not None and not label.isHidden() else ""
