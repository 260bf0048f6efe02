"""Shape inference by torch itself: each layer runs once on the `meta` device (shapes, no data).

For every layer of a spec this finds the output shape, the parameter count and the FLOPs
(`torch.utils.flop_counter`; MACs are half the FLOPs of the multiply-adds it counts). When torch
refuses an input, the layer is marked and the failure is explained in plain words: what the layer
expects, what it receives, and which parameter to change.

Results per layer are cached by (layer type, parameters, input shape), so after one edit only the
layers whose input or parameters changed run again.
"""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
import torch
from torch.utils.flop_counter import FlopCounterMode

from blitzgui.core.layers import MAX_INPUT_ELEMENTS, LayerSpec, NetworkSpec, layer_names, layer_type

Shape = tuple[int, ...]
COUNTED_KINDS = frozenset({"Conv1d", "Conv2d", "Linear", "RNN"})  # the others do no matmul/conv
ELEMENTWISE_KINDS = frozenset({"ReLU", "ELU", "Sigmoid", "Tanh", "LogSigmoid", "Softplus", "Softsign", "Softshrink",
                               "Dropout"})
# The input each layer type needs, batch dimension included. torch also runs these layers on one
# sample without it (C×H×W), but the builder's models always take a batch: letting that through
# would read the batch size as channels and give wrong advice further down.
BATCHED_NDIM = {"Conv1d": (3, "N×C×L"), "Conv2d": (4, "N×C×H×W"), "MaxPool1d": (3, "N×C×L"),
                "MaxPool2d": (4, "N×C×H×W"), "AvgPool1d": (3, "N×C×L"), "AvgPool2d": (4, "N×C×H×W"),
                "BatchNorm2d": (4, "N×C×H×W"), "RNN": (3, "N×L×features")}


@dataclass(frozen=True)
class LayerShape:
    """What one layer does to the input it receives (shapes include the batch dimension)."""

    name: str  # conv1, fc1 ... as in build_module and the exported code
    kind: str
    input_shape: Shape | None  # None: an earlier layer failed, so this one never ran
    output_shape: Shape | None
    params: int
    flops: int
    error: str | None = None
    field: str | None = None  # the parameter the error is about, for the form to mark

    @property
    def macs(self) -> int:
        return self.flops // 2


@dataclass(frozen=True)
class ShapeReport:
    input_shape: Shape
    layers: tuple[LayerShape, ...]

    @property
    def error_index(self) -> int | None:
        return next((i for i, layer in enumerate(self.layers) if layer.error), None)

    @property
    def ok(self) -> bool:
        return self.error_index is None

    @property
    def error(self) -> str | None:
        index = self.error_index
        return None if index is None else self.layers[index].error

    @property
    def output_shape(self) -> Shape | None:
        if not self.ok:
            return None
        return self.layers[-1].output_shape if self.layers else self.input_shape

    @property
    def total_params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def total_flops(self) -> int:
        return sum(layer.flops for layer in self.layers)

    @property
    def total_macs(self) -> int:
        return self.total_flops // 2

    @property
    def total_outputs(self) -> int:
        """Values in all layer outputs, batch included: about what one forward pass with autograd holds."""
        return sum(math.prod(layer.output_shape) for layer in self.layers if layer.output_shape)


def parse_input_shape(text: str) -> tuple[int, Shape]:
    """"1×3×32×32" or "1, 3, 32, 32" -> (batch, per-sample shape); ValueError in plain words."""
    parts = [part for part in re.split(r"[\s,×xX*()\[\]]+", text.strip()) if part]
    if not parts:
        raise ValueError("enter a shape such as 1×3×32×32 (batch × channels × height × width)")
    if not all(part.isdigit() for part in parts):
        raise ValueError("use whole numbers separated by × or commas, e.g. 1×3×32×32")
    dims = tuple(int(part) for part in parts)
    if len(dims) < 2:
        raise ValueError("give the batch size and at least one more dimension, e.g. 1×3×32×32")
    if len(dims) > 5:
        raise ValueError("at most 5 dimensions (batch × channels × depth × height × width)")
    if min(dims) < 1:
        raise ValueError("every dimension must be at least 1")
    if math.prod(dims) > MAX_INPUT_ELEMENTS:
        raise ValueError("{} values is too large; keep the input under {:,}".format(
            "×".join(parts), MAX_INPUT_ELEMENTS))
    return dims[0], dims[1:]


