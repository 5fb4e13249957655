"""The page: lesson picker, caption, main plot and the status line."""

from dash import dcc, html

from lessons import LESSONS


def layout() -> html.Div:
    return html.Div(
        className="page",
        children=[
            dcc.Location(id="url", refresh=False),
            html.Header(html.H1("Error Surface Lab"), className="header"),
            html.Div(
                className="main",
                children=[
                    html.Div(
                        className="plot",
                        children=[
                            dcc.Graph(
                                id="surface-graph",
                                config={
                                    "displaylogo": False,
                                    "toImageButtonOptions": {"format": "png", "scale": 2},
                                },
                                style={"height": "70vh", "minHeight": "420px"},
                            ),
                            html.Div(id="status", className="status", role="status"),
                        ],
                    ),
                    html.Aside(
                        className="side",
                        children=[
                            html.Label("Lesson", htmlFor="lesson"),
                            dcc.Dropdown(
                                id="lesson",
                                options=[{"label": l.title_en, "value": l.id} for l in LESSONS.values()],
                                clearable=False,
                            ),
                            html.P(id="caption", className="caption"),
                        ],
                    ),
                ],
            ),
        ],
    )
