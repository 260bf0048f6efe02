"""Network builder panel (placeholder until its issue is built)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from blitzgui.ui.context import AppContext
from blitzgui.ui.placeholder import PlaceholderPanel


class BuilderPanel(PlaceholderPanel):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(
            QCoreApplication.translate("BuilderPanel", "Network builder"),
            QCoreApplication.translate("BuilderPanel", "Build the blitz Net layer by layer with live shape checks."),
            parent,
        )
        self.context = context
