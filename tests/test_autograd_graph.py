"""Core: the grad_fn walk, projections, DOT export, traversal hooks, the Q teaching helpers, layout."""

import time

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from blitzgui.core.autograd_graph import (
    auto_depth,
    FROZEN,
    LEAF,
    MODULE,
    OP,
    ROOT,
    TraversalWatch,
    box_kind,
    build_graph,
    collapse_by_module,
    forward_order,
    full_projection,
    group_details,
    nearest_to_root,
    parse_gradient,
    q_backward,
    summarize_tensor,
    to_dot,
)
from blitzgui.core.graph_layout import MAX_LAYOUT_COST, layered_layout, layout_cost


def ops_and_edges(graph):
    """The graph as a set of (op, title) nodes and (op, op) edges, independent of numbering."""
    nodes = {(n.op, n.title) for n in graph.nodes}
    edges = {(graph.nodes[a].op, graph.nodes[b].op) for a, b in graph.edges}
    return nodes, edges


class Net(nn.Module):  # the blitz's "Neural Networks" Net
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def blitz_y_z_out():
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    return {"x": x, "y": y, "z": z, "out": out}


def test_blitz_y_z_out_graph():
    ns = blitz_y_z_out()
    graph = build_graph(ns["out"], ns, "out")
    nodes, edges = ops_and_edges(graph)
    assert nodes == {
        ("MeanBackward0", "out"), ("MulBackward0", "z"), ("MulBackward0", ""),
        ("AddBackward0", "y"), ("AccumulateGrad", "x"),
    }
    assert edges == {
        ("MeanBackward0", "MulBackward0"), ("MulBackward0", "MulBackward0"),
        ("MulBackward0", "AddBackward0"), ("AddBackward0", "AccumulateGrad"),
    }
    assert [n.kind for n in graph.nodes] == [ROOT, OP, OP, OP, LEAF]
    assert graph.nodes[-1].variable is ns["x"]


def test_shared_subgraph_is_drawn_once():
    # y*y reaches y's AddBackward0 twice; it is one node with one edge.
    ns = blitz_y_z_out()
    graph = build_graph(ns["out"], ns)
    assert [n.op for n in graph.nodes].count("AddBackward0") == 1
    assert len(graph.edges) == len(set(graph.edges)) == 4


def test_y_times_y_is_one_edge_that_carries_two_inputs():
    ns = blitz_y_z_out()
    graph = build_graph(ns["out"], ns, "out")
    square = next(i for i, n in enumerate(graph.nodes) if n.op == "MulBackward0" and n.tensor_name is None)
    add = next(i for i, n in enumerate(graph.nodes) if n.op == "AddBackward0")
    assert graph.repeats == {(square, add): 2}
    assert full_projection(graph).repeats == {(square, add): 2}
    assert f'n{square} -> n{add} [label="×2"];' in to_dot(graph)
    assert to_dot(graph).count("×") == 1
    assert nearest_to_root(graph, 10).repeats == {(square, add): 2}


def test_repeats_are_not_shown_between_module_boxes():
    lin = nn.Linear(2, 2)
    h = lin(torch.ones(1, 2))
    out = (h * h).sum()
    graph = build_graph(out, {"lin": lin, "out": out}, "out")
    assert len(graph.repeats) == 1
    assert collapse_by_module(graph).repeats == {}


def test_blitz_q_graph():
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([6.0, 4.0], requires_grad=True)
    Q = 3 * a**3 - b**2
    graph = build_graph(Q, {"a": a, "b": b, "Q": Q}, "Q")
    nodes, edges = ops_and_edges(graph)
    assert nodes == {
        ("SubBackward0", "Q"), ("MulBackward0", ""), ("PowBackward0", ""),
        ("AccumulateGrad", "a"), ("AccumulateGrad", "b"),
    }
    assert edges == {
        ("SubBackward0", "MulBackward0"), ("SubBackward0", "PowBackward0"),
        ("MulBackward0", "PowBackward0"), ("PowBackward0", "AccumulateGrad"),
    }
    assert len(graph) == 6  # two PowBackward0 nodes, one per leaf


