"""The REPL of the Tensors panel: qtconsole's RichJupyterWidget on an in-process IPython kernel
whose user namespace *is* the Session's dict.

An in-process kernel runs each cell in the GUI thread. So that `while True: pass` neither freezes
the window nor makes the Interrupt button unclickable, a `CellPump` arms a 20 Hz SIGALRM timer
while user code runs; its handler (Python runs signal handlers in the main thread, between
bytecodes) pumps Qt events and raises KeyboardInterrupt in the cell once an interrupt was asked
for. Kernel requests arriving while a cell runs (Tab completion, another cell) are refused rather
than nested. The kernel opens no network port: messages pass through in-memory queues.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

# Before ipykernel pulls in debugpy: silences its frozen-modules warning (PLATFORM-NOTES.md).
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

from IPython.core.profiledir import ProfileDir
from IPython.core.usage import default_banner_parts
from ipykernel.inprocess.ipkernel import InProcessInteractiveShell, InProcessKernel
from PySide6.QtCore import QCoreApplication, QElapsedTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget
from qtconsole.inprocess import QtInProcessKernelClient, QtInProcessKernelManager, QtInProcessRichJupyterWidget

PUMP_INTERVAL_S = 0.05  # 20 Hz: the UI stays usable, the cell loses little time


class CellPump:
    """Keeps the Qt event loop turning while a cell runs in the GUI thread, and interrupts it.

    An alarm someone else had set (a test timeout, say) keeps its deadline: the tick calls
    that handler when it is due, and disarming puts the remaining time back.
    """

    def __init__(self) -> None:
        self.armed = False
        self.ticks = 0
        self._interrupt = False
        self._pumping = False
        self._previous_handler: Any = None
        self._previous_deadline: float | None = None
        self._previous_interval = 0.0
        self.available = hasattr(signal, "setitimer")  # POSIX only; elsewhere cells cannot be interrupted

    def arm(self) -> None:
        if self.armed or not self.available:
            return
        self.armed = True
        self._interrupt = False
        self._previous_handler = signal.signal(signal.SIGALRM, self._tick)
        signal.siginterrupt(signal.SIGALRM, False)  # restart system calls the tick lands in
        delay, self._previous_interval = signal.setitimer(signal.ITIMER_REAL, PUMP_INTERVAL_S, PUMP_INTERVAL_S)
        self._previous_deadline = time.monotonic() + delay if delay else None

    def disarm(self) -> None:
        if not self.armed:
            return
        signal.setitimer(signal.ITIMER_REAL, 0, 0)
        signal.signal(signal.SIGALRM, self._previous_handler or signal.SIG_DFL)
        if self._previous_deadline is not None:
            remaining = max(self._previous_deadline - time.monotonic(), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, remaining, self._previous_interval)
        self.armed = False
        self._interrupt = False

    def request_interrupt(self) -> bool:
        """Ask the running cell to stop; returns False when no cell runs."""
        if self.armed:
            self._interrupt = True
        return self.armed

    def _tick(self, signum: int, frame: Any) -> None:
        if self._previous_deadline is not None and time.monotonic() >= self._previous_deadline:
            due = self._previous_handler
            self._previous_deadline = time.monotonic() + self._previous_interval if self._previous_interval else None
            if callable(due):
                due(signum, frame)
        if self._pumping:  # a tick landed inside our own processEvents
            return
        self._pumping = True
        try:
            self.ticks += 1
            QCoreApplication.processEvents()
        finally:
            self._pumping = False
        if self._interrupt and self.armed:
            self._interrupt = False
            raise KeyboardInterrupt


def _show_interrupt(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None) -> None:
    """IPython's traceback for a KeyboardInterrupt, without the pump's frame that raised it."""
    last, before = tb, None
    while last.tb_next is not None:
        last, before = last.tb_next, last
    if before is not None and last.tb_frame.f_code is CellPump._tick.__code__:
        before.tb_next = None
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)


class BlitzKernelClient(QtInProcessKernelClient):
    """Refuses a kernel request that arrives while another one runs (it would nest event loops)."""

    _dispatching = False

    def _dispatch_to_kernel(self, msg: dict) -> None:
        if self._dispatching:
            return
        self._dispatching = True
        try:
            super()._dispatch_to_kernel(msg)
        finally:
            self._dispatching = False


class BlitzKernelManager(QtInProcessKernelManager):
    """Starts the in-process kernel on a given namespace, with IPython's files under data_dir."""

    client_class = __module__ + ".BlitzKernelClient"

    def start_blitz_kernel(self, namespace: dict[str, Any], ipython_dir: Path) -> None:
        # IPython's shell is a process-wide singleton; a fresh one must take this namespace.
        InProcessInteractiveShell.clear_instance()
        ipython_dir.mkdir(parents=True, exist_ok=True)
        profile = ProfileDir.create_profile_dir_by_name(str(ipython_dir), "default")
        self.kernel = InProcessKernel(parent=self, session=self.session, user_ns=namespace, profile_dir=profile)
        # The banner keeps the Python and IPython version lines; IPython's random "Tip:" lines
        # (one of them a funding appeal) and its copyright line would bury blitzgui's own line.
        python_line, _copyright, ipython_line = default_banner_parts
        self.kernel.shell.banner1 = python_line + ipython_line
        self.kernel.shell.enable_tip = False


