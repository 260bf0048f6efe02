"""Lessons panel (placeholder until its issue is built)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from blitzgui.ui.context import AppContext
from blitzgui.ui.placeholder import PlaceholderPanel


class LessonsPanel(PlaceholderPanel):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(
            QCoreApplication.translate("LessonsPanel", "Lessons"),
            QCoreApplication.translate("LessonsPanel", "The four parts of the blitz as guided, runnable steps."),
            parent,
        )
        self.context = context
