"""Syncing conversations between machines through a shared folder or a WebDAV server, encrypted end to end."""
