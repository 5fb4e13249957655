"""The animation controls, and the clientside callbacks that hand them to assets/animation.js.

Everything after the scene arrives runs in the browser: once per animation
frame the player moves each run's marker on #surface-graph (the marker traces
only, found by uid) and the step cursor on #panels-graph (its three traces),
with Plotly.animate without redraw, and writes the scrubber and readout. No
server round trip, no whole-figure render: Plotly.restyle of a marker's x
would replot the contour (60-80 ms), Plotly.relayout of a shape the panels
(about 30 ms, plus dcc.Graph copying the layout back into its figure prop).

Behaviour (documented here because tests and the integrator rely on it):
a new scene stops the player at its last frame, so markers, cursor, scrubber
and readout all show where the runs ended, as the still figure does. Play
from the last frame starts again from step 0; reaching the end pauses there.
1x plays any scene in about 10 seconds (600 frames at 60 frames per second
at most); 0.25x and 4x scale that.
A frame may stand for many steps (at most 300 frames): behind each marker the
player draws the run's trail, the drawn path's points since the previous frame
shown, in SVG of its own (no trace: each trace slows every redraw of the
plot), so an oscillation faster than the frames is a band, not a dot parked
on one wall. At the last frame (a new scene, the end of play) there is none.
Stepping and the scrubber keep the frame index (the inspector reads
steps[frame]); the trail then covers one frame.
"""

from dash import ClientsideFunction, Input, clientside_callback, dcc, html

from lab.strings import ui_text

NAMESPACE = "errorSurfaceLab"  # window.dash_clientside.errorSurfaceLab, defined in assets/animation.js
SPEEDS = ((0.25, "¼×"), (1, "1×"), (4, "4×"))
# One row that wraps on a phone. Inline, so the controls look right wherever the page's CSS stands.
ROW = {"display": "flex", "alignItems": "center", "gap": "0.5rem", "flexWrap": "wrap", "padding": "0.25rem 0"}


def controls(lang: str = "en") -> html.Div:
    """Back, play/pause, forward, a scrubber, the step readout, the speed; and the store the player reads.

    Words in ``lang``; the player's own (readout, Play/Pause) come with its data (lab.animation)."""
    back, forward = ui_text("anim.back", lang), ui_text("anim.forward", lang)
    return html.Div(
        className="anim-controls",
        style=ROW,
        role="group",
        **{"aria-label": ui_text("anim.group", lang)},
        children=[
            dcc.Store(id="anim-data"),
            html.Button("◂", id="anim-back", n_clicks=0, title=back, **{"aria-label": back}),
            html.Button(
                ui_text("anim.play_button", lang), id="anim-play", n_clicks=0, className="anim-play",
                title=ui_text("anim.play", lang), **{"aria-pressed": "false"},
            ),
            html.Button("▸", id="anim-forward", n_clicks=0, title=forward, **{"aria-label": forward}),
            # The player writes its value every frame straight to the DOM and syncs the Dash prop
            # only when it stops; no server callback listens to it, so dragging never leaves the browser.
            dcc.Input(
                id="anim-scrubber", type="range", min=0, max=0, step=1, value=0, className="anim-scrubber",
                style={"flex": "1 1 12rem", "minWidth": "8rem", "border": "none", "background": "none"},
            ),
            html.Span(  # filled by the player, once per frame; tabular digits keep it from jittering
                id="anim-step", className="anim-step",
                style={"minWidth": "11rem", "fontVariantNumeric": "tabular-nums", "fontSize": "0.9rem"},
            ),
            html.Span(ui_text("anim.speed", lang), style={"fontSize": "0.9rem"}),
            dcc.RadioItems(
                id="anim-speed",
                options=[{"label": label, "value": value} for value, label in SPEEDS],
                value=1,
                inline=True,
                className="anim-speed",
            ),
        ],
    )


clientside_callback(ClientsideFunction(NAMESPACE, "load"), Input("anim-data", "data"))
clientside_callback(
    ClientsideFunction(NAMESPACE, "press"),
    Input("anim-play", "n_clicks"),
    Input("anim-back", "n_clicks"),
    Input("anim-forward", "n_clicks"),
    prevent_initial_call=True,
)
clientside_callback(ClientsideFunction(NAMESPACE, "speed"), Input("anim-speed", "value"))
