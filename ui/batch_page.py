"""The batch lab page at /batch: the lecture's batch claims, each shown by a measurement or many seeds.

Section ids are the anchors lab.batch_summary links to: timing (with timing-update
and timing-epoch), escape, sharp-flat, shuffle, summary. The live timing is one
shared job per server (ui/batch_measure.py), polled by a dcc.Interval while it runs.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from lab.batch_timing import HIDDEN
from lab.page_settings import LANGS
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
    "unknown_key": "Unknown setting '{key}' ignored: this page takes only 'sweep' and 'lang'.",
    "bad_sweep": "sweep='{value}' is not one of {valid}; the {default} sweep is used.",
    "bad_payload": "The request named no known measurement; reload the page.",
    "not_found": "There is no page at '{path}'.",
    "pages": "The explorer is at / and the batch lab at /batch.",
    "explorer": "Explorer",
    "app": "Error Surface Lab",
}
TEXT_ZH = {
    "title": "批次实验室",
    "back": "← 探索页面",
    "intro": "课程“Batch and Momentum”的前半部分，实际测量：小的批次每次更新花的时间较少，但每个回合花的时间较多；"
    "而它有杂讯（Noisy）的更新对优化和泛化都有帮助。",
    "nav": (("timing", "时间"), ("escape", "优化"), ("sharp-flat", "泛化"),
            ("shuffle", "打乱"), ("summary", "总结")),
    "timing": "每次更新与每个回合的时间对比批次大小",
    "timing_text": "没有平行运算时，批次越大，每次更新花的时间就按比例越长。GPU 会平行计算一个批次里的资料："
    "在一定范围内，大的批次更新一次和小的批次一样快，而一个回合用大的批次需要的更新次数少得多。",
    "measure": "在这台服务器上测量",
    "measured": "已测量（保留到服务器重启）",
    "escape": "有杂讯的更新有助于优化",
    "escape_text": "在有一个很浅的局部最小值的损失上，全批次梯度下降会停在里面，"
    "而小的批次有杂讯的更新会被踢过山脊，进入较深的最小值。",
    "sharp-flat": "有杂讯的更新有助于泛化",
    "sharp-flat_text": "小的批次和大的批次得到差不多的训练损失，但小的批次停在平坦的最小值，"
    "那里的测试损失（平移过的训练损失）也低。",
    "shuffle": "每个回合重新打乱资料",
    "shuffle_text": "资料按类别存放而不打乱：每个回合都把模型依次拉向每一类的最佳点再拉回来。"
    "每个回合重新打乱后，它会停在全部资料的最小值附近。",
    "summary": "课程的总结：小的批次与大的批次",
    "summary_text": "每一格都链接到显示它的面板或课程。",
    "unknown_key": "忽略了未知的设置 '{key}'：这个页面只接受 'sweep' 和 'lang'。",
    "bad_sweep": "sweep='{value}' 不是 {valid} 之一；改用 {default}。",
    "bad_payload": "请求中没有已知的测量；请重新加载页面。",
    "not_found": "'{path}' 没有页面。",
    "pages": "探索页面在 /，批次实验室在 /batch。",
    "explorer": "探索页面",
    "app": "误差曲面实验室",
}


def words(lang: str = "en") -> dict:
    """The page's words in ``lang``."""
    return TEXT_ZH if lang == "zh" else TEXT


def _quote(value: str) -> str:
    value = "".join(c if c.isprintable() else "?" for c in value[:41])
    return value if len(value) <= 40 else value[:40] + "…"


def read_lang(search) -> str:
    """The page's language from ``lang=`` (as the explorer reads it); English for anything else."""
    text = search[:MAX_QUERY] if isinstance(search, str) else ""
    values = [v.lower() for k, v in parse_qsl(text.lstrip("?"), keep_blank_values=True) if k.lower() == "lang"]
    return values[0] if values and values[0] in LANGS else "en"


def read_query(search) -> tuple[str, tuple[str, ...]]:
    """The sweep a link asks for (?sweep=quick for CI) and one warning per ignored item; never raises.

    ``lang`` is the page's language (``read_lang``), not ignored; the warnings are in it."""
    text = search[:MAX_QUERY] if isinstance(search, str) else ""
    TEXT = words(read_lang(search))
    sweep, warnings, seen = DEFAULT_SWEEP, [], False
    for key, value in parse_qsl(text.lstrip("?"), keep_blank_values=True):
        if key.lower() == "lang":
            continue
        if key.lower() != "sweep":
            warnings.append(TEXT["unknown_key"].format(key=_quote(key)))
        elif not seen:
            seen = True
            if value.lower() in SWEEPS:
                sweep = value.lower()
            else:
                warnings.append(TEXT["bad_sweep"].format(value=_quote(value), valid=", ".join(SWEEPS), default=DEFAULT_SWEEP))
    return sweep, tuple(warnings[:20])


def _section(id_: str, lang: str, *children) -> html.Section:
    text = words(lang)
    return html.Section(id=id_, className="batch-section",
                        children=[html.H2(text[id_]), html.P(text[f"{id_}_text"]), *children])


