"""The explorer in a real browser: every lesson draws, controls redraw, links restore the scene.

Each test fails on any console error, page error or dialog (see conftest.py). Screenshots land in
artifacts/screenshots/; they show the viewport only, because a full-page capture enlarges the viewport,
which changes every height given in vh and catches the graphs in the middle of resizing. Waits are on
the page's state (``wait_for_function``), never on the clock.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from lessons import LESSONS
from surfaces import SURFACES

pytestmark = pytest.mark.browser

GRAPH = "#surface-graph .js-plotly-plot"
LR_0 = """[id='{"index":0,"type":"run-lr"}']"""  # dcc ids of pattern-matching components: keys sorted

DRAWN = """() => {
    const status = document.querySelector('#status');
    const gd = document.querySelector('#surface-graph .js-plotly-plot');
    return !!(status && /steps simulated|共模拟/.test(status.textContent)
        && document.querySelector('#surface-graph .main-svg') && gd && gd.data && gd.data.length);
}"""

# Read from _fullData, where Plotly has decoded the base64 arrays ({dtype, bdata}) of the figure.
# The runs' paths: line traces that are neither the minima, the start nor an animation marker.
PATHS = """() => {
    const gd = document.querySelector('#surface-graph .js-plotly-plot');
    if (!gd || !gd._fullData) return null;
    const plain = v => (v && ArrayBuffer.isView(v)) ? Array.from(v) : v;
    return JSON.stringify(gd._fullData
        .filter(t => (t.type || 'scatter') === 'scatter' && String(t.mode || '').includes('lines')
            && !['minima', 'start'].includes(t.name) && !String(t.uid || '').startsWith('marker'))
        .map(t => [plain(t.x), plain(t.y)]));
}"""

TRACE_XY = """([key, value]) => {
    const gd = document.querySelector('#surface-graph .js-plotly-plot');
    const t = gd && gd._fullData && gd._fullData.find(t => t[key] === value);
    if (!t) return null;
    const plain = v => (v && ArrayBuffer.isView(v)) ? Array.from(v) : v;
    return JSON.stringify([plain(t.x), plain(t.y)]);
}"""


def open_scene(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(DRAWN)


def paths(page) -> str:
    return page.evaluate(PATHS)


def trace_xy(page, key: str, value: str) -> str | None:
    """The trace's x and y as JSON text, or None when there is no such trace."""
    return page.evaluate(TRACE_XY, [key, value])


def wait_for_change(page, expression: str, before, arg=None) -> None:
    """Wait until the JS function ``expression`` (called with ``arg``) returns something else than ``before``."""
    page.wait_for_function(
        f"([arg, before]) => {{ const now = ({expression})(arg); return now !== null && now !== before; }}",
        arg=[arg, before],
    )


def require(page, *selectors: str) -> None:
    """Fail at once, not after a locator's time-out, when the page lacks an element."""
    for selector in selectors:
        assert page.locator(selector).count() == 1, f"no element {selector}"


def type_lr(page, value: str) -> None:
    box = page.locator(LR_0)
    box.fill(value)
    box.press("Enter")


def new_lr(page) -> str:
    """A learning rate unlike the one on screen (half of it), written as a user would."""
    current = float(page.locator(LR_0).input_value())
    return repr(current / 2)


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_every_lesson_loads_and_draws_without_errors(page, server, artifacts, lesson_id):
    open_scene(page, f"{server}/?lesson={lesson_id}")
    status = page.locator("#status").inner_text()
    assert "warning" not in status.lower(), status
    assert len(json.loads(paths(page))) == len(LESSONS[lesson_id].scene.runs), "not one path per run"
    page.screenshot(path=artifacts / f"lesson-{lesson_id}.png")


def test_changing_a_learning_rate_redraws_the_path(page, server):
    open_scene(page, f"{server}/?lesson=lr-too-large")
    require(page, LR_0)
    before = paths(page)
    type_lr(page, new_lr(page))
    wait_for_change(page, PATHS, before)


