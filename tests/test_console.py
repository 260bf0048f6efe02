"""The Tensors panel's REPL: execution, errors, interrupt, exit(), history, no network port."""

from __future__ import annotations

import platform
import signal
import socket
import time

import IPython
import psutil
import pytest
import torch
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def console_text(window) -> str:
    return window.panels["tensors"].console._control.toPlainText()


def type_cell(qtbot, window, text: str, runs: bool = True) -> None:
    console = window.panels["tensors"].console
    console.wait_started()
    console._control.setFocus()
    qtbot.keyClicks(console._control, text)
    # Return asks the kernel whether the input is complete; the answer arrives as an event.
    with qtbot.waitSignal(console.cell_finished, timeout=3000, raising=runs):
        qtbot.keyClick(console._control, Qt.Key.Key_Return)
    console.flush_output()


def test_execute_shares_the_session_namespace_and_shows_the_code(window):
    assert window.execute("x = torch.arange(6)\nx.sum()").item() == 15
    assert torch.equal(window.session.namespace["x"], torch.arange(6))
    window.session.push(w=torch.ones(2))
    assert window.execute("w.sum()").item() == 2
    text = console_text(window)
    assert "x = torch.arange(6)" in text and "Out[1]: tensor(15)" in text


def test_typed_cells_run_like_execute(qtbot, window):
    type_cell(qtbot, window, "typed = 6 * 7")
    assert window.session.namespace["typed"] == 42
    type_cell(qtbot, window, "typed + 1")
    assert "Out[2]: 43" in console_text(window)


def test_incomplete_typed_input_waits_for_more(qtbot, window):
    type_cell(qtbot, window, "def f(a):", runs=False)
    assert "f" not in window.session.namespace
    assert "...:" in console_text(window)  # a continuation prompt, nothing ran


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("1/0", "ZeroDivisionError"),
        ("def broken(:", "SyntaxError"),
        ("for i in range(3):", "SyntaxError"),  # incomplete input sent as a whole cell
        ("undefined_name", "NameError"),
        ("torch.zeros(10**12)", "RuntimeError"),
        ("raise SystemExit", "SystemExit"),
    ],
)
def test_errors_show_a_traceback_and_keep_the_namespace(window, code, shown):
    window.execute("kept = torch.ones(3)")
    assert window.execute(code) is None
    assert window.panels["tensors"].console.last_result.success is False
    assert shown in console_text(window)
    assert torch.equal(window.session.namespace["kept"], torch.ones(3))
    assert window.execute("kept.sum()").item() == 3  # the console still works


def test_cuda_tensor_without_cuda_shows_torchs_error(window):
    if torch.cuda.is_available():
        assert window.execute("torch.zeros(2, device='cuda').device.type") == "cuda"
        return
    window.execute("torch.zeros(2, device='cuda')")
    assert window.panels["tensors"].console.last_result.success is False
    text = console_text(window)
    assert "Traceback" in text and ("CUDA" in text or "NVIDIA" in text)


