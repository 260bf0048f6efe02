"""The grad_fn graph behind a tensor, as plain data the Autograd panel can draw.

`build_graph(tensor, namespace)` walks `grad_fn.next_functions` once (iteratively, so graphs of
tens of thousands of nodes do not hit the recursion limit) into numbered nodes and edges. Edges
point the way gradients flow: from a Function to the Functions that produced its inputs, so the
root (the tensor's own grad_fn) comes first and the leaves (`AccumulateGrad`) last.

What can change without the graph's shape changing — a leaf's `.grad`, `requires_grad`, whether
the saved tensors were freed by `backward()` — is read live from the torch objects each time it is
asked for, so a redraw after `backward()` needs no rebuild.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import torch

from blitzgui.core.graph_layout import (
    IN_PROCESS_COST,
    MAX_LAYOUT_COST,
    Layout,
    LayoutProcess,
    layered_layout,
    layout_cost,
)

ROOT, OP, LEAF, FROZEN, MODULE = "root", "op", "leaf", "frozen", "module"

NO_GRAPH_REASON = (
    "{label} has no autograd graph: it does not require grad. It was computed under "
    "torch.no_grad(), detached, or made only from tensors that do not require grad."
)
SMALL_TENSOR = 8  # up to this many elements a value is shown in full, else its shape and norm


# -- describing values -----------------------------------------------------------------------------
def describe_value(value: Any) -> str:
    """A short description of a saved value: shape and dtype for tensors, never their data."""
    if isinstance(value, torch.Tensor):
        where = "" if value.device.type == "cpu" else f" on {value.device}"
        return f"tensor {tuple(value.shape)} {str(value.dtype).removeprefix('torch.')}{where}"
    if isinstance(value, (tuple, list)):
        if value and all(isinstance(v, torch.Tensor) for v in value):
            return f"{len(value)} tensors"
        text = repr(tuple(int(v) if isinstance(v, torch.SymInt) else v for v in value))
    else:
        text = str(value) if isinstance(value, torch.SymInt) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def summarize_tensor(tensor: torch.Tensor | None, short: bool = False) -> str:
    """Values for a small tensor, shape and norm for a large one (a `.grad`, a leaf); `short`
    leaves the shape out (it fits in a box of the graph)."""
    if tensor is None:
        return "None"
    shape = tuple(tensor.shape)
    if tensor.device.type == "meta":  # shapes only, no data to show
        return "no values (meta)" if short else f"shape {shape}, no values (meta device)"
    if tensor.numel() <= SMALL_TENSOR:
        dense = tensor.detach().cpu()
        dense = dense if dense.layout == torch.strided else dense.to_dense()  # a sparse .grad (nn.Embedding(sparse=True))
        values = dense.reshape(-1).tolist()
        text = str([round(v, 4) if isinstance(v, float) else v for v in values])
        return text if short else f"{text} shape {shape}"
    norm = tensor.detach().float().norm().item()
    return f"norm {norm:.4g}" if short else f"shape {shape}, norm {norm:.4g}"


@dataclass
class SavedValue:
    name: str  # without the "_saved_" prefix
    text: str
    freed: bool = False


# -- the model -------------------------------------------------------------------------------------
@dataclass(eq=False)
class GraphNode:
    index: int
    op: str  # the Function's name, e.g. "MulBackward0", "AccumulateGrad"; "Tensor" for a bare leaf
    fn: Any = field(repr=False)  # the torch Function (None for a leaf tensor without grad_fn)
    variable: torch.Tensor | None = field(default=None, repr=False)  # the leaf tensor, if a leaf
    tensor_name: str | None = None  # name in the Session, or "net.fc1.weight" for a parameter
    module: str | None = None  # owning module path ("net.fc1"), for collapsing

    @property
    def is_leaf(self) -> bool:
        return self.variable is not None

    @property
    def kind(self) -> str:
        if self.variable is not None:
            return LEAF if self.variable.requires_grad else FROZEN
        return ROOT if self.index == 0 else OP

    @property
    def title(self) -> str:
        """What the node is called in the view: the tensor's name if it has one, else its shape."""
        if self.tensor_name:
            return self.tensor_name
        if self.variable is not None:
            return f"leaf {tuple(self.variable.shape)}"
        return ""

    def saved(self) -> list[SavedValue]:
        """What the Function saved for backward; values freed by backward() are marked."""
        result = []
        for attr in _saved_attributes(type(self.fn)) if self.fn is not None else []:
            try:
                result.append(SavedValue(attr.removeprefix("_saved_"), describe_value(getattr(self.fn, attr))))
            except RuntimeError:  # "Trying to backward through the graph a second time ..."
                result.append(SavedValue(attr.removeprefix("_saved_"), "freed by backward()", freed=True))
        return result

    def details(self) -> list[tuple[str, str]]:
        """(label, value) rows for the side pane."""
        rows = [("node", self.op), ("kind", self.kind)]
        if self.tensor_name:
            rows.append(("tensor", self.tensor_name))
        if self.module:
            rows.append(("module", self.module))
        if self.variable is not None:
            v = self.variable
            rows += [
                ("shape", str(tuple(v.shape))),
                ("dtype", str(v.dtype).removeprefix("torch.")),
                ("requires_grad", str(v.requires_grad)),
                ("grad", summarize_tensor(v.grad)),
            ]
            if not v.requires_grad:
                rows.append(("note", "frozen: requires_grad is False, so backward() leaves .grad alone"))
        for saved in self.saved():
            rows.append((f"saved {saved.name}", saved.text))
        return rows


