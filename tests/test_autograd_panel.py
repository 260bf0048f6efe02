"""The Autograd panel driven as a learner would: REPL cells (window.execute), clicks, typing."""

from __future__ import annotations

import gc
import time

import pytest
import torch
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGraphicsSimpleTextItem

from blitzgui.core.autograd_graph import COLLAPSED, FULL, MAX_DRAWN_NODES, TRUNCATED

POLL_WAIT_MS = 700
BLITZ = "x = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\nout = z.mean()"
NET = """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)

net = Net()
loss = nn.MSELoss()(net(torch.randn(1, 1, 32, 32)), torch.randn(1, 10))
"""


@pytest.fixture
def shown(window, qtbot):
    window.show()
    window.show_panel("autograd")
    qtbot.waitExposed(window)
    return window, window.panels["autograd"]


def run_and_draw(qtbot, window, panel, code: str, timeout: int = 20_000) -> None:
    with qtbot.waitSignal(panel.view_updated, timeout=timeout):
        window.execute(code)


def box_by_text(panel, first: str, second: str | None = None):
    from blitzgui.core.autograd_graph import box_text

    for item in panel.view.boxes:
        text = box_text(panel.graph, item.members)
        if text[0] == first and (second is None or text[1] == second):
            return item
    raise AssertionError(f"no box {first!r} {second!r}")


def click(qtbot, view, item) -> None:
    view.centerOn(item)
    point = view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_follows_the_latest_result_and_shows_grads_and_traversal_after_backward(shown, qtbot):
    window, panel = shown
    run_and_draw(qtbot, window, panel, BLITZ)
    assert panel.follow_combo.currentText() == "latest result (automatic)"
    assert panel.mode == FULL and len(panel.view.boxes) == 5
    assert box_by_text(panel, "MeanBackward0", "out").kind == "root"
    leaf = box_by_text(panel, "AccumulateGrad", "x")
    assert leaf.kind == "leaf" and not leaf.traversed

    window.execute("out.backward()")  # changes no name: the panel notices by itself
    qtbot.waitUntil(lambda: all(item.traversed for item in panel.view.boxes), timeout=5000)
    assert leaf.grad_line == "grad [4.5, 4.5, 4.5, 4.5]"  # drawn in the box
    click(qtbot, panel.view, leaf)
    assert panel.view.selected_box() == leaf.box
    assert "[4.5, 4.5, 4.5, 4.5] shape (2, 2)" in panel.details.toPlainText()

    # The graph's saved values were freed by backward(): shown as such, no exception.
    click(qtbot, panel.view, box_by_text(panel, "MulBackward0", ""))
    assert "freed by backward()" in panel.details.toPlainText()

    window.execute("x.requires_grad_(False)")
    qtbot.waitUntil(lambda: leaf.kind == "frozen", timeout=5000)


def test_y_times_y_arrow_is_labelled_twice(shown, qtbot):
    window, panel = shown
    run_and_draw(qtbot, window, panel, BLITZ)
    [label] = panel.view.repeat_labels
    assert label.text() == "×2" and "used 2 times" in label.toolTip()
    square, add = box_by_text(panel, "MulBackward0", ""), box_by_text(panel, "AddBackward0", "y")
    y = label.sceneBoundingRect().center().y()
    assert square.sceneBoundingRect().bottom() < y < add.sceneBoundingRect().top()  # beside its arrow
    run_and_draw(qtbot, window, panel, "w = x * 2")
    assert panel.view.repeat_labels == [] and not any(
        isinstance(item, QGraphicsSimpleTextItem) for item in panel.view.scene().items())


def test_long_op_names_of_the_blitz_net_fit_their_boxes(shown, qtbot):
    from PySide6.QtGui import QFontMetrics

    window, panel = shown
    run_and_draw(qtbot, window, panel, NET)
    metrics = QFontMetrics(panel.view.scene().font())
    ops = {item.lines[0] for item in panel.view.boxes}
    assert "MaxPool2DWithIndicesBackward0" in ops
    for item in panel.view.boxes:
        assert metrics.horizontalAdvance(item.lines[0]) <= item.rect().width() - 8, item.lines[0]