def test_interrupt_button_stops_an_endless_loop(qtbot, window):
    panel = window.panels["tensors"]
    clicked_at = []

    def click_interrupt():
        assert panel.interrupt_button.isEnabled()
        clicked_at.append(time.perf_counter())
        qtbot.mouseClick(panel.interrupt_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(400, click_interrupt)
    start = time.perf_counter()
    window.execute("n = 0\nwhile True: n += 1")
    stopped = time.perf_counter()
    assert clicked_at, "the button was never clickable while the cell ran"
    assert stopped - clicked_at[0] < 1.0  # interrupted at the next 20 Hz tick (slack for a busy machine)
    assert stopped - start < 5
    assert "KeyboardInterrupt" in console_text(window)
    assert "_tick" not in console_text(window)  # our signal handler stays out of the traceback
    assert window.session.namespace["n"] > 0
    assert not panel.interrupt_button.isEnabled()
    assert window.execute("n > 0") is True


def test_ctrl_c_in_the_console_interrupts_a_sleeping_cell(qtbot, window):
    control = window.panels["tensors"].console._control
    QTimer.singleShot(300, lambda: qtbot.keyClick(control, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier))
    start = time.perf_counter()
    window.execute("import time\ntime.sleep(30)")
    assert time.perf_counter() - start < 5
    assert "KeyboardInterrupt" in console_text(window)


def test_ui_stays_responsive_and_refuses_a_second_cell(qtbot, window):
    panel = window.panels["tensors"]
    seen = {}

    def meanwhile():
        seen["busy"] = panel.console.running
        with pytest.raises(RuntimeError, match="still running"):
            window.execute("never = 1")
        panel.run_code("never = 2")  # the "run_code" event path explains instead of raising
        seen["status"] = panel.status.text()
        panel.console.interrupt()

    QTimer.singleShot(300, meanwhile)
    window.execute("while True: pass")
    assert seen["busy"] is True
    assert "still running" in seen["status"]
    assert "never" not in window.session.namespace


def test_exit_asks_instead_of_closing(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    console = window.panels["tensors"].console
    for code in ("exit()", "quit()"):
        window.execute(code)
        box = console._exit_box
        assert box is not None and box.isVisible()
        assert window.isVisible()
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
        assert window.isVisible() and not box.isVisible()
    assert window.execute("1 + 1") == 2


def test_ctrl_d_on_an_empty_line_asks_too(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    console = window.panels["tensors"].console
    console.wait_started()
    qtbot.keyClick(console._control, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert console._exit_box is not None and console._exit_box.isVisible()
    console._exit_box.reject()
    assert window.isVisible()


def test_exit_answered_yes_closes_the_window(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    window.execute("exit()")
    box = window.panels["tensors"].console._exit_box
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_history_survives_a_restart(make_window, qtbot):
    first = make_window()
    first.execute("remembered = 12345")
    first.close()
    second = make_window()
    console = second.panels["tensors"].console
    console.flush_output()
    qtbot.waitUntil(lambda: any("remembered = 12345" in h for h in console._history))


def test_no_listening_socket_is_opened(make_window):
    def listening() -> set:  # TCP/UDP and Unix sockets alike
        connections = psutil.Process().net_connections(kind="all")
        return {(c.type, c.laddr) for c in connections if c.status == psutil.CONN_LISTEN}

    with socket.create_server(("127.0.0.1", 0)) as server:  # the check itself can see a port
        assert listening() == {(socket.SOCK_STREAM, server.getsockname())}
    before = listening()
    window = make_window()
    window.execute("y = torch.ones(2) * 3")
    QApplication.processEvents()
    assert listening() == before == set()


def test_run_code_event_runs_visibly(window):
    window.session.emit("run_code", "from_event = torch.eye(2)")
    assert torch.equal(window.session.namespace["from_event"], torch.eye(2))
    assert "from_event = torch.eye(2)" in console_text(window)


def test_tab_completion_uses_the_shared_namespace(qtbot, window):
    window.session.push(my_tensor_name=torch.ones(1))
    console = window.panels["tensors"].console
    console.wait_started()
    console._control.setFocus()
    qtbot.keyClicks(console._control, "torch.zeros_li")
    qtbot.keyClick(console._control, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: console.input_buffer == "torch.zeros_like", timeout=5000)
    console.input_buffer = ""
    qtbot.keyClicks(console._control, "my_tensor_na")
    qtbot.keyClick(console._control, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: console.input_buffer == "my_tensor_name", timeout=5000)


def test_input_in_a_cell_reads_from_the_console(qtbot, window):
    control = window.panels["tensors"].console._control

    def answer():
        qtbot.keyClicks(control, "hello")
        qtbot.keyClick(control, Qt.Key.Key_Return)

    QTimer.singleShot(300, answer)
    assert window.execute("answer = input('name? ')\nanswer") == "hello"


def test_closing_while_a_cell_runs_interrupts_instead(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    closed = []
    QTimer.singleShot(300, lambda: closed.append(window.close()))
    window.execute("while True: pass")
    assert closed == [False] and window.isVisible()
    assert "KeyboardInterrupt" in console_text(window)
    assert window.close()


def test_an_alarm_set_by_someone_else_still_fires(window):
    # e.g. pytest-timeout's: the pump borrows SIGALRM while a cell runs, and hands it back.
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(time.perf_counter()))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        start = time.perf_counter()
        window.execute("import time\ntime.sleep(0.8)")
        assert window.panels["tensors"].console.last_result.success
        assert len(fired) == 1 and 0.25 < fired[0] - start < 0.6  # due during the cell, on time
        assert signal.getsignal(signal.SIGALRM) is not window.panels["tensors"].console.pump._tick
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        window.execute("x = 1")  # a short cell: the remaining time is put back afterwards
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 0.5
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_ctrl_period_explains_instead_of_pretending_to_restart(qtbot, window):
    # qtconsole's restart asked in a blocking English dialog, then kept every name anyway.
    window.execute("kept = torch.ones(2)")
    console = window.panels["tensors"].console
    console.wait_started()
    qtbot.keyClick(console._control, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.activeModalWidget() is None
    text = console_text(window)
    assert "is not restarted" in text and "%reset -f" in text and "Restarting kernel" not in text
    assert window.execute("kept.sum()").item() == 2


def test_banner_shows_blitzgui_and_the_versions_without_ipython_tips(window):
    window.panels["tensors"].console.wait_started()
    text = console_text(window)
    banner = text[: text.index("In [1]")]
    assert "IPython in blitzgui. torch, nn, F, np and optim are imported." in banner
    assert f"Python {platform.python_version()}" in banner
    assert f"IPython {IPython.__version__}" in banner
    assert "Tip:" not in banner  # IPython picks a random tip (one asks for funding) unless told not to
    assert "copyright" not in banner
