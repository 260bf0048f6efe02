"""The Builder panel as a learner uses it: typing in fields, undo, files, code, and handing the model on."""

import json
from unittest import mock

import pytest
import torch
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDropEvent, QTextCursor
from PySide6.QtWidgets import QMessageBox

from blitzgui.core.devices import DeviceChoice
from blitzgui.core.layers import build_module, parameter_count, preset, save_spec, spec_to_json
from blitzgui.core.session import Session
from blitzgui.ui.builder_panel import BuilderPanel
from blitzgui.ui.context import AppContext


@pytest.fixture
def panel(qtbot, data_dir):
    widget = BuilderPanel(AppContext(Session(), DeviceChoice("cpu", "CPU"), data_dir))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.report is not None)  # the first check runs once shown
    return widget


def select(panel, row):
    panel.layers.setCurrentItem(panel.layers.topLevelItem(row))


def type_into(qtbot, editor, text):
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(editor, text)


def paste_into(editor, text):
    editor.setText(text)
    editor.textEdited.emit(text)


def wait_for_check(qtbot, panel):
    with qtbot.waitSignal(panel.report_updated, timeout=3000) as blocker:
        pass
    return blocker.args[0]


def row_texts(panel, row):
    item = panel.layers.topLevelItem(row)
    return [item.text(column) for column in range(5)]


def test_starts_with_the_cifar_net_and_its_totals(panel):
    assert panel.spec == preset("cifar_net")
    assert row_texts(panel, 0) == ["1", "conv1  Conv2d(3, 6, 5)", "1×6×28×28", "456", "352.8k"]
    assert panel.totals.text() == "Total: 62,006 parameters · 651.7k MACs (1.3M FLOPs) · output 1×10"
    assert not panel.has_unsaved_changes() and panel.confirm_close()


