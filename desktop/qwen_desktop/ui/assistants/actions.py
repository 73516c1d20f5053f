"""The main window's assistants: new conversations from them, the library, and a conversation's link to one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence

from ...core.assistants import Assistant
from ...core.types import ConversationSettings
from .host import AssistantHost
from .link import AssistantChip, AssistantOffer
from .service import Assistants

if TYPE_CHECKING:
    from .library import AssistantLibraryDialog
    from .picker import AssistantPicker


class AssistantActions(QObject):
    def __init__(self, host: AssistantHost) -> None:
        super().__init__(host.parent)
        self.host = host
        self.assistants = Assistants(host.store, self)
        self.chip = AssistantChip(host.parent)
        self.offer = AssistantOffer(host.parent)
        self.library: AssistantLibraryDialog | None = None
        self.picker: AssistantPicker | None = None
        self._shown: Assistant | None = None
        self._palette: list[QAction] | None = None
        self.new_with_action = self._action("newWithAssistantAction", self.tr("New conversation &with…"),
                                            ["Ctrl+Shift+N"], self.open_picker)
        self.library_action = self._action("assistantsAction", self.tr("&Assistants…"), ["Ctrl+Shift+A"],
                                           lambda: self.open_library())
        self.save_action = self._action("saveAssistantAction", self.tr("Save settings as an &assistant…"), [],
                                        self.create_from_conversation)
        self.update_action = self._action("updateAssistantAction", self.tr("&Update the assistant from this "
                                                                           "conversation"), [], self.update_assistant)
        self.detach_action = self._action("detachAssistantAction", self.tr("&Detach from the assistant"), [],
                                          self.detach)
        menu = self.chip.menu()
        for made in (self.new_with_action, None, self.update_action, self.detach_action, self.save_action,
                     None, self.library_action):
            if made is None:
                menu.addSeparator()
            else:
                menu.addAction(made)
        self.offer.updateRequested.connect(self.update_assistant)
        self.offer.detachRequested.connect(self.detach)
        self.assistants.failed.connect(self._failed)
        self.assistants.changed.connect(self.refresh)

    def _failed(self, sentence: str) -> None:
        if self.library is None or not self.library.isVisible():
            self.host.show_notice(sentence)

    def _action(self, name: str, text: str, keys: list[str], slot: Callable[[], object]) -> QAction:
        made = QAction(text, self.host.parent)
        made.setObjectName(name)
        made.setShortcuts([QKeySequence(k) for k in keys])
        made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        made.triggered.connect(lambda _checked=False: slot())
        self.host.parent.addAction(made)
        return made

    # ---- start-up

    def start(self) -> None:
        """The starter set, once per database, in the interface language: after the first paint."""
        QTimer.singleShot(0, lambda: self.assistants.run(
            lambda: self.assistants.library.ensure_starters(self.host.language()), self._starters_added))

    def _starters_added(self, added: int) -> None:
        """The first start: the new conversation on screen, still untouched, takes the default assistant."""
        shown = self.host.current_settings()
        if added and self.host.current_id() is None and shown == self.host.defaults():
            self.host.change_settings(self.starting_settings())

    # ---- new conversations

    def starting_settings(self, aid: str | None = None) -> ConversationSettings:
        """A new conversation's settings: the defaults with the assistant (or the default one) laid over."""
        defaults = self.host.defaults()
        chosen = self.assistants.get(aid) if aid else self.assistants.default()
        return chosen.apply(defaults) if chosen is not None else defaults

    def new_conversation_with(self, aid: str) -> None:
        if self.assistants.get(aid) is None:
            self.host.show_notice(self.tr("That assistant no longer exists."))
            return
        self.host.start_conversation(self.starting_settings(aid))

    def open_picker(self) -> None:
        from .picker import AssistantPicker

        if self.picker is not None:
            self.picker.close()
        picker = AssistantPicker(self.assistants.all(), self.host.defaults().model, self.host.parent)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.chosen.connect(self.new_conversation_with)
        picker.manageRequested.connect(lambda: self.open_library())
        picker.destroyed.connect(lambda _object=None: self._picker_gone(picker))
        self.picker = picker
        picker.open()

    def _picker_gone(self, picker: AssistantPicker) -> None:
        if self.picker is picker:
            self.picker = None

    def palette_actions(self) -> list[QAction]:
        """"New conversation with <assistant>" for each assistant (made again after a change)."""
        if self._palette is None:
            self._palette = []
            for assistant in self.assistants.all():
                entry = QAction(self.tr("New conversation with %1").replace("%1", assistant.name.replace("&", "&&")),
                                self)
                entry.setObjectName(f"newWith:{assistant.id}")
                entry.triggered.connect(lambda _checked=False, aid=assistant.id: self.new_conversation_with(aid))
                self._palette.append(entry)
        return self._palette

    # ---- the library

    def open_library(self, select: str | None = None) -> AssistantLibraryDialog:
        from .library import AssistantLibraryDialog

        if self.library is None:
            self.library = AssistantLibraryDialog(self.assistants, self.host, self.host.parent)
            self.library.startRequested.connect(self.new_conversation_with)
        self.library.reload(select or (self._shown.id if self._shown else None))
        self.library.show()
        self.library.raise_()
        self.library.activateWindow()
        self.library.search.setFocus()
        return self.library

    def create_from_conversation(self) -> None:
        self.open_library().create_from(self.host.current_settings())

    # ---- the open conversation's assistant

    def settings_shown(self, settings: ConversationSettings) -> None:
        """A conversation (or a new one) is shown: its assistant on the chip, no offer yet."""
        self.offer.hide()
        self._show(settings)

    def settings_changed(self, settings: ConversationSettings) -> None:
        """The user changed the shown conversation's settings: offer update/detach if they drifted."""
        assistant = self._show(settings)
        if assistant is not None and assistant.differences(settings, self.host.defaults()):
            self.offer.offer(assistant)
        else:
            self.offer.hide()

    def pulled(self) -> None:
        """Sync brought other devices' assistants: the chip, the palette and an open library follow."""
        self.assistants.changed.emit()

    def refresh(self) -> None:
        for entry in self._palette or []:
            entry.deleteLater()
        self._palette = None
        self._show(self.host.current_settings())
        if self.picker is not None and self.picker.isVisible():
            self.open_picker()

    def _show(self, settings: ConversationSettings) -> Assistant | None:
        assistant = self.assistants.get(settings.assistant_id)
        self._shown = assistant
        self.chip.show_assistant(assistant)
        self.update_action.setEnabled(assistant is not None)
        self.detach_action.setEnabled(assistant is not None)
        return assistant

    def update_assistant(self) -> None:
        settings = self.host.current_settings()
        assistant = self.assistants.get(settings.assistant_id)
        if assistant is None:
            self.offer.hide()
            return
        updated = Assistant.from_settings(assistant.name, settings, self.host.defaults()).with_(
            id=assistant.id, icon=assistant.icon, colour=assistant.colour, is_default=assistant.is_default,
            starter=assistant.starter)

        def stored(_result: object) -> None:
            self.offer.hide()
            self.host.show_notice(self.tr("The assistant “%1” now has this conversation's settings.")
                                  .replace("%1", assistant.name))

        self.assistants.run(lambda: self.assistants.library.update(updated), stored)

    def detach(self) -> None:
        self.offer.hide()
        settings = self.host.current_settings()
        if settings.assistant_id is not None:
            self.host.change_settings(settings.with_(assistant_id=None))
