"""The layout holds: imports run one way, the core knows nothing of Discord or event loops, and
the front ends reach the core only through its facade. Read from the real import graph."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INDEX = ROOT / "index"
FORBIDDEN = {"discord", "asyncio", "aiohttp"}
PACKAGES = ("index", "bot", "benchmarks")
# Each stage of the core imports only the stages ranked below it (and its own modules).
STAGE_RANK = {
    "errors": 0,
    "model": 0,
    "pacing": 0,
    "ingest": 1,
    "text": 1,
    "retrieval": 2,
    "answering": 3,
    "summaries": 3,
    "storage": 3,
    "live": 4,
}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports (any depth: functions, TYPE_CHECKING)."""
    return {name.split(".")[0] for name in imports_of(path)}


def imports_of(path: Path) -> set[str]:
    """Dotted names ``path`` imports, resolved to a module where ``from a import b`` names one."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                names.add(candidate if _is_module(candidate) else node.module)
    return names


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Our own modules and the modules of ours each imports."""
    modules = {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    return {
        name: {target for target in imports_of(path) if target in modules and target != name}
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a path of module names, or ``[]`` (depth-first, three colours)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


@pytest.mark.parametrize("path", sorted(INDEX.rglob("*.py")), ids=lambda p: module_name(p))
def test_index_module_imports_no_discord_or_asyncio(path: Path) -> None:
    assert not imported_modules(path) & FORBIDDEN


def test_the_import_reader_sees_forbidden_imports(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import asyncio\nfrom discord.ext import commands\n", encoding="utf-8")
    assert imported_modules(bad) & FORBIDDEN == {"asyncio", "discord"}


def test_no_import_cycle_in_index_bot_or_benchmarks() -> None:
    assert find_cycle(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_the_core_never_imports_a_front_end() -> None:
    graph = import_graph()
    for name, targets in graph.items():
        if name.startswith("index"):
            assert not {t for t in targets if not t.startswith("index")}, name


def test_front_ends_reach_the_core_only_through_its_facade() -> None:
    for name, targets in import_graph().items():
        if name.startswith("bot"):
            inner = {t for t in targets if t.startswith("index.")}
            assert not inner, f"{name} imports {sorted(inner)}: import from index instead"


def test_each_stage_imports_only_the_stages_below_it() -> None:
    for name, targets in import_graph().items():
        parts = name.split(".")
        if parts[0] != "index" or len(parts) < 2:
            continue
        rank = STAGE_RANK[parts[1]]
        for target in targets:
            stage = target.split(".")[1] if "." in target else None
            assert stage is not None, f"{name} imports the facade"
            if stage != parts[1]:
                assert STAGE_RANK[stage] < rank, f"{name} (stage {parts[1]}) imports {target}"


def test_cogs_are_loaded_by_name_never_imported() -> None:
    for name, targets in import_graph().items():
        if name.startswith("bot"):
            assert not {t for t in targets if t.startswith("bot.discord.cogs.")}, name
