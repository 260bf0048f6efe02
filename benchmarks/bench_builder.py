"""Issue 5: re-inference time for a 50-layer stack after one edit (target ≤ 50 ms, so editing never lags).

The builder checks shapes on the GUI thread after each edit; core.shapes caches each layer's result
by (type, parameters, input shape), so an edit reruns only the layers it affects. Candidates:
- one edit near the end: the 45 layers before it come from the cache;
- one edit of the input shape: every layer sees a new shape (the worst case for an edit);
- the same 50 layers with every cache emptied (the first check after start-up, imports excluded);
- the same edit as a learner makes it in the panel: the undo step, the list, code and form refresh,
  the check, the table update and one repaint (what "editing never lags" is about);
- for scale, a real forward pass of the built model on a CPU tensor (what the check avoids).
"""

from __future__ import annotations

import itertools
import os
import tempfile
import time

import torch

from benchmarks.harness import compare, table
from blitzgui.core import shapes
from blitzgui.core.layers import LayerSpec, NetworkSpec, build_module


def fifty_layers(last_out: int = 10, height: int = 32) -> NetworkSpec:
    """24 × (Conv2d + ReLU), Flatten, Linear; every conv has its own widths, so no two layers share
    a cache entry within one check."""
    layers = []
    for index in range(24):
        layers += [LayerSpec.of("Conv2d", in_channels=8 + index, out_channels=9 + index, kernel_size=3, padding=1),
                   LayerSpec.of("ReLU")]
    layers += [LayerSpec.of("Flatten"), LayerSpec.of("Linear", in_features=32 * height * height, out_features=last_out)]
    return NetworkSpec(tuple(layers), (8, height, height))


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _panel_showing(spec: NetworkSpec):
    """A shown Builder panel (offscreen unless a display is set) editing `spec`."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from blitzgui.core.devices import DeviceChoice
    from blitzgui.core.session import Session
    from blitzgui.ui.builder_panel import BuilderPanel
    from blitzgui.ui.context import AppContext

    app = QApplication.instance() or QApplication([])
    panel = BuilderPanel(AppContext(Session(), DeviceChoice("cpu", "CPU"), tempfile.mkdtemp(prefix="blitzgui-bench-")))
    panel.resize(1280, 760)
    panel.show()
    panel.load(spec, "benchmark")
    panel.check_shapes()
    app.processEvents()
    return panel, app.processEvents


def run(rounds: int = 15) -> str:
    torch.set_num_threads(1)  # the GUI thread's setting; tiny ops gain nothing from a second thread
    base = fifty_layers()
    assert len(base.layers) == 50 and shapes.infer_shapes(base).ok
    fresh = itertools.count(11)
    sizes = itertools.count(33)

    def edit_late_layer() -> float:
        spec = fifty_layers(last_out=next(fresh))  # a new fc out_features: one layer misses the cache
        return _timed(lambda: shapes.infer_shapes(spec))

    def edit_input_shape() -> float:
        spec = fifty_layers(height=next(sizes))  # a new image size: all 50 layers see shapes never seen before
        return _timed(lambda: shapes.infer_shapes(spec))

    def cold() -> float:
        for cached in (shapes._built, shapes._param_count, shapes._run):
            cached.cache_clear()
        return _timed(lambda: shapes.infer_shapes(base))

    model = build_module(base).eval()
    x = torch.randn(1, 8, 32, 32)

    def real_forward() -> float:
        with torch.no_grad():
            return _timed(lambda: model(x))

    panel, process_events = _panel_showing(base)
    panel_sizes = itertools.count(1000)  # not edit_late_layer's sizes: neither finds the other's cache entry

    def edit_in_the_panel() -> float:
        def edit() -> None:
            panel.set_param(49, "out_features", next(panel_sizes))  # fc1, as typed into its field
            panel.check_shapes()  # what the debounce timer calls
            process_events()

        return _timed(edit)

    shapes.infer_shapes(base)  # imports torch's flop counter machinery once (about a second), not timed
    results = compare(
        {
            "one edit near the end (45 layers cached)": edit_late_layer,
            "one edit of the input shape (all 50 rerun)": edit_input_shape,
            "cold check, caches emptied": cold,
            "the same edit in the Builder panel, table and repaint included": edit_in_the_panel,
            "real CPU forward pass, 1×8×32×32 (for scale)": real_forward,
        },
        rounds=rounds,
    )
    return table("Builder: shape check of a 50-layer stack after one edit (target ≤ 50 ms)", results)


if __name__ == "__main__":
    print(run())
