"""Linked panels under the main plot: loss, gradient norm and learning rates against the step.

Three rows share one step axis, all on log scales: (a) the loss above the
surface's global minimum, (b) the gradient norm ||g^t||, (c) eta_t and the
effective rates eta_t/sigma_x, eta_t/sigma_y. Long runs are drawn as the
minimum and maximum of every stretch of steps (never every k-th step), so an
oscillating loss keeps its band; arrays travel as float32 and int32, so six
runs of 100,000 steps take about 140 KB of JSON.
"""

from __future__ import annotations

import copy
import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.figures import DASHES, figure_font, minimum_value, plain_template, run_color, scene_key, typed_array
from lab.messages import in_language
from lab.scene import Scene
from lab.simulate import Trajectory
from lab.strings import registry_label, run_label, ui_text
from lab.themes import look
from lab.thinning import sorted_indices
from lab.ticks import log_ticks

MAX_PANEL_POINTS = 300  # per line: 149 stretches' min and max, plus the first and last step
RELATIVE_FLOOR = 1e-15  # about the rounding error of a double: below this a log axis shows noise
ABSOLUTE_FLOOR = 1e-30  # float32 still holds it
CURSOR = "anim-cursor"  # meta.role of the step cursor's traces, which assets/animation.js moves
ROWS = ("loss", "grad", "lr")

# Panel (c): line style says which rate; colour says which run.
RATE_STYLES = {
    "η_t": dict(dash="dash", width=1.3),
    "η_t/σ_x": dict(dash="solid", width=2),
    "η_t/σ_y": dict(dash="dot", width=2),
}


