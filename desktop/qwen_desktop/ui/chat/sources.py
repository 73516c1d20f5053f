"""The numbered Sources list under a searched reply, and the note for replies without sources.

Titles and site names come from web pages: they are shown as plain text only. The only rich text
is each row's link, whose address passed ``websearch.safe_url`` and is escaped here; a click
emits ``linkActivated`` (the window opens it), nothing opens or loads by itself.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from qwen_desktop.core.types import Source
from qwen_desktop.core.websearch import host
from qwen_desktop.ui.chat.footer import small_label


def plain_label(text: str, parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SourcesPanel(QFrame):
    linkActivated = Signal(str)

    def __init__(self, link_color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourcesPanel")
        self.link_color = link_color
        self.sources: tuple[Source, ...] = ()
        self.rows: list[tuple[QLabel, QLabel, QLabel | None]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        self.heading = small_label(self.tr("Sources"), self, "sourcesHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self._grid_host = QWidget(self)
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(1, 1)
        layout.addWidget(self._grid_host)

    def set_sources(self, sources: Sequence[Source]) -> None:
        sources = tuple(sources)
        if sources == self.sources:
            return
        self.sources = sources
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows = []
        for row, source in enumerate(sources):
            number = small_label(f"{source.number}.", self._grid_host, "sourceNumber")
            number.setTextFormat(Qt.TextFormat.PlainText)
            title = plain_label(source.title, self._grid_host, "sourceTitle")
            site = plain_label(source.site_name, self._grid_host, "sourceSite")
            site.setVisible(bool(source.site_name))
            link = self._link(source) if source.url else None
            column = QVBoxLayout()
            column.setSpacing(0)
            column.addWidget(title)
            line = QHBoxLayout()
            line.setSpacing(6)
            line.addWidget(site)
            if link is not None:
                line.addWidget(link)
            line.addStretch(1)
            column.addLayout(line)
            self._grid.addWidget(number, row, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addLayout(column, row, 1)
            self.rows.append((title, site, link))
        self.setVisible(bool(sources))

    def restyle(self, link_color: str) -> None:
        if link_color != self.link_color:
            self.link_color = link_color
            sources, self.sources = self.sources, ()
            self.set_sources(sources)

    def _link(self, source: Source) -> QLabel:
        shown = host(source.url) or source.url
        label = QLabel(self._grid_host)
        label.setObjectName("sourceLink")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setText(f'<a href="{html.escape(source.url, quote=True)}" '
                      f'style="color: {self.link_color};">{html.escape(shown)}</a>')
        label.setOpenExternalLinks(False)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                      | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        label.setToolTip(source.url)
        label.linkActivated.connect(self.linkActivated)
        return label


class SearchNote(QFrame):
    """Under a reply searched over the compatible protocol, which returns no sources."""

    switchRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchNote")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 0)
        row.setSpacing(8)
        self.label = small_label(
            self.tr("Searched the web — sources are only returned on the DashScope protocol."),
            self, "searchNoteText")
        self.label.setWordWrap(True)
        self.button = QPushButton(self.tr("Switch to DashScope"), self)
        self.button.setObjectName("switchToNative")
        self.button.setToolTip(self.tr("Use the DashScope native protocol for this conversation"))
        self.button.clicked.connect(self.switchRequested)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
