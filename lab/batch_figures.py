"""Figures of the batch lab: the lecture's two timing curves, and where many seeds end on sharp-flat.

Pure functions of data (Plotly only); the page and the tests call them alike.
"""

from __future__ import annotations


import numpy as np
import plotly.graph_objects as go

from lab.batch_timing import Timing
from lab.strings import LABEL_ZH
from lab.ticks import log_ticks
from lab.themes import CJK_FONT
from surfaces import SURFACES
from surfaces.shifted import sharp_flat_test_loss

DEVICE_STYLE = (("#1f77b4", "solid"), ("#7f7f7f", "dot"), ("#d62728", "dash"))  # live CPU curves, then the GPU
BATCH_TICKS = (1, 10, 100, 1_000, 10_000, 100_000)  # written in full, one style (Plotly mixes "1000" and "10k")
BATCH_COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd")
QUANTITIES = {
    "update": ("Time for one update", "ms per update", "ms_per_update"),
    "epoch": ("Time for one epoch (60,000 examples)", "seconds per epoch", "s_per_epoch"),
}
QUANTITIES_ZH = {
    "update": ("一次更新的时间", "每次更新的毫秒数"),
    "epoch": ("一个回合的时间（60,000 笔资料）", "每个回合的秒数"),
}
# The figures' other words, (English, Chinese).
WORDS = {
    "batch": ("batch", "批次"),
    "batch_size": ("batch size", "批次大小"),
    "training": ("training loss", "训练损失"),
    "testing": ("testing loss", "测试损失"),
    "in_flat": ("{label}: {flat} of {total} in the flat basin", "{label}：{total} 个中 {flat} 个在平坦的盆地"),
    "flat": ("flat minimum", "平坦的最小值"),
    "sharp": ("sharp minimum", "尖锐的最小值"),
    "seeds_end": ("Where 200 seeds end", "200 个随机种子停在哪里"),
    "where_end": ("{label}: where seeds end", "{label}：随机种子停在哪里"),
    "profile": ("Along y = 0: training vs testing loss", "沿着 y = 0：训练损失与测试损失"),
    "loss": ("loss", "损失"),
    "seeds": ("seeds", "随机种子数"),
    "cluster": ("{count} seeds", "{count} 个随机种子"),
}
CLUSTER_RADIUS = 0.03  # of the view's width: seeds this near a minimum are drawn as one dot, so they are counted
CLUSTER_LABEL_FROM = 0.1  # a batch size's share of seeds at a minimum worth a count beside it
CLUSTER_LABEL_DX = (0, 30, -30, 60)  # pixels right of its minimum, one per batch size, so two labels do not overlap


def _w(key: str, lang: str, **params) -> str:
    return WORDS[key][lang == "zh"].format(**params)


def _zh_layout(fig: go.Figure, lang: str) -> go.Figure:
    if lang == "zh":
        fig.update_layout(font=dict(family=CJK_FONT))
    return fig


def run_text(label: str, lang: str) -> str:
    """A lesson run's label (the experiments carry the English one) in ``lang``."""
    return LABEL_ZH.get(label, label) if lang == "zh" else label


def timing_figure(curves: tuple[Timing, ...], quantity: str = "update", lang: str = "en") -> go.Figure:
    """Time per update or per epoch against batch size, log axes, one trace per device labelled with its date."""
    title, axis, field = QUANTITIES[quantity]
    if lang == "zh":
        title, axis = QUANTITIES_ZH[quantity]
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
                line=dict(color=colour, dash=dash),
                hovertemplate=_w("batch", lang) + " %{x}<br>%{y:.4g} " + axis + "<extra></extra>",
                **extra,
            )
        )
    fig.update_layout(
        template="plotly_white", title=title, margin=dict(l=60, r=20, t=50, b=50), height=380,
        legend=dict(orientation="h", yanchor="top", y=-0.2, x=0),
        showlegend=True,  # with one trace (the H200 before measuring) Plotly would hide the device's name
    )
    fig.update_xaxes(type="log", title=_w("batch_size", lang), tickvals=BATCH_TICKS, ticktext=[f"{b:,}" for b in BATCH_TICKS])
    fig.update_yaxes(type="log", title=axis, **log_ticks(np.concatenate([np.ravel(getattr(c, field)) for c in curves]) if curves else [], labels=5))
    return _zh_layout(fig, lang)


def minimum_counts(rows, minima, radius: float) -> list[list[int]]:
    """Per row and per minimum, how many seeds ended within ``radius`` of it (a cluster's size, for a label)."""
    return [[int((np.hypot(np.asarray(r.end_x) - x, np.asarray(r.end_y) - y) <= radius).sum()) for x, y in minima]
            for r in rows]


