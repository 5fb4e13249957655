"""The scene controls: surface, steps, start, seed, and the runs editor (up to 8 runs).

Controls are built from a Scene and read back as raw values; ``lab.query``
turns those into a validated scene with warnings, the same path a link takes.
Run controls use pattern-matching ids {"type": "run-lr", "index": i}, so one
callback reads every run.
"""

from __future__ import annotations

import math

from dash import dcc, html

from lab.figures import run_color
from lab.query import number_text
from lab.scene import MAX_RUNS, MAX_STEPS, Run, Scene
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


def _choice(id_, label: str, registry, value) -> list:
    """A labelled dropdown over a registry of specs (each with .name and .label)."""
    return [
        html.Label(label, htmlFor=_dom_id(id_), className="field-label"),
        dcc.Dropdown(id=id_, options=[{"label": s.label, "value": s.name} for s in registry.values()],
                     value=value, clearable=False),
    ]


def _param_fields(index: int, kind: str, params, values: dict) -> list:
    return [
        _number_input(
            {"type": kind, "index": index, "name": p.name},
            number_text(values[p.name]) if p.name in values else "",
            p.label,
            placeholder=number_text(p.default),
        )
        for p in params
    ]


def _surface_picker(scene: Scene) -> list:
    """Built-in surfaces, the gallery of classic test functions, and "your own formula"."""
    options = [{"label": s.label, "value": name} for name, s in SURFACES.items() if name not in GALLERY]
    options += [{"label": f"{s.label} (test function)", "value": name} for name, s in GALLERY.items()]
    options.append({"label": "Your own formula f(x, y) …", "value": FORMULA})
    return [
        html.Label("surface", htmlFor="surface", className="field-label"),
        dcc.Dropdown(id="surface", options=options, value=scene.surface, clearable=False),
    ]


