"""One window per data directory: a second launch asks the first to come forward, then exits."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

ACTIVATE = b"activate\n"


def instance_name(data_dir: Path) -> str:
    digest = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
    return f"qwen-desktop-{digest}"


class InstanceGuard(QObject):
    """Owns the data directory's local socket and reports each later launch as ``activated``."""

    activated = Signal()

    def __init__(self, server: QLocalServer) -> None:
        super().__init__()
        self.server = server
        server.setParent(self)
        server.newConnection.connect(self._connected)

    @classmethod
    def claim(cls, data_dir: Path, timeout_ms: int = 1000) -> InstanceGuard | None:
        """None when another instance holds ``data_dir``; it has been asked to come forward."""
        name = instance_name(data_dir)
        socket = QLocalSocket()
        socket.connectToServer(name)
        if socket.waitForConnected(timeout_ms):
            socket.write(ACTIVATE)
            socket.waitForBytesWritten(timeout_ms)
            socket.disconnectFromServer()
            return None
        server = QLocalServer()
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(name):
            QLocalServer.removeServer(name)
            if not server.listen(name):
                log.warning("Could not claim the single-instance socket: %s", server.errorString())
        return cls(server)

    def close(self) -> None:
        self.server.close()

    def _connected(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(ACTIVATE.strip()):
            log.info("A second launch asked this window to come forward")
            self.activated.emit()
