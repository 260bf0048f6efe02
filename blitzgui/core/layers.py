"""Layer specs: what the builder edits, saves as JSON and turns into a real `nn.Module`.

A network is a list of layers in order (like `nn.Sequential`) plus the shape of one input sample.
Each layer type lists its parameters with defaults and limits, so a form can validate what is
typed and JSON from elsewhere is checked before anything is built.
"""

from __future__ import annotations

import copy
import json
import keyword
import math
from collections import Counter, OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import torch
from torch import nn

FORMAT = "blitzgui.network"
VERSION = 1

# Above these the model is absurd for a learning playground (10⁶ channels would need gigabytes).
MAX_WIDTH = 16384
MAX_KERNEL = 255
MAX_FEATURES_IN = 2**20  # a flattened feature map (e.g. VGG's 512*7*7) is far wider than any channel count
MAX_PARAMS = 50_000_000  # the builder refuses to allocate more than this (200 MB of float32 weights)
MAX_INPUT_ELEMENTS = 50_000_000


@dataclass(frozen=True)
class Param:
    """One constructor argument of a layer: its type, default and allowed range."""

    name: str
    kind: type  # int, float, bool or str
    default: Any
    low: float | None = None
    high: float | None = None
    optional: bool = False  # may be left empty (None), e.g. a pool's stride means "same as kernel"
    choices: tuple[str, ...] = ()
    help: str = ""

    def check(self, value: Any) -> str | None:
        """Why `value` is not allowed here, in plain words, or None when it is fine."""
        if value is None:
            return None if self.optional else "a value is required"
        if self.kind is bool:
            return None if isinstance(value, bool) else "must be true or false"
        if self.kind is str:
            if value not in self.choices:
                return "must be one of: {}".format(", ".join(self.choices))
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "must be a number"
        if self.kind is int and not float(value).is_integer():
            return "must be a whole number"
        if self.kind is float and not math.isfinite(value):
            return "must be a finite number"
        if self.low is not None and value < self.low:
            return "must be at least {:g}".format(self.low)
        if self.high is not None and value > self.high:
            return "must be at most {:g}".format(self.high)
        return None

    def parse(self, text: str) -> Any:
        """The value typed into a form field; raises ValueError with a plain message."""
        text = text.strip()
        if not text:
            if self.optional:
                return None
            raise ValueError("a value is required")
        if self.kind is bool:
            lowered = text.lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError("must be true or false")
            value: Any = lowered in ("true", "1", "yes")
        elif self.kind is str:
            value = text
        elif self.kind is int:
            try:
                value = int(text)
            except ValueError:
                raise ValueError("must be a whole number, not {!r}".format(text)) from None
        else:
            try:
                value = float(text)
            except ValueError:
                raise ValueError("must be a number, not {!r}".format(text)) from None
        problem = self.check(value)
        if problem:
            raise ValueError(problem)
        return value


def _width(name: str, default: int, help: str) -> Param:
    return Param(name, int, default, 1, MAX_WIDTH, help=help)


def _kernel(default: int = 3) -> Param:
    return Param("kernel_size", int, default, 1, MAX_KERNEL, help="size of the square window")


def _stride(default: int | None = 1, optional: bool = False, help: str = "step between windows") -> Param:
    return Param("stride", int, default, 1, MAX_KERNEL, optional=optional, help=help)


_PADDING = Param("padding", int, 0, 0, MAX_KERNEL, help="zeros added on each side")
_BIAS = Param("bias", bool, True, help="learn an additive bias (one per output)")
_POOL_STRIDE = _stride(None, optional=True, help="step between windows (empty: same as kernel_size)")
_DIM = Param("dim", int, 1, -4, 4, help="dimension that sums to 1 (1: across features)")


@dataclass(frozen=True)
class LayerType:
    name: str  # the torch.nn class name, e.g. "Conv2d"
    category: str
    params: tuple[Param, ...]
    summary: str
    prefix: str  # attribute name stem in generated code: conv1, fc1, pool1 ...

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def build(self, params: dict[str, Any]) -> nn.Module:
        if self.name == "RNN":
            return RNNLayer(**params)
        return getattr(nn, self.name)(**params)


class RNNLayer(nn.RNN):
    """`nn.RNN` that returns only its output sequence, so it can sit inside `nn.Sequential`.

    Its parameters are exactly those of `nn.RNN` (same names, same shapes).
    """

    def forward(self, input, hx=None):  # noqa: A002 - the name nn.RNN uses
        return super().forward(input, hx)[0]


