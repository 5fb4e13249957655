"""Raw callback values, as any client can send them, turned into typed values or one sentence.

Dash checks nothing about an input's value: a dropdown's value may arrive as a list, a store
as a number, a click as text. Each helper here takes whatever JSON decoded to and returns a
value of the type the callback expects (or None, or a default) and, where the user should
know, a message. None of them raises. The callbacks call these first (the integrator wires
them in); tests/test_validation.py holds the table of bad inputs and a property test each.
"""

from __future__ import annotations

import math

from lab.query import MAX_QUERY
from lab.scene import Scene, shown

MAX_WARNINGS = 40  # warnings kept from a store
MAX_WARNING_TEXT = 400
VIEW_MODES = ("2d", "3d")


def finite(value) -> float | None:
    """``value`` as a finite float: int or float only (not bool, not text, not NaN, inf or 10**4000)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        x = float(value)
    except OverflowError:
        return None
    return x if math.isfinite(x) else None


def name_in(value, registry) -> str | None:
    """``value`` if it is a text key of ``registry`` (never a list or dict, which are unhashable)."""
    return value if isinstance(value, str) and value in registry else None


def query_text(value) -> tuple[str, str | None]:
    """A stored or typed link: text up to MAX_QUERY characters, else "" with a message."""
    if value is None:
        return "", None
    if not isinstance(value, str):
        return "", f"the link is not text ({type(value).__name__}); using the default scene"
    if len(value) > MAX_QUERY:
        return value[:MAX_QUERY], f"the link is {len(value):,} characters long; only the first {MAX_QUERY:,} were read"
    return value, None


def mapping(value) -> dict:
    """A store or event value that should be an object: that object, else an empty one."""
    return value if isinstance(value, dict) else {}


def typed_store(value) -> dict:
    """The "typed" store: {"query": text, "warnings": [text, ...]}, whatever arrived."""
    value = mapping(value)
    query = value.get("query") if isinstance(value.get("query"), str) else None
    warnings = value.get("warnings") if isinstance(value.get("warnings"), list) else []
    kept = [w[:MAX_WARNING_TEXT] for w in warnings[:MAX_WARNINGS] if isinstance(w, str)]
    return {"query": query, "warnings": kept}


def drawn_store(value) -> dict | None:
    """The "drawn" store: what the figure shows ({key, traces, runs}), or None to draw afresh."""
    if not isinstance(value, dict):
        return None
    traces, runs = value.get("traces"), value.get("runs")
    ok = (isinstance(value.get("key"), str) and isinstance(traces, int) and not isinstance(traces, bool)
          and 1 <= traces <= 100 and isinstance(runs, list) and all(isinstance(r, str) for r in runs))
    return value if ok else None


def view_mode(value) -> str:
    return value if value in VIEW_MODES and isinstance(value, str) else VIEW_MODES[0]


def clicked_point(click) -> tuple[float, float] | None:
    """The x and y of a Plotly click event (``xvals``/``yvals``, or the first point), finite, or None."""
    click = mapping(click)
    points = click.get("points")
    first = points[0] if isinstance(points, list) and points and isinstance(points[0], dict) else {}

    def coordinate(axis: str):
        values = click.get(f"{axis}vals")
        raw = values[0] if isinstance(values, list) and values else first.get(axis)
        return finite(raw)

    x, y = coordinate("x"), coordinate("y")
    return None if x is None or y is None else (x, y)


def zoom_box(relayout, full) -> tuple[float, float, float, float] | None:
    """The box a relayout event shows: the full view after a reset, None for other events or junk."""
    relayout = mapping(relayout)
    if relayout.get("xaxis.autorange") is True or relayout.get("yaxis.autorange") is True:
        return tuple(full)
    keys = ("xaxis.range[0]", "xaxis.range[1]", "yaxis.range[0]", "yaxis.range[1]")
    if not any(k in relayout for k in keys):
        return None
    values = [finite(relayout.get(k, default)) for k, default in zip(keys, full)]
    if None in values:
        return None
    x0, x1, y0, y1 = values
    if x0 == x1 or y0 == y1:
        return None
    return (min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1))


def clicks(value) -> int:
    """A button's n_clicks: a whole number >= 0 (anything else counts as not clicked)."""
    x = finite(value)
    return int(x) if x is not None and x >= 0 and x == int(x) else 0


def pattern_values(values, count_hint: int | None = None) -> list:
    """The values of a pattern-matching group (ALL): a list, else an empty one; at most 64."""
    if not isinstance(values, list):
        return []
    return values[:64] if count_hint is None else values[: min(count_hint, 64)]


def start_outside_view(scene: Scene) -> str | None:
    """A message when the start lies outside the view: the path would begin off the plot."""
    x, y = scene.start_point
    box = scene.view_box
    if box.x_min <= x <= box.x_max and box.y_min <= y <= box.y_max:
        return None
    return (f"start={shown(f'{x:g},{y:g}')} lies outside the view x {box.x_min:g} to {box.x_max:g}, "
            f"y {box.y_min:g} to {box.y_max:g}; the path begins off the plot")
