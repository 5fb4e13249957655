"""Figures as pure functions of a scene and its trajectories (Plotly, never Dash).

Colours, dashes and fonts live in ``STYLE``. Every figure says what it leaves
out: thinned paths say how many points they show, and a run that leaves the
view says so in its legend entry.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import math
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from lab.messages import in_language
from lab.scene import Scene
from lab.simulate import Trajectory
from lab.strings import run_label, surface_title, ui_text
from lab.themes import CJK_FONT, COLORS, look
from lab.thinning import thin_path
from surfaces.base import Box, Surface

DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")
MAX_PATH_POINTS = 4000
# plotly_white's layout without its per-trace-type defaults: the same look, 40% of the bytes in
# every figure sent, and a quarter of the time to apply.
TEMPLATE = "error-surface-lab"
pio.templates[TEMPLATE] = go.layout.Template(layout=pio.templates["plotly_white"].layout)
GRID = 160  # cells per side of the drawn contour: smooth at any screen size, 64% of 200x200's bytes


def minimum_value(scene: Scene) -> float:
    """The value losses are measured from: the global minimum's, else the lowest on the view's grid."""
    surface = scene.surface_record
    if surface.minima:
        return float(surface.value(*surface.minima[0]))
    return float(np.nanmin(_raw_grid(surface, scene.view_box, GRID)[2]))


# What of the template a 2D figure whose traces set their own colours reads. The rest (colour
# scales, colorway, 3D, polar, geo...) plotly.js parses again on every redraw: 60 ms of a 100 ms
# Plotly.react of the page's plot in Chromium on this machine.
LEAN_TEMPLATE_KEYS = ("autotypenumbers", "font", "hovermode", "hoverlabel", "paper_bgcolor", "plot_bgcolor",
                      "title", "xaxis", "yaxis")


@lru_cache(maxsize=1)
def _template_json() -> dict:
    layout = pio.templates[TEMPLATE].layout.to_plotly_json()
    return {"layout": {k: v for k, v in layout.items() if k in LEAN_TEMPLATE_KEYS}}


def plain_template() -> dict:
    """The figures' template for the page's plain-dict figures, whose every trace sets its colours:
    the same look, without what plotly.js would parse for nothing on every redraw."""
    return copy.deepcopy(_template_json())


def typed_array(values: np.ndarray) -> dict:
    """A numeric array as Plotly's base64 typed-array spec, as go.Figure encodes it: a plain dict
    or a Patch would otherwise carry it as a JSON list, at three to four times the bytes."""
    little = values.astype(values.dtype.newbyteorder("<"), copy=False)
    spec = {"dtype": little.dtype.str[1:], "bdata": base64.b64encode(little.tobytes()).decode("ascii")}
    if little.ndim > 1:
        spec["shape"] = ", ".join(str(n) for n in little.shape)
    return spec


def run_color(i: int) -> str:
    return COLORS[i % len(COLORS)]


@lru_cache(maxsize=32)
def _raw_grid(surface: Surface, box: Box, resolution: int):
    xs, ys, z = surface.grid(box, resolution)
    return xs, ys, np.where(np.isfinite(z), z, np.nan)


@lru_cache(maxsize=32)
def log_shift(surface: Surface, box: Box) -> tuple[float, float] | None:
    """(floor, offset) of the log transform z = log10(f − floor + offset), or None for a linear z.

    Taken from the GRID-resolution grid, so the contour, the 3D surface and any
    path drawn on it share one transform.
    """
    if not surface.log_levels:
        return None
    z = _raw_grid(surface, box, GRID)[2]
    floor = min([np.nanmin(z), *(surface.value(*m) for m in surface.minima)])
    spread = np.nanmax(z) - floor
    return float(floor), float(max(spread * 1e-6, 1e-300))


def z_transform(surface: Surface, box: Box, values):
    """Loss values as the figures draw them: log10(f − floor + offset) where the surface spans decades."""
    shift = log_shift(surface, box)
    values = np.asarray(values, dtype=float)
    if shift is None:
        return values
    floor, offset = shift
    return np.log10(np.maximum(values - floor + offset, offset))


@lru_cache(maxsize=32)
def contour_grid(surface: Surface, box: Box, resolution: int = GRID):
    """(xs, ys, z, levels_are_log): the surface on a grid, log-scaled where values span decades."""
    xs, ys, z = _raw_grid(surface, box, resolution)
    shift = log_shift(surface, box)
    if shift is None:
        return xs, ys, z, False
    floor, offset = shift
    with np.errstate(invalid="ignore"):
        return xs, ys, np.log10(z - floor + offset), True


def _colorbar(z, log: bool, lang: str = "en") -> dict:
    if not log:
        return dict(title=dict(text=ui_text("plot.loss", lang)), thickness=12, outlinewidth=0)
    finite = z[np.isfinite(z)]
    if finite.size == 0:  # nothing finite to label (the Scene refuses such views; a last guard)
        return dict(title=dict(text=ui_text("plot.loss_minus_min", lang)), thickness=12, outlinewidth=0)
    lo, hi = finite.min(), finite.max()
    ticks = np.arange(math.ceil(lo), math.floor(hi) + 1)
    return dict(
        title=dict(text=ui_text("plot.loss_minus_min", lang)),
        thickness=12,
        outlinewidth=0,
        tickvals=ticks.tolist(),
        ticktext=[f"1e{int(t)}" for t in ticks],
    )


def _leaves(traj: Trajectory, box: Box) -> bool:
    return bool(
        np.any((traj.x < box.x_min) | (traj.x > box.x_max) | (traj.y < box.y_min) | (traj.y > box.y_max))
    )


def run_name(traj: Trajectory, box: Box, lang: str = "en") -> str:
    """A run's legend entry: its label, and whether it leaves the view or stopped early."""
    name = run_label(traj.run, lang)
    if _leaves(traj, box):
        name += ui_text("plot.leaves_view", lang)
    if traj.status != "ok":
        message = in_language(traj.message, lang)
        name += f"（{message}）" if lang == "zh" else f" ({message})"
    return name


