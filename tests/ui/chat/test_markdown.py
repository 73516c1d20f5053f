from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from qwen_desktop.ui.chat.markdown import MarkdownRenderer, MarkdownTheme, render_markdown
from qwen_desktop.ui.chat.stream import BlockSplitter

SAMPLE = """# Title

## Section

Text with `inline` and ~~gone~~.

| Name | Size |
|------|-----:|
| a    | 1    |

> quoted

```python
def add(a, b):
    return a + b
```
"""


def test_headings_tables_and_code_render_as_qt_html() -> None:
    html = render_markdown(SAMPLE).html
    assert re.search(r"<h1[^>]*>Title</h1>", html)
    assert re.search(r"<h2[^>]*>Section</h2>", html)
    assert re.search(r'<table[^>]*border="1"', html)
    assert re.search(r"<th[^>]*>Name</th>", html)
    assert re.search(r'<td align="right"[^>]*>1</td>', html)
    assert "<s>gone</s>" in html
    assert re.search(r"<code[^>]*background-color:[^>]*>.*inline", html)
    assert "<pre" in html


def test_code_block_is_highlighted_and_has_copy_header() -> None:
    rendered = render_markdown(SAMPLE)
    assert re.search(r'<span style="color: #[0-9A-Fa-f]{3,6}[^"]*">def</span>', rendered.html)
    assert 'href="copy:0"' in rendered.html
    assert ">python<" in rendered.html
    assert rendered.code_blocks == ("def add(a, b):\n    return a + b",)


def test_code_indices_continue_from_offset() -> None:
    rendered = MarkdownRenderer().render("```\none\n```\n\n    two\n", first_code_index=3)
    assert rendered.code_blocks == ("one", "two")
    assert 'href="copy:3"' in rendered.html and 'href="copy:4"' in rendered.html


def test_raw_html_is_escaped() -> None:
    html = render_markdown('<script>alert(1)</script>\n\n<img src="http://example.com/x.png">').html
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_images_become_links_and_unsafe_links_stay_text() -> None:
    html = render_markdown("![chart](http://example.com/c.png) [x](javascript:alert(1))").html
    assert "<img" not in html
    assert 'href="http://example.com/c.png"' in html
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html)[0]
    assert 'href="javascript' not in html


def test_theme_colours_are_used() -> None:
    theme = MarkdownTheme(code_background="#123456", border="#abcdef", link="#fedcba")
    html = MarkdownRenderer(theme).render(SAMPLE + "\n[l](https://qwen.ai)").html
    assert "#123456" in html and "#abcdef" in html and "#fedcba" in html


def test_splitter_finishes_blocks_at_blank_lines_outside_fences() -> None:
    splitter = BlockSplitter()
    assert splitter.feed("para one\n\n") == []
    assert splitter.feed("para two\n") == ["para one\n\n"]
    assert splitter.feed("```\ncode\n\nmore\n") == []
    assert splitter.feed("```\n\nafter") == ["para two\n```\ncode\n\nmore\n```\n"]
    assert splitter.tail == "\nafter"


def test_splitter_finishes_headings_and_indented_fences_wait() -> None:
    splitter = BlockSplitter()
    assert splitter.feed("## Title\ntext\n") == ["## Title\n"]
    assert splitter.feed("- item\n\n  ```\n  code\n  ```\n") == []
    assert splitter.tail == "text\n- item\n\n  ```\n  code\n  ```\n"


def test_splitter_keeps_indented_continuations_together() -> None:
    splitter = BlockSplitter()
    assert splitter.feed("1. item\n\n   continued\n\n2. next\n") == ["1. item\n\n   continued\n\n"]
    assert splitter.tail == "2. next\n"


def test_splitter_chunks_equal_whole_text() -> None:
    text = "# H\n\nsome text\n\n```py\nx = 1\n\ny = 2\n```\n\n- a\n- b\n\nend"
    splitter = BlockSplitter()
    blocks = [b for ch in text for b in splitter.feed(ch)]
    assert "".join(blocks) + splitter.tail == text
    assert len(blocks) == 4


@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(["text", " ", "\n", "\n\n", "# H", "```", "~~~", "  ", "- item", "1. x", "\t"]),
                    max_size=80),
    cuts=st.lists(st.integers(min_value=1, max_value=40), min_size=1),
)
def test_splitter_gives_the_same_blocks_however_the_text_is_chunked(pieces: list[str], cuts: list[int]) -> None:
    text = "".join(pieces)
    whole = BlockSplitter()
    expected = whole.feed(text)
    chunked = BlockSplitter()
    blocks: list[str] = []
    position = i = 0
    while position < len(text):
        blocks += chunked.feed(text[position:position + cuts[i % len(cuts)]])
        position += cuts[i % len(cuts)]
        i += 1
    assert blocks == expected
    assert chunked.tail == whole.tail
    assert chunked.in_fence == whole.in_fence
    assert "".join(blocks) + chunked.tail == text