def _types() -> dict[str, LayerType]:
    conv = lambda dims: LayerType(  # noqa: E731
        f"Conv{dims}d",
        "Convolution",
        (_width("in_channels", 3, "channels of the input"), _width("out_channels", 6, "filters (output channels)"),
         _kernel(5), _stride(), _PADDING, _BIAS),
        f"{dims}-D convolution: slides learned filters over the input",
        "conv",
    )
    pool = lambda how, dims: LayerType(  # noqa: E731
        f"{how}Pool{dims}d",
        "Pooling",
        (_kernel(2), _POOL_STRIDE, _PADDING),
        "{}-D {} pooling: keeps the {} of each window".format(dims, how.lower(), "largest value" if how == "Max" else "average"),
        "pool",
    )
    act = lambda name, summary, *params: LayerType(name, "Activation", tuple(params), summary, name.lower())  # noqa: E731
    norm = lambda dims: LayerType(  # noqa: E731
        f"BatchNorm{dims}d",
        "Normalization",
        (_width("num_features", 6, "channels (or features) to normalise"),),
        "batch normalisation: rescales each channel over the batch",
        "bn",
    )
    kinds = [
        conv(1), conv(2),
        pool("Max", 1), pool("Max", 2), pool("Avg", 1), pool("Avg", 2),
        LayerType("Linear", "Linear", (Param("in_features", int, 400, 1, MAX_FEATURES_IN, help="size of each input sample"),
                                       _width("out_features", 120, "size of each output sample"), _BIAS),
                  "fully connected layer: y = xWᵀ + b", "fc"),
        LayerType("Flatten", "Shape", (Param("start_dim", int, 1, 0, 8, help="first dimension to flatten"),
                                       Param("end_dim", int, -1, -8, 8, help="last dimension to flatten")),
                  "flattens C×H×W into one vector per sample", "flatten"),
        act("ReLU", "max(0, x)"),
        act("ELU", "x if x > 0 else alpha·(eˣ − 1)", Param("alpha", float, 1.0, 0.0, 100.0, help="slope for x < 0")),
        act("Sigmoid", "1 / (1 + e⁻ˣ)"),
        act("Tanh", "hyperbolic tangent"),
        act("LogSigmoid", "log(sigmoid(x))"),
        act("Softmax", "turns scores into probabilities", _DIM),
        act("Softmin", "softmax of −x", _DIM),
        act("Softplus", "smooth ReLU: log(1 + e^(beta·x)) / beta",
            Param("beta", float, 1.0, 1e-6, 1e6, help="sharpness"),
            Param("threshold", float, 20.0, 1e-6, 1e6, help="above this, linear")),
        act("Softsign", "x / (1 + |x|)"),
        act("Softshrink", "shrinks values towards 0 by lambd", Param("lambd", float, 0.5, 0.0, 1e6, help="shrink amount")),
        norm(1), norm(2),
        LayerType("Dropout", "Regularization", (Param("p", float, 0.5, 0.0, 1.0, help="probability of zeroing"),),
                  "randomly zeroes inputs while training", "dropout"),
        LayerType("RNN", "Recurrent",
                  (_width("input_size", 28, "features per time step"), _width("hidden_size", 64, "hidden state size"),
                   Param("num_layers", int, 1, 1, 16, help="stacked RNN layers"),
                   Param("nonlinearity", str, "tanh", choices=("tanh", "relu"), help="activation"),
                   Param("batch_first", bool, True, help="input is N×L×features")),
                  "Elman RNN over a sequence; outputs every step's hidden state", "rnn"),
    ]
    return {kind.name: kind for kind in kinds}


LAYER_TYPES: dict[str, LayerType] = _types()
CATEGORIES: list[str] = list(dict.fromkeys(kind.category for kind in LAYER_TYPES.values()))


def layer_type(kind: str) -> LayerType:
    try:
        return LAYER_TYPES[kind]
    except KeyError:
        raise ValueError("unknown layer type {!r} (known: {})".format(kind, ", ".join(LAYER_TYPES))) from None


