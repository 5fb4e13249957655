"""The Export menu: the current view as PNG or SVG, the scene as GIF, standalone HTML, JSON or
CSV, and the render.py command line that makes the same files from the command line."""

from __future__ import annotations

import io
import threading

from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from lab import export
from lab.query import from_query
from lab.simulate import simulate
from lab.strings import ui_text

SERVER_FORMATS = ("gif", "html", "json", "csv")
# What one click may cost the shared server: a page's JSON or CSV holds at most this many positions
# (two runs of 100,000 steps; 8 runs of 100,000 are 134 MB of CSV), and one GIF is drawn at a time
# per process (each takes seconds and a browser). render.py has no such limits.
MAX_PAGE_EXPORT_POSITIONS = 200_000
_GIF_TURN = threading.Lock()


def menu(lang: str = "en") -> html.Details:
    """The menu, its words in ``lang``."""
    def button(fmt):
        return html.Button(ui_text(f"export.{fmt}", lang), id=f"export-{fmt}", className="export-button")

    return html.Details(
        className="export",
        children=[
            html.Summary(ui_text("export.menu", lang)),
            html.Div(
                className="export-buttons",
                children=[button(fmt) for fmt in ("png", "svg", "gif", "html", "json", "csv")],
            ),
            html.Label(ui_text("export.command", lang), htmlFor="render-command", className="field-label"),
            # filled by ui/callbacks.page with the scene on screen, in the same response as the figures
            dcc.Textarea(id="render-command", readOnly=True, className="render-command", rows=2),
            html.P(id="export-message", className="hint", role="status"),
            dcc.Loading(dcc.Download(id="download"), delay_show=200),
        ],
    )


def export_file(fmt: str, query: str) -> tuple[dict | None, str]:
    """(the file a server-side export button downloads as dcc.Download data, or None; a message)."""
    from lab import media  # kaleido and Pillow load only when an image is asked for

    result = from_query(query if isinstance(query, str) else "")
    scene, lesson, lang = result.scene, result.lesson, result.settings.lang
    theme = "projector" if result.settings.present else "light"  # the file looks as the page does
    stem = lesson or "scene"
    if fmt == "gif":
        if not _GIF_TURN.acquire(blocking=False):
            return None, ui_text("export.busy", lang)
        try:
            gif = media.animation_gif(scene, lesson=lesson, lang=lang, theme=theme)
            return dcc.send_bytes(gif, f"{stem}.gif"), ""
        finally:
            _GIF_TURN.release()
    if fmt == "html":
        return dcc.send_string(media.standalone_html(scene, lesson=lesson, lang=lang, theme=theme), f"{stem}.html"), ""
    positions = sum(scene.updates(run) + 1 for run in scene.runs)
    if positions > MAX_PAGE_EXPORT_POSITIONS:
        return None, ui_text("export.too_big", lang, positions=f"{positions:,}", limit=f"{MAX_PAGE_EXPORT_POSITIONS:,}")
    doc = export.export_dict(scene, simulate(scene), lesson)
    buffer = io.StringIO(newline="")
    (export.write_json if fmt == "json" else export.write_csv)(buffer, doc)
    return dcc.send_string(buffer.getvalue(), f"{stem}.{fmt}"), ""


@callback(
    Output("download", "data"),
    Output("export-message", "children"),
    *[Input(f"export-{fmt}", "n_clicks") for fmt in SERVER_FORMATS],
    State("scene-query", "data"),
    prevent_initial_call=True,
)
def export_clicked(*args):
    if not ctx.triggered_id or not ctx.triggered[0]["value"]:
        return no_update, no_update
    data, message = export_file(ctx.triggered_id.removeprefix("export-"), args[-1])
    return (data if data is not None else no_update), message


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
