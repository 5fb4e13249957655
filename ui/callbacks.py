"""Callbacks. Data flows one way: an event makes a scene; the scene alone decides the page.

controls, clicks, buttons, lesson picker --> scene --> simulate --> figures, and the URL
link (address bar) ------------------------> scene --> simulate --> figures
An event's callback draws the page itself, in one server round trip, and writes the scene's link
to the address bar as one more output; a clientside filter (``nav``) lets only a link the page did
not write itself (the first load, back and forward) through to ``show_scene``. Each callback parses,
calls pure code and returns. The controls are rebuilt only when the scene's structure changes or
the change came from elsewhere (a link, a lesson, a click).
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np
from dash.exceptions import PreventUpdate
from dash import (
    ALL, ClientsideFunction, Input, Output, Patch, State, callback, clientside_callback, ctx, no_update, set_props,
)

from lab.animation import animation_data
from lab.figures import (
    MAX_PATH_POINTS, epoch_markers, page_layers, run_color, shows_epoch_ends, surface_3d_figure,
    surface_revision, typed_array,
)
from lab.images import render_command
from lab.panels import panels_dict
from lab import validate
from lab.messages import Message
from lab.page_settings import DEFAULT as DEFAULT_SETTINGS, PageSettings
from lab.query import compose_query, from_query, to_query
from lab.strings import ui_text
from lab.scene import MAX_RUNS, Scene
from lab.simulate import simulate
from lab.stability import bounce_message
from lab.thinning import thin_in_view
from lab.typed import keep_on_screen
from lessons import LESSONS
from ui import editor
from ui.inspector_panel import path_point

DEFAULT_LESSON = "adagrad-eruption"
RUN_FIELDS = ("run-optimizer", "run-lr", "run-lr-slider", "run-schedule", "run-label", "run-batch", "run-shuffle")
NAMED_FIELDS = ("run-param", "run-sched")
# boxes that show their value again when a typed one could not be used (run-lr has its own output)
KEPT_BOXES = ("steps", "seed", "start-x", "start-y", "epochs", "run-batch", "run-param", "run-sched")


def _all(kind: str) -> dict:
    return {"type": kind, "index": ALL}


def _all_named(kind: str) -> dict:
    return {"type": kind, "index": ALL, "name": ALL}


# ------------------------------------------------------------------ pure helpers


def in_lang(text, lang: str) -> str:
    """A message in ``lang`` (a lab.messages.Message knows its Chinese), other text as it is."""
    return text.text(lang) if isinstance(text, Message) else str(text)


def status_text(trajectories, warnings, lang: str = "en", scene: Scene | None = None) -> str:
    """What was simulated, how each run ended (with ``scene``: why one keeps bouncing, lab.stability),
    and what the URL parser fell back on."""
    t = lambda key, **params: ui_text(key, lang, **params)  # noqa: E731
    steps = {traj.steps for traj in trajectories}
    if len(trajectories) > 1 and len(steps) == 1:  # the scrubber's count, not a sum it never shows
        parts = [t("status.simulated_runs", runs=len(trajectories), count=f"{steps.pop():,}")]
    else:
        parts = [t("status.simulated", count=f"{sum(traj.steps for traj in trajectories):,}")]
    for i, traj in enumerate(trajectories, start=1):
        per = traj.updates_per_epoch
        per_epoch = (t("status.per_epoch_one") if per == 1 else t("status.per_epoch", count=f"{per:,}")) if per else ""
        run = t("status.run", index=i) + per_epoch
        if traj.status != "ok":
            parts.append(f"{run} {in_lang(traj.message, lang)}")
        elif len(traj.loss):
            bounce = bounce_message(scene, traj) if scene is not None else None
            hint = ("；" if lang == "zh" else "; ") + bounce.text(lang) if bounce else ""
            parts.append(f"{run} {t('status.final_loss', value=f'{traj.loss[-1]:.4g}')}{hint}")
    parts.extend(t("status.warning", text=in_lang(w, lang)) for w in warnings)
    return " · ".join(parts)


def link_for(scene: Scene, lesson_id: str | None, settings: PageSettings = DEFAULT_SETTINGS) -> str:
    """The shortest link to ``scene``: its lesson plus the changes, or the scene on its own; then
    the page's settings."""
    lesson = LESSONS.get(lesson_id)
    if lesson is not None:
        return to_query(scene, base=lesson.scene, lesson=lesson.id, settings=settings)
    return to_query(scene, settings=settings) or "?"


