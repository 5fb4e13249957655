"""Bad inputs, each with its specific message; and any JSON value through every validator, never raising."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab import validate
from lab.query import MAX_QUERY, compose_query, from_query
from lab.scene import Scene
from lessons import LESSONS
from surfaces import SURFACES

HUGE = 10**4000
NAN, INF = float("nan"), float("inf")


def warnings_for(fields=None, run=None) -> tuple[str, ...]:
    """The warnings when raw control values (as JSON decoded them) go through the page's parser."""
    return from_query(compose_query(fields or {}, [run or {"optimizer": "gd"}])).warnings


# Each raw control value -> the one warning it must give (the value quoted, what is valid).
TABLE = [
    ({"steps": None}, None, ()),  # empty: the default, silently
    ({"steps": "ten"}, None, ("steps='ten' is not a whole number from 10 to 100,000; using 1,000",)),
    ({"steps": True}, None, ("steps='true' is not a whole number from 10 to 100,000; using 1,000",)),  # a checkbox's True
    ({"steps": NAN}, None, ("steps='nan' is not a whole number from 10 to 100,000; using 1,000",)),
    ({"steps": INF}, None, ("steps='inf' is not a whole number from 10 to 100,000; using 1,000",)),
    ({"steps": -5}, None, ("steps='-5' is not a whole number from 10 to 100,000; using 1,000",)),
    ({"steps": 1e308}, None, ("steps='1e308' is not a whole number from 10 to 100,000; using 1,000",)),
    ({"steps": HUGE}, None, ("steps='1" + "0" * 39 + "…' is not a whole number from 10 to 100,000; using 1,000",)),
    ({"seed": 2.5}, None, ("seed='2.5' is not a whole number from 0 to 4,294,967,295; using 0",)),
    ({"surface": "../nope"}, None, ("surface='../nope' is not a surface; using 'valley' (choose from "
                                    + ", ".join(list(SURFACES)[:12]) + f", … ({len(SURFACES)} in all))",)),
    ({"start": ("a", 1)}, None, ("start='a,1' is not 2 finite numbers x,y; using the surface's start",)),
    ({"start": (NAN, 1)}, None, ("start='nan,1' is not 2 finite numbers x,y; using the surface's start",)),
    (None, {"optimizer": "__import__"}, ("run 1: unknown optimizer '__import__'; this run uses gd and ignores its "
                                         "optimizer hyperparameters (choose from gd, momentum, adagrad, rmsprop, adam, "
                                         "radam, adagrad-sum, rmsprop-torch)",)),
    (None, {"optimizer": "gd", "lr": -1}, ("run 1: lr='-1' is not a number from 1e-12 to 10,000; using the default 0.01",)),
    (None, {"optimizer": "gd", "lr": HUGE}, ("run 1: lr='1" + "0" * 39 + "…' is not a number from 1e-12 to "
                                             "10,000; using the default 0.01",)),
    (None, {"optimizer": "gd", "label": "x" * 1000},
     ("run 1: label='" + "x" * 40 + "…' has more than 60 characters; cut to 60",)),
    (None, {"optimizer": "adam", "params": {"beta1": INF}},
     ("run 1: beta1='inf' is not a number from 0 to 0.9999; using the default 0.9",)),
    (None, {"optimizer": "gd", "schedule": "../../etc/passwd"},
     ("run 1: schedule='../../etc/passwd' is not a schedule; using constant and ignoring its parameters (choose from "
      "constant, decay, exponential, step, cosine, warmup, transformer, resnet)",)),
]


@pytest.mark.parametrize("fields, run, expected", TABLE)
def test_a_bad_control_value_gives_its_own_message(fields, run, expected):
    assert warnings_for(fields, run) == expected


@pytest.mark.parametrize("value, message", [
    (None, None),
    (42, "the link is not text (int); using the default scene"),
    (["?lesson=adam"], "the link is not text (list); using the default scene"),
    ("?" + "x" * MAX_QUERY, f"the link is {MAX_QUERY + 1:,} characters long; only the first {MAX_QUERY:,} were read"),
])
def test_a_stored_link_that_is_not_text_or_too_long_says_so(value, message):
    assert validate.query_text(value)[1] == message


def test_a_start_outside_the_view_is_named_with_the_view():
    scene = from_query("?start=50,-3").scene
    assert validate.start_outside_view(scene) == (
        "start='50,-3' lies outside the view x -0.1 to 1.1, y -0.004 to 0.004; the path begins off the plot")
    assert validate.start_outside_view(Scene()) is None


