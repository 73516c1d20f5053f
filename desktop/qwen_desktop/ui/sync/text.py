"""Sync's sentences (spoken in English by the core) in the interface language."""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from qwen_desktop.ui.common.error_text import translate_text

CONTEXT = "SyncErrors"

SENTENCES = (
    QT_TRANSLATE_NOOP("SyncErrors", "The sync location could not be reached."),
    QT_TRANSLATE_NOOP("SyncErrors", "A file in the sync location has gone."),
    QT_TRANSLATE_NOOP("SyncErrors", "A file in the sync location changed while it was being written."),
    QT_TRANSLATE_NOOP("SyncErrors", "The sync passphrase is not the one this sync location was set up with."),
    QT_TRANSLATE_NOOP(
        "SyncErrors",
        "The sync location holds a qwen-sync.json this version of Qwen Desktop cannot read; "
        "it may belong to a newer version."),
    QT_TRANSLATE_NOOP("SyncErrors", "The WebDAV server did not accept the user name or password."),
    QT_TRANSLATE_NOOP("SyncErrors", "The WebDAV server does not let this account change files in this folder."),
    QT_TRANSLATE_NOOP("SyncErrors", "The WebDAV address was not found on the server: check the address."),
    QT_TRANSLATE_NOOP(
        "SyncErrors", "The WebDAV server has no space left (Insufficient Storage): free some space on it."),
    QT_TRANSLATE_NOOP("SyncErrors", "The WebDAV server refused a file as too large."),
    QT_TRANSLATE_NOOP(
        "SyncErrors", "The WebDAV server's certificate could not be verified, so nothing was sent to it."),
    QT_TRANSLATE_NOOP(
        "SyncErrors", "The WebDAV server could not be reached: check the address and the network connection."),
    QT_TRANSLATE_NOOP("SyncErrors", "The WebDAV server stopped answering (timed out)."),
    QT_TRANSLATE_NOOP("SyncErrors", "The WebDAV server had a problem; syncing will try again later."),
    QT_TRANSLATE_NOOP("SyncErrors", "The WebDAV server asked to slow down; syncing will try again later."),
    QT_TRANSLATE_NOOP("SyncErrors", "The WebDAV server sent an answer this app could not read."),
    QT_TRANSLATE_NOOP(
        "SyncErrors",
        "The WebDAV server sends this address elsewhere: enter the final address "
        "(often ending in /remote.php/dav/files/NAME/)."),
    QT_TRANSLATE_NOOP("SyncErrors", "Enter the WebDAV address starting with https://."),
    QT_TRANSLATE_NOOP(
        "SyncErrors",
        "The WebDAV address must not contain a user name or password: enter them in their own fields."),
    QT_TRANSLATE_NOOP(
        "SyncErrors", "Use an https:// address: over http:// the password would cross the network unencrypted."),
    QT_TRANSLATE_NOOP("SyncErrors", "The WebDAV address must not contain ? or #."),
    QT_TRANSLATE_NOOP(
        "SyncErrors", "The sync passphrase is not in the system keyring: set sync up again in Settings."),
    QT_TRANSLATE_NOOP(
        "SyncErrors", "Sync stopped because of an unexpected problem; the details are in the log file."),
    QT_TRANSLATE_NOOP("SyncErrors", "The sync passphrase needs at least 8 characters."),
    QT_TRANSLATE_NOOP(
        "SyncErrors", "The sync folder does not exist: create it (or let your sync engine create it) first."),
    QT_TRANSLATE_NOOP(
        "SyncErrors", "No usable system keyring was found, so the sync passphrase cannot be kept safely."),
    QT_TRANSLATE_NOOP(
        "SyncErrors",
        "A file in the sync location does not hold what its name says. It was skipped and will be tried "
        "again at the next sync."),
)
PATTERNS = (
    QT_TRANSLATE_NOOP("SyncErrors", "The sync folder %1 does not exist or is not a folder."),
    QT_TRANSLATE_NOOP("SyncErrors", "The sync location could not be used (%1)."),
    QT_TRANSLATE_NOOP(
        "SyncErrors", "%1 is cut short. It was skipped and will be tried again at the next sync."),
    QT_TRANSLATE_NOOP(
        "SyncErrors",
        "%1 is damaged or was not written for this sync location. It was skipped and will be tried again "
        "at the next sync."),
)


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"(%\d)", template)
    return re.compile("".join("(.+?)" if re.fullmatch(r"%\d", p) else re.escape(p) for p in parts) + "$")


_KNOWN = frozenset(SENTENCES)
_PATTERNS = tuple((template, _compile(template)) for template in PATTERNS)


def sync_text(sentence: str) -> str:
    """The sentence translated when this app knows it; otherwise as the core wrote it."""
    if sentence in _KNOWN:
        return QCoreApplication.translate(CONTEXT, sentence)
    for template, pattern in _PATTERNS:
        match = pattern.match(sentence)
        if match:
            text = QCoreApplication.translate(CONTEXT, template)
            for number, value in enumerate(match.groups(), start=1):
                text = text.replace(f"%{number}", value)
            return text
    return translate_text(sentence)
