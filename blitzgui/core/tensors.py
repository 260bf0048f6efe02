"""What the Tensors panel shows about a value: one-line summaries for the variable list, and the
inspector's details, statistics, 2-D planes, histogram samples and images.

Everything here is cheap for big tensors: statistics of more than `EXACT_STATS_LIMIT` elements
come from a random sample (and say so), planes are reduced by striding (a view, no copy) before
they leave the device, and nothing converts a whole large tensor to Python objects.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

EXACT_STATS_LIMIT = 10_000_000
STATS_SAMPLE = 1_000_000
HISTOGRAM_SAMPLE = 200_000


# -- the variable list -----------------------------------------------------------------------------
@dataclass(frozen=True)
class VariableSummary:
    name: str
    kind: str  # "Tensor", "Parameter", "ndarray" or "Module"
    shape: str
    dtype: str
    device: str
    requires_grad: str  # "True"/"False", "" where it does not apply
    grad_fn: str  # the grad_fn's class name, "leaf", or ""
    memory: int  # bytes
    parameters: int = 0  # a module's parameter count (its `shape` says it in English)


def is_listed(name: str, value: Any) -> bool:
    """The variable list shows tensors, arrays and modules, not IPython's `_`/`_3` output cache."""
    return not name.startswith("_") and isinstance(value, torch.Tensor | np.ndarray | nn.Module)


def format_shape(shape: Any) -> str:
    return str(tuple(int(s) for s in shape))


def tensor_bytes(t: torch.Tensor) -> int:
    return t.numel() * t.element_size()


def module_bytes(module: nn.Module) -> int:
    tensors = [*module.parameters(), *module.buffers()]
    return sum(tensor_bytes(t) for t in tensors)


def summarize(name: str, value: Any) -> VariableSummary:
    if isinstance(value, torch.Tensor):
        kind = "Parameter" if isinstance(value, nn.Parameter) else "Tensor"
        grad_fn = type(value.grad_fn).__name__ if value.grad_fn is not None else "leaf"
        return VariableSummary(
            name, kind, format_shape(value.shape), str(value.dtype).removeprefix("torch."), str(value.device),
            str(value.requires_grad), grad_fn, tensor_bytes(value),
        )
    if isinstance(value, np.ndarray):
        shape = format_shape(value.shape)
        return VariableSummary(name, "ndarray", shape, str(value.dtype), "cpu", "", "", value.nbytes)
    if isinstance(value, nn.Module):
        parameters = list(value.parameters())
        devices = sorted({str(p.device) for p in parameters}) or ["cpu"]
        count = sum(p.numel() for p in parameters)
        return VariableSummary(
            name, "Module", f"{type(value).__name__}, {count:,} params", "", ", ".join(devices),
            str(any(p.requires_grad for p in parameters)), "", module_bytes(value), count,
        )
    raise TypeError(f"{name} is a {type(value).__name__}, not a tensor, array or module")


MAX_MODULE_TENSORS = 300  # a module row lists at most this many parameters and buffers


def module_tensors(module: nn.Module) -> list[tuple[str, torch.Tensor]]:
    """A module's parameters and buffers by dotted name (`conv1.weight`), capped."""
    named = [*module.named_parameters(), *module.named_buffers()]
    return named[:MAX_MODULE_TENSORS]


def resolve(namespace: Mapping[str, Any], path: str) -> Any:
    """The value behind a variable-list path: a name, or `net.conv1.weight`; None if gone."""
    root, *attributes = path.split(".")
    value = namespace.get(root)
    for attribute in attributes:
        if not isinstance(value, nn.Module):
            return None
        value = getattr(value, attribute, None)
    return value


def format_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


# -- the inspector ---------------------------------------------------------------------------------
def as_tensor(value: Any) -> torch.Tensor:
    """A tensor view of what the inspector shows (an ndarray shares its memory, no copy,
    except one with negative strides, `np.flip(a)`, which torch cannot represent)."""
    if isinstance(value, torch.Tensor):
        return value.detach()
    if isinstance(value, np.ndarray):
        if value.dtype == object or not value.dtype.isnative:
            raise TypeError(f"cannot inspect an ndarray of dtype {value.dtype}")
        if any(stride < 0 for stride in value.strides):
            return torch.from_numpy(value.copy())
        with warnings.catch_warnings():  # read-only (`np.broadcast_to`): the inspector never writes
            warnings.filterwarnings("ignore", "The given NumPy array is not writable", UserWarning)
            return torch.from_numpy(value)
    raise TypeError(f"cannot inspect a {type(value).__name__}")


