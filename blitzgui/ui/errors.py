"""Uncaught exceptions (in a slot, a timer, a callback) become a dialog, never a dead app."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

log = logging.getLogger("blitzgui")


class ErrorDialog(QDialog):
    """Shows one error with its traceback; non-modal so the app stays usable."""

    def __init__(self, summary: str, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unexpected error"))
        self.summary = QLabel(self.tr("Something went wrong, but the app is still running:") + f"\n{summary}")
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.resize(700, 420)


open_dialogs: list[ErrorDialog] = []


def report_exception(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    details = "".join(traceback.format_exception(kind, value, tb))
    log.error("Uncaught exception:\n%s", details)
    if QApplication.instance() is None:
        sys.__excepthook__(kind, value, tb)
        return
    dialog = ErrorDialog(f"{kind.__name__}: {value}", details, QApplication.activeWindow())
    open_dialogs.append(dialog)
    dialog.finished.connect(lambda _result: open_dialogs.remove(dialog) if dialog in open_dialogs else None)
    dialog.show()


def install_excepthook() -> None:
    sys.excepthook = report_exception