_SAVED_CACHE: dict[type, list[str]] = {}


def _saved_attributes(cls: type) -> list[str]:
    # Every Function of one class saves the same attributes: look them up once per class.
    if cls not in _SAVED_CACHE:
        _SAVED_CACHE[cls] = sorted(a for a in dir(cls) if a.startswith("_saved_"))
    return _SAVED_CACHE[cls]


def _op_name(fn: Any) -> str:
    return fn.name().rsplit("::", 1)[-1]  # "torch::autograd::AccumulateGrad" -> "AccumulateGrad"


@dataclass(eq=False)
class AutogradGraph:
    label: str
    nodes: list[GraphNode]
    edges: list[tuple[int, int]]  # (consumer, producer of one of its inputs): the backward direction
    reason: str = ""  # why there is no graph, when `nodes` is empty
    # Edges that carry more than one input, and how many: y*y feeds y's node in twice, and
    # backward() adds both gradients (d(y*y)/dy = 2y).
    repeats: dict[tuple[int, int], int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.nodes)

    def children(self) -> list[list[int]]:
        result: list[list[int]] = [[] for _ in self.nodes]
        for a, b in self.edges:
            result[a].append(b)
        return result

    def leaves(self) -> list[GraphNode]:
        return [n for n in self.nodes if n.is_leaf]

    def has_modules(self) -> bool:
        return any(n.module for n in self.nodes)

    def search(self, text: str) -> list[int]:
        """Nodes whose op, tensor name or module contains `text` (case-insensitive)."""
        needle = text.strip().lower()
        if not needle:
            return []
        return [
            n.index for n in self.nodes
            if needle in n.op.lower() or needle in (n.tensor_name or "").lower() or needle in (n.module or "").lower()
        ]

    def traversed(self, hooked: set[int], among: Iterable[int] | None = None) -> set[int]:
        """Nodes a backward() went through: those a hook saw, plus a guess for a pass no hook
        saw (run before the graph was followed): a leaf with a .grad, a Function whose saved
        tensors were freed, and a Function with nothing to free that a traversed node consumes.

        `among` limits the guess to those nodes (what is drawn of a huge graph), without the
        last rule.
        """
        if among is not None:
            return {i for i in among if i in hooked or self._traversal_evidence(i)}
        parents: list[list[int]] = [[] for _ in self.nodes]
        for a, b in self.edges:
            parents[b].append(a)
        result: set[int] = set()
        order = forward_order(self)
        for i in reversed(order):  # every consumer before what it consumes
            evidence = i in hooked or self._traversal_evidence(i)
            if evidence is None:  # nothing freed can tell: go by the consumers
                evidence = any(p in result for p in parents[i])
            if evidence:
                result.add(i)
        # A root that saved nothing to free (MeanBackward0 keeps only sizes) was passed when
        # what it consumes was.
        children = self.children()
        for i in order:
            if not parents[i] and i not in result and self._traversal_evidence(i) is None:
                if any(c in result for c in children[i]):
                    result.add(i)
        return result

    def _traversal_evidence(self, index: int) -> bool | None:
        node = self.nodes[index]
        if node.variable is not None:
            return node.variable.grad is not None
        holds_tensor = False
        for attr in _saved_attributes(type(node.fn)):  # like saved(), without describing values
            try:
                holds_tensor |= isinstance(getattr(node.fn, attr), torch.Tensor)
            except RuntimeError:  # freed by backward()
                return True
        return False if holds_tensor else None

    def state_key(self) -> tuple:
        """Changes when a leaf's .grad or requires_grad changes: what a redraw must show."""
        return tuple(
            (n.variable.requires_grad, id(n.variable.grad), getattr(n.variable.grad, "_version", None))
            for n in self.leaves()
        )


