"""The classroom layer in a real browser (assets/classroom.js, assets/classroom.css): the keys,
predict-then-reveal, the language and projector switches, the exercise link, a phone and a projector.

Screenshots land in artifacts/screenshots/ (classroom-phone-375.png, classroom-projector-1280x720.png).
"""

from __future__ import annotations

import json

import pytest

from lessons import LESSONS
from tests.browser.test_explorer import DRAWN, LR_0, TRACE_XY, trace_xy, wait_for_change

pytestmark = pytest.mark.browser

PLAYER = "window.errorSurfacePlayer.state"
# The runs' trace groups on the plot, as classroom.js marks them, and whether each is shown.
RUN_GROUPS = """() => Array.from(document.querySelectorAll('#surface-graph g.lab-run-path, #surface-graph g.lab-run-marker'))
    .map(g => getComputedStyle(g).visibility)"""
START_SHOWN = """() => {
    const gd = document.querySelector('#surface-graph .js-plotly-plot');
    return Array.from(gd.querySelectorAll('g.trace')).some(g => g.__data__[0].trace.name === 'start'
        && getComputedStyle(g).visibility === 'visible');
}"""


def open_scene(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(DRAWN)
    page.wait_for_function(f"() => {PLAYER}.data !== null")


def nothing_focused(page) -> None:
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


def lesson_ids(page) -> list[str]:
    return page.evaluate("() => document.querySelector('.page').dataset.lessons.split(',')")


# ---------------------------------------------------------------- keys


def test_space_plays_and_pauses_without_scrolling(page, server):
    open_scene(page, f"{server}/?lesson=saddle-momentum")
    nothing_focused(page)
    page.keyboard.press("Space")
    page.wait_for_function(f"() => {PLAYER}.playing")
    page.keyboard.press("Space")
    page.wait_for_function(f"() => !{PLAYER}.playing")
    assert page.evaluate("window.scrollY") == 0
    assert page.locator("#anim-play").get_attribute("aria-pressed") == "false"


def test_arrows_step_one_frame(page, server):
    open_scene(page, f"{server}/?lesson=saddle-momentum")
    last = page.evaluate(f"() => {PLAYER}.data.steps.length - 1")
    nothing_focused(page)
    for _ in range(3):  # pressed quickly: none of them lost
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"n => {PLAYER}.frame === n", arg=last - 2)


def test_a_digit_opens_that_lesson(page, server):
    open_scene(page, f"{server}/?lesson=adam")
    first, second = lesson_ids(page)[:2]
    assert first in LESSONS and second in LESSONS
    caption = page.locator("#caption").inner_text()
    nothing_focused(page)
    page.keyboard.press("2")
    page.wait_for_function(f"() => location.search.includes('lesson={second}')")
    page.wait_for_function("before => document.querySelector('#caption').innerText !== before", arg=caption)
    page.wait_for_function(f"() => document.querySelector('#lesson').innerText.includes({json.dumps(LESSONS[second].title('en'))})")


def test_keys_are_left_alone_while_typing(page, server):
    open_scene(page, f"{server}/?lesson=adam")
    page.locator(LR_0).focus()
    page.keyboard.press("1")
    page.keyboard.press("Space")
    assert "lesson=adam" in page.evaluate("location.search")
    assert page.evaluate(f"() => {PLAYER}.playing") is False


def test_question_mark_shows_the_keys_and_escape_closes_them(page, server):
    open_scene(page, f"{server}/?lesson=adam")
    page.locator("#keys-button").focus()
    page.keyboard.press("?")
    page.wait_for_function("() => !document.querySelector('#keys-help').hidden")
    assert page.evaluate("document.activeElement.id") == "keys-close"
    assert page.locator("#keys-help").is_visible()
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.querySelector('#keys-help').hidden")
    assert page.evaluate("document.activeElement.id") == "keys-button", "focus goes back where it was"
    page.locator("#keys-button").click()
    page.wait_for_function("() => !document.querySelector('#keys-help').hidden")
    page.locator("#keys-close").click()
    page.wait_for_function("() => document.querySelector('#keys-help').hidden")


# ---------------------------------------------------------------- predict, then reveal


