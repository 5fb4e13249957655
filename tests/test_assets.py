"""The page's own style sheets (assets/*.css), read as text."""

import re
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "assets"


def selectors(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [s.strip() for block in re.findall(r"([^{}]+)\{", css) for s in block.split(",")]


def test_no_has_rule_is_anchored_on_the_page():
    """A :has() anchored on the page or the root made Chromium restyle every element of the page
    (1,600, 8-12 ms each time) several times a change: 20 ms of each redraw (BENCHMARKS.md). State the
    CSS reads goes into classes (assets/classroom.js). A :has() inside one small widget is cheap."""
    anchored = [s for sheet in sorted(ASSETS.glob("*.css")) for s in selectors(sheet.read_text())
                if ":has(" in s and not re.search(r"\.dash-options-list-option:has\(", s)]
    assert anchored == []


def test_selectors_are_read_from_rules_and_comments_are_skipped():
    assert selectors("/* a { } */ .a, .b:has(x) { color: red } @media (x) { .c { top: 0 } }") == [
        ".a", ".b:has(x)", "@media (x)", ".c"]