def test_blitz_net_with_mse_loss_chain_and_parameter_names():
    net = Net()
    loss = nn.MSELoss()(net(torch.randn(1, 1, 32, 32)), torch.randn(1, 10))
    graph = build_graph(loss, {"net": net, "loss": loss}, "loss")
    children = graph.children()
    chain, node = [], 0
    while node is not None:
        chain.append(graph.nodes[node].op)
        ops = [c for c in children[node] if not graph.nodes[c].is_leaf and graph.nodes[c].op != "TBackward0"]
        node = ops[0] if ops else None
    assert chain[:6] == [
        "MseLossBackward0", "AddmmBackward0", "ReluBackward0", "AddmmBackward0", "ReluBackward0", "AddmmBackward0",
    ]
    assert chain[-1] == "ConvolutionBackward0"
    leaves = {n.tensor_name for n in graph.leaves()}
    assert leaves == {f"net.{name}" for name, _ in net.named_parameters()}
    fc1 = next(n for n in graph.nodes if n.tensor_name == "net.fc1.weight")
    assert fc1.module == "net.fc1" and fc1.kind == LEAF
    assert {n.module for n in graph.nodes if n.op == "AddmmBackward0"} == {"net.fc1", "net.fc2", "net.fc3"}
    assert graph.nodes[children[1][1]].op == "ReluBackward0"  # the ReLU after fc2 goes with fc2
    assert graph.nodes[children[1][1]].module == "net.fc2"


def test_session_tensor_name_wins_over_parameter_name():
    net = nn.Linear(2, 1)
    out = net(torch.ones(1, 2)).sum()
    graph = build_graph(out, {"net": net, "w": net.weight})
    assert {n.tensor_name for n in graph.leaves()} == {"w", "net.bias"}


def test_leaf_without_name_is_titled_by_shape():
    out = (torch.ones(3, requires_grad=True) * 2).sum()
    graph = build_graph(out, {})
    assert graph.leaves()[0].title == "leaf (3,)"


def test_no_grad_result_has_no_graph_and_a_reason():
    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        y = x * 2
    graph = build_graph(y, {"y": y}, "y")
    assert len(graph) == 0 and "torch.no_grad()" in graph.reason and graph.reason.startswith("y ")


def test_leaf_requiring_grad_is_a_one_node_graph():
    x = torch.ones(2, requires_grad=True)
    graph = build_graph(x, {"x": x}, "x")
    assert len(graph) == 1 and graph.nodes[0].kind == LEAF and graph.nodes[0].title == "x"


def test_non_tensor_is_refused_clearly():
    with pytest.raises(TypeError, match="out is a int, not a tensor"):
        build_graph(5, {}, "out")


def test_freed_saved_values_are_marked_not_raised():
    ns = blitz_y_z_out()
    graph = build_graph(ns["out"], ns)
    square = graph.nodes[2]  # y*y saved both operands
    assert not any(s.freed for s in square.saved())
    ns["out"].backward()
    saved = square.saved()
    assert saved and all(s.freed for s in saved)
    assert ("saved self", "freed by backward()") in square.details()


def test_leaf_grad_and_frozen_show_live():
    ns = blitz_y_z_out()
    graph = build_graph(ns["out"], ns)
    leaf = graph.leaves()[0]
    before = graph.state_key()
    assert dict(leaf.details())["grad"] == "None"
    ns["out"].backward()
    assert graph.state_key() != before
    assert dict(leaf.details())["grad"] == "[4.5, 4.5, 4.5, 4.5] shape (2, 2)"
    ns["x"].requires_grad_(False)
    assert leaf.kind == FROZEN and "frozen" in dict(leaf.details())["note"]