def test_predict_hides_the_paths_until_reveal_then_plays(page, server):
    open_scene(page, f"{server}/?lesson=saddle-momentum&predict=1")
    runs = len(LESSONS["saddle-momentum"].scene.runs)
    page.wait_for_function("() => !document.querySelector('#predict-banner').hidden")
    assert page.evaluate(RUN_GROUPS) == ["hidden"] * (2 * runs)  # a path and a marker per run
    assert page.evaluate(START_SHOWN)
    assert not page.locator("#status").is_visible()
    assert page.evaluate("() => getComputedStyle(document.querySelector('#panels-graph')).visibility") == "hidden"
    page.locator("#reveal").click()
    page.wait_for_function("() => document.querySelector('#predict-banner').hidden")
    assert page.evaluate(RUN_GROUPS) == ["visible"] * (2 * runs)
    page.wait_for_function(f"() => {PLAYER}.playing || {PLAYER}.frame < {PLAYER}.data.steps.length - 1")
    assert page.locator("#status").is_visible()


# Whether each of the 3D view's run traces (paths, and the runs' end points) is drawn.
RUNS_3D = """() => {
    const gd = document.querySelector('#surface-graph .js-plotly-plot');
    if (!gd._fullLayout.scene) return null;
    return gd.data.filter(t => /^run-/.test(t.legendgroup || '') || (t.meta && t.meta.role === 'run-ends'))
        .map(t => t.visible !== false);
}"""


def test_predict_hides_the_3d_views_paths_too_until_reveal(page, server, artifacts):
    """WebGL: no CSS reaches its traces, so plotly.js hides them, also when the view is switched to 3D."""
    open_scene(page, f"{server}/?lesson=saddle-momentum&predict=1")
    page.wait_for_function("() => !document.querySelector('#predict-banner').hidden")
    page.locator("#view-mode input[value='3d']").check()
    page.wait_for_function(f"() => {{ const r = ({RUNS_3D})(); return r && r.length && r.every(v => !v); }}",
                           timeout=60_000)
    assert len(page.evaluate(RUNS_3D)) == len(LESSONS["saddle-momentum"].scene.runs) + 1  # the paths and their ends
    page.screenshot(path=artifacts / "classroom-predict-3d.png")
    page.locator("#reveal").click()
    page.wait_for_function(f"() => ({RUNS_3D})().every(v => v)")


def test_the_predict_switch_hides_the_next_lesson_and_r_reveals_it(page, server):
    open_scene(page, f"{server}/?lesson=adam")
    assert page.evaluate(RUN_GROUPS).count("visible") > 0
    page.locator("#predict label").click()
    page.wait_for_function("() => document.querySelector('.page').classList.contains('predicting')")
    before = trace_xy(page, "name", "start")
    nothing_focused(page)
    page.keyboard.press("9")  # saddle-momentum's start differs from adam's
    wait_for_change(page, TRACE_XY, before, ["name", "start"])
    page.wait_for_function("() => !document.querySelector('#predict-banner').hidden")
    assert set(page.evaluate(RUN_GROUPS)) == {"hidden"}
    page.keyboard.press("r")
    page.wait_for_function("() => !document.querySelector('.page').classList.contains('predicting')")
    assert set(page.evaluate(RUN_GROUPS)) == {"visible"}
    page.wait_for_function(f"() => {PLAYER}.playing || {PLAYER}.frame < {PLAYER}.data.steps.length - 1")


# ---------------------------------------------------------------- switches and the exercise link


def test_the_language_switch_reloads_in_chinese_and_back(page, server):
    formula = "?formula=x%5E2%20%2B%2010%2Ay%5E2"
    open_scene(page, f"{server}/{formula}")
    page.locator("#lang-switch").click()
    page.wait_for_url("**lang=zh")
    page.wait_for_function(DRAWN)
    assert page.evaluate("location.search").startswith(formula), "the formula's %2B kept as it was"
    assert page.locator(".page").get_attribute("data-lang") == "zh"
    page.locator("#lang-switch").click()
    page.wait_for_function("() => !location.search.includes('lang=') && document.querySelector('.page[data-lang=en]')")


def test_the_projector_switch_and_p_toggle_view_present(page, server):
    open_scene(page, f"{server}/?lesson=adam")
    page.locator("#present-switch").click()
    page.wait_for_url("**view=present")
    page.wait_for_function(DRAWN)
    assert "present" in page.locator(".page").get_attribute("class")
    nothing_focused(page)
    page.keyboard.press("p")
    page.wait_for_function("() => !location.search.includes('view=') && document.querySelector('.page[data-present=false]')")


