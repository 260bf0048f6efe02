"""The one end-to-end test: click Train on a tiny CIFAR-10 in its real on-disk format, in the real
main window, and wait for the evaluation view."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cifar_fixture import write_tiny_cifar10


def test_click_train_and_see_the_evaluation(qtbot, make_window, data_dir):
    write_tiny_cifar10(data_dir)
    window = make_window("--device", "cpu")
    window.show()
    panel = window.show_panel("training")
    assert window.current_panel() == "training"
    panel.dataset.setCurrentIndex(panel.dataset.findData("cifar10"))
    panel.epochs.setValue(1)
    panel.lr.setValue(0.01)

    with qtbot.waitSignal(panel.training_finished, timeout=60_000) as finished:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].status == "completed", panel.message.text()

    view = panel.evaluation_view
    qtbot.waitUntil(lambda: view.isVisible(), timeout=5_000)
    assert panel.tabs.currentWidget() is view
    assert "Test accuracy:" in view.summary.text() and "20 images" in view.summary.text()
    assert view.confusion.rowCount() == 10 and view.confusion.verticalHeaderItem(0).text() == "0 airplane"
    assert view.confusion.horizontalHeaderItem(0).toolTip() == "airplane"
    assert view.gallery.count() == 20
    assert "CPU" in panel.device_label.text()
    assert (panel.run.path / "metrics.json").is_file() and (panel.run.path / "model.pth").is_file()
