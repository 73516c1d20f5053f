"""The current date and time with the user's time zone."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Now = Callable[[], datetime]


def local_zone_name(env: dict[str, str] | None = None) -> str | None:
    """The IANA name of the local time zone, when the system says it."""
    variable = (env if env is not None else os.environ).get("TZ", "").lstrip(":")
    if variable and _valid(variable):
        return variable
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return None
    marker = "zoneinfo/"
    if marker in target:
        name = target.split(marker, 1)[1]
        return name if _valid(name) else None
    return None


def _valid(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def describe_now(now: datetime, zone_name: str | None) -> str:
    local = now.astimezone(ZoneInfo(zone_name)) if zone_name else now.astimezone()
    offset = local.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    zone = zone_name or local.tzname() or "local time"
    return (
        f"{local.strftime('%A, %Y-%m-%d %H:%M:%S')} ({zone}, {offset}); "
        f"ISO 8601: {local.isoformat(timespec='seconds')}"
    )
