"""The step inspector panel: one update of one run, in the lecture's notation with its numbers.

A step is picked with the player's scrubber (the frame's step), by clicking a point of a path
on the main plot, or by typing t; the run by the picker or the click. The panel shows the
update as rendered math (dcc.Markdown with MathJax, served by the app itself), a table of the
per-parameter numbers (each cell has an id and a data-value with the full number, for tests),
and a legend of the arrows. The arrows at theta^t go to the store ``inspector-arrows``;
assets/inspector.js draws them on #surface-graph as layout annotations named "inspector-*"
(the figure's own annotations are left alone) and says in the panel which arrows are too short
to see or leave the view, since only the browser knows the pixels.
"""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, callback, clientside_callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from lab.animation import animation_data
from lab.figures import scene_key
from lab.inspector import Inspection, inspect_step
from lab.query import from_query
from lab.simulate import Trajectory, simulate
from lab.strings import LANGS, UI, registry_label, run_label, ui_text
from lab.validate import finite

# Arrow colours (colour, halo): told apart by lightness as well as hue, so with any colour vision,
# and none of them a saturated Okabe-Ito run colour but black (run 7), which wears a white halo.
ARROW_STYLES = {
    "gradient": ("#EE3377", "#FFFFFF"),  # Tol's vibrant magenta
    "momentum": ("#FFFFFF", "#000000"),
    "step": ("#000000", "#FFFFFF"),
}
PLOT_LABELS = {"gradient": "−ηgᵗ", "step": "θᵗ⁺¹−θᵗ"}
PARAMS = (("x", "θ₁ (x)"), ("y", "θ₂ (y)"))


# ------------------------------------------------------------------ pure helpers


