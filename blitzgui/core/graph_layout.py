"""Layered (Sugiyama) layout of a graph by igraph's C core.

igraph releases the GIL while it lays out, so calling `layered_layout` from a worker thread keeps
the GUI responsive. Its cost grows with the "dummy" points it adds where an edge spans several
layers; `layout_cost` estimates that count first so a caller can refuse a layout that would take
minutes (a 15,000-node chain with weights shared across it needs millions of them).
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph

# Nodes plus edge bend points above which a layout takes more than a few seconds (densenet121:
# ~800 nodes + ~26,000 bend points lay out in well under a second here).
MAX_LAYOUT_COST = 60_000


@dataclass
class Layout:
    """Node centres and edge routes in layout units: x is the position in a layer, y the layer."""

    positions: list[tuple[float, float]]
    routes: list[list[tuple[float, float]]]  # per edge: source, bend points, target

    @property
    def width(self) -> float:
        return max((x for x, _ in self.positions), default=0.0)

    @property
    def layers(self) -> int:
        return int(max((y for _, y in self.positions), default=-1)) + 1


def longest_path_layers(node_count: int, edges: list[tuple[int, int]]) -> list[int]:
    """Each node's layer: the length of the longest path to it from a source (the root)."""
    graph = igraph.Graph(n=node_count, edges=edges, directed=True)
    layer = [0] * node_count
    children: list[list[int]] = [[] for _ in range(node_count)]
    for a, b in edges:
        children[a].append(b)
    for node in graph.topological_sorting():
        for child in children[node]:
            layer[child] = max(layer[child], layer[node] + 1)
    return layer


def layout_cost(node_count: int, edges: list[tuple[int, int]]) -> int:
    """Nodes plus the bend points a layered layout will add (one per layer an edge crosses)."""
    layer = longest_path_layers(node_count, edges)
    return node_count + sum(max(0, layer[b] - layer[a] - 1) for a, b in edges)


def layered_layout(node_count: int, edges: list[tuple[int, int]], maxiter: int = 100) -> Layout:
    """Sugiyama layout of a directed acyclic graph; edges run from upper to lower layers."""
    if node_count == 0:
        return Layout([], [])
    graph = igraph.Graph(n=node_count, edges=edges, directed=True)
    layout = graph.layout_sugiyama(maxiter=maxiter)
    positions = [(float(x), float(y)) for x, y in layout.coords[:node_count]]
    routes = []
    for (a, b), bends in zip(edges, layout.edge_routing, strict=True):
        routes.append([positions[a], *((float(x), float(y)) for x, y in bends), positions[b]])
    return Layout(positions, routes)