def test_a_typo_in_a_learning_rate_keeps_the_lesson(page, server, artifacts):
    """'abc' over adagrad-eruption's 0.15 used to set 0.01 (the link's default): no eruption, label lost."""
    open_scene(page, f"{server}/?lesson=adagrad-eruption")
    require(page, LR_0)
    before = paths(page)
    type_lr(page, "abc")
    page.wait_for_function("() => /kept 0\\.15/.test(document.querySelector('#status').textContent)")
    status = page.locator("#status").inner_text()
    assert "run 1: η 'abc' is not a number from 1e-12 to 10,000: kept 0.15" in status, status
    assert page.locator(LR_0).input_value() == "0.15"  # the box shows the value kept
    assert paths(page) == before and "lesson=adagrad-eruption" in page.url and "run=" not in page.url
    assert trace_xy(page, "name", "Adagrad η=0.15") is not None  # the lesson's label stays
    page.screenshot(path=artifacts / "lr-typo-kept.png")


def test_a_typo_in_the_steps_box_shows_the_kept_value_again(page, server):
    """The other boxes are written back with dash.set_props, not as outputs of every change."""
    open_scene(page, f"{server}/?lesson=adagrad-eruption")
    require(page, "#steps")
    before = page.locator("#steps").input_value()
    page.locator("#steps").fill("abc")
    page.locator("#steps").press("Enter")
    page.wait_for_function("() => /kept/.test(document.querySelector('#status').textContent)")
    page.wait_for_function(f"() => document.querySelector('#steps').value === {before!r}")
    assert "lesson=adagrad-eruption" in page.url and "steps=" not in page.url


def test_clicking_the_plot_moves_the_start(page, server):
    open_scene(page, f"{server}/?lesson=saddle-momentum")
    require(page, "#start-x", "#start-y")
    start_before = trace_xy(page, "name", "start")
    inputs_before = (page.locator("#start-x").input_value(), page.locator("#start-y").input_value())
    # The candidate point of the plot area farthest from the current start, in data units too.
    target = page.evaluate(
        """() => {
        const gd = document.querySelector('#surface-graph .js-plotly-plot');
        const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        const start = gd._fullData.find(t => t.name === 'start');
        const sx = box.left + xa.d2p(start.x[0]), sy = box.top + ya.d2p(start.y[0]);
        let best = null;
        for (const [fx, fy] of [[0.3, 0.3], [0.7, 0.7], [0.3, 0.7], [0.7, 0.3]]) {
            const px = box.left + fx * box.width, py = box.top + fy * box.height;
            const d = Math.hypot(px - sx, py - sy);
            if (!best || d > best.d) best = {d, px, py,
                x: xa.p2d(px - box.left), y: ya.p2d(py - box.top),
                dx: Math.abs(xa.range[1] - xa.range[0]), dy: Math.abs(ya.range[1] - ya.range[0])};
        }
        return best;
    }"""
    )
    page.mouse.click(target["px"], target["py"])
    wait_for_change(page, TRACE_XY, start_before, ["name", "start"])
    page.wait_for_function(
        "([x, y]) => document.querySelector('#start-x').value !== x && document.querySelector('#start-y').value !== y",
        arg=list(inputs_before),
    )
    (x,), (y,) = json.loads(trace_xy(page, "name", "start"))
    assert abs(x - target["x"]) <= 0.02 * target["dx"] and abs(y - target["y"]) <= 0.02 * target["dy"]
    assert float(page.locator("#start-x").input_value()) == pytest.approx(x, rel=1e-3, abs=1e-3 * target["dx"])
    assert float(page.locator("#start-y").input_value()) == pytest.approx(y, rel=1e-3, abs=1e-3 * target["dy"])


def test_play_moves_the_marker(page, server):
    open_scene(page, f"{server}/?lesson=saddle-momentum")
    require(page, "#anim-play")
    before = trace_xy(page, "uid", "marker-0")
    page.locator("#anim-play").click()
    wait_for_change(page, TRACE_XY, before, ["uid", "marker-0"])


