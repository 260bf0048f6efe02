"""The dataset browser (sample grid with labels, un-normalized correctly) and the download widget
(byte progress, Cancel, failures offer the built-in set), the latter against a 127.0.0.1 server."""

from __future__ import annotations

import hashlib
import socket
import threading
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from cifar_fixture import ArchiveServer, tiny_cifar10_archive

from blitzgui.core.data import ImageDataset, builtin_dataset, load_dataset
from blitzgui.core.download import CIFAR10_DIRNAME
from blitzgui.ui import dataset_browser
from blitzgui.ui.dataset_browser import DatasetBrowser, SampleGrid
from blitzgui.ui.dataset_download import DatasetDownloadWidget


@pytest.fixture(autouse=True)
def torchvision_imported(qtbot):
    """Grids draw at once when torchvision is loaded; the first one in a process waits for it."""
    qtbot.waitUntil(dataset_browser.torchvision_ready, timeout=60_000)


@pytest.fixture(scope="module")
def small_builtin(tmp_path_factory) -> ImageDataset:
    return builtin_dataset(tmp_path_factory.mktemp("data"), train_size=300, test_size=100)


def cell(grid: np.ndarray, index: int, columns: int, size: int, padding: int = 2) -> np.ndarray:
    """Cell `index` of a make_grid image, (size, size, 3)."""
    row, column = divmod(index, columns)
    top, left = padding + row * (size + padding), padding + column * (size + padding)
    return grid[top:top + size, left:left + size]


# -- browser -------------------------------------------------------------------------------------
def test_browser_shows_samples_with_their_labels(qtbot, small_builtin):
    browser = DatasetBrowser(small_builtin, rows=2, columns=5)
    qtbot.addWidget(browser)
    assert len(browser.indices) == 10 and len(set(browser.indices)) == 10
    expected = [small_builtin.classes[small_builtin.train_labels[i]] for i in browser.indices]
    assert browser.grid.captions == expected
    assert "300 images" in browser.summary.text() and "3×32×32" in browser.summary.text()
    pixmap = browser.grid.pixmap()
    assert pixmap.width() == browser.grid.grid.shape[1] and pixmap.height() > browser.grid.grid.shape[0]


def test_browser_grid_shows_the_original_pixels_after_normalize_and_denormalize(qtbot, small_builtin):
    # "Un-normalized correctly": each cell is the stored image (enlarged 2×), not the normalized values.
    browser = DatasetBrowser(small_builtin, rows=2, columns=4)
    qtbot.addWidget(browser)
    for position, index in enumerate(browser.indices):
        original = small_builtin.train_images[index].permute(1, 2, 0).numpy()
        enlarged = original.repeat(2, axis=0).repeat(2, axis=1)
        shown = cell(browser.grid.grid, position, columns=4, size=64)
        assert np.abs(shown.astype(int) - enlarged.astype(int)).max() <= 1


def test_browser_grid_respects_other_mean_and_std(qtbot):
    images = torch.randint(0, 256, (4, 3, 8, 8), dtype=torch.uint8)
    labels = torch.arange(4)
    dataset = ImageDataset("custom", list("abcd"), images, labels, images, labels,
                           mean=(0.4914, 0.4822, 0.4465), std=(0.247, 0.243, 0.261))
    browser = DatasetBrowser(dataset, rows=1, columns=4)
    qtbot.addWidget(browser)
    scale = 64 // 8
    for position, index in enumerate(browser.indices):
        original = images[index].permute(1, 2, 0).numpy().repeat(scale, 0).repeat(scale, 1)
        assert np.abs(cell(browser.grid.grid, position, 4, 64).astype(int) - original.astype(int)).max() <= 1


def test_browser_filters_by_split_and_class_and_shuffles(qtbot, small_builtin):
    browser = DatasetBrowser(small_builtin, rows=2, columns=4)
    qtbot.addWidget(browser)
    first = list(browser.indices)
    qtbot.mouseClick(browser.shuffle_button, Qt.MouseButton.LeftButton)
    assert browser.indices != first
    browser.class_filter.setCurrentIndex(1 + small_builtin.classes.index("ring"))
    assert set(browser.grid.captions) == {"ring"}
    assert all(small_builtin.train_labels[i] == small_builtin.classes.index("ring") for i in browser.indices)
    browser.split.setCurrentIndex(1)
    assert "100 images" in browser.summary.text()
    assert all(small_builtin.test_labels[i] == small_builtin.classes.index("ring") for i in browser.indices)