def path_specs(scene: Scene, trajectories, box: Box, upto: int | None = None, lang: str = "en",
               present: bool = False) -> tuple[list[dict], list[str]]:
    """One line per run (thinned) as a plain trace dict with NumPy arrays, and notes on what it leaves out."""
    traces, thinned = [], []
    t = look(present)
    for i, traj in enumerate(trajectories):
        n = len(traj.x) if upto is None else min(upto + 1, len(traj.x))
        x, y = traj.x[:n], traj.y[:n]
        keep = with_epoch_ends(thin_path(x, y, MAX_PATH_POINTS), traj.updates_per_epoch, n)
        if len(keep) < n:
            thinned.append((run_label(traj.run, lang), len(keep), n))
        name = run_name(traj, box, lang)
        trace = dict(
            type="scatter",
            x=x[keep].astype(np.float32),  # half the bytes; far finer than a pixel at this view
            y=y[keep].astype(np.float32),
            mode="lines",
            name=name,
            line=dict(color=run_color(i), dash=DASHES[i % len(DASHES)], width=t.line_width),
            legendgroup=f"run-{i}",
            uid=path_uid(i),  # the player draws a run's trail through its points (assets/animation.js drawTrails)
            customdata=keep.astype(np.int32),
            hovertemplate=ui_text("plot.hover_step", lang) + " %{customdata}<br>x=%{x:.6g}<br>y=%{y:.6g}<extra>"
            + name + "</extra>",
        )
        if shows_epoch_ends(traj.updates_per_epoch, n):
            trace.update(mode="lines+markers",
                         marker=epoch_markers(keep, traj.updates_per_epoch, run_color(i), t.marker_scale))
        traces.append(trace)
    return traces, _thinning_notes(thinned, lang)


