"""Turn what either protocol reports into one typed error."""

from __future__ import annotations

from .. import errors as e
from . import shapes

_QUOTA_CODES = {"Arrearage", "AllocationQuota.FreeTierOnly", "insufficient_balance"}
_ACCESS_CODES = {"AccessDenied", "AccessDenied.Unpurchased", "Model.AccessDenied"}
_MODERATION_CODES = {"DataInspectionFailed", "data_inspection_failed"}
_KEY_CODES = {"InvalidApiKey", "invalid_api_key"}
_NOT_FOUND_CODES = {"ModelNotFound", "model_not_found"}
_SERVER_CODES = {"InternalError", "internal_error", "InternalError.Algo", "RequestTimeOut",
                 "ModelServingError", "ModelUnavailable"}


def classify(status: int | None, code: str | None, message: str | None) -> type[e.ApiError]:
    code = code or ""
    text = (message or "").lower()
    if code in _KEY_CODES or status == 401:
        return e.InvalidKeyError
    if code in _QUOTA_CODES or (code == "Throttling.AllocationQuota" and "free" in text):
        return e.QuotaError
    if code in _ACCESS_CODES:
        return e.AccessDeniedError
    if code in _MODERATION_CODES or "inappropriate content" in text:
        return e.ContentFilteredError
    if "input length" in text or "too long" in text or "context length" in text:
        return e.InputTooLongError
    if code == "model_not_supported" or "compatibility mode" in text:
        return e.ModelNotInCompatibleModeError
    if code in _NOT_FOUND_CODES or "model not exist" in text or "does not exist" in text:
        return e.ModelNotFoundError
    if status == 429 or code.startswith("Throttling") or code.startswith("limit_"):
        return e.RateLimitedError
    if code in _SERVER_CODES or (status is not None and status >= 500):
        return e.ServerError
    if status == 403:
        return e.AccessDeniedError
    if status == 404 or "url error" in text:
        return e.EndpointNotFoundError
    if status == 400 or code.startswith("InvalidParameter") or code == "invalid_parameter_error":
        return _search_refusal(text) or e.BadParameterError
    return e.ApiError


def _search_refusal(text: str) -> type[e.ApiError] | None:
    """A 400 about web search: "This model does not support enable_search." (2025-2026)."""
    if "search_strategy" in text:
        return e.SearchStrategyRejectedError
    if "enable_search" in text or ("search" in text and "not support" in text):
        return e.SearchNotSupportedError
    return None


def api_error(
    status: int | None,
    code: object,
    message: object,
    *,
    request_id: object = None,
    retry_after: float | None = None,
    hint: str | None = None,
) -> e.ApiError:
    """Whatever types the server used for code, message and request id, the error holds text."""
    status = status if isinstance(status, int) and not isinstance(status, bool) else None
    code = shapes.optional_text(code) if isinstance(code, str) else (
        None if code is None else shapes.optional_text(str(code)))
    message = shapes.server_text(message)
    request_id = shapes.optional_text(request_id)
    cls = classify(status, code, message)
    return cls(
        request_id=request_id or None,
        server_message=message or None,
        status=status,
        code=code or None,
        retry_after=retry_after,
        hint=hint if cls is e.InvalidKeyError else None,
    )


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value)
    except (ValueError, TypeError):
        return None
    if seconds != seconds:
        return None
    return max(0.0, min(seconds, 600.0))
