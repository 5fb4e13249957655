"""Figures of the batch lab: the lecture's two timing curves, and where many seeds end on sharp-flat.

Pure functions of data (Plotly only); the page and the tests call them alike.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lab.batch_timing import Timing
from surfaces import SURFACES
from surfaces.shifted import sharp_flat_test_loss

DEVICE_STYLE = (("#1f77b4", "solid"), ("#7f7f7f", "dot"), ("#d62728", "dash"))  # live CPU curves, then the GPU
BATCH_COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd")
QUANTITIES = {
    "update": ("Time for one update", "ms per update", "ms_per_update"),
    "epoch": ("Time for one epoch (60,000 examples)", "seconds per epoch", "s_per_epoch"),
}


def timing_figure(curves: tuple[Timing, ...], quantity: str = "update") -> go.Figure:
    """Time per update or per epoch against batch size, log axes, one trace per device labelled with its date."""
    title, axis, field = QUANTITIES[quantity]
    fig = go.Figure()
    for i, curve in enumerate(curves):
        gpu = curve.device.startswith("GPU")  # keeps its style whether or not the CPU curves are drawn yet
        colour, dash = DEVICE_STYLE[-1] if gpu else DEVICE_STYLE[min(i, len(DEVICE_STYLE) - 2)]
        extra = {}
        if quantity == "update":  # the spread of the timed updates, 10th to 90th percentile
            extra["error_y"] = dict(
                type="data", symmetric=False, thickness=1, width=2,
                array=np.subtract(curve.ms_p90, curve.ms_per_update), arrayminus=np.subtract(curve.ms_per_update, curve.ms_p10),
            )
        fig.add_trace(
            go.Scatter(
                x=curve.batch_sizes, y=getattr(curve, field), mode="lines+markers", name=curve.label,
                line=dict(color=colour, dash=dash), hovertemplate="batch %{x}<br>%{y:.4g} " + axis + "<extra></extra>",
                **extra,
            )
        )
    fig.update_layout(
        template="plotly_white", title=title, margin=dict(l=60, r=20, t=50, b=50), height=380,
        legend=dict(orientation="h", yanchor="top", y=-0.2, x=0),
    )
    fig.update_xaxes(type="log", title="batch size")
    fig.update_yaxes(type="log", title=axis)
    return fig


def sharp_flat_figure(rows, resolution: int = 160) -> go.Figure:
    """Training-loss contours with where every seed ended, one colour per batch size, and the two minima."""
    surface = SURFACES["sharp-flat"]
    xs, ys, zs = surface.grid(resolution=resolution)
    fig = go.Figure(
        go.Contour(x=xs, y=ys, z=zs, colorscale="Viridis", ncontours=25, showscale=False, hoverinfo="skip",
                   line=dict(width=0.5), name="training loss")
    )
    for i, row in enumerate(rows):
        flat = int(row.in_flat.sum())
        fig.add_trace(
            go.Scatter(
                x=row.end_x, y=row.end_y, mode="markers", name=f"{row.label}: {flat} of {len(row.end_x)} in the flat basin",
                marker=dict(color=BATCH_COLOURS[i % len(BATCH_COLOURS)], size=6, opacity=0.6, line=dict(width=0.5, color="white")),
            )
        )
    for (x, y), name in zip(surface.minima, ("flat minimum", "sharp minimum")):
        fig.add_trace(go.Scatter(x=[x], y=[y], mode="markers+text", text=[name], textposition="top center",
                                 marker=dict(symbol="x", size=10, color="white"), showlegend=False, textfont=dict(color="white")))
    box = surface.view
    fig.update_layout(template="plotly_white", title="Where 200 seeds end", height=420, margin=dict(l=50, r=20, t=50, b=40),
                      legend=dict(orientation="h", yanchor="top", y=-0.17, x=0))
    fig.update_xaxes(range=box.x_range, title="x")
    fig.update_yaxes(range=box.y_range, title="y", scaleanchor="x")
    return fig


def sharp_flat_profile_figure(rows, bins: int = 60) -> go.Figure:
    """The lecture's picture along y = 0: training loss, testing loss (shifted), and a histogram of end x per batch."""
    surface = SURFACES["sharp-flat"]
    x = np.linspace(surface.view.x_min, surface.view.x_max, 600)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=surface.value(x, 0 * x), name="training loss", line=dict(color="black")))
    fig.add_trace(go.Scatter(x=x, y=sharp_flat_test_loss(x, 0 * x), name="testing loss", line=dict(color="black", dash="dash")))
    for i, row in enumerate(rows):
        fig.add_trace(go.Histogram(x=row.end_x, name=f"{row.label}: where seeds end", yaxis="y2", opacity=0.55,
                                   xbins=dict(start=surface.view.x_min, end=surface.view.x_max, size=(surface.view.x_max - surface.view.x_min) / bins),
                                   marker_color=BATCH_COLOURS[i % len(BATCH_COLOURS)]))
    fig.update_layout(
        template="plotly_white", barmode="overlay", height=360, margin=dict(l=50, r=50, t=40, b=40),
        title="Along y = 0: training vs testing loss", xaxis=dict(title="x"), yaxis=dict(title="loss"),
        yaxis2=dict(title="seeds", overlaying="y", side="right", showgrid=False, tickmode="auto"),  # not synced to the loss ticks
        legend=dict(orientation="h", yanchor="top", y=-0.15, x=0),
    )
    return fig