def caption_for(scene: Scene, lesson_id: str | None, lang: str = "en") -> str:
    """The lesson's caption, said plainly to describe the lesson's settings once they are changed."""
    lesson = LESSONS.get(lesson_id)
    if lesson is None:
        return ""
    if scene == lesson.scene:
        return lesson.caption(lang)
    return f"{ui_text('lesson.changed_prefix', lang)} {lesson.caption(lang)}"


def drop_stale_labels(scene: Scene, previous: Scene) -> Scene:
    """A label names a setting ("Adagrad η=0.15"): once the setting changes, the label would lie,
    so a run whose optimizer, learning rate, schedule or parameters changed while its label did not
    falls back to a label made from its settings."""
    runs = []
    for i, run in enumerate(scene.runs):
        old = previous.runs[i] if i < len(previous.runs) else None
        settings = lambda r: (r.optimizer, r.lr, r.params, r.schedule, r.schedule_params, r.batch_size)  # noqa: E731
        if old is not None and run.label and run.label == old.label and settings(run) != settings(old):
            run = replace(run, label="")
        runs.append(run)
    return replace(scene, runs=tuple(runs))


def round_to_view(value: float, scene: Scene, axis: int = 0) -> float:
    """A clicked coordinate to a thousandth of the view's extent: a short link, no false precision."""
    box = scene.view_box
    extent = (box.x_max - box.x_min) if axis == 0 else (box.y_max - box.y_min)
    return round(value, max(0, 3 - math.floor(math.log10(extent))))


def slider_value(lr: float) -> float:
    low, high = editor.LR_SLIDER
    return round(min(max(math.log10(lr), low), high), 1)


def slider_updates(runs, shown: dict) -> list:
    """Each run's slider position, or no_update where the slider (index -> value) is there already:
    every output set is a React re-render in the path of a change."""
    return [slider_value(r.lr) if r and slider_value(r.lr) != shown.get(i) else no_update for i, r in enumerate(runs)]


def scene_from_controls(values: dict, ids: dict, trigger, current: Scene) -> tuple[Scene, tuple[str, ...], dict]:
    """The scene the raw control values describe, read through the URL parser (which warns), and the
    boxes to show again: a typed number that cannot be used keeps its value in ``current``, the scene
    on screen (lab.typed), where a link would fall back to the default.

    The formula and the view are kept from ``current`` too: they are typed and checked in ui.formula_box."""

    def at(kind: str, i: int, name: str | None = None):
        for id_, value in zip(ids[kind], values[kind]):
            if id_["index"] == i and (name is None or id_.get("name") == name):
                return value
        return None

    runs = []
    for i in range(len(values["run-optimizer"])):
        lr = at("run-lr", i)
        exponent = validate.finite(at("run-lr-slider", i))
        if trigger == {"type": "run-lr-slider", "index": i} and exponent is not None:
            lr = 10.0 ** min(max(exponent, editor.LR_SLIDER[0]), editor.LR_SLIDER[1])
        params = {id_["name"]: v for kind in NAMED_FIELDS for id_, v in zip(ids[kind], values[kind]) if id_["index"] == i}
        shuffle = at("run-shuffle", i)
        runs.append({
            "optimizer": at("run-optimizer", i), "lr": lr, "schedule": at("run-schedule", i),
            "batch": at("run-batch", i), "shuffle": None if shuffle is None else bool(shuffle),
            "label": at("run-label", i), "params": params,
        })
    fields = {
        "steps": values["steps"], "seed": values["seed"],
        "epochs": values["epochs"][0] if values["epochs"] else None,
        "start": (values["start-x"], values["start-y"]),
        **editor.surface_fields(values["surface"], current),
    }
    kept = keep_on_screen(fields, runs, current)
    result = from_query(compose_query(kept.fields, kept.runs))
    return result.scene, kept.messages + result.warnings, kept.shown


# ------------------------------------------------------------------ events -> page

