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
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from qwen_desktop.core.client import ChatClient  # noqa: E402
from qwen_desktop.core.secrets import KeyStore  # noqa: E402
from qwen_desktop.core.services import build_services  # noqa: E402
from qwen_desktop.core.types import Protocol, SearchMode, ThinkingMode  # noqa: E402
from qwen_desktop.ui.common.i18n import install_translators  # noqa: E402
from qwen_desktop.ui.main_window import MainWindow  # noqa: E402
from tests.keyring_backends import MemoryKeyring  # noqa: E402
from tests.sim_search import SearchScript  # noqa: E402
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


TOOLS_REASONING = ("The user asks for today's date and a compound-interest figure. I will call "
                   "the clock and the calculator together, then answer from both results.")
TOOLS_ANSWER = ("Today is **Monday, 14 September 2026** (Shanghai, UTC+08:00).\n\n"
                "With 5,000 at 3.5 % a year for 10 years, compounded yearly, you end up with "
                "**7,052.99** — a gain of about 2,053.")


async def tools_scene(scene: Scene) -> list[Path]:
    from datetime import datetime, timezone

    from qwen_desktop.core.tools import builtin_tools, with_enabled

    moment = datetime(2026, 9, 14, 1, 30, tzinfo=timezone.utc)
    scene.services.tools.builtins = builtin_tools(now=lambda: moment, zone_name="Asia/Shanghai")
    settings = with_enabled(
        scene.window.current_settings().with_(thinking=ThinkingMode.ON, model="qwen3-max"),
        ["current_time", "calculator"],
    )
    scene.window.bar.set_settings(settings)
    scene.window.draft_settings = settings
    calls = [
        {"id": "call_time", "name": "current_time", "arguments": "{}"},
        {"id": "call_calc", "name": "calculator",
         "arguments": '{"expression": "round(5000 * (1 + 0.035) ** 10, 2)"}'},
    ]
    scene.sim.enqueue(Reply(reasoning=TOOLS_REASONING, tool_calls=calls, chunk_chars=16))
    await scene.say("What's the date today, and what do 5,000 at 3.5 % grow to in 10 years?",
                    Reply(content=TOOLS_ANSWER, chunk_chars=24))
    for widget in scene.window.view.message_widgets():
        for card in getattr(widget, "tool_cards", {}).values():
            card.set_expanded(card.name == "calculator")
    return [await scene.shot("tools", dark) for dark in (False, True)]


LOCALIZED = {
    "zh_CN": {
        "history": ("京都秋季旅行计划", "SQL 窗口函数入门", "匹配 ISO 日期的正则表达式"),
        "short": "这是一个简短的回答。",
        "question": "怎样在 Python 中读取带表头的 CSV 文件，并把每一行变成字典？",
        "reasoning": ("用户想读取带表头的 CSV 文件。csv.DictReader 会按表头把每一行映射成字典，"
                      "正好符合需求。给出一个带类型注解的简短函数，再提一下大文件可以用 pandas。"),
        "answer": """## 读取 CSV 文件

Python 标准库就能很好地完成：

- `csv.reader`：逐行读取为列表
- `csv.DictReader`：文件有表头时，每行读取为字典

```python
import csv

def load(path: str) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))  # 每行一个字典
```

| 方案 | 速度 | 需要安装 |
| --- | --- | --- |
| csv.DictReader | 快 | 否 |
| pandas | 大文件最快 | 是 |
""",
        "draft": "能再给一个 pandas 的版本吗？",
    },
    "ja_JP": {
        "history": ("秋の京都旅行プラン", "SQL ウィンドウ関数の基本", "ISO 日付にマッチする正規表現"),
        "short": "簡単な回答です。",
        "question": "Python でヘッダー行付きの CSV ファイルを読み込み、各行を辞書にするにはどうすればいいですか？",
        "reasoning": ("ヘッダー行付きの CSV を読みたいという質問。csv.DictReader はヘッダーをキーにして"
                      "各行を辞書にするので、まさに求められているもの。型注釈付きの短い関数を示し、"
                      "大きなファイルには pandas もあると伝える。"),
        "answer": """## CSV ファイルの読み込み

Python の標準ライブラリで十分に対応できます。

- `csv.reader`：各行をリストとして読み込む
- `csv.DictReader`：ヘッダー行がある場合、各行を辞書として読み込む

```python
import csv

def load(path: str) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))  # 1 行につき 1 つの辞書
```

| 方法 | 速度 | インストール |
| --- | --- | --- |
| csv.DictReader | 速い | 不要 |
| pandas | 大きなファイルで最速 | 必要 |
""",
        "draft": "pandas 版も見せてもらえますか？",
    },
}


