"""The surface's formula and view box: typed, checked here, and written to the URL only when usable.

A formula with a typo must not throw away what was typed: it is checked before anything is
written, the error appears under the box (with a caret at the place), and the plot keeps the
last good surface. A usable formula or view goes to the URL like every other control.
"""

from __future__ import annotations

from dataclasses import replace

from dash import ALL, Input, Output, State, callback, ctx, no_update
from dash.exceptions import PreventUpdate

from lab.messages import in_language
from lab.query import from_query
from lab.scene import Scene
from lab.strings import ui_text
from surfaces import FORMULA, GALLERY_ENTRIES
from surfaces.base import Box
from surfaces.formula import FormulaError
from ui.callbacks import PAGE, PAGE_STATE, page
from ui.editor import formula_error_text


def parse_range(text, axis: str, lang: str = "en") -> tuple[float, float]:
    """'a, b' (or 'a b', 'a to b') as two finite numbers a < b, or a ValueError that says what to type."""
    parts = str(text or "").replace(" to ", ",").replace(";", ",").replace(",", " ").split()
    try:
        low, high = (float(p) for p in parts)
    except ValueError:
        raise ValueError(ui_text("view.range_format", lang, axis=axis)) from None
    if not (abs(low) < float("inf") and abs(high) < float("inf")) or not low < high:
        raise ValueError(ui_text("view.range_order", lang, axis=axis))
    return low, high


def formula_message(error: ValueError, lang: str = "en") -> str:
    """The error for the box in ``lang``: the sentence, and the text with a caret under the place when known."""
    return formula_error_text(in_language(error, lang), getattr(error, "caret", ""))


def typed_scene(scene: Scene, formula: str | None, view_x, view_y, lang: str = "en") -> Scene:
    """``scene`` with the typed formula (when the surface is one) and view; raises ValueError with the reason.

    The start stays where it is while it is inside the new view, so a class can compare formulas
    from one point; outside it, the surface's own start is taken."""
    view = Box(*parse_range(view_x, "x", lang), *parse_range(view_y, "y", lang))
    start = scene.start_point if view.contains(*scene.start_point) else None
    if formula is None:
        return replace(scene, view=view, start=start)
    return replace(scene, surface=FORMULA, formula=formula, view=view, start=start)


def edited_as_formula(scene: Scene) -> Scene:
    """A gallery function's scene turned into the same function typed in the formula box."""
    entry = GALLERY_ENTRIES[scene.surface]
    return replace(scene, surface=FORMULA, formula=entry.formula, view=scene.view_box, start=scene.start_point)


@callback(
    *PAGE,
    Output({"type": "formula-error", "index": ALL}, "children"),
    Output("view-error", "children"),
    Input({"type": "formula", "index": ALL}, "value"),
    Input("view-x", "value"),
    Input("view-y", "value"),
    State("lesson", "value"),
    *PAGE_STATE,
    prevent_initial_call=True,
)
def formula_or_view_typed(formulas, view_x, view_y, lesson_id, query, drawn, mode):
    if len(ctx.triggered) > 1:  # the controls were just drawn, not typed in
        raise PreventUpdate
    shown = from_query(query or "")
    scene, lang = shown.scene, shown.settings.lang
    formula = formulas[0] if formulas else None
    blank = [""] * len(formulas)
    unchanged = (no_update,) * len(PAGE)
    try:
        moved = typed_scene(scene, formula, view_x, view_y, lang)
    except FormulaError as error:
        return unchanged + ([formula_message(error, lang)] * len(formulas), "")
    except ValueError as error:  # the view (or a scene check): said under the view inputs
        return unchanged + (blank, in_language(error, lang))
    if moved == scene:
        return unchanged + (blank, "")
    # The controls stay as they are (no rebuild steals the focus) unless the start moved.
    rebuild = moved.start_point != scene.start_point
    return page(moved, lesson_id, [], query, drawn, mode, rebuild=rebuild) + (blank, "")


@callback(
    *PAGE,
    Input({"type": "edit-formula", "index": ALL}, "n_clicks"),
    State("lesson", "value"),
    *PAGE_STATE,
    prevent_initial_call=True,
)
def edit_as_formula(clicks, lesson_id, query, drawn, mode):
    if not ctx.triggered or not any(clicks):
        raise PreventUpdate  # a button just drawn, not clicked
    scene = from_query(query or "").scene
    if scene.surface not in GALLERY_ENTRIES:
        raise PreventUpdate
    return page(edited_as_formula(scene), lesson_id, [], query, drawn, mode, rebuild=True)