def test_a_new_result_replaces_the_graph_and_no_grad_or_delete_explain_themselves(shown, qtbot):
    window, panel = shown
    run_and_draw(qtbot, window, panel, "x = torch.ones(3, requires_grad=True)\ny = x * 2")
    assert [item.members for item in panel.view.boxes] == [[0], [1]]
    run_and_draw(qtbot, window, panel, "w = torch.ones(3, requires_grad=True)\nv = (w.exp() * y).sum()")
    assert box_by_text(panel, "SumBackward0", "v")
    run_and_draw(qtbot, window, panel, "with torch.no_grad():\n    v = w * 2")
    assert "v has no autograd graph" in panel.status_label.text() and "torch.no_grad()" in panel.status_label.text()
    assert panel.view.boxes == []
    run_and_draw(qtbot, window, panel, "v = w * 3")
    assert len(panel.view.boxes) == 2
    run_and_draw(qtbot, window, panel, "del v")
    assert panel.status_label.text() == "'v' was deleted, so there is no graph to show."
    assert panel.graph is None and panel.view.boxes == []


def test_choosing_a_tensor_pins_it(shown, qtbot):
    window, panel = shown
    run_and_draw(qtbot, window, panel, BLITZ)
    index = panel.follow_combo.findText("y")
    with qtbot.waitSignal(panel.view_updated):
        panel.follow_combo.activated.emit(index)
        panel.follow_combo.setCurrentIndex(index)
    assert box_by_text(panel, "AddBackward0", "y").kind == "root" and len(panel.view.boxes) == 2
    window.execute("q = out * 2")  # a newer result does not take over a pinned choice
    assert panel.follow_combo.currentText() == "y" and len(panel.view.boxes) == 2


def test_follow_tensor_event_with_unnamed_tensor_and_with_bad_value(shown, qtbot):
    window, panel = shown
    out = torch.nn.Linear(3, 2)(torch.ones(1, 3)).sum()
    with qtbot.waitSignal(panel.view_updated):
        window.session.emit("follow_tensor", out, "model output")
    assert panel.follow_combo.currentText() == "model output"
    assert {item.kind for item in panel.view.boxes} == {"root", "op", "leaf"}
    with qtbot.waitSignal(panel.view_updated):
        window.session.emit("follow_tensor", "not a tensor", "oops")
    assert panel.status_label.text() == "oops is a str, not a tensor: nothing to draw."


def test_blitz_net_collapse_search_and_export(shown, qtbot, tmp_path):
    window, panel = shown
    run_and_draw(qtbot, window, panel, NET)
    assert len(panel.view.boxes) == 26 and box_by_text(panel, "MseLossBackward0", "loss")
    with qtbot.waitSignal(panel.view_updated):
        panel.collapse_check.setChecked(True)
    assert panel.mode == COLLAPSED
    assert sorted(box_by_text(panel, m).kind for m in ("net.fc1", "net.conv2")) == ["module", "module"]
    assert len(panel.view.boxes) == 6
    assert panel.status_label.text().endswith("Double-click a module to open it.")
    fc1 = box_by_text(panel, "net.fc1")
    panel.view.centerOn(fc1)
    with qtbot.waitSignal(panel.view_updated):
        qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton,
                          pos=panel.view.mapFromScene(fc1.sceneBoundingRect().center()))
    assert len(panel.view.boxes) == 6 - 1 + 5  # fc1's five nodes drawn one by one
    assert box_by_text(panel, "AccumulateGrad", "net.fc1.weight").kind == "leaf"
    with qtbot.waitSignal(panel.view_updated):
        panel.collapse_check.setChecked(False)
    with qtbot.waitSignal(panel.view_updated):
        panel.collapse_check.setChecked(True)  # opened modules are closed again
    assert len(panel.view.boxes) == 6

    click(qtbot, panel.view, box_by_text(panel, "net.fc1"))
    assert "2 tensors, 48,120 values" in panel.details.toPlainText()  # fc1: 120*400 weights + 120 biases

    qtbot.keyClicks(panel.search_edit, "conv")
    assert {panel.view.boxes[b].members[0] for b in panel._matches} and len(panel._matches) == 2
    assert all(item.matched == (item.box in panel._matches) for item in panel.view.boxes)
    qtbot.keyClick(panel.search_edit, Qt.Key.Key_Return)
    assert panel.view.selected_box() == panel._matches[0]
    panel.search_edit.setText("nothing-like-this")
    assert panel.status_label.text() == "No node matches 'nothing-like-this'."

    assert panel.export("png", tmp_path / "net.png")
    assert not QImage(str(tmp_path / "net.png")).isNull()
    assert panel.export("svg", tmp_path / "net.svg")
    assert "<svg" in (tmp_path / "net.svg").read_text()
    assert panel.export("dot", tmp_path / "net.dot")
    assert "n0 -> n1;" in (tmp_path / "net.dot").read_text() and "net.fc1" in (tmp_path / "net.dot").read_text()
    assert not panel.export("png", tmp_path / "missing-folder" / "net.png")
    assert panel.status_label.text().startswith("Could not export to")
    assert panel.graph is not None  # still showing the graph


