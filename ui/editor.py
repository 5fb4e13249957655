"""The scene controls: surface, steps, start, seed, and the runs editor (up to 8 runs).

Controls are built from a Scene and read back as raw values; ``lab.query``
turns those into a validated scene with warnings, the same path a link takes.
Run controls use pattern-matching ids {"type": "run-lr", "index": i}, so one
callback reads every run. Every word is in the page's language; a control a
crafted link hides (``hide=optimizer,lr``) stays in the page, holding the
link's value for the callbacks, inside a ``hidden`` wrapper (``hidden_by_link``),
so it is neither seen nor read by a screen reader.
"""

from __future__ import annotations

import math
from dataclasses import replace

from dash import dcc, html

from lab.figures import run_color
from lab.page_settings import DEFAULT, PageSettings
from lab.messages import in_language
from lab.query import number_text, refused_formula
from lab.scene import LR_RANGE, MAX_RUNS, MAX_STEPS, MIN_STEPS, Run, Scene
from lab.strings import registry_label, ui_text
from optimizers import OPTIMIZERS
from optimizers.schedules import SCHEDULES
from surfaces import FORMULA, GALLERY, GALLERY_ENTRIES, SURFACES
from surfaces.formula import ALLOWED_CONSTANTS, ALLOWED_FUNCTIONS, MAX_LENGTH

LR_SLIDER = (-8, 1)  # log10 range of the learning-rate slider
STARTER_FORMULA = "x^2 + 10*y^2"  # the formula box's first content, when picked from a built-in surface
# Pattern ids: these exist only while the surface is a formula (or a gallery function), and a
# callback may listen to them with ALL without naming a missing component.
FORMULA_ID = {"type": "formula", "index": 0}
FORMULA_ERROR_ID = {"type": "formula-error", "index": 0}
SWEEP_DECADES = (1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7)  # the lecture's sweep
HIDDEN_CLASS = "hidden-by-link"


def hidden_by_link(name: str, settings: PageSettings, children: list) -> list:
    """``children`` as they are, or wrapped out of sight when the link hides control ``name``."""
    if not settings.hides(name):
        return children
    return [html.Div(children, hidden=True, className=HIDDEN_CLASS, **{"data-hidden": name})]


def _number_input(id_, value, label, **kwargs):
    return html.Div(
        className="field",
        children=[
            html.Label(label, htmlFor=_dom_id(id_), className="field-label"),
            dcc.Input(id=id_, type="text", inputMode="decimal", value=value, debounce=True, className="number", **kwargs),
        ],
    )


def _dom_id(id_) -> str:
    """The DOM id Dash gives a component id (pattern ids become sorted JSON)."""
    if isinstance(id_, dict):
        return "{" + ",".join(f'"{k}":{_json(v)}' for k, v in sorted(id_.items())) + "}"
    return id_


def _json(v) -> str:
    return str(v) if isinstance(v, int) else f'"{v}"'


def _choice(id_, label: str, kind: str, registry, value, lang: str = "en") -> list:
    """A labelled dropdown over a registry of specs (each with .name), labelled in ``lang``."""
    return [
        html.Label(label, htmlFor=_dom_id(id_), className="field-label"),
        dcc.Dropdown(id=id_, options=[{"label": registry_label(kind, s.name, lang), "value": s.name}
                                      for s in registry.values()],
                     value=value, clearable=False),
    ]


def _param_fields(index: int, kind: str, owner: str, params, values: dict, lang: str = "en") -> list:
    return [
        _number_input(
            {"type": kind, "index": index, "name": p.name},
            number_text(values[p.name]) if p.name in values else "",
            registry_label("param", p.name, lang, owner),
            placeholder=number_text(p.default),
        )
        for p in params
    ]


def _surface_picker(scene: Scene, lang: str = "en") -> list:
    """Built-in surfaces, the gallery of classic test functions, and "your own formula"."""
    options = [{"label": registry_label("surface", name, lang), "value": name}
               for name in SURFACES if name not in GALLERY]
    options += [{"label": ui_text("surface.test_function", lang, label=registry_label("surface", name, lang)),
                 "value": name} for name in GALLERY]
    options.append({"label": ui_text("surface.own_formula", lang), "value": FORMULA})
    return [
        html.Label(ui_text("editor.surface", lang), htmlFor="surface", className="field-label"),
        dcc.Dropdown(id="surface", options=options, value=scene.surface, clearable=False),
    ]


def formula_error_text(sentence: str, caret: str = "") -> str:
    """What the box shows under a refused formula: the sentence, then the text with a caret under the place."""
    return f"{sentence}\n{caret}" if caret else sentence


def refused_formula_box(warnings, lang: str = "en") -> list[str] | None:
    """[text, error] when the link's formula was refused, for the box to show as it shows a typed typo."""
    warning = refused_formula(warnings)
    if warning is None:
        return None
    params = warning.params
    return [params["formula"], formula_error_text(in_language(params["error"], lang), params["caret"])]


