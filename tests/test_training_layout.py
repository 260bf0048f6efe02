"""The Training panel fits a small screen, and nothing in its plots and tables hides what it shows."""

from __future__ import annotations

import numpy as np
import pytest

from blitzgui.core.data import BUILTIN_CLASSES
from blitzgui.core.devices import resolve_device
from blitzgui.core.metrics import Evaluation, confusion_matrix
from blitzgui.core.session import Session
from blitzgui.ui.context import AppContext
from blitzgui.ui.evaluation_view import EvaluationView
from blitzgui.ui.i18n import install_translators
from blitzgui.ui.training_panel import TrainingPanel
from blitzgui.ui.training_plots import AccuracyPlot, LossPlot


@pytest.fixture
def panel(qtbot, qapp, data_dir):
    install_translators(qapp, "en")
    panel = TrainingPanel(AppContext(Session(), resolve_device("cpu"), data_dir))
    qtbot.addWidget(panel)
    yield panel
    panel.shutdown()


def test_the_panel_fits_900_pixels(panel):
    assert panel.minimumSizeHint().width() <= 900


@pytest.mark.parametrize("plot_class", [LossPlot, AccuracyPlot])
def test_legends_sit_outside_the_plotted_area(qtbot, plot_class):
    plot = plot_class()
    qtbot.addWidget(plot)
    plot.resize(500, 300)
    plot.show()
    qtbot.waitExposed(plot)
    item = plot.getPlotItem()
    view = item.getViewBox().sceneBoundingRect()
    legend = item.legend.sceneBoundingRect()
    assert legend.height() > 0 and not legend.intersects(view)


def _evaluation(n=1000) -> Evaluation:
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 10, n)
    predicted = np.where(rng.random(n) < 0.6, truth, rng.integers(0, 10, n))
    return Evaluation(list(BUILTIN_CLASSES), float((truth == predicted).mean()),
                      confusion_matrix(truth, predicted, 10), predicted, np.full(n, 0.5)), truth


def test_confusion_matrix_names_every_class_in_full_and_never_elides_a_count(qtbot):
    view = EvaluationView()
    qtbot.addWidget(view)
    view.resize(520, 600)
    evaluation, truth = _evaluation()
    images = np.zeros((len(truth), 3, 32, 32), dtype=np.uint8)
    view.show_evaluation(evaluation, images, truth)
    view.show()
    qtbot.waitExposed(view)
    table = view.confusion
    assert [table.verticalHeaderItem(i).text() for i in range(10)] == [f"{i} {c}" for i, c in enumerate(BUILTIN_CLASSES)]
    assert [table.horizontalHeaderItem(i).toolTip() for i in range(10)] == list(BUILTIN_CLASSES)
    widest = table.fontMetrics().horizontalAdvance(str(int(evaluation.confusion.max())))
    assert all(table.columnWidth(c) > widest for c in range(10))
    names = view.bars.getAxis("left")._tickLevels[0]  # per-class bars: the names on the left axis
    assert [name for _, name in names] == list(BUILTIN_CLASSES)