def language_scene(language: str) -> Callable[[Scene], object]:
    """The main window in ``language``, with a conversation written in it (docs/screenshot-<language>.png)."""

    async def scene_in(scene: Scene) -> list[Path]:
        text = LOCALIZED[language]
        for title in text["history"]:
            await scene.say(title, Reply(content=text["short"]))
            scene.window.new_conversation()
        settings = scene.window.current_settings().with_(thinking=ThinkingMode.ON, model="qwen3-max")
        scene.window.bar.set_settings(settings)
        scene.window.draft_settings = settings
        await scene.say(text["question"], Reply(reasoning=text["reasoning"], content=text["answer"],
                                                chunk_chars=12, delay=0.02))
        widgets = [w for w in scene.window.view.message_widgets() if getattr(w, "thinking", None)]
        widgets[-1].thinking.set_expanded(True)
        scene.window.composer.set_text(text["draft"])
        scene.services.config.theme = "light"
        scene.window.apply_preferences()
        await asyncio.sleep(0.3)
        path = OUT / f"screenshot-{language}.png"
        scene.window.grab().save(str(path))
        return [path]

    return scene_in



CONTEXT_TALK = (
    ("What is a B-tree, in two sentences?",
     "A B-tree is a balanced search tree whose nodes hold many sorted keys, so each level fans out "
     "widely and lookups touch only a few disk pages. Databases use it for indexes because it stays "
     "shallow even with millions of rows."),
    ("How does that differ from an LSM tree?",
     "An LSM tree buffers writes in memory and flushes them as sorted runs that are merged in the "
     "background. Writes are cheaper than in a B-tree; reads may check several runs."),
    ("Which one does SQLite use?",
     "SQLite stores every table and index as a B-tree (tables as B+trees keyed by rowid) inside a "
     "single file, one page per node."),
    ("And RocksDB?",
     "RocksDB is an LSM-tree engine: a memtable, a write-ahead log and levels of sorted SST files "
     "that compaction merges over time."),
)


async def context_scene(scene: Scene) -> list[Path]:
    """The composer's context meter with its breakdown, and the inspector of the latest reply."""
    from qwen_desktop.core.types import ContextPolicy

    settings = scene.window.current_settings().with_(
        model="qwen-plus", context_policy=ContextPolicy.LAST_N,
        context_params={"n": 2, "max_input": 1200},
        system_prompt="You are a concise database tutor. Answer in short paragraphs.")
    scene.window.bar.set_settings(settings)
    scene.window.draft_settings = settings
    for text, answer in CONTEXT_TALK:
        await scene.say(text, Reply(content=answer, chunk_chars=40))
    actions = scene.window.context_actions
    scene.window.composer.set_text("So which would you pick for a write-heavy event log?")
    actions.meter.details_button.setChecked(True)
    await scene.wait(lambda: actions.meter.meter is not None and actions.meter.meter.sections["new"] > 5)
    reply = scene.window.view.message_widgets()[-1]
    paths = []
    for dark in (False, True):
        scene.services.config.theme = "dark" if dark else "light"
        scene.window.apply_preferences()
        actions.inspect_reply(reply.message_id)
        inspector = actions.inspector
        inspector.resize(560, 420)
        await asyncio.sleep(0.3)
        paths.append(composite(scene.window, inspector, f"context-{'dark' if dark else 'light'}.png"))
        inspector.close()
    return paths


