"""The drawing of an autograd graph: coloured boxes, backward arrows, zoom, pan, export."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QBuffer, QCoreApplication, QByteArray, QElapsedTimer, QIODevice, QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QWheelEvent,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from blitzgui.core.autograd_graph import (
    FROZEN,
    LEAF,
    MODULE,
    OP,
    ROOT,
    AutogradGraph,
    Projection,
    box_kind,
    box_text,
    group_details,
    summarize_tensor,
)
from blitzgui.core.graph_layout import Layout

KIND_COLOURS = {ROOT: "#f4a261", OP: "#dfe7f2", LEAF: "#8fd694", FROZEN: "#c8c8c8", MODULE: "#cdb4ff"}
BOX_W, BOX_H = 214.0, 50.0  # room for three lines (op, name, a leaf's .grad), "MaxPool2DWithIndicesBackward0" unelided
X_STEP, Y_STEP = 238.0, 94.0  # pixels per layout unit across, per layer down
SLICE_MS = 15  # longest stretch the GUI thread spends adding items before it handles events
READABLE_SCALE = 0.7  # zoomed out further, the boxes' text is too small to read
MIN_SCALE, MAX_SCALE = 0.02, 1.5  # Fit stays in these bounds: a dot per box at worst, never blown up
MAX_EXPORT_SIDE = 12000  # pixels: a PNG of a huge graph is scaled down to stay below this ...
MAX_EXPORT_PIXELS = 16_000_000  # ... and below 64 MB of image (a 44,000 × 35,000 scene took 8 s and 460 MB)

PEN_PLAIN = QPen(QColor("#555555"), 1)
PEN_FROZEN = QPen(QColor("#777777"), 1.5, Qt.PenStyle.DashLine)
PEN_TRAVERSED = QPen(QColor("#1d4ed8"), 3)
PEN_MATCH = QPen(QColor("#ff8c00"), 4)
PEN_SELECTED = QPen(QColor("#c1121f"), 4)


class NodeBox(QGraphicsRectItem):
    """One box: a node of the graph, or a module's group of nodes. Paints its own two lines of
    text (no child items), and skips them when zoomed out too far to read."""

    def __init__(self, box: int, graph: AutogradGraph, members: list[int], rect: QRectF):
        super().__init__(rect)
        self.box, self.graph, self.members = box, graph, members
        first, second = box_text(graph, members)
        if len(members) > 1:  # a module: its name and how many nodes it holds
            second = QCoreApplication.translate("AutogradView", "{} nodes").format(len(members))
        self.lines = [line for line in (first, second) if line]
        self.grad_line = ""
        self.kind = OP
        self.traversed = self.matched = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)

    def hoverEnterEvent(self, event) -> None:
        # Built on hover, not for every box on every redraw: it reads the live tensors.
        rows = group_details(self.graph, self.members)
        self.setToolTip("\n".join(f"{key}: {value}" for key, value in rows[:8]))
        super().hoverEnterEvent(event)

    def restyle(self) -> None:
        self.setBrush(QBrush(QColor(KIND_COLOURS[self.kind])))
        if self.isSelected():
            self.setPen(PEN_SELECTED)
        elif self.matched:
            self.setPen(PEN_MATCH)
        elif self.traversed:
            self.setPen(PEN_TRAVERSED)
        elif self.kind == FROZEN:
            self.setPen(PEN_FROZEN)
        else:
            self.setPen(PEN_PLAIN)

    def paint(self, painter, option, widget=None):  # no dashed focus frame: the pen shows selection
        painter.setPen(self.pen())
        painter.setBrush(self.brush())
        rect = self.rect()
        painter.drawRoundedRect(rect, 6, 6)
        if option.levelOfDetailFromTransform(painter.worldTransform()) < 0.3:
            return
        painter.setPen(QColor("#111111"))
        metrics = painter.fontMetrics()
        height = metrics.height()
        lines = self.lines + ([self.grad_line] if self.grad_line else [])
        top = rect.center().y() - height * len(lines) / 2
        for row, text in enumerate(lines):
            line = QRectF(rect.left() + 4, top + row * height, rect.width() - 8, height)
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, int(line.width()))
            painter.drawText(line, Qt.AlignmentFlag.AlignCenter, elided)


class AutogradView(QGraphicsView):
    """Shows a projection of an AutogradGraph laid out in layers; arrows follow the gradient."""

    box_clicked = Signal(int)
    box_double_clicked = Signal(int)
    box_menu_requested = Signal(int, QPoint)  # a right-click on a box: its index, where (global)
    drawn = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.boxes: list[NodeBox] = []
        self.repeat_labels: list[QGraphicsSimpleTextItem] = []  # "×2" beside an arrow that carries two inputs
        self.graph: AutogradGraph | None = None
        self.projection: Projection | None = None
        self.scene().selectionChanged.connect(self._selection_changed)
        self._pending: Iterator[None] | None = None
        self._pump = QTimer(self)
        self._pump.setInterval(0)
        self._pump.timeout.connect(self._add_slice)

    # -- content ---------------------------------------------------------------------------
    def show_graph(self, graph: AutogradGraph, projection: Projection, layout: Layout) -> None:
        """Replace the drawing; items are added in slices from a timer so that a graph of
        thousands of boxes never blocks the event loop. `drawn` is emitted when all are in."""
        self._reset()
        self.graph, self.projection = graph, projection
        self._pending = self._add_items(graph, projection, layout)
        self._pump.start()

    def _add_slice(self) -> None:
        clock = QElapsedTimer()
        clock.start()
        try:
            while clock.elapsed() < SLICE_MS:
                next(self._pending)
        except StopIteration:
            self._pump.stop()
            self._pending = None
            self.scene().setSceneRect(self.scene().itemsBoundingRect().adjusted(-40, -40, 40, 40))
            self.show_start()
            QTimer.singleShot(0, self._finished)  # the panel's follow-up work gets a turn of its own

    def _finished(self) -> None:
        if self._pending is None and self.graph is not None:  # not replaced in the meantime
            self.drawn.emit()

    def _add_items(self, graph: AutogradGraph, projection: Projection, layout: Layout) -> Iterator[None]:
        scene = self.scene()
        edge_pen = QPen(QColor("#8a8a8a"), 1.2)
        arrow_brush = QBrush(QColor("#8a8a8a"))
        for route, edge in zip(layout.routes, projection.edges, strict=True):
            points = [QPointF(x * X_STEP, y * Y_STEP) for x, y in route]
            points[0] += QPointF(0, BOX_H / 2)  # leave the consumer's bottom edge ...
            points[-1] -= QPointF(0, BOX_H / 2 + 7)  # ... and stop above the input's top edge
            path = QPainterPath()
            path.addPolygon(QPolygonF(points))
            line = scene.addPath(path, edge_pen)
            line.setZValue(-1)
            tip = points[-1] + QPointF(0, 7)
            head = scene.addPolygon(QPolygonF([tip, tip + QPointF(-5, -8), tip + QPointF(5, -8)]), Qt.PenStyle.NoPen, arrow_brush)
            head.setZValue(-1)
            if edge in projection.repeats:  # y*y: one arrow carries both inputs
                label = scene.addSimpleText(f"×{projection.repeats[edge]}")
                label.setBrush(QBrush(QColor("#111111")))
                label.setPos(path.pointAtPercent(0.5) + QPointF(6, -label.boundingRect().height() / 2))
                label.setToolTip(QCoreApplication.translate(
                    "AutogradView", "This input is used {} times: backward() adds up the gradient of each use.").format(
                    projection.repeats[edge]))
                self.repeat_labels.append(label)
            yield
        for box, members in enumerate(projection.members):
            x, y = layout.positions[box]
            item = NodeBox(box, graph, members, QRectF(x * X_STEP - BOX_W / 2, y * Y_STEP - BOX_H / 2, BOX_W, BOX_H))
            scene.addItem(item)
            self.boxes.append(item)
            yield

    @property
    def busy(self) -> bool:
        return self._pending is not None

    def show_message(self, text: str) -> None:
        """An empty view with one line of explanation (no graph, deleted tensor, ...)."""
        self._reset()
        item = self.scene().addText(text)
        item.setTextWidth(520)
        item.setDefaultTextColor(QColor("#444444"))
        self.scene().setSceneRect(item.boundingRect().adjusted(-20, -20, 20, 20))
        self.resetTransform()
        self.centerOn(item)

    def _reset(self) -> None:
        self._pump.stop()
        self._pending = None
        self.scene().blockSignals(True)
        self.scene().clear()
        self.scene().blockSignals(False)
        self.boxes = []
        self.repeat_labels = []
        self.graph = self.projection = None

    def refresh_states(self, traversed: set[int]) -> None:
        """Recolour every box from the live tensors: kinds, frozen leaves, traversed nodes."""
        if self.graph is None:
            return
        for item, members in zip(self.boxes, self.projection.members):
            item.kind = box_kind(self.graph, members)
            item.traversed = any(i in traversed for i in members)
            leaf = self.graph.nodes[members[0]].variable if len(members) == 1 else None
            item.grad_line = "" if leaf is None or leaf.grad is None else "grad " + summarize_tensor(leaf.grad, short=True)
            item.restyle()
            item.update()

    def set_matches(self, boxes: set[int]) -> None:
        for item in self.boxes:
            item.matched = item.box in boxes
            item.restyle()

    def select_box(self, box: int) -> None:
        self.scene().clearSelection()
        self.boxes[box].setSelected(True)
        self.centerOn(self.boxes[box])

    def selected_box(self) -> int | None:
        selected = [item.box for item in self.boxes if item.isSelected()]
        return selected[0] if selected else None

    def _selection_changed(self) -> None:
        for item in self.boxes:
            item.restyle()
        box = self.selected_box()
        if box is not None:
            self.box_clicked.emit(box)

    def mouseDoubleClickEvent(self, event) -> None:
        item = self.itemAt(event.position().toPoint())
        if isinstance(item, NodeBox):
            self.box_double_clicked.emit(item.box)
        else:
            super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event) -> None:
        item = self.itemAt(event.pos())
        if isinstance(item, NodeBox):
            self.box_menu_requested.emit(item.box, event.globalPos())
        else:
            super().contextMenuEvent(event)

    # -- zoom and pan ------------------------------------------------------------------------
    def fit(self) -> None:
        """The whole drawing in the view (the Fit button), never blown up past 1.5×."""
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        scale = min(max(self.transform().m11(), MIN_SCALE), MAX_SCALE)
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(rect.center())

    def show_start(self) -> None:
        """The first view of a new drawing: all of it when its text stays readable, else the
        root's end at a readable size (the scroll bars show there is more; Fit shows it all)."""
        self.fit()
        if self.transform().m11() >= READABLE_SCALE or not self.boxes:
            return
        self.resetTransform()
        self.scale(READABLE_SCALE, READABLE_SCALE)
        root = self.boxes[0].sceneBoundingRect()  # box 0 holds the root in every projection
        self.centerOn(root.center().x(), root.top() - 30 + self.viewport().height() / 2 / READABLE_SCALE)

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if MIN_SCALE <= scale <= 8:
            self.scale(factor, factor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom(1.0015 ** event.angleDelta().y())

    # -- export ----------------------------------------------------------------------------
    def render_png(self) -> bytes:
        rect = self.scene().sceneRect()
        scale = min(2.0, MAX_EXPORT_SIDE / max(rect.width(), rect.height(), 1),
                    (MAX_EXPORT_PIXELS / max(rect.width() * rect.height(), 1)) ** 0.5)
        image = QImage(QSize(int(rect.width() * scale), int(rect.height() * scale)), QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.scene().render(painter, QRectF(image.rect()), rect)
        painter.end()
        return _encode(image)

    def render_svg(self, title: str) -> bytes:
        rect = self.scene().sceneRect()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(rect.size().toSize())
        generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        generator.setTitle(title)
        painter = QPainter(generator)
        self.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()
        buffer.close()
        return bytes(data)


def _encode(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)