PAGE = (  # what drawing a scene sets; every event callback returns these first
    Output("scene-query", "data", allow_duplicate=True),
    Output("url", "search", allow_duplicate=True),
    Output("controls-key", "data", allow_duplicate=True),
    Output("lesson", "value", allow_duplicate=True),
    Output("caption", "children", allow_duplicate=True),
    Output("status", "children", allow_duplicate=True),
    Output("surface-graph", "figure", allow_duplicate=True),
    Output("contour-data", "data", allow_duplicate=True),
    Output("panels-data", "data", allow_duplicate=True),
    Output("anim-data", "data", allow_duplicate=True),
    Output("drawn", "data", allow_duplicate=True),
    Output("render-command", "value", allow_duplicate=True),
)
PAGE_STATE = (State("scene-query", "data"), State("drawn", "data"), State("view-mode", "value"))


def settings_of(query) -> PageSettings:
    """The page settings of the link on screen (the page writes them into every link)."""
    return from_query(query).settings if isinstance(query, str) else DEFAULT_SETTINGS


def page(scene: Scene, lesson_id, warnings, shown_query, drawn, mode, rebuild: bool, settings=None) -> tuple:
    """The PAGE outputs for ``scene``: nothing but the status when it is already on screen.

    ``settings`` (language, projector mode, hidden controls) are those of the link on screen
    unless given: a link opened or a switch turned.

    The controls are not among them: an output component is re-rendered by Dash when its callback
    starts and ends, and the runs editor is the page's largest subtree (15-20 ms a change). When
    they must be drawn anew, ``controls-key`` changes and draw_controls draws them.
    """
    lesson_id, drawn, mode = validate.name_in(lesson_id, LESSONS), validate.drawn_store(drawn), validate.view_mode(mode)
    shown_query = shown_query if isinstance(shown_query, str) else None  # a forged store: draw afresh
    shown = from_query(shown_query) if shown_query is not None else None  # the scene on screen, read once
    settings = settings if settings is not None else (shown.settings if shown else DEFAULT_SETTINGS)
    lang = settings.lang
    link = link_for(scene, lesson_id, settings)
    # A link's refused formula goes to the formula box with its error (drawn by draw_controls from the key).
    refused = editor.refused_formula_box(warnings, lang)
    key = [link, time.monotonic_ns(), *([refused] if refused else [])]
    if shown_query is not None and shown_query == link:
        return ((no_update,) * 2 + (key if refused else no_update,) + (no_update,) * 2
                + (status_text(simulate(scene), warnings, lang, scene),) + (no_update,) * 6)
    previous = shown.scene if shown else None
    rebuild = rebuild or previous is None or editor.structure(previous) != editor.structure(scene)
    trajectories = simulate(scene)
    lesson = LESSONS.get(lesson_id)
    figure, contour, drawn = main_figure(scene, trajectories, lesson.title(lang) if lesson else None, drawn, mode,
                                         settings)
    shown_lesson = shown.lesson if shown else no_update
    caption = caption_for(scene, lesson_id, lang)
    if previous is not None and shown_lesson == lesson_id and caption == caption_for(previous, lesson_id, lang):
        caption = no_update  # on screen already: not re-rendered for nothing
    return (  # an unchanged lesson is not set again: lesson_picked would run for nothing
        link, link, key if rebuild or refused else no_update,
        no_update if lesson_id == shown_lesson else lesson_id,
        caption, status_text(trajectories, warnings, lang, scene), figure, contour,
        panels_dict(scene, trajectories, lang, settings.present), animation_data(scene, trajectories, lang=lang), drawn,
        render_command(scene, lesson_id, lang=lang, theme="projector" if settings.present else "light"),
    )


def control_key(id_) -> tuple:
    """A control's id as lab.typed names it: (kind, index[, name]), or (id,) for a plain id."""
    if isinstance(id_, dict):
        return (id_.get("type"), id_.get("index"), *((id_["name"],) if "name" in id_ else ()))
    return (id_,)


def kept_boxes(shown: dict, ids: dict) -> list[tuple]:
    """(id, value) for each box of KEPT_BOXES that shows its kept value again after a typo (lab.typed).

    Written with dash.set_props, not as outputs: an output is re-rendered by Dash when its callback
    starts and ends, and these boxes would be on every change's path for a typo's sake (+5 ms a change).
    """
    out = []
    for name in KEPT_BOXES:
        for id_ in ids.get(name, [name]):
            if control_key(id_) in shown:
                out.append((id_, shown[control_key(id_)]))
    return out