@dataclass(frozen=True)
class LayerSpec:
    """One layer: its torch.nn type name and constructor arguments."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, kind: str, **params: Any) -> LayerSpec:
        """A layer with defaults filled in for what is not given."""
        return cls(kind, {**layer_type(kind).defaults(), **params})

    def problems(self) -> dict[str, str]:
        """Parameter name -> why its value is not allowed (empty when the layer is valid)."""
        kind = layer_type(self.kind)
        found = {}
        for param in kind.params:
            if param.name not in self.params:
                found[param.name] = "missing"
            else:
                problem = param.check(self.params[param.name])
                if problem:
                    found[param.name] = problem
        for name in self.params.keys() - {p.name for p in kind.params}:
            found[name] = "{} has no parameter {!r}".format(self.kind, name)
        return found

    def with_param(self, name: str, value: Any) -> LayerSpec:
        return replace(self, params={**self.params, name: value})

    def build(self) -> nn.Module:
        problems = self.problems()
        if problems:
            raise ValueError(
                "{}: {}".format(self.kind, "; ".join(f"{name} {why}" for name, why in problems.items()))
            )
        return layer_type(self.kind).build(dict(self.params))


@dataclass(frozen=True)
class NetworkSpec:
    """Layers in order plus the shape of one input sample (no batch dimension), e.g. (3, 32, 32)."""

    layers: tuple[LayerSpec, ...]
    input_shape: tuple[int, ...] = (3, 32, 32)
    name: str = "Net"

    def __post_init__(self):
        object.__setattr__(self, "layers", tuple(self.layers))
        object.__setattr__(self, "input_shape", tuple(self.input_shape))


def is_class_name(name: Any) -> bool:
    """Usable as the exported class's name: an identifier, not a keyword, hiding none of its imports."""
    return isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name) and name not in (
        "torch", "nn", "F")


def layer_names(layers: tuple[LayerSpec, ...] | list[LayerSpec]) -> list[str]:
    """Attribute names as in the blitz: conv1, conv2, pool1, fc1 ... numbered per kind of layer."""
    counts: Counter[str] = Counter()
    names = []
    for layer in layers:
        prefix = layer_type(layer.kind).prefix
        counts[prefix] += 1
        names.append(f"{prefix}{counts[prefix]}")
    return names


def network_problems(spec: NetworkSpec) -> list[str]:
    """Everything wrong with the spec itself (not its shapes), one plain sentence each."""
    found = []
    if not spec.input_shape or any(not isinstance(d, int) or isinstance(d, bool) or d < 1 for d in spec.input_shape):
        found.append("input shape {} must be positive whole numbers, e.g. 3, 32, 32".format(list(spec.input_shape)))
    elif len(spec.input_shape) > 4 or math.prod(spec.input_shape) > MAX_INPUT_ELEMENTS:
        found.append("input shape {} is too large".format(list(spec.input_shape)))
    for number, layer in enumerate(spec.layers, start=1):
        if layer.kind not in LAYER_TYPES:
            found.append("layer {}: unknown layer type {!r}".format(number, layer.kind))
            continue
        for name, why in layer.problems().items():
            found.append("layer {} ({}): {} {}".format(number, layer.kind, name, why))
    return found


def build_module(spec: NetworkSpec, device: torch.device | str | None = None) -> nn.Module:
    """An `nn.Sequential` whose children are named like the blitz Net (conv1, pool1, fc1 ...).

    Its forward takes a batch (N, *input_shape). Raises ValueError when a layer is invalid.
    """
    problems = network_problems(spec)
    if problems:
        raise ValueError("; ".join(problems))
    with torch.device(device or "cpu"):
        children = [layer.build() for layer in spec.layers]
    return nn.Sequential(OrderedDict(zip(layer_names(spec.layers), children)))


def parameter_count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


# -- presets ------------------------------------------------------------------------------------
def _lenet(in_channels: int, width1: int, width2: int, name: str) -> NetworkSpec:
    L = LayerSpec.of
    return NetworkSpec(
        (
            L("Conv2d", in_channels=in_channels, out_channels=width1, kernel_size=5),
            L("ReLU"),
            L("MaxPool2d", kernel_size=2),
            L("Conv2d", in_channels=width1, out_channels=width2, kernel_size=5),
            L("ReLU"),
            L("MaxPool2d", kernel_size=2),
            L("Flatten"),
            L("Linear", in_features=width2 * 5 * 5, out_features=120),
            L("ReLU"),
            L("Linear", in_features=120, out_features=84),
            L("ReLU"),
            L("Linear", in_features=84, out_features=10),
        ),
        (in_channels, 32, 32),
        name,
    )


