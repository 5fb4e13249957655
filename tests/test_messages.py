"""Messages in English and Chinese: one catalogue, the same placeholders, no English left in Chinese."""

import json
import ast
import pickle
import re
import string
from pathlib import Path
from urllib.parse import quote, unquote_plus

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lab.export import scene_from_dict
from lab.messages import CATALOGUE, Message, in_language, message_of
from lab.query import KEYS, RUN_KEYS, from_query
from lab.page_settings import HIDEABLE, LANGS, VIEW_MODES
from lab.scene import Run, Scene
from lab.simulate import simulate
from lessons import LESSONS
from optimizers import OPTIMIZERS
from optimizers.schedules import SCHEDULES
from surfaces import SURFACES
from surfaces.formula import formula_in_view_problem, formula_surface
from surfaces.formula_parse import FormulaError, parse_formula
from surfaces.base import Box

TESTS = Path(__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_template_has_both_languages_with_the_same_placeholders(key):
    en, zh = CATALOGUE[key]
    assert _fields(en) == _fields(zh), key
    # a template with words has Chinese words; the id-only pieces ("", "{text}") are the same in both
    if re.search(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}", "", en)) and key != "formula.rule":
        assert CJK.search(zh), f"{key}: {zh!r} has no Chinese"


def test_a_message_is_its_english_text_and_renders_in_chinese():
    m = Message("run.diverged", step=37)
    assert m == "diverged at step 37" and isinstance(m, str) and str(m) == "diverged at step 37"
    assert m.text("en") == m and m.text("zh") == "在第 37 步发散"
    assert m.key == "run.diverged" and m.params == {"step": 37}
    assert pickle.loads(pickle.dumps(m)).text("zh") == m.text("zh")
    with pytest.raises(ValueError, match="a language is one of en, zh, not 'fr'"):
        m.text("fr")


def test_nested_messages_render_in_the_same_language_and_clauses_lose_their_full_stop():
    error = message_of(_formula_error("x +* y"))
    m = Message("query.bad_formula", value="'x +* y'", error=error, surface="valley")
    assert str(m).startswith("formula='x +* y': The formula cannot be read") and ".;" not in m
    zh = m.text("zh")
    assert zh.startswith("formula='x +* y'：无法读取公式") and "。；" not in zh and zh.endswith("改用 'valley'")


def _formula_error(text) -> FormulaError:
    with pytest.raises(FormulaError) as info:
        parse_formula(text)
    return info.value


def test_a_formula_error_keeps_its_english_and_position_and_renders_in_chinese():
    error = _formula_error("sin(x) + foo(y)")
    assert str(error) == (
        "Unknown function 'foo' at position 10: the functions are sin, cos, tan, exp, log, sqrt, abs, tanh, min, max."
    )
    assert error.position == 9 and error.caret.endswith("         ^")  # the caret index counts from 0, the sentence from 1
    assert error.in_language("zh") == (
        "未知的函数 'foo'（位置 10）：可用的函数有 sin, cos, tan, exp, log, sqrt, abs, tanh, min, max。"
    )
    assert message_of(error) == str(error) and message_of(error).text("zh") == error.in_language("zh")


def test_a_scene_error_carries_its_message():
    with pytest.raises(ValueError) as info:
        Run(lr=-1)
    m = message_of(info.value)
    assert m == str(info.value) == "learning rate must be from 1e-12 to 10000, not -1.0"
    assert m.text("zh") == "学习率必须在 1e-12 到 10000 之间，而不是 -1.0"
    assert in_language(info.value, "zh") == m.text("zh") and in_language("plain", "zh") == "plain"


def test_run_status_messages_have_chinese():
    (traj,) = simulate(Scene("tilted-valley", runs=(Run("gd", lr=3.0),), steps=5000))
    assert traj.status == "diverged" and traj.message == f"diverged at step {traj.diverged_at}"
    assert traj.message.text("zh") == f"在第 {traj.diverged_at} 步发散"
    minimum = SURFACES["tilted-valley"].minima[0]
    (stuck,) = simulate(Scene("tilted-valley", runs=(Run("adagrad", lr=0.1),), start=minimum, steps=10))
    assert stuck.status == "undefined" and "σ = 0" in stuck.message.text("zh") and CJK.search(stuck.message.text("zh"))


def test_the_finite_share_problem_of_a_formula_has_chinese():
    surface = formula_surface("log(x)", Box(1, 3, -1, 1))
    zh = formula_in_view_problem(surface, Box(-3, -1, -1, 1), lang="zh")
    assert "100%" in zh and "视图" in zh and "x ∈ [-3, -1]" in zh


# ---------------------------------------------------------------- no English left in Chinese

_NAMES = {
    *KEYS, *RUN_KEYS, *OPTIMIZERS, *SCHEDULES, *SURFACES, *LESSONS, "formula", *LANGS, *HIDEABLE, *VIEW_MODES,
    *(p.name for spec in (*OPTIMIZERS.values(), *SCHEDULES.values()) for p in spec.params),
}
# Words that are names, literal values or notation, not English: key names, true/false/null, x_min, eps...
_ALLOWED = {
    *(part for name in _NAMES for part in re.split(r"[-_]", name)), *_NAMES,
    "x", "y", "f", "e", "pi", "inf", "nan", "x_min", "x_max", "y_min", "y_max", "x_range", "y_range",
    "a", "b", "c", "d", "true", "false", "null", "JSON", "eps", "sin", "cos", "tan", "exp", "log", "sqrt",
    "abs", "tanh", "min", "max", "int", "float", "bytes", "NoneType", "list", "dict", "tuple", "bool",
    # the JSON scene's key paths: scene.runs[0].batch_size
    "scene", "runs", "optimizer", "params", "schedule_params", "batch_size",
}
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'")


def _english_words(zh: str, query: str) -> set[str]:
    """Words in ``zh`` that are neither quoted values, words of the user's own text, nor allowed names."""
    text = f"{query} {unquote_plus(query, errors='replace')}" if isinstance(query, str) else ""
    user = set(re.findall(r"[A-Za-z_0-9]+", text))
    words = {w for w in re.findall(r"[A-Za-z_0-9]+", _QUOTED.sub("", zh)) if re.search("[A-Za-z]", w)}
    return {w for w in words if w not in _ALLOWED and w not in user and w.lower() not in user and not re.fullmatch(r"[0-9.]*e[0-9]*", w)}


def _literal_queries() -> list[str]:
    """Every string constant that looks like a link in the query tests: the hostile corpus."""
    tree = ast.parse((TESTS / "test_query.py").read_text(encoding="utf-8"))
    return sorted(
        {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and "=" in n.value}
    )


def _formula_queries() -> list[str]:
    """The formula tests' hostile texts, typed into a link."""
    tree = ast.parse((TESTS / "test_formula.py").read_text(encoding="utf-8"))
    hostile = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "HOSTILE")
    texts = [elt.elts[0].value for elt in hostile.value.elts if isinstance(elt.elts[0], ast.Constant)]
    return ["?formula=" + quote(t, safe="") for t in texts if isinstance(t, str)]


