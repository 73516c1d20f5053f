"""Installing a newer catalog file, so model knowledge can be updated without a release."""

from __future__ import annotations

from pathlib import Path

from ..catalog import CatalogError, validate

INSTALLED_NAME = "catalog.json"


def install(source: Path, data_dir: Path, bundled_date: str) -> tuple[str, int]:
    """Validate ``source`` and install it in the data folder; returns (date, model count).

    A broken file, or one older than the bundled catalog, is refused and the current one kept.
    """
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"The catalog file cannot be read: {getattr(exc, 'strerror', None) or exc}.") from None
    date, models = validate(text)
    if date < bundled_date:
        raise CatalogError(f"That catalog ({date}) is older than the one built into the app ({bundled_date}).")
    target = data_dir / INSTALLED_NAME
    from ..files import write_atomically

    write_atomically(target, text.encode("utf-8"))
    return date, len(models)
