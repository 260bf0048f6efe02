"""Code round-trip: a spec as blitz-style Python, and Python (ours or the blitz's own) back to a spec.

Two exports: a `class Net(nn.Module)` with the layers in `__init__` and a straight `forward`, and
an `nn.Sequential`. Parsing reads either form with `ast` (nothing is executed) and understands the
functional calls the blitz uses in `forward` (`F.relu`, `F.max_pool2d(x, 2)`, `torch.flatten(x, 1)`).
"""

from __future__ import annotations

import ast
import operator
import re
from typing import Any

from blitzgui.core.layers import LAYER_TYPES, LayerSpec, NetworkSpec, is_class_name, layer_names, layer_type

# Layers without parameters that `forward` writes as a function call, as the blitz does.
FUNCTIONAL = {
    "ReLU": "F.relu", "ELU": "F.elu", "Sigmoid": "torch.sigmoid", "Tanh": "torch.tanh",
    "LogSigmoid": "F.logsigmoid", "Softmax": "F.softmax", "Softmin": "F.softmin", "Softplus": "F.softplus",
    "Softsign": "F.softsign", "Softshrink": "F.softshrink", "Flatten": "torch.flatten",
}
# What parsing accepts in `forward`, function name -> layer type (arguments after x are positional
# in the layer's parameter order, which matches torch's signatures for all of these).
FUNCTION_LAYERS = {
    **{call.split(".")[1]: kind for kind, call in FUNCTIONAL.items()},
    "max_pool1d": "MaxPool1d", "max_pool2d": "MaxPool2d", "avg_pool1d": "AvgPool1d", "avg_pool2d": "AvgPool2d",
    "dropout": "Dropout",
}
# Constructor arguments always written positionally (the rest as keywords when not the default).
POSITIONAL = {"Conv1d": 3, "Conv2d": 3, "Linear": 2, "BatchNorm1d": 1, "BatchNorm2d": 1, "RNN": 2,
              "MaxPool1d": 1, "MaxPool2d": 1, "AvgPool1d": 1, "AvgPool2d": 1, "Flatten": 0}
# nn.Softmax() without dim warns about an implicit choice; nn.RNN's batch_first defaults to False.
ALWAYS_KEYWORD = {"dim", "batch_first"}
RNN_HELPER = '''class RNNOutput(nn.RNN):
    """nn.RNN returns (output, h_n); keep only the output so it fits in nn.Sequential."""

    def forward(self, x, hx=None):
        return super().forward(x, hx)[0]
'''
HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
SHAPE_COMMENT = re.compile(r"#\s*input shape per sample:\s*\(([\d,\s]+)\)")


def _arguments(layer: LayerSpec, positional: int | None = None) -> str:
    kind = layer_type(layer.kind)
    count = POSITIONAL.get(layer.kind, 0) if positional is None else positional
    parts = []
    for index, param in enumerate(kind.params):
        value = layer.params[param.name]
        if index < count:
            parts.append(repr(value))
        elif value != param.default or param.name in ALWAYS_KEYWORD:
            parts.append(f"{param.name}={value!r}")
    return ", ".join(parts)


def layer_text(layer: LayerSpec) -> str:
    """`Conv2d(3, 6, 5)`: a layer as it reads in code, for lists and tooltips."""
    return f"{layer.kind}({_arguments(layer)})"


def _shape_comment(spec: NetworkSpec) -> str:
    return "# input shape per sample: ({})\n".format(", ".join(str(d) for d in spec.input_shape))