def _names_in(namespace: Mapping[str, Any] | None) -> tuple[dict[int, str], dict[Any, str], dict[int, str]]:
    """Session names: tensors by id, grad_fns by identity, module parameters by id ("net.fc1.weight")."""
    tensors: dict[int, str] = {}
    fns: dict[Any, str] = {}
    params: dict[int, str] = {}
    for name, value in (namespace or {}).items():
        if name.startswith("_") or name in ("In", "Out"):  # IPython's output history
            continue
        if isinstance(value, torch.Tensor):
            tensors.setdefault(id(value), name)
            if value.grad_fn is not None:
                fns.setdefault(value.grad_fn, name)
        elif isinstance(value, torch.nn.Module):
            for pname, param in value.named_parameters():
                params.setdefault(id(param), f"{name}.{pname}")
    return tensors, fns, params


def build_graph(tensor: Any, namespace: Mapping[str, Any] | None = None, label: str = "tensor") -> AutogradGraph:
    """Walk the graph behind `tensor`; names come from `namespace` (the Session's)."""
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"{label} is a {type(tensor).__name__}, not a tensor")
    tensor_names, fn_names, param_names = _names_in(namespace)
    root = tensor.grad_fn
    if root is None:
        if not tensor.requires_grad:
            return AutogradGraph(label, [], [], NO_GRAPH_REASON.format(label=label))
        # A leaf that requires grad: the whole graph is the tensor itself.
        name = tensor_names.get(id(tensor)) or param_names.get(id(tensor)) or label
        return AutogradGraph(label, [GraphNode(0, "Tensor", None, tensor, name, _module_of(param_names.get(id(tensor))))], [])

    index = {root: 0}
    fns = [root]
    edges: Counter[tuple[int, int]] = Counter()  # y*y reaches y's node twice: one edge, counted twice
    stack = [root]
    while stack:
        fn = stack.pop()
        i = index[fn]
        for nxt, _ in fn.next_functions:
            if nxt is None:  # an input that does not require grad
                continue
            j = index.get(nxt)
            if j is None:
                j = index[nxt] = len(fns)
                fns.append(nxt)
                stack.append(nxt)
            edges[(i, j)] += 1

    nodes = []
    for i, fn in enumerate(fns):
        variable = getattr(fn, "variable", None)  # only AccumulateGrad has one
        if variable is not None:
            pname = param_names.get(id(variable))
            name = tensor_names.get(id(variable)) or pname
            nodes.append(GraphNode(i, _op_name(fn), fn, variable, name, _module_of(pname)))
        else:
            nodes.append(GraphNode(i, _op_name(fn), fn, None, fn_names.get(fn)))
    repeats = {edge: count for edge, count in edges.items() if count > 1}
    graph = AutogradGraph(label, nodes, list(edges), repeats=repeats)
    if graph.nodes[0].tensor_name is None:
        graph.nodes[0].tensor_name = label
    _assign_modules(graph)
    return graph


def _module_of(param_name: str | None) -> str | None:
    return param_name.rsplit(".", 1)[0] if param_name and "." in param_name else None