MAX_EPOCH_MARKS = 200  # beyond this many epochs the dots would merge into the line


def shows_epoch_ends(per_epoch: int | None, n: int) -> bool:
    """Epoch ends are marked on a path of a data-defined loss with more than one update per epoch
    (the full batch's every step is an epoch end) and at most MAX_EPOCH_MARKS of them."""
    return bool(per_epoch) and per_epoch > 1 and (n - 1) // per_epoch <= MAX_EPOCH_MARKS


def with_epoch_ends(keep: np.ndarray, per_epoch: int | None, n: int) -> np.ndarray:
    """Thinned indices with every epoch end added, so thinning never hides where an epoch ends."""
    if not shows_epoch_ends(per_epoch, n):
        return keep
    return np.union1d(keep, np.arange(0, n, per_epoch))


def epoch_markers(keep: np.ndarray, per_epoch: int, color: str, scale: float = 1.0) -> dict:
    """A dot at each drawn point that ends an epoch (step k*K), none elsewhere."""
    ends = (keep % per_epoch == 0) & (keep > 0)
    size = round(6 * scale)
    return dict(size=np.where(ends, size, 0).astype(np.uint8), color=color, line=dict(width=1, color="white"))


def path_traces(scene: Scene, trajectories, box: Box, upto: int | None = None,
                lang: str = "en") -> tuple[list[go.Scatter], list[str]]:
    """One line per run (thinned), and notes on what the drawing leaves out."""
    specs, notes = path_specs(scene, trajectories, box, upto, lang)
    return [go.Scatter({k: v for k, v in spec.items() if k != "type"}) for spec in specs], notes


def _thinning_notes(thinned: list[tuple[str, int, int]], lang: str = "en") -> list[str]:
    """What thinning left out: a line per run, or one line for them all when there are more than two."""
    if len(thinned) <= 2:
        return [ui_text("plot.thinned", lang, name=name, kept=f"{kept:,}", total=f"{n:,}") for name, kept, n in thinned]
    kept = sorted(k for _, k, _ in thinned)
    sizes = sorted({n for _, _, n in thinned})
    of = f"{sizes[0]:,}" if len(sizes) == 1 else f"{sizes[0]:,}–{sizes[-1]:,}"
    return [ui_text("plot.thinned_many", lang, count=len(thinned), kept=f"{kept[0]:,}–{kept[-1]:,}", total=of)]


def surface_revision(scene: Scene) -> str:
    """Names the drawn surface and view: the figure's zoom is kept until this changes."""
    return "|".join((scene.surface, scene.formula, ",".join(map(repr, scene.view_box))))


def scene_key(scene: Scene) -> str:
    """A short fingerprint of a scene: the animation moves only markers and cursors drawn for its scene."""
    return hashlib.sha1(repr(scene).encode("utf-8")).hexdigest()[:12]


def marker_uid(i: int) -> str:
    """The uid of run i's position marker; assets/animation.js finds the markers by it."""
    return f"marker-{i}"


def path_uid(i: int) -> str:
    """The uid of run i's path line: the player reads the steps it draws a trail through from it."""
    return f"path-{i}"


def final_position(scene: Scene, traj: Trajectory, upto: int | None = None) -> tuple[float, float, int]:
    """(x, y, step) where a run ends (or stands at step ``upto``); the start for a run with no finite point."""
    if len(traj.x) == 0:
        return (*scene.start_point, 0)
    k = len(traj.x) - 1 if upto is None else max(0, min(upto, len(traj.x) - 1))
    return float(traj.x[k]), float(traj.y[k]), k


