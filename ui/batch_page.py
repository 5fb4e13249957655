"""The batch lab page at /batch: the lecture's batch claims, each shown by a measurement or many seeds.

Section ids are the anchors lab.batch_summary links to: timing (with timing-update
and timing-epoch), escape, sharp-flat, shuffle, summary. The live timing is one
shared job per server (ui/batch_measure.py), polled by a dcc.Interval while it runs.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from lab.batch_timing import HIDDEN
from ui import batch_measure
from ui import batch_sections as sections
from ui.batch_measure import DEFAULT_SWEEP, SWEEPS

POLL_MS = 400
MAX_QUERY = 2000  # characters of a query string read; the rest is ignored

TEXT = {
    "title": "Batch lab",
    "back": "← Explorer",
    "intro": "The first half of the lecture \"Batch and Momentum\", measured: small batches take less time per "
    "update but more per epoch, and their noisy updates help both optimization and generalization.",
    "nav": (("timing", "Time"), ("escape", "Optimization"), ("sharp-flat", "Generalization"),
            ("shuffle", "Shuffling"), ("summary", "Summary")),
    "timing": "Time per update and per epoch vs batch size",
    "timing_text": "Without parallel computing, a larger batch takes proportionally longer per update. A GPU "
    "computes the examples of a batch in parallel: up to a point, one update of a large batch takes as long "
    "as one of a small batch, and an epoch of large batches needs far fewer updates.",
    "measure": "Measure on this server",
    "measured": "Measured (kept until the server restarts)",
    "escape": "Noisy updates help optimization",
    "escape_text": "On a loss with a shallow local minimum, full-batch gradient descent stops in it, while the "
    "noisy updates of small batches are kicked over the ridge into the deeper minimum.",
    "sharp-flat": "Noisy updates help generalization",
    "sharp-flat_text": "Small and large batches reach about the same training loss, but the small batch ends in "
    "the flat minimum, where the testing loss (the training loss shifted) is low too.",
    "shuffle": "Shuffling the examples every epoch",
    "shuffle_text": "Examples stored by class, not shuffled: every epoch drags the model to each class's optimum "
    "in turn and back. Reshuffled every epoch, it settles near the minimum of all the data.",
    "summary": "The lecture's summary: small vs large batch",
    "summary_text": "Each cell links to the panel or lesson that shows it.",
    "unknown_key": "Unknown setting '{key}' ignored: this page takes only 'sweep'.",
    "bad_sweep": "sweep='{value}' is not one of {valid}; the {default} sweep is used.",
    "bad_payload": "The request named no known measurement; reload the page.",
    "not_found": "There is no page at '{path}'.",
    "pages": "The explorer is at / and the batch lab at /batch.",
}


def _quote(value: str) -> str:
    value = "".join(c if c.isprintable() else "?" for c in value[:41])
    return value if len(value) <= 40 else value[:40] + "…"


def read_query(search) -> tuple[str, tuple[str, ...]]:
    """The sweep a link asks for (?sweep=quick for CI) and one warning per ignored item; never raises."""
    text = search[:MAX_QUERY] if isinstance(search, str) else ""
    sweep, warnings, seen = DEFAULT_SWEEP, [], False
    for key, value in parse_qsl(text.lstrip("?"), keep_blank_values=True):
        if key.lower() != "sweep":
            warnings.append(TEXT["unknown_key"].format(key=_quote(key)))
        elif not seen:
            seen = True
            if value.lower() in SWEEPS:
                sweep = value.lower()
            else:
                warnings.append(TEXT["bad_sweep"].format(value=_quote(value), valid=", ".join(SWEEPS), default=DEFAULT_SWEEP))
    return sweep, tuple(warnings[:20])


def _section(id_: str, *children) -> html.Section:
    return html.Section(id=id_, className="batch-section",
                        children=[html.H2(TEXT[id_]), html.P(TEXT[f"{id_}_text"]), *children])


def _timing_section(sweep: str) -> html.Section:
    job = batch_measure.status(sweep)
    update_fig, epoch_fig = sections.timing_figures(job)
    _, gpu_problem = sections.timing_curves(job)
    done = job.result is not None
    return _section(
        "timing",
        html.Div(className="measure-bar", children=[
            html.Button(TEXT["measured"] if done else TEXT["measure"], id="measure", disabled=done or job.running),
            html.Div(sections.progress_view(job), id="timing-progress", className="timing-progress", role="status"),
        ]),
        dcc.Interval(id="timing-poll", interval=POLL_MS, disabled=not job.running),
        html.Div(className="graph-row", children=[
            html.Div(id="timing-update", children=dcc.Graph(id="timing-update-graph", className="batch-graph",
                                                            figure=update_fig, config=sections.GRAPH_CONFIG)),
            html.Div(id="timing-epoch", children=dcc.Graph(id="timing-epoch-graph", className="batch-graph",
                                                           figure=epoch_fig, config=sections.GRAPH_CONFIG)),
        ]),
        html.P(gpu_problem, className="batch-error") if gpu_problem else None,
        html.P(sections.TEXT["models"].format(hidden=HIDDEN), className="note"),
        html.P(sections.TEXT["gpu_source"].format(date=sections.gpu_timing().date if not gpu_problem else "?"), className="note"),
        html.Div(sections.machine_view(job), id="timing-machine", className="note"),
    )


def layout(search=None) -> html.Div:
    sweep, warnings = read_query(search)
    nav = [html.A(name, href=f"#{id_}") for id_, name in TEXT["nav"]]
    return html.Div(className="page batch-page", id="batch-page", children=[
        dcc.Store(id="batch-sweep", data=sweep),
        dcc.Store(id="batch-scrolled"),
        html.Header(className="header", children=[
            html.H1(TEXT["title"]),
            html.Nav(className="header-nav", children=[html.A(TEXT["back"], href="/", id="to-explorer")]),
        ]),
        html.Div(className="batch-main", children=[
            html.Nav(nav, className="section-nav"),
            html.Div([html.P(w) for w in warnings], id="batch-warnings", className="batch-warnings", role="alert")
            if warnings else None,
            html.P(TEXT["intro"], className="intro"),
            _timing_section(sweep),
            _section("escape", sections.escape_table(), sections.lesson_link("noisy-escape")),
            _section("sharp-flat", sections.sharp_flat_view(), sections.lesson_link("sharp-flat")),
            _section("shuffle", sections.shuffle_table(), sections.lesson_link("shuffle")),
            _section("summary", sections.summary_table()),
        ]),
    ])


def not_found(path) -> html.Div:
    return html.Div(className="page batch-page", children=[
        html.Header(className="header", children=html.H1("Error Surface Lab")),
        html.Div(className="batch-main", children=[
            html.P(TEXT["not_found"].format(path=_quote(str(path))), role="alert"),
            html.P([TEXT["pages"], " ", html.A("Explorer", href="/"), " · ", html.A(TEXT["title"], href="/batch")]),
        ]),
    ])


def timing_update(trigger, sweep) -> tuple:
    """Start the shared job (on a click) or read it (on a poll); a forged sweep gets a message."""
    if not isinstance(sweep, str) or sweep not in SWEEPS:
        return ([html.Span(TEXT["bad_payload"], className="batch-error")], True, *[no_update] * 5)
    job = batch_measure.start(sweep) if trigger == "measure" else batch_measure.status(sweep)
    done = job.result is not None
    return (
        sections.progress_view(job),
        not job.running,
        *(sections.timing_figures(job) if done else (no_update, no_update)),
        sections.machine_view(job) if done else no_update,
        done or job.running,
        TEXT["measured"] if done else TEXT["measure"],
    )


@callback(
    Output("timing-progress", "children"),
    Output("timing-poll", "disabled"),
    Output("timing-update-graph", "figure"),
    Output("timing-epoch-graph", "figure"),
    Output("timing-machine", "children"),
    Output("measure", "disabled"),
    Output("measure", "children"),
    Input("measure", "n_clicks"),
    Input("timing-poll", "n_intervals"),
    State("batch-sweep", "data"),
    prevent_initial_call=True,
)
def timing_changed(_clicks, _ticks, sweep):
    return timing_update(ctx.triggered_id, sweep)


# A link to /batch#ID opens before Dash has drawn the sections: scroll once they exist.
clientside_callback(
    """function(sweep) {
        document.title = 'Batch lab · Error Surface Lab';
        let id = '';
        try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { return null; }
        const target = id && document.getElementById(id);
        if (target) { setTimeout(() => target.scrollIntoView(), 0); }
        return id || null;
    }""",
    Output("batch-scrolled", "data"),
    Input("batch-sweep", "data"),
)
