"""The core knows nothing of Discord or of event loops: read its imports and fail if it does."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

INDEX = Path(__file__).resolve().parent.parent / "index"
FORBIDDEN = {"discord", "asyncio", "aiohttp"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(INDEX.rglob("*.py")), ids=lambda p: p.name)
def test_index_module_imports_no_discord_or_asyncio(path: Path) -> None:
    assert not imported_modules(path) & FORBIDDEN


def test_the_import_reader_sees_forbidden_imports(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import asyncio\nfrom discord.ext import commands\n", encoding="utf-8")
    assert imported_modules(bad) & FORBIDDEN == {"asyncio", "discord"}