def format_shape(shape: Shape | None) -> str:
    return "—" if shape is None else "×".join(str(d) for d in shape)


def _key(layer: LayerSpec) -> tuple:
    return layer.kind, tuple(sorted(layer.params.items()))


@lru_cache(maxsize=4096)
def _built(key: tuple) -> torch.nn.Module:
    kind, params = key
    with torch.device("meta"):
        module = layer_type(kind).build(dict(params))
    return module.eval()  # eval: batch norm must not insist on a batch of two for a shape check


@lru_cache(maxsize=4096)
def _param_count(key: tuple) -> int:
    return sum(p.numel() for p in _built(key).parameters())


@lru_cache(maxsize=16384)
def _run(key: tuple, input_shape: Shape) -> tuple[Shape | None, int, str | None]:
    """(output shape, flops, torch's error) of one layer on a meta tensor of `input_shape`."""
    kind, params = key
    if kind in ELEMENTWISE_KINDS:
        # These act element by element, so any input keeps its shape; torch's meta path for them is
        # interpreted Python (~1 ms a call, most of a 50-layer check). A test holds them to this.
        return input_shape, 0, None
    if kind in BATCHED_NDIM and len(input_shape) != BATCHED_NDIM[kind][0]:
        return None, 0, "expected a {}-D input".format(BATCHED_NDIM[kind][0])
    dim = dict(params).get("dim")
    if dim is not None and not -len(input_shape) <= dim < len(input_shape):
        # softmax's meta kernel skips this check that the real kernels make
        return None, 0, "Dimension out of range (expected to be in range of [{}, {}], but got {})".format(
            -len(input_shape), len(input_shape) - 1, dim
        )
    module = _built(key)
    # The flop counter costs about as much as the layer itself; it is entered only for layer types
    # that run the matrix products and convolutions it counts (a test checks the others count 0).
    counter = FlopCounterMode(display=False) if kind in COUNTED_KINDS else contextlib.nullcontext()
    try:
        with counter:
            output = module(torch.empty(input_shape, device="meta"))
    except (RuntimeError, ValueError, IndexError, TypeError) as error:
        return None, 0, str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    flops = counter.get_total_flops() if isinstance(counter, FlopCounterMode) else 0
    return tuple(output.shape), flops, None


def warm_up() -> None:
    """Pay the flop counter's one-time cost now: its first use imports torch._dynamo (~1 s).

    Meant for a background thread, so that the first shape check a learner sees does not stall.
    """
    _run(_key(LayerSpec.of("Linear", in_features=1, out_features=1)), (1, 1))


def infer_shapes(spec: NetworkSpec, batch: int = 1) -> ShapeReport:
    """Run the spec layer by layer on the meta device; stops explaining at the first failure."""
    input_shape = (batch, *spec.input_shape)
    names = layer_names(spec.layers)
    rows: list[LayerShape] = []
    shape: Shape | None = input_shape
    for index, (name, layer) in enumerate(zip(names, spec.layers)):
        problems = layer.problems()
        if problems:
            field, why = next(iter(problems.items()))
            rows.append(LayerShape(name, layer.kind, shape, None, 0, 0, f"{layer.kind} {field} {why}", field))
            shape = None
            continue
        key = _key(layer)
        params = _param_count(key)
        if shape is None:
            rows.append(LayerShape(name, layer.kind, None, None, params, 0))
            continue
        output, flops, raw = _run(key, shape)
        if raw is None:
            rows.append(LayerShape(name, layer.kind, shape, output, params, flops))
        else:
            message, field = explain(spec, index, shape, raw)
            rows.append(LayerShape(name, layer.kind, shape, None, params, 0, message, field))
        shape = output
    return ShapeReport(input_shape, tuple(rows))


