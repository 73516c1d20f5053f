"""The reliability tests drive the real window with the same fixtures as the UI tests."""

from tests.ui.conftest import harness, qloop, run_async, sim  # noqa: F401 - shared fixtures