def marker_specs(scene: Scene, trajectories, upto: int | None = None, lang: str = "en",
                 present: bool = False) -> list[dict]:
    """One filled circle per run at its final position (at ``upto`` if given): the animation moves these."""
    traces, key, scale = [], scene_key(scene), look(present).marker_scale
    for i, traj in enumerate(trajectories):
        x, y, _ = final_position(scene, traj, upto)
        name = run_label(traj.run, lang)
        traces.append(dict(
            type="scatter", x=[x], y=[y], mode="markers", name=name, uid=marker_uid(i),
            meta=dict(role="marker", run=i, scene=key), legendgroup=f"run-{i}", showlegend=False,
            marker=dict(symbol="circle", size=9 * scale, color=run_color(i), line=dict(width=1.5 * scale, color="white")),
            hovertemplate="x=%{x:.6g}<br>y=%{y:.6g}<extra>" + name + "</extra>",
        ))
    return traces


def marker_traces(scene: Scene, trajectories, upto: int | None = None, lang: str = "en") -> list[go.Scatter]:
    """One filled circle per run at its final position (at ``upto`` if given): the animation moves these."""
    specs = marker_specs(scene, trajectories, upto, lang)
    return [go.Scatter({k: v for k, v in spec.items() if k != "type"}) for spec in specs]


def point_specs(scene: Scene, lang: str = "en", present: bool = False) -> list[dict]:
    """The minima (crosses) and the start (a white dot), as plain trace specs."""
    minima = scene.surface_record.minima
    mx, my = zip(*minima) if minima else ((), ())  # a formula may have none in view
    sx, sy = scene.start_point
    s = look(present).marker_scale
    minimum, start = ui_text("plot.minimum", lang), ui_text("plot.start", lang)
    return [
        dict(type="scatter", x=list(mx), y=list(my), mode="markers", name=ui_text("plot.minima", lang),
             marker=dict(symbol="x", size=13 * s, color="white", line=dict(width=1.2 * s, color="black")),
             hovertemplate=minimum + "<br>x=%{x:.6g}<br>y=%{y:.6g}<extra></extra>"),
        dict(type="scatter", x=[sx], y=[sy], mode="markers", name=start,
             marker=dict(symbol="circle", size=11 * s, color="white", line=dict(width=2 * s, color="black")),
             hovertemplate=start + "<br>x=%{x:.6g}<br>y=%{y:.6g}<extra></extra>"),
    ]


def contour_figure(scene: Scene, trajectories, *, upto: int | None = None, title: str | None = None,
                   lang: str = "en") -> go.Figure:
    """The main plot: filled contours, minima (x), start (white dot), every run's path and where it ends (dot)."""
    surface: Surface = scene.surface_record
    box = scene.view_box
    xs, ys, z, log = contour_grid(surface, box)
    fig = go.Figure()
    fig.add_trace(
        go.Contour(
            x=xs,
            y=ys,
            z=z.astype(np.float32),  # half the JSON of float64; levels need far less precision
            colorscale="Viridis",
            reversescale=False,
            ncontours=30,
            line=dict(width=0.5, color="rgba(255,255,255,0.35)"),
            colorbar=_colorbar(z, log, lang),
            hoverinfo="skip",
            name=ui_text("plot.loss", lang),
            showlegend=False,
        )
    )
    traces, notes = path_traces(scene, trajectories, box, upto, lang)
    for trace in traces:
        fig.add_trace(trace)
    for spec in point_specs(scene, lang):
        fig.add_trace(go.Scatter({k: v for k, v in spec.items() if k != "type"}))
    for trace in marker_traces(scene, trajectories, upto, lang):  # last: on top of the start dot at step 0
        fig.add_trace(trace)
    fig.update_layout(plot_layout(scene, title, notes, lang), template=TEMPLATE)
    return fig


def contour_levels(z) -> dict:
    """Explicit contour levels, the ones plotly.js picks itself for ncontours=30 (its autoTicks and
    tickFirst): the page's two layers, the contour and the colour bar over it, must share them."""
    lo, hi = float(np.nanmin(z)), float(np.nanmax(z))
    if not hi > lo:
        return dict(zmin=lo, zmax=hi, start=lo, end=hi, size=1.0)
    rough = (hi - lo) / 30
    base = 10.0 ** math.floor(math.log10(rough))
    size = base * next((m for m in (2, 5) if m > rough / base), 10)
    start = math.ceil((lo - 1e-4 * (hi - lo)) / size) * size
    end = math.floor((hi + 1e-4 * (hi - lo)) / size) * size
    start += size if start == lo else 0.0
    end -= size if end == hi else 0.0
    return dict(zmin=lo, zmax=hi, start=start, end=max(start, end), size=size)


