"""Figures as pure functions of a scene and its trajectories (Plotly, never Dash).

Colours, dashes and fonts live in ``STYLE``. Every figure says what it leaves
out: thinned paths say how many points they show, and a run that leaves the
view says so in its legend entry.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go

from lab.scene import Scene
from lab.simulate import Trajectory
from lab.thinning import thin_path
from surfaces import SURFACES
from surfaces.base import Box, Surface

# Okabe-Ito: distinguishable by colour-blind viewers; dashes tell runs apart in grey too.
COLORS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")
MAX_PATH_POINTS = 4000
GRID = 200


def run_color(i: int) -> str:
    return COLORS[i % len(COLORS)]


@lru_cache(maxsize=32)
def contour_grid(surface_name: str, box: Box, resolution: int = GRID):
    """(xs, ys, z, levels_are_log): the surface on a grid, log-scaled where values span decades."""
    surface = SURFACES[surface_name]
    xs, ys, z = surface.grid(box, resolution)
    z = np.where(np.isfinite(z), z, np.nan)
    if surface.log_levels:
        floor = min(np.nanmin(z), min(surface.value(*m) for m in surface.minima))
        spread = np.nanmax(z) - floor
        offset = max(spread * 1e-6, 1e-300)
        return xs, ys, np.log10(z - floor + offset), True
    return xs, ys, z, False


def _colorbar(z, log: bool) -> dict:
    if not log:
        return dict(title=dict(text="loss"), thickness=12)
    lo, hi = np.nanmin(z), np.nanmax(z)
    ticks = np.arange(math.ceil(lo), math.floor(hi) + 1)
    return dict(
        title=dict(text="loss − min"),
        thickness=12,
        tickvals=ticks.tolist(),
        ticktext=[f"1e{int(t)}" for t in ticks],
    )


def _leaves(traj: Trajectory, box: Box) -> bool:
    return bool(
        np.any((traj.x < box.x_min) | (traj.x > box.x_max) | (traj.y < box.y_min) | (traj.y > box.y_max))
    )


def path_traces(scene: Scene, trajectories, box: Box, upto: int | None = None) -> tuple[list[go.Scatter], list[str]]:
    """One line per run (thinned), and notes on what the drawing leaves out."""
    traces, notes = [], []
    for i, traj in enumerate(trajectories):
        n = len(traj.x) if upto is None else min(upto + 1, len(traj.x))
        x, y = traj.x[:n], traj.y[:n]
        keep = thin_path(x, y, MAX_PATH_POINTS)
        name = traj.run.display_label()
        if len(keep) < n:
            notes.append(f"{name}: {len(keep):,} of {n:,} points drawn (extremes of every stretch kept)")
        if _leaves(traj, box):
            name += " (leaves the view)"
        if traj.status != "ok":
            name += f" ({traj.message})"
        traces.append(
            go.Scatter(
                x=x[keep],
                y=y[keep],
                mode="lines",
                name=name,
                line=dict(color=run_color(i), dash=DASHES[i % len(DASHES)], width=2),
                customdata=keep,
                hovertemplate="step %{customdata}<br>x=%{x:.6g}<br>y=%{y:.6g}<extra>" + name + "</extra>",
            )
        )
    return traces, notes


def contour_figure(scene: Scene, trajectories, *, upto: int | None = None, title: str | None = None) -> go.Figure:
    """The main plot: filled contours, minima (x), start (dot) and every run's path."""
    surface: Surface = SURFACES[scene.surface]
    box = scene.view_box
    xs, ys, z, log = contour_grid(scene.surface, box)
    fig = go.Figure()
    fig.add_trace(
        go.Contour(
            x=xs,
            y=ys,
            z=z,
            colorscale="Viridis",
            reversescale=False,
            ncontours=30,
            line=dict(width=0.5, color="rgba(255,255,255,0.35)"),
            colorbar=_colorbar(z, log),
            hoverinfo="skip",
            name="loss",
            showlegend=False,
        )
    )
    traces, notes = path_traces(scene, trajectories, box, upto)
    for trace in traces:
        fig.add_trace(trace)
    mx, my = zip(*surface.minima)
    fig.add_trace(
        go.Scatter(
            x=mx, y=my, mode="markers", name="minima",
            marker=dict(symbol="x-thin", size=14, line=dict(width=3, color="white")),
            hovertemplate="minimum<br>x=%{x:.6g}<br>y=%{y:.6g}<extra></extra>",
        )
    )
    sx, sy = scene.start_point
    fig.add_trace(
        go.Scatter(
            x=[sx], y=[sy], mode="markers", name="start",
            marker=dict(symbol="circle", size=11, color="white", line=dict(width=2, color="black")),
            hovertemplate="start<br>x=%{x:.6g}<br>y=%{y:.6g}<extra></extra>",
        )
    )
    fig.update_layout(
        title=dict(text=title or surface.label, x=0.01),
        xaxis=dict(title=dict(text="x"), range=list(box.x_range), constrain="domain"),
        yaxis=dict(title=dict(text="y"), range=list(box.y_range)),
        legend=dict(orientation="h", yanchor="top", y=-0.12, x=0),
        margin=dict(l=60, r=20, t=50, b=40),
        template="plotly_white",
        uirevision=scene.surface,
    )
    aspect = (box.x_max - box.x_min) / (box.y_max - box.y_min)
    if 0.5 <= aspect <= 2:  # comparable scales: keep circles round; else the valley needs its own y scale
        fig.update_yaxes(scaleanchor="x", scaleratio=1)
    if notes:  # between the title and the plot, with room made for them
        fig.add_annotation(
            text="<br>".join(notes), xref="paper", yref="paper", x=0, y=1.0, yanchor="bottom",
            showarrow=False, font=dict(size=10), align="left",
        )
        fig.update_layout(margin=dict(t=50 + 14 * len(notes)), title=dict(y=1.0, yanchor="top", pad=dict(t=8)))
    return fig
