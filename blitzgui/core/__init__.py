"""The model side of blitzgui: torch, torchvision and numpy only, never Qt.

Everything here is importable and testable without a display; the ui package builds on it.
"""
