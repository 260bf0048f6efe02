"""Regression guard for PySide6 6.12.0 on Python 3.11: each void Qt call leaked a reference to None
until the process died (PLATFORM-NOTES.md). The dependency range excludes it; this proves it."""

import sys

from PySide6.QtCore import QTimer


def test_void_qt_calls_do_not_leak_none(qapp):
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(20_000):
        timer.start(1000)
        timer.stop()
    assert abs(sys.getrefcount(None) - before) < 1_000
