"""axe-core over the app's pages: no violation of impact "serious" or "critical".

axe-core 4.14.1 is vendored in tests/browser/vendor/axe-core/ (MPL-2.0; see its README.md there): the
tests need no node and no network, and run the rules of a current axe. Each run writes its full list of
violations, minor ones included, to artifacts/screenshots/axe-NAME.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.test_batch_lab import DRAWN_GRAPHS, QUICK
from tests.browser.test_explorer import DRAWN

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
    }));
}"""


def settled(page) -> None:
    """Two animation frames: assets/classroom.js repairs and names what was just drawn in one."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def violations(page, artifacts, name: str) -> list[dict]:
    settled(page)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE)
    (artifacts / f"axe-{name}.json").write_text(json.dumps(found, indent=1, ensure_ascii=False))
    return found


def assert_no_blocking(found: list[dict]) -> None:
    blocking = [v for v in found if v["impact"] in BLOCKING]
    lines = [f"{v['id']} ({v['impact']}): {v['help']}; " + "; ".join(n["target"] for n in v["nodes"][:5])
             for v in blocking]
    assert not blocking, "axe-core found:\n  " + "\n  ".join(lines)


@pytest.mark.parametrize("name, query", [
    ("explorer", ""),
    ("lesson-zh", "?lesson=adam&lang=zh"),
    ("projector", "?lesson=saddle-momentum&view=present"),
    ("predict", "?lesson=saddle-momentum&predict=1"),
])
def test_the_explorer_has_no_serious_violations(page, server, artifacts, name, query):
    page.goto(f"{server}/{query}")
    page.wait_for_function(DRAWN)
    assert_no_blocking(violations(page, artifacts, name))


def test_the_explorer_with_the_keys_and_the_settings_open(page, server, artifacts):
    page.goto(f"{server}/?lesson=adam&view=present")
    page.wait_for_function(DRAWN)
    page.locator("#side-toggle").click()
    page.keyboard.press("?")
    page.wait_for_function("() => !document.querySelector('#keys-help').hidden")
    assert_no_blocking(violations(page, artifacts, "dialogs"))


def test_the_batch_lab_has_no_serious_violations(page, server, artifacts):
    page.goto(server + QUICK)
    page.wait_for_function(DRAWN_GRAPHS)
    assert_no_blocking(violations(page, artifacts, "batch"))


def test_a_phone_has_no_serious_violations(browser, server, artifacts):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{server}/?lesson=adam")
        page.wait_for_function(DRAWN)
        assert_no_blocking(violations(page, artifacts, "phone"))
    finally:
        context.close()


def test_the_page_states_its_language(page, server):
    """axe's html-has-lang and html-lang-valid: the document carries the page's language."""
    page.goto(f"{server}/?lesson=adam&lang=zh")
    page.wait_for_function(DRAWN)
    page.wait_for_function("() => document.documentElement.lang === 'zh-Hans'")
    page.goto(f"{server}/?lesson=adam")
    page.wait_for_function(DRAWN)
    page.wait_for_function("() => document.documentElement.lang === 'en'")


def test_focus_is_visible_and_the_repaired_lesson_picker_still_opens_from_the_keyboard(page, server):
    page.goto(f"{server}/?lesson=adam")
    page.wait_for_function(DRAWN)
    settled(page)
    page.locator("#lang-switch").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard: :focus-visible
    assert page.evaluate("document.activeElement.id") == "lang-switch"
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }")
    assert ring == ["solid", "3px"], ring
    # Dash's dropdown hands the Tab stop from its aria-hidden input to its button (classroom.js)
    assert page.evaluate("document.querySelector('#lesson').getAttribute('tabindex')") == "0"
    page.locator("#lesson").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".dash-dropdown-content", state="visible")