def thin_series(values: np.ndarray, max_points: int = MAX_PANEL_POINTS) -> np.ndarray:
    """Indices to draw, in order: per stretch of steps its min and max, plus the first and last.

    A min/max pair per stretch keeps an oscillation's band (a period-2 bounce
    still spans both values in every stretch); points inside a flat stretch are
    dropped, since a line between equal values draws them anyway.
    """
    n = len(values)
    if n <= max_points:
        keep = np.arange(n)
    else:
        stretches = max((max_points - 2) // 2, 1)
        size = -(-n // stretches)
        index = np.minimum(np.arange(stretches * size).reshape(stretches, size), n - 1)
        rows = np.arange(stretches)
        block = values[index]
        picks = (index[rows, block.argmin(axis=1)], index[rows, block.argmax(axis=1)])
        keep = sorted_indices([*picks, np.array([0, n - 1])])
    if len(keep) > 2:
        v = values[keep]
        flat = (v[1:-1] == v[:-2]) & (v[1:-1] == v[2:])
        keep = np.concatenate([keep[:1], keep[1:-1][~flat], keep[-1:]])
    return keep


def floor_for(series: list[np.ndarray], scale: float = 0.0) -> float:
    """The floor of a log panel: 1e-15 of its largest value (or of ``scale``), at least 1e-30."""
    top = max([scale] + [float(np.max(s)) for s in series if len(s)])
    return max(RELATIVE_FLOOR * top, ABSOLUTE_FLOOR)


def _compact(values: np.ndarray) -> np.ndarray:
    """float32 when it holds the values (half the JSON), else float64."""
    if len(values) == 0 or float(np.max(values)) < 1e38:
        return values.astype(np.float32)
    return values.astype(np.float64)


def _line(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """(steps, values) to draw, and whether the line was thinned. Entry t belongs to step t."""
    keep = thin_series(values)
    return keep.astype(np.int32), _compact(values[keep]), len(values) > MAX_PANEL_POINTS


def _rates(traj: Trajectory) -> list[tuple[str, np.ndarray]]:
    """The distinct rate lines of a run: eta_t alone where sigma does not exist (GD, momentum)."""
    lr, ex, ey = traj.lr, traj.effective_lr_x, traj.effective_lr_y
    if np.array_equal(ex, lr) and np.array_equal(ey, lr):
        return [("η_t", lr)]
    if np.array_equal(ex, ey):
        return [("η_t", lr), ("η_t/σ_x", ex)]
    return [("η_t", lr), ("η_t/σ_x", ex), ("η_t/σ_y", ey)]


def _rate_name(kind: str, traj: Trajectory, rates, lang: str = "en") -> str:
    if len(rates) == 1:
        name = traj.run.optimizer if lang == "en" else registry_label("optimizer", traj.run.optimizer, lang)
        return ui_text("panel.no_sigma", lang, optimizer=name)
    if kind == "η_t/σ_x" and len(rates) == 2:
        return "η_t/σ_x = η_t/σ_y"
    return kind


class Reference(NamedTuple):
    """What the loss panel measures from: the global minimum's value (``known``), else the lowest
    value on the view's grid, which is no minimum and is named as what it is."""

    value: float
    known: bool


def _floors(scene: Scene, trajectories) -> tuple[Reference, dict[str, float]]:
    reference = Reference(minimum_value(scene), bool(scene.surface_record.minima))
    f_min = reference.value
    excess = [t.loss - f_min for t in trajectories]
    rates = [r for t in trajectories for _, r in _rates(t)]
    return reference, {
        "loss": floor_for(excess, abs(f_min)),
        "grad": floor_for([t.grad_norm for t in trajectories]),
        "lr": floor_for(rates),
    }


def _axis_title(text: str, floor: float, clipped: bool, lang: str = "en", size: int = 10) -> str:
    note = ui_text("panel.clipped", lang, floor=f"{floor:.1e}") if clipped else ui_text("panel.log_scale", lang)
    return f"{text}<br><span style='font-size:{size}px'>{note}</span>"


@lru_cache(maxsize=1)
def _grid() -> dict:
    """make_subplots' axes for three rows sharing x, each with a hidden second y axis (for the cursor).

    Built once: the grid never changes, and make_subplots costs more than the rest of a panel figure.
    """
    fig = make_subplots(
        rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.035, row_heights=[0.4, 0.3, 0.3],
        specs=[[{"secondary_y": True}]] * 3,
    )
    layout = fig.to_plotly_json()["layout"]
    layout.pop("template", None)
    refs = [fig._grid_ref[r][0] for r in range(3)]
    return {"layout": layout, "axes": [(ref[0].trace_kwargs, ref[1].trace_kwargs) for ref in refs]}


def panels_dict(scene: Scene, trajectories, lang: str = "en", present: bool = False, encode=typed_array) -> dict:
    """The panels as a plain figure dict (arrays through ``encode``: base64 typed arrays), as Dash sends it.

    Plain dicts and lists, not graph objects: validating a go.Figure of a dozen traces costs
    the page tens of milliseconds per change, for nothing a test could not check on the dict.
    Every word is in ``lang``; ``present`` draws the projector's look (lab.themes).
    """
    if not isinstance(lang, str):  # the old third positional argument was ``encode``
        lang, encode = "en", lang
    reference, floors = _floors(scene, trajectories)
    grid = _grid()
    layout = copy.deepcopy(grid["layout"])
    data = []
    clipped = dict.fromkeys(ROWS, False)
    extent = {row: [math.inf, -math.inf] for row in ROWS}
    thinned = False
    unit, longest = time_axis(scene, trajectories)
    widen = look(present).line_width / 2
    word = ui_text(f"panel.{unit}", lang)
    for i, traj in enumerate(trajectories):
        label = run_label(traj.run, lang)
        if traj.status != "ok":
            message = in_language(traj.message, lang)
            label += f"（{message}）" if lang == "zh" else f" ({message})"
        per = traj.updates_per_epoch if unit == "epoch" else 1
        for row, what, values, line, legend in _series(traj, i, reference, lang):
            line = dict(line, width=line["width"] * widen)
            clipped[row] |= bool(np.any(values < floors[row]))
            steps, drawn, cut = _line(np.maximum(values, floors[row]))
            steps = steps / np.float32(per) if per != 1 else steps
            thinned |= cut
            if len(drawn):
                extent[row] = [min(extent[row][0], float(drawn.min())), max(extent[row][1], float(drawn.max()))]
            data.append(dict(
                type="scatter", x=encode(steps), y=encode(drawn), mode="lines", name=label,
                legendgroup=f"run-{i}", showlegend=legend, line=dict(color=run_color(i), **line),
                hovertemplate=f"{word} %{{x:,}}<br>{what} = %{{y:.4g}}<extra>{label}</extra>",
                **grid["axes"][ROWS.index(row)][0],
            ))
    for r in range(1, 4):
        data.append(dict(cursor_trace(scene, longest, r, lang, present), **grid["axes"][r - 1][1]))
    _axes(layout, reference, floors, clipped, extent, unit, lang, present)
    _style(layout, scene, thinned, longest, reference, lang, present)
    return {"data": data, "layout": layout}


def panels_figure(scene: Scene, trajectories, lang: str = "en", present: bool = False) -> go.Figure:
    """Loss − min f, ||g|| and the learning rates against the step, one colour per run as in the main plot."""
    return go.Figure(panels_dict(scene, trajectories, lang, present, encode=lambda a: a))


def time_axis(scene: Scene, trajectories) -> tuple[str, float]:
    """The panels' x unit and extent: epochs when the scene counts epochs (runs of different batch
    sizes then line up by passes over the data, as the lecture compares them), else update steps."""
    if scene.epochs:
        return "epoch", float(scene.epochs)
    return "step", float(max((t.steps for t in trajectories), default=0))


def _series(traj: Trajectory, i: int, reference: Reference, lang: str = "en"):
    """(row, what, values, line style, in legend) for each line run i draws."""
    dash = DASHES[i % len(DASHES)]
    rates = _rates(traj)
    loss_name = ui_text("panel.loss" if reference.known else "panel.loss_low", lang)
    return [
        ("loss", loss_name, traj.loss - reference.value, dict(dash=dash, width=2), True),
        ("grad", "‖g‖", traj.grad_norm, dict(dash=dash, width=1.5), False),
        *(("lr", _rate_name(kind, traj, rates, lang), r, RATE_STYLES[kind], False) for kind, r in rates),
    ]


def cursor_trace(scene: Scene, step: int, row: int, lang: str = "en", present: bool = False) -> dict:
    """One panel's share of the step cursor: a vertical line over the panel's full height.

    A trace on a hidden y axis fixed to [0, 1], not a layout shape: Plotly.animate
    moves a trace in well under a millisecond, while Plotly.relayout of a shape
    replots the whole figure (about 30 ms here, plus Dash copying the layout back).
    """
    return dict(
        type="scatter", x=[step, step], y=[0, 1], mode="lines", uid=f"{CURSOR}-{row}",
        meta=dict(role=CURSOR, scene=scene_key(scene)),
        line=dict(color="rgba(0,0,0,0.45)", width=look(present).line_width / 2), hoverinfo="skip", showlegend=False,
        name=ui_text("panel.cursor", lang),
    )


def _axis_name(kind: str, n: int) -> str:
    return kind if n == 1 else f"{kind}{n}"


def _axes(layout: dict, reference: Reference, floors, clipped, extent, unit: str = "step", lang: str = "en",
          present: bool = False) -> None:
    t = look(present)
    if not reference.known:  # the view's lowest grid value is no minimum: not called min f (the note says what it is)
        loss_title = ui_text("panel.loss_low", lang)
    elif reference.value:
        loss_title = ui_text("panel.loss_min", lang, value=f"{reference.value:.4g}")
    else:
        loss_title = ui_text("panel.loss", lang)
    titles = {
        "loss": loss_title,
        "grad": "‖g‖",
        "lr": "η_t, η_t/σ",
    }
    for r, row in enumerate(ROWS, start=1):
        ticks = log_ticks(extent[row], labels=4)  # four labels a panel at most
        ticks.pop("ticktext", None)  # Plotly writes them, as powers of ten like the decades
        if present and not ticks:  # Plotly's own labels, fewer: 20 px text in a row
            ticks = dict(nticks=4)
        title = _axis_title(titles[row], floors[row], clipped[row], lang, round(10 * t.scale))
        layout[_axis_name("yaxis", 2 * r - 1)].update(
            type="log", title=dict(text=title, font=dict(size=t.font_size)), exponentformat="power", **ticks
        )
        layout[_axis_name("yaxis", 2 * r)].update(range=[0, 1], visible=False, fixedrange=True)
    layout["xaxis3"]["title"] = dict(text=ui_text(f"panel.{unit}", lang), standoff=4)
    for r in range(1, 4):
        layout[_axis_name("xaxis", r)].update(showspikes=True, spikemode="across", spikethickness=1, spikedash="dot")


def _style(layout: dict, scene: Scene, thinned: bool, longest: int, reference: Reference, lang: str = "en",
           present: bool = False) -> None:
    notes = [ui_text("panel.rates", lang)]
    if thinned:
        notes.insert(0, ui_text("panel.bands", lang))
    if not reference.known:
        notes.insert(0, ui_text("panel.loss_view", lang, value=f"{reference.value:.4g}"))
    scale = look(present).scale
    small = round(10 * scale)
    font = figure_font(lang, present)
    if font:
        layout["font"] = font
    layout.update(
        annotations=[dict(text="<br>".join(notes), xref="paper", yref="paper", x=0, y=1.0, yanchor="bottom",
                          showarrow=False, font=dict(size=small), align="left")],
        template=plain_template(),
        hovermode="closest",
        legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, x=0, font=dict(size=small)),
        # no height: the page (or the export) sizes it; 430 px still reads
        margin=dict(l=round(80 * scale), r=20, t=round(max(36, 12 + 12 * len(notes)) * scale), b=round(20 * scale)),
        # zoom survives new runs on the same surface and step count; a new x extent starts fresh
        uirevision=f"{scene.surface}|{longest}",
    )