def sharp_flat_figure(rows, resolution: int = 160, lang: str = "en") -> go.Figure:
    """Training-loss contours with where every seed ended, one colour per batch size, and the two minima.

    The minima are open rings drawn under the seeds: a whole batch size ending on one minimum must stay
    visible as a coloured dot, and its size is written beside it.
    """
    surface = SURFACES["sharp-flat"]
    box = surface.view
    xs, ys, zs = surface.grid(resolution=resolution)
    fig = go.Figure(
        go.Contour(x=xs, y=ys, z=zs, colorscale="Viridis", ncontours=25, showscale=False, hoverinfo="skip",
                   line=dict(width=0.5), name=_w("training", lang))
    )
    for (x, y), name in zip(surface.minima, (_w("flat", lang), _w("sharp", lang))):
        fig.add_trace(go.Scatter(x=[x], y=[y], mode="markers+text", text=[name], textposition="top center",
                                 marker=dict(symbol="circle-open", size=22, color="white", line=dict(width=1.5)),
                                 showlegend=False, textfont=dict(color="white"), hoverinfo="skip"))
    for i, row in enumerate(rows):
        flat = int(row.in_flat.sum())
        fig.add_trace(
            go.Scatter(
                x=row.end_x, y=row.end_y, mode="markers",
                name=_w("in_flat", lang, label=run_text(row.label, lang), flat=flat, total=len(row.end_x)),
                marker=dict(color=BATCH_COLOURS[i % len(BATCH_COLOURS)], size=8, opacity=0.8,
                            line=dict(width=1, color="white")),
            )
        )
    radius = CLUSTER_RADIUS * (box.x_max - box.x_min)
    for i, counts in enumerate(minimum_counts(rows, surface.minima, radius)):
        colour = BATCH_COLOURS[i % len(BATCH_COLOURS)]
        for (x, y), n in zip(surface.minima, counts):
            if n >= CLUSTER_LABEL_FROM * len(rows[i].end_x):  # in a box below, with an arrow: the dots stay clear
                fig.add_annotation(x=x, y=y, text=_w("cluster", lang, count=n), showarrow=True, arrowcolor=colour,
                                   arrowwidth=1.5, ax=CLUSTER_LABEL_DX[i % len(CLUSTER_LABEL_DX)], ay=42, standoff=6,
                                   font=dict(color=colour, size=12), bgcolor="white", bordercolor=colour, borderpad=2)
    fig.update_layout(template="plotly_white", title=_w("seeds_end", lang), height=420, margin=dict(l=50, r=20, t=50, b=40),
                      legend=dict(orientation="h", yanchor="top", y=-0.17, x=0))
    # equal scales by shrinking the plot area (not widening the range): the contour fills the axes
    fig.update_xaxes(range=box.x_range, title="x", constrain="domain")
    fig.update_yaxes(range=box.y_range, title="y", scaleanchor="x", constrain="domain")
    return _zh_layout(fig, lang)


HEADROOM = 1.1  # the seeds axis ends this far above the tallest bar


def highest_bin(values, start: float, size: float) -> int:
    """The largest count of a histogram with Plotly's bins: [start + k size, start + (k+1) size)."""
    index = np.floor((np.asarray(values, dtype=float) - start) / size).astype(int)
    index = index[index >= 0]
    return int(np.bincount(index).max()) if index.size else 0


def sharp_flat_profile_figure(rows, bins: int = 60, lang: str = "en") -> go.Figure:
    """The lecture's picture along y = 0: training loss, testing loss (shifted), and a histogram of end x per batch."""
    surface = SURFACES["sharp-flat"]
    x = np.linspace(surface.view.x_min, surface.view.x_max, 600)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=surface.value(x, 0 * x), name=_w("training", lang), line=dict(color="black")))
    fig.add_trace(go.Scatter(x=x, y=sharp_flat_test_loss(x, 0 * x), name=_w("testing", lang),
                             line=dict(color="black", dash="dash")))
    size = (surface.view.x_max - surface.view.x_min) / bins
    for i, row in enumerate(rows):
        fig.add_trace(go.Histogram(x=row.end_x, name=_w("where_end", lang, label=run_text(row.label, lang)), yaxis="y2", opacity=0.55,
                                   xbins=dict(start=surface.view.x_min, end=surface.view.x_max, size=size),
                                   marker_color=BATCH_COLOURS[i % len(BATCH_COLOURS)]))
    tallest = max([highest_bin(row.end_x, surface.view.x_min, size) for row in rows] + [1])
    fig.update_layout(
        template="plotly_white", barmode="overlay", height=360, margin=dict(l=50, r=50, t=40, b=40),
        title=_w("profile", lang), xaxis=dict(title="x"), yaxis=dict(title=_w("loss", lang)),
        yaxis2=dict(title=_w("seeds", lang), overlaying="y", side="right", showgrid=False, tickmode="auto",  # not synced to the loss ticks
                    range=[0, HEADROOM * tallest]),  # the tallest bar stops below the frame
        legend=dict(orientation="h", yanchor="top", y=-0.15, x=0),
    )
    return _zh_layout(fig, lang)
