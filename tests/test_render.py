"""The export CLI and lab.export: JSON and CSV shape, exactness, determinism, round trips, errors."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import render
from lab import export
from lab.query import from_query
from lab.scene import Run, Scene
from lab.simulate import simulate
from lessons import LESSONS
from optimizers import OPTIMIZERS
from optimizers.schedules import SCHEDULES
from surfaces import SURFACES

ROOT = Path(__file__).resolve().parent.parent
SMALL = "?surface=tilted-valley&steps=50&run=adam&run=momentum:lr=0.1,schedule=step&run=gd:lr=3"
BATCHED = (
    "?surface=regression&steps=40&seed=3&run=adam:lr=0.05,batch=4&run=rmsprop:batch=5,shuffle=0,label=a%252Cb"
)
RUN_KEYS = [
    "label", "optimizer", "params", "schedule", "status", "diverged_at",
    "x", "y", "loss", "grad_x", "grad_y", "lr", "effective_lr_x", "effective_lr_y",
]  # fmt: skip


def no_constants(name):
    raise ValueError(f"{name} in an export")


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"), parse_constant=no_constants)


def render_ok(capsys, scene: str, out: Path) -> str:
    """Run the CLI in-process; return its stderr."""
    assert render.main([scene, "-o", str(out)]) == 0
    return capsys.readouterr().err


def render_fails(capsys, *argv: str) -> str:
    """Run the CLI in-process expecting a usage error; return its one stderr line."""
    assert render.main(list(argv)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("error: "), err
    return err


# ---------------------------------------------------------------- JSON


def test_json_export_has_the_documented_shape(tmp_path, capsys):
    out = tmp_path / "small.json"
    assert render_ok(capsys, SMALL, out) == ""
    doc = load_json(out)
    assert list(doc) == ["lesson", "scene", "query", "surface", "view", "runs"]
    assert doc["lesson"] is None and doc["query"].startswith("?")
    surface = SURFACES["tilted-valley"]
    assert doc["surface"] == {"name": surface.name, "formula": surface.formula, "minima": [[0.0, 0.0]]}
    assert doc["view"] == {"x_range": list(surface.view.x_range), "y_range": list(surface.view.y_range)}
    assert [run["optimizer"] for run in doc["runs"]] == ["adam", "momentum", "gd"]
    for run in doc["runs"]:
        assert list(run) == RUN_KEYS
        n = len(run["grad_x"])
        assert n == (50 if run["status"] == "ok" else run["diverged_at"])
        for name in export.POSITION_ARRAYS:
            assert len(run[name]) == n + 1, name
        for name in export.UPDATE_ARRAYS:
            assert len(run[name]) == n, name
    assert doc["runs"][2]["status"] == "diverged" and doc["runs"][2]["diverged_at"] < 50


def test_json_floats_are_the_simulated_numbers_exactly(tmp_path, capsys):
    out = tmp_path / "exact.json"
    render_ok(capsys, BATCHED, out)
    doc = load_json(out)
    scene = from_query(BATCHED).scene
    for run, traj in zip(doc["runs"], simulate(scene)):
        for name in (*export.POSITION_ARRAYS, *export.UPDATE_ARRAYS):
            assert np.array_equal(np.array(run[name], dtype=float), getattr(traj, name)), name
    # The fast writer writes what json.dumps would, up to layout.
    assert doc == json.loads(json.dumps(export.export_dict(scene, simulate(scene))))


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_params_hold_lr_every_hyperparameter_the_batch_and_the_schedule(optimizer):
    schedule = "warmup"
    scene = from_query(f"?surface=regression&steps=10&run={optimizer}:schedule={schedule},batch=4").scene
    (run,) = export.export_dict(scene, simulate(scene))["runs"]
    expected = {"lr", "batch_size", "shuffle"}
    expected |= {p.name for p in OPTIMIZERS[optimizer].params} | {p.name for p in SCHEDULES[schedule].params}
    assert set(run["params"]) == expected
    assert run["params"]["batch_size"] == 4 and run["schedule"] == schedule
    assert run["params"] == {"lr": scene.runs[0].lr, "batch_size": 4, "shuffle": True,
                             **scene.runs[0].hyperparams(), **scene.runs[0].schedule_hyperparams()}  # fmt: skip


def test_float_texts_are_reprs_and_keep_the_sign_of_zero():
    values = [0.0, -0.0, 1e-05, 0.1, 0.1, 0.1, 0.1, 1e300]
    assert export.float_texts(values) == [repr(v) for v in values]
    assert export.float_texts([0.3] * 1000) == ["0.3"] * 1000
    with pytest.raises(ValueError):
        export.float_texts([1.0, float("nan")])


# ---------------------------------------------------------------- CSV


def test_csv_has_a_row_per_run_and_position(tmp_path, capsys):
    out = tmp_path / "small.csv"
    render_ok(capsys, BATCHED, out)
    with out.open(newline="", encoding="utf-8") as fp:
        header, *rows = list(csv.reader(fp))
    assert tuple(header) == export.CSV_COLUMNS
    scene = from_query(BATCHED).scene
    trajectories = simulate(scene)
    assert len(rows) == sum(len(t.x) for t in trajectories)
    doc = export.export_dict(scene, trajectories)
    assert rows == [[str(v) for v in row] for row in export.csv_rows(doc)]
    last = [row for row in rows if row[0] == "1"][-1]
    assert last[1] == "a,b" and last[3] == "40" and last[7:] == [""] * 5
    assert float(last[4]) == trajectories[1].x[-1]


# ---------------------------------------------------------------- determinism and round trips


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_the_same_scene_gives_byte_identical_files(tmp_path, capsys, suffix):
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    render_ok(capsys, BATCHED, first)
    simulate.cache_clear()
    render_ok(capsys, BATCHED, second)
    assert first.read_bytes() == second.read_bytes()


def test_an_export_read_back_as_scene_gives_the_same_scene_and_file(tmp_path, capsys):
    out, again = tmp_path / "out.json", tmp_path / "again.json"
    render_ok(capsys, BATCHED, out)
    assert render_ok(capsys, str(out), again) == ""
    assert out.read_bytes() == again.read_bytes()
    doc = load_json(out)
    assert export.scene_from_export(doc).scene == from_query(BATCHED).scene
    bare, query_only = tmp_path / "bare.json", tmp_path / "query.json"
    bare.write_text(json.dumps(doc["scene"]), encoding="utf-8")
    query_only.write_text(json.dumps({"query": doc["query"]}), encoding="utf-8")
    for path in (bare, query_only):
        assert render_ok(capsys, str(path), tmp_path / "from.json") == ""
        assert load_json(tmp_path / "from.json")["scene"] == doc["scene"]


def test_scene_dicts_round_trip_every_field():
    runs = (
        Run("adam", lr=0.003, params=(("beta1", 0.8),), schedule="step", schedule_params=(("gamma", 0.25),)),
        Run("rmsprop", batch_size=7, shuffle=False, label="slow, noisy"),
    )
    scene = Scene("regression", runs, start=(-1.0, 2.5), steps=77, seed=9, view=(-2.0, 3.0, -3.0, 4.0))
    d = export.scene_to_dict(scene)
    assert export.scene_from_dict(json.loads(json.dumps(d))) == (scene, ())


def test_bad_scene_values_fall_back_to_defaults_with_a_warning_each():
    d = {
        "surface": "moon",
        "steps": "many",
        "view": [1, 2],
        "colour": "red",
        "runs": [
            {"optimizer": "adam", "lr": -1, "params": {"beta1": 2, "bogus": 1, "eps": 0.5}, "shuffle": "no"},
            5,
            {"optimizer": "gd", "batch_size": 3, "lr": 10**400},
        ],
    }
    scene, warnings = export.scene_from_dict(d)
    assert scene == Scene(runs=(Run("adam", params=(("eps", 0.5),)), Run("gd")))
    text = "\n".join(warnings)
    needles = (
        "moon",
        "steps",
        "view",
        "colour",
        "runs[0].lr",
        "beta1",
        "bogus",
        "shuffle",
        "runs[1]",
        "batch",
        "large",
    )
    for needle in needles:
        assert needle in text, needle


JSON = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
FIELD = st.sampled_from([*export.scene_to_dict(Scene()), *export.run_to_dict(Run()), "x_range", "y_range"])
SCENE_LIKE = st.recursive(
    JSON, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(FIELD, inner, max_size=6), max_leaves=20
)


@settings(max_examples=150, deadline=None)
@given(SCENE_LIKE)
def test_any_json_gives_a_scene_never_an_exception(doc):
    result = export.scene_from_export(doc)
    assert isinstance(result.scene, Scene) and all(isinstance(w, str) for w in result.warnings)


# ---------------------------------------------------------------- the CLI


def test_a_query_with_bad_values_still_renders_and_warns(tmp_path, capsys):
    out = tmp_path / "warned.csv"
    err = render_ok(capsys, "?steps=lots&seed=-1&run=adam:lr=oops", out)
    lines = err.splitlines()
    assert len(lines) == 3 and all(line.startswith("warning: ") for line in lines)
    assert out.exists()


@pytest.mark.parametrize("suffix", [".png", ".json"])
def test_a_refused_formula_stops_with_its_error_and_place_and_writes_nothing(tmp_path, capsys, suffix):
    out = tmp_path / f"typo{suffix}"
    err = render_fails(capsys, "?formula=x^2 + 10*sinn(y)&steps=20", "-o", str(out))
    assert "Unknown function 'sinn' at position 10" in err and "x^2 + 10*sinn(y)" in err, err
    assert "using" not in err and "nothing written" in err  # no fallback surface is drawn
    assert not out.exists()


@pytest.mark.parametrize("query, words", [
    ("?surface=moon&steps=20", "surface='moon' is not a surface"),
    ("?lesson=no-such&steps=20", "lesson='no-such' is not a lesson"),
    ("?" + "&".join(f"k{i}=1" for i in range(30)) + "&formula=x^^2", "formula='x^^2'"),  # past the warning cap
])
def test_a_refused_surface_or_lesson_stops_too(tmp_path, capsys, query, words):
    out = tmp_path / "x.json"
    err = render_fails(capsys, query, "-o", str(out))
    assert words in err and "using" not in err and "ignored" not in err, err
    assert not out.exists()


def test_a_scene_file_with_a_refused_formula_stops_too(tmp_path, capsys):
    scene = tmp_path / "scene.json"
    scene.write_text(json.dumps({"surface": "formula", "formula": "x^2 + sinn(y)"}), encoding="utf-8")
    err = render_fails(capsys, str(scene), "-o", str(tmp_path / "x.json"))
    assert "scene.formula: Unknown function 'sinn' at position 7" in err, err


def test_an_unknown_lesson_names_the_lessons(tmp_path, capsys):
    err = render_fails(capsys, "no-such-lesson", "-o", str(tmp_path / "x.json"))
    assert "unknown lesson 'no-such-lesson'" in err
    assert all(lesson in err for lesson in LESSONS) and "?" in err
    assert not (tmp_path / "x.json").exists()


def test_a_missing_file_and_invalid_json_are_usage_errors(tmp_path, capsys):
    for gone in ("gone.json", "lr=0.1.json"):
        assert "no such file" in render_fails(capsys, str(tmp_path / gone), "-o", str(tmp_path / "x.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert "not valid JSON" in render_fails(capsys, str(broken), "-o", str(tmp_path / "x.json"))


def test_an_unsupported_extension_names_the_supported_ones(tmp_path, capsys):
    err = render_fails(capsys, SMALL, "-o", str(tmp_path / "x.bmp"))
    assert all(suffix in err for suffix in render.WRITERS)
    assert not (tmp_path / "x.bmp").exists()


def test_an_unwritable_output_is_a_usage_error(tmp_path, capsys):
    assert "cannot write" in render_fails(capsys, SMALL, "-o", str(tmp_path / "no" / "dir" / "x.json"))


def test_a_real_lesson_exports_with_its_id(tmp_path, capsys):
    if not LESSONS:
        pytest.skip("no lessons registered yet")
    # The smallest lesson keeps this fast: a 6 x 100,000-step lesson takes seconds to export.
    lesson = min(LESSONS.values(), key=lambda lesson: lesson.scene.steps * len(lesson.scene.runs))
    out, again = tmp_path / "lesson.json", tmp_path / "again.json"
    render_ok(capsys, lesson.id, out)
    doc = load_json(out)
    assert doc["lesson"] == lesson.id and len(doc["runs"]) == len(lesson.scene.runs)
    render_ok(capsys, str(out), again)
    assert again.read_bytes() == out.read_bytes()


def test_the_command_line_runs_as_a_script(tmp_path):
    out = tmp_path / "cli.csv"
    done = subprocess.run(
        [sys.executable, str(ROOT / "render.py"), SMALL, "-o", str(out)],
        check=False, capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(export.CSV_COLUMNS)


def test_a_typed_formula_exports_and_reads_back_as_the_same_scene(tmp_path, capsys):
    """A formula query typed as on a command line ('+' is a plus) gives a file that reopens the same surface."""
    out = tmp_path / "formula.json"
    assert render_ok(capsys, "?formula=(1-x)^2+100*(y-x^2)^2&view=-2,2,-1,3&run=adam:lr=0.05&steps=300", out) == ""
    doc = load_json(out)
    assert doc["scene"]["surface"] == "formula" and doc["scene"]["formula"] == "(1-x)^2+100*(y-x^2)^2"
    assert doc["surface"]["minima"] == [[pytest.approx(1.0, abs=1e-6), pytest.approx(1.0, abs=1e-6)]]
    parsed = export.scene_from_export(doc)
    assert parsed.warnings == () and export.export_dict(parsed.scene, simulate(parsed.scene)) == doc
