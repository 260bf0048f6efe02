"""Layered (Sugiyama) layout of a graph by igraph's C core.

Its cost grows with the "dummy" points it adds where an edge spans several layers; `layout_cost`
estimates that count first so a caller can refuse a layout that would take minutes (a 15,000-node
chain with one weight shared along it needs millions of them). igraph holds the GIL during parts
of the layout (measured: 0.6 s of 0.6 s on a 375-node graph with 35,000 bend points, while
densenet121's layout let other threads run), so `LayoutProcess` runs large layouts in a child
process, where they cannot stall the GUI and can be stopped.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from typing import Any

import igraph

# Nodes plus edge bend points above which a layout takes more than a few seconds (densenet121:
# ~800 nodes + ~26,000 bend points lay out in under a second here).
MAX_LAYOUT_COST = 60_000
# Below this a layout takes milliseconds: not worth a process start (~0.3 s).
IN_PROCESS_COST = 3_000


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
    positions = _spread_layers([(float(x), float(y)) for x, y in layout.coords[:node_count]])
    routes = []
    for (a, b), bends in zip(edges, layout.edge_routing, strict=True):
        routes.append(_straighten([positions[a], *((float(x), float(y)) for x, y in bends), positions[b]]))
    return Layout(positions, routes)


def _spread_layers(positions: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Keep nodes of one layer at least 1 apart, in igraph's order and around the same centre.

    igraph 1.0 sometimes places two nodes of a layer 0.5 apart (the blitz Net's graph shows it),
    which would draw their boxes on top of each other.
    """
    layers: dict[float, list[int]] = {}
    for index, (_, y) in enumerate(positions):
        layers.setdefault(y, []).append(index)
    result = list(positions)
    for y, members in layers.items():
        members.sort(key=lambda i: positions[i][0])
        xs = [positions[i][0] for i in members]
        for k in range(1, len(xs)):
            xs[k] = max(xs[k], xs[k - 1] + 1)
        shift = (sum(positions[i][0] for i in members) - sum(xs)) / len(xs)
        for i, x in zip(members, xs):
            result[i] = (x + shift, y)
    return result


def _straighten(route: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop bend points that lie on the line between their neighbours (long vertical runs of
    an edge crossing many layers): fewer points to draw, the same picture."""
    kept = route[:1]
    for point, after in zip(route[1:-1], route[2:]):
        (x0, y0), (x1, y1), (x2, y2) = kept[-1], point, after
        if abs((x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0)) > 1e-9:
            kept.append(point)
    return kept + route[-1:]


class LayoutCancelled(Exception):
    pass


def _layout_in_child(connection: Any, node_count: int, edges: list[tuple[int, int]], maxiter: int) -> None:
    try:
        connection.send(layered_layout(node_count, edges, maxiter))
    except Exception as error:  # sent back to be raised in the caller
        connection.send(error)
    finally:
        connection.close()


class LayoutProcess:
    """Runs `layered_layout` in a spawned child process; `cancel()` (from any thread) kills it."""

    def __init__(self) -> None:
        self._process: Any = None
        self._cancelled = False

    def run(self, node_count: int, edges: list[tuple[int, int]], maxiter: int = 100) -> Layout:
        context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt threads
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_layout_in_child, args=(send, node_count, edges, maxiter), daemon=True)
        if self._cancelled:
            raise LayoutCancelled("cancelled")
        self._process = process
        process.start()
        send.close()
        try:
            result = receive.recv()
        except EOFError:
            raise LayoutCancelled("the layout process ended without a result") from None
        finally:
            receive.close()
            process.join()
            self._process = None
        if isinstance(result, Exception):
            raise result
        return result

    def cancel(self) -> None:
        self._cancelled = True
        process = self._process
        if process is not None and process.is_alive():
            process.kill()
