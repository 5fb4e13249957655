"""The explorer page, built for the link it is opened with: its language, projector mode and
hidden controls (lab.page_settings). Plot first (it stacks above the controls on a phone), then
the side bar.

Element ids are the app's interface to its callbacks, assets and browser tests:
url, scene-query (the canonical link of the scene on screen, settings included), lesson, caption,
surface-graph (over surface-contour), status, copy-link, controls (surface, steps, start, seed, runs
editor: see ui/editor.py), panels-graph, view-mode, the animation controls of ui/animation.py,
and the classroom ones: lang-switch, present-switch, side-toggle, keys-button, keys-help, predict,
predict-banner, reveal, exercise-hide, exercise-link. The root carries data-lang, data-present and
data-predict and data-lessons (the ids in the picker's order, for the digit keys) for
assets/classroom.js.
"""

from dash import dcc, html

from lab.page_settings import DEFAULT, HIDEABLE, PageSettings
from lab.strings import ui_text
from lessons import LESSONS
from ui import animation, editor, export_menu, inspector_panel
from ui.plotly_locale import graph_config

KEYS = (("Space", "keys.space"), ("← →", "keys.arrows"), ("1 … 9", "keys.digits"), ("R", "keys.reveal"),
        ("P", "keys.present"), ("?", "keys.help"))


def _hideable(name: str, settings: PageSettings, child, class_name: str | None = None, **kwargs) -> html.Div:
    """``child`` kept in the page (callbacks read it; the link fixed its value) but hidden when the link says so."""
    hidden = settings.hides(name)
    classes = " ".join(c for c in (class_name, "hidden-by-link" if hidden else None) if c)
    return html.Div(child, hidden=hidden, className=classes or None, **kwargs)


def keys_help(lang: str) -> html.Div:
    """The list of keyboard shortcuts, shown by ? (assets/classroom.js)."""
    t = lambda key: ui_text(key, lang)  # noqa: E731
    return html.Div(
        id="keys-help", className="keys-help", role="dialog", hidden=True,
        **{"aria-modal": "false", "aria-labelledby": "keys-title"},
        children=[
            html.H2(t("keys.title"), id="keys-title"),
            html.Dl([item for key, text in KEYS for item in (html.Dt(html.Kbd(key)), html.Dd(t(text)))]),
            html.Button(t("keys.close"), id="keys-close", n_clicks=0),
        ],
    )


def header(settings: PageSettings) -> html.Header:
    lang = settings.lang
    t = lambda key: ui_text(key, lang)  # noqa: E731
    return html.Header(
        className="header",
        children=[
            html.H1(t("app.title")),
            html.Nav(
                className="header-tools",
                **{"aria-label": t("page.controls")},
                children=[
                    html.A(t("page.batch_lab"), href="/batch" + ("?lang=zh" if lang == "zh" else ""),
                           id="to-batch-lab", className="header-link"),
                    html.Button(ui_text("lang.switch", lang), id="lang-switch", n_clicks=0, title=t("page.lang_title"),
                                lang="zh-Hans" if lang == "en" else "en"),
                    html.Button(t("page.explore") if settings.present else t("page.present"), id="present-switch",
                                n_clicks=0, title=t("page.present_title"),
                                **{"aria-pressed": "true" if settings.present else "false"}),
                    html.Button(t("page.show_controls"), id="side-toggle", n_clicks=0, className="side-toggle",
                                title=t("page.show_controls_title"),
                                **{"aria-expanded": "false" if settings.present else "true", "aria-controls": "side"}),
                    html.Button(t("page.keys"), id="keys-button", n_clicks=0, title=t("page.keys_title"),
                                **{"aria-label": t("page.keys_title")}),
                    html.Div(
                        className="share",
                        children=[
                            html.Span(t("link.copy"), className="share-label"),
                            dcc.Clipboard(id="copy-link", title=t("link.copy_title")),
                        ],
                    ),
                ],
            ),
        ],
    )


def exercise_builder(settings: PageSettings) -> html.Details:
    """A teacher ticks the controls to hide; the link (assets/classroom.js builds it) opens the exercise."""
    lang = settings.lang
    t = lambda key: ui_text(key, lang)  # noqa: E731
    return html.Details(
        className="exercise",
        children=[
            html.Summary(t("exercise.summary")),
            html.Label(t("exercise.hide"), htmlFor="exercise-hide", className="field-label"),
            dcc.Checklist(
                id="exercise-hide",
                options=[{"label": " " + HIDEABLE[name][lang == "zh"], "value": name} for name in HIDEABLE],
                value=sorted(settings.hide),
                className="exercise-hide",
            ),
            html.P(t("exercise.note"), className="hint"),
            html.Label(t("exercise.link"), htmlFor="exercise-link", className="field-label"),
            html.Div(
                className="row",
                children=[
                    dcc.Input(id="exercise-link", type="text", readOnly=True, value="", className="number"),
                    dcc.Clipboard(target_id="exercise-link", title=t("exercise.copy")),
                ],
            ),
        ],
    )


