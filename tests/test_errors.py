import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from blitzgui.ui import errors


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_shows_a_dialog_and_the_app_keeps_running(qtbot, monkeypatch, caplog):
    monkeypatch.setattr(sys, "excepthook", errors.report_exception)
    button = QPushButton("boom")
    qtbot.addWidget(button)

    def broken_slot():
        raise RuntimeError("slot exploded")

    button.clicked.connect(broken_slot)
    button.click()
    qtbot.waitUntil(lambda: len(errors.open_dialogs) == 1)
    dialog = errors.open_dialogs[0]
    assert dialog.isVisible()
    assert "RuntimeError: slot exploded" in dialog.summary.text()
    assert "broken_slot" in dialog.details.toPlainText()  # the traceback itself
    assert "slot exploded" in caplog.text  # and it was logged

    # the event loop still works after the error
    fired = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: fired == [True])
    dialog.close()
    assert errors.open_dialogs == []


def test_install_sets_the_hook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    errors.install_excepthook()
    assert sys.excepthook is errors.report_exception
