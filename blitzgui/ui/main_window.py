"""The main window: one tab per panel, menus, a status bar naming the compute device.

The window is built in two steps so it appears fast: `MainWindow()` needs only Qt and paints at
once; `load_panels()` then imports torch (seconds) and builds the panels in place of their
"Loading" labels.
"""

from __future__ import annotations

import importlib
import platform
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QProcess, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from blitzgui import __version__
from blitzgui.ui.i18n import LANGUAGES

# name -> (module, class, title); titles are translated in the "MainWindow" context.
PANELS: dict[str, tuple[str, str, str]] = {
    "tensors": ("blitzgui.ui.tensor_panel", "TensorPanel", QT_TRANSLATE_NOOP("MainWindow", "Tensors")),
    "autograd": ("blitzgui.ui.autograd_panel", "AutogradPanel", QT_TRANSLATE_NOOP("MainWindow", "Autograd")),
    "builder": ("blitzgui.ui.builder_panel", "BuilderPanel", QT_TRANSLATE_NOOP("MainWindow", "Builder")),
    "training": ("blitzgui.ui.training_panel", "TrainingPanel", QT_TRANSLATE_NOOP("MainWindow", "Training")),
    "lessons": ("blitzgui.ui.lessons_panel", "LessonsPanel", QT_TRANSLATE_NOOP("MainWindow", "Lessons")),
}


def settings() -> QSettings:
    return QSettings("blitzgui", "blitzgui")


class MainWindow(QMainWindow):
    first_painted = Signal()
    panels_loaded = Signal()

    def __init__(self, options: Any):
        super().__init__()
        self.options = options
        self.session = None  # a core.Session once load_panels() ran
        self.context = None
        self.panels: dict[str, QWidget] = {}
        self._painted = False
        self.setWindowTitle(self.tr("blitzgui — learn PyTorch by touching it"))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for name, (_module, _cls, title) in PANELS.items():
            loading = QLabel(self.tr("Loading PyTorch…"))
            loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.tabs.addTab(loading, QCoreApplication.translate("MainWindow", title))
        self.setCentralWidget(self.tabs)
        self.device_label = QLabel(self.tr("Device: …"))
        self.notice_label = QLabel()
        self.notice_label.setStyleSheet("color: #b35900; font-weight: bold;")
        self.statusBar().addPermanentWidget(self.notice_label)
        self.statusBar().addPermanentWidget(self.device_label)
        self._build_menus()
        self._restore_settings()
        self.tabs.currentChanged.connect(self._remember_panel)

    # -- building --------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.file_menu = file_menu

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        for number, (name, (_module, _cls, title)) in enumerate(PANELS.items(), start=1):
            action = QAction(QCoreApplication.translate("MainWindow", title), self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, n=name: self.show_panel(n))
            view_menu.addAction(action)

        language_menu = self.menuBar().addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        for code, label in LANGUAGES.items():
            action = QAction(label, self, checkable=True)
            action.setChecked(code == self.options.lang)
            action.setData(code)
            group.addAction(action)
            language_menu.addAction(action)
        group.triggered.connect(self._language_chosen)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About blitzgui"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def load_panels(self) -> None:
        """Import torch, create the session and build every panel (the slow part of start-up)."""
        if self.panels:
            return
        from blitzgui.core.devices import resolve_device
        from blitzgui.core.session import Session
        from blitzgui.ui.context import AppContext

        device = resolve_device(self.options.device)
        self.session = Session()
        self.context = AppContext(session=self.session, device=device, data_dir=Path(self.options.data_dir))
        self.device_label.setText(self.tr("Device: {}").format(device.name))
        if device.notice:
            self.notice_label.setText(device.notice)
            self.notice_label.setToolTip(device.notice)
        current = self.tabs.currentIndex()
        for index, (name, (module, cls, title)) in enumerate(PANELS.items()):
            panel = getattr(importlib.import_module(module), cls)(self.context)
            self.panels[name] = panel
            old = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, panel, QCoreApplication.translate("MainWindow", title))
            old.deleteLater()
        self.tabs.setCurrentIndex(current)
        self.session.on("show_panel", self.show_panel)
        self.panels_loaded.emit()

    # -- automation API ---------------------------------------------------------------------
    def show_panel(self, name: str) -> QWidget | None:
        if name not in PANELS:
            raise KeyError(f"unknown panel {name!r}; panels are {', '.join(PANELS)}")
        self.tabs.setCurrentIndex(list(PANELS).index(name))
        return self.panels.get(name)

    def execute(self, code: str) -> Any:
        """Run code exactly as if typed into the REPL (visible there); returns its result."""
        return self.panels["tensors"].execute(code)

    def current_panel(self) -> str:
        return list(PANELS)[self.tabs.currentIndex()]

    # -- menus -------------------------------------------------------------------------------
    def show_about(self) -> QMessageBox:
        import PySide6
        import torch

        device = self.context.device.name if self.context else "…"
        text = self.tr(
            "<h3>blitzgui {version}</h3><p>A learning playground for PyTorch's "
            "<i>Deep Learning with PyTorch: A 60 Minute Blitz</i>.</p>"
            "<p>PyTorch {torch}<br>Qt {qt} (PySide6 {pyside})<br>Python {python}<br>Device: {device}</p>"
        ).format(
            version=__version__,
            torch=torch.__version__,
            qt=PySide6.QtCore.qVersion(),
            pyside=PySide6.__version__,
            python=platform.python_version(),
            device=device,
        )
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("About blitzgui"), text, parent=self)
        box.open()
        return box

    def _language_chosen(self, action: QAction) -> None:
        code = action.data()
        settings().setValue("language", code)
        if code == self.options.lang:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Language"),
            self.tr("The language changes when blitzgui restarts. Restart now?"),
        )
        if answer == QMessageBox.StandardButton.Yes and self.close():
            argv = [a for a in sys.argv[1:] if not a.startswith("--lang")]
            QProcess.startDetached(sys.executable, [sys.argv[0], *argv, "--lang", code])

    # -- settings and life cycle -------------------------------------------------------------
    def _restore_settings(self) -> None:
        stored = settings()
        geometry = stored.value("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 820)
        panel = self.options.panel or stored.value("panel", "tensors")
        if panel in PANELS:
            self.tabs.setCurrentIndex(list(PANELS).index(panel))

    def _remember_panel(self, index: int) -> None:
        settings().setValue("panel", list(PANELS)[index])

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        # A panel may refuse (unsaved work) by returning False from confirm_close().
        for panel in self.panels.values():
            confirm = getattr(panel, "confirm_close", None)
            if confirm is not None and not confirm():
                event.ignore()
                return
        for panel in self.panels.values():
            shutdown = getattr(panel, "shutdown", None)
            if shutdown is not None:
                shutdown()
        settings().setValue("geometry", self.saveGeometry())
        event.accept()
