"""The package's shape: the core stays free of Qt, the window's parts stay in their layers (import-linter),
and no module imports another in a circle."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CORE = REPO_ROOT / "desktop" / "qwen_desktop" / "core"
CONTRACT = "core stays free of Qt"
FORBIDDEN = ("PySide6", "qasync", "shiboken6")


def test_import_linter_contract_is_kept() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT / "desktop"),
                                                                          os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    kept = [line for line in output.splitlines() if line.startswith(CONTRACT)]
    assert kept and all(line.rstrip().endswith("KEPT") for line in kept), output
    verdicts = [line for line in output.splitlines() if line.rstrip().endswith(("KEPT", "BROKEN"))]
    assert len(verdicts) >= 3 and not any(line.rstrip().endswith("BROKEN") for line in verdicts), output


def _import_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), i.e. modules importing in a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(edges.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return cycles


def test_cycle_finder_sees_a_circle() -> None:
    assert _import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_in_a_circle() -> None:
    """Imports inside functions count too: a lazy import in a circle is still a circle."""
    import grimp

    sys.path.insert(0, str(REPO_ROOT / "desktop"))
    graph = grimp.build_graph("qwen_desktop", cache_dir=None)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert len(edges) > 100
    assert _import_cycles(edges) == []


def _imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in (
            "import_module", "__import__"
        ):
            names.update(arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return names


def test_core_sources_never_import_qt() -> None:
    sources = sorted(CORE.rglob("*.py"))
    assert sources
    offenders = []
    for path in sources:
        for name in _imported_modules(path.read_text(encoding="utf-8")):
            if name.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(REPO_ROOT)} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_every_part_of_the_window_says_what_it_is() -> None:
    ui = REPO_ROOT / "desktop" / "qwen_desktop" / "ui"
    parts = sorted(p for p in ui.iterdir() if (p / "__init__.py").exists())
    assert len(parts) >= 8
    for part in parts:
        docstring = ast.get_docstring(ast.parse((part / "__init__.py").read_text(encoding="utf-8")))
        assert docstring, f"ui/{part.name}/__init__.py has no docstring"
        assert docstring.count(". ") == 0 and docstring.endswith("."), f"ui/{part.name}: one sentence, please"
