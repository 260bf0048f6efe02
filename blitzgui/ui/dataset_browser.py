"""A look at the data: a grid of samples with their labels, as the blitz's imshow shows them.

SampleGrid draws any images with a caption under each (the Training panel can reuse it for a
prediction gallery); DatasetBrowser adds the choice of split and class and a Shuffle button.
"""

from __future__ import annotations

import sys
import threading

import numpy as np
import torch
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from blitzgui.core.data import ImageDataset, image_grid

PADDING = 2  # make_grid's default

# torchvision (for make_grid) takes 2-4 s to import, all of it holding the GUI thread if imported
# there; so it is imported on a thread and the first grid waits for it without freezing the window.
_torchvision_ready = threading.Event()
_torchvision_import: threading.Thread | None = None


def _import_torchvision() -> None:
    try:
        import torchvision.utils  # noqa: F401
    finally:
        _torchvision_ready.set()  # on failure the GUI thread's own import then shows the error


def torchvision_ready() -> bool:
    """True once make_grid can be used without a long import; starts that import if needed."""
    global _torchvision_import
    if not _torchvision_ready.is_set() and _torchvision_import is None:
        if "torchvision.utils" in sys.modules:  # imported by someone else already
            _torchvision_ready.set()
        else:
            _torchvision_import = threading.Thread(target=_import_torchvision, daemon=True, name="import-torchvision")
            _torchvision_import.start()
    return _torchvision_ready.is_set()


class SampleGrid(QLabel):
    """Images in [0, 1] (N, C, H, W) laid out by torchvision's make_grid, a caption under each."""

    def __init__(self, columns: int = 8, cell_px: int = 64, parent: QWidget | None = None):
        super().__init__(parent)
        self.columns = columns
        self.cell_px = cell_px
        self.grid: np.ndarray | None = None  # the make_grid image as shown (H, W, 3) uint8
        self.captions: list[str] = []
        self._pending: tuple[torch.Tensor, list[str]] | None = None  # waiting for torchvision
        self._wait = QTimer(self)
        self._wait.setInterval(50)
        self._wait.timeout.connect(self._show_pending)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)

    def show_images(self, images: torch.Tensor, captions: list[str]) -> None:
        if len(images) != len(captions):
            raise ValueError(f"{len(images)} images but {len(captions)} captions")
        if len(images) == 0:
            self.clear_images()
            return
        self._pending = (images, list(captions))
        if torchvision_ready():
            self._show_pending()
        else:
            self.setText(self.tr("Preparing the samples…"))
            self._wait.start()

    def _show_pending(self) -> None:
        if self._pending is None or not torchvision_ready():
            return
        self._wait.stop()
        images, captions = self._pending
        self._pending = None
        scale = max(1, self.cell_px // max(images.shape[-2:]))  # whole pixels: small images stay crisp
        self.grid = image_grid(images, nrow=self.columns, padding=PADDING, scale=scale)
        self.captions = captions
        self.setPixmap(self._with_captions(self.grid, images.shape[-2] * scale, images.shape[-1] * scale))

    def clear_images(self, message: str = "") -> None:
        self._pending = None
        self._wait.stop()
        self.grid = None
        self.captions = []
        self.clear()
        self.setText(message)

    def _with_captions(self, grid: np.ndarray, cell_h: int, cell_w: int) -> QPixmap:
        """The grid cut into rows with a strip of caption text added under each row."""
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        metrics = QFontMetrics(font)
        caption_h = metrics.height() + 2
        rows = (len(self.captions) + self.columns - 1) // self.columns
        height, width = grid.shape[:2]
        image = QImage(grid.data, width, height, 3 * width, QImage.Format.Format_RGB888)
        pixmap = QPixmap(width, height + rows * caption_h)
        pixmap.fill(QColor("white"))
        painter = QPainter(pixmap)
        painter.setFont(font)
        painter.setPen(QColor("black"))
        row_h = cell_h + PADDING
        for row in range(rows):
            top = row * (row_h + caption_h)
            painter.drawImage(QRect(0, top, width, row_h), image, QRect(0, row * row_h, width, row_h))
            for column in range(self.columns):
                index = row * self.columns + column
                if index < len(self.captions):
                    box = QRect(PADDING + column * (cell_w + PADDING), top + row_h, cell_w, caption_h)
                    text = metrics.elidedText(self.captions[index], Qt.TextElideMode.ElideRight, cell_w)
                    painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)
        painter.drawImage(QRect(0, rows * (row_h + caption_h), width, PADDING), image,
                          QRect(0, rows * row_h, width, PADDING))  # make_grid's bottom padding
        painter.end()
        return pixmap