def forward_order(graph: AutogradGraph) -> list[int]:
    """Node indexes with every node after the nodes that produced its inputs (post-order DFS)."""
    children = graph.children()
    order: list[int] = []
    done = [False] * len(graph.nodes)
    for start in range(len(graph.nodes)):
        if done[start]:
            continue
        done[start] = True
        stack = [(start, iter(children[start]))]
        while stack:
            node, it = stack[-1]
            for child in it:
                if not done[child]:
                    done[child] = True
                    stack.append((child, iter(children[child])))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def _assign_modules(graph: AutogradGraph) -> None:
    """Give each op the module it most likely ran in, for "collapse by module".

    Autograd does not record modules, so this infers them: an op that consumes a parameter
    belongs to that parameter's module; any other op belongs to the module of its latest input
    in forward order (a ReLU after fc1 goes with fc1, a residual add with the block's last layer).
    """
    children = graph.children()
    order = forward_order(graph)
    position = {node: pos for pos, node in enumerate(order)}
    for i in order:
        node = graph.nodes[i]
        if node.module or node.is_leaf:
            continue
        inputs = [graph.nodes[j] for j in children[i] if graph.nodes[j].module]
        direct = [n.module for n in inputs if n.is_leaf]
        if direct:
            node.module = direct[0]
        elif inputs:
            node.module = max(inputs, key=lambda n: position[n.index]).module


# -- what is shown: the full graph, collapsed by module, or the part nearest the root -----------
@dataclass
class Projection:
    """The boxes drawn: each one stands for one node or a group of nodes of the full graph."""

    members: list[list[int]]
    edges: list[tuple[int, int]]
    hidden: int = 0  # nodes of the full graph not drawn at all (truncated view)
    modules: list[str | None] = field(default_factory=list)  # per box: the module it collapses, if any
    repeats: dict[tuple[int, int], int] = field(default_factory=dict)  # edges between two single nodes used more than once

    def module_of(self, box: int) -> str | None:
        return self.modules[box] if box < len(self.modules) else None

    def box_of(self) -> dict[int, int]:
        return {node: box for box, nodes in enumerate(self.members) for node in nodes}


def full_projection(graph: AutogradGraph) -> Projection:
    return Projection([[n.index] for n in graph.nodes], list(graph.edges), repeats=dict(graph.repeats))


def _project(graph: AutogradGraph, groups: dict[Any, list[int]]) -> Projection:
    members = list(groups.values())
    box = {node: b for b, nodes in enumerate(members) for node in nodes}
    edges = {(box[a], box[b]): None for a, b in graph.edges if a in box and b in box and box[a] != box[b]}
    modules = [key if isinstance(key, str) else None for key in groups]
    repeats = {(box[a], box[b]): count for (a, b), count in graph.repeats.items()
               if a in box and b in box and len(members[box[a]]) == len(members[box[b]]) == 1}
    return Projection(members, list(edges), hidden=len(graph.nodes) - len(box), modules=modules, repeats=repeats)


def collapse_by_module(graph: AutogradGraph, depth: int = 1, expanded: Collection[str] = ()) -> Projection:
    """One box per module (its path cut to `depth` levels below the model); the root stays alone.

    A module named in `expanded` is opened: its submodules get a box each, or its nodes are
    drawn one by one when it has none.
    """
    groups: dict[Any, list[int]] = {}
    for node in graph.nodes:
        key: Any = node.index
        if node.module and node.index != 0:
            parts = node.module.split(".")
            for cut in range(min(depth + 1, len(parts)), len(parts) + 1):
                if ".".join(parts[:cut]) not in expanded:
                    key = ".".join(parts[:cut])
                    break
        groups.setdefault(key, []).append(node.index)
    return _project(graph, groups)


def auto_depth(graph: AutogradGraph, boxes: int = 8, deepest: int = 4) -> int:
    """The shallowest collapse depth that gives at least `boxes` boxes: depth 1 is right for a
    resnet (conv1, layer1, ...), depth 2 for a densenet (all of it lives in `features`)."""
    for depth in range(1, deepest):
        if len(collapse_by_module(graph, depth).members) >= boxes:
            return depth
    return deepest


def nearest_to_root(graph: AutogradGraph, limit: int) -> Projection:
    """The `limit` nodes closest to the root (breadth first): a readable view of a huge graph."""
    children = graph.children()
    seen = {0}
    queue = deque([0])
    while queue and len(seen) < limit:
        for child in children[queue.popleft()]:
            if child not in seen and len(seen) < limit:
                seen.add(child)
                queue.append(child)
    return _project(graph, {i: [i] for i in sorted(seen)})


def box_text(graph: AutogradGraph, members: list[int]) -> tuple[str, str]:
    """(first line, second line) of a box: op and name, or module and what it holds."""
    if len(members) == 1:
        node = graph.nodes[members[0]]
        return node.op, node.title
    return _common_module(graph, members), f"{len(members)} nodes"


