"""Every user-visible string in ui/ goes through Qt's translation system, and every translation
is complete and compiled."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "desktop" / "qwen_desktop" / "ui"
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN", "ja_JP")
_TAG = re.compile(r"<[^>]*>")
_PROSE = re.compile(r"[A-Za-z][a-z']+[,:;.…—]* +[A-Za-z]")

ALL_ARGS: tuple[int, ...] = ()
TEXT_CALLS: dict[str, tuple[int, ...]] = {
    "setText": ALL_ARGS, "setToolTip": ALL_ARGS, "setPlaceholderText": ALL_ARGS,
    "setWindowTitle": ALL_ARGS, "setStatusTip": ALL_ARGS, "setWhatsThis": ALL_ARGS,
    "setTitle": ALL_ARGS, "setLabelText": ALL_ARGS, "setInformativeText": ALL_ARGS,
    "setDetailedText": ALL_ARGS, "setSpecialValueText": ALL_ARGS, "setSuffix": ALL_ARGS,
    "setPrefix": ALL_ARGS, "setAccessibleDescription": ALL_ARGS, "showMessage": ALL_ARGS,
    "setNameFilter": ALL_ARGS, "setHtml": ALL_ARGS, "setMarkdown": ALL_ARGS,
    "setPlainText": ALL_ARGS, "setHeaderLabels": ALL_ARGS, "setHorizontalHeaderLabels": ALL_ARGS,
    "addItem": (0,), "insertItem": (1,), "addItems": ALL_ARGS, "addTab": (1, 2),
    "insertTab": (2, 3), "setTabText": (1,), "setTabToolTip": (1,), "setItemText": (1,),
    "addRow": (0,), "addAction": ALL_ARGS, "addMenu": ALL_ARGS, "addButton": (0,),
    "addSection": ALL_ARGS, "information": (1, 2), "warning": (1, 2), "critical": (1, 2),
    "question": (1, 2), "about": (1, 2), "getSaveFileName": (1,), "getOpenFileName": (1,),
    "getOpenFileNames": (1,), "getExistingDirectory": (1,), "getText": (1, 2),
    "QLabel": ALL_ARGS, "QPushButton": ALL_ARGS, "QToolButton": ALL_ARGS, "QCheckBox": ALL_ARGS,
    "QRadioButton": ALL_ARGS, "QGroupBox": ALL_ARGS, "QAction": ALL_ARGS, "QMenu": ALL_ARGS,
    "QMessageBox": ALL_ARGS, "QFileDialog": (1,), "QCommandLinkButton": ALL_ARGS,
    "QListWidgetItem": ALL_ARGS, "QStandardItem": ALL_ARGS,
    # the app's own helpers that put text on screen
    "small_label": (0,), "action_button": (0, 1), "add_button": (0, 1), "flash": (1,),
    "show_notice": ALL_ARGS, "set_blocked": ALL_ARGS, "set_status": ALL_ARGS, "show_for": (1,),
    "set_title": ALL_ARGS, "set_message": ALL_ARGS, "set_hint": ALL_ARGS, "show_status": ALL_ARGS,
    "show_success": ALL_ARGS, "show_failure": ALL_ARGS, "show_warning": ALL_ARGS,
    "show_note": ALL_ARGS, "show_busy": ALL_ARGS, "muted": ALL_ARGS, "_heading": ALL_ARGS,
    "_caption": (0,), "named": (2,), "set_placeholder": ALL_ARGS, "set_full_text": ALL_ARGS,
    "offer": ALL_ARGS, "drawText": ALL_ARGS,
}
TEXT_KEYWORDS = frozenset({"text", "title", "tooltip", "toolTip", "label", "caption", "message",
                           "placeholder", "sentence"})
NOT_TEXT = frozenset({"Qwen Desktop", "Model Studio", "DashScope", "Qwen", "API Key", "sk-…", "sk-",
                      "DASHSCOPE_API_KEY", "Apache License 2.0", "DejaVu Sans Mono"})
"""Names that stay the same in every language."""


@dataclass(frozen=True)
class Untranslated:
    path: str
    line: int
    call: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.call}({self.text!r})"


def _is_text(text: str) -> bool:
    stripped = text.strip()
    return (any(ch.isalpha() for ch in stripped) and stripped not in NOT_TEXT
            and not stripped.startswith(("http://", "https://")))


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _literal_text(node: ast.AST) -> str | None:
    """The letters a user would read, if ``node`` builds text from a literal outside tr()."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = _TAG.sub("", node.value)
        return text if _is_text(text) else None
    if isinstance(node, ast.JoinedStr):
        parts = "".join(v.value for v in node.values
                        if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return _literal_text(ast.Constant(parts))
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) or _literal_text(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_text(node.body) or _literal_text(node.orelse)
    if isinstance(node, ast.BoolOp):
        return next(filter(None, map(_literal_text, node.values)), None)
    if isinstance(node, (ast.Tuple, ast.List)):
        return next(filter(None, map(_literal_text, node.elts)), None)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in ("format", "join", "replace", "strip"):
            return _literal_text(node.func.value)
    return None


def untranslated(source: str, path: str) -> Iterator[Untranslated]:
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        positions = TEXT_CALLS.get(name)
        if positions is None:
            continue
        args = [a for i, a in enumerate(node.args) if not positions or i in positions]
        args += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for arg in args:
            text = _literal_text(arg)
            if text is not None:
                yield Untranslated(path, node.lineno, name, text)


MARKERS = frozenset({"tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"})
NOT_PROSE_CALLS = MARKERS | frozenset({
    "debug", "info", "warning", "error", "exception", "setObjectName", "setAccessibleName",
    "setStyleSheet", "setProperty", "QKeySequence", "QFont", "getattr", "startswith", "endswith"})


def prose_outside_translation(source: str, path: str) -> Iterator[Untranslated]:
    """Sentence-like literals anywhere (module constants, return values) that skip tr()."""
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))
        elif isinstance(node, ast.Call) and _call_name(node) in NOT_PROSE_CALLS:
            skipped.update(id(child) for child in ast.walk(node))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in skipped):
            text = _TAG.sub("", node.value)
            if any(mark in node.value for mark in ";{}<") or not _is_text(text):
                continue
            if _PROSE.search(text):
                yield Untranslated(path, node.lineno, "literal", node.value)