@callback(
    *PAGE,
    Output(_all("run-lr"), "value"),
    Output(_all("run-lr-slider"), "value"),
    Output(_all("run-label"), "value"),
    Input("surface", "value"),
    Input("steps", "value"),
    Input(_all("epochs"), "value"),
    Input("seed", "value"),
    Input("start-x", "value"),
    Input("start-y", "value"),
    *[Input(_all(kind), "value") for kind in RUN_FIELDS],
    *[Input(_all_named(kind), "value") for kind in NAMED_FIELDS],
    State("lesson", "value"),
    *PAGE_STATE,
    prevent_initial_call=True,
)
def controls_changed(*args):
    if len(ctx.triggered) > 1:  # the controls were just drawn (a link, a lesson, a click), not edited
        raise PreventUpdate
    names = ("surface", "steps", "epochs", "seed", "start-x", "start-y", *RUN_FIELDS, *NAMED_FIELDS)
    values = dict(zip(names, args))
    lesson_id, shown_query, drawn, mode = args[len(names) :]
    ids = {name: [item["id"] for item in group] for name, group in zip(names, ctx.inputs_list) if isinstance(group, list)}
    current = from_query(shown_query or "").scene
    typed_scene, warnings, kept = scene_from_controls(values, ids, ctx.triggered_id, current)
    scene = drop_stale_labels(typed_scene, current)
    outputs = page(scene, lesson_id, list(warnings), shown_query, drawn, mode, rebuild=False)
    n = len(ids["run-lr"])
    if outputs[2] is not no_update:  # the controls are drawn anew: nothing to write into the old ones
        return outputs + ([no_update] * n,) * 3
    runs = list(scene.runs[:n]) + [None] * (n - len(scene.runs))
    from_slider = isinstance(ctx.triggered_id, dict) and ctx.triggered_id.get("type") == "run-lr-slider"
    shown = [f"{r.lr:.3g}" if r and from_slider else kept.get(("run-lr", id_["index"]), no_update)
             for r, id_ in zip(runs, ids["run-lr"])]
    sliders = slider_updates(runs, dict(zip((i["index"] for i in ids["run-lr-slider"]), values["run-lr-slider"])))
    labels = [r.label if r and r.label != t.label else no_update for r, t in zip(runs, typed_scene.runs)]
    labels += [no_update] * (n - len(labels))
    for id_, value in kept_boxes(kept, ids):
        set_props(id_, {"value": value})
    return outputs + (shown, sliders, labels)


@callback(
    Output("controls", "children"),
    Input("controls-key", "data"),
    prevent_initial_call=True,
)
def draw_controls(key):
    """The controls for the scene just drawn, when its structure changed or it came from elsewhere."""
    if not (isinstance(key, list) and key and isinstance(key[0], str)):
        raise PreventUpdate  # not a key the page wrote: [link, time]
    result = from_query(key[0])
    return editor.scene_controls(result.scene, result.settings, editor.refused_of(key))


@callback(
    *PAGE,
    Input("add-run", "n_clicks"),
    Input(_all("run-duplicate"), "n_clicks"),
    Input(_all("run-remove"), "n_clicks"),
    Input(_all("run-sweep"), "n_clicks"),
    State("lesson", "value"),
    *PAGE_STATE,
    prevent_initial_call=True,
)
def runs_edited(add, duplicates, removes, sweeps, lesson_id, query, drawn, mode):
    """Add, duplicate, remove, or sweep a run: a change of structure."""
    if not ctx.triggered or not validate.clicks(ctx.triggered[0]["value"]):
        raise PreventUpdate  # a button that was just drawn, not clicked
    scene = from_query(query or "").scene
    runs = list(scene.runs)
    trigger = ctx.triggered_id
    if trigger == "add-run":
        runs.append(editor.added_run(tuple(runs)))
    else:
        i = trigger["index"]
        if not (isinstance(i, int) and 0 <= i < len(runs)):
            raise PreventUpdate  # a forged index: no such run
        if trigger["type"] == "run-duplicate":
            runs.insert(i + 1, replace(runs[i], label=""))
        elif trigger["type"] == "run-remove" and len(runs) > 1:
            runs.pop(i)
        elif trigger["type"] == "run-sweep":
            runs[i : i + 1] = editor.sweep(runs[i], MAX_RUNS - len(runs) + 1)
    edited = replace(scene, runs=tuple(runs[:MAX_RUNS]))
    return page(edited, lesson_id, [], query, drawn, mode, rebuild=True)


