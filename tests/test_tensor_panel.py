"""The Tensors panel around the console: variable list, inspector, storage view, op buttons."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from blitzgui.ui import op_catalog


@pytest.fixture
def panel(window):
    return window.panels["tensors"]


def row(panel, name: str) -> dict[str, str]:
    item = panel.variables.items[name]
    headers = [panel.variables.headerItem().text(c) for c in range(panel.variables.columnCount())]
    return dict(zip(headers, (item.text(c) for c in range(len(headers))), strict=True))


def test_variable_list_shows_each_kind(window, panel):
    window.execute(
        "x = torch.ones(2, 3, requires_grad=True)\ny = x * 2\na = np.zeros(4)\nnet = nn.Linear(3, 1)\n"
        "p = nn.Parameter(torch.zeros(5))\nn = 7"
    )
    assert set(panel.variables.items) == {"x", "y", "a", "net", "p"}
    assert row(panel, "x") == {
        "Name": "x", "Kind": "Tensor", "Shape": "(2, 3)", "dtype": "float32", "Device": "cpu",
        "requires_grad": "True", "grad_fn": "leaf", "Memory": "24 B",
    }
    assert row(panel, "y")["grad_fn"] == "MulBackward0"
    assert row(panel, "a")["Kind"] == "ndarray"
    assert row(panel, "net")["Shape"] == "Linear, 4 params"
    assert row(panel, "p")["Kind"] == "Parameter"
    assert not any(name.startswith("_") for name in panel.variables.items)  # IPython's Out cache


def test_only_changed_names_are_summarised_again(window, panel, monkeypatch):
    window.execute("a = torch.zeros(2)\nb = torch.zeros(3)")
    summarised = []
    import blitzgui.ui.variable_list as variable_list

    original = variable_list.summarize
    monkeypatch.setattr(variable_list, "summarize", lambda n, v: summarised.append(n) or original(n, v))
    window.execute("b = torch.ones(4)")
    assert summarised == ["b"]
    assert row(panel, "b")["Shape"] == "(4,)"
    assert panel.variables.changed_last == {"b"}


def test_a_name_rebound_to_an_int_disappears(window, panel):
    window.execute("t = torch.zeros(3)")
    assert "t" in panel.variables.items
    window.execute("t = 5")
    assert "t" not in panel.variables.items
    window.execute("t = torch.ones(1)\ndel t")
    assert "t" not in panel.variables.items


def test_names_pushed_by_other_panels_are_listed(window, panel):
    window.session.push(net=torch.nn.Conv2d(3, 6, 5))
    assert row(panel, "net")["Kind"] == "Module"
    window.session.remove("net")
    assert "net" not in panel.variables.items


def test_context_menu_deletes_visibly_and_copies_repr(window, panel):
    window.execute("z = torch.arange(3)")
    menu = panel.variables.context_menu("z")
    delete, copy = menu.actions()
    copy.trigger()
    assert QApplication.clipboard().text() == "tensor([0, 1, 2])"
    delete.trigger()
    assert "z" not in window.session.namespace and "z" not in panel.variables.items
    assert "del z" in panel.console._control.toPlainText()


def test_selecting_a_tensor_fills_the_inspector(window, panel):
    window.execute("m = torch.arange(12.).reshape(3, 4).T")
    panel.variables.select("m")
    inspector = panel.inspector
    assert inspector.name == "m"
    assert inspector.detail_labels["shape"].text() == "(4, 3)"
    assert inspector.detail_labels["stride"].text() == "(1, 4)"
    assert inspector.detail_labels["is_contiguous"].text() == "False"
    assert "min 0" in inspector.stats_label.text() and "max 11" in inspector.stats_label.text()
    model = inspector.table_model
    assert (model.rowCount(), model.columnCount()) == (4, 3)
    assert model.data(model.index(1, 2)) == "9"  # m[1, 2] == 9


def test_storage_view_after_numpy_and_add_(window, panel):
    window.execute("x = torch.ones(5)\na = x.numpy()\nv = x[1:3]\nc = x.clone()")
    panel.variables.select("x")
    sharers = [panel.inspector.sharers_list.item(i).text() for i in range(panel.inspector.sharers_list.count())]
    assert len(sharers) == 2
    assert sharers[0].startswith("a") and "NumPy" in sharers[0]
    assert sharers[1].startswith("v") and "view of it" in sharers[1]
    window.execute("x.add_(1)")
    # the ndarray has no version counter, yet it is shown as changed with x
    assert panel.variables.changed_last == {"x", "a", "v"}
    assert panel.variables.items["a"].background(0).color().name() == "#fff3c4"
    assert panel.variables.items["c"].background(0).style() == Qt.BrushStyle.NoBrush
    sharers = [panel.inspector.sharers_list.item(i).text() for i in range(panel.inspector.sharers_list.count())]
    assert all("changed by the last cell" in s for s in sharers)
    assert "changed by the last cell" in panel.inspector.title.text()
    assert "mean 2" in panel.inspector.stats_label.text()
    np.testing.assert_array_equal(window.session.namespace["a"], np.full(5, 2.0))


def test_from_numpy_tensor_shares_with_its_array(window, panel):
    window.execute("b = np.arange(4.0)\nu = torch.from_numpy(b)")
    panel.variables.select("b")
    assert "owns its memory" in panel.inspector.ownership_label.text()
    assert panel.inspector.sharers_list.item(0).text().startswith("u")
    window.execute("u.mul_(10)")
    assert "b" in panel.variables.changed_last


def test_slice_picker_on_a_3d_tensor(window, panel):
    window.execute("cube = torch.arange(24.).reshape(2, 3, 4)")
    panel.variables.select("cube")
    picker = panel.inspector.picker
    assert (picker.rows_axis.currentIndex(), picker.cols_axis.currentIndex()) == (1, 2)
    picker.index_boxes[0].setValue(1)
    model = panel.inspector.table_model
    assert model.data(model.index(0, 0)) == "12"
    picker.rows_axis.setCurrentIndex(0)  # rows: axis 0, columns: axis 2; axis 1 now has the index box
    assert set(picker.index_boxes) == {1}
    assert (model.rowCount(), model.columnCount()) == (2, 4)
    picker.cols_axis.setCurrentIndex(0)  # same as rows: rows moves to another axis
    assert picker.rows_axis.currentIndex() != picker.cols_axis.currentIndex()


def test_heatmap_histogram_and_image_tabs(window, panel):
    window.execute("img = torch.rand(3, 16, 20)\nvec = torch.arange(10.)")
    panel.variables.select("img")
    inspector = panel.inspector
    inspector.tabs.setCurrentIndex(1)
    assert inspector.heatmap.image.image.shape == (16, 20)
    inspector.tabs.setCurrentIndex(2)
    x, y = inspector.histogram_curve.getData()
    assert y.sum() == 3 * 16 * 20
    inspector.tabs.setCurrentIndex(3)
    assert inspector.image_item.image.shape == (16, 20, 3)
    panel.variables.select("vec")  # not an image: the image tab is disabled, another one shows
    assert not inspector.tabs.isTabEnabled(3) and inspector.tabs.currentIndex() == 2
    x, y = inspector.histogram_curve.getData()
    assert y.sum() == 10
    inspector.tabs.setCurrentIndex(0)
    model = inspector.table_model
    assert (model.rowCount(), model.columnCount()) == (10, 1)  # a vector as one column
    assert model.data(model.index(7, 0)) == "7"


def test_a_huge_tensor_stays_responsive(window, panel):
    window.execute("big = torch.zeros(10_000, 10_000)")  # 10^8 elements, 400 MB
    start = time.perf_counter()
    panel.variables.select("big")
    panel.inspector.tabs.setCurrentIndex(1)
    elapsed = time.perf_counter() - start
    model = panel.inspector.table_model
    assert model.rowCount() <= 2048 and model.columnCount() <= 2048  # strided, never 10^8 cells
    assert "sample" in panel.inspector.stats_label.text()
    assert "every 5th row" in panel.inspector.view_note.text()
    assert elapsed < 5
    window.execute("del big")


def test_nan_and_inf_are_counted(window, panel):
    window.execute("bad = torch.tensor([1., float('nan'), float('inf'), 3.])")
    panel.variables.select("bad")
    text = panel.inspector.stats_label.text()
    assert "NaN 1" in text and "inf 1" in text and "mean 2" in text
    assert text.splitlines()[1] == "NaN 1   inf 1"  # a line of its own: a narrow pane never splits "inf 1"


def test_op_button_writes_the_code_and_runs_it(qtbot, window, panel):
    qtbot.mouseClick(panel.ops.buttons["zeros"], Qt.MouseButton.LeftButton)
    panel.ops.inputs["size"].setText("2, 5")
    assert panel.ops.preview.text() == "t1 = torch.zeros(2, 5)"
    qtbot.mouseClick(panel.ops.run_button, Qt.MouseButton.LeftButton)
    assert torch.equal(window.session.namespace["t1"], torch.zeros(2, 5))
    assert "t1 = torch.zeros(2, 5)" in panel.console._control.toPlainText()
    assert panel.ops.inputs["out"].text() == "t2"  # the next result gets a fresh name


def test_op_button_uses_the_selected_variable(qtbot, window, panel):
    window.execute("x = torch.arange(6.)")
    panel.variables.select("x")
    qtbot.mouseClick(panel.ops.buttons["view"], Qt.MouseButton.LeftButton)
    panel.ops.inputs["shape"].setText("2, 3")
    qtbot.mouseClick(panel.ops.run_button, Qt.MouseButton.LeftButton)
    assert window.session.namespace["t1"].shape == (2, 3)
    panel.variables.select("t1")
    assert "view" in panel.inspector.ownership_label.text()


@pytest.mark.parametrize(
    ("key", "field", "bad", "message"),
    [
        ("zeros", "out", "1abc", "not a valid Python name"),
        ("zeros", "size", "2, (", "not valid Python"),
        ("view", "x", "", "a value is needed"),
    ],
)
def test_op_form_refuses_bad_input_with_a_message(qtbot, window, panel, key, field, bad, message):
    before = dict(window.session.namespace)
    panel.ops.choose(key)
    panel.ops.inputs[field].setText(bad)
    assert message in panel.ops.error.text()
    assert not panel.ops.run_button.isEnabled()
    panel.ops.run()  # even if called, nothing runs
    assert window.session.namespace.keys() == before.keys()


def test_op_whose_code_fails_shows_torchs_error(window, panel):
    window.execute("x = torch.ones(2, 3)")
    panel.ops.choose("view")
    panel.ops.inputs["shape"].setText("4, 4")
    panel.ops.run()
    assert panel.console.last_result.success is False
    assert "RuntimeError" in panel.console._control.toPlainText()


def test_every_op_generates_code_that_runs(window):
    window.execute("x = torch.arange(6.).reshape(2, 3)")
    for op in op_catalog.OPS:
        values = {"out": "r", "x": "x", "a": "x", "b": "x.T" if op.key in ("@", "matmul") else "x"}
        line = op_catalog.code(op, {k: v for k, v in values.items() if any(a.name == k for a in op.args)})
        window.execute(line)
        assert window.panels["tensors"].console.last_result.success, line


def test_numpy_in_place_change_reaches_the_tensor(window, panel):
    # The blitz's bridge example: np.add(a, 1, out=a) changes the tensor made by from_numpy.
    window.execute("a = np.ones(5)\nb = torch.from_numpy(a)")
    panel.variables.select("b")
    changes = []
    window.session.subscribe(changes.append)
    window.execute("np.add(a, 1, out=a)")
    assert {"a"} in changes  # reported to every panel, though `a` has no version counter
    assert panel.variables.changed_last >= {"a", "b"}
    assert "mean 2" in panel.inspector.stats_label.text()


def test_storage_view_follows_new_and_deleted_sharers(window, panel):
    window.execute("x = torch.zeros(4)")
    panel.variables.select("x")
    assert panel.inspector.sharers_list.count() == 0
    window.execute("a = x.numpy()")
    assert panel.inspector.sharer_names == {"a"}
    window.execute("del a")
    assert panel.inspector.sharer_names == set()
    window.execute("x = 3")
    assert panel.inspector.name == "" and not panel.inspector.isEnabled()


@pytest.mark.parametrize(
    "code",
    [
        "torch.tensor([[1., float('nan')], [float('inf'), -float('inf')]])",
        "torch.full((3, 3), float('nan'))",
        "torch.randint(0, 10, (4, 5))",
        "torch.rand(3, 4) > 0.5",
        "torch.randn(3, 4, dtype=torch.complex64)",
        "torch.randn(3, 8, 8).half()",
        "torch.randn(3, 8, 8).bfloat16()",
        "torch.zeros(3, 8, 8, device='meta')",
        "torch.eye(3).to_sparse()",
        "torch.tensor(3.5)",
        "torch.zeros(0, 4)",
        "np.arange(12).reshape(3, 4).T",
        "np.array(['a', 'b'])",
        "np.flip(np.arange(12.).reshape(3, 4), 0)",  # negative strides: torch has none
        "np.broadcast_to(np.arange(3.), (4, 3))",  # read-only, zero stride
        "np.zeros(3, dtype=np.longdouble)",  # a dtype torch does not have
    ],
)
def test_every_tab_copes_with_unusual_tensors(window, panel, code):
    window.execute(f"odd = {code}")
    assert panel.console.last_result.success
    panel.variables.select("odd")
    for tab in range(4):
        if panel.inspector.tabs.isTabEnabled(tab):
            panel.inspector.tabs.setCurrentIndex(tab)  # warnings are errors here: none may appear
    assert panel.inspector.title.text()


def test_context_menu_hands_a_tensor_to_the_autograd_panel(window, panel):
    window.execute("w = torch.ones(2, requires_grad=True)\nloss = (w * 3).sum()\nplain = torch.ones(2)")
    assert len(panel.variables.context_menu("plain").actions()) == 2  # no graph to show
    followed = []
    window.session.on("follow_tensor", lambda tensor, label: followed.append((tensor, label)))
    panel.variables.context_menu("loss").actions()[2].trigger()
    assert followed[0][0] is window.session.namespace["loss"] and followed[0][1] == "loss"
    assert window.current_panel() == "autograd"


def test_a_module_row_expands_into_inspectable_parameters(window, panel):
    window.execute("net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))\nw = net[0].weight")
    item = panel.variables.items["net"]
    children = [item.child(i).text(0) for i in range(item.childCount())]
    assert "net.0.weight" in children and "net.1.running_mean" in children
    panel.variables.select("net.0.weight")
    assert panel.inspector.name == "net.0.weight"
    assert panel.inspector.detail_labels["shape"].text() == "(2, 3)"
    assert panel.inspector.sharer_names == {"w"}  # the same Parameter under another name
    assert [a.text() for a in panel.variables.context_menu("net.0.weight").actions()][0] == "Copy repr"
    window.execute("net = nn.Linear(1, 1)")  # rebound: the inspected parameter is gone
    assert panel.inspector.name == ""


def test_to_on_the_same_device_returns_the_same_tensor(window, panel):
    window.execute("x = torch.ones(2)")
    panel.variables.select("x")
    panel.ops.choose(".to")
    device = window.context.device.device
    expected = "'cpu'" if device == "cpu" else repr(device)
    assert panel.ops.inputs["device"].text() == expected
    panel.ops.run()
    if device == "cpu":
        assert window.session.namespace["t1"] is window.session.namespace["x"]
        assert "changed by the last cell" not in panel.inspector.title.text()
        assert panel.inspector.sharer_names == {"t1"}  # the same object under another name


def test_a_training_step_in_the_console_refreshes_the_inspected_parameter(window, panel):
    window.execute("net = nn.Linear(2, 1)\nopt = optim.SGD(net.parameters(), lr=0.5)")
    panel.variables.select("net.weight")
    before = panel.inspector.stats_label.text()
    changes = []
    window.session.subscribe(changes.append)
    window.execute("net(torch.ones(4, 2)).sum().backward()\nopt.step()")
    assert any("net" in names for names in changes)  # the other panels hear of it too
    assert panel.variables.current_name() == "net.weight"  # the parameter row survives the step
    assert panel.inspector.name == "net.weight"
    assert panel.inspector.stats_label.text() not in (before, "")


def test_panel_fits_a_1280_px_screen_with_a_5d_tensor_and_an_op_form(qtbot, window, panel):
    window.resize(1280, 860)
    window.show()
    qtbot.waitExposed(window)
    window.execute("h = torch.randn(2, 3, 4, 5, 6)")
    panel.variables.select("h")
    panel.ops.choose("arange")
    QApplication.processEvents()
    assert len(panel.inspector.picker.index_boxes) == 3
    assert panel.minimumSizeHint().width() <= 1100  # index boxes and long strides wrap instead
    assert window.width() <= 1280
    for name, field in panel.ops.inputs.items():  # every argument field is wide enough to read
        assert field.width() >= 150, name


def test_selecting_a_module_row_says_how_to_inspect_it(window, panel):
    window.execute("net = nn.Linear(3, 2)")
    panel.variables.select("net")
    title = panel.inspector.title.text()
    assert "Linear module" in title and "expand its row" in title
    assert "cannot" not in title  # a module is not an error
    panel.variables.select("net.weight")
    assert panel.inspector.detail_labels["shape"].text() == "(2, 3)"


def test_enter_in_an_op_field_runs_the_op(qtbot, window, panel):
    panel.ops.choose("ones")
    field = panel.ops.inputs["size"]
    field.setText("3")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert torch.equal(window.session.namespace["t1"], torch.ones(3))
    field.setText("3, (")  # invalid: Enter explains and runs nothing
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "not valid Python" in panel.ops.error.text() and "t2" not in window.session.namespace


def test_expanded_parameter_rows_are_not_clipped(window, panel):
    window.resize(1280, 860)
    window.show()
    window.execute("net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1))")
    tree = panel.variables
    tree.items["net"].setExpanded(True)
    child = tree.items["net"].child(0)
    for column in range(2):  # name and kind, e.g. "net.0.weight" and "Parameter"
        needed = tree.fontMetrics().horizontalAdvance(child.text(column))
        assert tree.visualItemRect(child).height() > 0
        assert tree.columnWidth(column) - (tree.indentation() if column == 0 else 0) >= needed, child.text(column)


def test_slice_picker_shows_only_for_two_or_more_dimensions(window, panel):
    picker = panel.inspector.picker
    assert picker.isHidden()  # nothing selected yet: no empty axis boxes
    window.execute("m = torch.zeros(2, 3)\nv = torch.zeros(3)")
    panel.variables.select("m")
    assert not picker.isHidden()
    panel.variables.select("v")
    assert picker.isHidden()


def test_sorting_by_memory_orders_by_size_not_text(window, panel):
    window.execute("small = torch.zeros(6)\nbig = torch.zeros(256)\nmid = torch.zeros(100)")  # 24 B, 1.0 KiB, 400 B
    tree = panel.variables
    tree.sortByColumn(7, Qt.SortOrder.AscendingOrder)
    assert tree.headerItem().text(7) == "Memory"
    order = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert order == ["small", "mid", "big"]
    window.execute("small = torch.zeros(1000)")  # rows move as their size changes
    order = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert order == ["mid", "big", "small"]
    from blitzgui.ui.variable_list import Row

    assert not Row(["a"]) < Row(["a"])  # rows out of any tree (being torn down) compare too


def test_a_module_row_is_described_in_the_chosen_language(make_window):
    chinese = make_window("--lang", "zh_CN")
    chinese.execute("net = nn.Linear(3, 1)")
    assert chinese.panels["tensors"].variables.items["net"].text(2) == "Linear，4 个参数"


def test_every_column_fits_a_1280_px_window(qtbot, window, panel):
    window.resize(1280, 820)
    window.show()
    qtbot.waitExposed(window)
    window.execute(
        "x = torch.ones(2, 3, requires_grad=True)\ny = x * 2\nz = (x * 3).mean()\na = np.zeros(4)\n"
        "net = nn.Linear(3, 1)\nimg = torch.rand(4, 3, 32, 32, dtype=torch.float64)"
    )
    QApplication.processEvents()
    tree = panel.variables
    widths = [tree.columnWidth(c) for c in range(tree.columnCount())]
    assert sum(widths) <= tree.viewport().width(), widths  # grad_fn and Memory without scrolling sideways
    assert tree.horizontalScrollBar().maximum() == 0
    assert tree.header().stretchLastSection() and tree.header().sectionsMovable()  # as a tree's own header
    assert panel.inspector.width() >= 500  # the inspector keeps its room
    assert tree.headerItem().text(5) == "requires_grad"
    assert "requires_grad" in tree.headerItem().toolTip(5)
    for column, text in ((2, "(4, 3, 32, 32)"), (6, "MulBackward0")):  # the long texts stay readable
        item = tree.items["img" if column == 2 else "y"]
        assert item.text(column) == item.toolTip(column) == text
        assert tree.columnWidth(column) >= tree.fontMetrics().horizontalAdvance("0" * 8)
    tree.items["net"].setExpanded(True)  # wider names still fit: Shape and grad_fn give way
    QApplication.processEvents()
    assert sum(tree.columnWidth(c) for c in range(tree.columnCount())) <= tree.viewport().width()


def test_water_level_caps_the_widest_columns_first():
    from blitzgui.ui.variable_list import water_level

    assert water_level([150, 100], 300, 60) == 150  # enough room: nothing is cut
    assert water_level([150, 100], 200, 60) == 100  # only the wider one is cut
    assert water_level([150, 100], 160, 60) == 80  # both cut to the same width
    assert water_level([150, 100], 50, 60) == 60  # never below the floor
