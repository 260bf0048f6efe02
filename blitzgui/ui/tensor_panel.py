"""Tensors panel (placeholder until its issue is built)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from blitzgui.ui.context import AppContext
from blitzgui.ui.placeholder import PlaceholderPanel


class TensorPanel(PlaceholderPanel):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(
            QCoreApplication.translate("TensorPanel", "Tensors"),
            QCoreApplication.translate("TensorPanel", "A Python REPL with torch loaded, a variable list and a tensor inspector."),
            parent,
        )
        self.context = context