@callback(
    *PAGE,
    Input("surface-graph", "clickData"),
    State("lesson", "value"),
    *PAGE_STATE,
    prevent_initial_call=True,
)
def plot_clicked(click, lesson_id, query, drawn, mode):
    """A click anywhere in the plot area moves the start point there (layout.clickanywhere)."""
    point = validate.clicked_point(click)
    if point is None:  # no coordinates, or not finite numbers
        raise PreventUpdate
    shown = from_query(query or "")
    if shown.settings.hides("start"):  # an exercise link fixed the start
        raise PreventUpdate
    scene = shown.scene
    if path_point(click, len(scene.runs)) is not None:  # a point of a path: the step inspector's
        raise PreventUpdate
    x, y = point
    moved = replace(scene, start=(round_to_view(x, scene), round_to_view(y, scene, axis=1)))
    return page(moved, lesson_id, [], query, drawn, mode, rebuild=True)


@callback(
    *PAGE,
    Input("lesson", "value"),
    *PAGE_STATE,
    prevent_initial_call=True,
)
def lesson_picked(lesson_id, query, drawn, mode):
    lesson_id = validate.name_in(lesson_id, LESSONS)
    if lesson_id is None or from_query(query or "").lesson == lesson_id:
        raise PreventUpdate  # cleared, or set by the page itself, not picked
    return page(LESSONS[lesson_id].scene, lesson_id, [], query, drawn, mode, rebuild=True)


@callback(
    *PAGE,
    Input("predict", "value"),
    State("lesson", "value"),
    *PAGE_STATE,
    prevent_initial_call=True,
)
def predict_switched(value, lesson_id, query, drawn, mode):
    """Predict, then reveal: a page setting, written into the link (assets/classroom.js hides the paths)."""
    on = isinstance(value, list) and "on" in value
    settings = settings_of(query)
    if query is None or settings.predict == on:
        raise PreventUpdate  # drawn with the page, not switched
    scene = from_query(query).scene
    return page(scene, lesson_id, [], query, drawn, mode, rebuild=False, settings=replace(settings, predict=on))


# ------------------------------------------------------------------ URL -> page


