"""The client's error sentences in the interface language.

The core speaks English: each error has a ``kind`` and a ``sentence``. Here the kind (or the exact
English sentence, for the few sentences that carry more detail) picks a translated sentence; an
unknown kind keeps its English sentence. The server's own message is never translated.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from qwen_desktop.core.errors import QwenError

from .formatting import REGION_NAMES

CONTEXT = "Errors"

KIND_SENTENCES: dict[str, str] = {
    "error": QT_TRANSLATE_NOOP("Errors", "Something went wrong."),
    "api": QT_TRANSLATE_NOOP("Errors", "The service returned an error."),
    "invalid_key": QT_TRANSLATE_NOOP("Errors", "The API key was rejected for this region."),
    "rate_limited": QT_TRANSLATE_NOOP(
        "Errors", "Too many requests right now: the service asked to slow down."),
    "quota": QT_TRANSLATE_NOOP(
        "Errors", "The account cannot pay for this request: check its balance, free quota or billing."),
    "access_denied": QT_TRANSLATE_NOOP("Errors", "This key is not allowed to use this model."),
    "content_filtered": QT_TRANSLATE_NOOP(
        "Errors", "The request or reply was blocked by content moderation."),
    "input_too_long": QT_TRANSLATE_NOOP(
        "Errors",
        "The conversation is too long for this model: shorten it or change the context policy."),
    "bad_parameter": QT_TRANSLATE_NOOP("Errors", "The service rejected a request parameter."),
    "model_not_found": QT_TRANSLATE_NOOP(
        "Errors", "This model does not exist or is not available in this region."),
    "model_not_compatible": QT_TRANSLATE_NOOP(
        "Errors",
        "This model is not offered over the OpenAI-compatible protocol: switch to DashScope native."),
    "responses_unsupported": QT_TRANSLATE_NOOP(
        "Errors",
        "This model does not take the Responses API: switch the conversation to the "
        "OpenAI-compatible protocol, or pick another model."),
    "response_expired": QT_TRANSLATE_NOOP(
        "Errors", "The service no longer keeps this conversation's earlier turns."),
    "endpoint_not_found": QT_TRANSLATE_NOOP(
        "Errors", "The region's address did not answer like Model Studio: check its base URL."),
    "server": QT_TRANSLATE_NOOP("Errors", "The service had an internal error."),
    "protocol": QT_TRANSLATE_NOOP("Errors", "The service sent a reply this app could not read."),
    "network": QT_TRANSLATE_NOOP(
        "Errors",
        "Could not reach the service: check the network connection and the region's address."),
    "dropped": QT_TRANSLATE_NOOP("Errors", "The connection dropped before the reply finished."),
    "timeout": QT_TRANSLATE_NOOP("Errors", "The service stopped answering (timed out)."),
    "config": QT_TRANSLATE_NOOP("Errors", "The settings are not valid."),
    "missing_key": QT_TRANSLATE_NOOP("Errors", "No API key is set for this region."),
    "key_shape": QT_TRANSLATE_NOOP(
        "Errors", "That does not look like a Model Studio API key: keys start with \"sk-\"."),
    "keyring": QT_TRANSLATE_NOOP(
        "Errors",
        "No usable system keyring was found, so the API key cannot be stored safely. Install and "
        "unlock a Secret Service provider (for example gnome-keyring or KWallet)."),
    "import_format": QT_TRANSLATE_NOOP("Errors", "This file is not a Qwen Desktop export."),
    "storage": QT_TRANSLATE_NOOP("Errors", "The conversation database could not be written."),
    "storage_full": QT_TRANSLATE_NOOP(
        "Errors", "The disk is full: free some space so conversations can be saved."),
    "storage_busy": QT_TRANSLATE_NOOP(
        "Errors",
        "The conversation database is locked by another program: close other copies of Qwen "
        "Desktop and try again."),
    "storage_corrupt": QT_TRANSLATE_NOOP(
        "Errors",
        "The conversation database is damaged: restore it from a backup (a .bak file next to it) "
        "or move it away to start fresh."),
    "storage_readonly": QT_TRANSLATE_NOOP(
        "Errors",
        "The conversation database is read-only: check the permissions of its file and folder."),
    "storage_io": QT_TRANSLATE_NOOP(
        "Errors",
        "The conversation database file could not be read or written: check the disk and its "
        "permissions."),
    "storage_too_new": QT_TRANSLATE_NOOP(
        "Errors", "The conversation database was written by a newer version of Qwen Desktop."),
    "storage_foreign": QT_TRANSLATE_NOOP(
        "Errors", "This file is not a Qwen Desktop conversation database."),
    "storage_closed": QT_TRANSLATE_NOOP("Errors", "The conversation database is already closed."),
    "storage_not_found": QT_TRANSLATE_NOOP("Errors", "That conversation no longer exists."),
    "context_too_long": QT_TRANSLATE_NOOP(
        "Errors",
        "This conversation no longer fits the model's input window: switch the context policy to "
        "last N rounds, rolling summary or retrieval."),
    "message_too_long": QT_TRANSLATE_NOOP(
        "Errors",
        "This message alone does not fit the model's input window: shorten it or attach less."),
    "image_rejected": QT_TRANSLATE_NOOP("Errors", "This file cannot be sent as an image."),
    "too_many_images": QT_TRANSLATE_NOOP("Errors", "At most 10 images can go in one message."),
    "vision_required": QT_TRANSLATE_NOOP("Errors", "This model cannot see images."),
    "attachment_missing": QT_TRANSLATE_NOOP("Errors", "An attached image is no longer available."),
    "busy": QT_TRANSLATE_NOOP(
        "Errors",
        "A reply is still streaming in this conversation: stop it or wait for it to finish."),
    "tool": QT_TRANSLATE_NOOP("Errors", "The tool failed."),
}

KNOWN_SENTENCES = (
    QT_TRANSLATE_NOOP("Errors", "Type a message first."),
    QT_TRANSLATE_NOOP("Errors", "There is no question before this reply to answer again."),
    QT_TRANSLATE_NOOP("Errors", "There is no partial reply to continue."),
    QT_TRANSLATE_NOOP("Errors", "This conversation no longer exists."),
    QT_TRANSLATE_NOOP("Errors", "Images cannot be sent: no attachment folder is set up."),
    QT_TRANSLATE_NOOP("Errors", "The summarizer returned no text."),
    QT_TRANSLATE_NOOP("Errors", "The reply was cut off."),
    QT_TRANSLATE_NOOP("Errors", "The region's host name could not be found: check its address."),
    QT_TRANSLATE_NOOP("Errors", "The connection was refused: check the region's address and port."),
    QT_TRANSLATE_NOOP("Errors", "The secure connection failed: check the region's address."),
    QT_TRANSLATE_NOOP(
        "Errors", "The settings contain something shaped like an API key, so they were not saved."),
    QT_TRANSLATE_NOOP("Errors", "This export was written by a newer version of Qwen Desktop."),
    QT_TRANSLATE_NOOP(
        "Errors", "An image in this export is damaged (its checksum does not match)."),
    QT_TRANSLATE_NOOP("Errors", "An assistant needs a name."),
    QT_TRANSLATE_NOOP("Errors", "That assistant no longer exists."),
    QT_TRANSLATE_NOOP("Errors", "The assistant to copy no longer exists."),
)
"""Sentences the core raises with a fixed text of their own, not their kind's."""

