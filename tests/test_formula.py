"""Typed formulas: hostile text is refused with a specific sentence; valid text gives exact surfaces."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surfaces import SURFACES
from surfaces.base import Box, Surface
from surfaces.formula import (
    DEFAULT_VIEW,
    GALLERY,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NODES,
    MAX_PAREN_DEPTH,
    FormulaError,
    formula_in_view_problem,
    formula_surface,
    gallery_surface,
    normalize_formula,
    parse_formula,
)
from surfaces.formula_parse import Binary, Call, Num, Unary

FUNCTIONS_LISTED = r"sin, cos, tan, exp, log, sqrt, abs, tanh, min, max"

# (hostile text, what the message must say). Every one must be refused by the parser itself.
HOSTILE = [
    ("__import__('os')", r"Unknown function '__import__' at position 1: the functions are " + FUNCTIONS_LISTED),
    ("().__class__.__bases__[0].__subclasses__()", r"Attribute access \('\.__subclasses__'\) at position 26"),
    ("x.real", r"Attribute access \('\.real'\) at position 2"),
    ("x[0]", r"Subscripts \('\[\.\.\.\]'\) at position 1"),
    ("lambda: 1", r"Lambda at position 1 cannot be used"),
    ("[x for x in (1, 2)]", r"Comprehensions at position 1"),
    ("{x for x in (1, 2)}", r"Comprehensions"),
    ("{x: 1 for x in (1, 2)}", r"Comprehensions"),
    ("sin(x for x in (1, 2))", r"Comprehensions at position 4"),
    ("f'{x}'", r"F-strings at position 1"),
    ("sin(x=1)", r"Keyword arguments at position 5"),
    ("9**9**9", r"The exponent at position 2 is 3\.8742e\+08; exponents are limited to \+-100"),
    ("x**(x**x)", r"towers of powers are not allowed"),
    ("2^(2^x)", r"towers of powers are not allowed"),
    ("x^1000", r"The exponent at position 2 is 1000"),
    ("(" * 300 + "x" + ")" * 300, r"601 characters; at most 200"),
    ("(" * 99 + "x" + ")" * 99, rf"Parentheses nest more than {MAX_PAREN_DEPTH} deep at position {MAX_PAREN_DEPTH + 1}"),
    ("x+" * 5000, r"10,000 characters; at most 200"),
    ("+".join(["x"] * 100), rf"The formula has 199 numbers, names and operations; at most {MAX_NODES}"),
    ("-" * 90 + "x", rf"nests more than {MAX_DEPTH} operations deep"),
    ("foo(x)", r"Unknown function 'foo' at position 1: the functions are " + FUNCTIONS_LISTED),
    ("eval('1')", r"Unknown function 'eval'"),
    ("1j", r"Complex numbers at position 1"),
    ("True", r"'True' at position 1 is not a number"),
    ("None", r"'None' at position 1 is not a number"),
    ("'abc'", r"Text in quotes at position 1"),
    ("b'x'", r"Text in quotes at position 1"),
    ("(y := 2)", r"Assignments \(':='\) at position 2"),
    ("sin(*x)", r"Starred arguments \('\*'\) at position 5"),
    ("sin(x)(y)", r"The result of a function call at position 7 cannot be called again"),
    ("...", r"'\.\.\.' at position 1 is not a number"),
    ("x < y", r"Comparisons at position 1"),
    ("x and y", r"Boolean operators \(and, or\)"),
    ("x if y else 1", r"If-expressions at position 1"),
    ("not x", r"The operator 'not' at position 1"),
    ("~x", r"The operator '~' at position 1"),
    ("x % 2", r"The remainder operator '%' at position 3"),
    ("x // 2", r"Floor division '//' at position 3"),
    ("x @ y", r"Matrix multiplication '@' at position 3"),
    ("x | y", r"The bitwise operator '\|' at position 3"),
    ("[x, y]", r"Lists"),
    ("x, y", r"Tuples"),
    ("{x}", r"Sets"),
    ("await x", r"Await at position 1"),
    ("1e999", r"The number at position 1 is too large for a 64-bit float"),
    ("x\x00", r"The character '\\x00' at position 2 is not allowed"),
    ("x # comment", r"The character '#' at position 3 is not allowed"),
    ("\uff58", r"The character 'ｘ' at position 1 is not allowed"),
    ("x\u00b2", r"The character '²' at position 2 is not allowed in a formula \(write powers as x\^2\)"),
    ("sin", r"'sin' at position 1 is a function: write sin\(\.\.\.\)"),
    ("min(x)", r"min\(\) at position 1 takes 2 arguments, not 1"),
    ("sin(x, y)", r"sin\(\) at position 1 takes 1 argument, not 2"),
    ("z + 1", r"Unknown name 'z' at position 1: use the variables x and y or the constants pi and e"),
    ("__builtins__", r"Unknown name '__builtins__'"),
    ("x(2)", r"'x' at position 1 is not a function"),
    ("", r"The formula is empty"),
    ("import os", r"cannot be read at position 1"),
    ("x = 1", r"cannot be read at position 3"),
    ("x +", r"The formula ends too early at position 4"),
    ("2x", r"A number runs into a name at position 1: write a product with '\*'"),
    ("sin(x", r"The '\(' at position 4 is never closed"),
    ("x)", r"The '\)' at position 2 has no matching '\('"),
]


def one_sentence(message: str) -> bool:
    """One line ending in a full stop (it may start with a quoted name such as 'True' or min())."""
    return bool(message) and "\n" not in message and message.endswith(".") and "Traceback" not in message


@pytest.mark.parametrize("text, expected", HOSTILE, ids=[repr(t[:24]) for t, _ in HOSTILE])
def test_hostile_input_is_refused_with_a_specific_sentence(text, expected):
    with pytest.raises(FormulaError) as caught:
        parse_formula(text)
    err = caught.value
    assert re.search(expected, str(err)), str(err)
    assert one_sentence(str(err)), str(err)
    assert err.position is None or 0 <= err.position <= len(text)
    with pytest.raises(FormulaError):  # the surface refuses it the same way
        formula_surface(text)


def test_there_are_at_least_thirty_hostile_inputs():
    assert len(HOSTILE) >= 30


def test_a_syntax_error_points_at_its_place_with_a_caret():
    with pytest.raises(FormulaError) as caught:
        parse_formula("x^2 + * y")
    err = caught.value
    assert err.position == 6 and "position 7" in str(err)  # people count from 1; the caret index from 0
    assert err.caret == "x^2 + * y\n      ^"


def test_non_text_and_bad_views_are_refused_with_a_sentence():
    for bad in (None, 3, ["x"]):
        with pytest.raises(FormulaError, match="must be text"):
            formula_surface(bad)
    for view in (Box(1, 0, 0, 1), (0, 1, 0, math.inf), (0, 1, 0), "abcd"):
        with pytest.raises(FormulaError, match="The view must"):
            formula_surface("x^2", view)


def test_a_surface_not_finite_over_most_of_the_view_says_so():
    with pytest.raises(FormulaError, match=r"log\(-x\^2 - 1\) is not a finite number over 100% of the view"):
        formula_surface("log(-x^2 - 1)")
    with pytest.raises(FormulaError, match=r"over 50\.5% of the view \(x in \[-3, 3\], y in \[-3, 3\]\)"):
        formula_surface("log(x)")  # x <= 0: 51 of the 101 grid columns
    surface = formula_surface("sqrt(x)")  # x >= 0 is 50.5% of the default view: accepted
    assert formula_in_view_problem(surface, Box(1, 3, -1, 1)) is None
    assert "100% of the view" in formula_in_view_problem(surface, Box(-3, -1, -1, 1))


# --- Reading: ^ is power, precedence and the canonical text -------------------------------------------------


def strip(node):
    """A tree without positions, to compare structure."""
    if isinstance(node, tuple) and hasattr(node, "pos"):
        return (type(node).__name__, *(strip(v) for k, v in node._asdict().items() if k != "pos"))
    if isinstance(node, tuple):
        return tuple(strip(v) for v in node)
    return node


def test_caret_is_power_and_binds_tighter_than_plus():
    assert strip(parse_formula("x^2 + y^2")) == strip(parse_formula("x**2 + y**2"))
    tree = parse_formula("x^2 + y^2")
    assert isinstance(tree, Binary) and tree.op == "+" and tree.left.op == "^" and tree.right.op == "^"
    surface = formula_surface("x^2 + y^2")
    assert surface.value(1.0, 2.0, math) == 5.0


@pytest.mark.parametrize(
    "text, x, y, expected",
    [
        ("-x^2", 3.0, 0.0, -9.0),  # -(x^2)
        ("2^3^2", 0.0, 0.0, 512.0),  # right-associative: 2^(3^2)
        ("(2^3)^2", 0.0, 0.0, 64.0),
        ("x - y - 1", 5.0, 2.0, 2.0),
        ("x / y / 2", 8.0, 2.0, 2.0),
        ("2^-1 + x", 1.0, 0.0, 1.5),
        ("pi - e", 0.0, 0.0, math.pi - math.e),
        ("1_000 * x", 0.002, 0.0, 2.0),
        ("x \u2212 y \u00d7 2", 5.0, 1.0, 3.0),  # typeset minus and times
    ],
)
def test_operators_follow_the_usual_precedence(text, x, y, expected):
    surface = formula_surface(text, Box(-10, 10, -10, 10))
    assert surface.value(x, y, math) == pytest.approx(expected, rel=1e-15)
    assert surface.value(x, y) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("x**2+y**2", "x^2 + y^2"),
        ("  (-x)^2 ", "(-x)^2"),
        ("-(x^2)", "-x^2"),
        ("2**-1", "2^(-1)"),
        ("x-(y-1)", "x - (y - 1)"),
        ("(x-y)-1", "x - y - 1"),
        ("(x*y)/(2*x)", "x*y/(2*x)"),
        ("(x^y)^2", "(x^y)^2"),
        ("min( x ,y )+1.50e0", "min(x, y) + 1.5"),
        ("1e-7*x", "1e-07*x"),
    ],
)
def test_the_canonical_text_is_minimal_and_reads_back_the_same(text, canonical):
    assert normalize_formula(text) == canonical
    assert strip(parse_formula(canonical)) == strip(parse_formula(text))
    assert formula_surface(text, Box(0.5, 3, 0.5, 3)).formula == canonical


# --- Values and exact gradients -----------------------------------------------------------------------------

GRID_BOX = Box(-2.0, 2.5, -1.5, 2.0)
# (formula, NumPy reference written independently) over GRID_BOX; together they use every operator and function.
REFERENCES = [
    ("sin(x)*cos(y) + tan(x/4)", lambda x, y: np.sin(x) * np.cos(y) + np.tan(x / 4)),
    ("exp(-(x^2 + y^2)/2) + log(1 + x^2) - sqrt(1 + y^2)",
     lambda x, y: np.exp(-(x**2 + y**2) / 2) + np.log(1 + x**2) - np.sqrt(1 + y**2)),
    ("abs(x - y) + tanh(x*y)", lambda x, y: np.abs(x - y) + np.tanh(x * y)),
    ("min(x, y^2) - max(x*y, 0.5)", lambda x, y: np.minimum(x, y**2) - np.maximum(x * y, 0.5)),
    ("x/(1 + y^2) - 3/(2 + cos(x))", lambda x, y: x / (1 + y**2) - 3 / (2 + np.cos(x))),
    ("(x^2 + 1)^(y/3) + 2^x + e^(-y)", lambda x, y: (x**2 + 1) ** (y / 3) + 2.0**x + np.exp(-y)),
    ("+x - -y*pi + x^3 - y^0.5", lambda x, y: x + y * np.pi + x**3 - np.power(y, 0.5)),
    ("(1 - x)^2 + 100*(y - x^2)^2", lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2),
]
SMOOTH = [r for r in REFERENCES if not re.search(r"abs|min|max|\^0\.5", r[0])]


def grid(box=GRID_BOX, n=41):
    return np.meshgrid(np.linspace(box.x_min, box.x_max, n), np.linspace(box.y_min, box.y_max, n))


@pytest.mark.parametrize("text, reference", REFERENCES, ids=[t for t, _ in REFERENCES])
def test_values_match_numpy_references_on_a_grid(text, reference):
    x, y = grid()
    with np.errstate(invalid="ignore"):
        expected = reference(x, y)
    got = formula_surface(text, GRID_BOX).value(x, y)
    assert got.shape == x.shape
    np.testing.assert_allclose(got, expected, rtol=1e-13, atol=1e-13, equal_nan=True)


@pytest.mark.parametrize("text, reference", SMOOTH, ids=[t for t, _ in SMOOTH])
def test_gradients_match_central_differences_on_a_grid(text, reference):
    x, y = grid(n=23)
    gx, gy = formula_surface(text, GRID_BOX).grad(x, y)
    h = 1e-6
    nx = (reference(x + h, y) - reference(x - h, y)) / (2 * h)
    ny = (reference(x, y + h) - reference(x, y - h)) / (2 * h)
    scale = np.maximum(1.0, np.maximum(np.abs(nx), np.abs(ny)))
    assert np.all(np.abs(gx - nx) <= 1e-6 * scale) and np.all(np.abs(gy - ny) <= 1e-6 * scale)


def test_gradients_are_exact_where_they_can_be_computed_by_hand():
    surface = formula_surface("x^3*y + 3*y", Box(-5, 5, -5, 5))
    assert surface.grad(2.0, 5.0, math) == (60.0, 11.0)  # (3x^2 y, x^3 + 3)
    assert tuple(surface.grad(2.0, 5.0)) == (60.0, 11.0)


@pytest.mark.parametrize(
    "text, point, expected",
    [
        ("min(x, y)", (1.0, 2.0), (1.0, 0.0)),
        ("min(x, y)", (2.0, 1.0), (0.0, 1.0)),
        ("max(x, y)", (1.0, 2.0), (0.0, 1.0)),
        ("max(2*x, y)", (1.0, 1.0), (2.0, 0.0)),
        ("min(x, y)", (1.0, 1.0), (1.0, 0.0)),  # a tie takes the first argument
        ("abs(x) + abs(y - 1)", (-2.0, 1.0), (-1.0, 0.0)),  # sign(0) = 0: a subgradient
        ("sqrt(x^2 + y^2)", (0.0, 0.0), (0.0, 0.0)),  # a cone's tip: 0, not 0/0
        ("sqrt(x^2 + y^2)", (0.0, 2.0), (0.0, 1.0)),
        ("sqrt(x) + y", (0.0, 0.0), (math.inf, 1.0)),  # the slope of sqrt at 0 stays infinite
    ],
)
def test_kinks_take_the_active_branchs_gradient(text, point, expected):
    surface = formula_surface(text, Box(-3, 3, -3, 3))
    assert surface.grad(*point, math) == expected
    assert tuple(float(g) for g in surface.grad(np.array(point[0]), np.array(point[1]))) == expected


@pytest.mark.parametrize("text, reference", REFERENCES, ids=[t for t, _ in REFERENCES])
def test_the_math_and_numpy_paths_agree(text, reference):
    surface = formula_surface(text, GRID_BOX)
    x, y = grid(n=9)
    for px, py in zip(x.ravel().tolist(), y.ravel().tolist()):
        v = surface.value(px, py, math)
        assert v == pytest.approx(float(surface.value(px, py)), rel=1e-13, abs=1e-13, nan_ok=True)
        g, g_np = surface.grad(px, py, math), tuple(map(float, surface.grad(px, py)))
        if all(map(math.isfinite, g)):
            assert g == pytest.approx(g_np, rel=1e-12, abs=1e-12)
        else:  # outside a function's domain the scalar path gives up on both partials at once
            assert not all(map(math.isfinite, (*g_np, float(surface.value(px, py)))))


@pytest.mark.parametrize(
    "text, view, point",
    [
        ("log(x)", Box(0.1, 3, -1, 1), (-1.0, 0.0)),
        ("log(x)", Box(0.1, 3, -1, 1), (0.0, 0.0)),
        ("sqrt(x) + y", Box(0.1, 3, -1, 1), (-1.0, 0.0)),
        ("exp(x*y)", DEFAULT_VIEW, (1000.0, 1000.0)),
        ("1/x", Box(0.1, 3, -1, 1), (0.0, 0.0)),
        ("x^0.5", Box(0.1, 3, -1, 1), (-1.0, 0.0)),
        ("x^y", Box(0.1, 3, -1, 1), (-1.0, 0.5)),
        ("x^-2", Box(0.1, 3, -1, 1), (0.0, 0.0)),
        ("sin(x)", DEFAULT_VIEW, (math.inf, 0.0)),
        ("x^100*y^100", DEFAULT_VIEW, (1e10, 1e10)),
    ],
)
def test_the_scalar_path_never_raises_outside_the_domain(text, view, point):
    surface = formula_surface(text, view)
    value, grad = surface.value(*point, math), surface.grad(*point, math)
    assert not (math.isfinite(value) and all(map(math.isfinite, grad)))
    with np.errstate(all="raise"):  # the NumPy path silences its own warnings
        surface.grad(np.array([point[0]]), np.array([point[1]]))


def test_a_constant_formula_gives_grid_shaped_values_and_zero_gradients():
    surface = formula_surface("2*pi")
    x, y = grid(DEFAULT_VIEW, 5)
    assert np.array_equal(surface.value(x, y), np.full((5, 5), 2 * math.pi))
    gx, gy = surface.grad(x, y)
    assert gx.shape == gy.shape == (5, 5) and not gx.any() and not gy.any()
    assert surface.minima == ()  # no point inside the view is lower than the others


# --- The surface record and its minimum ---------------------------------------------------------------------


def test_the_surface_describes_itself_and_is_cached():
    surface = formula_surface("x**2+3*y**2")
    assert isinstance(surface, Surface)
    assert surface.name == "formula" and surface.formula == "x^2 + 3*y^2"
    assert surface.label == "f(x, y) = x^2 + 3*y^2" and surface.view == DEFAULT_VIEW
    assert surface.view.contains(*surface.start) and surface.start != (0.0, 0.0)
    assert formula_surface("x**2+3*y**2") is surface and formula_surface("x**2+3*y**2", DEFAULT_VIEW) is surface
    assert surface.minima == ((0.0, 0.0),) and surface.log_levels is False


def test_the_minimum_is_located_and_refined_off_the_grid():
    surface = formula_surface("(x - 0.123456)^2 + 2*(y + 1.7)^2 + x*y/10")
    # Stationary: 2(x - a) + y/10 = 0 and 4(y + b) + x/10 = 0, solved by hand.
    a, b = 0.123456, 1.7
    exact = np.linalg.solve([[2.0, 0.1], [0.1, 4.0]], [2 * a, -4 * b])
    (found,) = surface.minima
    assert found == pytest.approx(tuple(exact), abs=1e-8)


def test_no_minimum_inside_the_view_gives_none():
    assert formula_surface("x + y").minima == ()
    assert formula_surface("(x - 5)^2 + y^2").minima == ()  # the minimum lies outside the view
    assert formula_surface("(x - 5)^2 + y^2", Box(0, 10, -3, 3)).minima == pytest.approx([(5.0, 0.0)], abs=1e-7)


@pytest.mark.parametrize("text, view", [
    ("sqrt(x)", DEFAULT_VIEW),  # a line of minima along x = 0, the left half not a number
    ("x^2", DEFAULT_VIEW),  # a line along the y axis
    ("(x - y)^2", DEFAULT_VIEW),  # a diagonal line, hit by the grid to rounding
    ("(x - 0.7*y)^2", DEFAULT_VIEW),  # a line the grid misses: two lowest points joined by the floor
    ("max(x^2 + y^2, 1)", DEFAULT_VIEW),  # a round floor
    ("(x^2 + y^2 - 1)^2", DEFAULT_VIEW),  # a ring the grid misses: every candidate ties
    ("abs(x + 1)", Box(-2, 2, -1, 1)),
])
def test_a_line_or_floor_of_minima_marks_no_point(text, view):
    assert formula_surface(text, view).minima == ()


def test_isolated_minima_that_tie_are_all_marked():
    both = [(-1.0, 0.0), (1.0, 0.0)]
    np.testing.assert_allclose(sorted(formula_surface("x^4 - 2*x^2 + y^2").minima), both, atol=1e-6)
    grid_hits_both = Box(-2, 2, -1.5, 1.5)
    np.testing.assert_allclose(sorted(formula_surface("x^4 - 2*x^2 + y^2", grid_hits_both).minima), both, atol=1e-6)
    four = sorted(formula_surface("(x^2 - 1)^2 + (y^2 - 1)^2").minima)
    np.testing.assert_allclose(four, [(-1, -1), (-1, 1), (1, -1), (1, 1)], atol=1e-6)
    (only,) = formula_surface("x^4 - 2*x^2 + y^2 + x/10").minima  # tilted: one is lower
    np.testing.assert_allclose(only, (-1.01, 0.0), atol=0.01)


@pytest.mark.parametrize("text", ["x^8 + y^8", "x^4 + y^4 + 1"])
def test_a_flat_but_isolated_minimum_is_still_marked(text):
    (found,) = formula_surface(text).minima
    np.testing.assert_allclose(found, (0.0, 0.0), atol=0.05)


# --- The gallery --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", GALLERY, ids=[g.name for g in GALLERY])
def test_each_gallery_minimum_is_found_numerically(entry):
    surface = formula_surface(entry.formula, entry.view)
    known = (entry.known_minimum, *entry.other_minima)
    assert len(surface.minima) == len(known)  # the minima that tie are all marked (Himmelblau's four)
    for found in surface.minima:
        assert min(math.dist(found, k) for k in known) <= 1e-5, (found, known)
        assert surface.value(*found, math) <= surface.value(*entry.known_minimum, math) + 1e-9
    for k in known:  # the listed minima all share one value
        assert surface.value(*k, math) == pytest.approx(surface.value(*entry.known_minimum, math), abs=1e-9)


@pytest.mark.parametrize("entry", GALLERY, ids=[g.name for g in GALLERY])
def test_each_gallery_entry_is_consistent(entry):
    surface = formula_surface(entry.formula, entry.view)
    assert len(entry.formula) <= MAX_LENGTH and entry.view.contains(*entry.start)
    assert surface.start == entry.start and entry.label
    if entry.name != "ackley":  # Ackley's minimum is the tip of a cone: no gradient there
        for k in (entry.known_minimum, *entry.other_minima):
            assert max(map(abs, surface.grad(*k, math))) <= 1e-8


def test_gallery_formulas_agree_with_the_built_in_surfaces():
    for name in ("beale", "himmelblau"):
        entry = next(g for g in GALLERY if g.name == name)
        built_in, typed = SURFACES[name], formula_surface(entry.formula, entry.view)
        x, y = grid(entry.view, 31)
        np.testing.assert_allclose(typed.value(x, y), built_in.value(x, y), rtol=1e-12)
        for got, want in zip(typed.grad(x, y), built_in.grad(x, y)):
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)
        assert typed.log_levels == built_in.log_levels


def test_log_levels_follow_how_many_decades_the_view_spans():
    levels = {g.name: formula_surface(g.formula, g.view).log_levels for g in GALLERY}
    assert levels["rosenbrock"] and levels["goldstein-price"] and levels["beale"]
    assert not levels["rastrigin"] and not levels["ackley"] and not levels["styblinski-tang"]  # below 0


def test_a_typed_surface_simulates_like_the_built_in_one():
    from lab.scene import Run
    from lab.simulate import simulate_run

    entry = next(g for g in GALLERY if g.name == "beale")
    typed = formula_surface(entry.formula, entry.view)
    bounds = (-1e6, 1e6, -1e6, 1e6)
    runs = [simulate_run(s, Run("adam", lr=0.01), (1.0, 1.5), 500, 0, bounds) for s in (typed, SURFACES["beale"])]
    np.testing.assert_allclose(runs[0].x, runs[1].x, rtol=1e-9)
    np.testing.assert_allclose(runs[0].loss, runs[1].loss, rtol=1e-9, atol=1e-12)


# --- Any text: a surface or a FormulaError, never anything else ---------------------------------------------

FORMULA_CHARS = "xye0123456789.+-*/^() ,pisncotaqrhmlbg_"
ATOMS = st.sampled_from(["x", "y", "pi", "e", "2", "0.5", "3", "1e-3"])


def formulas():
    """Formula texts built from the grammar, so most are valid."""
    def grow(inner):
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "^"]), inner).map(
            lambda t: f"({t[0]}){t[1]}({t[2]})"
        )
        call = st.tuples(st.sampled_from(["sin", "cos", "exp", "log", "sqrt", "abs", "tanh", "tan"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"
        )
        pair = st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})")
        return st.one_of(binary, call, pair, inner.map(lambda s: f"-{s}"))

    return st.recursive(ATOMS, grow, max_leaves=8)


def surface_or_formula_error(text):
    try:
        return formula_surface(text)
    except FormulaError as err:
        assert one_sentence(str(err)), str(err)
        return err


PROPERTY = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.text(max_size=300))
def test_any_text_gives_a_surface_or_a_formula_error(text):
    surface_or_formula_error(text)


@PROPERTY
@given(st.text(alphabet=FORMULA_CHARS, max_size=60))
def test_formula_like_text_gives_a_surface_or_a_formula_error(text):
    surface_or_formula_error(text)


@PROPERTY
@given(formulas())
def test_grammatical_formulas_read_back_and_their_paths_agree(text):
    result = surface_or_formula_error(text)
    if isinstance(result, FormulaError):
        assert result.position is None or "exponent" in str(result) or "towers" in str(result), str(result)
        return
    assert normalize_formula(result.formula) == result.formula  # the canonical text is a fixed point
    for px, py in ((0.3, -0.7), (1.1, 2.2)):
        v = float(result.value(px, py))
        assert result.value(px, py, math) == pytest.approx(v, rel=1e-9, abs=1e-12, nan_ok=True) or not math.isfinite(
            result.value(px, py, math)
        )
        gx, gy = result.grad(px, py, math)
        if math.isfinite(gx) and math.isfinite(gy):
            assert (gx, gy) == pytest.approx(tuple(map(float, result.grad(px, py))), rel=1e-9, abs=1e-9)


def test_tree_nodes_are_our_own_types():
    tree = parse_formula("-sin(2*x)")
    assert isinstance(tree, Unary) and isinstance(tree.arg, Call) and isinstance(tree.arg.args[0].left, Num)


@pytest.mark.parametrize("text", ["0/0", "x/0", "1/0 + x", "log(0)*y", "sqrt(-1) + x"])
def test_constant_parts_that_divide_by_zero_fold_to_ieee_values_not_exceptions(text):
    with pytest.raises(FormulaError, match="is not a finite number over 100% of the view"):
        formula_surface(text)


@pytest.mark.parametrize("entry", GALLERY, ids=[e.name for e in GALLERY])
def test_the_registry_serves_each_gallery_function_with_its_known_minima(entry):
    """The picker's gallery skips the numeric search: its minima are the literature's, and stationary."""
    surface = SURFACES[entry.name]
    assert surface.minima[0] == entry.known_minimum and set(surface.minima[1:]) == set(entry.other_minima)
    typed = gallery_surface(entry)
    gx, gy = np.meshgrid(np.linspace(*entry.view.x_range, 9), np.linspace(*entry.view.y_range, 9))
    assert np.allclose(typed.value(gx, gy), surface.value(gx, gy), rtol=1e-12, atol=1e-12)
    for point in surface.minima:
        assert np.hypot(*typed.grad(*point, math)) < 1e-6 * max(1.0, abs(typed.value(*point)))
