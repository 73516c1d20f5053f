"""The floor for start-up: a bare PySide6 window with one text view, nothing else."""

import sys

from PySide6.QtWidgets import QApplication, QMainWindow, QTextEdit

app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QTextEdit())
window.resize(1180, 780)
window.show()
sys.exit(app.exec())
