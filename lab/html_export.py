"""The standalone HTML page: plotly.js inside, Plotly frames with a slider, no server, no internet."""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from lab.figures import MAX_PATH_POINTS
from lab.gif import _animation_figure, _roles, animation_frames, frame_thinned, thinning_notes
from lab.images import (
    HTML_FPS,
    HTML_FRAME_POINTS,
    HTML_FRAMES,
    THEMES,
    caption_text,
    lesson_of,
    render_command,
    title_text,
)
from lab.scene import Scene
from lab.simulate import simulate
from lab.strings import run_label, ui_text

# ---------------------------------------------------------------- the standalone page


# plotly.js animates frames (redraw: false) by drawing scatter traces only, and drops every other trace
# of the plot: the contour would vanish at the first frame (a full redraw per frame keeps it, at 0.1 s a
# frame, and flickers). So once the page is drawn, plotly.js draws the contour alone at the size of the
# plotting area, it becomes the plot's background image, and the contour trace stays only for its colour bar.
_BACKDROP = """
(function () {
  var gd = document.getElementById('{plot_id}'), xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  var w = Math.round(xa._length), h = Math.round(ya._length);
  var contour = Object.assign({}, gd.data[0], {showscale: false, opacity: 1});
  var layout = {width: w, height: h, margin: {l: 0, r: 0, t: 0, b: 0, pad: 0}, showlegend: false,
    paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)',
    xaxis: {range: xa.range.slice(), visible: false}, yaxis: {range: ya.range.slice(), visible: false}};
  Plotly.toImage({data: [contour], layout: layout}, {format: 'png', width: w, height: h, scale: 2})
    .then(function (url) {
      var image = {source: url, xref: 'x', yref: 'y', x: xa.range[0], y: ya.range[1], sizing: 'stretch',
        sizex: xa.range[1] - xa.range[0], sizey: ya.range[1] - ya.range[0], layer: 'below'};
      return Plotly.update(gd, {opacity: 0}, {images: [image]}, [0]);
    })
    .then(function () { gd.setAttribute('data-backdrop', 'ready'); });
})();
"""


def _frame_points(trajectories) -> int:
    """Points per path in the HTML's frames: all frames' prefixes together stay near HTML_FRAME_POINTS."""
    per = 2 * HTML_FRAME_POINTS // (HTML_FRAMES * max(len(trajectories), 1))
    return int(min(MAX_PATH_POINTS, max(60, per)))


def standalone_html(scene: Scene, *, lesson=None, lang="en", theme="light") -> str:
    """One HTML file that plays the scene's animation with a slider: plotly.js inside, no server needed."""
    lesson_ = lesson_of(lesson)
    trajectories = simulate(scene)
    plan = animation_frames(scene, trajectories, HTML_FRAMES, lang)
    budget = _frame_points(trajectories)
    keeps = [frame_thinned(tr.x, tr.y, at, budget) for tr, at in zip(trajectories, plan.at)]
    notes = thinning_notes(
        [run_label(tr.run, lang) for tr in trajectories],
        [len(k) for k in keeps],
        [len(tr.x) for tr in trajectories],
        lang,
    )
    notes = [ui_text("export.animated", lang, note=note) for note in notes]
    fig = _animation_figure(scene, trajectories, lesson=lesson_, lang=lang, theme=theme, notes=notes)
    paths, dots, _ = _roles(fig)
    frames = []
    for f, label in enumerate(plan.labels):
        data = []
        for tr, keep, at in zip(trajectories, keeps, plan.at):
            k = keep[: np.searchsorted(keep, at[f]) + 1]
            data.append(dict(type="scatter", x=tr.x[k].astype(np.float32), y=tr.y[k].astype(np.float32)))
        for tr, at in zip(trajectories, plan.at):
            x, y = (float(tr.x[at[f]]), float(tr.y[at[f]])) if len(tr.x) else scene.start_point
            data.append(dict(type="scatter", x=[x], y=[y]))
        frames.append(go.Frame(name=str(f), data=data, traces=paths + dots))
    fig.frames = frames
    still = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
    play = {
        "frame": {"duration": round(1000 / HTML_FPS), "redraw": False},
        "fromcurrent": True,
        "mode": "immediate",
        "transition": {"duration": 0},
    }
    fig.update_xaxes(showgrid=False, zeroline=False)  # under the contour anyway; not over its image
    fig.update_yaxes(showgrid=False, zeroline=False)
    fig.update_layout(
        margin=dict(b=180),
        updatemenus=[
            dict(
                type="buttons",
                direction="left",
                x=0,
                y=0,
                xanchor="left",
                yanchor="top",
                pad=dict(t=62, r=10),
                bgcolor="#e5ecf6",
                font=dict(color="#2a3f5f"),  # readable on every theme's paper
                buttons=[
                    dict(label=ui_text("anim.play_button", lang), method="animate", args=[None, play]),
                    dict(label=ui_text("anim.pause_button", lang), method="animate", args=[[None], still]),
                ],
            )
        ],
        sliders=[
            dict(
                active=0,
                x=0.2,
                len=0.8,
                y=0,
                yanchor="top",
                pad=dict(t=50),
                currentvalue=dict(prefix=""),
                steps=[
                    dict(label=tick, method="animate", args=[[str(f)], still])
                    for f, tick in enumerate(plan.ticks)
                ],
            )
        ],
    )
    div = fig.to_html(
        include_plotlyjs=True,
        full_html=False,
        div_id="scene",
        auto_play=False,
        post_script=_BACKDROP,
        default_width="100%",
        default_height="88vh",
        config=dict(displaylogo=False),
    )
    title = title_text(scene, lesson_, lang) or ui_text("app.title", lang)
    caption = caption_text(scene, lesson_, lang) if lesson_ else ""
    command = render_command(scene, lesson, "html", lang, theme)
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{margin:12px;font-family:'Open Sans',verdana,arial,'Noto Sans CJK SC',sans-serif;"
        f"color:{THEMES[theme].text};background:{'#111111' if theme == 'dark' else '#ffffff'}}} "
        "p{max-width:60em}</style>\n</head>\n<body>\n"
        f"{div}\n<p>{html.escape(caption)}</p>\n"
        f"<p><small>{html.escape(ui_text('export.footer', lang))} "
        f"<code>{html.escape(command)}</code></small></p>\n"
        "</body>\n</html>\n"
    )