def test_large_tensor_summary_is_shape_and_norm():
    assert summarize_tensor(torch.ones(10, 10)) == "shape (10, 10), norm 10"
    assert summarize_tensor(torch.tensor([1.0, 2.0])) == "[1.0, 2.0] shape (2,)"
    assert summarize_tensor(torch.tensor([1.0, 2.0]), short=True) == "[1.0, 2.0]"
    assert summarize_tensor(torch.ones(10, 10), short=True) == "norm 10"


def test_sparse_and_meta_grads_are_summarized_without_error():
    small = nn.Embedding(2, 2, sparse=True)
    small(torch.tensor([0])).sum().backward()
    assert small.weight.grad.is_sparse
    assert summarize_tensor(small.weight.grad) == "[1.0, 1.0, 0.0, 0.0] shape (2, 2)"
    large = nn.Embedding(20, 20, sparse=True)
    large(torch.tensor([0])).sum().backward()
    assert summarize_tensor(large.weight.grad) == "shape (20, 20), norm 4.472"
    meta = torch.ones(2, device="meta", requires_grad=True)
    (meta * 2).sum().backward()
    assert summarize_tensor(meta.grad) == "shape (2,), no values (meta device)"
    assert summarize_tensor(torch.ones(20, device="meta"), short=True) == "no values (meta)"
    graph = build_graph(small(torch.tensor([1])).sum(), {"small": small})
    assert ("grad", "[1.0, 1.0, 0.0, 0.0] shape (2, 2)") in group_details(graph, [graph.leaves()[0].index])


def test_traversal_watch_marks_only_the_nodes_backward_went_through():
    x = torch.ones(2, requires_grad=True)
    w = torch.ones(2, requires_grad=True)
    y = x * 3
    out = y.sum() + (w * 2).sum()
    graph = build_graph(out, {"x": x, "w": w, "y": y, "out": out})
    watch = TraversalWatch(graph)
    y.sum().backward(retain_graph=True)  # only y's part of out's graph
    titled = {graph.nodes[i].title for i in watch.traversed}
    assert "y" in titled and "x" in titled and "w" not in titled and "out" not in titled
    watch.close()
    watch.traversed.clear()
    out.backward()
    assert watch.traversed == set()  # hooks removed


def test_forward_order_puts_inputs_first():
    ns = blitz_y_z_out()
    graph = build_graph(ns["out"], ns)
    position = {node: i for i, node in enumerate(forward_order(graph))}
    assert all(position[b] < position[a] for a, b in graph.edges)


def test_big_graph_of_20000_nodes_builds_without_recursion():
    x = torch.ones(1, requires_grad=True)
    y = x
    for _ in range(20_000):
        y = y * 1.0001
    start = time.perf_counter()
    graph = build_graph(y, {"y": y})
    assert len(graph) == 20_001 and time.perf_counter() - start < 10
    assert layout_cost(len(graph), graph.edges) == 20_001  # a chain: no bend points
    assert len(nearest_to_root(graph, 500).members) == 500


def test_collapse_by_module_covers_every_node_once_and_keeps_the_root_alone():
    torchvision = pytest.importorskip("torchvision")
    net = torchvision.models.resnet18(weights=None)
    out = net(torch.randn(2, 3, 32, 32)).sum()
    graph = build_graph(out, {"net": net, "out": out}, "out")
    assert graph.has_modules()
    projection = collapse_by_module(graph, depth=1)
    flat = sorted(i for members in projection.members for i in members)
    assert flat == list(range(len(graph)))
    assert projection.members[0] == [0]
    assert len(projection.members) < 15 and box_kind(graph, projection.members[1]) == MODULE
    layer1 = next(m for m in projection.members if graph.nodes[m[0]].module.startswith("net.layer1"))
    assert dict(group_details(graph, layer1))["module"] == "net.layer1"
    assert auto_depth(graph) == 1
    assert projection.module_of(0) is None and projection.module_of(1).count(".") == 1  # e.g. "net.fc"
    opened = collapse_by_module(graph, depth=1, expanded={"net.layer1"})
    assert {m for m in opened.modules if m and m.startswith("net.layer1")} == {"net.layer1.0", "net.layer1.1"}
    fully = collapse_by_module(graph, 1, expanded={"net.layer1", "net.layer1.0", "net.layer1.0.conv1"})
    conv1 = [m for m, mod in zip(fully.members, fully.modules) if mod is None and len(m) == 1
             and graph.nodes[m[0]].module == "net.layer1.0.conv1"]
    assert len(conv1) == 2  # its convolution and weight (no bias), drawn one by one
    assert len(collapse_by_module(graph, depth=9).members) < len(graph)  # deeper than any module: whole modules
    deeper = collapse_by_module(graph, depth=2)
    assert len(deeper.members) > len(projection.members)
    assert all(a != b for a, b in projection.edges)


