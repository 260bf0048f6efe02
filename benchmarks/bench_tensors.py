"""Issue 3: the Tensors panel's costs, measured side by side.

1. `window.execute("y = x * 2")` with 200 tensors in the namespace (console echo, IPython,
   change detection, variable-list refresh) against the bare kernel execute through the same
   console (no change detection, no refresh), and against IPython's run_cell with nothing drawn.
2. A heatmap refresh of a 2000×2000 tensor (slice, levels, setImage, paint) against pyqtgraph's
   own setImage + paint of the same array.
3. The cell pump (cells run in the GUI thread): the worst gap between ticks of a 10 ms GUI timer
   while a busy cell runs, against an idle event loop; and what the pump costs the cell itself.
"""

from __future__ import annotations

import os
import tempfile
import time

from benchmarks.harness import compare, table

CELLS_PER_SAMPLE = 20


def run(rounds: int = 7) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    import torch
    from PySide6.QtWidgets import QApplication

    from blitzgui.core import tensors
    from blitzgui.ui.app import create_main_window

    torch.set_num_threads(1)
    data_dir = tempfile.mkdtemp(prefix="blitzgui-bench-")
    window = create_main_window(["--lang", "en", "--data-dir", data_dir])
    window.resize(1400, 900)
    window.show()
    window.show_panel("tensors")
    panel = window.panels["tensors"]
    shell = panel.console.shell
    window.execute("x = torch.randn(100, 100)\n" + "\n".join(f"t{i} = torch.randn(10, 10)" for i in range(199)))
    QApplication.processEvents()
    assert len(panel.variables.items) >= 200

    def ipython_alone() -> float:
        start = time.perf_counter()
        for _ in range(CELLS_PER_SAMPLE):
            shell.run_cell("y = x * 2", store_history=True)
        elapsed = time.perf_counter() - start
        window.session.detect_changes()  # keep the session's view in step, outside the timing
        return elapsed / CELLS_PER_SAMPLE

    def console_alone() -> float:
        # The same visible console and kernel round trip, without change detection and refresh.
        panel.console.cell_finished.disconnect(panel._cell_finished)
        start = time.perf_counter()
        for _ in range(CELLS_PER_SAMPLE):
            panel.console.run("y = x * 2")
        elapsed = time.perf_counter() - start
        panel.console.cell_finished.connect(panel._cell_finished)
        window.session.detect_changes()
        return elapsed / CELLS_PER_SAMPLE

    def full() -> float:
        start = time.perf_counter()
        for _ in range(CELLS_PER_SAMPLE):
            window.execute("y = x * 2")
        return (time.perf_counter() - start) / CELLS_PER_SAMPLE

    execute = compare({
        "qtconsole + in-process kernel execute (no refresh)": console_alone,
        "window.execute (+ detect_changes + variable list)": full,
        "IPython run_cell alone (no console, nothing drawn)": ipython_alone,
    }, rounds=rounds)

    big = torch.randn(2000, 2000)
    window.session.push(big=big)
    panel.variables.select("big")
    inspector = panel.inspector
    inspector.tabs.setCurrentIndex(1)
    heatmap = inspector.heatmap
    array = big.numpy()
    plain = pg.PlotWidget()
    item = pg.ImageItem(axisOrder="row-major")
    plain.addItem(item)
    plain.resize(heatmap.size())
    plain.show()
    QApplication.processEvents()  # laid out and exposed, so that repaint() really draws

    def pyqtgraph_alone() -> None:
        item.setImage(array, autoLevels=True)
        plain.viewport().repaint()  # the image is drawn in the viewport

    def heatmap_refresh() -> None:
        heatmap.show_plane(tensors.plane(big, 0, 1, max_side=2048).values)
        heatmap.viewport().repaint()

    def inspector_refresh() -> None:
        inspector.inspect("big", window.session.namespace, {"big"})
        heatmap.viewport().repaint()

    heat = compare({"pyqtgraph setImage + paint": pyqtgraph_alone, "blitzgui heatmap refresh": heatmap_refresh,
                    "whole inspector refresh (stats, memory, heatmap)": inspector_refresh}, rounds=rounds)
    plain.close()
    pump = pump_tables(window, rounds=max(3, rounds // 2))
    window.close()
    return "\n\n".join([
        table("Tensors panel: one cell with 200 tensors in the namespace (per cell)", execute),
        table("Tensors panel: heatmap of a 2000×2000 float32 tensor", heat),
        *pump,
    ])


def pump_tables(window, rounds: int) -> list[str]:
    from PySide6.QtCore import QEventLoop, QTimer

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    busy_cell = "end = time.perf_counter() + 1.0\nwhile time.perf_counter() < end: pass"
    window.execute("import time")

    def worst_gap(run) -> float:
        ticks.clear()
        timer.start()
        start = time.perf_counter()
        run()
        timer.stop()
        stamps = [start, *ticks, time.perf_counter()]
        return max(b - a for a, b in zip(stamps, stamps[1:], strict=False))

    def idle() -> float:
        loop = QEventLoop()
        QTimer.singleShot(1000, loop.quit)
        return worst_gap(loop.exec)

    def busy() -> float:
        return worst_gap(lambda: window.execute(busy_cell))

    gaps = compare({"idle event loop, 1 s": idle, "busy cell in the console, 1 s": busy}, rounds=rounds)

    loop_code = "for i in range(3_000_000): pass"
    pump = window.panels["tensors"].console.pump

    def without_pump() -> None:
        pump.available = False  # as on a platform without setitimer
        try:
            window.execute(loop_code)
        finally:
            pump.available = True

    cost = compare({
        "console cell, pump off": without_pump,
        "console cell, 20 Hz pump on": lambda: window.execute(loop_code),
    }, rounds=rounds)
    return [
        table("Cell pump: worst gap between 10 ms GUI timer ticks", gaps),
        table("Cell pump: what it costs a 3M-step Python loop", cost),
    ]


if __name__ == "__main__":
    print(run())