def details(t: torch.Tensor, array: np.ndarray | None = None) -> dict[str, str]:
    """The inspector's summary rows, in display order; `array`: the ndarray `t` was made from,
    whose own strides (in elements, maybe negative) and layout are shown."""
    if array is not None:
        stride = format_shape(s // array.itemsize for s in array.strides)
        contiguous = array.flags.c_contiguous
    else:
        stride = format_shape(t.stride()) if t.layout == torch.strided else str(t.layout)
        contiguous = t.is_contiguous()
    return {
        "shape": format_shape(t.shape),
        "stride": stride,
        "dtype": str(t.dtype).removeprefix("torch."),
        "device": str(t.device),
        "is_contiguous": str(contiguous),
        "storage_offset": str(t.storage_offset()) if t.layout == torch.strided else "",
        "numel": f"{t.numel():,}",
        "memory": format_bytes(tensor_bytes(t)),
        "requires_grad": str(t.requires_grad),
    }


@dataclass
class Stats:
    count: int  # elements the figures were computed from
    numel: int
    min: float = math.nan
    max: float = math.nan
    mean: float = math.nan
    std: float = math.nan
    nan_count: int = 0
    inf_count: int = 0
    note: str = ""  # why the figures are approximate or missing

    @property
    def sampled(self) -> bool:
        return self.count < self.numel


def sample(t: torch.Tensor, count: int, seed: int = 0) -> torch.Tensor:
    """Up to `count` elements as a 1-D tensor; a random sample (fixed seed) when there are more.

    Indexes the tensor where it lives, so a huge or non-contiguous tensor is never copied whole.
    """
    if t.numel() <= count:
        return t.reshape(-1)
    generator = torch.Generator().manual_seed(seed)
    flat = torch.randint(t.numel(), (count,), generator=generator)
    return torch.take(t, flat.to(t.device))  # reads t in logical order, whatever its strides


def numeric(t: torch.Tensor) -> torch.Tensor:
    """Values statistics can be computed on: complex -> magnitude, bool/int -> float."""
    if t.is_complex():
        return t.abs()
    if not t.is_floating_point():
        return t.float()
    return t


def stats(t: torch.Tensor) -> Stats:
    if t.device.type == "meta" or t.layout != torch.strided:
        return Stats(0, t.numel(), note=f"no values to summarise on a {t.layout}/{t.device.type} tensor")
    if t.numel() == 0:
        return Stats(0, 0, note="empty tensor")
    values = numeric(sample(t, STATS_SAMPLE) if t.numel() > EXACT_STATS_LIMIT else t.reshape(-1))
    values = values.double() if values.dtype in (torch.float16, torch.bfloat16) else values
    low, high = (float(v) for v in torch.aminmax(values))
    if math.isfinite(low) and math.isfinite(high):  # aminmax propagates NaN: all values are finite
        finite, nan_count = values, 0  # the common case costs one pass, no mask, no copy
    else:
        finite = values[values.isfinite()]
        nan_count = int(values.isnan().sum())
        if finite.numel():
            low, high = (float(v) for v in torch.aminmax(finite))
    finite_count = finite.numel()
    result = Stats(values.numel(), t.numel(), nan_count=nan_count, inf_count=values.numel() - finite_count - nan_count)
    if result.sampled:
        # Scale the counts found in the sample up to the whole tensor, and say so.
        scale = t.numel() / values.numel()
        result.nan_count = round(result.nan_count * scale)
        result.inf_count = round(result.inf_count * scale)
        result.note = f"estimated from a random sample of {values.numel():,} of {t.numel():,} elements"
    if finite_count:
        result.min, result.max = low, high
        # mean() and std() one after the other ran ~5x faster than torch.std_mean here.
        result.mean = float(finite.mean())
        result.std = float(finite.std()) if finite_count > 1 else 0.0
    return result


@dataclass
class Plane:
    """A 2-D slice of a tensor, ready to draw: which axes, which indices, how much it was thinned."""

    values: np.ndarray  # 2-D
    rows_axis: int
    cols_axis: int
    step: tuple[int, int] = (1, 1)  # every step-th row/column is shown
    index: dict[int, int] = field(default_factory=dict)


def plane_view(t: torch.Tensor, rows_axis: int, cols_axis: int, index: dict[int, int] | None = None) -> torch.Tensor:
    """The 2-D view of `t` along two axes, other axes fixed at `index` (0 by default); no copy.

    0-D and 1-D tensors come back as a single row.
    """
    if t.dim() == 0:
        return t.reshape(1, 1)
    if t.dim() == 1:
        return t.unsqueeze(0)
    if rows_axis == cols_axis or not (0 <= rows_axis < t.dim() and 0 <= cols_axis < t.dim()):
        raise ValueError(f"choose two different axes of a {t.dim()}-D tensor")
    index = dict(index or {})
    chosen: list[Any] = []
    for axis in range(t.dim()):
        if axis in (rows_axis, cols_axis):
            chosen.append(slice(None))
            continue
        position = index.get(axis, 0)
        if not -t.shape[axis] <= position < t.shape[axis]:
            raise IndexError(f"index {position} is out of range for axis {axis} of size {t.shape[axis]}")
        chosen.append(position)
    view = t[tuple(chosen)]
    return view if rows_axis < cols_axis else view.T


def plane(t: torch.Tensor, rows_axis: int = 0, cols_axis: int = 1, index: dict[int, int] | None = None,
          max_side: int = 2048, as_float: bool = True) -> Plane:
    """A 2-D slice as numpy, thinned by striding so that no side exceeds `max_side`.

    `as_float` gives float32 for drawing; otherwise the dtype is kept (as far as numpy has it)
    so a table shows exact values.
    """
    if t.dim() < 2:
        rows_axis, cols_axis = 0, max(t.dim() - 1, 0)
    view = plane_view(t, rows_axis, cols_axis, index)
    step = (max(1, math.ceil(view.shape[0] / max_side)), max(1, math.ceil(view.shape[1] / max_side)))
    thinned = view[:: step[0], :: step[1]]  # a strided view: only the shown part is copied
    if as_float:
        thinned = numeric(thinned).to(dtype=torch.float32)
    elif thinned.dtype in (torch.float16, torch.bfloat16):
        thinned = thinned.to(dtype=torch.float32)  # numpy has no bfloat16
    return Plane(thinned.cpu().resolve_conj().numpy(), rows_axis, cols_axis, step, dict(index or {}))


def histogram(t: torch.Tensor, bins: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Counts and bin edges of the finite values (sampled for big tensors)."""
    if t.device.type == "meta" or t.layout != torch.strided or t.numel() == 0:
        return np.zeros(0), np.zeros(1)
    values = numeric(sample(t, HISTOGRAM_SAMPLE)).to(device="cpu", dtype=torch.float64).numpy()
    values = values[np.isfinite(values)]
    if values.size == 0:
        return np.zeros(0), np.zeros(1)
    low, high = float(values.min()), float(values.max())
    if low == high:
        low, high = low - 0.5, high + 0.5
    return np.histogram(values, bins=bins, range=(low, high))


def image_shape_ok(t: torch.Tensor) -> bool:
    """An image: H×W, or C×H×W with 1 or 3 channels (the blitz's CIFAR layout)."""
    if t.dim() == 2:
        return min(t.shape) > 1
    return t.dim() == 3 and t.shape[0] in (1, 3) and min(t.shape[1:]) > 1


def image(t: torch.Tensor, max_side: int = 1024) -> np.ndarray:
    """H×W or H×W×3 uint8; values in [0, 1] are taken as they are, others are min–max scaled."""
    if not image_shape_ok(t):
        raise ValueError(f"an image needs shape H×W or 1/3×H×W, not {format_shape(t.shape)}")
    step = max(1, math.ceil(max(t.shape[-2:]) / max_side))
    pixels = numeric(t[..., ::step, ::step]).to(device="cpu", dtype=torch.float32)
    if pixels.dim() == 3:
        pixels = pixels.permute(1, 2, 0).squeeze(-1)  # C×H×W -> H×W×C (H×W for one channel)
    pixels = torch.nan_to_num(pixels, nan=0.0, posinf=0.0, neginf=0.0)
    low, high = float(pixels.min()), float(pixels.max())
    if low < 0 or high > 1:
        pixels = (pixels - low) / (high - low) if high > low else torch.zeros_like(pixels)
    return (pixels * 255).round().to(torch.uint8).numpy()
