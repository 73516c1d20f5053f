"""Sync in the window: the service that runs rounds off the Qt thread, the status line, the Settings page."""