def refused_of(key) -> list[str] | None:
    """The [text, error] a controls key carries (page() adds it after the link and the time), if well-formed."""
    refused = key[2] if isinstance(key, list) and len(key) > 2 else None
    if isinstance(refused, list) and len(refused) == 2 and all(isinstance(t, str) for t in refused):
        return refused
    return None


def _formula_box(scene: Scene, lang: str = "en", refused: list[str] | None = None) -> list:
    """The formula, typed (on FORMULA) or shown, with where its errors appear.

    ``refused`` ([text, error]) is a link's formula that could not be used: the box holds that text with
    its error under it, as for a typo typed there, over the fallback surface the plot shows."""
    surface = scene.surface_record
    box = scene.view_box
    view = html.Div(
        className="row",
        children=[
            _number_input("view-x", f"{number_text(box.x_min)}, {number_text(box.x_max)}", ui_text("view.x", lang)),
            _number_input("view-y", f"{number_text(box.y_min)}, {number_text(box.y_max)}", ui_text("view.y", lang)),
        ],
    )
    view = html.Div([view, html.P(id="view-error", className="formula-error", role="alert")])
    if scene.surface != FORMULA and refused is None:
        editable = scene.surface in GALLERY
        return [
            html.P(surface.formula, className="formula"),
            *([html.Button(ui_text("surface.edit_formula", lang), id={"type": "edit-formula", "index": 0},
                           title=ui_text("surface.edit_formula_title", lang))] if editable else []),
            view,
        ]
    names = ", ".join((*ALLOWED_FUNCTIONS, *ALLOWED_CONSTANTS))
    return [
        html.Label("f(x, y) =", htmlFor=_dom_id(FORMULA_ID), className="field-label"),
        dcc.Input(id=FORMULA_ID, type="text", value=refused[0] if refused else scene.formula, debounce=True,
                  maxLength=MAX_LENGTH, className="number formula-input", spellCheck=False, autoComplete="off",
                  placeholder=ui_text("formula.placeholder", lang)),
        html.Pre(refused[1] if refused else None, id=FORMULA_ERROR_ID, className="formula-error", role="alert"),
        # the picker above names the fallback the plot shows: said here too, beside the text being fixed
        *([html.P(ui_text("formula.refused_fallback", lang, surface=registry_label("surface", scene.surface, lang)),
                  className="hint refused-fallback")] if refused else []),
        html.P(ui_text("formula.hint", lang, names=names), className="hint"),
        view,
    ]


def surface_fields(picked, current: Scene) -> dict:
    """The surface, formula and view the other controls keep: typing a formula or a view has its own
    callback (ui.formula_box), which checks it first; picking "your own formula" starts from the
    gallery function on screen, or from STARTER_FORMULA."""
    moved = {} if picked == current.surface else {"start": None}  # a new surface starts at its own start
    if picked != FORMULA:
        keep_view = picked == current.surface and current.view is not None
        return {"surface": picked, "view": tuple(current.view) if keep_view else None, **moved}
    if current.surface == FORMULA:
        formula, view = current.formula, current.view
    elif current.surface in GALLERY_ENTRIES:
        formula, view = GALLERY_ENTRIES[current.surface].formula, current.view_box
    else:
        formula, view = STARTER_FORMULA, None
    return {"surface": FORMULA, "formula": formula, "view": tuple(view) if view else None, **moved}


def run_card(index: int, run: Run, scene: Scene, settings: PageSettings = DEFAULT) -> html.Fieldset:
    """The controls of one run, in ``settings.lang``, those the link hides out of sight."""
    lang = settings.lang
    data = scene.surface_record.data
    spec = OPTIMIZERS[run.optimizer]
    schedule = SCHEDULES[run.schedule]
    lr_log = min(max(math.log10(run.lr), LR_SLIDER[0]), LR_SLIDER[1])
    batch = []
    if data is not None:
        batch = [
            _number_input({"type": "run-batch", "index": index}, str(run.batch_size or data.n_examples),
                          ui_text("run.batch", lang, count=data.n_examples)),
            dcc.Checklist(
                id={"type": "run-shuffle", "index": index},
                options=[{"label": ui_text("run.shuffle_box", lang), "value": "on"}],
                value=["on"] if run.shuffle else [],
                className="checkbox",
            ),
        ]
    hide = lambda name, *children: hidden_by_link(name, settings, list(children))
    return html.Fieldset(
        className="run-card",
        style={"borderLeftColor": run_color(index)},
        children=[
            html.Legend(ui_text("run.legend", lang, index=index + 1)),
            *hide("optimizer", *_choice({"type": "run-optimizer", "index": index}, ui_text("run.optimizer", lang),
                                        "optimizer", OPTIMIZERS, run.optimizer, lang)),
            *hide(
                "lr",
                _number_input({"type": "run-lr", "index": index}, number_text(run.lr), ui_text("run.lr", lang)),
                dcc.Slider(
                    id={"type": "run-lr-slider", "index": index},
                    min=LR_SLIDER[0], max=LR_SLIDER[1], step=0.1, value=round(lr_log, 1),
                    marks={d: f"1e{d}" for d in range(LR_SLIDER[0], LR_SLIDER[1] + 1, 2)},
                    updatemode="mouseup",
                    allow_direct_input=False,
                    tooltip={"placement": "bottom", "template": "10^{value}"},
                ),
            ),
            *hide(
                "schedule",
                *_choice({"type": "run-schedule", "index": index}, ui_text("run.schedule", lang), "schedule",
                         SCHEDULES, run.schedule, lang),
                html.Div(className="params", children=_param_fields(
                    index, "run-sched", run.schedule, schedule.params, dict(run.schedule_params), lang)),
            ),
            *hide("params", html.Div(className="params", children=_param_fields(
                index, "run-param", run.optimizer, spec.params, dict(run.params), lang))),
            *(hide("batch", *batch) if batch else []),
            *hide("label", _number_input({"type": "run-label", "index": index}, run.label, ui_text("run.label", lang),
                                         maxLength=60)),
            *hide("runs", html.Div(
                className="run-buttons",
                children=[
                    html.Button(ui_text("run.duplicate", lang), id={"type": "run-duplicate", "index": index},
                                disabled=len(scene.runs) >= MAX_RUNS),
                    html.Button(ui_text("run.remove", lang), id={"type": "run-remove", "index": index},
                                disabled=len(scene.runs) <= 1),
                    html.Button(ui_text("run.sweep", lang), id={"type": "run-sweep", "index": index},
                                title=ui_text("run.sweep_title", lang)),
                ],
            )),
        ],
    )