CORPUS = [
    *_literal_queries(),
    *_formula_queries(),
    "?steps=0&seed=-1&epochs=5&start=1&view=1,0,0,1&junk=1&steps=3",
    "?surface=linear-regression&run=gd:batch=999,shuffle=maybe,label=" + "x" * 70 + "&epochs=100000",
    "?surface=nope&lesson=nope&run=adamw:lr=1e99,beta1=2,schedule=cosine,gamma=3&run=" + "&run=gd" * 9,
    "?formula=log(x)&view=-3,-1,-1,1",
    "&".join(f"k{i}=1" for i in range(30)),
    12345,
    "?" + "a" * 30_000,
]


def test_the_corpus_is_large_and_yields_warnings():
    warned = [q for q in CORPUS if from_query(q).warnings]
    assert len(CORPUS) > 80 and len(warned) > 60


@pytest.mark.parametrize("query", CORPUS, ids=range(len(CORPUS)))
def test_bad_links_warn_in_chinese_without_english_words(query):
    for warning in from_query(query).warnings:
        zh = warning.text("zh")
        assert CJK.search(zh), zh
        assert not _english_words(zh, query), (warning, zh)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_scene_dicts = st.fixed_dictionaries(
    {},
    optional={
        "surface": _json_values | st.sampled_from(list(SURFACES)),
        "steps": _json_values,
        "start": _json_values,
        "view": _json_values,
        "epochs": _json_values,
        "runs": st.lists(
            st.fixed_dictionaries(
                {},
                optional={"optimizer": _json_values, "lr": _json_values, "params": _json_values, "batch_size": _json_values},
            )
            | _json_values,
            max_size=3,
        ),
        "junk": _json_values,
    },
)