class ConsoleWidget(QtInProcessRichJupyterWidget):
    """The REPL. `run(code)` executes code as if typed; `cell_finished` follows every cell."""

    cell_started = Signal()
    cell_finished = Signal()

    def __init__(self, namespace: dict[str, Any], ipython_dir: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.pump = CellPump()
        self.last_result: Any = None  # IPython's ExecutionResult of the latest cell
        self._exit_box: QMessageBox | None = None
        manager = BlitzKernelManager()
        manager.start_blitz_kernel(namespace, ipython_dir)
        self.shell = manager.kernel.shell
        self.shell.events.register("pre_run_cell", self._before_cell)
        self.shell.events.register("post_run_cell", self._after_cell)
        self.shell.set_custom_exc((KeyboardInterrupt,), _show_interrupt)
        client = manager.client()
        client.start_channels()
        self.kernel_manager = manager
        self.kernel_client = client
        self.custom_interrupt = True
        self.custom_interrupt_requested.connect(self.interrupt)
        self.exit_requested.connect(self._ask_exit)
        self.custom_restart = True  # Ctrl+. : qtconsole's restart would only pretend (see below)
        self.custom_restart_requested.connect(self._explain_no_restart)
        self.banner = self.tr("IPython in blitzgui. torch, nn, F, np and optim are imported.\n\n")

    # -- running code -------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.pump.armed or self.kernel_client._dispatching

    def run(self, code: str) -> Any:
        """Write `code` into the console and run it; returns the value of its last expression."""
        if self.running:
            raise RuntimeError("a cell is still running; interrupt it first")
        self.wait_started()
        typed = self.input_buffer  # whatever the learner had half typed comes back afterwards
        self.last_result = None
        self.execute(code, hidden=False, interactive=False)
        self.flush_output()
        if typed:
            self.input_buffer = typed
        return None if self.last_result is None else self.last_result.result

    def wait_started(self, timeout_ms: int = 5000) -> None:
        """Let the kernel's first replies (info, prompt number) reach the widget: the first one
        clears the widget, and a cell run before the prompt shows would be drawn out of order."""
        clock = QElapsedTimer()
        clock.start()
        while not self._prompt_ready() and clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents()

    def _prompt_ready(self) -> bool:
        pending = self._request_info["execute"].values()
        return not self._starting and not any(request.kind == "prompt" for request in pending)

    def interrupt(self) -> bool:
        """Raise KeyboardInterrupt in the running cell; False when nothing runs."""
        return self.pump.request_interrupt()

    def flush_output(self, timeout_ms: int = 2000) -> None:
        """Deliver the kernel's pending output (it passes through an I/O thread) to the widget."""
        kernel = self.kernel_manager.kernel
        for stream in (kernel.stdout, kernel.stderr):
            stream.flush()
        clock = QElapsedTimer()
        clock.start()
        QCoreApplication.processEvents()
        while self._executing and clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents()

    def _execute(self, source: str, hidden: bool) -> None:
        if not hidden:
            self.cell_started.emit()
        try:
            super()._execute(source, hidden)
        finally:
            self.pump.disarm()
        if not hidden:
            self.cell_finished.emit()

    def _before_cell(self, _info: Any) -> None:
        self.pump.arm()

    def _after_cell(self, result: Any) -> None:
        self.pump.disarm()
        self.last_result = result

    def _explain_no_restart(self) -> None:
        # The in-process kernel's shell is a process-wide singleton sharing the app's namespace:
        # a "restart" would keep every name while printing "Restarting kernel...".
        self._append_plain_text(self.tr(
            "The console runs inside blitzgui and shares its names with every panel, so it is not "
            "restarted. To delete all your names, run %reset -f (torch, nn, F, np, optim: re-import them).\n"
        ), before_prompt=True)

    # -- exit() / quit() / Ctrl+D ---------------------------------------------------------------
    def _ask_exit(self, _widget: Any = None) -> None:
        # IPython's exit() asks the front end to close; here it only asks, and never blocks.
        self.shell.exit_now = False
        if self._exit_box is not None and self._exit_box.isVisible():
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Quit blitzgui?"),
            self.tr("exit() closes the whole blitzgui window. Quit blitzgui?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.buttonClicked.connect(self._exit_answered)
        box.open()
        self._exit_box = box

    def _exit_answered(self, button: Any) -> None:
        if self._exit_box is not None and self._exit_box.standardButton(button) == QMessageBox.StandardButton.Yes:
            self.window().close()

    # -- life cycle -----------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Save the history and stop the kernel's threads (the namespace is left as it is)."""
        self.pump.disarm()
        manager = self.kernel_manager
        if manager is None or manager.kernel is None:
            return
        history = self.shell.history_manager
        if history is not None:
            history.end_session()
            history.close()
            self.shell.history_manager = None
        self.kernel_client.stop_channels()
        manager.shutdown_kernel()
