"""The Export menu: the current view as PNG or SVG, the scene as GIF, standalone HTML, JSON or
CSV, and the render.py command line that makes the same files from the command line."""

from __future__ import annotations

import io

from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from lab import export
from lab.query import from_query
from lab.simulate import simulate

SERVER_FORMATS = ("gif", "html", "json", "csv")


def menu() -> html.Details:
    button = lambda fmt, text: html.Button(text, id=f"export-{fmt}", className="export-button")  # noqa: E731
    return html.Details(
        className="export",
        children=[
            html.Summary("Export"),
            html.Div(
                className="export-buttons",
                children=[
                    button("png", "PNG (this view, 2x)"),
                    button("svg", "SVG (this view, 2x)"),
                    button("gif", "GIF animation"),
                    button("html", "Standalone HTML"),
                    button("json", "JSON (all steps)"),
                    button("csv", "CSV (all steps)"),
                ],
            ),
            html.Label("The same from the command line:", htmlFor="render-command", className="field-label"),
            # filled by ui/callbacks.page with the scene on screen, in the same response as the figures
            dcc.Textarea(id="render-command", readOnly=True, className="render-command", rows=2),
            dcc.Loading(dcc.Download(id="download"), delay_show=200),
        ],
    )


def export_file(fmt: str, query: str) -> dict:
    """The file a server-side export button downloads, as dcc.Download data."""
    from lab import media  # kaleido and Pillow load only when an image is asked for

    result = from_query(query or "")
    scene, lesson = result.scene, result.lesson
    stem = lesson or "scene"
    if fmt == "gif":
        return dcc.send_bytes(media.animation_gif(scene, lesson=lesson), f"{stem}.gif")
    if fmt == "html":
        return dcc.send_string(media.standalone_html(scene, lesson=lesson), f"{stem}.html")
    doc = export.export_dict(scene, simulate(scene), lesson)
    buffer = io.StringIO(newline="")
    (export.write_json if fmt == "json" else export.write_csv)(buffer, doc)
    return dcc.send_string(buffer.getvalue(), f"{stem}.{fmt}")


@callback(
    Output("download", "data"),
    *[Input(f"export-{fmt}", "n_clicks") for fmt in SERVER_FORMATS],
    State("scene-query", "data"),
    prevent_initial_call=True,
)
def export_clicked(*args):
    if not ctx.triggered_id or not ctx.triggered[0]["value"]:
        return no_update
    return export_file(ctx.triggered_id.removeprefix("export-"), args[-1])


for _fmt in ("png", "svg"):  # the current view, zoom and contour layer included, from the browser
    clientside_callback(
        f"""function(n) {{
            var gd = document.querySelector('#surface-graph .js-plotly-plot');
            if (n && gd) {{ window.errorSurfaceLayers.download(gd, '{_fmt}'); }}
            return window.dash_clientside.no_update;
        }}""",
        Output(f"export-{_fmt}", "title"),
        Input(f"export-{_fmt}", "n_clicks"),
        prevent_initial_call=True,
    )