def composite(window: QWidget, dialog: QWidget, name: str) -> Path:
    """The window with a dialog drawn over its middle, as a window manager would show them."""
    from PySide6.QtGui import QColor, QPainter

    image = window.grab().toImage()
    top = dialog.grab()
    painter = QPainter(image)
    x = (image.width() - top.width()) // 2 + 130
    y = (image.height() - top.height()) // 2 - 40
    painter.fillRect(x - 1, y - 1, top.width() + 2, top.height() + 2, QColor(0, 0, 0, 90))
    painter.drawPixmap(x, y, top)
    painter.end()
    path = OUT / name
    image.save(str(path))
    return path


async def usage_scene(scene: Scene) -> list[Path]:
    """A month of replies across models and regions, in the Usage window."""
    import random
    import time

    from qwen_desktop.core.types import ConversationSettings, Role, Usage

    store = scene.services.store
    rng = random.Random(7)
    plan = (("qwen-plus", "intl", 1.0), ("qwen3-max", "intl", 0.35), ("qwen-flash", "intl", 0.8),
            ("qwen-plus", "cn", 0.3))
    now = time.time()
    for model, region, weight in plan:
        cid = store.create_conversation(ConversationSettings(model=model, region_id=region),
                                        f"{model} notes").result()
        for day in range(30):
            for _ in range(rng.randint(0, int(6 * weight) + 1)):
                store.add_message(cid, Role.USER, "question")
                mid = store.add_message(cid, Role.ASSISTANT, "answer", model=model).result()
                size = rng.randint(800, 9000) * (2 if day > 18 else 1)
                cached = int(size * rng.uniform(0.2, 0.7)) if day > 10 else int(size * 0.05)
                reasoning = rng.randint(0, 900) if model == "qwen3-max" else 0
                store.update_message(mid, usage=Usage(size, rng.randint(200, 1500) + reasoning,
                                                      reasoning, cached)).result()
                when = now - (29 - day) * 86_400 - rng.randint(0, 20_000)
                store.run_write(lambda c, m=mid, w=when: c.execute(
                    "UPDATE messages SET created_at = ? WHERE id = ?", (w, m))).result()
    scene.window.sidebar.refresh()
    paths = []
    for dark in (False, True):
        scene.services.config.theme = "dark" if dark else "light"
        scene.window.apply_preferences()
        scene.window.open_usage()
        usage = scene.window._usage
        usage.resize(980, 720)
        usage.refresh()
        await asyncio.sleep(0.3)
        path = OUT / f"usage-{'dark' if dark else 'light'}.png"
        usage.grab().save(str(path))
        paths.append(path)
    return paths


SEARCH_RESULTS = [
    {"index": 1, "site_name": "Hangzhou Daily", "icon": "", "title": "Cold front brings rain and a 10 °C drop",
     "url": "https://news.example.com/hangzhou/cold-front"},
    {"index": 2, "site_name": "Weather Service", "icon": "", "title": "Hangzhou 7-day forecast",
     "url": "https://weather.example.org/hangzhou/7-day"},
    {"index": 3, "site_name": "City Transit", "icon": "", "title": "Metro timetable changes for the weekend",
     "url": "https://transit.example.net/notices/weekend"},
]
SEARCH_ANSWER = ("Tomorrow in **Hangzhou** a cold front arrives: light rain in the morning, clearing "
                 "by evening, with highs around **26 °C** and lows near **22 °C** [1][2].\n\n"
                 "- Take an umbrella before noon [2]\n"
                 "- Weekend metro services run on a changed timetable [3]")


async def search_scene(scene: Scene) -> list[Path]:
    settings = scene.window.current_settings().with_(protocol=Protocol.DASHSCOPE, search=SearchMode.AUTO)
    scene.window.bar.set_settings(settings)
    scene.window.draft_settings = settings
    await scene.say("What will the weather be like in Hangzhou tomorrow?",
                    Reply(content=SEARCH_ANSWER, chunk_chars=16, search=SearchScript(results=SEARCH_RESULTS)))
    return [await scene.shot("search", dark) for dark in (False, True)]