FLAT_SHARE = 0.25  # of the view in the darkest colour: every built-in surface and lesson has under 7%


def view_notes(scene: Scene, lang: str = "en") -> list[str]:
    """What the contour cannot show of a typed formula: where f is no finite number (drawn blank), and
    a view mostly below the colours' range (exp(100x): 97% of the view in one colour, said nowhere)."""
    xs, ys, z, log = contour_grid(scene.surface_record, scene.view_box)
    finite = np.isfinite(z)
    notes = []
    if not finite.all():
        notes.append(ui_text("plot.not_finite", lang, share=f"{1 - finite.mean():.0%}"))
    if log and finite.any():
        levels = contour_levels(z[finite].astype(np.float32))
        below = float(np.mean(z[finite] < levels["start"]))
        if below > FLAT_SHARE:
            low, high = f"1e{round(levels['zmin'])}", f"1e{round(levels['zmax'])}"
            notes.append(ui_text("plot.below_colours", lang, low=low, high=high, share=f"{below:.0%}"))
    return notes


def plot_layout(scene: Scene, title: str | None, notes: list[str], lang: str = "en", present: bool = False) -> dict:
    """contour_figure's layout as a plain dict: axes fitted to the view, the legend under the plot.

    ``present`` is the projector's look: large type (the margins grow with it); Chinese text gets a CJK font.
    The view's own notes (lab.figures.view_notes) come before ``notes``."""
    notes = [*view_notes(scene, lang), *notes]
    box = scene.view_box
    t = look(present)
    layout = dict(
        title=dict(text=title or surface_title(scene, lang), x=0.01),
        xaxis=dict(title=dict(text="x"), range=list(box.x_range), constrain="domain"),
        yaxis=dict(title=dict(text="y"), range=list(box.y_range)),
        legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, x=0),
        margin=dict(l=round(60 * t.scale), r=20, t=round(50 * t.scale), b=round(40 * t.scale)),
        template=plain_template(),
        uirevision=surface_revision(scene),
    )
    font = figure_font(lang, present)
    if font:
        layout["font"] = font
    if 0.5 <= (box.x_max - box.x_min) / (box.y_max - box.y_min) <= 2:
        # a tall plot (a phone) shrinks the y domain rather than padding y with blank range beyond the view
        layout["yaxis"].update(scaleanchor="x", scaleratio=1, constrain="domain")
    if notes:
        annotation, top, title = notes_layout(notes, present)
        layout["annotations"] = [annotation]
        layout["margin"]["t"] = top
        layout["title"].update(title)
    return layout


def figure_font(lang: str = "en", present: bool = False) -> dict:
    """A layout's font: the projector's size and colour when presenting, a CJK face for Chinese."""
    t = look(present)
    font = dict(size=t.font_size, color=t.text) if present else {}
    if lang == "zh":
        font["family"] = CJK_FONT
    return font


def notes_layout(notes: list[str], present: bool = False) -> tuple[dict, int, dict]:
    """(annotation, top margin, title placement) for notes between the title and the plot."""
    scale = look(present).scale
    annotation = dict(text="<br>".join(notes), xref="paper", yref="paper", x=0, y=1.0, yanchor="bottom",
                      showarrow=False, font=dict(size=round(10 * scale)), align="left")
    return annotation, round((50 + 14 * len(notes)) * scale), dict(y=1.0, yanchor="top", pad=dict(t=8))


# The front's right margin, fixed: the widest colour bar (log labels "1e-10" and its title) fits in
# it. A colour bar that made its own margin would have to be drawn on the front.
COLORBAR_MARGIN = 110