def to_class_code(spec: NetworkSpec) -> str:
    """`class Net(nn.Module)` as the blitz writes it: modules in __init__, one line per layer in forward."""
    init, forward = [], []
    for name, layer in zip(layer_names(spec.layers), spec.layers):
        if layer.kind in FUNCTIONAL:
            # torch.flatten's start_dim defaults to 0, nn.Flatten's to 1: always write it
            args = _arguments(layer, positional=1 if layer.kind == "Flatten" else 0)
            forward.append("x = {}({})".format(FUNCTIONAL[layer.kind], ", ".join(["x", args]) if args else "x"))
        elif layer.kind == "RNN":
            init.append(f"self.{name} = nn.RNN({_arguments(layer)})")
            forward.append(f"x, _ = self.{name}(x)  # (output, h_n): keep the output")
        else:
            init.append(f"self.{name} = nn.{layer.kind}({_arguments(layer)})")
            forward.append(f"x = self.{name}(x)")
    lines = [HEADER, _shape_comment(spec), "", f"class {spec.name}(nn.Module):", "    def __init__(self):",
             "        super().__init__()"]
    lines += [f"        {line}" for line in init]
    lines += ["", "    def forward(self, x):"]
    lines += [f"        {line}" for line in forward]
    lines += ["        return x", ""]
    return "\n".join(lines)


def to_sequential_code(spec: NetworkSpec, variable: str = "net") -> str:
    """`net = nn.Sequential(...)`, with a one-line RNN helper when the stack has an RNN."""
    items = []
    for layer in spec.layers:
        constructor = "RNNOutput" if layer.kind == "RNN" else f"nn.{layer.kind}"
        items.append(f"    {constructor}({_arguments(layer)}),")
    helper = ["", RNN_HELPER, ""] if any(layer.kind == "RNN" for layer in spec.layers) else []
    lines = [HEADER, *helper, _shape_comment(spec).rstrip("\n"), f"{variable} = nn.Sequential(", *items, ")", ""]
    return "\n".join(lines)


# -- parsing back ---------------------------------------------------------------------------------
class _CodeError(ValueError):
    def __init__(self, node: ast.AST | None, message: str):
        line = getattr(node, "lineno", None)
        super().__init__(f"line {line}: {message}" if line else message)


_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.FloorDiv: operator.floordiv}


def _evaluate(node: ast.AST) -> Any:
    """Literals plus whole-number arithmetic such as the blitz's `16 * 5 * 5`."""
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right)) and right != 0:
            return _ARITHMETIC[type(node.op)](left, right)
        raise ValueError(node)
    return ast.literal_eval(node)


def _literal(node: ast.AST) -> Any:
    try:
        value = _evaluate(node)
    except (ValueError, TypeError, SyntaxError):
        raise _CodeError(node, "only plain numbers, strings and True/False can be read here, not "
                               f"{ast.unparse(node)!r}") from None
    if isinstance(value, tuple):  # (2, 2): the builder has square windows only
        if value and all(v == value[0] for v in value):
            return value[0]
        raise _CodeError(node, f"{value} is not square; the builder supports square kernels only")
    return value


def _layer_from_call(kind: str, call: ast.Call, skip: int = 0) -> LayerSpec:
    """A layer from constructor (or functional) arguments, `skip` leading arguments (the input) dropped."""
    params = layer_type(kind).params
    values = layer_type(kind).defaults()
    # Where torch's default differs from the builder's, what the code does is what counts.
    if skip and kind == "Flatten":
        values["start_dim"] = 0  # torch.flatten(x) flattens the batch dimension too
    if kind == "RNN":
        values["batch_first"] = False
    args = call.args[skip:]
    # Conv's bias is keyword-only here: torch's 6th positional argument is dilation, which the builder lacks.
    positional = [p for p in params if not (p.name == "bias" and kind.startswith("Conv"))]
    if len(args) > len(positional):
        raise _CodeError(call, f"{kind} takes at most {len(positional)} arguments here, got {len(args)}")
    for param, arg in zip(positional, args):
        values[param.name] = _literal(arg)
    names = {p.name for p in params}
    for keyword in call.keywords:
        value = _literal(keyword.value)
        if keyword.arg in ("inplace", "training"):
            continue  # no effect on the model's shapes and parameters
        if keyword.arg not in names:
            raise _CodeError(keyword, f"{kind} argument {keyword.arg!r} is not supported by the builder")
        values[keyword.arg] = value
    layer = LayerSpec(kind, values)
    problems = layer.problems()
    if problems:
        raise _CodeError(call, "{}: {}".format(kind, "; ".join(f"{k} {v}" for k, v in problems.items())))
    return layer