def test_editing_a_field_updates_the_table_after_the_debounce_and_undo_restores(qtbot, panel):
    select(panel, 0)
    type_into(qtbot, panel.form.editors["out_channels"], "8")
    report = wait_for_check(qtbot, panel)
    assert panel.spec.layers[0].params["out_channels"] == 8
    assert row_texts(panel, 0)[2:4] == ["1×8×28×28", "608"]
    # conv2 still expects 6 channels: its row is marked and the message says how to fix it
    assert report.error_index == 3 and row_texts(panel, 3)[2] == "✗"
    assert "Conv2d expects 6 input channels but receives 8" in panel.shape_message.text()
    select(panel, 3)
    assert "set in_channels to 8" in panel.form.message("in_channels")
    assert not panel.train_action.isEnabled() and panel.has_unsaved_changes()

    panel.layers.setFocus()
    qtbot.keyClick(panel.layers, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_for_check(qtbot, panel)
    assert panel.spec == preset("cifar_net") and row_texts(panel, 0)[2] == "1×6×28×28"
    assert panel.shape_message.isHidden() and not panel.has_unsaved_changes()
    qtbot.keyClick(panel.layers, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert panel.spec.layers[0].params["out_channels"] == 8


def test_typing_digit_by_digit_is_one_undo_step(qtbot, panel):
    select(panel, 7)  # fc1
    type_into(qtbot, panel.form.editors["out_features"], "256")
    assert panel.spec.layers[7].params["out_features"] == 256
    panel.undo_stack.undo()
    assert panel.spec.layers[7].params["out_features"] == 120


@pytest.mark.parametrize(
    "field, text, message",
    [
        ("out_channels", "0", "at least 1"),
        ("out_channels", "-4", "at least 1"),
        ("out_channels", "1000000", "at most 16384"),
        ("kernel_size", "2.5", "whole number"),
        ("kernel_size", "five", "whole number"),
        ("kernel_size", "", "required"),
    ],
)
def test_invalid_values_get_an_inline_message_and_keep_the_last_valid_model(qtbot, panel, field, text, message):
    select(panel, 0)
    before = panel.spec
    paste_into(panel.form.editors[field], text)  # typed digit by digit, 1000000 would pass through 10000
    shown = panel.form.message(field)
    assert message in shown and "the model keeps" in shown
    assert panel.spec == before
    # fixing the value clears the message
    type_into(qtbot, panel.form.editors[field], "3")
    assert panel.form.message(field) == "" and panel.spec.layers[0].params[field] == 3


def test_kernel_larger_than_the_input_is_marked_on_the_kernel_field(qtbot, panel):
    select(panel, 3)  # conv2 sees 14×14
    type_into(qtbot, panel.form.editors["kernel_size"], "15")
    wait_for_check(qtbot, panel)
    assert "larger than its input 14×14" in panel.form.message("kernel_size")
    assert panel.report.error_index == 3


def test_input_shape_field_catches_the_blitz_28x28_mistake(qtbot, panel):
    panel.load(preset("blitz_net"), "blitz")
    type_into(qtbot, panel.input_field, "1×1×28×28")
    report = wait_for_check(qtbot, panel)
    assert report.layers[report.error_index].name == "fc1"
    assert "receives 16×4×4 = 256" in panel.shape_message.text()
    for bad in ["", "1×3×abc", "7", "1×0×32", "1000×3×1000×1000"]:
        paste_into(panel.input_field, bad)
        assert not panel.input_message.isHidden() and panel.spec.input_shape == (1, 28, 28), bad
    type_into(qtbot, panel.input_field, "4, 3, 32, 32")
    assert panel.batch == 4 and panel.spec.input_shape == (3, 32, 32) and panel.input_message.isHidden()


def test_add_remove_duplicate_move_with_keyboard_and_undo(qtbot, panel):
    select(panel, 6)  # flatten1
    (dropout,) = panel.palette.findItems("Dropout", Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    panel.palette.setCurrentItem(dropout)
    panel.palette.setFocus()
    qtbot.keyClick(panel.palette, Qt.Key.Key_Return)
    assert [layer.kind for layer in panel.spec.layers][6:9] == ["Flatten", "Dropout", "Linear"]
    assert panel.selected_row() == 7

    panel.layers.setFocus()
    qtbot.keyClick(panel.layers, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert [layer.kind for layer in panel.spec.layers][7:9] == ["Dropout", "Dropout"]
    qtbot.keyClick(panel.layers, Qt.Key.Key_Delete)
    qtbot.keyClick(panel.layers, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [layer.kind for layer in panel.spec.layers][5:8] == ["MaxPool2d", "Dropout", "Flatten"]
    for _ in range(4):
        panel.undo_stack.undo()
    assert panel.spec == preset("cifar_net") and not panel.has_unsaved_changes()


def test_dragging_a_row_moves_the_layer(qtbot, panel):
    select(panel, 0)
    target = panel.layers.visualItemRect(panel.layers.topLevelItem(2)).center()
    mime = panel.layers.model().mimeData(panel.layers.selectedIndexes())
    event = QDropEvent(QPointF(target), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    panel.layers.dropEvent(event)
    assert [layer.kind for layer in panel.spec.layers][:3] == ["ReLU", "MaxPool2d", "Conv2d"]
    assert panel.layers.topLevelItemCount() == 12  # Qt did not nest or duplicate the row


def test_dropping_a_palette_entry_adds_that_layer_where_dropped(qtbot, panel):
    (sigmoid,) = panel.palette.findItems("Sigmoid", Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    panel.palette.setCurrentItem(sigmoid)
    panel.layers.drop_from(panel.palette, 0)  # dropped on conv1: goes right after it
    assert [layer.kind for layer in panel.spec.layers][:3] == ["Conv2d", "Sigmoid", "ReLU"]
    panel.layers.drop_from(panel.palette, None)  # below the last row: appended
    assert panel.spec.layers[-1].kind == "Sigmoid" and panel.selected_row() == 13
    panel.palette.setCurrentItem(panel.palette.topLevelItem(0))  # a category, not a layer
    panel.layers.drop_from(panel.palette, 0)
    assert len(panel.spec.layers) == 14


def test_presets_load_undoably(qtbot, panel):
    index = panel.preset_box.findData("cifar_net_wide")
    panel.preset_box.activated.emit(index)
    assert panel.spec == preset("cifar_net_wide") and panel.preset_box.currentIndex() == 0
    report = wait_for_check(qtbot, panel)
    assert report.total_params == parameter_count(build_module(preset("cifar_net_wide")))
    panel.undo_stack.undo()
    assert panel.spec == preset("cifar_net")


def test_save_open_and_bad_files(qtbot, panel, tmp_path):
    panel.add_layer("Softmax", row=11)
    assert panel.has_unsaved_changes()
    path = tmp_path / "mine.json"
    assert panel.save_to(path) and not panel.has_unsaved_changes()
    saved = panel.spec
    panel.load(preset("blitz_net"), "blitz")
    for name, content in [("broken.json", "{not json"), ("foreign.json", json.dumps({"hello": 1})),
                          ("newer.json", spec_to_json(saved).replace('"version": 1', '"version": 2'))]:
        (tmp_path / name).write_text(content)
        assert not panel.open_file(tmp_path / name)
        assert name in panel.notice.text() and panel.spec == preset("blitz_net")
    assert not panel.open_file(tmp_path / "missing.json") and panel.spec == preset("blitz_net")
    assert panel.open_file(path) and panel.spec == saved and not panel.has_unsaved_changes()
    panel.undo_stack.undo()  # opening is undoable: the design before it is not lost
    assert panel.spec == preset("blitz_net")


def test_save_failure_keeps_the_unsaved_state(panel, tmp_path):
    panel.add_layer("ReLU", row=0)
    assert not panel.save_to(tmp_path / "no-such-dir" / "net.json")
    assert panel.has_unsaved_changes() and "Could not save" in panel.notice.text()


def test_confirm_close_asks_only_when_unsaved(panel, tmp_path):
    with mock.patch.object(QMessageBox, "question") as question:
        assert panel.confirm_close()
        question.assert_not_called()
    panel.add_layer("ReLU", row=0)
    with mock.patch.object(QMessageBox, "question", return_value=QMessageBox.StandardButton.Cancel):
        assert not panel.confirm_close()
    with mock.patch.object(QMessageBox, "question", return_value=QMessageBox.StandardButton.Discard):
        assert panel.confirm_close()
    panel.path = tmp_path / "net.json"
    with mock.patch.object(QMessageBox, "question", return_value=QMessageBox.StandardButton.Save):
        assert panel.confirm_close()
    assert (tmp_path / "net.json").exists() and not panel.has_unsaved_changes()


def test_code_tab_shows_both_exports_and_applies_edited_code(qtbot, panel):
    assert "class Net(nn.Module):" in panel.code_edit.toPlainText()
    panel.code_style.setCurrentIndex(panel.code_style.findData("sequential"))
    assert "net = nn.Sequential(" in panel.code_edit.toPlainText()
    panel.code_style.setCurrentIndex(panel.code_style.findData("class"))
    code = panel.code_edit.toPlainText().replace("nn.Linear(84, 10)", "nn.Linear(84, 5)")
    panel.code_edit.selectAll()
    panel.code_edit.insertPlainText("this is not python (")
    assert panel.apply_code_button.isEnabled()
    before = panel.spec
    assert not panel.apply_code() and "syntax error" in panel.code_message.text() and panel.spec == before
    panel.code_edit.setPlainText(code)
    panel.code_edit.document().setModified(True)
    assert panel.apply_code()
    assert panel.spec.layers[-1].params["out_features"] == 5
    assert wait_for_check(qtbot, panel).output_shape == (1, 5)


def test_use_for_training_and_show_graph_emit_events(qtbot, panel):
    seen = []
    session = panel.context.session
    for event in ("train_model", "show_panel", "follow_tensor"):
        session.on(event, lambda *args, e=event, **kwargs: seen.append((e, args, kwargs)))
    assert panel.use_for_training()
    (_, (module, label), kwargs), shown = seen[0], seen[1]
    assert parameter_count(module) == 62_006 and label == "Net" and kwargs["spec"] == panel.spec
    assert shown[:2] == ("show_panel", ("training",))
    seen.clear()
    assert panel.show_graph()
    (_, (output, _label), _), shown = seen[0], seen[1]
    assert isinstance(output, torch.Tensor) and output.grad_fn is not None and output.shape[-1] == 10
    assert shown[:2] == ("show_panel", ("autograd",))


def test_a_broken_network_is_not_handed_on(qtbot, panel):
    seen = []
    panel.context.session.on("train_model", lambda *args, **kwargs: seen.append(args))
    panel.set_input_shape(1, (1, 32, 32))
    assert not panel.use_for_training() and not panel.show_graph()
    assert "Fix layer 1 first" in panel.notice.text() and seen == []


def test_absurd_sizes_are_refused_before_allocating(qtbot, panel):
    panel.set_param(7, "in_features", 400)
    panel.set_param(7, "out_features", 16384)
    panel.set_param(9, "in_features", 16384)
    panel.set_param(9, "out_features", 16384)  # 268M weights: 1 GB
    assert not panel.send_to_repl() and "more than the" in panel.notice.text()


def test_send_to_repl_defines_net_in_the_session(qtbot, window):
    builder = window.panels["builder"]
    window.show_panel("builder")
    assert builder.send_to_repl()
    qtbot.waitUntil(lambda: "net" in window.session.namespace, timeout=10000)
    net = window.session.namespace["net"]
    assert parameter_count(net) == 62_006 and type(net).__name__ == "Net"
    assert window.current_panel() == "tensors"


def test_the_window_closes_without_asking_when_nothing_changed(qtbot, window):
    with mock.patch.object(QMessageBox, "question") as question:
        assert window.close()
        question.assert_not_called()


def test_saved_file_is_what_training_reads(tmp_path):
    path = tmp_path / "net.json"
    save_spec(preset("cifar_net_bn"), path)
    assert json.loads(path.read_text())["format"] == "blitzgui.network"


def test_delete_key_in_a_text_field_edits_text_not_layers(qtbot, panel):
    select(panel, 0)
    for editor in (panel.form.editors["out_channels"], panel.input_field, panel.code_edit):
        editor.setFocus()
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert len(panel.spec.layers) == 12


def test_a_typed_problem_is_not_replaced_by_the_shape_message_of_a_later_check(qtbot, panel):
    panel.set_input_shape(1, (3, 28, 28))  # fc1 now gets 256 features: a shape message on in_features
    panel.check_shapes()
    select(panel, 7)
    assert "set in_features to 256" in panel.form.message("in_features")
    # "25" is valid (its check is still debounced when "x" follows), "25x" is not
    type_into(qtbot, panel.form.editors["in_features"], "25x")
    wait_for_check(qtbot, panel)
    assert panel.form.editors["in_features"].text() == "25x"
    assert panel.form.message("in_features").startswith("must be a whole number")


WARM_UP_SCRIPT = """
import sys, time
from PySide6.QtWidgets import QApplication
from blitzgui.core.devices import DeviceChoice
from blitzgui.core.session import Session
from blitzgui.ui.builder_panel import BuilderPanel
from blitzgui.ui.context import AppContext
app = QApplication([])
panel = BuilderPanel(AppContext(Session(), DeviceChoice("cpu", "CPU"), sys.argv[1]))
assert "torch._dynamo" not in sys.modules
deadline = time.monotonic() + 20
while "torch._dynamo" not in sys.modules and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.02)
panel.shutdown()
print("hidden panel, no check yet:", panel.report is None, "dynamo imported:", "torch._dynamo" in sys.modules)
"""


def test_the_first_shape_check_is_prepared_in_the_background_before_the_builder_is_shown(data_dir):
    # The flop counter's first use imports torch._dynamo: ~1.5 s of frozen GUI when the tab is opened.
    import os
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", WARM_UP_SCRIPT, str(data_dir)], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.stdout.strip() == "hidden panel, no check yet: True dynamo imported: True", result.stderr


def test_show_graph_refuses_a_forward_pass_too_big_for_memory_and_survives_torch_errors(qtbot, panel):
    from blitzgui.core.layers import LayerSpec, NetworkSpec

    seen = []
    panel.context.session.on("follow_tensor", lambda *args: seen.append(args))
    # 442k weights (allowed), but 16384 channels of 512×512 per image: 34 GB of activations for a batch of 2
    wide = NetworkSpec((LayerSpec.of("Conv2d", in_channels=3, out_channels=16384, kernel_size=3, padding=1),),
                       (3, 512, 512))
    panel.load(wide, "wide")
    with mock.patch("blitzgui.ui.builder_panel.build_module") as build:  # were it called, it would allocate
        assert not panel.show_graph()
        build.assert_not_called()
    assert "8,589,934,592 values" in panel.notice.text() and seen == []
    panel.undo_stack.undo()
    with mock.patch("blitzgui.ui.builder_panel.build_module") as build:
        build.return_value.side_effect = RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        assert not panel.show_graph()
    assert "CUDA out of memory" in panel.notice.text() and seen == []


def test_long_undo_texts_do_not_push_the_toolbar_past_the_window(qtbot, panel, tmp_path):
    panel.load(preset("cifar_net_wide"), "Load preset cifar_net_wide")
    panel.set_param(11, "out_features", 12)
    panel.undo_stack.undo()  # undo: "Load preset cifar_net_wide", redo: "Set out_features of layer 12"
    assert panel.save_to(tmp_path / "my_cifar_experiment_wide.json")
    panel.set_param(0, "out_channels", 8)
    qtbot.wait(50)  # the toolbar lays out
    assert panel.undo_action.text() == "Undo" and panel.undo_action.toolTip() == "Undo Set out_channels of layer 1"
    assert panel.file_label.isVisible() and panel.file_label.text() == "my_cifar_experiment_wide.json (changed)"
    assert panel.toolbar.sizeHint().width() <= panel.width()


def test_opening_a_file_over_unsaved_changes_asks_first(panel, tmp_path):
    # Opening marks the design saved: without asking, the unsaved one would be lost at close unasked.
    other = tmp_path / "other.json"
    save_spec(preset("blitz_net"), other)
    panel.add_layer("ReLU", row=0)
    design = panel.spec
    dialog = "PySide6.QtWidgets.QFileDialog.getOpenFileName"
    with mock.patch(dialog, return_value=(str(other), "")) as chooser, \
            mock.patch.object(QMessageBox, "question", return_value=QMessageBox.StandardButton.Cancel) as question:
        panel.open_action.trigger()
    question.assert_called_once()
    chooser.assert_not_called()
    assert panel.spec == design and panel.has_unsaved_changes()
    with mock.patch(dialog, return_value=(str(other), "")), \
            mock.patch.object(QMessageBox, "question", return_value=QMessageBox.StandardButton.Discard):
        panel.open_action.trigger()
    assert panel.spec == preset("blitz_net") and panel.path == other
    with mock.patch(dialog, return_value=(str(other), "")), mock.patch.object(QMessageBox, "question") as question:
        panel.open_action.trigger()  # nothing unsaved now: no question
    question.assert_not_called()


def test_clicking_the_shape_message_selects_the_layer_to_fix(qtbot, panel):
    panel.set_input_shape(1, (3, 28, 28))
    wait_for_check(qtbot, panel)
    select(panel, 0)
    panel.side_tabs.setCurrentIndex(1)  # the Code tab
    qtbot.mouseClick(panel.shape_message, Qt.MouseButton.LeftButton)
    assert panel.selected_row() == 7 and panel.side_tabs.currentIndex() == 0
    assert "set in_features to 256" in panel.form.message("in_features")
    assert panel.form.editors["in_features"].hasFocus()


def test_switching_the_export_style_cannot_throw_away_edited_code(qtbot, panel):
    panel.code_edit.moveCursor(QTextCursor.MoveOperation.End)
    panel.code_edit.insertPlainText("# my note\n")
    assert not panel.code_style.isEnabled()  # Apply or Revert first
    panel.revert_code_button.click()
    assert panel.code_style.isEnabled() and "# my note" not in panel.code_edit.toPlainText()


def test_an_edit_typed_back_to_the_saved_value_leaves_nothing_to_save_or_undo(qtbot, panel):
    select(panel, 0)
    panel.form.editors["bias"].click()
    panel.form.editors["bias"].click()
    type_into(qtbot, panel.form.editors["out_channels"], "8")
    type_into(qtbot, panel.form.editors["out_channels"], "6")
    assert panel.spec == preset("cifar_net")
    assert not panel.has_unsaved_changes() and not panel.undo_action.isEnabled()


def test_an_added_layer_fits_the_layer_before_it(qtbot, panel):
    select(panel, 0)  # conv1: 6 channels out
    panel.add_layer("BatchNorm2d")
    assert panel.spec.layers[1].params["num_features"] == 6
    assert wait_for_check(qtbot, panel).ok


def test_a_narrow_window_does_not_clip_the_palette(qtbot, panel):
    panel.resize(840, 700)
    qtbot.wait(20)
    assert panel.palette.viewport().width() >= panel.palette.sizeHintForColumn(0)  # BatchNorm2d in full


def test_the_whole_toolbar_shows_in_a_900_px_window(qtbot, panel):
    panel.resize(900, 700)
    qtbot.wait(20)
    assert panel.file_label.isVisible() and panel.toolbar.widgetForAction(panel.graph_action).isVisible()
