"""The documents' metadata as the catalog lists them, each record made when first read.

Every open reads the catalog, a row per article; making a ``DocumentMeta`` of each row there
cost a tenth of an open at 25,000 articles (and the collector's walks over the records), while
an answer reads the metadata of the ten or so articles it quotes. So the rows stay as the JSON
parser made them and a record is made the first time its position is read (and kept). Their
shape is checked whole at the open, as before, so a malformed catalog still fails there.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

from index.retrieval.tables import DocumentMeta

# A row: title, URL, date, author, and for a document read from a web page the copy it was read
# from (``store.write_catalog``).
_PLAIN, _COPIED = 4, 5


class CatalogMetas(Sequence[DocumentMeta]):
    """``DocumentMeta`` of the catalog's ``rows``, document ``i`` at ``prefix + paths[i]``."""

    __slots__ = ("_copied", "_made", "_paths", "_prefix", "_rows")

    def __init__(self, rows: list[list[Any]], paths: dict[int, str], prefix: str) -> None:
        if not set(range(len(rows))) <= paths.keys():
            raise KeyError("a catalog document has no file")
        self._copied = [i for i, row in enumerate(rows) if len(row) != _PLAIN]
        if any(len(rows[i]) != _COPIED for i in self._copied):
            raise ValueError("a catalog document row has the wrong number of fields")
        self._rows = rows
        self._paths = paths
        self._prefix = prefix
        self._made: list[DocumentMeta | None] = [None] * len(rows)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, position: int) -> DocumentMeta: ...

    @overload
    def __getitem__(self, position: slice) -> Sequence[DocumentMeta]: ...

    def __getitem__(self, position: int | slice) -> DocumentMeta | Sequence[DocumentMeta]:
        if isinstance(position, slice):
            return tuple(self[i] for i in range(*position.indices(len(self))))
        made = self._made[position]
        if made is None:
            made = self._make(position % len(self._rows) if position < 0 else position)
            self._made[position] = made
        return made

    def __iter__(self) -> Iterator[DocumentMeta]:
        return (self[i] for i in range(len(self)))

    def copied(self) -> list[int]:
        """The positions of the documents read from a web page (a copy kept beside the index):
        what an open checks is still there, without making every record."""
        return list(self._copied)

    def _make(self, position: int) -> DocumentMeta:
        row = self._rows[position]
        path = self._prefix + self._paths[position]
        if len(row) == _PLAIN:
            return DocumentMeta(path, *row)
        title, url, published, author, copy = row
        return DocumentMeta(copy, title, url, published, author, path)


def copied_positions(metas: Sequence[DocumentMeta]) -> list[int]:
    """The positions of ``metas`` whose document was read from a web page."""
    if isinstance(metas, CatalogMetas):
        return metas.copied()
    return [i for i, meta in enumerate(metas) if meta.source is not None]
