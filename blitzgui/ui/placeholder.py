"""A clearly labelled stand-in for a panel that a later issue fills."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPanel(QWidget):
    def __init__(self, title: str, what: str, parent: QWidget | None = None):
        super().__init__(parent)
        label = QLabel(
            "<h2>{}</h2><p>{}</p><p><i>{}</i></p>".format(
                title, what, QCoreApplication.translate("PlaceholderPanel", "This panel is not built yet.")
            )
        )
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