def _common_module(graph: AutogradGraph, members: list[int]) -> str:
    paths = [graph.nodes[i].module.split(".") for i in members if graph.nodes[i].module]
    common = paths[0] if paths else []
    for parts in paths[1:]:
        while parts[: len(common)] != common:
            common = common[:-1]
    return ".".join(common)


def box_kind(graph: AutogradGraph, members: list[int]) -> str:
    return graph.nodes[members[0]].kind if len(members) == 1 else MODULE


def group_details(graph: AutogradGraph, members: list[int]) -> list[tuple[str, str]]:
    if len(members) == 1:
        return graph.nodes[members[0]].details()
    nodes = [graph.nodes[i] for i in members]
    ops = Counter(n.op for n in nodes if not n.is_leaf)
    params = [n for n in nodes if n.is_leaf]
    rows = [("module", box_text(graph, members)[0]), ("nodes", str(len(nodes)))]
    rows += [("ops", ", ".join(f"{op} ×{k}" for op, k in ops.most_common(6)))]
    if params:
        count = sum(n.variable.numel() for n in params)
        frozen = sum(1 for n in params if not n.variable.requires_grad)
        rows += [("parameters", f"{len(params)} tensors, {count:,} values"), ("frozen", str(frozen))]
    return rows


# -- export ----------------------------------------------------------------------------------------
_DOT_COLOURS = {ROOT: "#f4a261", OP: "#dfe7f2", LEAF: "#8fd694", FROZEN: "#c8c8c8", MODULE: "#cdb4ff"}