def test_projector_mode_folds_the_settings_away_behind_a_toggle(page, server):
    open_scene(page, f"{server}/?lesson=adam&view=present")
    toggle = page.locator("#side-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#controls").is_visible()
    assert page.locator("#caption").is_visible(), "the caption stays beside the plot"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#controls").is_visible()
    toggle.click()
    assert not page.locator("#controls").is_visible()


def test_projector_mode_with_no_lesson_folds_to_the_plot_alone(page, server):
    """No caption to keep: the folded side bar leaves one column, the plot's (classes, not :has())."""
    open_scene(page, f"{server}/?surface=bowl&view=present")
    page.wait_for_function("() => document.querySelector('.page').classList.contains('caption-empty')")
    assert not page.locator("#side").is_visible()
    columns = page.evaluate("() => getComputedStyle(document.querySelector('.main')).gridTemplateColumns")
    assert len(columns.split()) == 1, columns
    assert page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)") == 22
    page.locator("#side-toggle").click()
    assert page.locator("#controls").is_visible()
    page.locator("#lesson").click()  # a lesson brings its caption, and the folded side bar keeps it
    page.keyboard.type("Adam")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('.page').classList.contains('caption-empty')")
    page.locator("#side-toggle").click()
    assert page.locator("#caption").is_visible() and not page.locator("#controls").is_visible()
    assert len(page.evaluate("() => getComputedStyle(document.querySelector('.main')).gridTemplateColumns").split()) == 2


def test_the_exercise_link_hides_the_ticked_controls(page, server):
    open_scene(page, f"{server}/?lesson=adam&hide=seed")
    page.locator(".exercise summary").click()
    for name in ("lr", "optimizer"):  # ticked out of order: the link keeps the list's order
        page.locator(f"#exercise-hide input[value={name}]").check()
    page.wait_for_function("() => document.querySelector('#exercise-link').value.includes('optimizer')")
    link = page.locator("#exercise-link").input_value()
    assert link.startswith(server + "/?lesson=adam")
    assert link.endswith("&hide=seed,optimizer,lr"), link  # the link's hide= replaced, in the list's order
    page.locator("#exercise-hide input[value=seed]").uncheck()
    page.wait_for_function("() => document.querySelector('#exercise-link').value.endsWith('&hide=optimizer,lr')")
    page.locator("#exercise-hide input[value=lr]").uncheck()
    page.wait_for_function("() => document.querySelector('#exercise-link').value.endsWith('&hide=optimizer')")


# ---------------------------------------------------------------- a phone and a projector


def test_a_phone_fits_375_px_and_a_tap_moves_the_start(browser, server, artifacts):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        open_scene(page, f"{server}/?lesson=saddle-momentum")
        page.screenshot(path=artifacts / "classroom-phone-375.png")
        assert page.evaluate("document.documentElement.scrollWidth") <= 376
        plot, controls = page.locator("#surface-graph").bounding_box(), page.locator("#controls").bounding_box()
        assert plot["y"] + plot["height"] <= controls["y"], "the plot above the controls"
        before = trace_xy(page, "name", "start")
        box = page.locator("#surface-graph .nsewdrag").bounding_box()
        page.touchscreen.tap(box["x"] + 0.3 * box["width"], box["y"] + 0.7 * box["height"])
        wait_for_change(page, TRACE_XY, before, ["name", "start"])
    finally:
        context.close()


def test_projector_mode_at_1280x720_reads_from_the_back(browser, server, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        open_scene(page, f"{server}/?lesson=saddle-momentum&view=present")
        page.screenshot(path=artifacts / "classroom-projector-1280x720.png")
        size = "sel => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize)"
        assert page.evaluate(size, ".page") >= 22
        assert page.evaluate(size, "#caption") >= 28
        assert page.evaluate(size, "#status") >= 20
        plot = page.locator("#surface-graph").bounding_box()
        assert plot["width"] >= 0.6 * 1280 and plot["height"] >= 0.55 * 720
        play = page.locator("#anim-play").bounding_box()
        assert play["y"] + play["height"] <= 720 and play["height"] >= 44, "play is on screen and easy to hit"
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    finally:
        context.close()