# Run `run`'s trail as the player drew it (assets/animation.js drawTrails, its own SVG): the core's
# vertices in data units and pixels, how far (px) each lies from the run's drawn path line, and where
# the group sits: inside the subplot's clipped group, after the paths, before the first marker.
TRAIL = """(run) => {
    const gd = document.querySelector('#surface-graph .js-plotly-plot');
    const core = gd.querySelector(`g.esl-trails path.esl-trail-core[data-run="${run}"]`);
    if (!core) return null;
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const parse = d => [...d.matchAll(/([ML])\\s*(-?[\\d.e+-]+)[ ,](-?[\\d.e+-]+)/g)].map(m => [m[1], +m[2], +m[3]]);
    const px = parse(core.getAttribute('d'));
    const line = parse(gd.querySelector(`g.tracepath-${run} path.js-line`).getAttribute('d'));
    const far = ([, x, y]) => {
        let best = Infinity;
        for (let j = 1; j < line.length; j++) {
            if (line[j][0] === 'M') continue;
            const [, ax, ay] = line[j - 1], [, bx, by] = line[j];
            const l2 = (bx - ax) ** 2 + (by - ay) ** 2;
            const t = l2 ? Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / l2)) : 0;
            best = Math.min(best, Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay)));
        }
        return best;
    };
    const group = core.parentNode, layer = group.parentNode;
    const kids = [...layer.children], at = kids.indexOf(group);
    const role = n => n.__data__ && n.__data__[0] && n.__data__[0].trace.meta && n.__data__[0].trace.meta.role;
    return {
        x: px.map(p => xa.p2c(p[1])), y: px.map(p => ya.p2c(p[2])), px: px.map(p => [p[1], p[2]]),
        off: px.map(far), segments: px.filter(p => p[0] === 'L').length,
        edge: !!group.querySelector(`path.esl-trail-edge[data-run="${run}"]`),
        clip: layer.closest('[clip-path]') === gd._fullLayout._plots.xy.plot.node(),
        under: kids.slice(at + 1).some(n => role(n) === 'marker') && !kids.slice(0, at).some(n => role(n) === 'marker'),
        over: kids.slice(0, at).some(n => n.classList.contains('tracepath-' + run)),
        traces: gd.data.length, perPixel: [1 / Math.abs(xa._m), 1 / Math.abs(ya._m)],
    };
}"""


def test_a_run_that_flips_every_step_shows_a_trail_across_both_walls(page, server, artifacts):
    """The adam lesson: frames show every ~10th step and RMSProp flips wall to wall each step, so
    its marker stays on one wall; the trail the player draws (in its own SVG, no trace) since the
    previous frame spans both walls, lies on the path (after a zoom and a resize too) and is gone at the end."""
    from lab.animation import animation_data
    from lab.query import from_query
    from lab.simulate import simulate

    open_scene(page, f"{server}/?lesson=adam")
    require(page, "#anim-play")
    scene = from_query("?lesson=adam").scene
    trajectories = simulate(scene)
    traj = trajectories[1]
    steps = animation_data(scene, [traj])["steps"]
    assert page.evaluate(TRAIL, 1) is None  # a new scene stands at its end: no trail
    for k in (100, 101, 102):
        page.evaluate(f"window.errorSurfacePlayer.show({k})")
        drawn = page.evaluate(TRAIL, 1)
        wall = np.ptp(traj.y[steps[k - 1] : steps[k] + 1])
        assert np.ptp(drawn["y"]) > 0.9 * wall > 0, k
        (dx, dy), (x, y) = drawn["perPixel"], (traj.x[steps[k]], traj.y[steps[k]])  # drawn to 0.01 px
        assert abs(drawn["x"][-1] - x) < 0.02 * dx and abs(drawn["y"][-1] - y) < 0.02 * dy, k
        assert drawn["segments"] >= 4 and drawn["edge"], drawn  # the zigzag itself is on screen
        assert max(drawn["off"]) < 0.5, drawn["off"]  # on the path's own line, to the pixel
        assert drawn["clip"] and drawn["under"] and drawn["over"]
        assert drawn["traces"] == 1 + 2 * len(trajectories) + 2  # no trace of its own in the figure
    page.locator("#surface-graph").screenshot(path=str(artifacts / "trail-adam.png"))
    at, before = drawn["px"][-1], page.evaluate(
        "() => document.querySelector('g.esl-trails path.esl-trail-core[data-run=\"1\"]').getAttribute('d')")
    page.evaluate("""([x, y]) => { const gd = document.querySelector('#surface-graph .js-plotly-plot');
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, [x0, x1] = xa.range, [y0, y1] = ya.range;
        const cx = xa.p2c(x), cy = ya.p2c(y), w = (x1 - x0) / 6, h = (y1 - y0) / 6;
        return Plotly.relayout(gd, {'xaxis.range': [cx - w, cx + w], 'yaxis.range': [cy - h, cy + h]}); }""", at)
    page.wait_for_function("""(before) => { const gd = document.querySelector('#surface-graph .js-plotly-plot');
        const p = gd.querySelector('g.esl-trails path.esl-trail-core[data-run="1"]');
        return p && p.getAttribute('d') !== before; }""", arg=before)
    page.wait_for_timeout(1500)  # the server's zoomed path (view_zoomed) and the player's redraw after it
    zoomed = page.evaluate(TRAIL, 1)
    assert max(zoomed["off"]) < 0.5 and zoomed["segments"] >= 4 and zoomed["clip"], zoomed["off"]
    assert np.ptp([p[1] for p in zoomed["px"]]) > 2 * np.ptp([p[1] for p in drawn["px"]])  # drawn at the zoom's scale
    page.locator("#surface-graph").screenshot(path=str(artifacts / "trail-adam-zoomed.png"))
    page.set_viewport_size({"width": 900, "height": 800})
    page.wait_for_function("(w) => document.querySelector('#surface-graph .js-plotly-plot')._fullLayout.width !== w",
                           arg=page.evaluate("() => document.querySelector('#surface-graph .js-plotly-plot')._fullLayout.width"))
    page.wait_for_timeout(500)
    resized = page.evaluate(TRAIL, 1)
    assert max(resized["off"]) < 0.5 and resized["clip"], resized["off"]
    page.evaluate("window.errorSurfacePlayer.show(window.errorSurfacePlayer.state.data.steps.length - 1)")
    assert page.evaluate(TRAIL, 1) is None  # the end: the still figure's look
    assert page.evaluate("window.errorSurfacePlayer.stats.fallbacks") == 0


