"""Value labels that never overlap: each is placed at the first free spot near its point, checked on the
rendered figure's text boxes (axis names, tick numbers, legend, labels placed before it).

Matplotlib does not avoid collisions by itself; a label at a fixed offset runs into an axis name when its
value is near the top, or into its neighbour's label when both values are low. Layout is run once, then
frozen, so the boxes measured here are where the texts are drawn.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

PAD = 1.5  # display pixels kept free around every text
DISTANCES = (9, 15, 23, 33)  # offsets tried, in points from the labelled point
DIRECTIONS = 16  # compass directions tried at each distance, starting with the preferred one


def frozen_renderer(fig: Figure) -> RendererBase:
    """Run the figure's layout once, keep it fixed from now on, and return a renderer to measure texts."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return canvas.get_renderer()


def text_boxes(fig: Figure, renderer: RendererBase) -> list[tuple[str, Bbox]]:
    """Every visible, non-empty text of the figure as (text, box), a legend as one box."""
    out: list[tuple[str, Bbox]] = []
    legends = [*fig.legends, *(a.get_legend() for a in fig.axes if a.get_legend())]
    inside_legend = {id(t) for legend in legends for t in legend.get_texts()}
    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text().strip() and id(text) not in inside_legend:
            out.append((text.get_text(), text.get_window_extent(renderer)))
    out += [("legend", legend.get_window_extent(renderer)) for legend in legends]
    return out


def overlapping(boxes: Sequence[tuple[str, Bbox]]) -> list[tuple[str, str]]:
    """The pairs of texts whose boxes overlap (what a test asserts is empty)."""
    return [(a, b) for n, (a, box_a) in enumerate(boxes) for b, box_b in boxes[n + 1:] if box_a.overlaps(box_b)]


def _free(box: Bbox, taken: Iterable[Bbox], frame: Bbox) -> bool:
    inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    return inside and not any(box.overlaps(other) for other in taken)


def _alignment(dx: float, dy: float) -> dict[str, str]:
    """Anchor the text on the side facing its point, so it grows away from it."""
    ha = "center" if abs(dx) < 0.35 else ("left" if dx > 0 else "right")
    va = "center" if abs(dy) < 0.35 else ("bottom" if dy > 0 else "top")
    return {"ha": ha, "va": va}


def _offsets(preferred: float) -> Iterable[tuple[float, float]]:
    """Offsets in points to try: the preferred direction first, then turning both ways, then further out."""
    for distance in DISTANCES:
        for step in range(DIRECTIONS):
            turn = (step + 1) // 2 * (1 if step % 2 else -1) * 360 / DIRECTIONS  # 0, +22.5, -22.5, +45, …
            angle = math.radians(preferred + turn)
            yield math.cos(angle) * distance, math.sin(angle) * distance


def place(ax: Axes, renderer: RendererBase, points: Sequence[tuple[float, float, str, float]],
          **style: object) -> list[Text]:
    """Label each (x, y, text, preferred direction in degrees) at the first spot free of every other text."""
    fig = ax.get_figure()
    assert isinstance(fig, Figure)
    taken = [box.padded(PAD) for _, box in text_boxes(fig, renderer)]
    placed = []
    for x, y, text, preferred in points:

        def put(offset: tuple[float, float], text: str = text, x: float = x, y: float = y) -> Text:
            dx, dy = offset
            norm = math.hypot(dx, dy)
            return ax.annotate(text, (x, y), xytext=offset, textcoords="offset points",
                               **_alignment(dx / norm, dy / norm), **style)

        chosen, fallback = None, None
        for offset in _offsets(preferred):
            label = put(offset)
            box = label.get_window_extent(renderer).padded(PAD)
            if _free(box, taken, fig.bbox):
                chosen = label
                break
            crowding = sum(_area(box, other) for other in taken)
            if fallback is None or crowding < fallback[0]:
                fallback = (crowding, offset)
            label.remove()
        if chosen is None:
            assert fallback is not None
            chosen = put(fallback[1])  # nowhere free: the least crowded spot
        taken.append(chosen.get_window_extent(renderer).padded(PAD))
        placed.append(chosen)
    return placed


def _area(box: Bbox, other: Bbox) -> float:
    """The area two boxes share (0 when apart)."""
    inter = Bbox.intersection(box, other)
    return 0.0 if inter is None else inter.width * inter.height
