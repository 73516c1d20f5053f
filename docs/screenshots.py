"""Render the real window against the simulator to PNGs under docs/.

    uv run python docs/screenshots.py            # every scene
    uv run python docs/screenshots.py main       # only the named scenes
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

import keyring  # noqa: E402
import qasync  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from qwen_desktop.core.client import ChatClient  # noqa: E402
from qwen_desktop.core.secrets import KeyStore  # noqa: E402
from qwen_desktop.core.services import build_services  # noqa: E402
from qwen_desktop.core.types import ThinkingMode  # noqa: E402
from qwen_desktop.ui.main_window import MainWindow  # noqa: E402
from tests.keyring_backends import MemoryKeyring  # noqa: E402
from tests.simulator import Reply, Simulator  # noqa: E402

OUT = ROOT / "docs"

ANSWER = """## Reading a CSV file

Python's standard library covers this well:

- `csv.reader` for plain rows
- `csv.DictReader` when the file has a header row

```python
import csv

def load(path: str) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))  # one dict per row
```

| Option | Speed | Needs install |
| --- | --- | --- |
| csv.DictReader | fast | no |
| pandas | fastest for big files | yes |
"""

REASONING = ("The user wants to read a CSV file with a header row. DictReader maps each row "
             "to a dict keyed by the header, which is exactly what they asked for. I should "
             "show a short typed function and mention pandas as the alternative for big files.")


class Scene:
    def __init__(self, app: QApplication, sim: Simulator, data_dir: Path) -> None:
        self.app = app
        self.sim = sim
        self.services = build_services(
            data_dir, region_overrides={r: sim.base_url(r) for r in sim.regions}, env={},
            keys=KeyStore(env={}), client=ChatClient(max_attempts=1),
        )
        for region, key in sim.regions.items():
            self.services.keys.set(region, key)
        self.window = MainWindow(self.services)
        self.window.resize(1180, 760)
        self.window.show()

    async def wait(self, predicate: Callable[[], bool], timeout: float = 15) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() > deadline:
                raise TimeoutError("scene did not settle")
            await asyncio.sleep(0.02)

    async def say(self, text: str, reply: Reply) -> None:
        self.sim.enqueue(reply)
        self.window.composer.set_text(text)
        self.window.composer.send_button.click()
        await asyncio.sleep(0.05)
        await self.wait(lambda: not self.window.is_streaming())
        self.window.view.flush()

    async def shot(self, name: str, dark: bool) -> Path:
        self.services.config.theme = "dark" if dark else "light"
        self.window.apply_preferences()
        await asyncio.sleep(0.3)
        path = OUT / f"{name}-{'dark' if dark else 'light'}.png"
        self.window.grab().save(str(path))
        return path

    async def close(self) -> None:
        await self.window.shutdown()
        self.window.close()
        await self.services.aclose()


async def main_scene(scene: Scene) -> list[Path]:
    for title in ("Trip to Kyoto in autumn", "SQL window functions", "Regex for ISO dates"):
        await scene.say(title, Reply(content="Here is a short answer."))
        scene.window.new_conversation()
    settings = scene.window.current_settings().with_(thinking=ThinkingMode.ON,
                                                     model="qwen3-max")
    scene.window.bar.set_settings(settings)
    scene.window.draft_settings = settings
    await scene.say("How do I read a CSV file with a header row in Python?",
                    Reply(reasoning=REASONING, content=ANSWER, chunk_chars=12, delay=0.03))
    widgets = [w for w in scene.window.view.message_widgets() if getattr(w, "thinking", None)]
    widgets[-1].thinking.set_expanded(True)
    scene.window.composer.set_text("Can you also show the pandas version?")
    return [await scene.shot("screenshot", dark) for dark in (False, True)]


def chart_png(path: Path) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 400), "white")
    draw = ImageDraw.Draw(image)
    values = [120, 180, 150, 260, 310, 280]
    for i, value in enumerate(values):
        x = 70 + i * 90
        draw.rectangle([x, 360 - value, x + 56, 360], fill=(47, 111, 222))
        draw.text((x + 14, 368), f"Q{i + 1}", fill="black")
    draw.line([50, 360, 610, 360], fill="black", width=2)
    draw.line([50, 30, 50, 360], fill="black", width=2)
    draw.text((240, 8), "Orders per quarter", fill="black")
    image.save(path)
    return path


async def images_scene(scene: Scene) -> list[Path]:
    settings = scene.window.current_settings().with_(model="qwen3-vl-plus")
    scene.window.bar.set_settings(settings)
    scene.window.draft_settings = settings
    chart = chart_png(Path(scene.services.data_dir) / "orders-chart.png")
    scene.window.offer_images([chart])
    await scene.wait(lambda: len(scene.window.composer.tray.images()) == 1)
    answer = ("The chart shows **orders per quarter** rising from about 120 in Q1 to a peak of "
              "about 310 in Q5, with a small dip in Q3 and Q6.\n\n"
              "- Strongest growth: Q3 → Q4 (+110)\n- Peak: Q5\n- Overall: roughly 2.3× Q1")
    await scene.say("What trend does this chart show?", Reply(content=answer, chunk_chars=30))
    return [await scene.shot("images", dark) for dark in (False, True)]


SCENES: dict[str, Callable[[Scene], object]] = {"main": main_scene, "images": images_scene}


async def run(names: list[str]) -> None:
    app = QApplication.instance()
    with Simulator() as sim:
        for name in names:
            with tempfile.TemporaryDirectory() as tmp:
                scene = Scene(app, sim, Path(tmp))
                try:
                    for path in await SCENES[name](scene):  # type: ignore[misc]
                        print(path.relative_to(ROOT))
                finally:
                    await scene.close()
    app.quit()


def main() -> int:
    keyring.set_keyring(MemoryKeyring())
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Qwen Desktop")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    names = sys.argv[1:] or list(SCENES)
    with loop:
        QTimer.singleShot(0, lambda: None)
        loop.run_until_complete(run(names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
