"""Lists of small arrays pickled as one array and where each piece starts.

The two-core build's worker sends its documents back pickled, and its parts hold four small
arrays a document (passage rows, paragraphs, piece starts and ends): ~50,000 at a million
sentences, each unpickled on its own (~8 µs: ~0.4 s the build waits for, after the worker's
end). Joined, they are four arrays; split again on arrival, into views of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class Joined:
    """Arrays end to end (``values``) and where each but the first starts (``cuts``)."""

    values: npt.NDArray[Any]
    cuts: npt.NDArray[np.int64]


def join(arrays: list[npt.NDArray[Any]]) -> Joined | list[npt.NDArray[Any]]:
    """``arrays`` joined along their first axis, or as they are when they do not join alike
    (none, or of other types or row shapes: joining would convert them)."""
    if not arrays:
        return arrays
    first = arrays[0]
    if any(a.dtype != first.dtype or a.shape[1:] != first.shape[1:] for a in arrays):
        return arrays
    cuts = np.cumsum([len(a) for a in arrays[:-1]], dtype=np.int64)
    return Joined(np.concatenate(arrays), cuts)


def split(value: Joined | list[npt.NDArray[Any]]) -> list[npt.NDArray[Any]]:
    """The arrays ``join`` was given (views of one array when it joined them)."""
    if isinstance(value, Joined):
        return np.split(value.values, value.cuts)
    return value
