"""Issue 4: building and laying out the grad_fn graphs of torchvision models, and how late the
GUI's event loop runs while the Autograd panel shows them.

Targets: resnet50 ≤ 0.5 s, densenet121 ≤ 3 s build + layout; the event loop never more than
100 ms late meanwhile.
"""

from __future__ import annotations

import gc
import os
import tempfile
import time

from benchmarks.harness import Result, compare, table

MODELS = ["resnet18", "resnet50", "resnet101", "densenet121"]


def _graphs() -> dict[str, tuple[object, dict]]:
    """Forward + sum of each model (random weights, no download): the tensor and a namespace."""
    import torch
    import torchvision

    torch.manual_seed(0)
    result = {}
    for name in MODELS:
        net = getattr(torchvision.models, name)(weights=None)
        out = net(torch.randn(2, 3, 64, 64)).sum()
        result[name] = (out, {"net": net, "out": out})
    return result


def _build_and_layout(out, namespace) -> None:
    from blitzgui.core.autograd_graph import build_graph, plan_view
    from blitzgui.core.graph_layout import LayoutProcess

    plan_view(build_graph(out, namespace, "out"), collapse=False, process=LayoutProcess())


def _core_tables(graphs) -> list[str]:
    from blitzgui.core.autograd_graph import build_graph
    from blitzgui.core.graph_layout import LayoutProcess, layered_layout, layout_cost

    sizes = []
    for name, (out, ns) in graphs.items():
        graph = build_graph(out, ns)
        sizes.append(f"{name}: {len(graph)} nodes, {len(graph.edges)} edges, "
                     f"layout cost {layout_cost(len(graph), graph.edges):,} (nodes + bend points)")
    results = compare(
        {f"{name} build + layout": (lambda o=out, n=ns: _build_and_layout(o, n)) for name, (out, ns) in graphs.items()},
        rounds=3,
    )
    out, ns = graphs["densenet121"]
    dense = build_graph(out, ns)
    where = compare(
        {
            # `and None`: a candidate's return value would be taken as its own timing
            "densenet121 layout in this process (igraph)": lambda: layered_layout(len(dense), dense.edges) and None,
            "densenet121 layout in a child process (LayoutProcess)":
                lambda: LayoutProcess().run(len(dense), dense.edges) and None,
        },
        rounds=3,
    )
    return [
        "Graphs: " + "; ".join(sizes),
        table("Autograd graph: build_graph + plan_view (the panel's worker; large layouts in a child process)",
              results),
        table("densenet121 layout: in process vs child process", where),
    ]


def _chain(n: int):
    """n nodes in a chain reusing one weight throughout: too costly to lay out in full."""
    import torch

    x = torch.ones(1, requires_grad=True)
    w = torch.ones(1, requires_grad=True)
    y = x
    for _ in range(n // 2):
        y = y * w + 1
    return y


def _panel_tables(graphs) -> list[str]:
    """The real panel in a real (offscreen) main window: time from "follow_tensor" to drawn, and
    the worst lateness of a 10 ms QTimer meanwhile (compared with the same wait on an idle loop)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from blitzgui.ui.app import create_main_window

    window = create_main_window(["--lang", "en", "--data-dir", tempfile.mkdtemp(prefix="bench-autograd-")])
    window.show()
    panel = window.show_panel("autograd")
    gc.freeze()  # as the app does once started
    elapsed: dict[str, list[float]] = {}

    def measure(name: str | None, seconds_idle: float = 0.5) -> float:
        clock, worst = QElapsedTimer(), [0]
        loop = QEventLoop()

        def tick():
            worst[0] = max(worst[0], clock.restart() - 10)

        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(10)
        clock.start()
        start = time.perf_counter()
        if name is None:
            QTimer.singleShot(int(seconds_idle * 1000), loop.quit)
        else:
            panel.view_updated.connect(loop.quit)
            panel.follow_tensor(graphs[name][0], name)
        loop.exec()
        if name is not None:
            panel.view_updated.disconnect(loop.quit)
            elapsed.setdefault(name, []).append(time.perf_counter() - start)
        timer.stop()
        return worst[0] / 1000

    graphs = {**graphs, "chain of 20,000 nodes": (_chain(20_000), {})}
    lateness = compare(
        {"idle event loop (0.5 s)": lambda: measure(None), **{name: (lambda n=name: measure(n)) for name in graphs}},
        rounds=3,
    )
    window.close()
    gc.unfreeze()
    ends = [Result(f"{name}: follow_tensor → drawn", samples) for name, samples in elapsed.items()]
    return [
        table("Autograd panel: worst event-loop lateness while a graph is read, laid out and drawn "
              "(10 ms QTimer)", lateness),
        table("Autograd panel: follow_tensor → graph drawn (end to end)", ends),
    ]


def run() -> str:
    graphs = _graphs()
    return "\n\n".join(_core_tables(graphs) + _panel_tables(graphs))


if __name__ == "__main__":
    print(run())