def test_right_click_opens_a_module_and_closes_an_opened_one(shown, qtbot):
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    window, panel = shown
    run_and_draw(qtbot, window, panel, NET)
    with qtbot.waitSignal(panel.view_updated):
        panel.collapse_check.setChecked(True)
    # The menu's exec() would block the test: take the box from the view's signal, the menu from the panel.
    panel.view.box_menu_requested.disconnect(panel._show_box_menu)

    def right_click(item):
        panel.view.centerOn(item)
        pos = panel.view.mapFromScene(item.sceneBoundingRect().center())
        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, panel.view.viewport().mapToGlobal(pos))
        with qtbot.waitSignal(panel.view.box_menu_requested) as blocker:
            QApplication.sendEvent(panel.view.viewport(), event)
        return {action.text(): action for action in panel.box_menu(blocker.args[0]).actions()}

    actions = right_click(box_by_text(panel, "net.fc1"))
    assert list(actions) == ["Open net.fc1"]
    with qtbot.waitSignal(panel.view_updated):
        actions["Open net.fc1"].trigger()
    assert len(panel.view.boxes) == 10
    assert panel.status_label.text().endswith("Right-click a box of an opened module to close it.")
    actions = right_click(box_by_text(panel, "AccumulateGrad", "net.fc1.weight"))
    assert list(actions) == ["Close net.fc1"]
    with qtbot.waitSignal(panel.view_updated):
        actions["Close net.fc1"].trigger()
    assert len(panel.view.boxes) == 6 and box_by_text(panel, "net.fc1")
    assert panel.status_label.text().endswith("Double-click a module to open it.")
    assert right_click(box_by_text(panel, "MseLossBackward0")) == {}  # nothing to open or close: no menu


def test_png_of_a_huge_scene_stays_within_the_pixel_budget(shown, qtbot):
    from blitzgui.ui.autograd_view import MAX_EXPORT_PIXELS

    window, panel = shown
    run_and_draw(qtbot, window, panel, BLITZ)
    scene = panel.view.scene()
    scene.addRect(0, 0, 44_000, 35_000)  # the size of the 20,000-node chain's truncated view
    scene.setSceneRect(scene.itemsBoundingRect())
    image = QImage.fromData(panel.view.render_png())
    assert 0 < image.width() * image.height() <= MAX_EXPORT_PIXELS
    assert image.width() / image.height() == pytest.approx(44_000 / 35_000, rel=0.02)


def test_a_20000_node_graph_never_freezes_the_window(shown, qtbot):
    window, panel = shown
    window.execute("x = torch.ones(1, requires_grad=True)")
    big = big_chain(20_000)
    gc.freeze()  # as the app does after start-up (app.run), so old objects cost the collector nothing
    # Measure how late a 10 ms timer fires while the panel reads and lays out the graph.
    clock, worst = QElapsedTimer(), [0]
    clock.start()

    def tick():
        worst[0] = max(worst[0], clock.restart() - 10)

    timer = QTimer()
    timer.timeout.connect(tick)
    with qtbot.waitSignal(panel.view_updated, timeout=60_000):
        window.session.namespace["big"] = big
        timer.start(10)
        clock.restart()
        window.session.detect_changes()
    timer.stop()
    gc.unfreeze()
    assert len(panel.graph) == 20_002
    assert panel.mode == TRUNCATED and len(panel.view.boxes) <= MAX_DRAWN_NODES
    assert "nodes nearest the root" in panel.status_label.text()
    assert worst[0] < 1000, f"the event loop stalled {worst[0]} ms"


