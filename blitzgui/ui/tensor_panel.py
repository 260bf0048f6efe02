"""Tensors panel: the IPython console, the variable list, the tensor inspector and op buttons."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from blitzgui.ui.console_widget import ConsoleWidget
from blitzgui.ui.context import AppContext


class TensorPanel(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = context.session
        self.console = ConsoleWidget(self.session.namespace, context.data_dir / "ipython")
        self.console.cell_started.connect(self._cell_started)
        self.console.cell_finished.connect(self._cell_finished)

        self.interrupt_button = QPushButton(self.tr("Interrupt"))
        self.interrupt_button.setToolTip(self.tr("Stop the running cell (Ctrl+C in the console)"))
        self.interrupt_button.setEnabled(False)
        self.interrupt_button.clicked.connect(self.console.interrupt)
        self.status = QLabel()

        console_bar = QHBoxLayout()
        console_bar.addWidget(self.status, 1)
        console_bar.addWidget(self.interrupt_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.console, 1)
        left_layout.addLayout(console_bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.session.on("run_code", self.run_code)

    # -- automation API ---------------------------------------------------------------------
    def execute(self, code: str) -> Any:
        """Run code exactly as if typed into the console; returns its last expression's value.

        Errors are shown in the console as tracebacks, as when typed (`console.last_result`
        tells success); raises RuntimeError only if a cell is already running.
        """
        return self.console.run(code)

    def run_code(self, code: str) -> None:
        """The "run_code" event and the op buttons: run visibly, or say why not."""
        if self.console.running:
            self.status.setText(self.tr("A cell is still running: interrupt it first."))
            return
        self.console.run(code)

    # -- cells -----------------------------------------------------------------------------------
    def _cell_started(self) -> None:
        self.interrupt_button.setEnabled(True)
        self.status.setText(self.tr("Running…"))

    def _cell_finished(self) -> None:
        self.interrupt_button.setEnabled(False)
        self.status.clear()
        self.session.detect_changes()

    # -- life cycle ------------------------------------------------------------------------------
    def confirm_close(self) -> bool:
        if self.console.running:
            self.console.interrupt()
            self.status.setText(self.tr("A cell is still running: it was interrupted, close again."))
            return False
        return True

    def shutdown(self) -> None:
        self.console.shutdown()
