"""The Qt side of blitzgui (PySide6 + pyqtgraph). Imports blitzgui.core, never the reverse."""