REQUEST_ID = QT_TRANSLATE_NOOP("Errors", "(request id %1)")
PATTERNS = (
    QT_TRANSLATE_NOOP("Errors", "Add a key for %1 in Settings."),
    REQUEST_ID,
    QT_TRANSLATE_NOOP("Errors", "The key works for %1."),
    QT_TRANSLATE_NOOP("Errors", "The key was rejected by %1."),
    QT_TRANSLATE_NOOP("Errors", "This key belongs to %1, not %2: %3 and %4 keys differ."),
    QT_TRANSLATE_NOOP(
        "Errors",
        "%1 cannot see images: switch this conversation to a vision model such as %2, or remove "
        "the images."),
    QT_TRANSLATE_NOOP("Errors", "The attached image %1 is no longer on disk: attach it again to send it."),
    QT_TRANSLATE_NOOP("Errors", "There is no region called %1."),
    QT_TRANSLATE_NOOP("Errors", "There is no custom region called %1."),
    QT_TRANSLATE_NOOP("Errors", "The built-in region %1 cannot be removed."),
    QT_TRANSLATE_NOOP("Errors", "The region id %1 belongs to a built-in region: choose another."),
    QT_TRANSLATE_NOOP(
        "Errors",
        "The address %1 is not valid: it must start with http:// or https:// and name a host."),
    QT_TRANSLATE_NOOP("Errors", "%1 is empty (0 bytes)."),
    QT_TRANSLATE_NOOP("Errors", "%1 does not exist any more."),
    QT_TRANSLATE_NOOP("Errors", "%1 is a folder, not an image file."),
    QT_TRANSLATE_NOOP("Errors", "%1 cannot be read: permission denied."),
    QT_TRANSLATE_NOOP("Errors", "%1 has too many pixels to open safely."),
    QT_TRANSLATE_NOOP("Errors", "%1 is damaged or incomplete, so it cannot be read."),
    QT_TRANSLATE_NOOP("Errors", "%1 has no pixels."),
    QT_TRANSLATE_NOOP("Errors", "%1 cannot be made small enough to send."),
    QT_TRANSLATE_NOOP("Errors", "%1 is too large (%2): images up to %3 can be attached."),
    QT_TRANSLATE_NOOP("Errors", "At most %1 images per message: %2 were added, so none were kept."),
    QT_TRANSLATE_NOOP(
        "Errors", "At most %1 images per message: %2 were added, so the first %3 were kept."),
    QT_TRANSLATE_NOOP("Errors", "Only the first of its %1 frames is sent."),
    QT_TRANSLATE_NOOP("Errors", "Turned upright as its EXIF orientation tag says."),
    QT_TRANSLATE_NOOP("Errors", "Removed its metadata (camera, location and other details)."),
    QT_TRANSLATE_NOOP("Errors", "Converted its colours to sRGB."),
    QT_TRANSLATE_NOOP("Errors", "A prompt needs a name."),
    QT_TRANSLATE_NOOP("Errors", "A prompt's name must be one line of at most %1 characters."),
    QT_TRANSLATE_NOOP("Errors", "The prompt '%1' has no text."),
    QT_TRANSLATE_NOOP("Errors", "The prompt '%1' is longer than %2 characters."),
    QT_TRANSLATE_NOOP("Errors", "There is already a prompt called '%1'."),
    QT_TRANSLATE_NOOP("Errors", "The prompt '%1' no longer exists."),
    QT_TRANSLATE_NOOP("Errors", "%1 is not a prompts file: it is not valid JSON text."),
    QT_TRANSLATE_NOOP("Errors", "%1 is not a prompts file exported by Qwen Desktop."),
    QT_TRANSLATE_NOOP("Errors", "%1 holds no list of prompts."),
    QT_TRANSLATE_NOOP("Errors", "There is no file %1 to import."),
    QT_TRANSLATE_NOOP("Errors", "There is already an assistant called %1."),
    QT_TRANSLATE_NOOP("Errors", "The assistant %1 no longer exists."),
    QT_TRANSLATE_NOOP("Errors", "%1 is not an assistants file exported by Qwen Desktop."),
    QT_TRANSLATE_NOOP("Errors", "%1 is not an assistants file: it is not valid JSON text."),
    QT_TRANSLATE_NOOP("Errors", "%1 holds no list of assistants."),
    QT_TRANSLATE_NOOP("Errors", "%1 was written by a newer version of Qwen Desktop; update the app to import it."),
    QT_TRANSLATE_NOOP("Errors", "Assistant %1 in %2 cannot be imported: %3"),
    QT_TRANSLATE_NOOP("Errors", "The assistants could not be written to %1: %2."),
)
"""Sentences with names in them; each %n is a region, model, file or id."""

