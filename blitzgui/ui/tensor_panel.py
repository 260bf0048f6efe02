"""Tensors panel: the IPython console, op buttons, the variable list and the tensor inspector.

Everything acts through the one Session namespace: the console executes in it, the op buttons
write code into the console, and after every cell `Session.detect_changes()` tells the variable
list (and the other panels) which names changed, so only those are summarised again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from blitzgui.core.storage import InPlaceWatch, extent
from blitzgui.core.tensors import is_listed, resolve
from blitzgui.ui.console_widget import ConsoleWidget
from blitzgui.ui.context import AppContext
from blitzgui.ui.inspector_view import TensorInspector
from blitzgui.ui.op_buttons import OpButtons
from blitzgui.ui.variable_list import VariableList

RUNNING_AFTER_MS = 150  # a cell running longer than this shows "Running…" and the Interrupt button


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
        self._running_timer = QTimer(self)
        self._running_timer.setSingleShot(True)
        self._running_timer.setInterval(RUNNING_AFTER_MS)
        self._running_timer.timeout.connect(self._show_running)

        device = context.device.device
        self.ops = OpButtons(
            names=lambda: set(self.session.namespace),
            selected=lambda: self.variables.current_name(),
            default_device="" if device == "cpu" else repr(device),
        )
        self.ops.code_ready.connect(self.run_code)

        self.variables = VariableList(self.session)
        self.variables.selected.connect(self._inspect)
        self.variables.delete_requested.connect(self._delete)
        self.inspector = TensorInspector()
        self.in_place_watch = InPlaceWatch()
        self.in_place_watch.changed(self.session.namespace, is_listed)
        self._unsubscribe = self.session.subscribe(self._namespace_changed)  # after the list's own

        console_bar = QHBoxLayout()
        console_bar.addWidget(self.status, 1)
        console_bar.addWidget(self.interrupt_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.ops)
        left_layout.addWidget(self.console, 1)
        left_layout.addLayout(console_bar)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.variables)
        right.addWidget(self.inspector)
        right.setStretchFactor(1, 3)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setSizes([560, 440])  # proportions; the splitter scales them to its width
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
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

    # -- cells and namespace changes -----------------------------------------------------------
    def _cell_started(self) -> None:
        self.variables.clear_highlights()
        self._running_timer.start()  # quick cells never flash "Running…"

    def _show_running(self) -> None:
        self.interrupt_button.setEnabled(True)
        self.status.setText(self.tr("Running…"))

    def _cell_finished(self) -> None:
        self._running_timer.stop()
        if self.interrupt_button.isEnabled():
            self.interrupt_button.setEnabled(False)
            self.status.clear()
        changed = self.session.detect_changes()
        # NumPy arrays and modules changed in place: detect_changes cannot see them.
        in_place = self.in_place_watch.changed(self.session.namespace, is_listed) - changed
        if in_place:
            self.session.notify_changed(in_place)

    def _namespace_changed(self, names: set[str]) -> None:
        name = self.inspector.name
        if not name:
            return
        changed = self.variables.changed_now
        root = name.split(".")[0]  # `net` for a module's parameter `net.fc.weight`
        if root not in self.variables.items:
            self.inspector.clear()
        elif (root in changed or names & self.inspector.sharer_names
              or changed and self._shares_memory_with_inspected(changed)):
            # its values, or who shares its memory, changed
            self.inspector.inspect(name, self.session.namespace, self.variables.changed_last)

    def _shares_memory_with_inspected(self, names: set[str]) -> bool:
        mine = extent(resolve(self.session.namespace, self.inspector.name))
        return mine is not None and any(
            (theirs := extent(self.session.namespace.get(n))) is not None and mine.overlaps(theirs) for n in names
        )

    def _inspect(self, name: str) -> None:
        if name:
            self.inspector.inspect(name, self.session.namespace, set())
        else:
            self.inspector.clear()

    def _delete(self, name: str) -> None:
        self.run_code(f"del {name}")  # visibly, as the learner would type it

    # -- life cycle ------------------------------------------------------------------------------
    def confirm_close(self) -> bool:
        if self.console.running:
            self.console.interrupt()
            self.status.setText(self.tr("A cell is still running: it was interrupted, close again."))
            return False
        return True

    def shutdown(self) -> None:
        self.variables.detach()
        self._unsubscribe()
        self.console.shutdown()


if __name__ == "__main__":  # the panel on its own: python -m blitzgui.ui.tensor_panel
    import sys

    from PySide6.QtWidgets import QApplication

    from blitzgui.core.devices import resolve_device
    from blitzgui.core.paths import default_data_dir
    from blitzgui.core.session import Session

    app = QApplication(sys.argv)
    panel = TensorPanel(AppContext(Session(), resolve_device("auto"), default_data_dir()))
    panel.resize(1300, 800)
    panel.show()
    app.aboutToQuit.connect(panel.shutdown)
    sys.exit(app.exec())