def to_dot(graph: AutogradGraph, projection: Projection | None = None) -> str:
    """Graphviz DOT text of what is shown (the full graph by default)."""
    projection = projection or full_projection(graph)

    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [f"digraph {quote(graph.label)} {{", "  node [shape=box, style=filled];"]
    for box, members in enumerate(projection.members):
        first, second = box_text(graph, members)
        label = first + (f"\\n{second}" if second else "")
        colour = _DOT_COLOURS[box_kind(graph, members)]
        lines.append(f'  n{box} [label="{label.replace(chr(34), chr(39))}", fillcolor="{colour}"];')
    for a, b in projection.edges:
        count = projection.repeats.get((a, b))
        lines.append(f'  n{a} -> n{b} [label="×{count}"];' if count else f"  n{a} -> n{b};")
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- which nodes a backward() went through ---------------------------------------------------------
class TraversalWatch:
    """Hooks on every Function of a graph record which ones a backward() passed through.

    Hooks run on autograd's thread; they only add to a set, which the GUI reads later.
    """

    def __init__(self, graph: AutogradGraph, indexes: Iterable[int] | None = None):
        self.traversed: set[int] = set()
        self._handles = []
        for node in graph.nodes if indexes is None else (graph.nodes[i] for i in indexes):
            if node.fn is not None:
                self._handles.append(node.fn.register_hook(_Marker(self.traversed, node.index)))

    def close(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()


@dataclass
class _Marker:
    traversed: set[int]
    index: int

    def __call__(self, grad_inputs: Any, grad_outputs: Any) -> None:
        self.traversed.add(self.index)


# -- the blitz's Q = 3a^3 - b^2 example ------------------------------------------------------------
BLITZ_Q_CODE = (  # run with `device` set to the app's device
    "a = torch.tensor([2., 3.], requires_grad=True, device=device)\n"
    "b = torch.tensor([6., 4.], requires_grad=True, device=device)\n"
    "Q = 3*a**3 - b**2"
)


def parse_gradient(text: str, like: torch.Tensor) -> torch.Tensor:
    """The `gradient=` vector typed by the learner ("1, 1" or "[1., 1.]"), shaped like `like`."""
    cleaned = text.strip().removeprefix("[").removesuffix("]").replace(",", " ").split()
    if not cleaned:
        raise ValueError("type one number per element of Q, e.g. 1, 1")
    try:
        values = [float(v) for v in cleaned]
    except ValueError:
        bad = next(v for v in cleaned if not _is_number(v))
        raise ValueError(f"{bad!r} is not a number") from None
    if not all(math.isfinite(v) for v in values):
        raise ValueError("the gradient must be finite (no inf or nan)")
    if len(values) != like.numel():
        raise ValueError(f"Q has {like.numel()} elements, so the gradient needs {like.numel()} numbers, not {len(values)}")
    return torch.tensor(values, dtype=like.dtype, device=like.device).reshape(like.shape)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@dataclass
class QCheck:
    a_grad: torch.Tensor
    b_grad: torch.Tensor
    a_expected: torch.Tensor  # 9*a**2 * gradient
    b_expected: torch.Tensor  # -2*b * gradient

    @property
    def a_ok(self) -> bool:
        return torch.allclose(self.a_expected, self.a_grad)

    @property
    def b_ok(self) -> bool:
        return torch.allclose(self.b_expected, self.b_grad)


def q_backward(namespace: Mapping[str, Any], gradient: torch.Tensor) -> QCheck:
    """Run `Q.backward(gradient=...)` on fresh grads and check it against the calculus.

    `retain_graph=True` lets the learner try several gradient vectors on one Q; the grads are
    reset first so each try shows one backward pass, not an accumulation. When the try fails,
    a.grad and b.grad are put back as they were.
    """
    a, b, q = (namespace.get(k) for k in ("a", "b", "Q"))
    for name, value in (("a", a), ("b", b), ("Q", q)):
        if not isinstance(value, torch.Tensor):
            raise ValueError(f"{name} is missing or not a tensor: create the example first")
    for name, value in (("a", a), ("b", b)):
        if not (value.is_leaf and value.requires_grad):
            raise ValueError(f"{name} is no longer a leaf tensor that requires grad (was it reassigned?): "
                             "create the example again")
    if q.grad_fn is None:
        raise ValueError("Q has no graph: it must be computed from a and b with requires_grad=True")
    before = a.grad, b.grad
    a.grad = None
    b.grad = None
    try:
        q.backward(gradient=gradient, retain_graph=True)
        if a.grad is None or b.grad is None:
            raise ValueError("Q does not depend on both a and b: recompute Q = 3*a**3 - b**2")
    except RuntimeError as error:
        a.grad, b.grad = before
        if "second time" in str(error):  # a backward() without retain_graph=True freed Q's graph
            raise ValueError("Q's graph was freed by an earlier backward() without retain_graph=True: "
                             "recompute Q = 3*a**3 - b**2 (or create the example again)") from None
        raise
    except ValueError:
        a.grad, b.grad = before
        raise
    with torch.no_grad():
        return QCheck(a.grad.clone(), b.grad.clone(), 9 * a**2 * gradient, -2 * b * gradient)


# -- choosing what to draw -------------------------------------------------------------------------
FULL, COLLAPSED, AUTO_COLLAPSED, TRUNCATED = "full", "collapsed", "auto-collapsed", "truncated"
MAX_DRAWN_NODES = 3000  # more boxes than this take the GUI thread too long to create and are unreadable


def plan_view(graph: AutogradGraph, collapse: bool, depth: int = 1, max_cost: int = MAX_LAYOUT_COST,
              process: LayoutProcess | None = None, expanded: Collection[str] = ()) -> tuple[Projection, Layout, str]:
    """Pick the projection to draw and lay it out; meant for a worker thread.

    A graph too large to draw in full is collapsed by module when it has modules, and cut to
    the nodes nearest the root otherwise (or when even the collapsed view is too large).
    A costly layout runs in `process` when one is given. `depth` 0 picks it with `auto_depth`.
    """

    def too_large(p: Projection) -> bool:
        return len(p.members) > MAX_DRAWN_NODES or layout_cost(len(p.members), p.edges) > max_cost

    if depth == 0 and graph.has_modules():
        depth = auto_depth(graph)
    mode, projection = FULL, full_projection(graph)
    if collapse and graph.has_modules():
        mode, projection = COLLAPSED, collapse_by_module(graph, depth, expanded)
    if mode == FULL and graph.has_modules() and too_large(projection):
        mode, projection = AUTO_COLLAPSED, collapse_by_module(graph, depth, expanded)
    limit = min(len(graph.nodes), MAX_DRAWN_NODES)
    while too_large(projection) and limit >= 50:
        mode, projection = TRUNCATED, nearest_to_root(graph, limit)
        limit //= 2
    cost = layout_cost(len(projection.members), projection.edges)
    lay_out = process.run if process is not None and cost > IN_PROCESS_COST else layered_layout
    return projection, lay_out(len(projection.members), projection.edges), mode
