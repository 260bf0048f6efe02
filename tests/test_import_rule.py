"""blitzgui.core must never import Qt: it is the model, testable without a display."""

import subprocess
import sys
import textwrap


def test_core_imports_without_qt():
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys

        class BlockQt:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph", "qtpy", "qtconsole", "PyQt5", "PyQt6"):
                    raise ImportError(f"blitzgui.core imported {name}")

        sys.meta_path.insert(0, BlockQt())
        import blitzgui.core
        names = [m.name for m in pkgutil.walk_packages(blitzgui.core.__path__, "blitzgui.core.")]
        for name in names:
            importlib.import_module(name)
        print(len(names), "modules")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[0]) >= 3


def test_the_blocker_really_blocks():
    # Guard against a check that cannot fail: the same blocker must stop a Qt import.
    script = textwrap.dedent(
        """
        import sys
        class BlockQt:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "PySide6":
                    raise ImportError(name)
        sys.meta_path.insert(0, BlockQt())
        import blitzgui.ui.main_window
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
