"""First run: pick a region, paste a key, and the key is saved only once it is known to work."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QHideEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from qwen_desktop.core.errors import QwenError
from qwen_desktop.core.services import Services
from qwen_desktop.ui.common.error_text import error_sentence
from qwen_desktop.ui.common.formatting import region_name
from qwen_desktop.ui.settings.key_test import (
    KeyField,
    KeyTestResult,
    KeyTestRunner,
    RegionChoice,
    StatusLine,
    muted,
    named,
)

UrlOpener = Callable[[QUrl], object]

SEGMENTS = (("intl", "Singapore", "welcomeRegionSingapore"), ("cn", "China (Beijing)", "welcomeRegionBeijing"))


UNREACHABLE_KINDS = frozenset({"network", "timeout", "endpoint_not_found", "dropped"})
"""For a built-in region the address is right: these failures are the connection's, not the address's."""


class WelcomePanel(QWidget):
    """Shown while no region has a key; ``completed(region_id)`` once one is saved."""

    completed = Signal(str)
    customRegionRequested = Signal()

    def __init__(
        self,
        services: Services,
        open_url: UrlOpener = QDesktopServices.openUrl,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        named(self, "welcomePanel")
        self._services = services
        self._open_url = open_url
        self._detected: str | None = None
        self._tested_key = ""
        self.runner = KeyTestRunner(services.client, services.regions, self)
        self.runner.resultReady.connect(self._tested)

        title = QLabel("Qwen Desktop")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setWeight(QFont.Weight.DemiBold)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tagline = muted(self.tr("Chat with Qwen models on Alibaba Cloud Model Studio, right from your desktop."))
        tagline.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.region = RegionChoice(services.regions, SEGMENTS, "welcomeOtherRegion", others_only=True)
        self.region.set_region(services.config.default_region)
        self.key_link = named(QLabel(), "keyPageLink")
        self.key_link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.key = named(KeyField(), "welcomeKey")
        self.key.setPlaceholderText(self.tr("Paste your API key (sk-…)"))
        self.test_button = named(QPushButton(self.tr("Test and save")), "testAndSave")
        self.test_button.setDefault(True)
        self.cancel_button = named(QPushButton(self.tr("Cancel")), "cancelTest")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.hide()
        self.status = named(StatusLine(), "welcomeStatus")
        self.custom_region = named(QPushButton(self.tr("Use a company gateway or another address…")),
                                   "welcomeCustomRegion")
        self.custom_region.setFlat(True)
        self.custom_region.setAutoDefault(False)
        self.custom_region.setCursor(Qt.CursorShape.PointingHandCursor)
        self.save_detected = named(QPushButton(), "saveDetected")
        self.save_detected.hide()
        note = muted(self.tr("The key is kept in your system keyring. You can add keys for other regions "
                             "later in Settings."))

        key_row = QHBoxLayout()
        key_row.setSpacing(8)
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.test_button)
        key_row.addWidget(self.cancel_button)
        detected_row = QHBoxLayout()
        detected_row.addWidget(self.save_detected)
        detected_row.addStretch(1)

        card = QFrame()
        card.setObjectName("welcomeCard")
        card.setMaximumWidth(520)
        column = QVBoxLayout(card)
        column.setSpacing(10)
        column.addWidget(title)
        column.addWidget(tagline)
        column.addSpacing(18)
        column.addWidget(self._heading(self.tr("Where is your Model Studio account?")))
        column.addWidget(self.region)
        custom_row = QHBoxLayout()
        custom_row.addWidget(self.custom_region)
        custom_row.addStretch(1)
        column.addLayout(custom_row)
        column.addSpacing(10)
        column.addWidget(self._heading(self.tr("API key")))
        column.addLayout(key_row)
        column.addWidget(self.key_link)
        column.addWidget(self.status)
        column.addLayout(detected_row)
        column.addSpacing(10)
        column.addWidget(note)

        centered = QHBoxLayout()
        centered.addStretch(1)
        centered.addWidget(card, 3)
        centered.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(2)
        outer.addLayout(centered)
        outer.addStretch(3)

        self.region.changed.connect(self._region_changed)
        self.key_link.linkActivated.connect(self._open_key_page)
        self.key.textEdited.connect(self._reset)
        self.key.returnPressed.connect(self.test_and_save)
        self.test_button.clicked.connect(self.test_and_save)
        self.save_detected.clicked.connect(self._save_detected)
        self.cancel_button.clicked.connect(self._cancel_test)
        self.custom_region.clicked.connect(self.customRegionRequested)
        self._region_changed(self.region.region_id())

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(text)
        font = QFont(label.font())
        font.setWeight(QFont.Weight.DemiBold)
        label.setFont(font)
        return label

    def regions_changed(self) -> None:
        """Custom regions added in Settings appear in the list, and one just added is chosen."""
        known = {self.region.all.itemData(i) for i in range(self.region.all.count())}
        chosen = self.region_id()
        self.region.reload()
        added = [r.id for r in self._services.regions.all() if r.id not in known]
        self.region.set_region(added[-1] if added else chosen)
        self._region_changed(self.region_id())

    def region_id(self) -> str:
        return self.region.region_id()

    def _region_changed(self, region_id: str) -> None:
        region = self._services.regions.get(region_id)
        if region.key_page:
            self.key_link.setText(self.tr('<a href="%1">Get an API key</a> for %2').replace(
                "%1", region.key_page).replace("%2", region_name(region)))
        self.key_link.setVisible(bool(region.key_page))
        self._reset()

    def _open_key_page(self, link: str) -> None:
        self._open_url(QUrl(link))

    def _reset(self) -> None:
        self.runner.cancel()
        self._detected = None
        self.save_detected.hide()
        self.status.clear_message()
        self.test_button.setEnabled(True)
        self.cancel_button.hide()

    def _cancel_test(self) -> None:
        self._reset()
        self.status.show_note(self.tr("Test cancelled: the key was not saved."))
        self.key.setFocus()

    def test_and_save(self) -> None:
        key = self.key.text().strip()
        if not key:
            self.status.show_failure(self.tr("Paste your API key first."))
            return
        self._reset()
        self._tested_key = key
        region = self._services.regions.get(self.region_id())
        self.status.show_busy(self.tr("Testing the key with %1…").replace("%1", region_name(region)))
        self.test_button.setEnabled(False)
        self.cancel_button.show()
        self.runner.start(region.id, key)

    def _tested(self, result: KeyTestResult) -> None:
        self.test_button.setEnabled(True)
        self.cancel_button.hide()
        if result.ok:
            self._save(self.region_id())
            return
        region = self._services.regions.get(self.region_id())
        if region.builtin and result.kind in UNREACHABLE_KINDS:
            self.status.show_failure(self.tr(
                "%1 could not be reached: check the internet connection, or a proxy or firewall "
                "in between, then test again.").replace("%1", region_name(region)))
            return
        self.status.show_result(result)
        self._detected = result.detected_region
        if self._detected:
            name = region_name(self._services.regions.get(self._detected))
            self.save_detected.setText(self.tr("Save it for %1").replace("%1", name))
            self.save_detected.show()

    def _save_detected(self) -> None:
        if self._detected:
            self.region.set_region(self._detected)
            self._save(self._detected)

    def _save(self, region_id: str) -> None:
        try:
            self._services.keys.set(region_id, self._tested_key)
        except QwenError as error:
            self.status.show_failure(error_sentence(error))
            return
        self.save_detected.hide()
        self.key.clear()
        name = region_name(self._services.regions.get(region_id))
        self.status.show_success(self.tr("The key works for %1 and is saved.").replace("%1", name))
        self.completed.emit(region_id)

    def cancel(self) -> None:
        self.runner.cancel()

    def hideEvent(self, event: QHideEvent) -> None:
        self.cancel()
        super().hideEvent(event)
