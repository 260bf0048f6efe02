"""Test set-up shared by every test: offscreen Qt, settings and data kept out of the user's home."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Before any Qt import: no display, and QSettings / default data dir in a throwaway place.
_HOME = Path(tempfile.mkdtemp(prefix="blitzgui-tests-"))
# A desktop-sized offscreen screen (the plugin's default is 800x600, smaller than any real one).
_SCREEN = _HOME / "screen.json"
_SCREEN.write_text('{"screens": [{"name": "test", "x": 0, "y": 0, "width": 1600, "height": 1000}]}')
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
os.environ["XDG_CONFIG_HOME"] = str(_HOME / "config")
os.environ["XDG_DATA_HOME"] = str(_HOME / "data")
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def make_window(qtbot, data_dir):
    """Build a fully loaded main window with the given extra command-line arguments."""
    from blitzgui.ui.app import create_main_window

    def make(*args: str):
        argv = ["--lang", "en", "--data-dir", str(data_dir), *args]
        window = create_main_window(argv)
        qtbot.addWidget(window)
        return window

    return make


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A test that switches the app to zh_CN must not leave later tests translated."""
    yield
    import sys

    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtWidgets import QApplication

        from blitzgui.ui.i18n import install_translators

        app = QApplication.instance()
        if app is not None:
            install_translators(app, "en")
