"""Settings › Sync: set sync up through a folder or a WebDAV server, pause it, sync now, or leave it."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qwen_desktop.core.errors import QwenError
from qwen_desktop.ui.sync.service import SyncService, SyncState
from qwen_desktop.ui.sync.status import status_text
from qwen_desktop.ui.sync.text import sync_text


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setObjectName(name)
    widget.setAccessibleName(name)
    return widget


class SyncPage(QWidget):
    def __init__(self, service: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncPage")
        self.service = service
        self._task: asyncio.Task[None] | None = None
        self._box: QMessageBox | None = None
        self._chooser: QFileDialog | None = None
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._build_setup())
        self.stack.addWidget(self._build_active())
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        service.stateChanged.connect(self.show_state)
        self.show_state(service.state)

    # ---- building

    def _build_setup(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(self.tr(
            "Keep the same conversations on every computer. Everything is encrypted with your passphrase "
            "before it leaves this computer: the folder or the server only ever holds ciphertext."), page)
        intro.setWordWrap(True)
        self.folder_choice = _named(QRadioButton(self.tr("A synced folder (Syncthing, Nextcloud, Dropbox, "
                                                         "a network share…)"), page), "syncFolderChoice")
        self.webdav_choice = _named(QRadioButton(self.tr("A WebDAV server"), page), "syncWebdavChoice")
        self.folder_choice.setChecked(True)
        group = QButtonGroup(page)
        group.addButton(self.folder_choice)
        group.addButton(self.webdav_choice)
        self.folder = _named(QLineEdit(page), "syncFolder")
        self.folder.setPlaceholderText(self.tr("The folder your sync engine keeps the same everywhere"))
        self.choose = _named(QPushButton(self.tr("Choose…"), page), "syncChooseFolder")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose)
        self.url = _named(QLineEdit(page), "syncUrl")
        self.url.setPlaceholderText("https://cloud.example.com/remote.php/dav/files/NAME/qwen/")
        self.username = _named(QLineEdit(page), "syncUsername")
        self.password = _named(QLineEdit(page), "syncPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase = _named(QLineEdit(page), "syncPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = _named(QLineEdit(page), "syncPassphraseRepeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.set_up_button = _named(QPushButton(self.tr("Set up sync"), page), "syncSetUp")
        self.message = _named(QLabel(page), "syncMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.form = QFormLayout()
        self.form.addRow(self.tr("Folder:"), folder_row)
        self.form.addRow(self.tr("Address:"), self.url)
        self.form.addRow(self.tr("User name:"), self.username)
        self.form.addRow(self.tr("Password:"), self.password)
        self.form.addRow(self.tr("Passphrase:"), self.passphrase)
        self.form.addRow(self.tr("Passphrase again:"), self.repeat)
        hint = QLabel(self.tr("Use the same passphrase on every computer. It cannot be recovered: "
                              "without it the synced copy cannot be read."), page)
        hint.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.folder_choice)
        layout.addWidget(self.webdav_choice)
        layout.addLayout(self.form)
        layout.addWidget(hint)
        row = QHBoxLayout()
        row.addWidget(self.set_up_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addStretch(1)

        self.folder_choice.toggled.connect(self._kind_changed)
        self.choose.clicked.connect(self._choose_folder)
        self.set_up_button.clicked.connect(self.set_up)
        self._kind_changed()
        return page

    def _build_active(self) -> QWidget:
        page = QWidget(self)
        self.where = _named(QLabel(page), "syncWhere")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state_label = _named(QLabel(page), "syncState")
        self.state_label.setWordWrap(True)
        self.sync_now_button = _named(QPushButton(self.tr("Sync now"), page), "syncNow")
        self.pause_button = _named(QPushButton(self.tr("Pause"), page), "syncPause")
        self.leave_button = _named(QPushButton(self.tr("Leave sync…"), page), "syncLeave")
        note = QLabel(self.tr("Leaving stops syncing on this computer and forgets the passphrase here; "
                              "every conversation stays on this computer."), page)
        note.setWordWrap(True)
        row = QHBoxLayout()
        for button in (self.sync_now_button, self.pause_button, self.leave_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.where)
        layout.addWidget(self.state_label)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addStretch(1)
        self.sync_now_button.clicked.connect(lambda: self.service.sync_now())
        self.pause_button.clicked.connect(self._toggle_pause)
        self.leave_button.clicked.connect(self._confirm_leave)
        return page

    # ---- state

    def show_state(self, state: SyncState) -> None:
        self.stack.setCurrentIndex(1 if state.configured else 0)
        if not state.configured:
            return
        self.where.setText(self.tr("Syncing with %1").replace("%1", state.where))
        self.state_label.setText(status_text(state))
        self.pause_button.setText(self.tr("Resume") if state.paused else self.tr("Pause"))
        self.sync_now_button.setEnabled(not state.running and not state.paused)

    def _kind_changed(self) -> None:
        folder = self.folder_choice.isChecked()
        self.form.setRowVisible(0, folder)
        for row in (1, 2, 3):
            self.form.setRowVisible(row, not folder)

    def _choose_folder(self) -> None:
        self._chooser = QFileDialog(self, self.tr("Sync folder"))
        self._chooser.setFileMode(QFileDialog.FileMode.Directory)
        self._chooser.setOption(QFileDialog.Option.ShowDirsOnly, True)
        self._chooser.fileSelected.connect(self.folder.setText)
        self._chooser.open()

    def _fail(self, sentence: str) -> None:
        self.message.setText(sentence)
        self.message.setStyleSheet("color: #c0392b;")

    # ---- actions

    def set_up(self) -> None:
        if self._task is not None and not self._task.done():
            return
        passphrase = self.passphrase.text()
        if passphrase != self.repeat.text():
            self._fail(self.tr("The two passphrases differ."))
            return
        from qwen_desktop.core.sync.settings import default_device_name, new_device_id

        current = self.service.settings()
        base = current.with_(device_id=current.device_id or new_device_id(),
                             device_name=current.device_name or default_device_name())
        if self.folder_choice.isChecked():
            if not self.folder.text().strip():
                self._fail(self.tr("Choose the folder to sync through."))
                return
            chosen = base.with_(kind="folder", folder=self.folder.text().strip(), url="", username="")
        else:  # the address is checked with the rest, off the Qt thread
            chosen = base.with_(kind="webdav", url=self.url.text().strip(),
                                username=self.username.text().strip(), folder="")
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Checking the sync location…"))
        self.set_up_button.setEnabled(False)
        self._task = asyncio.ensure_future(self._set_up(chosen, passphrase, self.password.text()))

    async def _set_up(self, settings: object, passphrase: str, password: str) -> None:
        try:
            await self.service.set_up(settings, passphrase, password)  # type: ignore[arg-type]
        except QwenError as error:
            self._fail(sync_text(error.sentence))
        except OSError as error:
            self._fail(QCoreApplication.translate("SyncErrors", "The sync location could not be used (%1).").replace(
                "%1", error.strerror or type(error).__name__))
        else:
            self.message.setText("")
            for field in (self.passphrase, self.repeat, self.password):
                field.clear()
        finally:
            self.set_up_button.setEnabled(True)

    def _toggle_pause(self) -> None:
        try:
            self.service.pause(not self.service.state.paused)
        except (QwenError, OSError) as error:
            self.state_label.setText(sync_text(getattr(error, "sentence", str(error))))

    def _confirm_leave(self) -> None:
        self._box = QMessageBox(QMessageBox.Icon.Question, self.tr("Leave sync"),
                                self.tr("Stop syncing on this computer? Its conversations stay here, and "
                                        "the synced copy stays where it is for your other computers."),
                                QMessageBox.StandardButton.Cancel, self)
        self._box.setObjectName("leaveSyncBox")
        leave = self._box.addButton(self.tr("Leave sync"), QMessageBox.ButtonRole.AcceptRole)
        leave.setObjectName("leaveSyncConfirm")

        def answered(_result: int) -> None:
            if self._box is not None and self._box.clickedButton() is leave:
                self._task = asyncio.ensure_future(self.service.leave())

        self._box.finished.connect(answered)
        self._box.open()