# The parameter of each layer type that must match the tensor arriving, and the dimension giving it.
_INPUT_SIZE = {"Conv1d": ("in_channels", 1), "Conv2d": ("in_channels", 1), "BatchNorm1d": ("num_features", 1),
               "BatchNorm2d": ("num_features", 1), "Linear": ("in_features", -1), "RNN": ("input_size", -1)}


def fitting_layer(kind: str, spec: NetworkSpec, position: int, batch: int = 1) -> LayerSpec:
    """A new layer of `kind` to insert at `position`: defaults, with its input size set to what arrives
    there when that is known and allowed (a Conv2d after conv2 gets in_channels=16)."""
    layer = LayerSpec.of(kind)
    if kind not in _INPUT_SIZE:
        return layer
    shape = infer_shapes(NetworkSpec(spec.layers[:position], spec.input_shape, spec.name), batch).output_shape
    if shape is None or len(shape) < 2 or (kind in BATCHED_NDIM and len(shape) != BATCHED_NDIM[kind][0]):
        return layer
    name, dim = _INPUT_SIZE[kind]
    fitted = layer.with_param(name, shape[dim])
    return layer if fitted.problems() else fitted


# -- plain words -------------------------------------------------------------------------------
_SPATIAL_DIMS = {"Conv1d": 1, "Conv2d": 2, "MaxPool1d": 1, "MaxPool2d": 2, "AvgPool1d": 1, "AvgPool2d": 2}
_CHANNEL_PARAM = {"Conv1d": "in_channels", "Conv2d": "in_channels", "BatchNorm1d": "num_features",
                  "BatchNorm2d": "num_features"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def explain(spec: NetworkSpec, index: int, shape: Shape, raw: str) -> tuple[str, str | None]:
    """Why layer `index` refused an input of `shape` (torch said `raw`), and the field to blame."""
    layer = spec.layers[index]
    kind, p = layer.kind, layer.params
    input_text = format_shape(spec.input_shape)
    before = spec.layers[:index]
    flattened = any(earlier.kind == "Flatten" for earlier in before)

    expected = BATCHED_NDIM.get(kind)
    if expected and len(shape) != expected[0]:
        if flattened:
            hint = "move it before the Flatten"
        elif len(shape) == expected[0] - 1 and len(shape) == len(spec.input_shape) + 1:
            hint = "the input shape starts with the batch size, e.g. 1×{}".format(format_shape(shape))
        else:
            hint = "check the input shape and the layers before it"
        return (
            "{} expects a {}-D input {} but receives {} ({}-D): {}.".format(
                kind, expected[0], expected[1], format_shape(shape), len(shape), hint
            ),
            None,
        )
    if kind == "BatchNorm1d" and len(shape) not in (2, 3):
        return "BatchNorm1d expects N×C or N×C×L but receives {}.".format(format_shape(shape)), None

    channel_param = _CHANNEL_PARAM.get(kind)
    if channel_param and len(shape) >= 2 and shape[1] != p[channel_param]:
        got = shape[1]
        first = not any(_CHANNEL_PARAM.get(e.kind) == "in_channels" for e in before)
        if first and got == spec.input_shape[0] and len(shape) > 2 and spec.input_shape[-1] == p[channel_param]:
            return (
                "{} expects {} but receives {}: the {} input is channels-last (height × width × channels, as PIL "
                "and numpy store images); PyTorch wants channels first, so enter {}.".format(
                    kind, _plural(p[channel_param], "input channel" if channel_param == "in_channels" else "channel"),
                    got, input_text, format_shape((shape[0], spec.input_shape[-1], *spec.input_shape[:-1])),
                ),
                None,
            )
        if first and got == spec.input_shape[0]:
            reason = "the {} input has {}".format(input_text, _plural(got, "channel"))
            if got == 3:
                reason += " (colour images)"
            fix = "set {} to {} or use {}-channel input".format(channel_param, got, p[channel_param])
        else:
            reason = "the layer before it outputs {}".format(_plural(got, "channel"))
            fix = "set {} to {}".format(channel_param, got)
        wanted = _plural(p[channel_param], "input channel") if channel_param == "in_channels" else "{} ({})".format(
            _plural(p[channel_param], "channel"), channel_param
        )
        return "{} expects {} but receives {}: {}, so {}.".format(kind, wanted, got, reason, fix), channel_param

    dims = _SPATIAL_DIMS.get(kind)
    if dims and len(shape) == dims + 2:
        spatial = shape[2:]
        padded = tuple(s + 2 * p["padding"] for s in spatial)
        kernel = p["kernel_size"]
        if any(s < kernel for s in padded):
            window = "×".join([str(kernel)] * dims)
            return (
                "{} kernel {} is larger than its input {} (with padding {}: {}): use a smaller kernel_size, "
                "add padding, or remove a pooling layer before it.".format(
                    kind, window, format_shape(spatial), p["padding"], format_shape(padded),
                ),
                "kernel_size",
            )
        if kind.startswith(("Max", "Avg")) and 2 * p["padding"] > kernel:
            return "{} padding {} is more than half its kernel_size {}.".format(kind, p["padding"], kernel), "padding"

    if kind == "Linear" and shape[-1] != p["in_features"]:
        got = shape[-1]
        flatten_at = max((i for i, e in enumerate(before) if e.kind == "Flatten"), default=None)
        if flatten_at is not None and len(shape) == 2:
            unflattened = _shape_before(spec, flatten_at)
            if unflattened is not None and len(unflattened) > 2 and math.prod(unflattened[1:]) == got:
                dims_text = "×".join(str(d) for d in unflattened[1:])
                product = "*".join(str(d) for d in unflattened[1:])
                return (
                    "Linear expects {} input features but receives {} = {}: for a {} input the flatten size "
                    "is {}, so set in_features to {}.".format(p["in_features"], dims_text, got, input_text, product, got),
                    "in_features",
                )
        if len(shape) > 2 and flatten_at is None:
            return (
                "Linear expects {} input features but receives {} (it works on the last dimension of {}): "
                "add a Flatten before it, or set in_features to {}.".format(p["in_features"], got, format_shape(shape), got),
                "in_features",
            )
        return "Linear expects {} input features but receives {}: set in_features to {}.".format(
            p["in_features"], got, got
        ), "in_features"

    if kind == "RNN" and shape[-1] != p["input_size"]:
        return "RNN expects {} features per time step (input_size) but receives {}: set input_size to {}.".format(
            p["input_size"], shape[-1], shape[-1]
        ), "input_size"

    for field in ("dim", "start_dim", "end_dim"):
        if field in p and not -len(shape) <= p[field] < len(shape):
            return "{} {} = {} is out of range for a {}-D input {} (use {} to {}).".format(
                kind, field, p[field], len(shape), format_shape(shape), -len(shape), len(shape) - 1
            ), field

    if kind == "Flatten" and p["start_dim"] % len(shape) > p["end_dim"] % len(shape):
        return "Flatten start_dim {} comes after end_dim {} (dimension {} of the {}-D input {}): it merges the " \
               "dimensions from start_dim to end_dim, so start_dim must not be larger.".format(
                   p["start_dim"], p["end_dim"], p["end_dim"] % len(shape), len(shape), format_shape(shape)), "start_dim"

    return "{} cannot take an input of shape {}: {}".format(kind, format_shape(shape), raw), None


def _shape_before(spec: NetworkSpec, index: int) -> Shape | None:
    """The input shape of layer `index` (all earlier layers ran, or the explanation would not run)."""
    report = infer_shapes(NetworkSpec(spec.layers[:index], spec.input_shape, spec.name))
    return report.output_shape


def describe_counts(n: int) -> str:
    """12,345 / 1.2M / 3.4G: compact numbers for tables."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= size:
            return f"{n / size:.1f}{suffix}"
    return f"{n:,}"