def test_a_shared_link_restores_the_scene(page, context, server):
    open_scene(page, f"{server}/?lesson=lr-too-large")
    require(page, LR_0)
    search_before, paths_before = page.evaluate("location.search"), paths(page)
    lr = new_lr(page)
    type_lr(page, lr)
    wait_for_change(page, PATHS, paths_before)
    page.wait_for_function("before => location.search !== before", arg=search_before)
    search, drawn = page.evaluate("location.search"), paths(page)

    other = context.new_page()
    open_scene(other, f"{server}/{search}")
    assert paths(other) == drawn
    assert float(other.locator(LR_0).input_value()) == float(lr)
    assert other.evaluate("location.search") == search


def test_a_hostile_link_opens_the_defaults_with_visible_warnings(page, server):
    open_scene(page, f"{server}/?steps=1e12&run=gd:lr=nan&surface=<script>")
    status = page.locator("#status")
    assert status.is_visible()
    text = status.inner_text()
    assert "1,000 steps simulated" in text  # the default steps, run and surface
    assert text.count("warning") >= 3 and "steps" in text and "surface" in text and "lr" in text
    assert "<script>" in text  # shown as text, not parsed
    assert float(page.locator(LR_0).input_value()) == 0.01 and page.locator("#steps").input_value() == "1000"
    title = page.evaluate(f"document.querySelector('{GRAPH}').layout.title.text")
    assert title == SURFACES["valley"].label
    injected = page.evaluate(
        """() => document.querySelectorAll('#react-entry-point script').length
            + [...document.querySelectorAll('script')].filter(s => !s.src && !s.textContent.trim()).length"""
    )
    assert injected == 0


