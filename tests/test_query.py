"""to_query writes a scene exactly; from_query reads any text and says what it could not use."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
import math
import time
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab.query import KEYS, MAX_QUERY, MAX_WARNINGS, RUN_KEYS, ParseResult, from_query, number_text, to_query
from lab.scene import LR_RANGE, MAX_LABEL, MAX_RUNS, MAX_SEED, MAX_STEPS, MIN_STEPS, Run, Scene
from lessons import LESSONS, Lesson
from optimizers import OPTIMIZERS
from optimizers.schedules import SCHEDULES
from surfaces import SURFACES
from surfaces.base import Box

settings.register_profile(
    "query", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
PROPERTY = settings.get_profile("query")

DATA_SURFACE = next(name for name, s in SURFACES.items() if s.data is not None)
N_EXAMPLES = SURFACES[DATA_SURFACE].data.n_examples
PLAIN_SURFACE = next(name for name, s in SURFACES.items() if s.data is None)

HOSTILE_LABELS = [
    "Plain GD",
    "a,b:c=d&e%f#g?h",
    "100% sure",
    "%41%2C%25",
    "+plus+ and spaces  ",
    "<script>alert(1)</script>",
    "η = 0.01, 学习率 🚀",
    "line\nbreak\ttab\x00nul",
    "\u202eright-to-left",
    "'quotes' \"double\" \\back",
    "x" * MAX_LABEL,
    " ",
]


def parse(query: str) -> ParseResult:
    result = from_query(query)
    assert isinstance(result.scene, Scene)
    return result


def warned(query: str, key: str) -> ParseResult:
    """Parse ``query`` and check that exactly one warning came back and it names ``key``."""
    result = parse(query)
    assert len(result.warnings) == 1, result.warnings
    assert key in result.warnings[0], result.warnings
    return result


# ---------------------------------------------------------------- writing


def test_the_default_scene_is_the_empty_query():
    assert to_query(Scene()) == ""
    assert parse("") == ParseResult(Scene(), (), None)
    assert parse("?") == ParseResult(Scene(), (), None)


def test_to_query_writes_only_what_differs_in_a_stable_order():
    scene = Scene(
        surface=DATA_SURFACE,
        steps=500,
        start=(1.0, 0.002),
        seed=7,
        view=Box(-1.0, 1.0, -2.0, 2.0),
        runs=(Run("adagrad", lr=2e-4), Run(lr=0.01, label="Plain GD")),
    )
    assert to_query(scene) == (
        f"?surface={DATA_SURFACE}&steps=500&start=1,0.002&seed=7&box=-1,1,-2,2"
        "&run=adagrad:lr=0.0002&run=gd:label=Plain%20GD"
    )


def test_a_run_writes_its_keys_in_a_fixed_order():
    run = Run(
        "adam",
        lr=0.1,
        params=(("eps", 1e-6), ("beta1", 0.5)),
        schedule="step",
        schedule_params=(("step_size", 300), ("gamma", 0.25)),
        batch_size=4,
        shuffle=False,
        label="A",
    )
    query = to_query(Scene(surface=DATA_SURFACE, runs=(run,)))
    assert query.endswith(
        "&run=adam:lr=0.1,beta1=0.5,eps=1e-6,schedule=step,gamma=0.25,step_size=300,batch=4,shuffle=0,label=A"
    )


def test_a_run_with_only_defaults_is_its_optimizer_name():
    assert to_query(Scene(runs=(Run(), Run("momentum")))) == "?run=gd&run=momentum"


@pytest.mark.parametrize(
    "x, text",
    [
        (1.0, "1"), (0.002, "0.002"), (2e-4, "0.0002"), (1e-5, "1e-5"), (1e16, "1e16"), (-0.0, "-0"),
        (0.1, "0.1"), (1 / 3, "0.3333333333333333"), (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e308"),
    ],
)
def test_numbers_are_written_in_their_shortest_exact_form(x, text):
    assert number_text(x) == text
    assert float(text) == x and math.copysign(1, float(text)) == math.copysign(1, x)


@given(st.floats(allow_nan=False, allow_infinity=False))
@PROPERTY
def test_number_text_reads_back_exactly_and_never_needs_a_plus(x):
    text = number_text(x)
    assert float(text) == x and "+" not in text


def test_labels_are_encoded_twice_where_the_run_grammar_needs_it():
    query = to_query(Scene(runs=(Run(label="a,b: 100% η=1"),)))
    assert query == "?run=gd:label=a%252Cb:%20100%2525%20%CE%B7=1"
    assert parse(query).scene.runs[0].label == "a,b: 100% η=1"


def test_an_encoded_label_reads_the_same_as_a_plain_one():
    assert parse("?run=gd:label=a%253Ab%253Dc").scene == parse("?run=gd:label=a:b=c").scene


# ---------------------------------------------------------------- reading each key


def test_the_grammar_covers_every_field_of_scene_and_run():
    """A new field needs a key here, or links would silently drop it."""
    scene_fields = {"surface", "formula", "runs", "start", "steps", "epochs", "seed", "view"}
    assert {f.name for f in dataclasses.fields(Scene)} == scene_fields
    assert {f.name for f in dataclasses.fields(Run)} == {
        "optimizer", "lr", "params", "schedule", "schedule_params", "batch_size", "shuffle", "label",
    }


def test_epochs_replace_steps_and_read_back():
    scene = Scene(surface=DATA_SURFACE, steps=10, epochs=3, runs=(Run(batch_size=2),))
    query = to_query(scene)
    assert query.startswith(f"?surface={DATA_SURFACE}&epochs=3&run=gd:batch=2")
    assert parse(query) == ParseResult(scene, (), None)


def test_epochs_need_data_and_a_bounded_number_of_updates():
    result = warned(f"?surface={PLAIN_SURFACE}&epochs=3", "epochs")
    assert result.scene.epochs == 0
    too_many = MAX_STEPS // N_EXAMPLES + 1  # with batch size 1, one epoch is N_EXAMPLES updates
    result = warned(f"?surface={DATA_SURFACE}&epochs={too_many}&run=gd:batch=1", "epochs")
    assert result.scene.epochs == 0 and result.scene.runs == (Run(batch_size=1),)


def test_integer_schedule_parameters_must_be_whole():
    result = warned("?run=gd:schedule=step,step_size=2.5,gamma=0.25", "step_size")
    assert result.scene.runs == (Run(schedule="step", schedule_params=(("gamma", 0.25),)),)


def test_surface_steps_seed_start_view_are_read():
    scene = parse(
        f"?surface={DATA_SURFACE}&steps=250&seed=42&start=0.5,-2&view=-1,1,-2,2"
    ).scene
    assert scene == Scene(surface=DATA_SURFACE, steps=250, seed=42, start=(0.5, -2.0), view=Box(-1, 1, -2, 2))


@pytest.mark.parametrize("prefix", ["", "?", "https://lab.example/app?", "/app?"])
def test_a_query_is_read_with_or_without_question_mark_or_inside_a_url(prefix):
    result = parse(prefix + "steps=20&run=adam:lr=0.1#fragment")
    assert result == ParseResult(Scene(steps=20, runs=(Run("adam", lr=0.1),)), (), None)


def test_a_url_without_a_query_is_the_default_scene():
    assert parse("https://lab.example/app") == ParseResult(Scene(), (), None)


def test_every_run_key_is_read():
    result = parse(
        f"?surface={DATA_SURFACE}&run=rmsprop:lr=0.5,alpha=0.5,eps=1e-3,schedule=transformer,"
        "d_model=64,warmup=10,batch=3,shuffle=0,label=mine"
    )
    assert result.warnings == ()
    assert result.scene.runs == (
        Run("rmsprop", lr=0.5, params=(("alpha", 0.5), ("eps", 1e-3)), schedule="transformer",
            schedule_params=(("d_model", 64), ("warmup", 10)), batch_size=3, shuffle=False, label="mine"),
    )


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_every_optimizer_hyperparameter_is_read_by_its_name(optimizer):
    spec = OPTIMIZERS[optimizer]
    values = {p.name: p.low if getattr(p, "integer", False) else (p.low + p.high) / 2 for p in spec.params}
    items = ",".join(f"{k}={number_text(v)}" for k, v in values.items())
    result = parse(f"?run={optimizer}" + (f":{items}" if items else ""))
    assert result.warnings == ()
    assert result.scene.runs[0].hyperparams() == values


@pytest.mark.parametrize("schedule", list(SCHEDULES))
def test_every_schedule_parameter_is_read_by_its_name(schedule):
    spec = SCHEDULES[schedule]
    values = {p.name: p.low for p in spec.params}
    items = "".join(f",{k}={number_text(v)}" for k, v in values.items())
    result = parse(f"?run=gd:schedule={schedule}{items}")
    assert result.warnings == ()
    assert result.scene.runs[0].schedule == schedule
    assert result.scene.runs[0].schedule_hyperparams() == values


def test_run_keys_may_come_in_any_order():
    assert parse("?run=gd:gamma=0.5,label=x,schedule=exponential").scene == parse(
        "?run=gd:schedule=exponential,gamma=0.5,label=x"
    ).scene


def test_names_ignore_case_and_spaces():
    result = parse(f"?Surface=%20{DATA_SURFACE.upper()}&run=ADAM:Schedule=Cosine")
    assert result.warnings == ()
    assert result.scene == Scene(surface=DATA_SURFACE, runs=(Run("adam", schedule="cosine"),))


@pytest.mark.parametrize("text, value", [("0", False), ("1", True), ("false", False), ("true", True)])
def test_shuffle_reads_0_and_1(text, value):
    assert parse(f"?surface={DATA_SURFACE}&run=gd:batch=2,shuffle={text}").scene.runs[0].shuffle is value


def test_a_form_encoded_plus_in_a_number_is_read_as_plus():
    assert parse("?run=gd:lr=1e+2").scene.runs[0].lr == 100.0


def test_whole_numbers_may_be_written_as_floats():
    assert parse("?steps=1e3&seed=5.0").scene == Scene(steps=1000, seed=5)


# ---------------------------------------------------------------- warnings, one class at a time


@pytest.mark.parametrize(
    "query, key",
    [
        ("?colour=red", "colour"),
        ("?steps=abc", "steps"),
        ("?steps=nan", "steps"),
        ("?steps=inf", "steps"),
        ("?steps=0", "steps"),
        (f"?steps={MAX_STEPS + 1}", "steps"),
        ("?steps=2.5", "steps"),
        ("?seed=-1", "seed"),
        (f"?seed={MAX_SEED + 1}", "seed"),
        ("?surface=moon", "surface"),
        ("?start=1", "start"),
        ("?start=1,2,3", "start"),
        ("?start=1,nan", "start"),
        ("?start=a,b", "start"),
        ("?view=1,2,3", "view"),
        ("?view=0,1,0,inf", "view"),
        ("?view=1,0,0,1", "view"),
        ("?view=0,1,1,1", "view"),
        ("?steps=10&steps=20", "steps"),
        ("?epochs=-1", "epochs"),
        (f"?epochs={MAX_STEPS + 1}", "epochs"),
        ("?epochs=1.5", "epochs"),
        ("?surface=valley&surface=valley", "surface"),
        ("?lesson=no-such-lesson", "lesson"),
    ],
)
def test_a_bad_scene_key_falls_back_to_the_default_and_is_named(query, key):
    expected = Scene(steps=10) if query.startswith("?steps=10&") else Scene()
    assert warned(query, key).scene == expected


@pytest.mark.parametrize(
    "item, key",
    [
        ("lr=abc", "lr"),
        ("lr=nan", "lr"),
        ("lr=-inf", "lr"),
        (f"lr={LR_RANGE[1] * 10}", "lr"),
        ("lr=0", "lr"),
        ("momentum=1.5", "momentum"),
        ("momentum=", "momentum"),
        ("schedule=sometimes", "schedule"),
        ("gamma=0.5", "gamma"),  # the default schedule 'constant' has no gamma
        ("batch=4", "batch"),  # no examples on a plain surface
        ("batch=-1", "batch"),
        ("shuffle=maybe", "shuffle"),
        ("label=" + "y" * (MAX_LABEL + 1), "label"),
        ("colour=red", "colour"),
        ("lr", "lr"),
        ("lr=0.5,lr=0.2", "lr"),
    ],
)
def test_a_bad_run_key_falls_back_alone_and_is_named(item, key):
    other = "momentum=0.5" if key != "momentum" else "label=kept"
    result = warned(f"?surface={PLAIN_SURFACE}&run=momentum:{item},{other}", key)
    assert "run 1" in result.warnings[0]
    run = result.scene.runs[0]
    assert run.optimizer == "momentum"
    if key == "momentum":
        assert run.label == "kept"
    else:
        assert run.hyperparams()["momentum"] == 0.5
    if key == "lr" and item != "lr=0.5,lr=0.2":
        assert run.lr == Run().lr


def test_a_too_long_label_is_cut_to_the_limit():
    run = warned("?run=gd:label=" + "y" * 100, "label").scene.runs[0]
    assert run.label == "y" * MAX_LABEL


@pytest.mark.parametrize("size", [N_EXAMPLES + 1, 10**12])
def test_a_batch_bigger_than_the_data_is_full_batch(size):
    result = warned(f"?surface={DATA_SURFACE}&run=gd:batch={size}", "batch")
    assert result.scene.runs[0].batch_size == 0
    assert str(N_EXAMPLES) in result.warnings[0]


def test_a_batch_on_a_bad_surface_is_checked_on_the_fallback_surface():
    assert SURFACES[Scene().surface].data is None
    result = parse("?surface=moon&run=gd:batch=2")
    assert len(result.warnings) == 2 and "surface" in result.warnings[0] and "batch" in result.warnings[1]
    assert result.scene == Scene()


def test_an_unknown_optimizer_becomes_gd_and_keeps_its_general_keys():
    result = warned("?run=adamw:lr=0.5,beta1=0.1,schedule=cosine,label=mine", "adamw")
    assert result.scene.runs == (Run("gd", lr=0.5, schedule="cosine", label="mine"),)
    assert "gd" in result.warnings[0]


def test_an_empty_run_becomes_gd_with_a_warning():
    assert warned("?run=", "run 1").scene.runs == (Run(),)


def test_an_unknown_schedule_becomes_constant_and_drops_schedule_parameters_quietly():
    result = warned("?run=adam:schedule=linear,gamma=0.5,warmup=4,beta1=0.5", "schedule")
    assert result.scene.runs == (Run("adam", params=(("beta1", 0.5),)),)


def test_a_parameter_of_another_optimizer_is_an_unknown_key():
    result = warned("?run=gd:momentum=0.5", "momentum")
    assert "lr" in result.warnings[0]  # says which keys this run has


def test_more_than_eight_runs_keep_the_first_eight():
    query = "?" + "&".join(f"run=gd:label={i}" for i in range(MAX_RUNS + 3))
    result = warned(query, "run")
    assert [r.label for r in result.scene.runs] == [str(i) for i in range(MAX_RUNS)]


def test_a_huge_input_is_cut_with_a_warning_and_read_quickly():
    query = "?steps=20&" + "x" * (5 * MAX_QUERY)
    started = time.perf_counter()
    result = parse(query)
    assert time.perf_counter() - started < 0.5
    assert result.scene.steps == 20
    assert any("20,000" in w for w in result.warnings)


@pytest.mark.parametrize(
    "query",
    [
        "&" * MAX_QUERY,
        "=" * MAX_QUERY,
        "%" * MAX_QUERY,
        "run=" + "," * MAX_QUERY,
        "run=gd:" + "a=" * MAX_QUERY,
        "run=gd:label=" + "%25" * MAX_QUERY,
        "steps=" + "9" * MAX_QUERY,
        "start=" + "1," * MAX_QUERY,
        "run=gd&" * MAX_QUERY,
        "colour=" * MAX_QUERY,
        "run=gd:lr=" + "1" * MAX_QUERY,
    ],
    ids=lambda query: query[:12],
)
def test_pathological_inputs_are_fast(query):
    started = time.perf_counter()
    parse(query)
    assert time.perf_counter() - started < 0.5


def test_warnings_are_capped_with_a_count_of_the_rest():
    result = parse("&".join(f"k{i}=v" for i in range(100)))
    assert len(result.warnings) == MAX_WARNINGS + 1
    assert "80 more" in result.warnings[-1]


def test_warnings_quote_truncate_and_escape_user_values():
    secret = "<b>" + "z" * 100
    [warning] = parse(f"?surface={quote(secret)}").warnings
    assert "'<b>zzz" in warning and "z" * 41 not in warning
    [warning] = parse("?surface=" + quote("a\nb\u202ec'd")).warnings
    assert "\n" not in warning and "\u202e" not in warning
    assert r"'a\nb\u202ec\'d'" in warning


def test_non_text_input_is_the_default_scene_with_a_warning():
    result = from_query(None)  # type: ignore[arg-type]
    assert result.scene == Scene() and len(result.warnings) == 1


# ---------------------------------------------------------------- lessons


@pytest.fixture
def lesson(monkeypatch):
    """A lesson on a data surface with a mini-batch run, registered for this test only."""
    runs = (Run("adam", lr=0.1, batch_size=2), Run(label="plain"))
    scene = Scene(surface=DATA_SURFACE, steps=300, runs=runs)
    item = Lesson("test-lesson", "T", "T", "c", "c", scene)
    monkeypatch.setitem(LESSONS, item.id, item)
    return item


def test_a_lesson_is_the_base_scene(lesson):
    assert parse("?lesson=test-lesson") == ParseResult(lesson.scene, (), "test-lesson")


def test_other_keys_override_the_lesson_wherever_they_come(lesson):
    result = parse("?steps=50&lesson=test-lesson&run=momentum")
    expected = Scene(surface=DATA_SURFACE, steps=50, runs=(Run("momentum"),))
    assert result == ParseResult(expected, (), "test-lesson")


def test_a_bad_key_over_a_lesson_falls_back_to_the_lesson_value(lesson):
    result = warned("?lesson=test-lesson&steps=many", "steps")
    assert result.scene == lesson.scene and "300" in result.warnings[0]


def test_a_lesson_batch_on_a_surface_without_data_becomes_full_batch(lesson):
    result = warned(f"?lesson=test-lesson&surface={PLAIN_SURFACE}", "batch")
    assert result.scene.runs == (Run("adam", lr=0.1), Run(label="plain"))


def test_an_unknown_lesson_is_ignored_and_the_other_keys_apply():
    result = warned("?lesson=nope&steps=10", "lesson")
    assert result == ParseResult(Scene(steps=10), result.warnings, None)


def test_every_lesson_round_trips_and_loads_by_id():
    for lesson_id, item in LESSONS.items():
        assert parse(to_query(item.scene)) == ParseResult(item.scene, (), None), lesson_id
        assert parse("?lesson=" + quote(lesson_id)) == ParseResult(item.scene, (), lesson_id), lesson_id


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("label", HOSTILE_LABELS)
def test_hostile_labels_round_trip_exactly(label):
    scene = Scene(runs=(Run(label=label), Run("adam", label=label[::-1])))
    assert parse(to_query(scene)) == ParseResult(scene, (), None)


def test_a_hand_written_scene_round_trips():
    scene = Scene(
        surface=DATA_SURFACE,
        steps=MAX_STEPS,
        start=(-0.0, 1e-300),
        seed=MAX_SEED,
        view=Box(-1e9, 1e9, -0.1, 0.30000000000000004),
        runs=tuple(
            Run(name, lr=LR_RANGE[0], schedule="warmup", schedule_params=(("warmup", 7),),
                batch_size=N_EXAMPLES)
            for name in list(OPTIMIZERS)[:MAX_RUNS]
        ),
    )
    assert parse(to_query(scene)) == ParseResult(scene, (), None)


def test_registry_names_need_no_encoding_and_run_keys_do_not_collide():
    safe = set("abcdefghijklmnopqrstuvwxyz0123456789_-.")
    for name in (*SURFACES, *OPTIMIZERS, *SCHEDULES):
        assert set(name) <= safe, name
    optimizer_params = {p.name for spec in OPTIMIZERS.values() for p in spec.params}
    schedule_params = {p.name for spec in SCHEDULES.values() for p in spec.params}
    assert not optimizer_params & schedule_params
    assert not (optimizer_params | schedule_params) & set(RUN_KEYS)


# ---------------------------------------------------------------- properties

finite = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def runs_on(draw, surface: str) -> Run:
    """A valid run for ``surface``: any optimizer and schedule, parameters within their ranges."""
    optimizer = draw(st.sampled_from(list(OPTIMIZERS)))
    schedule = draw(st.sampled_from(list(SCHEDULES)))

    def some(params):
        def value(p):
            if getattr(p, "integer", False):
                return st.integers(int(p.low), int(p.high))
            return st.floats(p.low, p.high)

        return tuple((p.name, draw(value(p))) for p in params if draw(st.booleans()))

    data = SURFACES[surface].data
    return Run(
        optimizer,
        lr=draw(st.floats(*LR_RANGE)),
        params=some(OPTIMIZERS[optimizer].params),
        schedule=schedule,
        schedule_params=some(SCHEDULES[schedule].params),
        batch_size=draw(st.integers(0, data.n_examples)) if data is not None else 0,
        shuffle=draw(st.booleans()),
        label=draw(st.text(max_size=MAX_LABEL)),
    )


@st.composite
def scenes(draw) -> Scene:
    surface = draw(st.sampled_from(list(SURFACES)))
    ranges = st.lists(finite, min_size=2, max_size=2, unique=True).map(sorted)
    runs = tuple(draw(st.lists(runs_on(surface), min_size=1, max_size=MAX_RUNS)))
    data = SURFACES[surface].data
    if data is not None:
        per_epoch = max(math.ceil(data.n_examples / (run.batch_size or data.n_examples)) for run in runs)
        epochs = draw(st.integers(0, MAX_STEPS // per_epoch))
    else:
        epochs = 0
    fields = dict(
        surface=surface,
        runs=runs,
        epochs=epochs,
        start=draw(st.none() | st.tuples(finite, finite)),
        steps=draw(st.integers(MIN_STEPS, MAX_STEPS)),
        seed=draw(st.integers(0, MAX_SEED)),
        view=draw(st.none() | st.tuples(ranges, ranges).map(lambda r: Box(*r[0], *r[1]))),
    )
    try:
        return Scene(**fields)
    except ValueError:  # a view where the surface overflows: valid scenes only
        return Scene(**{**fields, "view": None})


@given(scenes())
@PROPERTY
def test_every_valid_scene_round_trips_without_warnings(scene):
    assert from_query(to_query(scene)) == ParseResult(scene, (), None)


_NAMES = [*SURFACES, *OPTIMIZERS, *SCHEDULES, *LESSONS, "nope", ""]
_values = st.one_of(
    st.text(max_size=12),
    finite.map(repr),
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from([*_NAMES, "nan", "inf", "-0", "1e999", "1,2", "0,1,0,1", "1e+3", " 5 "]),
)
_PARAM_NAMES = sorted({p.name for spec in (*OPTIMIZERS.values(), *SCHEDULES.values()) for p in spec.params})
_RUN_ITEM_KEYS = [*RUN_KEYS, *_PARAM_NAMES, "x"]
_run_values = st.builds(
    lambda name, items: name + (":" + ",".join(items) if items else ""),
    st.sampled_from([*OPTIMIZERS, "adamw", ""]),
    st.lists(st.builds(lambda k, v: f"{k}={v}", st.sampled_from(_RUN_ITEM_KEYS), _values), max_size=6),
)
_pair = st.one_of(
    st.tuples(st.sampled_from([*KEYS, "junk"]), _values),
    st.tuples(st.just("run"), _run_values),
)
near_valid_queries = st.builds(
    lambda pairs, encode: "?" + "&".join(f"{k}={quote(v) if encode else v}" for k, v in pairs),
    st.lists(_pair, max_size=12),
    st.booleans(),
)


def _check_tolerant(query):
    result = from_query(query)
    assert isinstance(result.scene, Scene)
    assert isinstance(result.warnings, tuple) and all(isinstance(w, str) for w in result.warnings)
    assert len(result.warnings) <= MAX_WARNINGS + 1 and all(len(w) < 600 for w in result.warnings)
    assert result.lesson is None or result.lesson in LESSONS
    # whatever came back is a valid scene the link form keeps exactly
    assert from_query(to_query(result.scene)) == ParseResult(result.scene, (), None)


@given(st.text())
@PROPERTY
def test_any_text_gives_a_scene_and_warnings(query):
    _check_tolerant(query)


@given(near_valid_queries)
@PROPERTY
def test_any_near_valid_query_gives_a_scene_and_warnings(query):
    _check_tolerant(query)


@pytest.mark.parametrize("lesson_id", list(LESSONS))
def test_a_changed_lesson_links_as_the_lesson_plus_its_changes(lesson_id):
    lesson = LESSONS[lesson_id]
    runs = lesson.scene.runs
    changed = replace(lesson.scene, runs=(replace(runs[0], lr=runs[0].lr * 2), *runs[1:]), seed=5)
    query = to_query(changed, base=lesson.scene, lesson=lesson_id)
    assert query.startswith(f"?lesson={lesson_id}&")
    result = from_query(query)
    assert result.scene == changed and result.lesson == lesson_id and result.warnings == ()
    assert to_query(lesson.scene, base=lesson.scene, lesson=lesson_id) == f"?lesson={lesson_id}"


def test_the_surfaces_own_start_and_view_are_the_same_scene_as_none():
    from surfaces import SURFACES

    s = SURFACES["crescent"]
    assert Scene("crescent", start=s.start, view=s.view) == Scene("crescent")
    assert to_query(Scene("crescent", start=s.start)) == "?surface=crescent"


# ---------------------------------------------------------------- a user's formula

FORMULA_TEXT = "(1 - x)^2 + 10*(y - x^2)^2"


def test_a_formula_travels_in_the_link_and_opens_the_same_surface():
    scene = Scene(surface="formula", formula=FORMULA_TEXT, view=Box(-2, 2, -1, 3), start=(-1.5, 2.0),
                  runs=(Run("adam", lr=0.05),))
    query = to_query(scene)
    assert "formula=" in query and "surface=" not in query  # the formula names its surface
    assert "+" not in query and "^" not in query  # encoded: a '+' would read back as a space elsewhere
    back = from_query(query)
    assert back == ParseResult(scene, (), None)
    assert back.scene.surface_record is scene.surface_record  # the same cached surface


def test_a_formula_typed_into_a_link_keeps_its_plus_signs():
    parsed = from_query("?formula=x^2+y^2")
    assert parsed.warnings == () and parsed.scene.formula == "x^2+y^2"


def test_a_lesson_link_leaving_a_formula_for_a_built_in_surface_drops_the_formula():
    base = Scene(surface="formula", formula="x^2 + y^2")
    scene = Scene(surface="saddle")
    parsed = from_query(to_query(scene, base=base))
    assert parsed.scene.surface == "saddle" and parsed.scene.formula == ""


@pytest.mark.parametrize(
    "query, words",
    [
        ("?formula=x%20%2B*%20y", "formula='x +* y'"),
        ("?formula=", "empty"),
        ("?surface=formula", "a formula needs formula="),
        ("?surface=valley&formula=x^2", "surface='valley' ignored"),
    ],
)
def test_a_bad_formula_in_a_link_falls_back_with_a_warning(query, words):
    parsed = from_query(query)
    assert any(words in w for w in parsed.warnings), parsed.warnings
    assert parsed.scene.surface in SURFACES or parsed.scene.formula == "x^2"


def test_a_view_where_the_surface_overflows_falls_back_to_the_surfaces_view_alone():
    parsed = from_query("?surface=beale&view=1e200,1e201,1e200,1e201&steps=20")
    assert parsed.scene == Scene("beale", steps=20)  # the rest of the link is kept
    assert any("not a finite number over 100% of the view" in w for w in parsed.warnings), parsed.warnings
