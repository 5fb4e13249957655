"""Hostile links in a real browser: script in the query string or in a run's label never runs.

A trap (``window.__pwned``) is set by every payload if it ever executes; conftest.py also fails
the test on any dialog (alert), console error or page error. The label is shown as text, the
page keeps no javascript: link, and the address bar still holds a link that opens the scene.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.test_explorer import open_scene

pytestmark = pytest.mark.browser

PAYLOADS = [
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=window.__pwned=1>',
    "</script><script>window.__pwned=1</script>",
    '<a href="javascript:window.__pwned=1">click</a>',
    "javascript:window.__pwned=1",
    "{{constructor.constructor('window.__pwned=1')()}}",
]


def label_link(server: str, payload: str) -> str:
    label = payload.replace("%", "%25").replace(",", "%2C")  # the run grammar's inner layer
    return f"{server}/?run=gd:label={quote(label, safe='')}&lesson={quote(payload, safe='')}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_a_label_or_the_query_never_runs(page, server, payload):
    open_scene(page, label_link(server, payload))
    legend = page.evaluate("document.querySelector('#surface-graph .legend').textContent")
    assert "window" in legend + page.locator("#status").inner_text()  # shown (the lesson warning quotes it)
    page.mouse.move(400, 300)  # hover the plot: a hover label draws the run's name too
    page.locator("#surface-graph").click(position={"x": 300, "y": 250})
    page.wait_for_timeout(300)  # any injected handler would have fired by now
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('a[href^=\"javascript\"], [onerror], [onload]').length") == 0
    assert "<" not in page.evaluate("location.search")  # the rewritten link stays percent-encoded
