"""Who shares memory with whom: views, `.numpy()` arrays and `from_numpy` tensors.

This is the blitz's NumPy-bridge lesson made visible. Each tensor or ndarray is reduced to the
memory it can reach (a device and a byte range): a tensor to its whole storage, an ndarray to
the buffer of the array that owns it. Two values share memory when their ranges overlap on the
same device. An in-place change to one (`add_`) therefore changes all the others, even an
ndarray, which has no version counter of its own for `Session.detect_changes` to see.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from numpy.lib.array_utils import byte_bounds


@dataclass(frozen=True)
class Extent:
    device: str
    start: int
    end: int  # exclusive

    def overlaps(self, other: Extent) -> bool:
        return self.device == other.device and self.start < other.end and other.start < self.end


def extent(value: Any) -> Extent | None:
    """The memory `value` can reach, or None (not a tensor/array, empty, sparse, meta)."""
    if isinstance(value, torch.Tensor):
        if value.layout != torch.strided or value.device.type == "meta":
            return None
        storage = value.untyped_storage()
        if storage.nbytes() == 0 or storage.data_ptr() == 0:
            return None
        return Extent(str(value.device), storage.data_ptr(), storage.data_ptr() + storage.nbytes())
    if isinstance(value, np.ndarray):
        owner = value
        while isinstance(owner.base, np.ndarray):
            owner = owner.base
        if owner.nbytes == 0:
            return None
        start, end = byte_bounds(owner)
        return Extent("cpu", start, end)
    return None


@dataclass(frozen=True)
class Sharer:
    name: str
    relation: str  # how it relates to the inspected value, in words


def relation(value: Any, other: Any) -> str:
    """How `other` shares memory with `value`, for the storage view."""
    if other is value:
        return "the same object, another name"
    if isinstance(value, torch.Tensor) and isinstance(other, torch.Tensor):
        if other._base is value:
            return "view of it"
        if value._base is other:
            return "its base (it is a view of this)"
        if value._base is not None and other._base is value._base:
            return "view of the same base"
        return "same storage"
    if isinstance(other, np.ndarray):
        return "NumPy array on the same memory"
    return "tensor on the same memory"


def sharers(namespace: Mapping[str, Any], name: str, listed: Any = None, value: Any = None) -> list[Sharer]:
    """Every other name in `namespace` whose memory overlaps that of `name`, sorted by name.

    `listed(name, value)` picks the names to consider (e.g. leave out IPython's `_` cache);
    `value` is given when `name` is not a key itself (a module's parameter, `net.fc.weight`).
    """
    value = namespace[name] if value is None else value
    mine = extent(value)
    if mine is None:
        return []
    found = []
    for other_name, other in namespace.items():
        if other_name == name or (listed is not None and not listed(other_name, other)):
            continue
        theirs = extent(other)
        if theirs is not None and mine.overlaps(theirs):
            found.append(Sharer(other_name, relation(value, other)))
    return sorted(found, key=lambda s: s.name)


def changed_with(namespace: Mapping[str, Any], changed: Iterable[str], listed: Any = None) -> set[str]:
    """Names not in `changed` that share memory with one that is, so changed along with it."""
    changed = {n for n in changed if n in namespace}
    extents = [e for e in (extent(namespace[n]) for n in changed) if e is not None]
    if not extents:
        return set()
    found = set()
    for name, value in namespace.items():
        if name in changed or (listed is not None and not listed(name, value)):
            continue
        theirs = extent(value)
        if theirs is not None and any(theirs.overlaps(e) for e in extents):
            found.add(name)
    return found


def ownership(value: Any) -> str:
    """Whether `value` is a view (shares a base's memory) or owns its memory."""
    if isinstance(value, torch.Tensor):
        return "view" if value._base is not None else "owner"
    if isinstance(value, np.ndarray):
        return "view" if value.base is not None else "owner"
    raise TypeError(f"a {type(value).__name__} has no storage")


class InPlaceWatch:
    """Finds values changed in place that `Session.detect_changes` cannot see, because neither
    their id nor a `_version` of their own changes:

    - ndarrays (`np.add(a, 1, out=a)`): a CRC of each array up to `limit` bytes (hashing larger
      ones after every cell would cost more than it shows);
    - modules (`optimizer.step()` updates the parameters): the sum of their tensors' versions.
    """

    def __init__(self, limit: int = 1 << 20):
        self.limit = limit
        self._digests: dict[str, tuple[int, int]] = {}  # name -> (id, digest)

    def digest(self, value: Any) -> int | None:
        if isinstance(value, np.ndarray):
            return zlib.crc32(np.ascontiguousarray(value).tobytes()) if value.nbytes <= self.limit else None
        if isinstance(value, torch.nn.Module):
            tensors = [*value.parameters(), *value.buffers()]
            return sum(t._version for t in tensors)
        return None

    def changed(self, namespace: Mapping[str, Any], listed: Any = None) -> set[str]:
        """Names whose value (the same object as last time) changed its contents."""
        now = {}
        for name, value in namespace.items():
            if listed is None or listed(name, value):
                digest = self.digest(value)
                if digest is not None:
                    now[name] = (id(value), digest)
        found = set()
        for name, (ident, digest) in now.items():
            before = self._digests.get(name)
            if before is not None and before[0] == ident and before[1] != digest:
                found.add(name)
        self._digests = now
        return found