async def versions_scene(scene: Scene) -> list[Path]:
    """A reply in its third version, an edited question's branch switcher, a cut-off reply, the trash."""
    window = scene.window
    for title in ("Packing list for a week in Norway", "Old draft of the cover letter"):
        await scene.say(title, Reply(content="Here is a short answer."))
        window.new_conversation()
    for cid in window.store.conversation_ids():
        window.delete_conversation(cid)
    window.undo_bar.expire()
    await scene.say("Suggest a name for a cat that likes boxes", Reply(content="How about **Carton**?"))
    window.begin_edit(window.store.messages(window.current_id)[0].id)
    await scene.say("Suggest a name for a cat that sleeps in shoe boxes",
                    Reply(content="**Loafer** suits a cat that naps in shoe boxes."))
    for name in ("**Parcel**, because it always arrives in one.", "**Sneaker**, for the shoe boxes."):
        scene.sim.enqueue(Reply(content=name))
        window.regenerate(window.store.messages(window.current_id)[-1].id)
        await asyncio.sleep(0.05)
        await scene.wait(lambda: not window.is_streaming())
    window.view.flush()
    window.select_version(window.store.thread(window.current_id).versions[
        window.store.messages(window.current_id)[-1].id].ids[1])
    await scene.say("Write a short poem about it",
                    Reply(content="Parcel sleeps in cardboard halls,\nwhere the laces softly fall,\n"
                          "dreaming of a", finish_reason="length"))
    window.sidebar.show_trash()
    paths = [await scene.shot("versions", dark) for dark in (False, True)]
    window.sidebar.show_conversations()
    return paths


MATH_ANSWER = r"""The roots of $ax^2 + bx + c = 0$ are

$$x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}$$

For $x^2 - 3x + 2 = 0$ that gives $x = 1$ and $x = 2$; the discriminant $b^2 - 4ac = 1$ is positive,
so both roots are real.
"""


async def desktop_scene(scene: Scene) -> list[Path]:
    """Formulas in a reply, and the command palette over the window."""
    from qwen_desktop.ui.chat.math import preload_math

    preload_math()
    for title in ("Trip to Kyoto in autumn", "SQL window functions"):
        await scene.say(title, Reply(content="Here is a short answer."))
        scene.window.new_conversation()
    await scene.say("Solve a quadratic equation", Reply(content=MATH_ANSWER, chunk_chars=12, delay=0.02))
    paths = []
    for dark in (False, True):
        await scene.shot("desktop", dark)
        scene.window.open_palette()
        palette = scene.window.palette
        assert palette is not None
        palette.field.setText("ky")
        await asyncio.sleep(0.3)
        paths.append(composite(scene.window, palette, f"desktop-{'dark' if dark else 'light'}.png"))
        palette.reject()
    return paths


SCENES: dict[str, Callable[[Scene], object]] = {
    "main": main_scene, "desktop": desktop_scene, "images": images_scene, "tools": tools_scene,
    "zh_CN": language_scene("zh_CN"), "ja_JP": language_scene("ja_JP"),
    "context": context_scene, "usage": usage_scene, "search": search_scene,
    "versions": versions_scene,
}


async def run(names: list[str]) -> None:
    app = QApplication.instance()
    with Simulator() as sim:
        for name in names:
            with tempfile.TemporaryDirectory() as tmp:
                install_translators(name if name in LOCALIZED else "en")
                # The app's "system" language follows the environment, as starters do.
                for variable in ("LC_ALL", "LC_MESSAGES"):
                    os.environ.pop(variable, None)
                os.environ["LANG"] = f"{name}.UTF-8" if name in LOCALIZED else "en_US.UTF-8"
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
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    names = sys.argv[1:] or list(SCENES)
    with loop:
        QTimer.singleShot(0, lambda: None)
        loop.run_until_complete(run(names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