def test_browser_without_dataset_and_with_an_empty_class(qtbot):
    browser = DatasetBrowser(None)
    qtbot.addWidget(browser)
    assert browser.grid.text() == "No dataset loaded." and not browser.shuffle_button.isEnabled()
    images = torch.zeros((2, 3, 8, 8), dtype=torch.uint8)
    dataset = ImageDataset("two", ["a", "b"], images, torch.zeros(2, dtype=torch.int64), images,
                           torch.zeros(2, dtype=torch.int64))
    browser.set_dataset(dataset)
    assert browser.shuffle_button.isEnabled() and browser.grid.captions == ["a", "a"]
    browser.class_filter.setCurrentIndex(2)  # class "b": no images
    assert browser.indices == [] and "No images" in browser.grid.text()


def test_browser_on_cifar10_from_disk(qtbot, data_dir):
    from cifar_fixture import write_tiny_cifar10

    write_tiny_cifar10(data_dir, per_batch=4, test_size=4)
    browser = DatasetBrowser(load_dataset("cifar10", data_dir), rows=1, columns=4)
    qtbot.addWidget(browser)
    assert set(browser.grid.captions) <= {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                                          "ship", "truck"}


def test_sample_grid_takes_captions_for_any_images(qtbot):
    grid = SampleGrid(columns=3)
    qtbot.addWidget(grid)
    grid.show_images(torch.rand(5, 3, 28, 28), ["cat → dog 87 %"] * 5)
    assert grid.grid.shape == (2 + 2 * (56 + 2), 2 + 3 * (56 + 2), 3)
    with pytest.raises(ValueError, match="captions"):
        grid.show_images(torch.rand(2, 3, 8, 8), ["one"])


def test_the_first_grid_waits_for_torchvision_off_the_gui_thread(qtbot, monkeypatch):
    release = threading.Event()

    def slow_import():  # stands in for the seconds torchvision takes to import
        release.wait(10)
        dataset_browser._torchvision_ready.set()

    monkeypatch.setattr(dataset_browser, "_torchvision_ready", threading.Event())
    monkeypatch.setattr(dataset_browser, "_torchvision_import", None)
    monkeypatch.setattr(dataset_browser, "_import_torchvision", slow_import)
    monkeypatch.setattr(dataset_browser, "sys", SimpleNamespace(modules={}))  # as if nothing imported it yet
    grid = SampleGrid(columns=2)
    qtbot.addWidget(grid)
    grid.show_images(torch.rand(2, 3, 8, 8), ["a", "b"])
    assert grid.grid is None and grid.text() == "Preparing the samples…"
    assert dataset_browser._torchvision_import.name == "import-torchvision"
    release.set()
    qtbot.waitUntil(lambda: grid.grid is not None, timeout=5000)
    assert grid.captions == ["a", "b"] and not grid.pixmap().isNull()
    dataset_browser._torchvision_import.join(5)


# -- download widget -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> bytes:
    return tiny_cifar10_archive(tmp_path_factory.mktemp("archive"), per_batch=60, test_size=60)


def _md5(payload: bytes) -> str:
    return hashlib.md5(payload).hexdigest()


