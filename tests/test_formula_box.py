"""The formula and view boxes: what they write, what they refuse, and what the other controls keep."""

from __future__ import annotations

import pytest

from lab.scene import Run, Scene
from surfaces import FORMULA, GALLERY_ENTRIES
from surfaces.base import Box
from surfaces.formula import FormulaError
from ui import editor
from ui.formula_box import edited_as_formula, formula_message, parse_range, typed_scene


@pytest.mark.parametrize("text, expected", [("-3, 3", (-3, 3)), ("-3 3", (-3, 3)), (" -1e-3 ,2 ", (-1e-3, 2)),
                                            ("0 to 5", (0, 5))])
def test_a_range_reads_two_numbers(text, expected):
    assert parse_range(text, "x") == expected


@pytest.mark.parametrize("text", ["", "3", "1, 2, 3", "a, b", "3, -3", "1, 1", "nan, 1", "-inf, 0", None])
def test_a_bad_range_says_what_to_type(text):
    with pytest.raises(ValueError, match="x range"):
        parse_range(text, "x")


def test_a_typed_formula_and_view_make_the_scene_and_a_typo_is_refused_with_its_place():
    scene = Scene("bowl", (Run("adam", lr=0.1),))
    typed = typed_scene(scene, "x^2 + 3*y^2", "-2, 2", "-1, 1")
    assert (typed.surface, typed.formula, typed.view_box, typed.runs) == (FORMULA, "x^2 + 3*y^2", Box(-2, 2, -1, 1), scene.runs)
    with pytest.raises(FormulaError) as caught:
        typed_scene(scene, "x^2 + 3*y^", "-3, 3", "-3, 3")
    message = formula_message(caught.value)
    assert "\n" in message and message.splitlines()[-1].strip() == "^"  # the caret under the place


def test_a_view_alone_applies_to_any_surface_and_the_start_stays_while_inside_it():
    scene = Scene("saddle", start=(0.5, 0.1))
    typed = typed_scene(scene, None, "-1, 1", "-0.5, 0.5")
    assert typed.surface == "saddle" and typed.view_box == Box(-1, 1, -0.5, 0.5) and typed.start == (0.5, 0.1)
    assert typed_scene(scene, None, "-1, 0", "-0.5, 0.5").start is None  # outside: the surface's own


def test_editing_a_gallery_function_types_the_same_function_at_the_same_place():
    scene = Scene("rosenbrock", (Run("momentum", lr=1e-3),), start=(-1.0, 2.0))
    edited = edited_as_formula(scene)
    assert edited.surface == FORMULA and edited.formula == GALLERY_ENTRIES["rosenbrock"].formula
    assert edited.start_point == (-1.0, 2.0) and edited.view_box == scene.view_box
    assert edited.surface_record.value(0.5, 0.5) == scene.surface_record.value(0.5, 0.5)


def test_the_other_controls_keep_the_formula_and_view_on_screen():
    on_screen = Scene(FORMULA, formula="x^2 + y^2", view=(-1, 1, -1, 1))
    assert editor.surface_fields(FORMULA, on_screen) == {"surface": FORMULA, "formula": "x^2 + y^2",
                                                       "view": (-1, 1, -1, 1)}
    # picking the formula from a built-in surface starts from the starter formula at the new surface's start
    fields = editor.surface_fields(FORMULA, Scene("bowl"))
    assert fields["formula"] == editor.STARTER_FORMULA and fields["start"] is None
    # from a gallery function, that function's formula over its view
    fields = editor.surface_fields(FORMULA, Scene("ackley"))
    assert fields["formula"] == GALLERY_ENTRIES["ackley"].formula
    # another surface drops the formula, the view and the start
    assert editor.surface_fields("saddle", on_screen) == {"surface": "saddle", "view": None, "start": None}


def test_the_editor_shows_the_formula_box_only_for_a_formula_and_an_edit_button_for_the_gallery():
    def ids(scene):
        found = []

        def walk(node):
            if isinstance(node, (list, tuple)):
                for n in node:
                    walk(n)
            elif hasattr(node, "to_plotly_json"):
                found.append(getattr(node, "id", None))
                walk(getattr(node, "children", None))

        walk(editor.scene_controls(scene))
        return found

    assert editor.FORMULA_ID in ids(Scene(FORMULA, formula="x^2"))
    assert editor.FORMULA_ID not in ids(Scene("bowl"))
    assert {"type": "edit-formula", "index": 0} in ids(Scene("rastrigin"))
    assert {"type": "edit-formula", "index": 0} not in ids(Scene("bowl"))
    assert "view-x" in ids(Scene("bowl")) and "view-error" in ids(Scene("bowl"))


def _component(tree, id_):
    """The component with ``id_`` in a Dash layout (lists and children walked)."""
    if isinstance(tree, (list, tuple)):
        return next((c for c in (_component(t, id_) for t in tree) if c is not None), None)
    if getattr(tree, "id", None) == id_:
        return tree
    children = getattr(tree, "children", None)
    return _component(children, id_) if children is not None else None


def _all_components(tree):
    if isinstance(tree, (list, tuple)):
        return [c for t in tree for c in _all_components(t)]
    children = getattr(tree, "children", None)
    return [tree, *(_all_components(children) if children is not None and not isinstance(children, str) else [])]


def test_a_link_with_a_refused_formula_puts_its_text_and_error_in_the_box():
    from lab.query import from_query

    result = from_query("?formula=x^2%2B10*sinn(y)")
    assert result.scene.surface != FORMULA  # the page draws the fallback
    refused = editor.refused_formula_box(result.warnings, "en")
    assert refused[0] == "x^2+10*sinn(y)"
    sentence, text, caret = refused[1].splitlines()
    assert "Unknown function 'sinn' at position 8" in sentence
    assert (text, caret) == ("x^2+10*sinn(y)", " " * 7 + "^")  # as under a typed formula
    assert "位置 8" in editor.refused_formula_box(result.warnings, "zh")[1]
    controls = editor.scene_controls(result.scene, refused=editor.refused_of(["?", 1, refused]))
    assert _component(controls, editor.FORMULA_ID).value == "x^2+10*sinn(y)"
    assert _component(controls, editor.FORMULA_ERROR_ID).children == refused[1]
    notes = [c.children for c in _all_components(controls) if "refused-fallback" in (getattr(c, "className", "") or "")]
    assert notes == ["Not drawn: the plot shows the Elongated valley until this formula can be drawn."]  # as picked above
    assert _component(editor.scene_controls(result.scene), editor.FORMULA_ID) is None  # no refusal: no box
    assert editor.refused_formula_box(from_query("?steps=oops").warnings) is None
    assert editor.refused_of(["?", 1, ["a", 3]]) is None and editor.refused_of(["?", 1]) is None  # a forged key
