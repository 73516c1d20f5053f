"""Model Studio regions: each has its own base URL and its own API keys."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlsplit, urlunsplit

from qwen_desktop.core.errors import ConfigError

INTL_KEY_PAGE = "https://modelstudio.console.alibabacloud.com/?tab=playground#/api-key"
CN_KEY_PAGE = "https://bailian.console.aliyun.com/?tab=model#/api-key"

_PROTOCOL_SUFFIXES = ("/compatible-mode/v1", "/api/v1")
_CUSTOM_ID = re.compile(r"[a-z0-9-]{1,32}")


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    base_url: str
    builtin: bool = False
    key_page: str | None = None
    counterpart: str | None = None

    @property
    def compatible_url(self) -> str:
        return self.base_url + "/compatible-mode/v1"

    @property
    def native_url(self) -> str:
        return self.base_url + "/api/v1"

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "base_url": self.base_url}


BUILTIN_REGIONS: tuple[Region, ...] = (
    Region("intl", "Singapore", "https://dashscope-intl.aliyuncs.com", True, INTL_KEY_PAGE, "cn"),
    Region("cn", "China (Beijing)", "https://dashscope.aliyuncs.com", True, CN_KEY_PAGE, "intl"),
    Region("us", "US (Virginia)", "https://dashscope-us.aliyuncs.com", True, INTL_KEY_PAGE, None),
    Region("hk", "China (Hong Kong)", "https://cn-hongkong.dashscope.aliyuncs.com", True, INTL_KEY_PAGE, None),
)
BUILTIN_IDS = frozenset(region.id for region in BUILTIN_REGIONS)


_USER_INFO = re.compile(r"(//)[^/?#]*@")


def without_user_info(text: str) -> str:
    """The address with any ``user:password@`` part masked, for messages that repeat it."""
    return _USER_INFO.sub(r"\1***@", text)


def has_user_info(url: str) -> bool:
    try:
        return "@" in urlsplit((url or "").strip()).netloc
    except ValueError:
        return bool(_USER_INFO.search(url or ""))


def normalize_base_url(url: str) -> tuple[str, list[str]]:
    """Return the base URL without a trailing slash or protocol path, and warnings worth showing.

    A user name or password in the address is refused: it would end up in the settings file and
    in library logs, and the API key goes in its own header anyway.
    """
    warnings: list[str] = []
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ConfigError(
            f"The address {without_user_info(text)!r} is not valid: check the host and port."
        ) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"The address {without_user_info(text)!r} is not valid: it must start with http:// "
            "or https:// and name a host."
        )
    if "@" in parts.netloc:
        raise ConfigError(
            "The address contains a user name or password (the part before @): that is not "
            "allowed, because it would be saved in the settings file. Remove it; the API key "
            "is sent separately from the keyring."
        )
    path = parts.path.rstrip("/")
    for suffix in _PROTOCOL_SUFFIXES:
        if path.endswith(suffix):
            path = path[: -len(suffix)].rstrip("/")
            warnings.append(f"Removed {suffix!r} from the address: the app adds the protocol path itself.")
            break
    if parts.scheme.lower() == "http" and not _is_loopback(parts.hostname):
        warnings.append("This address uses plain http: the API key would travel unencrypted.")
    normalized = urlunsplit((parts.scheme.lower(), parts.netloc, path, "", ""))
    return normalized, warnings


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_custom_id(region_id: str) -> str:
    if not _CUSTOM_ID.fullmatch(region_id or ""):
        raise ConfigError(
            f"The region id {region_id!r} is not valid: use 1 to 32 lowercase letters, digits or hyphens."
        )
    if region_id in BUILTIN_IDS:
        raise ConfigError(f"The region id {region_id!r} belongs to a built-in region: choose another.")
    return region_id


class RegionRegistry:
    """The built-in regions (base URLs optionally overridden) plus the user's custom ones."""

    def __init__(self, custom: Iterable[Region] = (), overrides: Mapping[str, str] | None = None) -> None:
        self._builtin: dict[str, Region] = {}
        for region in BUILTIN_REGIONS:
            override = (overrides or {}).get(region.id)
            if override:
                region = replace(region, base_url=normalize_base_url(override)[0])
            self._builtin[region.id] = region
        unknown = set(overrides or {}) - BUILTIN_IDS
        if unknown:
            raise ConfigError(f"Cannot override unknown region(s): {', '.join(sorted(unknown))}.")
        self._custom: dict[str, Region] = {}
        for region in custom:
            self.add_custom(region.id, region.name, region.base_url)

    def all(self) -> list[Region]:
        return [*self._builtin.values(), *self._custom.values()]

    def custom(self) -> list[Region]:
        return list(self._custom.values())

    def get(self, region_id: str) -> Region:
        region = self._builtin.get(region_id) or self._custom.get(region_id)
        if region is None:
            raise ConfigError(f"There is no region called {region_id!r}.")
        return region

    def __contains__(self, region_id: object) -> bool:
        return region_id in self._builtin or region_id in self._custom

    def add_custom(self, region_id: str, name: str, base_url: str) -> tuple[Region, list[str]]:
        """Add (or replace) a custom region; returns it with any warnings about its address."""
        validate_custom_id(region_id)
        normalized, warnings = normalize_base_url(base_url)
        region = Region(region_id, (name or "").strip() or region_id, normalized, builtin=False)
        self._custom[region_id] = region
        return region, warnings

    def remove_custom(self, region_id: str) -> None:
        if region_id in self._builtin:
            raise ConfigError(f"The built-in region {region_id!r} cannot be removed.")
        if self._custom.pop(region_id, None) is None:
            raise ConfigError(f"There is no custom region called {region_id!r}.")
