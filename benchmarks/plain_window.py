"""The reference for start-up: a bare QMainWindow, no torch, quitting at its first paint."""

import sys

from PySide6.QtWidgets import QApplication, QMainWindow


class Window(QMainWindow):
    def paintEvent(self, event):
        super().paintEvent(event)
        QApplication.instance().quit()


app = QApplication(sys.argv[:1])
window = Window()
window.resize(1280, 820)
window.show()
app.exec()