def scene_controls(scene: Scene | None, settings: PageSettings = DEFAULT, refused: list[str] | None = None) -> list:
    """Every control of the scene, filled from ``scene`` (the default scene when None), its words in
    ``settings.lang``; the controls ``settings.hide`` names are kept, out of sight (``hidden_by_link``).
    ``refused``: a link's formula that could not be used and its error, for the formula box."""
    scene = scene or Scene()
    settings = settings or DEFAULT
    lang = settings.lang
    surface = scene.surface_record
    x, y = scene.start_point
    epochs = []
    if surface.data is not None:
        epochs = [_number_input({"type": "epochs", "index": 0}, str(scene.epochs) if scene.epochs else "",
                                ui_text("scene.epochs", lang))]
    steps_label = (ui_text("scene.steps_unused", lang) if scene.epochs
                   else ui_text("scene.steps", lang, low=f"{MIN_STEPS:,}", limit=f"{MAX_STEPS:,}"))
    hide = lambda name, *children: hidden_by_link(name, settings, list(children))
    return [
        *hide("surface", *_surface_picker(scene, lang), *_formula_box(scene, lang, refused)),
        html.Div(
            className="row",
            children=[
                *hide("steps", _number_input("steps", str(scene.steps), steps_label, disabled=bool(scene.epochs)),
                      *epochs),
                *hide("seed", _number_input("seed", str(scene.seed), ui_text("scene.seed", lang))),
            ],
        ),
        *hide(
            "start",
            html.Div(
                className="row",
                children=[
                    _number_input("start-x", number_text(x), ui_text("scene.start_x", lang)),
                    _number_input("start-y", number_text(y), ui_text("scene.start_y", lang)),
                ],
            ),
            html.P(ui_text("plot.click_hint", lang), className="hint"),
        ),
        html.Div(id="runs", children=[run_card(i, run, scene, settings) for i, run in enumerate(scene.runs)]),
        *hide("runs", html.Button(ui_text("run.add", lang), id="add-run", disabled=len(scene.runs) >= MAX_RUNS)),
    ]


def structure(scene: Scene) -> tuple:
    """What decides which controls exist: rebuild them only when this changes."""
    has_data = scene.surface_record.data is not None
    return scene.surface, has_data, tuple((r.optimizer, r.schedule) for r in scene.runs)


ADD_ORDER = ("gd", "momentum", "adagrad", "rmsprop", "adam", "radam")  # the lecture's order


def added_run(runs: tuple[Run, ...]) -> Run:
    """The run "Add a run" adds: something new on the plot, not a copy drawn under the last run.

    The first optimizer of the lecture's order not yet in the scene, with the last run's learning rate,
    schedule and batches (its own default hyperparameters); once all six are there, the last run at a
    tenth of its learning rate. "Duplicate" remains the exact copy."""
    last = runs[-1]
    used = {run.optimizer for run in runs}
    new = next((name for name in ADD_ORDER if name not in used), None)
    if new is None:
        return replace(last, lr=max(last.lr / 10, LR_RANGE[0]), label="")
    return Run(new, last.lr, (), last.schedule, last.schedule_params, last.batch_size, last.shuffle)


def sweep(run: Run, room: int) -> tuple[Run, ...]:
    """The same run at the lecture's decades of η, as many as fit in ``room`` runs."""
    return tuple(
        Run(run.optimizer, lr, run.params, run.schedule, run.schedule_params, run.batch_size, run.shuffle)
        for lr in SWEEP_DECADES[: max(room, 1)]
    )
