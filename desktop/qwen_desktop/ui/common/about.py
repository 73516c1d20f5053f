"""App identity: name, version, icon, and the About dialog with the licences."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

APP_NAME = "Qwen Desktop"
DISTRIBUTION = "qwen-desktop"
LICENCE = "Apache License 2.0"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
LICENSES_FILE = "third_party_licenses.txt"


def resources_dir() -> Path:
    """``resources/`` of the source tree, or the copy inside a packaged build."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[4] / "resources"


def app_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def app_icon() -> QIcon:
    icon = QIcon()
    icons = resources_dir() / "icons"
    for size in ICON_SIZES:
        path = icons / f"qwen-desktop-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    scalable = icons / "qwen-desktop.svg"
    if icon.isNull() and scalable.is_file():
        icon.addFile(str(scalable))
    return icon


def third_party_licenses() -> str:
    path = resources_dir() / LICENSES_FILE
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return QCoreApplication.translate("AboutDialog",
                                          "The list of third-party licences is missing from this build.")


class AboutDialog(QDialog):
    """Name, version and licence of the app, then the notices of everything it ships."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setAccessibleName("aboutDialog")
        self.setWindowTitle(self.tr("About %1").replace("%1", APP_NAME))
        self.resize(640, 560)

        logo = QLabel(self)
        logo.setObjectName("aboutLogo")
        logo.setPixmap(app_icon().pixmap(72, 72))
        self.title = QLabel(f"<b style='font-size:18pt'>{APP_NAME}</b>", self)
        self.version = QLabel(self.tr("Version %1").replace("%1", app_version()), self)
        self.version.setObjectName("aboutVersion")
        self.version.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        summary = QLabel(
            self.tr("A desktop chat client for Alibaba Cloud Model Studio and the Qwen models.")
            + "<br>" + self.tr("Licensed under the %1.").replace("%1", LICENCE)
            + "<br>" + self.tr("Built with Qt %1 (PySide6 %2), used under the LGPLv3 and linked "
                               "dynamically.").replace("%1", qVersion()).replace("%2", pyside_version),
            self,
        )
        summary.setObjectName("aboutSummary")
        summary.setWordWrap(True)

        heading = QLabel(self.tr("Third-party software"), self)
        self.licenses = QPlainTextEdit(self)
        self.licenses.setObjectName("thirdPartyLicenses")
        self.licenses.setAccessibleName("thirdPartyLicenses")
        self.licenses.setReadOnly(True)
        self.licenses.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.licenses.setPlainText(third_party_licenses())

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        identity = QVBoxLayout()
        identity.addWidget(self.title)
        identity.addWidget(self.version)
        identity.addWidget(summary)
        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(identity, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(heading)
        layout.addWidget(self.licenses, 1)
        layout.addWidget(buttons)
