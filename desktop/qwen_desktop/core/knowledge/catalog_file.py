"""Installing a newer catalog file, so model knowledge can be updated without a release."""

from __future__ import annotations

from pathlib import Path

from ..catalog import MAX_CATALOG_BYTES, CatalogError, validate
from ..files import FileRefusedError, read_bounded

INSTALLED_NAME = "catalog.json"


def install(source: Path, data_dir: Path, bundled_date: str) -> tuple[str, int]:
    """Validate ``source`` and install it in the data folder; returns (date, model count).

    A broken file, or one older than the bundled catalog, is refused and the current one kept.
    """
    try:
        text = read_bounded(source, MAX_CATALOG_BYTES).decode("utf-8")
    except FileRefusedError as exc:
        raise CatalogError(f"The catalog file {source.name} {exc.reason}") from None
    except UnicodeDecodeError:
        raise CatalogError("The catalog file cannot be read: it is not UTF-8 text.") from None
    date, models = validate(text)
    if date < bundled_date:
        raise CatalogError(f"That catalog ({date}) is older than the one built into the app ({bundled_date}).")
    target = data_dir / INSTALLED_NAME
    from ..files import write_atomically

    write_atomically(target, text.encode("utf-8"))
    return date, len(models)