def test_dot_export_lists_nodes_and_backward_edges():
    ns = blitz_y_z_out()
    graph = build_graph(ns["out"], ns, "out")
    dot = to_dot(graph)
    assert dot.startswith('digraph "out" {')
    assert 'n0 [label="MeanBackward0\\nout", fillcolor="#f4a261"];' in dot
    assert "n0 -> n1;" in dot and dot.count("->") == 4


def test_parse_gradient_accepts_common_spellings():
    like = torch.zeros(2)
    assert parse_gradient("1, 1", like).tolist() == [1.0, 1.0]
    assert parse_gradient("[1., 0.5]", like).tolist() == [1.0, 0.5]
    assert parse_gradient(" 2 3 ", like).tolist() == [2.0, 3.0]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "type one number per element"),
        ("1, x", "'x' is not a number"),
        ("1, 2, 3", "needs 2 numbers, not 3"),
        ("1, nan", "must be finite"),
    ],
)
def test_parse_gradient_rejects_bad_input(text, message):
    with pytest.raises(ValueError, match=message):
        parse_gradient(text, torch.zeros(2))


def test_q_backward_matches_the_calculus_and_can_be_repeated():
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([6.0, 4.0], requires_grad=True)
    ns = {"a": a, "b": b, "Q": 3 * a**3 - b**2}
    check = q_backward(ns, torch.ones(2))
    assert check.a_grad.tolist() == [36.0, 81.0] and check.b_grad.tolist() == [-12.0, -8.0]
    assert check.a_ok and check.b_ok
    check = q_backward(ns, torch.tensor([2.0, 0.5]))  # a second try: fresh grads, not accumulated
    assert a.grad.tolist() == [72.0, 40.5] and check.a_ok and check.b_ok


def test_q_backward_explains_missing_or_stale_inputs():
    with pytest.raises(ValueError, match="Q is missing"):
        q_backward({"a": torch.ones(2), "b": torch.ones(2)}, torch.ones(2))
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([6.0, 4.0], requires_grad=True)
    ns = {"a": a, "b": b, "Q": 3 * a**3 - b**2}
    ns["a"] = torch.tensor([1.0, 1.0], requires_grad=True)  # a rebound after Q was computed
    with pytest.raises(ValueError, match="recompute Q"):
        q_backward(ns, torch.ones(2))


def test_q_backward_after_the_tutorials_own_backward_explains_the_freed_graph_and_keeps_grads():
    # The blitz runs Q.backward(gradient=external_grad) without retain_graph: Q's graph is freed.
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([6.0, 4.0], requires_grad=True)
    Q = 3 * a**3 - b**2
    Q.backward(gradient=torch.tensor([1.0, 1.0]))
    with pytest.raises(ValueError, match="Q's graph was freed by an earlier backward"):
        q_backward({"a": a, "b": b, "Q": Q}, torch.ones(2))
    assert a.grad.tolist() == [36.0, 81.0] and b.grad.tolist() == [-12.0, -8.0]  # nothing lost