def test_a_phone_sized_page_puts_the_controls_below_the_plot(page, server, artifacts):
    """Stacked: the plot and its player, then the lesson and its caption (what to notice), then the
    inspector and the panels, then the controls."""
    page.set_viewport_size({"width": 375, "height": 740})
    open_scene(page, f"{server}/")
    graph = page.locator("#surface-graph").bounding_box()
    lesson, caption = page.locator(".lesson-block").bounding_box(), page.locator("#caption").bounding_box()
    panels, controls = page.locator("#panels-graph").bounding_box(), page.locator("#controls").bounding_box()
    assert graph["y"] + graph["height"] <= lesson["y"] + 1 and lesson["y"] < caption["y"], (graph, lesson, caption)
    assert caption["y"] + caption["height"] <= panels["y"] + 1, (caption, panels)
    assert panels["y"] + panels["height"] <= controls["y"] + 1, (panels, controls)
    assert graph["width"] <= 375 and caption["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the page scrolls sideways"
    page.screenshot(path=artifacts / "phone.png")
    page.evaluate("document.querySelector('#controls').scrollIntoView()")
    page.screenshot(path=artifacts / "phone-controls.png")


def test_the_export_menu_downloads_the_scene_and_shows_its_command(page, server):
    open_scene(page, f"{server}/?lesson=saddle-momentum")
    page.click(".export summary")
    page.wait_for_function("document.querySelector('#render-command').value.includes('render.py')")
    command = page.input_value("#render-command")
    assert "saddle-momentum" in command and "-o" in command
    with page.expect_download() as download:
        page.click("#export-json")
    doc = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert doc["lesson"] == "saddle-momentum" and len(doc["runs"]) == len(LESSONS["saddle-momentum"].scene.runs)
    with page.expect_download() as download:
        page.click("#export-png")
    assert open(download.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"


# The plot's two layers: #surface-graph over #surface-contour (assets/layers.js).
PLOT_BOXES = """() => {
    const box = gd => {  // the plotting area on screen, from where plotly.js put it in its graph
        const fl = gd && gd._fullLayout; if (!fl || !fl.xaxis || !fl._size) return null;
        const r = gd.getBoundingClientRect(), s = fl._size;
        return [r.x + s.l + fl.xaxis.domain[0] * s.w, r.y + s.t + (1 - fl.yaxis.domain[1]) * s.h,
                (fl.xaxis.domain[1] - fl.xaxis.domain[0]) * s.w, (fl.yaxis.domain[1] - fl.yaxis.domain[0]) * s.h,
                ...fl.xaxis.range, ...fl.yaxis.range];
    };
    const front = box(document.querySelector('#surface-graph .js-plotly-plot'));
    const back = box(document.querySelector('#surface-contour'));
    return front && back && document.querySelector('#surface-contour .contourlayer path') ? [front, back] : null;
}"""


def test_the_contour_lies_exactly_under_the_plot_and_is_not_redrawn_for_new_paths(page, server):
    open_scene(page, f"{server}/?lesson=lr-too-large")
    page.wait_for_function(PLOT_BOXES)
    front, back = page.evaluate(PLOT_BOXES)
    assert front == pytest.approx(back, abs=0.5), "the contour layer is not under the plot area"
    draws = "window.errorSurfaceLayers.state.draws"
    drawn = page.evaluate(draws)
    before = paths(page)
    type_lr(page, new_lr(page))
    wait_for_change(page, PATHS, before)
    page.wait_for_timeout(300)  # a redraw of the contour would follow the paths' at once
    assert page.evaluate(draws) == drawn
    page.evaluate("""() => { const gd = document.querySelector('#surface-graph .js-plotly-plot');
        const [x0, x1] = gd._fullLayout.xaxis.range; return Plotly.relayout(gd, {'xaxis.range': [x0, (x0 + x1) / 2]}); }""")
    page.wait_for_function(  # a zoom draws the contour again, at the new ranges
        "() => { const b = (" + PLOT_BOXES + ")(); return b && b[0].join() === b[1].join(); }"
    )
    assert page.evaluate(draws) == drawn + 1


def test_the_3d_view_loads_the_full_plotly_and_hides_the_contour_layer(page, server, artifacts):
    open_scene(page, f"{server}/?lesson=saddle-momentum")
    assert page.evaluate("!window.Plotly.__full"), "the page should start with the cartesian bundle"
    page.locator("#view-mode input[value='3d']").check()
    page.wait_for_function(
        "() => { const gd = document.querySelector('#surface-graph .js-plotly-plot');"
        " return gd && gd._fullLayout && gd._fullLayout.scene && gd._fullData.some(t => t.type === 'surface'); }"
    )
    assert page.evaluate("getComputedStyle(document.querySelector('#surface-contour')).visibility") == "hidden"
    page.screenshot(path=artifacts / "view-3d.png")
    page.locator("#view-mode input[value='2d']").check()
    page.wait_for_function(PLOT_BOXES)
    page.wait_for_function("getComputedStyle(document.querySelector('#surface-contour')).visibility === 'visible'")
    front, back = page.evaluate(PLOT_BOXES)
    assert front == pytest.approx(back, abs=0.5)
