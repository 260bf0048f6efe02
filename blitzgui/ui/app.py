"""Creating the QApplication and the main window; the app's event loop."""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from argparse import Namespace
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from blitzgui.options import parse_args
from blitzgui.ui.errors import install_excepthook
from blitzgui.ui.i18n import install_translators, system_language
from blitzgui.ui.main_window import PANELS, MainWindow

_START = time.perf_counter()


def _application() -> QApplication:
    # Silences debugpy's frozen-modules warning when the in-process IPython kernel starts.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("blitzgui")
    app.setOrganizationName("blitzgui")
    return app


def _prepare(options: Namespace) -> MainWindow:
    app = _application()
    if options.lang is None:
        options.lang = QSettings("blitzgui", "blitzgui").value("language") or system_language()
    install_translators(app, options.lang)
    options.data_dir.mkdir(parents=True, exist_ok=True)
    return MainWindow(options)


def create_main_window(argv: list[str] | None = None) -> MainWindow:
    """Automation API: a fully loaded main window, not yet shown (QApplication made if needed)."""
    window = _prepare(parse_args([] if argv is None else argv))
    window.load_panels()
    return window


def _settle(seconds: float) -> None:
    """Let a panel finish what it starts when first shown (debounced checks, layouts)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)


def save_screenshots(window: MainWindow, directory: Path, settle: float = 0.5) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    saved = []
    for name in PANELS:
        window.show_panel(name)
        _settle(settle)
        path = directory / f"{name}.png"
        window.grab().save(str(path))
        saved.append(path)
    return saved


def run(options: Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    window = _prepare(options)
    app = QApplication.instance()
    install_excepthook()
    if options.exit_after_first_paint:
        window.first_painted.connect(lambda: (print(f"first paint {time.perf_counter() - _START:.3f} s"), app.quit()))
        window.show()
        return app.exec()
    if options.screenshot is not None:
        window.resize(1280, 820)  # the same picture whatever size the window was last left at
    window.show()
    app.processEvents()  # paint the window before the seconds spent importing torch
    window.load_panels()
    # Torch and Qt leave a large heap; freezing it keeps the cyclic GC from stalling the GUI
    # for ~200 ms at a time while training runs (PLATFORM-NOTES.md).
    gc.freeze()
    if options.screenshot is not None:
        for path in save_screenshots(window, options.screenshot):
            print(path)
        window.close()
        return 0
    app.aboutToQuit.connect(lambda: [getattr(p, "shutdown", lambda: None)() for p in window.panels.values()])
    return app.exec()
