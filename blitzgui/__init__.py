"""blitzgui: a desktop learning playground for PyTorch's 60 Minute Blitz."""

__version__ = "0.1.0"
