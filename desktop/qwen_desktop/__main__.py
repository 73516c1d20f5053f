"""``qwen-desktop`` and ``python -m qwen_desktop``: the window, or a terminal command."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from qwen_desktop.startup import wants_window

    if wants_window(args):
        from qwen_desktop.app import open_window

        return open_window(args)
    from qwen_desktop.cli import main as command

    return command(args)


if __name__ == "__main__":
    raise SystemExit(main())
