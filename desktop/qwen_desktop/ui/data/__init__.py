"""The Data menu's work: export, import and backup of conversations, off the UI thread."""