def ui_sources() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def test_the_scanner_finds_bare_text_and_accepts_wrapped_text() -> None:
    bare = """
label = QLabel("Hello", self)
button.setToolTip(f"Send {n} now")
box.setText("Yes" if ok else "No")
combo.addItem("Full history", "full")
"""
    wrapped = """
label = QLabel(self.tr("Hello"), self)
button.setToolTip(self.tr("Send %1 now").replace("%1", str(n)))
combo.addItem(QCoreApplication.translate("Bar", "Full history"), "full")
close.setText("×")
label.setText(f"{a} · {b}")
"""
    assert [u.text for u in untranslated(bare, "x.py")] == [
        "Hello", "Send  now", "Yes", "Full history"]
    assert list(untranslated(wrapped, "x.py")) == []


def test_every_user_visible_string_in_ui_is_wrapped_for_translation() -> None:
    found = [u for path in ui_sources()
             for u in untranslated(path.read_text(encoding="utf-8"), path.name)]
    assert not found, "wrap these in tr() / QCoreApplication.translate():\n" + "\n".join(map(str, found))


def test_no_sentence_in_ui_skips_translation() -> None:
    found = [u for path in ui_sources()
             for u in prose_outside_translation(path.read_text(encoding="utf-8"), path.name)]
    assert not found, "mark these with QT_TRANSLATE_NOOP or tr():\n" + "\n".join(map(str, found))


def _messages(ts: Path) -> list[ET.Element]:
    return list(ET.parse(ts).getroot().iter("message"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_ts_entry_is_translated(language: str) -> None:
    ts = I18N / f"qwen_desktop_{language}.ts"
    problems = []
    for message in _messages(ts):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        kind = translation.get("type")
        if kind in ("unfinished", "vanished", "obsolete") or not (translation.text or "").strip():
            problems.append(f"{kind or 'empty'}: {source!r}")
        elif "%1" in source and "%1" not in (translation.text or ""):
            problems.append(f"placeholder %1 lost: {source!r}")
    assert _messages(ts), f"{ts.name} has no messages"
    for context in ET.parse(ts).getroot().iter("context"):
        if not (context.findtext("name") or "").strip():
            problems.append("messages without a context: call QCoreApplication.translate(context, "
                            "text) instead of a helper named tr()")
    assert not problems, f"{ts.name}:\n" + "\n".join(problems)


def test_ts_files_list_every_string_the_source_marks() -> None:
    """Running lupdate over ui/ adds nothing new: the .ts files are current."""
    build = _build_module()
    for language in LANGUAGES:
        ts = I18N / f"qwen_desktop_{language}.ts"
        marked = build.extract_sources()
        present = {(m.findtext("source") or "") for m in _messages(ts)}
        missing = sorted(marked - present)
        assert not missing, f"{ts.name} lacks (run resources/i18n/build.py): {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_qm_is_up_to_date(language: str) -> None:
    build = _build_module()
    ts = I18N / f"qwen_desktop_{language}.ts"
    qm = I18N / f"qwen_desktop_{language}.qm"
    assert qm.is_file(), f"{qm.name} missing: run resources/i18n/build.py"
    assert build.compile_to_bytes(ts) == qm.read_bytes(), (
        f"{qm.name} is stale: run resources/i18n/build.py")


def _build_module() -> object:
    import importlib.util

    spec = importlib.util.spec_from_file_location("i18n_build", I18N / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lupdate_extracts_the_forms_the_ui_uses() -> None:
    """tr(), QCoreApplication.translate() and QT_TRANSLATE_NOOP() all reach the .ts files."""
    marked = _build_module().extract_sources()  # type: ignore[attr-defined]
    for text in ("Send", "New conversation", "Full history", "Too many requests right now: "
                 "the service asked to slow down."):
        assert text in marked, text
