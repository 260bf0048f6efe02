"""Download CIFAR-10 into the data folder: a byte progress bar, Cancel, and the built-in dataset
offered whenever the download cannot be done."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from blitzgui.core.download import (
    CIFAR10_DIRNAME, CIFAR10_MD5, CIFAR10_URL, DatasetError, DownloadCancelled, download_cifar10,
)

PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress updates a second reach the GUI


class _DownloadJob(QObject):
    """Runs download_cifar10 on a plain daemon thread and reports through queued signals. Plain,
    so that a download stuck on a dead network can never keep the app from quitting."""

    progressed = Signal(object, object)  # bytes done, bytes total (0: unknown)
    succeeded = Signal(object)  # Path of the extracted folder
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, data_dir: Path, url: str, md5: str):
        super().__init__()
        self.stop = threading.Event()
        self._last = 0.0
        self._unsent: tuple[int, int] | None = None  # the latest report, when throttling held it back
        self._thread = threading.Thread(target=self._run, args=(data_dir, url, md5), daemon=True,
                                        name="cifar10-download")

    def start(self) -> None:
        self._thread.start()

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def _progress(self, done: int, total: int) -> None:
        self._unsent = (done, total)
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL_S or done == total:
            self._last = now
            self._unsent = None
            self.progressed.emit(done, total)

    def _run(self, data_dir: Path, url: str, md5: str) -> None:
        try:
            folder = download_cifar10(data_dir, self._progress, self.stop.is_set, url=url, md5=md5, timeout=15)
        except DownloadCancelled:
            self.cancelled.emit()
        except DatasetError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug must still end the download in the UI, not leave it spinning
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            if self._unsent is not None:  # a size-less download never hits done == total
                self.progressed.emit(*self._unsent)
            self.succeeded.emit(folder)


def _megabytes(count: int) -> str:
    return f"{count / 1e6:.1f}"


class DatasetDownloadWidget(QWidget):
    """Download, progress and Cancel for CIFAR-10 into data_dir. Emits downloaded(folder) when the
    files are ready, failed(message) or cancelled(); builtin_requested() when the user picks the
    built-in dataset instead (offered after any failure)."""

    downloaded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    builtin_requested = Signal()

    def __init__(self, data_dir: Path, parent: QWidget | None = None, url: str = CIFAR10_URL, md5: str = CIFAR10_MD5):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.url, self.md5 = url, md5
        self._job: _DownloadJob | None = None

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setVisible(False)
        self.download_button = QPushButton(self.tr("Download CIFAR-10"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setVisible(False)
        self.builtin_button = QPushButton(self.tr("Use the built-in dataset instead"))
        self.builtin_button.setToolTip(self.tr("Shapes generated on this computer: no download needed"))
        self.builtin_button.setVisible(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.builtin_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

        self.download_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.builtin_button.clicked.connect(self.builtin_requested)
        self._show_idle()

    @property
    def downloading(self) -> bool:
        return self._job is not None

    def _show_idle(self) -> None:
        folder = self.data_dir / CIFAR10_DIRNAME
        if folder.is_dir():
            self.status.setText(self.tr("CIFAR-10 is in the data folder: {folder}").format(folder=folder))
            self.download_button.setText(self.tr("Download again"))
        else:
            text = self.tr("CIFAR-10 is not in the data folder yet (a 163 MB download into {folder}).")
            self.status.setText(text.format(folder=self.data_dir))
            self.download_button.setText(self.tr("Download CIFAR-10"))

    def start(self) -> None:
        if self._job is not None:
            return
        self._job = _DownloadJob(self.data_dir, self.url, self.md5)
        self._job.progressed.connect(self._on_progress)
        self._job.succeeded.connect(self._on_succeeded)
        self._job.failed.connect(self._on_failed)
        self._job.cancelled.connect(self._on_cancelled)
        self.status.setText(self.tr("Connecting to {url} …").format(url=self.url))
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Connecting…"))
        self.progress.setVisible(True)
        self.download_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(True)
        self.builtin_button.setVisible(False)
        self._job.start()

    def cancel(self) -> None:
        if self._job is not None:
            self._job.stop.set()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Cancelling…"))

    def _on_progress(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(min(1000, done * 1000 // total))
            self.progress.setFormat(self.tr("{done} MB of {total} MB ({percent} %)").format(
                done=_megabytes(done), total=_megabytes(total), percent=done * 100 // total))
        else:  # the server did not say how much is coming
            self.progress.setRange(0, 0)
            self.progress.setFormat(self.tr("{done} MB").format(done=_megabytes(done)))
        if self._job is None or self._job.stop.is_set():
            return  # keep "Cancelling…" on screen
        if total and done == total:
            self.status.setText(self.tr("Checking and unpacking…"))
        else:
            self.status.setText(self.tr("Downloading CIFAR-10…"))

    def _finish(self) -> None:
        self._job = None
        self.download_button.setEnabled(True)
        self.cancel_button.setVisible(False)

    def _on_succeeded(self, folder: Path) -> None:
        self._finish()
        self.progress.setRange(0, 1000)
        self.progress.setValue(1000)
        self.progress.setFormat(self.tr("Done"))
        self._show_idle()
        self.downloaded.emit(folder)

    def _on_failed(self, message: str) -> None:
        self._finish()
        self.progress.setVisible(False)
        self.status.setText(self.tr("Download failed: {message}").format(message=message))
        self.builtin_button.setVisible(True)
        self.failed.emit(message)

    def _on_cancelled(self) -> None:
        self._finish()
        self.progress.setVisible(False)
        self.status.setText(self.tr("Download cancelled; nothing was kept. The built-in dataset needs no download."))
        self.builtin_button.setVisible(True)
        self.cancelled.emit()

    def shutdown(self, timeout: float = 2.0) -> None:
        """Stop a running download; gives it `timeout` seconds to clean up, never hangs the app."""
        if self._job is not None:
            self._job.stop.set()
            self._job.join(timeout)
