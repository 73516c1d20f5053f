"""Typed errors: each carries one plain sentence a user can act on.

The sentence (``str(error)``) never contains the API key. The server's own message is kept
apart in ``server_message`` so the UI can show it beside the translated sentence. Every text
an error holds is redacted when the error is made, so a key a server echoes back (in a message,
a code or a request id) is never stored, shown, logged or printed.
"""

from __future__ import annotations

from qwen_desktop.core.redact import redact


def _clean(value: object) -> str | None:
    if value is None or value == "":
        return None
    return redact(value if isinstance(value, str) else str(value))


class QwenError(Exception):
    """Base of every error the app shows to a user."""

    kind = "error"
    retryable = False
    sentence = "Something went wrong."

    def __init__(
        self,
        sentence: str | None = None,
        *,
        request_id: str | None = None,
        server_message: str | None = None,
        status: int | None = None,
        code: str | None = None,
        retry_after: float | None = None,
        hint: str | None = None,
    ) -> None:
        self.sentence = _clean(sentence) or type(self).sentence
        self._request_id = _clean(request_id)
        self.server_message = _clean(server_message)
        self.status = status
        self.code = _clean(code)
        self.retry_after = retry_after
        self.hint = _clean(hint)
        super().__init__(self.describe())

    @property
    def request_id(self) -> str | None:
        return self._request_id

    @request_id.setter
    def request_id(self, value: object) -> None:
        self._request_id = _clean(value)

    def describe(self) -> str:
        parts = [self.sentence]
        if self.hint:
            parts.append(self.hint)
        if self.request_id:
            parts.append(f"(request id {self.request_id})")
        return " ".join(parts)

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "sentence": self.sentence,
            "hint": self.hint,
            "request_id": self.request_id,
            "server_message": self.server_message,
            "status": self.status,
            "code": self.code,
            "retry_after": self.retry_after,
        }


class ApiError(QwenError):
    """The service answered with an error."""

    kind = "api"
    sentence = "The service returned an error."


class InvalidKeyError(ApiError):
    kind = "invalid_key"
    sentence = "The API key was rejected for this region."


class RateLimitedError(ApiError):
    kind = "rate_limited"
    retryable = True
    sentence = "Too many requests right now: the service asked to slow down."


class QuotaError(ApiError):
    kind = "quota"
    sentence = "The account cannot pay for this request: check its balance, free quota or billing."


class AccessDeniedError(ApiError):
    kind = "access_denied"
    sentence = "This key is not allowed to use this model."


class ContentFilteredError(ApiError):
    kind = "content_filtered"
    sentence = "The request or reply was blocked by content moderation."


class InputTooLongError(ApiError):
    kind = "input_too_long"
    sentence = "The conversation is too long for this model: shorten it or change the context policy."


class BadParameterError(ApiError):
    kind = "bad_parameter"
    sentence = "The service rejected a request parameter."


class SearchNotSupportedError(BadParameterError):
    kind = "search_not_supported"
    sentence = (
        "This model cannot search the web in this region: web search stays off for it. "
        "Choose another model to search."
    )


class SearchStrategyRejectedError(BadParameterError):
    kind = "search_strategy_rejected"
    sentence = "The service refused this web search strategy for this model: choose another strategy."


class ModelNotFoundError(ApiError):
    kind = "model_not_found"
    sentence = "This model does not exist or is not available in this region."


class ModelNotInCompatibleModeError(ModelNotFoundError):
    kind = "model_not_compatible"
    sentence = "This model is not offered over the OpenAI-compatible protocol: switch to DashScope native."


class ResponsesUnsupportedError(ApiError):
    kind = "responses_unsupported"
    sentence = (
        "This model does not take the Responses API: switch the conversation to the "
        "OpenAI-compatible protocol, or pick another model."
    )


class ResponseExpiredError(ApiError):
    """The service no longer keeps the response a request chained from (expired or deleted)."""

    kind = "response_expired"
    sentence = "The service no longer keeps this conversation's earlier turns."


class EndpointNotFoundError(ApiError):
    kind = "endpoint_not_found"
    sentence = "The region's address did not answer like Model Studio: check its base URL."


class ServerError(ApiError):
    kind = "server"
    retryable = True
    sentence = "The service had an internal error."


class ProtocolError(ApiError):
    kind = "protocol"
    sentence = "The service sent a reply this app could not read."


class NetworkError(QwenError):
    kind = "network"
    retryable = True
    sentence = "Could not reach the service: check the network connection and the region's address."


class ConnectionDroppedError(NetworkError):
    """Raised once the service has answered: the request reached the model, so it is not sent again."""

    kind = "dropped"
    retryable = False
    sentence = "The connection dropped before the reply finished."


class TimeoutError_(NetworkError):
    kind = "timeout"
    sentence = "The service stopped answering (timed out)."


class ConfigError(QwenError):
    kind = "config"
    sentence = "The settings are not valid."


class MissingKeyError(ConfigError):
    kind = "missing_key"
    sentence = "No API key is set for this region."


class KeyShapeError(ConfigError):
    kind = "key_shape"
    sentence = "That does not look like a Model Studio API key: keys start with \"sk-\"."


class KeyringUnavailableError(ConfigError):
    kind = "keyring"
    sentence = (
        "No usable system keyring was found, so the API key cannot be stored safely. "
        "Install and unlock a Secret Service provider (for example gnome-keyring or KWallet)."
    )


class StorageError(QwenError):
    kind = "storage"
    sentence = "The conversation database could not be written."