@pytest.mark.parametrize("value, expected", [
    (None, None), (True, None), ("1", None), (NAN, None), (INF, None), (-INF, None), (HUGE, None),
    (1e308, 1e308), (-3, -3.0), (0, 0.0),
])
def test_finite_takes_numbers_only(value, expected):
    assert validate.finite(value) == expected


@pytest.mark.parametrize("click, point", [
    ({"points": [{"x": 1, "y": 2}]}, (1.0, 2.0)),
    ({"xvals": [0.5], "yvals": [-1], "points": [{"x": 9, "y": 9}]}, (0.5, -1.0)),
    ({"points": [{"x": NAN, "y": 2}]}, None), ({"points": "x"}, None), ("click", None), ({"xvals": [HUGE]}, None),
])
def test_a_click_gives_a_finite_point_or_none(click, point):
    assert validate.clicked_point(click) == point


def test_zoom_box_reads_ranges_and_resets_and_ignores_junk():
    full = (-2.0, 2.0, -1.0, 1.0)
    assert validate.zoom_box({"xaxis.range[0]": 1, "xaxis.range[1]": 0}, full) == (0.0, 1.0, -1.0, 1.0)
    assert validate.zoom_box({"xaxis.autorange": True}, full) == full
    assert validate.zoom_box({"xaxis.range[0]": "a"}, full) is None
    assert validate.zoom_box({"xaxis.range[0]": 2}, full) is None  # an empty box
    assert validate.zoom_box([1, 2], full) is None


def test_stores_and_names_fall_back_to_safe_values():
    assert validate.typed_store("x") == {"query": None, "warnings": []}
    assert validate.typed_store({"query": "?a", "warnings": ["w", 5, "z" * 1000]})["warnings"] == ["w", "z" * 400]
    assert validate.drawn_store({"key": "k", "traces": 5, "runs": ["a"]}) is not None
    assert validate.drawn_store({"key": "k", "traces": True, "runs": []}) is None
    assert validate.name_in(["adam"], LESSONS) is None and validate.name_in("adam", LESSONS) == "adam"
    assert validate.view_mode("3d") == "3d" and validate.view_mode(NAN) == "2d"
    assert validate.clicks(3) == 3 and validate.clicks(-1) == validate.clicks("9") == validate.clicks(1.5) == 0


# ------------------------------------------------------------------ properties: any JSON, never an exception

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**400), max_value=10**400), st.floats(allow_nan=True),
    st.text(max_size=80), st.sampled_from(["adam", "2d", "3d", "?lesson=adam", "xaxis.range[0]"]),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(["query", "warnings", "key", "traces", "runs", "points",
                                                             "x", "y", "xvals", "yvals", "xaxis.range[0]",
                                                             "xaxis.autorange"]), inner, max_size=5)),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_every_validator_takes_any_json_value(value):
    x = validate.finite(value)
    assert x is None or math.isfinite(x)
    text, message = validate.query_text(value)
    assert isinstance(text, str) and len(text) <= MAX_QUERY and (message is None or isinstance(message, str))
    assert isinstance(validate.mapping(value), dict)
    store = validate.typed_store(value)
    assert store["query"] is None or isinstance(store["query"], str)
    assert all(isinstance(w, str) for w in store["warnings"])
    assert validate.drawn_store(value) in (None, value)
    assert validate.view_mode(value) in validate.VIEW_MODES
    point = validate.clicked_point(value)
    assert point is None or all(math.isfinite(c) for c in point)
    box = validate.zoom_box(value, (-1.0, 1.0, -1.0, 1.0))
    assert box is None or (box[0] < box[1] and box[2] < box[3])
    assert validate.clicks(value) >= 0
    assert isinstance(validate.pattern_values(value), list)
    assert validate.name_in(value, LESSONS) in (None, *LESSONS)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["surface", "steps", "epochs", "seed", "formula"]), json_scalars, max_size=5),
       st.lists(st.dictionaries(st.sampled_from(["optimizer", "lr", "schedule", "batch", "shuffle", "label"]),
                                json_scalars, max_size=6), max_size=3))
def test_any_control_values_give_a_scene_and_plain_warnings(fields, runs):
    result = from_query(compose_query(fields, runs))
    assert isinstance(result.scene, Scene)
    assert all(isinstance(w, str) and "Traceback" not in w for w in result.warnings)
    assert validate.start_outside_view(result.scene) is None or "outside the view" in validate.start_outside_view(
        result.scene)
