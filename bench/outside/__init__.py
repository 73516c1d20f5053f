"""Measuring the real app from outside its process, under Xvfb.

    from outside import x_session, DataFolder, start_app, start_bare_window, read_probe

    with x_session() as (server, watcher):
        data = DataFolder.create(tmp)
        data.set_key("intl", key)
        app = start_app(server.display, data, region_urls=urls, lag_probe=tmp / "lag.txt")
        seen = watcher.wait_painted(app.pid, alive=app.popen)   # seen.painted - app.started
        watcher.focus(seen.window); watcher.type_text("hello"); enter = watcher.key("Return")
        ticks = read_probe(tmp / "lag.txt", since=seen.painted)
        app.close()

``bench/outside_start.py`` uses it for start-up and the first send; see xserver.py for how a
window is judged painted.
"""

from .processes import (DataFolder, Process, Tick, cpu_seconds, load_average, read_probe, rss_mb,
                        start_app, start_bare_window, wait_for_probe)
from .xserver import Seen, Watcher, Xvfb, x_session, xvfb_missing

__all__ = ["DataFolder", "Process", "Seen", "Tick", "Watcher", "Xvfb", "cpu_seconds", "load_average",
           "read_probe", "rss_mb", "start_app", "start_bare_window", "wait_for_probe", "x_session",
           "xvfb_missing"]