def test_q_backward_refuses_a_or_b_rebound_to_a_non_leaf():
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([6.0, 4.0], requires_grad=True)
    ns = {"a": a, "b": b, "Q": 3 * a**3 - b**2}
    q_backward(ns, torch.ones(2))
    ns["b"] = torch.rand(2) + torch.rand(2, requires_grad=True)  # the blitz later rebinds a and b
    with pytest.raises(ValueError, match="b is no longer a leaf tensor that requires grad"):
        q_backward(ns, torch.ones(2))
    ns["b"] = torch.ones(2)
    with pytest.raises(ValueError, match="b is no longer a leaf"):
        q_backward(ns, torch.ones(2))
    assert a.grad.tolist() == [36.0, 81.0]


def test_q_backward_that_finds_q_independent_of_a_restores_the_grads():
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([6.0, 4.0], requires_grad=True)
    ns = {"a": a, "b": b, "Q": 3 * a**3 - b**2}
    q_backward(ns, torch.ones(2))
    ns["Q"] = b * 2  # a new Q made from b alone
    with pytest.raises(ValueError, match="recompute Q"):
        q_backward(ns, torch.ones(2))
    assert a.grad.tolist() == [36.0, 81.0] and b.grad.tolist() == [-12.0, -8.0]


def test_layered_layout_puts_the_root_on_top_and_routes_edges_between_their_nodes():
    ns = blitz_y_z_out()
    graph = build_graph(ns["out"], ns)
    layout = layered_layout(len(graph), graph.edges)
    ys = [y for _, y in layout.positions]
    assert ys == sorted(ys) and ys[0] == 0 and layout.layers == 5
    for (a, b), route in zip(graph.edges, layout.routes):
        assert route[0] == layout.positions[a] and route[-1] == layout.positions[b]


def test_layout_cost_counts_bend_points_of_long_edges():
    # 0 -> 1 -> 2 -> 3 plus 0 -> 3 spanning two extra layers.
    edges = [(0, 1), (1, 2), (2, 3), (0, 3)]
    assert layout_cost(4, edges) == 4 + 2
    layout = layered_layout(4, edges)
    route = layout.routes[3]
    assert route[0] == layout.positions[0] and route[-1] == layout.positions[3]
    assert 2 <= len(route) <= 4  # bend points on a straight run are dropped
    assert MAX_LAYOUT_COST > 30_000  # densenet121 must fit


def test_full_projection_is_identity():
    ns = blitz_y_z_out()
    graph = build_graph(ns["out"], ns)
    projection = full_projection(graph)
    assert projection.members == [[i] for i in range(5)] and projection.edges == graph.edges


def test_nodes_of_a_layer_never_overlap():
    net = Net()
    loss = nn.MSELoss()(net(torch.randn(1, 1, 32, 32)), torch.randn(1, 10))
    graph = build_graph(loss, {"net": net, "loss": loss})
    layout = layered_layout(len(graph), graph.edges)
    by_layer = {}
    for x, y in layout.positions:
        by_layer.setdefault(y, []).append(x)
    for xs in by_layer.values():
        xs.sort()
        assert all(b - a >= 1 - 1e-9 for a, b in zip(xs, xs[1:]))


def test_traversal_guess_includes_a_root_that_saved_nothing_to_free():
    ns = blitz_y_z_out()  # MeanBackward0 saves only sizes
    graph = build_graph(ns["out"], ns)
    ns["out"].backward()
    assert graph.traversed(set()) == set(range(5))


def test_traversal_guess_for_a_backward_no_hook_saw():
    net = Net()
    loss = nn.MSELoss()(net(torch.randn(1, 1, 32, 32)), torch.randn(1, 10))
    graph = build_graph(loss, {"net": net, "loss": loss})
    assert graph.traversed(set()) == set()
    loss.backward()  # before anything watched: freed saved tensors and leaf grads tell
    assert graph.traversed(set()) == set(range(len(graph)))  # TBackward0 etc. via their consumers
    assert graph.traversed(set(), among=[0, 1]) == {0, 1}
