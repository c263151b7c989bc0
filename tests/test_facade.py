"""The facade imports lazily, and what it serves is what it declares to the type checker."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import index

ROOT = Path(__file__).resolve().parent.parent


def declared() -> dict[str, tuple[str, str]]:
    """Name -> (module, attribute) from the facade's ``if TYPE_CHECKING:`` imports."""
    tree = ast.parse((ROOT / "index" / "__init__.py").read_text(encoding="utf-8"))
    found: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom) and statement.module
                for alias in statement.names:
                    found[alias.asname or alias.name] = (statement.module, alias.name)
    return found


def test_the_lazy_table_the_type_checked_imports_and_all_agree() -> None:
    table = declared()
    assert table and table == index._LAZY
    assert sorted(index.__all__) == sorted(table)


@pytest.mark.parametrize("name", sorted(index._LAZY))
def test_each_name_is_the_object_its_module_defines(name: str) -> None:
    module, attribute = index._LAZY[name]
    assert getattr(index, name) is getattr(importlib.import_module(module), attribute)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        index.no_such_name  # noqa: B018


def test_importing_the_facade_imports_none_of_the_stages() -> None:
    code = "import sys, index; print(sorted(m for m in sys.modules if m.startswith('index.')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
