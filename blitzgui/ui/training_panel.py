"""Training panel (placeholder until its issue is built)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from blitzgui.ui.context import AppContext
from blitzgui.ui.placeholder import PlaceholderPanel


class TrainingPanel(PlaceholderPanel):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(
            QCoreApplication.translate("TrainingPanel", "Training"),
            QCoreApplication.translate("TrainingPanel", "Train the CIFAR-10 classifier with live plots."),
            parent,
        )
        self.context = context
