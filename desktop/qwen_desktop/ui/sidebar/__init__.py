"""The sidebar: the conversation list, search as you type and undo of a delete."""