def test_download_widget_downloads_with_byte_progress(qtbot, data_dir, archive):
    with ArchiveServer(archive, mode="slow", delay=0.005, chunk_bytes=16384) as server:
        widget = DatasetDownloadWidget(data_dir, url=server.url, md5=_md5(archive))
        qtbot.addWidget(widget)
        widget.show()
        assert "not in the data folder" in widget.status.text()
        formats = []
        widget.progress.valueChanged.connect(lambda _value: formats.append(widget.progress.format()))
        with qtbot.waitSignal(widget.downloaded, timeout=20_000) as blocker:
            qtbot.mouseClick(widget.download_button, Qt.MouseButton.LeftButton)
            assert widget.downloading and not widget.download_button.isEnabled() and widget.cancel_button.isVisible()
    assert blocker.args == [data_dir / CIFAR10_DIRNAME]
    assert any(" MB of " in text for text in formats)
    assert widget.progress.value() == 1000 and not widget.downloading and not widget.cancel_button.isVisible()
    assert "is in the data folder" in widget.status.text() and widget.download_button.text() == "Download again"
    assert load_dataset("cifar10", data_dir).train_images.shape[0] == 300


def test_download_widget_cancel(qtbot, data_dir, archive):
    with ArchiveServer(archive, mode="slow", delay=0.05, chunk_bytes=1024) as server:
        widget = DatasetDownloadWidget(data_dir, url=server.url, md5=_md5(archive))
        qtbot.addWidget(widget)
        widget.show()
        widget.start()
        qtbot.waitUntil(lambda: widget.progress.value() > 0, timeout=10_000)
        with qtbot.waitSignal(widget.cancelled, timeout=10_000):
            widget.cancel_button.click()
            assert widget.status.text() == "Cancelling…"
    assert "cancelled" in widget.status.text() and widget.builtin_button.isVisible()
    assert widget.download_button.isEnabled() and not widget.downloading
    assert list(data_dir.iterdir()) == []


def test_download_widget_without_network_offers_the_builtin_set(qtbot, data_dir):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    widget = DatasetDownloadWidget(data_dir, url=f"http://127.0.0.1:{port}/cifar-10-python.tar.gz")
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.failed, timeout=20_000) as blocker:
        widget.download_button.click()
    assert "Could not download" in blocker.args[0]
    assert widget.status.text().startswith("Download failed: Could not download")
    assert "built-in offline dataset" in widget.status.text()
    assert widget.builtin_button.isVisible() and widget.download_button.isEnabled()
    with qtbot.waitSignal(widget.builtin_requested, timeout=1000):
        widget.builtin_button.click()


def test_download_widget_bad_checksum_is_reported(qtbot, data_dir, archive):
    with ArchiveServer(archive) as server:
        widget = DatasetDownloadWidget(data_dir, url=server.url, md5="0" * 32)
        qtbot.addWidget(widget)
        widget.show()
        with qtbot.waitSignal(widget.failed, timeout=20_000) as blocker:
            widget.start()
    assert "checksum" in blocker.args[0] and widget.builtin_button.isVisible()


def test_download_widget_shutdown_mid_download_does_not_hang(qtbot, data_dir, archive):
    with ArchiveServer(archive, mode="slow", delay=0.05, chunk_bytes=1024) as server:
        widget = DatasetDownloadWidget(data_dir, url=server.url, md5=_md5(archive))
        qtbot.addWidget(widget)
        widget.show()
        widget.start()
        qtbot.waitUntil(lambda: widget.progress.value() > 0, timeout=10_000)
        job = widget._job
        widget.shutdown(timeout=5)
        assert not job.is_alive()
    assert not (data_dir / "cifar-10-python.tar.gz.part").exists()


def test_download_widget_of_unknown_size_shows_megabytes_and_a_busy_bar(qtbot, data_dir, archive):
    with ArchiveServer(archive, mode="unsized", delay=0.01, chunk_bytes=65536) as server:
        widget = DatasetDownloadWidget(data_dir, url=server.url, md5=_md5(archive))
        qtbot.addWidget(widget)
        states = []
        show_progress = widget._on_progress

        def record(done, total):  # what the bar shows after each progress report
            show_progress(done, total)
            states.append((widget.progress.maximum(), widget.progress.format()))

        widget._on_progress = record
        with qtbot.waitSignal(widget.downloaded, timeout=20_000):
            widget.start()
    assert states and all(maximum == 0 for maximum, _ in states)  # a busy bar: the size is unknown
    assert states[-1][1] == f"{len(archive) / 1e6:.1f} MB"
    assert widget.progress.maximum() == 1000 and widget.progress.format() == "Done"
