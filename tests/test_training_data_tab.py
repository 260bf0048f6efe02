"""The Training panel's Data tab: the chosen dataset's samples, and CIFAR-10's download."""

from __future__ import annotations

import hashlib
import socket
import time

import pytest
from cifar_fixture import ArchiveServer, tiny_cifar10_archive, write_tiny_cifar10

from blitzgui.core.data import CIFAR10_CLASSES
from blitzgui.core.devices import resolve_device
from blitzgui.core.download import CIFAR10_DIRNAME
from blitzgui.core.session import Session
from blitzgui.ui.context import AppContext
from blitzgui.ui.i18n import install_translators
from blitzgui.ui.training_panel import TrainingPanel

WAIT_MS = 20_000


@pytest.fixture
def panel(qtbot, qapp, data_dir):
    install_translators(qapp, "en")
    panel = TrainingPanel(AppContext(Session(), resolve_device("cpu"), data_dir))
    qtbot.addWidget(panel)
    yield panel
    panel.shutdown()


def choose(panel, source: str) -> None:
    panel.dataset.setCurrentIndex(panel.dataset.findData(source))


def test_data_tab_shows_samples_of_the_chosen_dataset(qtbot, panel, data_dir):
    write_tiny_cifar10(data_dir)
    choose(panel, "cifar10")
    assert panel.download_button.isHidden()  # CIFAR-10 is there: nothing to download
    panel.tabs.setCurrentWidget(panel.data_tab)
    qtbot.waitUntil(lambda: panel.browser.dataset is not None, timeout=WAIT_MS)
    assert panel.browser.dataset.name == "cifar10"
    qtbot.waitUntil(lambda: panel.browser.grid.grid is not None, timeout=WAIT_MS)
    assert panel.browser.grid.captions and set(panel.browser.grid.captions) <= set(CIFAR10_CLASSES)
    assert panel.data_status.text() == ""


def test_a_folder_that_cannot_be_loaded_is_named_in_the_data_tab(qtbot, panel, tmp_path):
    choose(panel, "folder")
    panel.tabs.setCurrentWidget(panel.data_tab)
    assert "Choose the image folder" in panel.data_status.text()
    panel.folder.setText(str(tmp_path / "nowhere"))
    panel.folder.editingFinished.emit()
    qtbot.waitUntil(lambda: "nowhere" in panel.data_status.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: panel.preview_worker is None, timeout=WAIT_MS)
    assert panel.browser.dataset is None and "No dataset loaded" in panel.browser.grid.text()


def test_missing_cifar10_offers_a_download_and_no_network_offers_the_builtin_set(qtbot, panel, data_dir):
    choose(panel, "cifar10")
    assert not panel.download_button.isHidden() and not panel.download.isHidden()
    with socket.socket() as s:  # a port nobody listens on: like having no network
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    panel.download.url = f"http://127.0.0.1:{port}/cifar-10-python.tar.gz"
    with qtbot.waitSignal(panel.download.failed, timeout=WAIT_MS):
        panel.download_button.click()
        assert panel.tabs.currentWidget() is panel.data_tab
    assert "Could not download" in panel.download.status.text()
    assert "built-in" in panel.download.status.text()
    panel.download.builtin_button.click()
    assert panel.dataset.currentData() == "builtin" and panel.download.isHidden() and panel.download_button.isHidden()
    assert panel.start_button.isEnabled()  # the app goes on; training can start with the built-in set


def test_download_from_the_panel_then_browse_cifar10(qtbot, panel, data_dir, tmp_path):
    archive = tiny_cifar10_archive(tmp_path, per_batch=20, test_size=20)
    choose(panel, "cifar10")
    panel.tabs.setCurrentWidget(panel.data_tab)
    assert "Download CIFAR-10" in panel.data_status.text()
    with ArchiveServer(archive, mode="slow", delay=0.002, chunk_bytes=16384) as server:
        panel.download.url, panel.download.md5 = server.url, hashlib.md5(archive).hexdigest()
        with qtbot.waitSignal(panel.download.downloaded, timeout=WAIT_MS):
            panel.download_button.click()
            assert not panel.download.cancel_button.isHidden()  # it can be cancelled
    assert (data_dir / CIFAR10_DIRNAME).is_dir() and panel.download_button.isHidden()
    qtbot.waitUntil(lambda: panel.browser.dataset is not None, timeout=WAIT_MS)
    assert len(panel.browser.dataset.train_labels) == 100


def test_shutdown_cancels_a_download(qtbot, panel, data_dir, tmp_path):
    archive = tiny_cifar10_archive(tmp_path, per_batch=20, test_size=20)
    choose(panel, "cifar10")
    with ArchiveServer(archive, mode="slow", delay=0.05, chunk_bytes=1024) as server:
        panel.download.url, panel.download.md5 = server.url, hashlib.md5(archive).hexdigest()
        panel.download_button.click()
        qtbot.waitUntil(lambda: panel.download.progress.value() > 0, timeout=WAIT_MS)
        job = panel.download._job
        panel.shutdown()
        assert not job.is_alive()
    assert not (data_dir / CIFAR10_DIRNAME).exists()


def test_shutdown_stops_the_data_tab_while_it_generates_the_builtin_set(qtbot, panel):
    choose(panel, "builtin")
    panel.tabs.setCurrentWidget(panel.data_tab)
    worker = panel.preview_worker
    assert worker is not None and panel.data_status.text() == "Loading the dataset…"
    qtbot.wait(300)
    started = time.perf_counter()
    panel.shutdown()
    assert not worker.is_running() and time.perf_counter() - started < 3
