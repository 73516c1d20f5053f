"""The window harness shared with the UI tests."""

from tests.ui.harness import Harness, answer_text, replies

__all__ = ["Harness", "answer_text", "replies"]