def layout(settings: PageSettings = DEFAULT) -> html.Div:
    lang = settings.lang
    t = lambda key: ui_text(key, lang)  # noqa: E731
    return html.Div(
        # side-folded / side-open and caption-empty: assets/classroom.js keeps them true (CSS reads them)
        className="page present side-folded" if settings.present else "page side-open",
        lang="zh-Hans" if lang == "zh" else "en",
        **{"data-lang": lang, "data-present": str(settings.present).lower(),
           "data-predict": str(settings.predict).lower(), "data-lessons": ",".join(LESSONS)},
        children=[
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="scene-query"),
            dcc.Store(id="nav"),  # a link the page did not write itself: the first load, back, forward
            dcc.Store(id="drawn"),  # what the main figure currently shows: surface and view
            dcc.Store(id="controls-key"),  # set when the controls must be drawn anew (ui/callbacks.py)
            dcc.Store(id="contour-data"),  # the filled contour, drawn under the plot by assets/layers.js
            dcc.Store(id="panels-data"),  # the panels' figure, drawn a frame after the main plot
            dcc.Store(id="plotly-mode", data="2d"),  # the view mode, once plotly.js can draw it
            header(settings),
            keys_help(lang),
            html.Main(
                className="main",
                children=[
                    html.Section(
                        className="plots",
                        **{"aria-label": t("page.main")},
                        children=[
                            html.Div(
                                className="plot-bar",
                                children=[
                                    html.Div(id="status", className="status", role="status", **{"aria-live": "polite"}),
                                    _hideable("view-mode", settings, dcc.RadioItems(
                                        id="view-mode",
                                        options=[{"label": " " + t("plot.contour"), "value": "2d"},
                                                 {"label": " " + t("plot.surface3d"), "value": "3d"}],
                                        value="2d",
                                        inline=True,
                                        className="view-mode",
                                        inputClassName="view-mode-input",
                                    )),
                                ],
                            ),
                            html.Div(
                                id="predict-banner", className="predict-banner", hidden=True,
                                children=[
                                    html.Span(t("predict.prompt")),
                                    html.Button(t("predict.reveal"), id="reveal", n_clicks=0, className="reveal"),
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
                                            config=graph_config(
                                                lang,
                                                displaylogo=False,
                                                # PNG and SVG buttons that include the contour: assets/modebar.js
                                                modeBarButtonsToRemove=["toImage"],
                                            ),
                                        ),
                                        delay_show=300,
                                        overlay_style={"visibility": "visible", "opacity": 0.6},
                                    ),
                                ],
                            ),
                            animation.controls(lang),
                            inspector_panel.panel(lang),
                            _hideable("panels", settings, class_name="panels-block", child=dcc.Graph(
                                id="panels-graph", className="panels-graph", config=graph_config(lang, displaylogo=False))),
                        ],
                    ),
                    html.Aside(
                        id="side",
                        className="side",
                        **{"aria-label": t("page.controls")},
                        children=[
                            _hideable("lesson", settings, class_name="lesson-block", child=[
                                html.Label(t("lesson.label"), htmlFor="lesson", className="field-label"),
                                dcc.Dropdown(
                                    id="lesson",
                                    options=[{"label": l.title(lang), "value": l.id} for l in LESSONS.values()],
                                    clearable=True,
                                    placeholder=t("lesson.none"),
                                ),
                            ]),
                            _hideable("caption", settings, html.P(id="caption", className="caption"), class_name="caption-block"),
                            html.Div(
                                className="checkbox predict-switch",
                                title=t("predict.switch_title"),
                                children=dcc.Checklist(
                                    id="predict",
                                    options=[{"label": " " + t("predict.switch"), "value": "on"}],
                                    value=["on"] if settings.predict else [],
                                ),
                            ),
                            _hideable("export", settings, export_menu.menu(lang)),
                            exercise_builder(settings),
                            html.Div(id="controls", className="controls", children=editor.scene_controls(None, settings)),
                        ],
                    ),
                ],
            ),
        ],
    )