def big_chain(n: int) -> torch.Tensor:
    x = torch.ones(1, requires_grad=True)
    w = torch.ones(1, requires_grad=True)  # used all along: long edges, costly to lay out in full
    y = x
    for i in range(n // 2):
        y = y * w + 1
    return y


def test_the_q_example_backward_with_typed_gradient_and_bad_input(shown, qtbot):
    window, panel = shown
    panel.gradient_edit.setText("1., 1.")
    panel.run_q_backward()
    assert "click 'Create a, b and Q' first" in panel.q_result.text()
    with qtbot.waitSignal(panel.view_updated):
        qtbot.mouseClick(_button(panel, "Create a, b and Q"), Qt.MouseButton.LeftButton)
    assert box_by_text(panel, "SubBackward0", "Q").kind == "root"
    qtbot.mouseClick(_button(panel, "Q.backward(gradient=…)"), Qt.MouseButton.LeftButton)
    text = panel.q_result.text()
    assert "a.grad = [36.0, 81.0]" in text and "b.grad = [-12.0, -8.0]" in text
    assert "9*a**2 * gradient == a.grad: ✓" in text
    assert window.session.namespace["a"].grad.tolist() == [36.0, 81.0]
    qtbot.waitUntil(lambda: all(item.traversed for item in panel.view.boxes), timeout=5000)

    for bad, message in [("1, x", "'x' is not a number"), ("1, 2, 3", "needs 2 numbers, not 3"), ("", "one number")]:
        panel.gradient_edit.setText(bad)
        qtbot.keyClick(panel.gradient_edit, Qt.Key.Key_Return)
        assert message in panel.q_result.text() and "b00020" in panel.q_result.text()
    assert window.session.namespace["a"].grad.tolist() == [36.0, 81.0]  # nothing lost

    panel.gradient_edit.setText("2, 0.5")
    panel.run_q_backward()
    assert "a.grad = [72.0, 40.5]" in panel.q_result.text() and "✗" not in panel.q_result.text()


def test_q_box_after_the_tutorials_own_backward_explains_the_freed_graph(shown, qtbot):
    window, panel = shown
    run_and_draw(qtbot, window, panel, "a = torch.tensor([2., 3.], requires_grad=True)\n"
                 "b = torch.tensor([6., 4.], requires_grad=True)\nQ = 3*a**3 - b**2")
    window.execute("Q.backward(gradient=torch.tensor([1., 1.]))")
    qtbot.mouseClick(_button(panel, "Q.backward(gradient=…)"), Qt.MouseButton.LeftButton)
    assert "Q's graph was freed by an earlier backward()" in panel.q_result.text()
    assert "b00020" in panel.q_result.text()
    assert window.session.namespace["a"].grad.tolist() == [36.0, 81.0]  # nothing lost
    with qtbot.waitSignal(panel.view_updated):
        window.execute("Q = 3*a**3 - b**2")
    qtbot.mouseClick(_button(panel, "Q.backward(gradient=…)"), Qt.MouseButton.LeftButton)
    assert "9*a**2 * gradient == a.grad: ✓" in panel.q_result.text()


def _button(panel, text: str):
    from PySide6.QtWidgets import QPushButton

    return next(b for b in panel.findChildren(QPushButton) if b.text() == text)


def test_shutdown_while_a_layout_runs_does_not_hang(shown, qtbot):
    window, panel = shown
    window.session.namespace["big"] = big_chain(6_000)
    window.session.detect_changes()
    start = time.perf_counter()
    window.close()
    assert time.perf_counter() - start < 15


def test_hover_tooltip_zoom_and_fit(shown, qtbot):
    window, panel = shown
    run_and_draw(qtbot, window, panel, BLITZ)
    leaf = box_by_text(panel, "AccumulateGrad", "x")
    panel.view.centerOn(leaf)
    qtbot.mouseMove(panel.view.viewport(), panel.view.mapFromScene(leaf.sceneBoundingRect().center()))
    qtbot.waitUntil(lambda: "tensor: x" in leaf.toolTip(), timeout=3000)
    assert "requires_grad: True" in leaf.toolTip()
    scale = panel.view.transform().m11()
    panel.view.zoom(2.0)
    assert panel.view.transform().m11() == pytest.approx(scale * 2)
    _button(panel, "Fit").click()
    assert panel.view.transform().m11() == pytest.approx(scale, rel=0.05)  # scroll bars may come and go
    with qtbot.waitSignal(panel.view_updated):
        panel.depth_spin.setValue(2)  # not collapsed: changing the depth alone redraws nothing...
        panel.collapse_check.setChecked(True)  # ... until collapsing; the blitz tensors have no modules
    assert panel.mode == FULL and len(panel.view.boxes) == 5


def test_a_tall_graph_starts_readable_at_the_root_and_fit_shows_all(shown, qtbot):
    from blitzgui.ui.autograd_view import READABLE_SCALE

    window, panel = shown
    run_and_draw(qtbot, window, panel, "x = torch.ones(2, requires_grad=True)\nc = x\nfor _ in range(40):\n    c = c * 2")
    view = panel.view
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    root = box_by_text(panel, "MulBackward0", "c").sceneBoundingRect()
    assert view.transform().m11() == pytest.approx(READABLE_SCALE)
    assert visible.contains(root) and root.top() - visible.top() < 60  # the root near the top
    assert not visible.contains(view.sceneRect())
    _button(panel, "Fit").click()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.adjusted(-1, -1, 1, 1).contains(view.sceneRect())


def test_module_graph_of_over_100_nodes_suggests_collapsing(shown, qtbot):
    window, panel = shown
    code = "seq = nn.Sequential(*[nn.Linear(2, 2) for _ in range(30)])\nr = seq(torch.ones(1, 2)).sum()"
    run_and_draw(qtbot, window, panel, code)
    assert len(panel.graph) > 100 and panel.status_label.text().endswith("Tip: tick 'Collapse by module' for an overview.")


def test_unrelated_cells_do_not_rebuild_the_graph(shown, qtbot, monkeypatch):
    window, panel = shown
    run_and_draw(qtbot, window, panel, BLITZ)
    starts = []
    original = panel._start_layout
    monkeypatch.setattr(panel, "_start_layout", lambda *args: starts.append(args) or original(*args))
    window.execute("n = 3\nt = torch.zeros(2)")  # no grad_fn: the followed graph stays
    assert starts == [] and box_by_text(panel, "MeanBackward0", "out")
    run_and_draw(qtbot, window, panel, "out = z.sum()")  # the followed name rebound: rebuilt
    assert len(starts) == 1 and box_by_text(panel, "SumBackward0", "out")


def test_builder_show_graph_lands_here(window, qtbot):
    # The Builder's "Show graph" sends "follow_tensor" and "show_panel": the panel appears with it.
    window.show()
    panel = window.panels["autograd"]
    with qtbot.waitSignal(panel.view_updated, timeout=20_000):
        assert window.panels["builder"].show_graph()
    assert window.current_panel() == "autograd"
    assert panel.graph is not None and panel.follow_combo.currentText() == panel.graph.label
    assert {item.kind for item in panel.view.boxes} >= {"root", "op", "leaf"}
    qtbot.wait(POLL_WAIT_MS)  # the poll and the tab's show event run on it without error


def test_panel_runs_on_its_own(qtbot, tmp_path):
    from blitzgui.ui.autograd_panel import preview

    panel = preview(tmp_path)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.status_label.text() == "out: 5 nodes, 4 edges.", timeout=10_000)  # drawn
    assert box_by_text(panel, "MeanBackward0", "out").kind == "root"
    assert len(panel.view.repeat_labels) == 1  # y * y
    panel.shutdown()
