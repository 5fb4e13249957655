"""The batch lab page in a real browser: it loads, measures with a progress bar, links to lessons that draw.

The measurement uses ``/batch?sweep=quick`` (3 batch sizes, about 1-2 s) so CI stays fast; the page's
default is the full sweep. Every test fails on a console error (see conftest.py).
"""

from __future__ import annotations

import json

import pytest

from lab.batch_summary import SUMMARY
from lessons import LESSONS
from tests.browser.test_explorer import DRAWN, PATHS

pytestmark = pytest.mark.browser

SECTIONS = ("timing", "timing-update", "timing-epoch", "escape", "sharp-flat", "shuffle", "summary")
QUICK = "/batch?sweep=quick"

TRACES = """(id) => {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    if (!gd || !gd._fullData) return null;
    const plain = v => (v && ArrayBuffer.isView(v)) ? Array.from(v) : v;
    return JSON.stringify(gd._fullData.map(t => [t.name, plain(t.y)]));
}"""
DRAWN_GRAPHS = """() => {
    const graphs = document.querySelectorAll('.batch-graph');
    return graphs.length === 4 && [...graphs].every(g => g.querySelector('.main-svg'));
}"""


def open_lab(page, base: str, path: str = QUICK) -> None:
    page.goto(base + path)
    page.wait_for_function(DRAWN_GRAPHS)


def timing_traces(page, graph: str = "timing-update-graph") -> list:
    return json.loads(page.evaluate(TRACES, graph) or "[]")


def test_the_lab_page_loads_every_section_with_the_h200_curves_at_once(page, server, artifacts):
    open_lab(page, server)
    for id_ in SECTIONS:
        assert page.locator(f"#{id_}").count() == 1, f"no section #{id_}"
    for graph in ("timing-update-graph", "timing-epoch-graph"):
        names = [name for name, _ in timing_traces(page, graph)]
        assert any("H200" in n and "2026-11-26" in n for n in names), names
    assert "0 of 100" in page.locator("#escape tbody tr").first.inner_text()  # full batch never escapes
    assert page.locator(".keskar-table tbody tr").count() == 2
    assert page.locator("#batch-warnings").count() == 0
    page.screenshot(path=artifacts / "batch-lab-desktop.png")


def test_measuring_shows_a_progress_bar_then_one_shared_measurement_in_every_tab(context, page, server, artifacts):
    other = context.new_page()
    open_lab(page, server)
    open_lab(other, server)
    if "Measure on this server" in page.locator("#measure").inner_text():  # not yet measured in this server
        page.click("#measure")
        page.wait_for_selector("#timing-bar", state="attached")
        page.screenshot(path=artifacts / "batch-lab-measuring.png")
    if other.locator("#measure").is_enabled():  # joins the job the first tab started (or sees its result)
        other.click("#measure")
    for tab in (page, other):
        tab.wait_for_function("() => document.querySelector('#timing-progress').textContent.includes('Measured on this server')")
        tab.wait_for_function(f"() => ({TRACES})('timing-update-graph').includes('CPU')")
    cpu = [[name, y] for name, y in timing_traces(page) if name.startswith("CPU")]
    assert len(cpu) == 2 and all(len(y) == 3 and min(y) > 0 for _, y in cpu)
    assert [t for t in timing_traces(other) if t[0].startswith("CPU")] == cpu  # the same numbers: one job
    assert "cores usable" in page.locator("#timing-machine").inner_text()
    # a later visitor sees the curves at once, with no button to press
    late = context.new_page()
    open_lab(late, server)
    assert [t for t in timing_traces(late) if t[0].startswith("CPU")] == cpu
    assert late.locator("#measure").is_disabled() and late.locator("#timing-bar").count() == 0
    page.screenshot(path=artifacts / "batch-lab-measured.png")


@pytest.mark.parametrize("lesson_id", ["noisy-escape", "sharp-flat", "shuffle"])
def test_each_lesson_link_opens_the_explorer_and_draws(page, server, lesson_id):
    open_lab(page, server)
    page.click(f"#open-{lesson_id}")
    page.wait_for_url(f"**/?lesson={lesson_id}")
    page.wait_for_function(DRAWN)
    assert len(json.loads(page.evaluate(PATHS))) == len(LESSONS[lesson_id].scene.runs)
    assert LESSONS[lesson_id].title_en in page.locator("#lesson").inner_text()


def test_summary_links_resolve_to_anchors_and_lessons(context, page, server):
    open_lab(page, server)
    links = page.eval_on_selector_all(".summary-link", "els => els.map(e => e.getAttribute('href'))")
    assert len(links) == 2 * len(SUMMARY)
    for href in sorted(set(links)):
        if href.startswith("/batch#"):
            assert page.locator(f"#{href.split('#', 1)[1]}").count() == 1, href
        else:
            tab = context.new_page()
            tab.goto(server + href)
            tab.wait_for_function(DRAWN)
            tab.close()
    # a link into the page scrolls to its panel once Dash has drawn it
    page.goto(server + "/batch#escape")
    page.wait_for_function(
        "() => { const s = document.querySelector('#escape'); return !!s && Math.abs(s.getBoundingClientRect().top) < 40; }"
    )


def test_the_explorer_and_the_lab_link_to_each_other(page, server):
    page.goto(server + "/")
    page.wait_for_function(DRAWN)
    page.click("#to-batch-lab")
    page.wait_for_function(DRAWN_GRAPHS)
    page.click("#to-explorer")
    page.wait_for_function(DRAWN)


def test_a_hostile_query_or_path_gets_a_message(page, server):
    open_lab(page, server, "/batch?sweep=%3Cimg%20src=x%20onerror=alert(1)%3E&x=1")
    warnings = page.locator("#batch-warnings").inner_text()
    assert "is not one of full, quick" in warnings and "Unknown setting 'x'" in warnings
    assert page.locator("img[src=x]").count() == 0
    page.goto(server + "/no/such/page")
    page.wait_for_selector("text=There is no page at")


def test_the_lab_fits_a_phone(browser, server, artifacts):
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2)
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        open_lab(page, server)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # tables scroll in their boxes
        page.screenshot(path=artifacts / "batch-lab-375.png")
        page.locator("#sharp-flat").scroll_into_view_if_needed()
        page.screenshot(path=artifacts / "batch-lab-375-sharp-flat.png")
        assert not errors
    finally:
        context.close()
