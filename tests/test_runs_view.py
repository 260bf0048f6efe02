"""The runs list overlays runs; the list itself is the legend (a swatch of each curve's colour)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_runs import start
from test_training import drain

from blitzgui.core.runs import RunStore
from blitzgui.ui.training_runs import RunsView


def test_ticked_runs_are_drawn_and_their_rows_show_the_curve_colour(qtbot, tmp_path):
    for _ in range(2):
        drain(start(tmp_path)[2])
    view = RunsView(RunStore(tmp_path))
    qtbot.addWidget(view)
    assert view.list.count() == 2 and not view.loss_plot.getPlotItem().listDataItems()
    view.list.item(1).setCheckState(Qt.CheckState.Checked)
    curves = view.loss_plot.getPlotItem().listDataItems()
    assert len(curves) == 1 and view.loss_plot.getPlotItem().legend is None  # no legend over the curves
    swatch = view.list.item(1).icon().pixmap(12, 12).toImage().pixelColor(6, 6)
    assert swatch.rgb() == curves[0].opts["pen"].color().rgb()
    assert view.list.item(0).icon().isNull()  # not ticked: no colour
    view.list.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert view.list.item(1).icon().isNull() and not view.loss_plot.getPlotItem().listDataItems()
