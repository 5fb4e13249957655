"""The page. Plot first (it stacks above the controls on a phone), then the side bar.

Element ids are the app's interface to its callbacks and browser tests:
url, scene-query (the canonical query of the scene on screen), lesson, caption,
surface-graph (over surface-contour), status, copy-link, controls (surface, steps, start, seed, runs
editor: see ui/editor.py), panels-graph, view-3d, and the animation controls
of ui/animation.py.
"""

from dash import dcc, html

from lessons import LESSONS
from ui import animation, editor, export_menu, inspector_panel


def layout() -> html.Div:
    return html.Div(
        className="page",
        children=[
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="scene-query"),
            dcc.Store(id="nav"),  # a link the page did not write itself: the first load, back, forward
            dcc.Store(id="drawn"),  # what the main figure currently shows: surface and view
            dcc.Store(id="controls-key"),  # set when the controls must be drawn anew (ui/callbacks.py)
            dcc.Store(id="contour-data"),  # the filled contour, drawn under the plot by assets/layers.js
            dcc.Store(id="panels-data"),  # the panels' figure, drawn a frame after the main plot
            dcc.Store(id="plotly-mode", data="2d"),  # the view mode, once plotly.js can draw it
            html.Header(
                className="header",
                children=[
                    html.H1("Error Surface Lab"),
                    html.A("Batch lab", href="/batch", id="to-batch-lab", className="header-link"),
                    html.Div(
                        className="share",
                        children=[
                            html.Span("Copy link", className="share-label"),
                            dcc.Clipboard(id="copy-link", title="Copy a link to this exact scene"),
                        ],
                    ),
                ],
            ),
            html.Div(
                className="main",
                children=[
                    html.Section(
                        className="plots",
                        children=[
                            html.Div(
                                className="plot-bar",
                                children=[
                                    html.Div(id="status", className="status", role="status", **{"aria-live": "polite"}),
                                    dcc.RadioItems(
                                        id="view-mode",
                                        options=[{"label": " contour", "value": "2d"}, {"label": " 3D surface", "value": "3d"}],
                                        value="2d",
                                        inline=True,
                                        className="view-mode",
                                    ),
                                ],
                            ),
                            html.Div(
                                className="surface-stack",
                                children=[
                                    # The filled contour, under the plot: redrawn only for a new surface,
                                    # view, zoom or size (assets/layers.js), never when only paths change.
                                    html.Div(id="surface-contour", className="surface-contour"),
                                    dcc.Loading(
                                        dcc.Graph(
                                            id="surface-graph",
                                            className="surface-graph",
                                            config={
                                                "displaylogo": False,
                                                # PNG and SVG buttons that include the contour: assets/modebar.js
                                                "modeBarButtonsToRemove": ["toImage"],
                                            },
                                        ),
                                        delay_show=300,
                                        overlay_style={"visibility": "visible", "opacity": 0.6},
                                    ),
                                ],
                            ),
                            animation.controls(),
                            inspector_panel.panel(),
                            dcc.Graph(id="panels-graph", className="panels-graph", config={"displaylogo": False}),
                        ],
                    ),
                    html.Aside(
                        className="side",
                        children=[
                            html.Label("Lesson", htmlFor="lesson", className="field-label"),
                            dcc.Dropdown(
                                id="lesson",
                                options=[{"label": l.title_en, "value": l.id} for l in LESSONS.values()],
                                clearable=True,
                                placeholder="Free exploration",
                            ),
                            html.P(id="caption", className="caption"),
                            export_menu.menu(),
                            html.Div(id="controls", className="controls", children=editor.scene_controls(None)),
                        ],
                    ),
                ],
            ),
        ],
    )