@given(_scene_dicts)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_bad_json_scenes_warn_in_chinese_without_english_words(d):
    for warning in scene_from_dict(d)[1]:
        zh = warning.text("zh")
        for own in sorted(_strings(d), key=len, reverse=True):  # a key with a quote in it ("0'") would
            zh = zh.replace(own, " ")  # pair with the message's own quotes and glue words together
        assert not _english_words(zh, _all_text(d)), (warning, warning.text("zh"))


def _strings(value) -> set[str]:
    """The user's own keys and text values of two characters or more that hold a quote."""
    if isinstance(value, dict):
        return {s for k, v in value.items() for s in (*_strings(k), *_strings(v))}
    if isinstance(value, list):
        return {s for v in value for s in _strings(v)}
    return {value} if isinstance(value, str) and len(value) >= 2 and "'" in value else set()


def _all_text(value) -> str:
    """Every key and value of a JSON value, as text and as JSON (a warning quotes a value the way JSON
    writes it: None as null, a control character as \\u001f): the user's own words."""
    return f"{_plain_text(value)} {json.dumps(value)}"


def _plain_text(value) -> str:
    if isinstance(value, dict):
        return " ".join(f"{_plain_text(k)} {_plain_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return " ".join(map(_plain_text, value))
    return str(value)


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_random_text_warns_in_chinese_without_english_words(query):
    for warning in from_query(query).warnings:
        assert not _english_words(warning.text("zh"), query), (warning, warning.text("zh"))


def _near_valid_queries():
    from test_query import near_valid_queries  # the query tests' strategy of almost-right links

    return near_valid_queries


@given(st.deferred(_near_valid_queries))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_near_valid_links_warn_in_chinese_without_english_words(query):
    for warning in from_query(query).warnings:
        assert not _english_words(warning.text("zh"), query), (warning, warning.text("zh"))


# ---------------------------------------------------------------- the page's labels

from lab.strings import UI, registry_label, ui_text  # noqa: E402


@pytest.mark.parametrize("key", sorted(UI))
def test_every_page_label_has_both_languages_with_the_same_placeholders(key):
    en, zh = UI[key]
    assert en and zh and _fields(en) == _fields(zh)
    if re.search(r"[a-z]{3,}", re.sub(r"\{[^}]*\}", "", en)) and key not in ("lang.switch",):
        assert CJK.search(zh), key


@pytest.mark.parametrize(
    "kind, registry", [("surface", SURFACES), ("optimizer", OPTIMIZERS), ("schedule", SCHEDULES)]
)
def test_every_registered_name_has_a_chinese_label(kind, registry):
    for name, spec in registry.items():
        assert registry_label(kind, name, "en") == spec.label
        assert CJK.search(registry_label(kind, name, "zh")) or name in ("adam", "radam"), name


def test_every_hyperparameter_has_a_chinese_label():
    for owner, spec in (*OPTIMIZERS.items(), *SCHEDULES.items()):
        for p in spec.params:
            assert registry_label("param", p.name, "en", owner) == p.label
            assert registry_label("param", p.name, "zh", owner)
    assert ui_text("run.legend", "zh", index=2) == "运行 2"


def test_chinese_sets_one_space_between_chinese_and_latin_where_a_value_meets_the_template():
    from lab.query import from_query

    (steps,) = from_query("?steps=0").warnings
    assert steps.text("zh") == "steps='0' 不是 10 到 100,000 之间的整数；改用 1,000"  # was 不是1 到
    (lr,) = from_query("?run=gd:lr=abc").warnings
    assert lr.text("zh").endswith("不是 1e-12 到 10,000 之间的数；改用默认值 0.01")  # was 改用 默认值
    # a value's own spaces and letters are never touched
    assert Message("verbatim", text="a 中 b").text("zh") == "a 中 b"