def _module_kind(func: ast.AST) -> str | None:
    """`nn.Conv2d` / `torch.nn.Conv2d` / `RNNOutput` -> the layer type name, else None."""
    if isinstance(func, ast.Attribute) and func.attr in LAYER_TYPES:
        return func.attr
    if isinstance(func, ast.Name) and func.id in ("RNNOutput", "RNNLayer"):
        return "RNN"
    if isinstance(func, ast.Name) and func.id in LAYER_TYPES:
        return func.id
    return None


def _sequential(call: ast.Call) -> list[LayerSpec]:
    layers = []
    for arg in call.args:
        kind = _module_kind(arg.func) if isinstance(arg, ast.Call) else None
        if kind is None:
            raise _CodeError(arg, f"{ast.unparse(arg)!r} is not a layer the builder knows")
        layers.append(_layer_from_call(kind, arg))
    return layers


def _forward_calls(node: ast.AST, modules: dict[str, LayerSpec]) -> list[LayerSpec]:
    """The layers an expression applies to x, innermost first."""
    if isinstance(node, ast.Name):
        return []
    if not isinstance(node, ast.Call):
        raise _CodeError(node, f"cannot follow {ast.unparse(node)!r}; write one layer call per step")
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
        if func.attr not in modules:
            raise _CodeError(node, f"self.{func.attr} is not defined in __init__")
        if len(node.args) != 1:
            raise _CodeError(node, f"self.{func.attr} should be called with the input only")
        return [*_forward_calls(node.args[0], modules), modules[func.attr]]
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name in FUNCTION_LAYERS and node.args:
        return [*_forward_calls(node.args[0], modules), _layer_from_call(FUNCTION_LAYERS[name], node, skip=1)]
    raise _CodeError(node, f"{ast.unparse(func)!r} is not a layer the builder knows")


def _class_layers(cls: ast.ClassDef) -> list[LayerSpec]:
    methods = {item.name: item for item in cls.body if isinstance(item, ast.FunctionDef)}
    if "__init__" not in methods or "forward" not in methods:
        raise _CodeError(cls, f"class {cls.name} needs both __init__ and forward")
    modules: dict[str, LayerSpec] = {}
    for statement in ast.walk(methods["__init__"]):
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            target = statement.targets[0]
            kind = _module_kind(statement.value.func)
            if kind and isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                modules[target.attr] = _layer_from_call(kind, statement.value)
    layers: list[LayerSpec] = []
    for statement in methods["forward"].body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # docstring
        if isinstance(statement, ast.Assign):
            layers += _forward_calls(statement.value, modules)
        elif isinstance(statement, ast.Return):
            if statement.value is not None:
                layers += _forward_calls(statement.value, modules)
            break
        else:
            raise _CodeError(statement, "forward may only assign layer calls to x and return x")
    return layers


def parse_code(code: str, input_shape: tuple[int, ...] = (3, 32, 32)) -> NetworkSpec:
    """A spec from exported code or the blitz's own Net; ValueError (with a line number) otherwise.

    The input shape comes from a `# input shape per sample: (C, H, W)` comment when present.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        raise ValueError(f"line {error.lineno}: syntax error: {error.msg}") from None
    match = SHAPE_COMMENT.search(code)
    if match:
        input_shape = tuple(int(d) for d in match.group(1).replace(" ", "").split(",") if d)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(ast.unparse(base).endswith("Module") for base in node.bases):
            name = node.name if is_class_name(node.name) else "Net"
            return NetworkSpec(tuple(_class_layers(node)), input_shape, name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("Sequential"):
            return NetworkSpec(tuple(_sequential(node)), input_shape, "Net")
    raise ValueError("no class ...(nn.Module) and no nn.Sequential(...) found in the code")