def _cifar_bn() -> NetworkSpec:
    L = LayerSpec.of
    return NetworkSpec(
        (
            L("Conv2d", in_channels=3, out_channels=16, kernel_size=3, padding=1),
            L("BatchNorm2d", num_features=16),
            L("ReLU"),
            L("MaxPool2d", kernel_size=2),
            L("Conv2d", in_channels=16, out_channels=32, kernel_size=3, padding=1),
            L("BatchNorm2d", num_features=32),
            L("ReLU"),
            L("MaxPool2d", kernel_size=2),
            L("Flatten"),
            L("Dropout", p=0.25),
            L("Linear", in_features=32 * 8 * 8, out_features=128),
            L("ReLU"),
            L("Linear", in_features=128, out_features=10),
        ),
        (3, 32, 32),
        "Net",
    )


# name -> (title, spec). Specs are immutable; preset() hands out a copy anyway.
PRESETS: dict[str, tuple[str, NetworkSpec]] = {
    "blitz_net": ("Blitz part 3 Net (1×32×32, 61,706 params)", _lenet(1, 6, 16, "Net")),
    "cifar_net": ("Blitz part 4 CIFAR Net (3×32×32, 62,006 params)", _lenet(3, 6, 16, "Net")),
    "cifar_net_wide": ("Wider CIFAR Net (16 and 32 filters)", _lenet(3, 16, 32, "Net")),
    "cifar_net_bn": ("CIFAR Net with batch norm and dropout", _cifar_bn()),
}


def preset(name: str) -> NetworkSpec:
    try:
        return copy.deepcopy(PRESETS[name][1])
    except KeyError:
        raise KeyError("unknown preset {!r}; presets are {}".format(name, ", ".join(PRESETS))) from None


# -- JSON -----------------------------------------------------------------------------------------
def spec_to_dict(spec: NetworkSpec) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": spec.name,
        "input_shape": list(spec.input_shape),
        "layers": [{"type": layer.kind, "params": dict(layer.params)} for layer in spec.layers],
    }


def spec_to_json(spec: NetworkSpec) -> str:
    return json.dumps(spec_to_dict(spec), indent=2, ensure_ascii=False) + "\n"


def spec_from_dict(data: Any) -> NetworkSpec:
    """Check a decoded JSON document and turn it into a spec; ValueError says what is wrong."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError('This is not a blitzgui network file (it has no "format": "{}" field).'.format(FORMAT))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValueError("The network file has no valid version number.")
    if version > VERSION:
        raise ValueError(
            "The network file was saved by a newer blitzgui (format version {}); this one reads up to {}.".format(
                version, VERSION
            )
        )
    shape = data.get("input_shape")
    if not isinstance(shape, list) or not shape:
        raise ValueError("The network file has no input_shape list (e.g. [3, 32, 32]).")
    layers_data = data.get("layers")
    if not isinstance(layers_data, list):
        raise ValueError("The network file has no layers list.")
    layers = []
    for number, item in enumerate(layers_data, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise ValueError("Layer {} of the network file has no type.".format(number))
        params = item.get("params", {})
        if not isinstance(params, dict):
            raise ValueError("Layer {} ({}) has params that are not an object.".format(number, item["type"]))
        if item["type"] not in LAYER_TYPES:
            raise ValueError(
                "Layer {}: unknown layer type {!r} (known: {}).".format(number, item["type"], ", ".join(LAYER_TYPES))
            )
        # Whole floats from other tools (6.0) are fine where an int is expected.
        kind = layer_type(item["type"])
        clean = {**kind.defaults()}
        for key, value in params.items():
            known = next((p for p in kind.params if p.name == key), None)
            if known is not None and known.kind is int and isinstance(value, float) and value.is_integer():
                value = int(value)
            clean[key] = value
        layers.append(LayerSpec(item["type"], clean))
    name = data.get("name", "Net")
    spec = NetworkSpec(tuple(layers), tuple(shape), name if is_class_name(name) else "Net")
    problems = network_problems(spec)
    if problems:
        raise ValueError("The network file has invalid values: {}.".format("; ".join(problems)))
    return spec


def spec_from_json(text: str) -> NetworkSpec:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            "The file is not valid JSON ({} at line {}, column {}).".format(error.msg, error.lineno, error.colno)
        ) from None
    return spec_from_dict(data)


def load_spec(path: str | Path) -> NetworkSpec:
    """Read a network file; OSError and undecodable bytes become ValueError with the file's name."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError("Cannot read {}: {}".format(path.name, getattr(error, "strerror", None) or error)) from None
    try:
        return spec_from_json(text)
    except ValueError as error:
        raise ValueError("{}: {}".format(path.name, error)) from None


def save_spec(spec: NetworkSpec, path: str | Path) -> None:
    """Write atomically (a temporary file renamed), so a failed save never truncates the old file."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(spec_to_json(spec), encoding="utf-8")
    tmp.replace(path)