def whole(value) -> int | None:
    """A whole number from an input's value (a number, or the text of one), else None."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    x = finite(value)
    return int(x) if x is not None and x == int(x) else None


def path_point(click, n_runs: int) -> tuple[int, int] | None:
    """(run index, position index) of a click on a point of a run's path on the contour view, else None.

    The paths are traces 1..n_runs of lab.figures.page_layers, and their customdata is the index
    of each drawn point in the full trajectory (thinning keeps it right). A 3D point has a z and
    its customdata is the loss, so it is not a path point here."""
    points = click.get("points") if isinstance(click, dict) else None
    if not (isinstance(points, list) and points and isinstance(points[0], dict)):
        return None
    point = points[0]
    curve, index = whole(point.get("curveNumber")), point.get("customdata")
    if isinstance(index, list) and len(index) == 1:
        index = index[0]
    index = None if isinstance(index, str) else whole(index)
    if "z" in point or curve is None or index is None or not 1 <= curve <= n_runs or index < 0:
        return None
    return curve - 1, index


def frame_position(scene, trajectories, frame: int, run: int) -> int:
    """The position index of run ``run`` at the player's frame ``frame`` (its steps, or its epochs
    times the run's updates per epoch), held at the run's last position as the player holds it."""
    data = animation_data(scene, trajectories)
    steps = data["steps"]
    at = steps[max(0, min(frame, len(steps) - 1))]
    traj = trajectories[run]
    per = traj.updates_per_epoch if data["unit"] == "epoch" else 1
    return max(0, min(int(round(at * per)), len(traj.x) - 1))


def update_at(traj: Trajectory, position: int) -> tuple[int | None, bool]:
    """(update t that starts at ``position``, whether it is the run's end): the end has no update
    of its own, so the one that led there is shown. None when the run made no update."""
    if traj.steps == 0:
        return None, False
    if position >= traj.steps:
        return traj.steps - 1, True
    return max(position, 0), False


def number(value: float) -> str:
    """A table number: 4 significant digits, a true minus sign."""
    return f"{value:.4g}".replace("-", "−")


def rows(inspection: Inspection) -> list[tuple[str, str]]:
    """(field of ParamUpdate, label) of each row the optimizer has, in the lecture's notation."""
    name = inspection.optimizer
    out = [("theta", "θᵢᵗ"), ("grad", "gᵢᵗ")]
    if name == "momentum":
        out.append(("momentum", "mᵢᵗ⁺¹ = λmᵢᵗ − ηᵗgᵢᵗ"))
    if name in ("adam", "radam"):
        out += [("m", "mᵢᵗ"), ("v", "vᵢᵗ"), ("m_hat", "m̂ᵢᵗ"), ("v_hat", "v̂ᵢᵗ")]
    if name == "radam":
        out.append(("rectification", "rₜ"))
    if inspection.params[0].sigma is not None:
        out.append(("sigma", "σᵢᵗ"))
    out.append(("eta", "ηᵗ"))
    if inspection.params[0].sigma is not None or name in ("adam", "radam"):  # else it is eta^t, just above
        out.append(("effective_lr", {"adam": "ηᵗ/(√v̂ᵢᵗ+ε)", "radam": "ηᵗrₜ/(√v̂ᵢᵗ+ε)"}.get(name, "ηᵗ/σᵢᵗ")))
    out.append(("step", "θᵢᵗ⁺¹ − θᵢᵗ"))
    return out


def arrow_store(inspection: Inspection, scene, lang: str) -> dict:
    """What assets/inspector.js draws: the arrows at theta^t, and the sentences it may need."""
    momentum = "λmᵗ" if inspection.optimizer == "momentum" else "−ηm̂ᵗ"
    arrows = [
        dict(kind=a.kind, x=a.x, y=a.y, dx=a.dx, dy=a.dy, color=ARROW_STYLES[a.kind][0], halo=ARROW_STYLES[a.kind][1],
             label=PLOT_LABELS.get(a.kind, momentum))
        for a in inspection.arrows
    ]
    # templates: the browser fills in {label}, {px} and {scale}
    text = {k: UI[f"inspector.{k}"][LANGS.index(lang)] for k in ("short", "leaves", "scaled", "flat_view")}
    return dict(scene=scene_key(scene), t=inspection.t, arrows=arrows, text=text)


# ------------------------------------------------------------------ components


def panel(lang: str = "en") -> html.Div:
    """The inspector: run picker, step input, the update written out, its numbers, the arrows' legend."""
    return html.Div(
        id="inspector",
        className="inspector",
        role="region",
        **{"aria-label": ui_text("inspector.title", lang)},
        children=[
            html.H2(html.Button(
                ui_text("inspector.title", lang), id="inspector-toggle", n_clicks=0, className="inspector-toggle",
                title=ui_text("inspector.open_title", lang), **{"aria-expanded": "false", "aria-controls": "inspector-content"},
            ), className="inspector-title"),
            # Only what an open inspector shows reaches the server (assets/inspector.js, "gate"): a
            # classroom of closed inspectors costs the server nothing per change.
            dcc.Store(id="inspector-query"),
            dcc.Store(id="inspector-frame"),
            dcc.Store(id="inspector-click"),
            html.Div(id="inspector-content", hidden=True, children=[
            html.Div(
                className="inspector-pickers",
                children=[
                    html.Label(ui_text("inspector.run", lang), htmlFor="inspector-run", className="field-label"),
                    dcc.Dropdown(id="inspector-run", options=[], value=None, clearable=False, searchable=False,
                                 className="inspector-run"),
                    html.Label(ui_text("inspector.step", lang), htmlFor="inspector-step", className="field-label"),
                    dcc.Input(id="inspector-step", type="number", min=0, step=1, debounce=True,
                              className="number inspector-step"),
                ],
            ),
            html.Div(id="inspector-body", className="inspector-body",
                     children=html.P(ui_text("inspector.pick", lang), className="hint")),
            html.P(id="inspector-arrow-notes", className="hint inspector-arrow-notes", role="status"),
            ]),
            dcc.Store(id="inspector-arrows"),
        ],
    )


def _math(inspection: Inspection) -> str:
    blocks = []
    for p, (_, title) in zip(inspection.params, PARAMS):
        blocks.append(f"**{title}**")
        blocks.extend(f"$$\n{line}\n$$" for line in p.latex[1:])  # latex[0] is "t = ...", said above
    return "\n\n".join(blocks)


def _table(inspection: Inspection, lang: str) -> html.Table:
    head = html.Tr([html.Th(ui_text("inspector.quantity", lang), scope="col"),
                    *[html.Th(title, scope="col") for _, title in PARAMS]])
    body = []
    for field, label in rows(inspection):
        cells = []
        for p in inspection.params:
            value = getattr(p, field)
            cells.append(html.Td(number(value), id=f"inspector-{field}-{p.name}", **{"data-value": repr(float(value))}))
        body.append(html.Tr([html.Th(label, scope="row"), *cells]))
    return html.Table(className="inspector-table", children=[
        html.Caption(ui_text("inspector.table", lang, t=inspection.t)), html.Thead(head), html.Tbody(body)])


def _legend(inspection: Inspection, lang: str) -> html.Div:
    names = {"gradient": ui_text("inspector.gradient", lang), "step": ui_text("inspector.taken", lang),
             "momentum": ui_text("inspector.momentum_lambda" if inspection.optimizer == "momentum"
                                 else "inspector.momentum_adam", lang)}
    items = []
    for a in inspection.arrows:
        color, halo = ARROW_STYLES[a.kind]
        swatch = html.Span("━━➤", className="inspector-swatch",
                           style={"color": color, "textShadow": f"0 0 2px {halo}, 0 0 2px {halo}, 0 0 1px {halo}"})
        items.append(html.Li([swatch, " ", names[a.kind]], **{"data-kind": a.kind}))
    return html.Div(className="inspector-legend",
                    children=[html.Span(ui_text("inspector.arrows", lang)), html.Ul(items)])


def body(inspection: Inspection, traj: Trajectory, lang: str, note: str = "", run: int = 0) -> list:
    optimizer = registry_label("optimizer", inspection.optimizer, lang)
    head = ui_text("inspector.update", lang, t=inspection.t, run=run_label(traj.run, lang), optimizer=optimizer)
    return [
        html.P(head, className="inspector-head", **{"data-t": str(inspection.t), "data-run": str(run)}),
        *([html.P(note, className="hint inspector-note")] if note else []),
        dcc.Markdown(_math(inspection), mathjax=True, className="inspector-math"),
        _table(inspection, lang),
        _legend(inspection, lang),
    ]


def sentence(text: str) -> list:
    return [html.P(text, className="inspector-message", role="status")]


# ------------------------------------------------------------------ callbacks


@callback(
    Output("inspector", "hidden"),
    Output("inspector-run", "options"),
    Output("inspector-run", "value"),
    Output("inspector-step", "value"),
    Output("inspector-step", "max"),
    Output("inspector-body", "children"),
    Output("inspector-arrows", "data"),
    Input("inspector-query", "data"),
    Input("inspector-frame", "data"),
    Input("inspector-click", "data"),
    Input("inspector-run", "value"),
    Input("inspector-step", "value"),
    prevent_initial_call=True,
)
def inspector_update(query, frame, click, run_value, step_value):
    """The page's scene, scrubber and clicks arrive through the gate's stores, only while it is open."""
    if query == "":  # closed: take the arrows off the plot
        return (no_update,) * 6 + (None,)
    trigger = GATED.get(ctx.triggered_id, ctx.triggered_id)
    return inspector_outputs(trigger, query, frame, click, run_value, step_value)


GATED = {"inspector-query": "scene-query", "inspector-frame": "anim-scrubber", "inspector-click": "surface-graph"}


def inspector_outputs(trigger, query, frame, click, run_value, step_value) -> tuple:
    """The panel's outputs for the event ``trigger`` (the id of the input that changed); raises
    PreventUpdate for a click that is not on a path (it moves the start instead)."""
    if not isinstance(query, str):
        raise PreventUpdate  # no scene drawn yet: the page's first callback writes it
    result = from_query(query)
    lang = result.settings.lang
    if result.settings.hides("inspector"):
        return True, [], None, no_update, no_update, [], None
    scene = result.scene
    trajectories = simulate(scene)
    options = [{"label": f"{i + 1}: {run_label(t.run, lang)}", "value": i} for i, t in enumerate(trajectories)]
    if not trajectories:
        return False, options, None, None, 0, sentence(ui_text("inspector.no_runs", lang)), None
    run = whole(run_value)
    run = run if run is not None and 0 <= run < len(trajectories) else 0
    typed = whole(step_value)
    if trigger == "surface-graph":
        picked = path_point(click, len(trajectories))
        if picked is None:
            raise PreventUpdate  # not on a path: the click moves the start (ui/callbacks.plot_clicked)
        run, position = picked
    elif trigger == "anim-scrubber" or typed is None:
        k = whole(frame)
        position = frame_position(scene, trajectories, k if k is not None else 10**9, run)
    elif trigger == "inspector-step" and not 0 <= typed < trajectories[run].steps:
        traj = trajectories[run]
        message = ui_text("inspector.out_of_range", lang, step=typed, run=run_label(traj.run, lang),
                          last=max(traj.steps - 1, 0))
        return False, options, run, no_update, max(traj.steps - 1, 0), sentence(message), None
    else:  # the step typed, kept for another run or scene (within the run's updates)
        position = max(0, min(typed, trajectories[run].steps - 1))
    traj = trajectories[run]
    t, at_end = update_at(traj, position)
    if t is None:
        text = traj.message.text(lang) if hasattr(traj.message, "text") else str(traj.message)
        message = ui_text("inspector.no_updates", lang, run=run_label(traj.run, lang), message=text)
        return False, options, run, None, 0, sentence(message), None
    inspection = inspect_step(traj, t)
    note = ui_text("inspector.at_end", lang, end=position, run=run_label(traj.run, lang)) if at_end else ""
    return (False, options, run, t, traj.steps - 1, body(inspection, traj, lang, note, run),
            arrow_store(inspection, scene, lang))


clientside_callback(  # open or closed; while open, hand the scene, the scrubber and clicks on
    ClientsideFunction("errorSurfaceInspector", "gate"),
    Output("inspector-content", "hidden"),
    Output("inspector-toggle", "aria-expanded"),
    Output("inspector-query", "data"),
    Output("inspector-frame", "data"),
    Output("inspector-click", "data"),
    Input("inspector-toggle", "n_clicks"),
    Input("scene-query", "data"),
    Input("anim-scrubber", "value"),
    Input("surface-graph", "clickData"),
)
clientside_callback(  # the arrows on the main plot: assets/inspector.js
    ClientsideFunction("errorSurfaceInspector", "draw"), Input("inspector-arrows", "data")
)
