"""Autograd panel (placeholder until its issue is built)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from blitzgui.ui.context import AppContext
from blitzgui.ui.placeholder import PlaceholderPanel


class AutogradPanel(PlaceholderPanel):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(
            QCoreApplication.translate("AutogradPanel", "Autograd"),
            QCoreApplication.translate("AutogradPanel", "A live graph of the grad_fn chain behind any tensor."),
            parent,
        )
        self.context = context
