"""``qwen-desktop sync``: set up, run and inspect sync from a terminal (and from scripts)."""

from __future__ import annotations

import argparse
import getpass
import time
from pathlib import Path
from typing import Any, TextIO

from .core import errors as e
from .core.sync.crypto import WrongPassphraseError
from .core.sync.engine import Syncer, read_status
from .core.sync.folder import FolderLocation
from .core.sync.location import SyncLocation
from .core.sync.settings import (
    SyncSecrets, SyncSettings, default_device_name, load_sync_settings, new_device_id, save_sync_settings,
)

MIN_PASSPHRASE = 8
EXIT_OK, EXIT_USAGE, EXIT_AUTH, EXIT_NETWORK = 0, 2, 3, 5


def add_parser(sub: Any) -> argparse.ArgumentParser:
    sync = sub.add_parser("sync", help="sync conversations with your other computers, encrypted end to end")
    actions = sync.add_subparsers(dest="action", required=True)
    setup = actions.add_parser(
        "setup", help="sync through a folder or WebDAV server (passphrase from stdin or a hidden prompt)")
    where = setup.add_mutually_exclusive_group(required=True)
    where.add_argument("--folder", help="a folder your sync engine keeps the same on every computer")
    where.add_argument("--webdav", help="the URL of a folder on a WebDAV server")
    setup.add_argument("--username", default="", help="the WebDAV user name")
    actions.add_parser("now", help="sync once now")
    actions.add_parser("status", help="when sync last ran, what waits to be pushed, the last error")
    return sync


def _read_secrets(stdin: TextIO, webdav: bool) -> tuple[str, str]:
    """The passphrase (and a WebDAV password): lines of stdin, or hidden prompts at a terminal."""
    if stdin.isatty():
        passphrase = getpass.getpass("Sync passphrase: ")
        if getpass.getpass("The same passphrase again: ") != passphrase:
            raise e.ConfigError("The two passphrases differ: nothing was set up.")
        password = getpass.getpass("WebDAV password: ") if webdav else ""
        return passphrase, password
    lines = stdin.read().splitlines()
    passphrase = lines[0] if lines else ""
    password = lines[1] if webdav and len(lines) > 1 else ""
    return passphrase, password


def location_for(settings: SyncSettings, password: str | None) -> SyncLocation:
    if settings.kind == "folder":
        return FolderLocation(Path(settings.folder))
    try:
        from .core.sync.webdav import WebDavLocation
    except ImportError:
        raise e.ConfigError("WebDAV sync is not available in this version of Qwen Desktop.") from None
    return WebDavLocation(settings.url, settings.username, password or "")


def sync_command(services: Any, args: argparse.Namespace, stdin: TextIO, out: TextIO, err: TextIO) -> int:
    data_dir = Path(services.data_dir)
    settings = load_sync_settings(data_dir)
    secrets = SyncSecrets()
    if args.action == "setup":
        return _setup(services, args, settings, secrets, stdin, out)
    if args.action == "status":
        return _status(services, settings, out)
    if not settings.configured:
        raise e.ConfigError("Sync is not set up: run qwen-desktop sync setup --folder PATH first.")
    passphrase = secrets.passphrase()
    if not passphrase:
        raise e.ConfigError("The sync passphrase is not in the system keyring: run qwen-desktop sync setup again.")
    password = secrets.webdav_password() if settings.kind == "webdav" else None
    syncer = Syncer(data_dir, location_for(settings, password), passphrase, settings.device_id,
                    store=services.store)
    report = syncer.sync_once()
    for problem in report.problems:
        print(f"qwen-desktop: {problem}", file=err)
    if report.error:
        print(f"qwen-desktop: {report.error}", file=err)
        return EXIT_AUTH if report.error == WrongPassphraseError.sentence else EXIT_NETWORK
    print(f"Synced with {syncer.location.describe()}: {report.pulled} change(s) received, "
          f"{report.pushed} sent.", file=out)
    return EXIT_OK


def _setup(services: Any, args: argparse.Namespace, settings: SyncSettings, secrets: SyncSecrets,
           stdin: TextIO, out: TextIO) -> int:
    data_dir = Path(services.data_dir)
    passphrase, password = _read_secrets(stdin, bool(args.webdav))
    if len(passphrase) < MIN_PASSPHRASE:
        raise e.ConfigError(f"The sync passphrase needs at least {MIN_PASSPHRASE} characters.")
    if args.folder:
        folder = Path(args.folder).expanduser().resolve()
        if not folder.is_dir():
            raise e.ConfigError(f"The folder {folder} does not exist: create it first (or let your sync engine create it).")
        chosen = settings.with_(kind="folder", folder=str(folder), url="", username="")
    else:
        chosen = settings.with_(kind="webdav", url=args.webdav, username=args.username, folder="")
    chosen = chosen.with_(device_id=settings.device_id or new_device_id(),
                          device_name=settings.device_name or default_device_name(), paused=False)
    syncer = Syncer(data_dir, location_for(chosen, password), passphrase, chosen.device_id, store=services.store)
    syncer.check()  # nothing is kept before the place and the passphrase are known to work
    if chosen.kind == "webdav":
        secrets.set_webdav_password(password)
    secrets.set_passphrase(passphrase)
    save_sync_settings(data_dir, chosen)
    print(f"Sync is set up with {syncer.location.describe()}. Run qwen-desktop sync now to sync.", file=out)
    return EXIT_OK


def _status(services: Any, settings: SyncSettings, out: TextIO) -> int:
    if not settings.configured:
        print("Sync is not set up.", file=out)
        return EXIT_OK
    where = settings.folder if settings.kind == "folder" else settings.url
    status = read_status(services.store)
    last = (time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(status.last_synced_at))
            if status.last_synced_at else "never")
    print(f"Sync: {settings.kind} {where}{' (paused)' if settings.paused else ''}", file=out)
    print(f"Last synced: {last}", file=out)
    print(f"Pending changes: {status.pending}", file=out)
    print(f"Last error: {status.last_error or 'none'}", file=out)
    return EXIT_OK
