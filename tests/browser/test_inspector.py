"""The step inspector in a real browser: the numbers it shows for a step picked with the scrubber
or by clicking a path equal the simulation's, its math is rendered by the app's own MathJax (no
request leaves the app's origin), and its arrows are on the plot."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from lab.animation import animation_data
from lab.query import from_query, to_query
from lab.simulate import simulate
from ui.inspector_panel import number

from tests.browser.test_explorer import open_scene

pytestmark = pytest.mark.browser

HEAD = "#inspector-body .inspector-head"

SHOWN = """() => {
    const head = document.querySelector('#inspector-body .inspector-head');
    return head ? [head.dataset.run, head.dataset.t].join(':') : null;
}"""

ANNOTATIONS = """() => {
    const gd = document.querySelector('#surface-graph .js-plotly-plot');
    return JSON.stringify(((gd && gd.layout.annotations) || []).map(a => ({name: a.name || '', x: a.x, y: a.y,
        ax: a.ax, ay: a.ay, axref: a.axref, ayref: a.ayref, showarrow: a.showarrow})));
}"""

# The path point to click: of all drawn points of the runs' paths (traces 1..n), the one farthest
# from every point of every other trace and from its own trace's other points, inside the plot.
ISOLATED_POINT = """(n) => {
    const gd = document.querySelector('#surface-graph .js-plotly-plot');
    const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const pixels = gd._fullData.map(t => {
        const xs = Array.from(t.x || []), ys = Array.from(t.y || []);
        return xs.map((x, j) => [xa.d2p(x), ya.d2p(ys[j])]).filter(p => isFinite(p[0]) && isFinite(p[1]));
    });
    let best = null;
    for (let c = 1; c <= n; c++) {
        const custom = Array.from(gd._fullData[c].customdata);
        pixels[c].forEach((p, j) => {
            if (p[0] < 20 || p[1] < 20 || p[0] > box.width - 20 || p[1] > box.height - 20) return;
            let near = Infinity;
            pixels.forEach((points, k) => points.forEach((q, i) => {
                if (k === c && i === j) return;
                near = Math.min(near, Math.hypot(q[0] - p[0], q[1] - p[1]));
            }));
            if (!best || near > best.near) best = {near, run: c - 1, index: custom[j],
                                                   px: box.left + p[0], py: box.top + p[1]};
        });
    }
    return best;
}"""


def shown_cells(page) -> dict:
    """{cell id: (shown text, full number)} of the inspector's table."""
    return page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('.inspector-table td[id]'))
            .map(td => [td.id, [td.textContent, td.dataset.value]]))"""
    )


def assert_numbers_are_the_simulations(page, traj, t: int) -> None:
    cells = shown_cells(page)
    expected = {
        "theta": (traj.x[t], traj.y[t]),
        "grad": (traj.grad_x[t], traj.grad_y[t]),
        "eta": (traj.lr[t], traj.lr[t]),
        "step": (traj.x[t + 1] - traj.x[t], traj.y[t + 1] - traj.y[t]),
    }
    if traj.run.optimizer != "momentum" and traj.run.optimizer != "gd":
        expected["effective_lr"] = (traj.effective_lr_x[t], traj.effective_lr_y[t])
    if "sigma" in traj.state_fields:  # sigma_i^t as the simulation recorded it
        column = traj.state_fields.index("sigma")
        expected["sigma"] = (traj.states_x[t, column], traj.states_y[t, column])
    for field, values in expected.items():
        for axis, value in zip("xy", values):
            text, full = cells[f"inspector-{field}-{axis}"]
            assert text == number(float(value)), (field, axis)  # to the shown precision
            assert float(full) == float(value), (field, axis)  # and the very number


def wait_shown(page, run: int, t: int) -> None:
    page.wait_for_function(f"() => ({SHOWN})() === '{run}:{t}'")


def wait_arrows_at(page, t: int, x: float) -> None:
    """Until assets/inspector.js has drawn step t: each arrow of it starts at x (none may be drawable)."""
    page.wait_for_function(
        f"""() => {{
            const s = window.errorSurfaceInspector.state;
            const mine = JSON.parse(({ANNOTATIONS})()).filter(a => a.name.startsWith('inspector-') && a.showarrow);
            return s.data && s.data.t === {t} && !s.pending
                && mine.every(a => Math.abs(a.ax - {float(x)!r}) <= 1e-12 * Math.max(1, Math.abs(a.ax)))
                && (mine.length > 0 || document.querySelector('#inspector-arrow-notes').textContent !== '');
        }}"""
    )


def inspector_arrows(page) -> list[dict]:
    return [a for a in json.loads(page.evaluate(ANNOTATIONS)) if a["name"].startswith("inspector-")]


def test_a_step_picked_with_the_scrubber_shows_the_simulations_numbers_math_and_arrows(page, server, artifacts):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    open_scene(page, f"{server}/?lesson=adam")
    assert page.locator("#inspector-content").is_hidden()  # closed: nothing asked of the server
    page.click("#inspector-toggle")
    page.wait_for_selector(HEAD)
    scene = from_query("?lesson=adam").scene
    trajectories = simulate(scene)
    steps = animation_data(scene, trajectories)["steps"]

    page.click("#inspector-run")  # run 3, Adam
    page.get_by_role("option", name=re.compile("^3: Adam")).click()
    wait_shown(page, 2, trajectories[2].steps - 1)  # a new scene stands at the end: the last update

    page.locator("#anim-scrubber").focus()
    page.keyboard.press("Home")
    frame = 37
    for _ in range(frame):
        page.keyboard.press("ArrowRight")
    t = steps[frame]
    wait_shown(page, 2, t)
    assert page.locator("#anim-step").inner_text().startswith(f"step {t} ")
    assert_numbers_are_the_simulations(page, trajectories[2], t)

    # the math is typeset by the app's own MathJax
    page.wait_for_selector("#inspector mjx-container")
    assert page.locator("#inspector mjx-container").count() >= 4
    # the arrows of this step at theta^t, or said to be too short or out of view
    wait_arrows_at(page, t, trajectories[2].x[t])
    arrows = inspector_arrows(page)
    notes = page.locator("#inspector-arrow-notes").inner_text()
    kinds = {a["name"].removeprefix("inspector-") for a in arrows if a["showarrow"]}
    for kind in ("gradient", "momentum", "step"):
        assert kind in kinds or re.search(r"too short|leaves the view", notes), kind
    for a in arrows:
        if a["showarrow"]:
            assert (a["axref"], a["ayref"]) == ("x", "y")
            assert (a["ax"], a["ay"]) == pytest.approx((trajectories[2].x[t], trajectories[2].y[t]), rel=1e-12)
    page.screenshot(path=str(artifacts / "inspector-scrubber.png"))
    page.locator("#inspector").screenshot(path=str(artifacts / "inspector-panel.png"))

    origin = urlsplit(server)
    foreign = [u for u in requests if urlsplit(u)[:2] != origin[:2] and not u.startswith("data:")]
    assert foreign == [], foreign  # MathJax and everything else from the app itself: no CDN


def test_a_click_on_a_path_inspects_that_point_and_leaves_the_start_where_it_is(page, server, artifacts):
    # a short run: its drawn points are far enough apart on screen for a click to hit just one
    link = to_query(from_query("?surface=tilted-valley&run=rmsprop:lr=1&run=momentum:lr=0.02&steps=30").scene)
    open_scene(page, f"{server}/{link}")
    page.click("#inspector-toggle")
    page.wait_for_selector(HEAD)
    page.wait_for_function("link => location.search === link", arg=link)
    scene = from_query(link).scene
    trajectories = simulate(scene)
    target = page.evaluate(ISOLATED_POINT, len(trajectories))
    assert target and target["near"] > 6, target  # a point the click cannot mistake for another
    page.mouse.click(target["px"], target["py"])
    traj = trajectories[target["run"]]
    t = min(target["index"], traj.steps - 1)
    wait_shown(page, target["run"], t)
    assert_numbers_are_the_simulations(page, traj, t)
    wait_arrows_at(page, t, traj.x[t])
    assert any(a["showarrow"] for a in inspector_arrows(page))
    page.wait_for_timeout(500)  # time for a start move to arrive, were the click to make one
    assert page.evaluate("location.search") == link
    assert page.locator("#inspector-step").input_value() == str(t)
    page.screenshot(path=str(artifacts / "inspector-click.png"))


def test_a_closed_inspector_asks_the_server_nothing(page, server):
    """A classroom of closed inspectors adds no request per change (bench/load_test.py models the share
    of students who open it)."""
    asked = []
    page.on("request", lambda r: asked.append(r) if r.method == "POST" and "inspector-body" in (r.post_data or "") else None)
    open_scene(page, f"{server}/?lesson=adam")
    page.click("#anim-forward")  # the scrubber moves, a path is clicked: still closed
    page.wait_for_timeout(800)
    assert asked == [], [r.post_data[-300:] for r in asked]
    page.click("#inspector-toggle")
    page.wait_for_selector(HEAD)
    assert len(asked) >= 1
    page.click("#inspector-toggle")  # closed again: the arrows leave the plot
    page.wait_for_function("""() => {
        const gd = document.querySelector('#surface-graph .js-plotly-plot');
        return !(gd.layout.annotations || []).some(a => String(a.name || '').startsWith('inspector-'));
    }""")
    assert page.locator("#inspector-content").is_hidden()