def page_layers(scene: Scene, trajectories, title: str | None = None, lang: str = "en",
                present: bool = False) -> tuple[dict, dict]:
    """The page's main plot in two layers, as plain dicts: (front, contour).

    The front is contour_figure without the filled contour and its colour bar: paths, minima, start,
    markers, axes and a transparent plot, with trace 0 an invisible 2x2 contour (so trace indices stay
    contour_figure's). The contour and its colour bar go under it (assets/layers.js draws them with the
    front's geometry): a change of paths redraws the front alone, not the 160x160 filled contour (100-300
    ms to draw and rasterise in software) nor the colour bar (8 ms of each 35 ms redraw of the front).
    Every word is in ``lang``; ``present`` draws the projector's look (lab.themes).
    """
    t = look(present)
    xs, ys, z, log = contour_grid(scene.surface_record, scene.view_box)
    z32 = z.astype(np.float32)
    levels = contour_levels(z32)
    zrange = dict(zmin=levels.pop("zmin"), zmax=levels.pop("zmax"), zauto=False)
    shared = dict(type="contour", colorscale="Viridis", autocontour=False, contours=levels, hoverinfo="skip",
                  name=ui_text("plot.loss", lang), showlegend=False, **zrange)
    colorbar = _colorbar(z, log, lang)
    if present:
        colorbar.update(thickness=round(12 * t.scale), tickfont=dict(size=t.font_size, color=t.text))
        colorbar["title"]["font"] = dict(size=t.font_size, color=t.text)
    contour = dict(shared, x=typed_array(xs), y=typed_array(ys), z=typed_array(z32), showscale=True,
                   colorbar=colorbar, line=dict(width=0.5 * t.scale, color=t.contour_line))
    box = scene.view_box
    corner_x, corner_y = [box.x_min, box.x_min + 1e-9 * (box.x_max - box.x_min)], [box.y_min, box.y_min + 1e-9 * (box.y_max - box.y_min)]
    placeholder = dict(shared, x=corner_x, y=corner_y, z=[[zrange["zmin"], zrange["zmax"]], [zrange["zmax"], zrange["zmin"]]],
                       opacity=0, line=dict(width=0), showscale=False)
    paths, notes = path_specs(scene, trajectories, box, None, lang, present)
    data = [placeholder]
    for spec in paths:
        # customdata as a plain list: dcc.Graph's clickData reads it from the figure, and gets nothing from a typed array
        data.append(dict(spec, x=typed_array(spec["x"]), y=typed_array(spec["y"]), customdata=spec["customdata"].tolist()))
        if "marker" in spec:
            data[-1]["marker"] = dict(spec["marker"], size=typed_array(spec["marker"]["size"]))
    data.extend(point_specs(scene, lang, present))
    data.extend(marker_specs(scene, trajectories, None, lang, present))
    layout = plot_layout(scene, title, notes, lang, present)
    layout.update(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", clickanywhere=True)
    layout["margin"]["r"] = round(COLORBAR_MARGIN * t.scale)  # the colour bar is drawn in the layer beneath, in this margin
    for axis in ("xaxis", "yaxis"):  # drawn under the contour before; over it they would show
        layout[axis].update(showgrid=False, zeroline=False)
    return {"data": data, "layout": layout}, contour


GRID_3D = 100  # a 3D surface needs fewer cells than a contour, and its z is 40% of the page's JSON
MAX_PATH_POINTS_3D = 2000


def _z_axis(z, log: bool, lang: str = "en") -> dict:
    if not log:
        return dict(title=dict(text=ui_text("plot.loss", lang)))
    ticks = np.arange(math.ceil(np.nanmin(z)), math.floor(np.nanmax(z)) + 1)
    return dict(title=dict(text=ui_text("plot.loss_minus_min_log", lang)), tickvals=ticks.tolist(),
                ticktext=[f"1e{int(t)}" for t in ticks])


def _drawn_height(xs, ys, z, x, y):
    """The drawn grid surface's height at points (x, y) inside it (bilinear between grid nodes)."""
    fx, fy = np.interp(x, xs, np.arange(len(xs))), np.interp(y, ys, np.arange(len(ys)))
    i, j = np.minimum(fx.astype(int), len(xs) - 2), np.minimum(fy.astype(int), len(ys) - 2)
    tx, ty = fx - i, fy - j
    return (1 - ty) * ((1 - tx) * z[j, i] + tx * z[j, i + 1]) + ty * ((1 - tx) * z[j + 1, i] + tx * z[j + 1, i + 1])


def _height(scene: Scene, grid, x, y, loss, lift: float):
    """Where a point lies in 3D: the transformed loss, never below the drawn surface, lifted off it.

    A valley narrower than a grid cell (the valley's floor is 1e-7 wide) is drawn
    shallower than it is; a path on its floor would vanish under the surface.
    """
    xs, ys, z = grid
    return np.fmax(z_transform(scene.surface_record, scene.view_box, loss), _drawn_height(xs, ys, z, x, y)) + lift


def _path_3d(scene: Scene, traj: Trajectory, grid, lift: float) -> tuple[list, list, list, list]:
    """A run's thinned path on the surface (x, y, z, loss), broken (None) where it leaves the view."""
    box = scene.view_box
    keep = thin_path(traj.x, traj.y, MAX_PATH_POINTS_3D)
    x, y = traj.x[keep], traj.y[keep]
    inside = (x >= box.x_min) & (x <= box.x_max) & (y >= box.y_min) & (y <= box.y_max)
    z = np.zeros_like(x)
    z[inside] = _height(scene, grid, x[inside], y[inside], traj.loss[keep][inside], lift)
    out = ([], [], [], [])
    for *point, ok in zip(_short(x), _short(y), _short(z), _short(traj.loss[keep]), inside.tolist()):
        if ok:
            for column, value in zip(out, point):
                column.append(value)
        elif out[0] and out[0][-1] is not None:  # one gap per excursion, so no line cuts across the box
            for column in out:
                column.append(None)
    return out


def _short(values: np.ndarray) -> list[float]:
    """Six significant digits: finer than any pixel of a 3D view, and 40% less JSON."""
    return [float(f"{v:.6g}") for v in values.tolist()]


MINIMUM_PIN = 0.08  # the 3D minimum's stem, as a share of the drawn height


def _pins(px: list, py: list, pz: list, height: float, marker: dict):
    """Each minimum as a stem from the surface up ``height``, the marker at its top only (None between)."""
    x, y, z, sizes = [], [], [], []
    for a, b, c in zip(px, py, pz):
        x += [a, a, None]
        y += [b, b, None]
        z += [c, c + height, None]
        sizes += [0, marker["size"], 0]
    width = marker["size"] / 2  # 3 px on the page, thicker where the markers are (projector mode)
    marker["size"] = sizes
    return (x, y, z), dict(mode="lines+markers", line=dict(color=marker["line"]["color"], width=width))


def surface_3d_figure(scene: Scene, trajectories, *, title: str | None = None, lang: str = "en",
                      present: bool = False) -> go.Figure:
    """The surface in 3D (log z where it spans decades, as in the contour), each run's path lying on it."""
    surface: Surface = scene.surface_record
    t = look(present)
    box = scene.view_box
    xs, ys, z, log = contour_grid(surface, box, GRID_3D)
    lift = 0.005 * float(np.nanmax(z) - np.nanmin(z))  # paths drawn just above the surface, never inside it
    grid = (xs, ys, z)
    fig = go.Figure(
        go.Surface(
            x=xs, y=ys, z=z.astype(np.float32), colorscale="Viridis", showscale=False, name=ui_text("plot.loss", lang),
            opacity=0.92, hoverinfo="skip", contours=dict(z=dict(show=False)),
        )
    )
    for i, traj in enumerate(trajectories):
        x, y, zs, loss = _path_3d(scene, traj, grid, lift)
        fig.add_trace(
            go.Scatter3d(
                x=x, y=y, z=zs, customdata=loss, mode="lines", name=run_name(traj, box, lang), legendgroup=f"run-{i}",
                line=dict(color=run_color(i), width=5 * t.line_width / 2, dash=DASHES[i % len(DASHES)]),
                hovertemplate="x=%{x:.6g}<br>y=%{y:.6g}<br>" + ui_text("plot.loss", lang) + "=%{customdata:.6g}<extra>"
                + run_label(traj.run, lang) + "</extra>",
            )
        )
    ends = [final_position(scene, t) for t in trajectories]
    s = t.marker_scale
    # plotly.js draws scatter3d markers as text glyphs: "x" is U+274C, in no font here (an empty box);
    # the diamond (U+25C6) is in DejaVu Sans and Noto CJK, and stands apart from the round start and ends.
    points = [
        ("minima", list(surface.minima), dict(symbol="diamond", size=7 * s, color="white",
                                              line=dict(width=2, color="black"))),
        ("start", [scene.start_point], dict(symbol="circle", size=6 * s, color="white", line=dict(width=2, color="black"))),
        ("end", [e[:2] for e in ends], dict(symbol="circle", size=5 * s, color=[run_color(i) for i in range(len(ends))])),
    ]
    for name, xy, marker in points:
        shown = ui_text(f"plot.{name}", lang)
        # a formula may have no minimum in view (a line of them, or one on the edge)
        px, py = (np.array(v, dtype=float) for v in zip(*xy)) if xy else (np.zeros(0), np.zeros(0))
        inside = (px >= box.x_min) & (px <= box.x_max) & (py >= box.y_min) & (py <= box.y_max)
        px, py = px[inside], py[inside]
        pz = _height(scene, grid, px, py, surface.value(px, py), lift)
        if name == "end":
            marker["color"] = [c for c, ok in zip(marker["color"], inside) if ok]
        xyz, extra = (px.tolist(), py.tolist(), pz.tolist()), dict(mode="markers")
        if name == "minima":  # a pin: a stem up from the surface, the diamond on top, seen even in a funnel
            xyz, extra = _pins(*xyz, MINIMUM_PIN * float(np.nanmax(z) - np.nanmin(z)), marker)
        fig.add_trace(
            go.Scatter3d(
                x=xyz[0], y=xyz[1], z=xyz[2], name=shown, marker=marker, showlegend=name != "end",
                hovertemplate=shown + "<br>x=%{x:.6g}<br>y=%{y:.6g}<extra></extra>", **extra,
                meta=dict(role="run-ends") if name == "end" else None,  # hidden with the paths while a class predicts
            )
        )
    fig.update_layout(
        title=dict(text=title or surface_title(scene, lang), x=0.01),
        scene=dict(
            xaxis=dict(title=dict(text="x"), range=list(box.x_range)),
            yaxis=dict(title=dict(text="y"), range=list(box.y_range)),
            zaxis=_z_axis(z, log, lang),
            aspectmode="manual",
            aspectratio=dict(x=1.3, y=1.0, z=0.7),
            camera=dict(eye=dict(x=1.1, y=-1.4, z=1.7)),  # steep enough to see into a valley
        ),
        legend=dict(orientation="h", yanchor="top", y=0, x=0),
        margin=dict(l=0, r=0, t=round(40 * t.scale), b=0),
        template=TEMPLATE,
        uirevision=surface_revision(scene),
    )
    font = figure_font(lang, present)
    if font:
        fig.update_layout(font=font)
    if present:  # 3D ticks at the projector's size crowd each other: a size between the page's and it
        ticks = dict(tickfont=dict(size=round(0.75 * t.font_size)))
        fig.update_scenes(xaxis=ticks, yaxis=ticks, zaxis=ticks)
    return fig
