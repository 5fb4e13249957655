"""A typed formula in a real browser: a typo is shown under the box and changes nothing; a good
formula redraws and goes into the link; a formula link opens that surface."""

from __future__ import annotations

import pytest

from lab.query import from_query, to_query

from tests.browser.test_explorer import PATHS, open_scene, paths, wait_for_change

pytestmark = pytest.mark.browser

FORMULA_BOX = """input[id='{"index":0,"type":"formula"}']"""
FORMULA_ERROR = """[id='{"index":0,"type":"formula-error"}']"""


def test_a_formula_link_opens_that_surface_and_a_typo_changes_nothing(page, server, artifacts):
    # the canonical link, so that the address bar is not rewritten while the test reads it
    link = to_query(from_query("?formula=x^2 %2B 10*y^2&run=gd:lr=0.05&steps=200").scene)
    open_scene(page, f"{server}/{link}")
    page.wait_for_function("link => location.search === link", arg=link)
    assert page.locator(FORMULA_BOX).input_value() == "x^2 + 10*y^2"
    search, drawn = page.evaluate("location.search"), paths(page)
    box = page.locator(FORMULA_BOX)
    box.fill("x^2 + 10*(y")
    box.press("Enter")
    page.wait_for_function(f"document.querySelector(`{FORMULA_ERROR}`).textContent.includes('never closed')")
    error = page.locator(FORMULA_ERROR).inner_text()
    assert error.splitlines()[-1].strip() == "^"  # the caret under the place
    assert page.evaluate("location.search") == search and paths(page) == drawn  # nothing else moved
    page.screenshot(path=str(artifacts / "formula-typo.png"))

    box.fill("x^2 + 2*y^2 + sin(3*x)")
    box.press("Enter")
    wait_for_change(page, PATHS, drawn)
    assert "sin" in page.evaluate("decodeURIComponent(location.search)")
    assert page.locator(FORMULA_ERROR).inner_text() == ""
    assert page.locator(FORMULA_BOX).input_value() == "x^2 + 2*y^2 + sin(3*x)"  # the box was not rebuilt


def test_a_gallery_function_is_edited_as_a_formula(page, server):
    open_scene(page, f"{server}/?surface=rastrigin&run=momentum:lr=0.002&steps=100")
    page.get_by_role("button", name="Edit as a formula").click()
    page.wait_for_selector(FORMULA_BOX)
    assert "cos(2*pi*x)" in page.locator(FORMULA_BOX).input_value()
    page.wait_for_function("decodeURIComponent(location.search).includes('formula=')")


def test_a_link_with_a_refused_formula_shows_it_in_the_box_with_its_error(page, server, artifacts):
    open_scene(page, f"{server}/?formula=x^2%2B10*sinn(y)&steps=50")
    page.wait_for_selector(FORMULA_BOX)
    box = page.locator(FORMULA_BOX)
    assert box.input_value() == "x^2+10*sinn(y)"  # the link's text, to be fixed here
    page.wait_for_function(f"document.querySelector(`{FORMULA_ERROR}`).textContent.includes('sinn')")
    sentence, text, caret = page.locator(FORMULA_ERROR).inner_text().splitlines()
    assert "Unknown function 'sinn' at position 8" in sentence
    assert (text, caret) == ("x^2+10*sinn(y)", " " * 7 + "^")  # the caret under the place
    assert "sinn" in page.locator("#status").inner_text()  # said on the status line as well
    page.screenshot(path=str(artifacts / "formula-refused-link.png"))

    drawn = paths(page)
    box.fill("x^2+10*sin(y)")
    box.press("Enter")
    wait_for_change(page, PATHS, drawn)
    assert "sin(y)" in page.evaluate("decodeURIComponent(location.search)")
    assert page.locator(FORMULA_ERROR).inner_text() == ""