def _formula_box(scene: Scene) -> list:
    """The formula, typed (on FORMULA) or shown, with where its errors appear."""
    surface = scene.surface_record
    box = scene.view_box
    view = html.Div(
        className="row",
        children=[
            _number_input("view-x", f"{number_text(box.x_min)}, {number_text(box.x_max)}", "x from, to"),
            _number_input("view-y", f"{number_text(box.y_min)}, {number_text(box.y_max)}", "y from, to"),
        ],
    )
    view = html.Div([view, html.P(id="view-error", className="formula-error", role="alert")])
    if scene.surface != FORMULA:
        editable = scene.surface in GALLERY
        return [
            html.P(surface.formula, className="formula"),
            *([html.Button("Edit as a formula", id={"type": "edit-formula", "index": 0},
                           title="Type your own changes to this function")] if editable else []),
            view,
        ]
    names = ", ".join((*ALLOWED_FUNCTIONS, *ALLOWED_CONSTANTS))
    return [
        html.Label("f(x, y) =", htmlFor=_dom_id(FORMULA_ID), className="field-label"),
        dcc.Input(id=FORMULA_ID, type="text", value=scene.formula, debounce=True, maxLength=MAX_LENGTH,
                  className="number formula-input", spellCheck=False, autoComplete="off",
                  placeholder="e.g. x^2 + 10*y^2"),
        html.Pre(id=FORMULA_ERROR_ID, className="formula-error", role="alert"),
        html.P(f"+ − * / ^ ( ), x, y, numbers, {names}. Press Enter to draw.", className="hint"),
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


def run_card(index: int, run: Run, scene: Scene) -> html.Fieldset:
    """The controls of one run."""
    data = scene.surface_record.data
    spec = OPTIMIZERS[run.optimizer]
    schedule = SCHEDULES[run.schedule]
    lr_log = min(max(math.log10(run.lr), LR_SLIDER[0]), LR_SLIDER[1])
    batch = []
    if data is not None:
        batch = [
            _number_input({"type": "run-batch", "index": index}, str(run.batch_size or data.n_examples),
                          f"batch size (1 to {data.n_examples})"),
            dcc.Checklist(
                id={"type": "run-shuffle", "index": index},
                options=[{"label": " shuffle every epoch", "value": "on"}],
                value=["on"] if run.shuffle else [],
                className="checkbox",
            ),
        ]
    return html.Fieldset(
        className="run-card",
        style={"borderLeftColor": run_color(index)},
        children=[
            html.Legend(f"Run {index + 1}"),
            *_choice({"type": "run-optimizer", "index": index}, "optimizer", OPTIMIZERS, run.optimizer),
            _number_input({"type": "run-lr", "index": index}, number_text(run.lr), "learning rate η"),
            dcc.Slider(
                id={"type": "run-lr-slider", "index": index},
                min=LR_SLIDER[0], max=LR_SLIDER[1], step=0.1, value=round(lr_log, 1),
                marks={d: f"1e{d}" for d in range(LR_SLIDER[0], LR_SLIDER[1] + 1, 2)},
                updatemode="mouseup",
                allow_direct_input=False,
                tooltip={"placement": "bottom", "template": "10^{value}"},
            ),
            *_choice({"type": "run-schedule", "index": index}, "schedule", SCHEDULES, run.schedule),
            html.Div(className="params", children=_param_fields(index, "run-sched", schedule.params, dict(run.schedule_params))),
            html.Div(className="params", children=_param_fields(index, "run-param", spec.params, dict(run.params))),
            *batch,
            _number_input({"type": "run-label", "index": index}, run.label, "label (empty: made from the settings)", maxLength=60),
            html.Div(
                className="run-buttons",
                children=[
                    html.Button("Duplicate", id={"type": "run-duplicate", "index": index},
                                disabled=len(scene.runs) >= MAX_RUNS),
                    html.Button("Remove", id={"type": "run-remove", "index": index}, disabled=len(scene.runs) <= 1),
                    html.Button("Learning-rate sweep", id={"type": "run-sweep", "index": index},
                                title="Replace this run by the same optimizer at η = 1e-2 … 1e-7"),
                ],
            ),
        ],
    )


def scene_controls(scene: Scene | None) -> list:
    """Every control of the scene, filled from ``scene`` (the default scene when None)."""
    scene = scene or Scene()
    surface = scene.surface_record
    x, y = scene.start_point
    epochs = []
    if surface.data is not None:
        epochs = [_number_input({"type": "epochs", "index": 0}, str(scene.epochs) if scene.epochs else "",
                                "epochs (instead of steps; empty = use steps)")]
    return [
        *_surface_picker(scene),
        *_formula_box(scene),
        html.Div(
            className="row",
            children=[
                _number_input("steps", str(scene.steps), "steps: not used, epochs are set" if scene.epochs
                              else f"steps (10 to {MAX_STEPS:,})", disabled=bool(scene.epochs)),
                *epochs,
                _number_input("seed", str(scene.seed), "seed"),
            ],
        ),
        html.Div(
            className="row",
            children=[
                _number_input("start-x", number_text(x), "start x"),
                _number_input("start-y", number_text(y), "start y"),
            ],
        ),
        html.P("Click the plot to move the start.", className="hint"),
        html.Div(id="runs", children=[run_card(i, run, scene) for i, run in enumerate(scene.runs)]),
        html.Button("Add a run", id="add-run", disabled=len(scene.runs) >= MAX_RUNS),
    ]


def structure(scene: Scene) -> tuple:
    """What decides which controls exist: rebuild them only when this changes."""
    has_data = scene.surface_record.data is not None
    return scene.surface, has_data, tuple((r.optimizer, r.schedule) for r in scene.runs)


def sweep(run: Run, room: int) -> tuple[Run, ...]:
    """The same run at the lecture's decades of η, as many as fit in ``room`` runs."""
    return tuple(
        Run(run.optimizer, lr, run.params, run.schedule, run.schedule_params, run.batch_size, run.shuffle)
        for lr in SWEEP_DECADES[: max(room, 1)]
    )
