"""Autograd panel: the live grad_fn graph behind a tensor of the session.

It follows one tensor (by default the latest result with a grad_fn), rebuilds its graph when the
name is rebound, and recolours it when leaves get a `.grad` or are frozen. Walking and laying out
run on a worker thread (igraph releases the GIL), so a 20,000-node graph never freezes the window.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import torch
from PySide6.QtCore import QObject, QPoint, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from blitzgui.core.autograd_graph import (
    AUTO_COLLAPSED,
    BLITZ_Q_CODE,
    COLLAPSED,
    FULL,
    MAX_DRAWN_NODES,
    TRUNCATED,
    AutogradGraph,
    TraversalWatch,
    build_graph,
    group_details,
    parse_gradient,
    plan_view,
    q_backward,
    to_dot,
)
from blitzgui.core.graph_layout import LayoutCancelled, LayoutProcess
from blitzgui.ui.autograd_view import KIND_COLOURS, AutogradView
from blitzgui.ui.context import AppContext

POLL_MS = 300  # backward() and requires_grad_() change no name, so the followed graph is polled
COLLAPSE_TIP_NODES = 100  # a module graph this large does not fit readably: suggest collapsing


class _LayoutJob(QRunnable):
    """Builds the graph model and lays it out on a pool thread; reports through `bridge`."""

    def __init__(self, bridge: _LayoutBridge, generation: int, tensor: torch.Tensor, namespace: dict,
                 label: str, collapse: bool, depth: int, expanded: frozenset[str]):
        super().__init__()
        self.bridge, self.generation = bridge, generation
        self.args = (tensor, namespace, label)
        self.collapse, self.depth, self.expanded = collapse, depth, expanded
        self.process = LayoutProcess()

    def run(self) -> None:
        try:
            graph = build_graph(*self.args)
            planned = plan_view(graph, self.collapse, self.depth, process=self.process,
                                expanded=self.expanded) if len(graph) else None
            result: Any = (graph, planned)
        except LayoutCancelled:
            return
        except Exception as error:  # reported in the panel, never lost in a thread
            result = error
        finally:
            self.args = None  # the namespace copy must not keep the learner's objects alive
        self.bridge.finished.emit(self.generation, result)


class _LayoutBridge(QObject):
    # Emitted from the pool thread; the panel's slot then runs in the GUI thread (queued).
    finished = Signal(int, object)


class AutogradPanel(QWidget):
    view_updated = Signal()  # the graph (or a message in its place) is drawn

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = context.session
        self.graph: AutogradGraph | None = None
        self.mode = ""
        self._pinned: str | None = None  # a name the learner chose; None: follow the latest result
        self._followed: str | None = None  # the session name being shown
        self._event_tensor: tuple[torch.Tensor, str] | None = None  # from "follow_tensor", unnamed
        self._shown_tensor: torch.Tensor | None = None
        self._shown_fn: Any = None
        self._watch: TraversalWatch | None = None
        self._state_key: tuple = ()
        self._generation = 0
        self._job: _LayoutJob | None = None
        self._expanded: set[str] = set()  # modules opened by a double-click in the collapsed view
        self._matches: list[int] = []
        self._match_cursor = -1
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._bridge = _LayoutBridge(self)
        self._bridge.finished.connect(self._layout_finished)
        self._detail_names = {
            "node": self.tr("node"), "kind": self.tr("kind"), "tensor": self.tr("tensor"), "module": self.tr("module"),
            "shape": self.tr("shape"), "dtype": self.tr("dtype"), "requires_grad": "requires_grad", "grad": "grad",
            "note": self.tr("note"), "nodes": self.tr("nodes"), "ops": self.tr("ops"),
            "parameters": self.tr("parameters"), "frozen": self.tr("frozen"),
        }
        self._kind_names = {"root": self.tr("followed tensor"), "op": self.tr("operation"),
                            "leaf": self.tr("leaf, requires grad"), "frozen": self.tr("leaf, frozen")}
        self._build_ui()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._poll_state)
        self._unsubscribe = self.session.subscribe(self._names_changed)
        self.session.on("follow_tensor", self.follow_tensor)
        self._refresh_choices()
        self.view.show_message(self.tr("Run code that makes a tensor with a grad_fn, e.g. "
                                       "y = x * 2 with x = torch.ones(2, requires_grad=True)."))

    # -- layout of the panel ---------------------------------------------------------------
    def _build_ui(self) -> None:
        self.follow_combo = QComboBox()
        self.follow_combo.setMinimumContentsLength(14)
        self.follow_combo.activated.connect(self._choice_made)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search nodes (op, tensor, module)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._search_changed)
        self.search_edit.returnPressed.connect(self.next_match)
        self.collapse_check = QCheckBox(self.tr("Collapse by module"))
        self.collapse_check.setToolTip(self.tr("Draw one box per module of an nn.Module, so large models stay readable"))
        self.collapse_check.toggled.connect(self._collapse_toggled)
        self.depth_spin = QSpinBox()
        self.depth_spin.setRange(0, 4)
        self.depth_spin.setPrefix(self.tr("depth "))
        self.depth_spin.setSpecialValueText(self.tr("depth: auto"))
        self.depth_spin.setToolTip(self.tr("How many levels of submodules stay separate when collapsed"))
        self.depth_spin.valueChanged.connect(self._depth_changed)
        fit = QPushButton(self.tr("Fit"))
        fit.clicked.connect(lambda: self.view.fit())
        export = QToolButton()
        export.setText(self.tr("Export"))
        export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(export)
        menu.addAction(self.tr("View as PNG…"), lambda: self._export_dialog("png"))
        menu.addAction(self.tr("View as SVG…"), lambda: self._export_dialog("svg"))
        menu.addAction(self.tr("Graph as DOT…"), lambda: self._export_dialog("dot"))
        export.setMenu(menu)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Follow:")))
        bar.addWidget(self.follow_combo)
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.collapse_check)
        bar.addWidget(self.depth_spin)
        bar.addWidget(fit)
        bar.addWidget(export)

        legend = QHBoxLayout()
        for kind, text in [*self._kind_names.items(), ("module", self.tr("module (collapsed)"))]:
            chip = QLabel(text)
            chip.setStyleSheet(f"background: {KIND_COLOURS[kind]}; border: 1px solid #777; padding: 1px 6px;")
            legend.addWidget(chip)
        traversed = QLabel(self.tr("blue border: reached by backward()"))
        traversed.setStyleSheet("border: 2px solid #1d4ed8; padding: 1px 6px;")
        legend.addWidget(traversed)
        legend.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator while the worker lays out
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        legend.addWidget(self.progress)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.view = AutogradView()
        self.view.box_clicked.connect(self._show_details)
        self.view.box_double_clicked.connect(self.open_module)
        self.view.box_menu_requested.connect(self._show_box_menu)
        self.view.drawn.connect(self._drawn)
        self.details = QTextBrowser()
        self.details.setPlaceholderText(self.tr("Click a node for its details"))

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.details, 1)
        side_layout.addWidget(self._build_q_box())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 330])

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(legend)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)

    def _build_q_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Try it: Q = 3a³ − b²"))
        intro = QLabel(self.tr("Q is a vector, so Q.backward() needs a gradient= vector: dQ/dQ, one number per element."))
        intro.setWordWrap(True)
        self.gradient_edit = QLineEdit("1., 1.")
        self.gradient_edit.setToolTip(self.tr("e.g. 1., 1. — the blitz uses torch.tensor([1., 1.])"))
        self.gradient_edit.returnPressed.connect(self.run_q_backward)
        run = QPushButton(self.tr("Q.backward(gradient=…)"))
        run.clicked.connect(self.run_q_backward)
        create = QPushButton(self.tr("Create a, b and Q"))
        create.setToolTip(BLITZ_Q_CODE)
        create.clicked.connect(self.create_q_example)
        self.q_result = QLabel()
        self.q_result.setWordWrap(True)
        self.q_result.setTextFormat(Qt.TextFormat.RichText)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("gradient =")))
        row.addWidget(self.gradient_edit, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(create)
        buttons.addWidget(run)
        layout = QVBoxLayout(box)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addLayout(buttons)
        layout.addWidget(self.q_result)
        return box

    # -- which tensor is followed ----------------------------------------------------------
    def follow(self, name: str | None) -> None:
        """Follow a session name, or None for "the latest result with a grad_fn"."""
        self._pinned = name
        self._event_tensor = None
        if name is not None:
            self._followed = name
        self._refresh_choices()
        self._update(rebuild=True)

    def follow_tensor(self, tensor: Any, label: str = "tensor") -> None:
        """The "follow_tensor" event: show this tensor's graph (named in the session or not)."""
        name = next((k for k, v in self.session.namespace.items() if v is tensor and not k.startswith("_")), None)
        if name is not None:
            self.follow(name)
            return
        self._pinned = None
        self._followed = None
        self._event_tensor = (tensor, label)
        self._refresh_choices()
        self._update(rebuild=True)

    def _candidates(self) -> list[str]:
        # Every tensor: choosing one made under torch.no_grad() explains why it has no graph.
        return [k for k, v in self.session.namespace.items() if isinstance(v, torch.Tensor) and not k.startswith("_")]

    def _refresh_choices(self) -> None:
        combo = self.follow_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("latest result (automatic)"), None)
        names = self._candidates()
        if self._followed and self._followed not in names:
            names.append(self._followed)
        for name in names:
            combo.addItem(name, name)
        if self._event_tensor is not None:
            combo.addItem(self._event_tensor[1], "")
        if self._event_tensor is not None:
            combo.setCurrentIndex(combo.count() - 1)
        elif self._pinned is not None:
            combo.setCurrentIndex(max(0, combo.findData(self._pinned)))
        combo.blockSignals(False)

    def _choice_made(self, index: int) -> None:
        data = self.follow_combo.itemData(index)
        if data != "":  # "" is the tensor an event sent: already followed
            self.follow(data)

    def _names_changed(self, names: set[str]) -> None:
        if self._pinned is None and self._event_tensor is None:
            ns = self.session.namespace
            fresh = [k for k in ns if k in names and not k.startswith("_")
                     and isinstance(ns[k], torch.Tensor) and ns[k].grad_fn is not None]
            if fresh:
                self._followed = fresh[-1]  # the latest in the namespace's order
        self._refresh_choices()
        self._update(rebuild=self._followed in names)

    # -- building and drawing --------------------------------------------------------------
    def _target(self) -> tuple[Any, str] | str | None:
        """(tensor, label) to show, a message why there is none, or None when nothing is followed."""
        if self._event_tensor is not None:
            value, label = self._event_tensor
        elif self._followed is None:
            return None
        elif self._followed not in self.session.namespace:
            return self.tr("'{}' was deleted, so there is no graph to show.").format(self._followed)
        else:
            value, label = self.session.namespace[self._followed], self._followed
        if not isinstance(value, torch.Tensor):
            return self.tr("{} is a {}, not a tensor: nothing to draw.").format(label, type(value).__name__)
        return value, label

    def _update(self, rebuild: bool = False) -> None:
        target = self._target()
        if target is None:
            return
        if isinstance(target, str):
            self._show_message(target)
            return
        tensor, label = target
        if not rebuild and tensor is self._shown_tensor and tensor.grad_fn is self._shown_fn:
            if self.graph is not None and self._job is None and not self.view.busy:  # drawn, not being redrawn
                self._refresh_states()
            return
        self._start_layout(tensor, label)

    def _start_layout(self, tensor: torch.Tensor, label: str) -> None:
        if tensor is not self._shown_tensor:
            self._expanded.clear()  # opened modules belong to the graph they were opened in
        self._generation += 1
        self._shown_tensor, self._shown_fn = tensor, tensor.grad_fn
        self.progress.show()
        self.status_label.setText(self.tr("Reading and laying out the graph of {}…").format(label))
        snapshot = dict(self.session.namespace)  # the worker reads names from a copy
        if self._job is not None:
            self._job.process.cancel()  # a newer request supersedes it
        self._job = _LayoutJob(self._bridge, self._generation, tensor, snapshot, label,
                               self.collapse_check.isChecked(), self.depth_spin.value(), frozenset(self._expanded))
        self._job.setAutoDelete(False)
        self._pool.start(self._job)

    def _collapse_toggled(self, _checked: bool) -> None:
        self._expanded.clear()
        self._relayout()

    def open_module(self, box: int) -> None:
        """Double-click on a module's box: draw its submodules (or its nodes) instead."""
        module = self.view.projection.module_of(box) if self.view.projection else None
        if module is not None:
            self._expanded.add(module)
            self._relayout()

    def opened_around(self, box: int) -> list[str]:
        """The opened modules a box lies in, innermost first."""
        projection = self.view.projection
        if projection is None or self.graph is None:
            return []
        path = projection.module_of(box) or self.graph.nodes[projection.members[box][0]].module or ""
        return sorted((m for m in self._expanded if path == m or path.startswith(m + ".")), key=len, reverse=True)

    def close_module(self, module: str) -> None:
        """Close an opened module (and what was opened inside it): one box again."""
        self._expanded = {m for m in self._expanded if m != module and not m.startswith(module + ".")}
        self._relayout()

    def box_menu(self, box: int) -> QMenu:
        """The right-click menu of a box: open it when it is a module, close the modules it was opened from."""
        menu = QMenu(self)
        module = self.view.projection.module_of(box) if self.view.projection else None
        if module is not None:
            menu.addAction(self.tr("Open {}").format(module), lambda: self.open_module(box))
        for opened in self.opened_around(box):
            menu.addAction(self.tr("Close {}").format(opened), lambda m=opened: self.close_module(m))
        return menu

    def _show_box_menu(self, box: int, where: QPoint) -> None:
        menu = self.box_menu(box)
        if menu.actions():
            menu.exec(where)
        menu.deleteLater()

    def _depth_changed(self, _depth: int) -> None:
        if self.collapse_check.isChecked():
            self._relayout()

    def _relayout(self) -> None:
        target = self._target()
        if isinstance(target, tuple):
            self._start_layout(*target)

    def _layout_finished(self, generation: int, result: Any) -> None:
        if generation != self._generation:
            return  # a newer request superseded this one
        self._job = None
        self._close_watch()
        if isinstance(result, Exception):
            self.graph = None
            self._show_message(self.tr("Could not draw this graph: {}").format(result))
            return
        graph, planned = result
        if planned is None:
            self.graph = None
            self._show_message(graph.reason)
            return
        projection, layout, self.mode = planned
        self.graph = graph
        self._watch = TraversalWatch(graph, (members[0] for members in projection.members))
        self.progress.show()
        self.status_label.setText(self.tr("Drawing {} boxes…").format(len(projection.members)))
        self.details.clear()
        self.view.show_graph(graph, projection, layout)

    def _drawn(self) -> None:
        self.progress.hide()
        self._refresh_states()
        self.status_label.setText(self._status_text())
        self._search_changed(self.search_edit.text())
        self._poll.start()
        self.view_updated.emit()

    def _status_text(self) -> str:
        graph, projection = self.graph, self.view.projection
        text = self.tr("{}: {} nodes, {} edges.").format(graph.label, len(graph), len(graph.edges))
        if self.mode == FULL and graph.has_modules() and len(graph) > COLLAPSE_TIP_NODES:
            text += " " + self.tr("Tip: tick 'Collapse by module' for an overview.")
        if self.mode == COLLAPSED:
            text += " " + self.tr("Collapsed into {} boxes by module.").format(len(projection.members))
        elif self.mode == AUTO_COLLAPSED:
            text += " " + self.tr("Too large to draw in full: collapsed into {} boxes by module.").format(
                len(projection.members))
        if self.mode in (COLLAPSED, AUTO_COLLAPSED):
            text += " " + self.tr("Double-click a module to open it.")
            if self._expanded:
                text += " " + self.tr("Right-click a box of an opened module to close it.")
        elif self.mode == TRUNCATED:
            text += " " + self.tr("Too large to draw in full: showing the {} nodes nearest the root ({} hidden).").format(
                len(projection.members), projection.hidden)
        return text

    def _show_message(self, text: str) -> None:
        self._close_watch()
        self._poll.stop()
        self.graph = None
        self._shown_tensor = self._shown_fn = None
        self.progress.hide()
        self.status_label.setText(text)
        self.view.show_message(text)
        self.details.clear()
        self.view_updated.emit()

    def _close_watch(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None

    # -- live state ------------------------------------------------------------------------
    def _current_state_key(self) -> tuple:
        traversed = len(self._watch.traversed) if self._watch else 0
        return (self.graph.state_key() if self.graph else (), traversed)

    def _poll_state(self) -> None:
        if not self.isVisible() or self._job is not None:  # hidden, or a new graph is on its way
            return
        target = self._target()
        if not isinstance(target, tuple) or target[0] is not self._shown_tensor:
            self._update()  # rebound or deleted without a notification
            return
        key = self._current_state_key()
        if key != self._state_key:
            self._refresh_states()

    def _refresh_states(self) -> None:
        if self.graph is None:
            return
        self._state_key = self._current_state_key()
        hooked = set(self._watch.traversed) if self._watch else set()
        among = None
        if len(self.graph) > MAX_DRAWN_NODES:  # a full guess would read every node of a huge graph
            among = [i for members in self.view.projection.members for i in members[:1]]
        self.view.refresh_states(self.graph.traversed(hooked, among))
        box = self.view.selected_box()
        if box is not None:
            self._show_details(box)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._poll_state)  # catch up on what changed while hidden

    def _show_details(self, box: int) -> None:
        if self.graph is None or self.view.projection is None:
            return
        rows = group_details(self.graph, self.view.projection.members[box])
        lines = []
        for key, value in rows:
            key = self._detail_names.get(key) or (
                self.tr("saved {}").format(key.removeprefix("saved ")) if key.startswith("saved ") else key)
            value = self._kind_names.get(value, value) if key == self._detail_names["kind"] else value
            style = ""
            if value == "freed by backward()":  # saved tensors released by backward(): in red
                style, value = ' style="color:#b00020"', self.tr("freed by backward()")
            lines.append(f"<tr><td><b>{html.escape(key)}</b></td><td{style}>{html.escape(value)}</td></tr>")
        self.details.setHtml("<table cellspacing='4'>" + "".join(lines) + "</table>")

    # -- search ------------------------------------------------------------------------------
    def _search_changed(self, text: str) -> None:
        if self.graph is None or self.view.projection is None:
            return
        box_of = self.view.projection.box_of()
        found = self.graph.search(text)
        self._matches = sorted({box_of[i] for i in found if i in box_of})
        self._match_cursor = -1
        self.view.set_matches(set(self._matches))
        if not text.strip():
            self.status_label.setText(self._status_text())
        elif not found:
            self.status_label.setText(self.tr("No node matches '{}'.").format(text.strip()))
        elif not self._matches:
            self.status_label.setText(self.tr("{} nodes match, but none is drawn in this view.").format(len(found)))
        else:
            self.status_label.setText(self.tr("{} boxes match '{}'; press Enter for the next.").format(
                len(self._matches), text.strip()))

    def next_match(self) -> None:
        if self._matches:
            self._match_cursor = (self._match_cursor + 1) % len(self._matches)
            self.view.select_box(self._matches[self._match_cursor])

    # -- export ------------------------------------------------------------------------------
    def _export_dialog(self, kind: str) -> None:
        filters = {"png": self.tr("PNG image (*.png)"), "svg": self.tr("SVG image (*.svg)"),
                   "dot": self.tr("Graphviz DOT (*.dot *.gv)")}
        default = str(self.context.data_dir / f"{self.graph.label if self.graph else 'graph'}.{kind}")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), default, filters[kind])
        if path:
            self.export(kind, path)

    def export(self, kind: str, path: str | Path) -> bool:
        """Write the view as PNG/SVG or the shown graph as DOT; failures become a message."""
        if self.graph is None:
            self.status_label.setText(self.tr("Nothing to export: no graph is shown."))
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a PNG of a huge graph takes a second or two
        try:
            if kind == "png":
                data = self.view.render_png()
            elif kind == "svg":
                data = self.view.render_svg(self.graph.label)
            else:
                data = to_dot(self.graph, self.view.projection).encode("utf-8")
            Path(path).write_bytes(data)
        except OSError as error:
            self.status_label.setText(self.tr("Could not export to {}: {}").format(path, error.strerror or error))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.status_label.setText(self.tr("Exported {}.").format(path))
        return True

    # -- the Q = 3a^3 - b^2 example ------------------------------------------------------------
    def create_q_example(self) -> None:
        values: dict[str, Any] = {"torch": torch, "device": self.context.device.device}
        exec(BLITZ_Q_CODE, values)  # fixed code, shown in the button's tooltip
        self._pinned = None
        self._event_tensor = None
        self.session.push(a=values["a"], b=values["b"], Q=values["Q"])
        self.q_result.setText(self.tr("Created a, b and Q. Now run Q.backward(gradient=…)."))

    def run_q_backward(self) -> None:
        ns = self.session.namespace
        q = ns.get("Q")
        try:
            if not isinstance(q, torch.Tensor):
                raise ValueError(self.tr("There is no tensor Q yet: click 'Create a, b and Q' first."))
            check = q_backward(ns, parse_gradient(self.gradient_edit.text(), like=q))
        except (ValueError, RuntimeError) as error:
            self.q_result.setText('<span style="color:#b00020">{}</span>'.format(html.escape(str(error), quote=False)))
            return
        mark = {True: "✓", False: "✗"}
        self.q_result.setText(
            "a.grad = {}<br>b.grad = {}<br>9*a**2 * gradient == a.grad: {}<br>-2*b * gradient == b.grad: {}".format(
                html.escape(str(check.a_grad.tolist())), html.escape(str(check.b_grad.tolist())),
                mark[check.a_ok], mark[check.b_ok]))
        self.session.notify_changed({"a", "b"})
        if self.graph is not None:
            self._refresh_states()

    # -- life cycle ----------------------------------------------------------------------------
    def shutdown(self) -> None:
        self._poll.stop()
        self._generation += 1  # drop a layout still in flight
        self._pool.clear()
        if self._job is not None:
            self._job.process.cancel()
        self._pool.waitForDone(10_000)
        self._close_watch()
        self._unsubscribe()


def preview(data_dir: Path) -> AutogradPanel:
    """The panel on its own, showing the blitz's `out = (3 * (x + 2)**2).mean()` graph."""
    from blitzgui.core.devices import resolve_device
    from blitzgui.core.session import Session

    panel = AutogradPanel(AppContext(Session(), resolve_device("auto"), data_dir))
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    panel.session.push(x=x, y=y, z=z, out=z.mean())
    return panel


if __name__ == "__main__":  # python -m blitzgui.ui.autograd_panel
    import sys

    from blitzgui.core.paths import default_data_dir

    app = QApplication(sys.argv)
    window = preview(default_data_dir())
    window.resize(1280, 800)
    window.show()
    app.aboutToQuit.connect(window.shutdown)
    sys.exit(app.exec())
