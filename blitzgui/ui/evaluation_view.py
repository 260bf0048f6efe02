"""The test-set result of a run: accuracy, per-class bars, confusion matrix, prediction gallery."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from blitzgui.core.metrics import Evaluation

GALLERY_SIZE = 96  # images shown at once; the gallery is a sample, not the whole test set
ICON_SCALE = 2


def image_pixmap(image_uint8: np.ndarray, scale: int = ICON_SCALE) -> QPixmap:
    """A (C, H, W) uint8 image (1 or 3 channels) as a pixmap, each pixel enlarged `scale` times."""
    if image_uint8.shape[0] == 1:
        image_uint8 = np.repeat(image_uint8, 3, axis=0)
    rgb = np.ascontiguousarray(image_uint8[:3].transpose(1, 2, 0))
    height, width, _ = rgb.shape
    qimage = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
    return QPixmap.fromImage(qimage).scaled(width * scale, height * scale)


class EvaluationView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.evaluation: Evaluation | None = None
        self.test_images = None
        self.test_labels = None
        self.summary = QLabel(self.tr("Train a model to see how it does on the test images."))
        self.summary.setWordWrap(True)

        # Horizontal bars: the class names sit on the left axis at full length (under vertical
        # bars, neighbouring names such as "diamond" and "triangle" ran into each other).
        self.bars = pg.PlotWidget(background="w")
        self.bars.setLabel("bottom", self.tr("accuracy (%)"))
        self.bars.setXRange(0, 100, padding=0.02)
        self.bars.getPlotItem().invertY(True)  # the first class on top, as in the matrix
        self.bars.setMouseEnabled(x=False, y=False)
        self.bars.setTitle(self.tr("Accuracy per class"))

        self.confusion = QTableWidget()
        self.confusion.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.confusion.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Ten columns of up to four digits in a narrow pane: a smaller font and narrow sections.
        font = self.confusion.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        self.confusion.setFont(font)
        self.confusion.setToolTip(self.tr("Rows: true class. Columns: predicted class."))
        confusion_box = QWidget()
        confusion_layout = QVBoxLayout(confusion_box)
        confusion_layout.setContentsMargins(0, 0, 0, 0)
        confusion_title = QLabel(self.tr("Confusion matrix (rows: truth, columns: prediction, numbered as the rows)"))
        confusion_title.setWordWrap(True)
        confusion_layout.addWidget(confusion_title)
        confusion_layout.addWidget(self.confusion)

        self.mistakes_only = QCheckBox(self.tr("Only mistakes"))
        self.mistakes_only.toggled.connect(self._fill_gallery)
        self.gallery = QListWidget()
        self.gallery.setViewMode(QListView.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(32 * ICON_SCALE, 32 * ICON_SCALE))
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setGridSize(QSize(32 * ICON_SCALE + 60, 32 * ICON_SCALE + 44))  # "→ triangle 100 %" fits
        self.gallery.setMovement(QListView.Movement.Static)
        gallery_box = QWidget()
        gallery_layout = QVBoxLayout(gallery_box)
        gallery_layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        gallery_title = QLabel(self.tr("Predictions (truth → prediction, probability)"))
        gallery_title.setWordWrap(True)
        header.addWidget(gallery_title, 1)
        header.addWidget(self.mistakes_only)
        gallery_layout.addLayout(header)
        gallery_layout.addWidget(self.gallery)

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.bars)
        left.addWidget(confusion_box)
        left.setSizes([280, 360])  # the matrix's ten rows need more room than the bars
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(gallery_box)
        split.setSizes([600, 400])
        split.setStretchFactor(0, 3)  # the matrix needs the room more than the gallery
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    def show_evaluation(self, evaluation: Evaluation, test_images, test_labels) -> None:
        """test_images: the uint8 (N, C, H, W) images the evaluation was computed on, in order."""
        self.evaluation = evaluation
        self.test_images = test_images.cpu().numpy() if hasattr(test_images, "cpu") else np.asarray(test_images)
        self.test_labels = test_labels.cpu().numpy() if hasattr(test_labels, "cpu") else np.asarray(test_labels)
        classes = evaluation.classes
        self.summary.setText(
            self.tr("<b>Test accuracy: {accuracy:.1f} %</b> on {count} images ({classes} classes, chance {chance:.0f} %)").format(
                accuracy=100 * evaluation.accuracy, count=len(self.test_labels), classes=len(classes),
                chance=100 / max(1, len(classes)),
            )
        )
        self._fill_bars()
        self._fill_confusion()
        self._fill_gallery()

    def _fill_bars(self) -> None:
        self.bars.clear()
        per_class = np.nan_to_num(np.array(list(self.evaluation.per_class.values()), dtype=float)) * 100
        y = np.arange(len(per_class))
        self.bars.addItem(pg.BarGraphItem(x0=0, y=y, width=per_class, height=0.7, brush=(70, 130, 200)))
        self.bars.getAxis("left").setTicks([list(zip(y.tolist(), self.evaluation.classes))])
        self.bars.setYRange(-0.6, len(per_class) - 0.4, padding=0)

    def _fill_confusion(self) -> None:
        matrix = self.evaluation.confusion
        classes = self.evaluation.classes
        self.confusion.setRowCount(len(classes))
        self.confusion.setColumnCount(len(classes))
        # Ten names do not fit over narrow columns: columns are numbered, each row says its number.
        self.confusion.setVerticalHeaderLabels([f"{index} {name}" for index, name in enumerate(classes)])
        for index, name in enumerate(classes):
            header = QTableWidgetItem(str(index))
            header.setToolTip(name)
            self.confusion.setHorizontalHeaderItem(index, header)
        # Columns stretch, but never below the widest count: a narrow pane scrolls instead of eliding.
        digits = len(str(int(matrix.max()))) if matrix.size else 1
        self.confusion.horizontalHeader().setMinimumSectionSize(
            self.confusion.fontMetrics().horizontalAdvance("0" * digits) + 8)
        row_totals = np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        for row in range(len(classes)):
            for col in range(len(classes)):
                item = QTableWidgetItem(str(int(matrix[row, col])))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                share = matrix[row, col] / row_totals[row, 0]  # colour by share of the true class
                hue = 120 if row == col else 0
                item.setBackground(QColor.fromHsv(hue, int(200 * share), 255))
                self.confusion.setItem(row, col, item)

    def _fill_gallery(self) -> None:
        self.gallery.clear()
        if self.evaluation is None:
            return
        predictions = self.evaluation.predictions
        indices = np.arange(len(predictions))
        if self.mistakes_only.isChecked():
            indices = indices[predictions != self.test_labels]
        classes = self.evaluation.classes
        for index in indices[:GALLERY_SIZE]:
            truth, guess = int(self.test_labels[index]), int(predictions[index])
            confidence = float(self.evaluation.confidences[index])
            text = "{}\n→ {} {:.0f} %".format(classes[truth], classes[guess], 100 * confidence)
            item = QListWidgetItem(QIcon(image_pixmap(self.test_images[index])), text)
            if truth != guess:
                item.setForeground(QColor(190, 30, 30))
            item.setToolTip(self.tr("test image {index}: truth {truth}, predicted {guess} ({p:.1f} %)").format(
                index=int(index), truth=classes[truth], guess=classes[guess], p=100 * confidence))
            self.gallery.addItem(item)
