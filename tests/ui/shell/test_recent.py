"""Ctrl+Tab order: most recent first, a quick run of presses walks down, a pause swaps back."""

from __future__ import annotations

from qwen_desktop.ui.shell.recent import CYCLE_PAUSE_S, RecentConversations


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_one_press_swaps_with_the_previous_conversation() -> None:
    clock = Clock()
    recent = RecentConversations(clock)
    for cid in (1, 2, 3):
        recent.opened(cid)
    assert recent.order == [3, 2, 1]
    assert recent.step(3) == 2
    recent.opened(2)
    clock.now += CYCLE_PAUSE_S
    assert recent.order == [2, 3, 1]
    assert recent.step(2) == 3


def test_quick_presses_walk_down_and_back() -> None:
    clock = Clock()
    recent = RecentConversations(clock)
    for cid in (1, 2, 3, 4):
        recent.opened(cid)
    seen = []
    current = 4
    for _ in range(3):
        current = recent.step(current)
        recent.opened(current)
        clock.now += 0.2
        seen.append(current)
    assert seen == [3, 2, 1]
    assert recent.step(current, forward=False) == 2
    recent.opened(2)
    clock.now += CYCLE_PAUSE_S
    assert recent.order[0] == 2


def test_nothing_to_switch_to_and_forgotten_ones() -> None:
    clock = Clock()
    recent = RecentConversations(clock)
    assert recent.step(None) is None
    clock.now += CYCLE_PAUSE_S
    recent.opened(5)
    assert recent.step(5) is None
    clock.now += CYCLE_PAUSE_S
    assert recent.step(None) == 5
    recent.opened(6)
    recent.forget(5)
    clock.now += CYCLE_PAUSE_S
    assert recent.order == [6]