def _timing_section(sweep: str, lang: str = "en") -> html.Section:
    text, notes = words(lang), sections.words(lang)
    job = batch_measure.status(sweep)
    update_fig, epoch_fig = sections.timing_figures(job, lang)
    _, gpu_problem = sections.timing_curves(job, lang)
    done = job.result is not None
    return _section(
        "timing",
        lang,
        html.Div(className="measure-bar", children=[
            html.Button(text["measured"] if done else text["measure"], id="measure", disabled=done or job.running),
            html.Div(sections.progress_view(job, lang), id="timing-progress", className="timing-progress", role="status"),
        ]),
        dcc.Interval(id="timing-poll", interval=POLL_MS, disabled=not job.running),
        html.Div(className="graph-row", children=[
            html.Div(id="timing-update", children=dcc.Graph(id="timing-update-graph", className="batch-graph",
                                                            figure=update_fig, config=sections.GRAPH_CONFIG)),
            html.Div(id="timing-epoch", children=dcc.Graph(id="timing-epoch-graph", className="batch-graph",
                                                           figure=epoch_fig, config=sections.GRAPH_CONFIG)),
        ]),
        html.Div(sections.parallel_view(job, lang), id="timing-parallel"),
        html.P(gpu_problem, className="batch-error") if gpu_problem else None,
        html.P(notes["models"].format(hidden=HIDDEN), className="note"),
        html.P(notes["gpu_source"].format(date=sections.gpu_timing().date if not gpu_problem else "?"), className="note"),
        html.Div(sections.machine_view(job, lang), id="timing-machine", className="note"),
    )


def layout(search=None) -> html.Div:
    sweep, warnings = read_query(search)
    lang = read_lang(search)
    text = words(lang)
    nav = [html.A(name, href=f"#{id_}") for id_, name in text["nav"]]
    return html.Div(className="page batch-page", id="batch-page", lang=lang, children=[
        dcc.Store(id="batch-sweep", data=sweep),
        dcc.Store(id="batch-lang", data=lang),
        dcc.Store(id="batch-scrolled"),
        html.Header(className="header", children=[
            html.H1(text["title"]),
            html.Nav(className="header-nav", children=[
                html.A(text["back"], href="/?lang=zh" if lang == "zh" else "/", id="to-explorer")]),
        ]),
        html.Div(className="batch-main", children=[
            html.Nav(nav, className="section-nav"),
            html.Div([html.P(w) for w in warnings], id="batch-warnings", className="batch-warnings", role="alert")
            if warnings else None,
            html.P(text["intro"], className="intro"),
            _timing_section(sweep, lang),
            _section("escape", lang, sections.escape_table(lang), sections.lesson_link("noisy-escape", lang)),
            _section("sharp-flat", lang, sections.sharp_flat_view(lang), sections.lesson_link("sharp-flat", lang)),
            _section("shuffle", lang, sections.shuffle_table(lang), sections.lesson_link("shuffle", lang)),
            _section("summary", lang, sections.summary_table(lang)),
        ]),
    ])


def not_found(path, lang: str = "en") -> html.Div:
    text = words(lang)
    return html.Div(className="page batch-page", children=[
        html.Header(className="header", children=html.H1(text["app"])),
        html.Div(className="batch-main", children=[
            html.P(text["not_found"].format(path=_quote(str(path))), role="alert"),
            html.P([text["pages"], " ", html.A(text["explorer"], href="/"), " · ", html.A(text["title"], href="/batch")]),
        ]),
    ])


def timing_update(trigger, sweep, lang="en") -> tuple:
    """Start the shared job (on a click) or read it (on a poll); a forged sweep gets a message."""
    lang = lang if lang in LANGS else "en"
    text = words(lang)
    if not isinstance(sweep, str) or sweep not in SWEEPS:
        return ([html.Span(text["bad_payload"], className="batch-error")], True, *[no_update] * 6)
    job = batch_measure.start(sweep) if trigger == "measure" else batch_measure.status(sweep)
    done = job.result is not None
    return (
        sections.progress_view(job, lang),
        not job.running,
        *(sections.timing_figures(job, lang) if done else (no_update, no_update)),
        sections.machine_view(job, lang) if done else no_update,
        sections.parallel_view(job, lang) if done else no_update,
        done or job.running,
        text["measured"] if done else text["measure"],
    )


@callback(
    Output("timing-progress", "children"),
    Output("timing-poll", "disabled"),
    Output("timing-update-graph", "figure"),
    Output("timing-epoch-graph", "figure"),
    Output("timing-machine", "children"),
    Output("timing-parallel", "children"),
    Output("measure", "disabled"),
    Output("measure", "children"),
    Input("measure", "n_clicks"),
    Input("timing-poll", "n_intervals"),
    State("batch-sweep", "data"),
    State("batch-lang", "data"),
    prevent_initial_call=True,
)
def timing_changed(_clicks, _ticks, sweep, lang):
    return timing_update(ctx.triggered_id, sweep, lang)


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