def typed_arrays(value):
    """``value`` with every NumPy array as Plotly's base64 typed-array spec.

    Plotly encodes arrays this way when it serializes a whole figure, but the values of a
    Patch are serialized as plain lists, at three to four times the bytes.
    """
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu":
        return typed_array(value)
    if isinstance(value, dict):
        return {k: typed_arrays(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [typed_arrays(v) for v in value]
    return value


def run_fingerprints(scene: Scene) -> list[str]:
    """What each run's path depends on: the run and everything it starts from."""
    context = (scene.surface, scene.formula, scene.view, scene.start, scene.steps, scene.epochs, scene.seed)
    return [repr((context, run)) for run in scene.runs]


def main_figure(scene, trajectories, title, drawn, mode: str = "2d", settings: PageSettings = DEFAULT_SETTINGS):
    """(front figure or Patch, contour layer or no_update, drawn): see lab.figures.page_layers.

    The contour layer is sent only when the surface, view, mode, language or look changes; then the
    front as a whole. Otherwise the front is patched: of the paths only those whose run or start changed."""
    lang, present = settings.lang, settings.present
    if mode == "3d":
        return surface_3d_figure(scene, trajectories, title=title, lang=lang, present=present), None, None
    front, contour = page_layers(scene, trajectories, title, lang=lang, present=present)
    key = f"{surface_revision(scene)}|{lang}|{int(present)}"  # a new language or look redraws the layout
    fingerprints = run_fingerprints(scene)
    now = {"key": key, "traces": len(front["data"]), "runs": fingerprints}
    if not drawn or drawn.get("key") != key:
        return front, contour, now
    patch = Patch()
    n = len(scene.runs)
    before = drawn.get("runs") or []
    if len(before) == n:  # same runs layout: [placeholder, paths, minima, start, markers]
        changed = [i for i in range(n) if before[i] != fingerprints[i]]
        indices = [1 + i for i in changed] + [n + 1, n + 2] + [n + 3 + i for i in changed]
    else:
        indices = list(range(1, len(front["data"])))
        for i in range(drawn["traces"] - 1, len(front["data"]) - 1, -1):
            del patch["data"][i]
    for i in sorted(indices):
        patch["data"][i] = front["data"][i]
    layout = front["layout"]
    patch["layout"]["annotations"] = layout.get("annotations", [])
    patch["layout"]["title"] = layout["title"]
    patch["layout"]["margin"] = layout["margin"]
    return patch, no_update, now


@callback(
    *PAGE,
    Input("nav", "data"),
    *PAGE_STATE,
    prevent_initial_call="initial_duplicate",
)
def show_scene(search, shown_query, drawn, mode):
    """A link the page did not write itself (the first load, back, forward) draws its scene."""
    result = from_query(search or f"?lesson={DEFAULT_LESSON}")
    if search and result.lesson is None and result.scene == Scene() and not result.warnings:
        result = from_query(f"?lesson={DEFAULT_LESSON}&{search.lstrip('?')}")  # settings only: the default lesson
    outputs = page(result.scene, result.lesson, list(result.warnings), shown_query, drawn, mode, rebuild=True,
                   settings=result.settings)
    return outputs[:1] + (no_update,) + outputs[2:]  # the address bar keeps the link as it was opened


clientside_callback(  # only links the page did not write itself go on to show_scene
    """function(search, shown) {
        if (shown !== undefined && shown !== null && search === shown) return window.dash_clientside.no_update;
        return search || "";
    }""",
    Output("nav", "data"),
    Input("url", "search"),
    State("scene-query", "data"),
)


@callback(
    Output("surface-graph", "figure", allow_duplicate=True),
    Output("contour-data", "data", allow_duplicate=True),
    Output("drawn", "data", allow_duplicate=True),
    Input("plotly-mode", "data"),
    State("scene-query", "data"),
    prevent_initial_call=True,
)
def view_mode_changed(mode, query):
    """Switch between the contour map and the 3D surface of the same scene (once plotly.js can draw it)."""
    mode = validate.view_mode(mode)
    result = from_query(query or "")
    lesson = LESSONS.get(result.lesson)
    title = lesson.title(result.settings.lang) if lesson else None
    return main_figure(result.scene, simulate(result.scene), title, None, mode, result.settings)


@callback(
    Output("surface-graph", "figure", allow_duplicate=True),
    Input("surface-graph", "relayoutData"),
    State("scene-query", "data"),
    prevent_initial_call=True,
)
def view_zoomed(relayout, query):
    """Draw the paths again for the zoomed view, thinned over what is in view only, so that
    zooming in shows the real zigzag, not a magnified sketch of it."""
    scene = from_query(query or "").scene
    box = validate.zoom_box(relayout, scene.view_box)
    if box is None or "scene.camera" in validate.mapping(relayout):
        return no_update
    patch = Patch()
    for i, traj in enumerate(simulate(scene)):
        keep = thin_in_view(traj.x, traj.y, box, MAX_PATH_POINTS)
        gap = keep < 0  # NaN breaks the line there: Plotly draws nothing between stretches
        safe = np.where(gap, 0, keep)
        patch["data"][1 + i]["x"] = typed_arrays(np.where(gap, np.nan, traj.x[safe]))
        patch["data"][1 + i]["y"] = typed_arrays(np.where(gap, np.nan, traj.y[safe]))
        patch["data"][1 + i]["customdata"] = keep.tolist()  # a plain list, for clickData (lab.figures.page_layers)
        if shows_epoch_ends(traj.updates_per_epoch, len(traj.x)):  # the dots follow the points drawn
            patch["data"][1 + i]["marker"] = typed_arrays(epoch_markers(safe, traj.updates_per_epoch, run_color(i)))
    return patch


clientside_callback(  # the panels after the main plot: it is drawn first, they follow a frame later
    """function(figure) {
        return new Promise(function(done) {
            requestAnimationFrame(function() { setTimeout(function() { done(figure); }, 0); });
        });
    }""",
    Output("panels-graph", "figure"),
    Input("panels-data", "data"),
    prevent_initial_call=True,
)
clientside_callback(  # the contour layer under the plot: assets/layers.js
    ClientsideFunction("errorSurfaceLayers", "load"), Input("contour-data", "data")
)
clientside_callback(  # the 3D view waits for plotly.js's full bundle (assets/layers.js)
    ClientsideFunction("errorSurfaceLayers", "mode"), Output("plotly-mode", "data"), Input("view-mode", "value"),
    prevent_initial_call=True,
)
clientside_callback(
    "function(n) { return window.location.href; }",
    Output("copy-link", "content"),
    Input("copy-link", "n_clicks"),
    prevent_initial_call=True,
)
