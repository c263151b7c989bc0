"""The YAML front matter of a Markdown article, read as a few plain ``key: value`` lines.

Front matter needs nothing of YAML beyond scalars, and YAML's other features are attack surface
in files Verbatim did not write: anchors and aliases expand exponentially ("billion laughs"),
tags build objects. So a front matter using anchors, aliases or tags is refused (the article is
named and skipped), nested values are ignored, each value is capped at ``MAX_VALUE`` characters
and the whole block at ``MAX_BLOCK``. PyYAML's ``SafeLoader`` does the parsing; its scanner is
run first so that no alias is ever expanded.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from index.errors import ArticleError

MAX_BLOCK = 64 * 1024
MAX_VALUE = 2000
_OPENING = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_BLOCK = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_SCALARS = (str, int, float, bool, datetime.date)


def split_front_matter(text: str, path: Path) -> tuple[dict[str, str], int]:
    """The front matter's scalar values as stripped strings, and where the body starts."""
    if not _OPENING.match(text):
        return {}, 0
    match = _BLOCK.match(text)
    if match is None:
        raise ArticleError(path, "its front matter opens with '---' but no '---' line closes it")
    block = match.group(1)
    if len(block) > MAX_BLOCK:
        raise ArticleError(path, f"its front matter is longer than {MAX_BLOCK // 1024} KiB")
    return _values(_parse(block, path), path), match.end()


def _parse(block: str, path: Path) -> object:
    import yaml  # imported lazily: only Markdown articles with front matter need it

    refused = (yaml.AnchorToken, yaml.AliasToken, yaml.TagToken)
    try:
        if any(isinstance(token, refused) for token in yaml.scan(block, Loader=yaml.SafeLoader)):
            raise ArticleError(
                path, "its front matter uses YAML anchors, aliases or tags; write key: value lines"
            )
        return yaml.safe_load(block)
    except yaml.YAMLError as exc:
        raise ArticleError(path, f"its front matter is not valid YAML ({_problem(exc)})") from exc


def _values(data: object, path: Path) -> dict[str, str]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ArticleError(path, "its front matter must be key: value lines")
    values: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(key, str) or value is None or not isinstance(value, _SCALARS):
            continue  # nested values are not front matter Verbatim reads
        text = str(value).strip()
        if len(text) > MAX_VALUE:
            raise ArticleError(path, f"its front matter {key!r} is over {MAX_VALUE} characters")
        if text:
            values[key] = text
    return values


def _problem(exc: Exception) -> str:
    """PyYAML's message in one line: the problem and where, without the quoted context."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    return f"{problem} at line {mark.line + 1}" if mark is not None else str(problem)
