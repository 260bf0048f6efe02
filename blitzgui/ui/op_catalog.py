"""The op buttons' catalogue: each op's arguments and the Python line it writes (no Qt here).

The op buttons never run anything themselves: they write the line a learner would have typed
into the console and run it there, so the learner sees the code. `code()` checks each argument
first (a name must be an identifier, an expression must parse) and says what is wrong.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Arg:
    name: str  # the Python parameter it fills, also its label
    default: str
    kind: str = "expr"  # "expr": a Python expression; "name": a variable name; "choice"
    optional: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Op:
    key: str  # what the button says
    group: str  # "create", "shape", "math" or "device"
    args: tuple[Arg, ...]
    render: Callable[[Mapping[str, str]], str] = field(repr=False)


def kw(values: Mapping[str, str], name: str) -> str:
    """`, name=value` for an optional keyword argument, or nothing when it was left empty."""
    return f", {name}={values[name]}" if values.get(name) else ""


def dim_only(values: Mapping[str, str]) -> str:
    return f"dim={values['dim']}" if values.get("dim") else ""


OUT = Arg("out", "y", kind="name")
X = Arg("x", "x", kind="name")
DEVICE = Arg("device", "", optional=True)

OPS: tuple[Op, ...] = (
    # create
    Op("tensor", "create", (OUT, Arg("data", "[[1., 2.], [3., 4.]]"), DEVICE),
       lambda v: f"{v['out']} = torch.tensor({v['data']}{kw(v, 'device')})"),
    *(
        Op(name, "create", (OUT, Arg("size", "2, 3"), DEVICE),
           lambda v, name=name: f"{v['out']} = torch.{name}({v['size']}{kw(v, 'device')})")
        for name in ("zeros", "ones", "rand", "randn")
    ),
    Op("arange", "create", (OUT, Arg("start", "0"), Arg("end", "6"), Arg("step", "1"), DEVICE),
       lambda v: f"{v['out']} = torch.arange({v['start']}, {v['end']}, {v['step']}{kw(v, 'device')})"),
    Op("linspace", "create", (OUT, Arg("start", "0"), Arg("end", "1"), Arg("steps", "5"), DEVICE),
       lambda v: f"{v['out']} = torch.linspace({v['start']}, {v['end']}, {v['steps']}{kw(v, 'device')})"),
    Op("eye", "create", (OUT, Arg("n", "3"), DEVICE),
       lambda v: f"{v['out']} = torch.eye({v['n']}{kw(v, 'device')})"),
    Op("from_numpy", "create", (OUT, Arg("array", "np.arange(6.0)")),
       lambda v: f"{v['out']} = torch.from_numpy({v['array']})"),
    Op("*_like", "create", (OUT, Arg("like", "zeros", kind="choice", choices=("zeros", "ones", "rand", "randn")), X),
       lambda v: f"{v['out']} = torch.{v['like']}_like({v['x']})"),
    # shape
    Op("view", "shape", (OUT, X, Arg("shape", "-1")), lambda v: f"{v['out']} = {v['x']}.view({v['shape']})"),
    Op("reshape", "shape", (OUT, X, Arg("shape", "-1")), lambda v: f"{v['out']} = {v['x']}.reshape({v['shape']})"),
    Op("transpose", "shape", (OUT, X, Arg("dim0", "0"), Arg("dim1", "1")),
       lambda v: f"{v['out']} = {v['x']}.transpose({v['dim0']}, {v['dim1']})"),
    Op("permute", "shape", (OUT, X, Arg("dims", "1, 0")), lambda v: f"{v['out']} = {v['x']}.permute({v['dims']})"),
    Op("unsqueeze", "shape", (OUT, X, Arg("dim", "0")), lambda v: f"{v['out']} = {v['x']}.unsqueeze({v['dim']})"),
    Op("squeeze", "shape", (OUT, X, Arg("dim", "", optional=True)),
       lambda v: f"{v['out']} = {v['x']}.squeeze({v.get('dim', '')})"),
    Op("slice", "shape", (OUT, X, Arg("index", "0, 1:")), lambda v: f"{v['out']} = {v['x']}[{v['index']}]"),
    Op("cat", "shape", (OUT, Arg("tensors", "x, x"), Arg("dim", "0")),
       lambda v: f"{v['out']} = torch.cat([{v['tensors']}], dim={v['dim']})"),
    Op("stack", "shape", (OUT, Arg("tensors", "x, x"), Arg("dim", "0")),
       lambda v: f"{v['out']} = torch.stack([{v['tensors']}], dim={v['dim']})"),
    # math
    Op("+", "math", (OUT, Arg("a", "x"), Arg("b", "x")), lambda v: f"{v['out']} = {v['a']} + {v['b']}"),
    Op("*", "math", (OUT, Arg("a", "x"), Arg("b", "x")), lambda v: f"{v['out']} = {v['a']} * {v['b']}"),
    Op("@", "math", (OUT, Arg("a", "x"), Arg("b", "x.T")), lambda v: f"{v['out']} = {v['a']} @ {v['b']}"),
    Op("matmul", "math", (OUT, Arg("a", "x"), Arg("b", "x.T")),
       lambda v: f"{v['out']} = torch.matmul({v['a']}, {v['b']})"),
    Op("sum", "math", (OUT, X, Arg("dim", "", optional=True)), lambda v: f"{v['out']} = {v['x']}.sum({dim_only(v)})"),
    Op("mean", "math", (OUT, X, Arg("dim", "", optional=True)), lambda v: f"{v['out']} = {v['x']}.mean({dim_only(v)})"),
    Op("add_", "math", (X, Arg("other", "1")), lambda v: f"{v['x']}.add_({v['other']})"),
    # device
    Op(".to", "device", (OUT, X, Arg("device", "'cpu'")), lambda v: f"{v['out']} = {v['x']}.to({v['device']})"),
)

OPS_BY_KEY = {op.key: op for op in OPS}
GROUPS = ("create", "shape", "math", "device")


def check(arg: Arg, value: str) -> str | None:
    """What is wrong with one argument, or None."""
    value = value.strip()
    if not value:
        return None if arg.optional else f"{arg.name}: a value is needed"
    if arg.kind == "name":
        if not value.isidentifier() or keyword.iskeyword(value):
            return f"{arg.name}: {value!r} is not a valid Python name"
        return None
    if arg.kind == "choice":
        return None if value in arg.choices else f"{arg.name}: choose one of {', '.join(arg.choices)}"
    try:
        compile(f"f({value})", "<argument>", "eval")  # an argument list such as "2, 3" or "x, dim=0"
    except SyntaxError:
        try:
            compile(f"x[{value}]", "<argument>", "eval")  # an index such as "0, 1:"
        except SyntaxError:
            return f"{arg.name}: {value!r} is not valid Python"
    return None


def code(op: Op, values: Mapping[str, str]) -> str:
    """The Python line for `op` with these argument values; ValueError says what is wrong."""
    cleaned = {arg.name: values.get(arg.name, arg.default).strip() for arg in op.args}
    problems = [p for arg in op.args if (p := check(arg, cleaned[arg.name])) is not None]
    if problems:
        raise ValueError("; ".join(problems))
    line = op.render(cleaned)
    compile(line, "<op>", "exec")  # the pieces were checked, so the whole line parses
    return line


def fresh_name(taken: Mapping[str, object] | set[str], stem: str = "t") -> str:
    """`t1`, `t2`, ...: the first name not already used."""
    number = 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"