_ENGLISH_REGIONS = {name: rid for rid, name in REGION_NAMES.items()}
_SHORT_NAMES = {
    "cn": QT_TRANSLATE_NOOP("Regions", "Beijing"),
    "hk": QT_TRANSLATE_NOOP("Regions", "Hong Kong"),
    "us": QT_TRANSLATE_NOOP("Regions", "Virginia"),
    "intl": QT_TRANSLATE_NOOP("Regions", "Singapore"),
}
_SHORT_REGIONS = {name: rid for rid, name in _SHORT_NAMES.items()}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def _name(value: str) -> str:
    """A region's English name in the interface language; other names as they are."""
    if value in _ENGLISH_REGIONS:
        return QCoreApplication.translate("Regions", REGION_NAMES[_ENGLISH_REGIONS[value]])
    if value in _SHORT_REGIONS:
        return QCoreApplication.translate("Regions", _SHORT_NAMES[_SHORT_REGIONS[value]])
    return value


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"(%\d)", template)
    return re.compile("".join("(.+?)" if re.fullmatch(r"%\d", p) else re.escape(p) for p in parts))


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Compiled on the first sentence to translate, not at start-up (37 patterns)."""
    return tuple((template, _compile(template)) for template in PATTERNS)

_EXACT = frozenset(KNOWN_SENTENCES) | frozenset(KIND_SENTENCES.values())


def _fill(template: str, values: tuple[str, ...]) -> str:
    text = _tr(template)
    for number, value in enumerate(values, start=1):
        text = text.replace(f"%{number}", _name(value))
    return text


def translate_sentence(text: str) -> str:
    """One English sentence from the core, translated when it is known; else as it is."""
    if text in _EXACT:
        return _tr(text)
    for template, pattern in _patterns():
        match = pattern.fullmatch(text)
        if match:
            return _fill(template, match.groups())
    return text


def translate_text(text: str) -> str:
    """Sentences of a message (sentence, hint, request id) translated one by one where known."""
    if not text:
        return text
    pieces = _split_known(text)
    return "".join(translate_sentence(p) if p.strip() else p for p in pieces)


def _split_known(text: str) -> list[str]:
    for known in sorted(_EXACT, key=len, reverse=True):
        if text.startswith(known) and len(text) > len(known):
            return [known, " ", *_split_known(text[len(known):].lstrip(" "))]
    return [text]


def error_sentence(error: Mapping[str, Any] | QwenError) -> str:
    """The translated sentence for an error (as stored with a message, or raised), hint included."""
    if isinstance(error, QwenError):
        kind, sentence, hint = error.kind, error.sentence, error.hint
    else:
        kind = str(error.get("kind") or "")
        sentence = str(error.get("sentence") or "")
        hint = error.get("hint")
    default = KIND_SENTENCES.get(kind)
    if not sentence:
        text = _tr(default or KIND_SENTENCES["error"])
    elif sentence in _EXACT or any(p.fullmatch(sentence) for _t, p in _patterns()):
        text = translate_sentence(sentence)
    elif default is not None and _tr(default) != default:
        text = f"{_tr(default)} ({sentence})"
    else:
        text = sentence
    return f"{text} {translate_text(str(hint))}" if hint else text


def describe(error: QwenError) -> str:
    """``str(error)`` in the interface language: sentence, hint and request id."""
    text = error_sentence(error)
    if error.request_id:
        text += " " + _fill(REQUEST_ID, (error.request_id,))
    return text