class DatasetBrowser(QWidget):
    """Samples of a dataset (train or test split, all classes or one), reshuffled on demand. The
    images go through the dataset's normalize and back through denormalize, as training sees them."""

    def __init__(self, dataset: ImageDataset | None = None, rows: int = 4, columns: int = 8,
                 parent: QWidget | None = None, seed: int = 0):
        super().__init__(parent)
        self.rows, self.columns = rows, columns
        self.dataset: ImageDataset | None = None
        self.indices: list[int] = []  # what is shown, into the chosen split
        self._generator = torch.Generator().manual_seed(seed)

        self.split = QComboBox()
        self.split.addItem(self.tr("Training images"), "train")
        self.split.addItem(self.tr("Test images"), "test")
        self.class_filter = QComboBox()
        self.shuffle_button = QPushButton(self.tr("Shuffle"))
        self.shuffle_button.setToolTip(self.tr("Show other random samples"))
        self.summary = QLabel()
        self.grid = SampleGrid(columns=columns)
        scroll = QScrollArea()
        scroll.setWidget(self.grid)
        scroll.setWidgetResizable(True)

        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Show:")))
        controls.addWidget(self.split)
        controls.addWidget(self.class_filter)
        controls.addWidget(self.shuffle_button)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)

        self.split.currentIndexChanged.connect(self.refresh)
        self.class_filter.currentIndexChanged.connect(self.refresh)
        self.shuffle_button.clicked.connect(self.refresh)
        self.set_dataset(dataset)

    def set_dataset(self, dataset: ImageDataset | None) -> None:
        self.dataset = dataset
        self.class_filter.blockSignals(True)
        self.class_filter.clear()
        self.class_filter.addItem(self.tr("All classes"), -1)
        for index, name in enumerate(dataset.classes if dataset else []):
            self.class_filter.addItem(name, index)
        self.class_filter.blockSignals(False)
        for control in (self.split, self.class_filter, self.shuffle_button):
            control.setEnabled(dataset is not None)
        self.refresh()

    def refresh(self) -> None:
        """Draw a new random selection for the current split and class."""
        if self.dataset is None:
            self.indices = []
            self.summary.setText("")
            self.grid.clear_images(self.tr("No dataset loaded."))
            return
        train = self.split.currentData() == "train"
        images = self.dataset.train_images if train else self.dataset.test_images
        labels = self.dataset.train_labels if train else self.dataset.test_labels
        wanted = self.class_filter.currentData()
        pool = torch.arange(len(labels)) if wanted in (None, -1) else (labels == wanted).nonzero().squeeze(1)
        chosen = pool[torch.randperm(len(pool), generator=self._generator)[: self.rows * self.columns]]
        self.indices = chosen.tolist()
        c, h, w = self.dataset.image_shape
        summary = self.tr("{name}: {count} images in this split, {classes} classes, each {c}×{h}×{w}")
        self.summary.setText(summary.format(name=self.dataset.name, count=f"{len(labels):,}",
                                            classes=self.dataset.num_classes, c=c, h=h, w=w))
        if not self.indices:
            self.grid.clear_images(self.tr("No images of this class in this split."))
            return
        shown = self.dataset.denormalize(self.dataset.normalize(images[chosen]))
        self.grid.show_images(shown, [self.dataset.classes[i] for i in labels[chosen].tolist()])


if __name__ == "__main__":  # the browser alone: python -m blitzgui.ui.dataset_browser [SOURCE [DATA_DIR]]
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from blitzgui.core.data import DatasetError, load_dataset
    from blitzgui.core.paths import default_data_dir

    app = QApplication(sys.argv)
    try:
        dataset = load_dataset(sys.argv[1] if len(sys.argv) > 1 else "builtin",
                               Path(sys.argv[2]) if len(sys.argv) > 2 else default_data_dir())
    except DatasetError as error:
        sys.exit(f"error: {error}")
    window = DatasetBrowser(dataset)
    window.resize(620, 560)
    window.show()
    sys.exit(app.exec())
