"""Small things a user saw: preset titles in the chosen language in every panel, plot margins."""

from __future__ import annotations

from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from blitzgui.core.layers import PRESETS
from blitzgui.ui.preset_names import preset_title


def combo_titles(box) -> dict[str, str]:
    return {box.itemData(i): box.itemText(i) for i in range(box.count()) if box.itemData(i) in PRESETS}


def test_the_shared_preset_titles_are_the_core_titles_in_english(window):
    assert {name: preset_title(name) for name in PRESETS} == {name: title for name, (title, _spec) in PRESETS.items()}


def test_training_and_builder_show_the_same_translated_preset_titles(make_window):
    chinese = make_window("--lang", "zh_CN")
    training = combo_titles(chinese.panels["training"].model)
    builder = combo_titles(chinese.panels["builder"].preset_box)
    assert training["cifar_net"] == "Blitz 第 4 部分的 CIFAR Net（3×32×32，62,006 个参数）"
    assert set(training) == {name for name, (_title, spec) in PRESETS.items() if spec.input_shape[0] == 3}
    for name, title in training.items():
        assert title == builder[name] != PRESETS[name][0]  # one translation, no English left


def tick_label_rects(plot):
    """Where the left axis draws its tick labels, in the plot widget's coordinates."""
    axis = plot.getPlotItem().getAxis("left")
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _axis, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return {text: plot.mapFromScene(axis.mapRectToScene(rect)).boundingRect() for rect, _flags, text in texts}


def test_the_loss_plots_top_tick_label_is_not_cut_off(qtbot, window):
    window.resize(1280, 820)  # as the screenshots: 1.0 sits on the top edge of the empty loss view
    window.show_panel("training")
    window.show()
    qtbot.waitExposed(window)
    panel = window.panels["training"]
    QApplication.processEvents()
    for plot in (panel.loss_plot, panel.accuracy_plot):
        labels = tick_label_rects(plot)
        assert labels, plot
        for text, rect in labels.items():
            assert rect.top() >= 0 and rect.bottom() <= plot.height(), (type(plot).__name__, text, rect)
