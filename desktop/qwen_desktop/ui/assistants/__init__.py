"""Assistants in the window: the library, the picker for new conversations, the conversation's link."""
