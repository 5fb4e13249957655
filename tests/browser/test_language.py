"""Chinese mode in a real browser: no English word is left on the explorer, for every lesson.

Everything a student can read is collected: the page's rendered text (``innerText``, which leaves out
hidden elements and closed menus), the text drawn inside the plots (axis titles, legends, notes,
colour bar) and the toolbar's titles. Proper names stay as they are (Adam, RMSProp, Beale...), so
do notation (x, y, η, σ, 1e-3) and file formats (PNG, CSV).
"""

from __future__ import annotations

import re

import pytest

from lessons import LESSONS

pytestmark = pytest.mark.browser

DRAWN_ZH = """() => {
    const status = document.querySelector('#status');
    const gd = document.querySelector('#surface-graph .js-plotly-plot');
    const panels = document.querySelector('#panels-graph .main-svg');
    return !!(status && status.textContent.includes('共模拟') && gd && gd.data && gd.data.length && panels);
}"""
INSPECTED = "() => !!document.querySelector('#inspector-body .inspector-head')"

VISIBLE_TEXT = """() => {
    const svgText = [...document.querySelectorAll('.main-svg text')].map(t => t.textContent);
    const titles = [...document.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title') || '');
    const placeholders = [...document.querySelectorAll('input[placeholder], .Select-placeholder')]
        .filter(e => e.offsetParent !== null).map(e => e.getAttribute('placeholder') || e.textContent);
    return [document.body.innerText, ...svgText, ...titles, ...placeholders].join('\\n');
}"""

# Proper names, notation and formats that are the same in a Chinese text.
NAMES = {
    "Adam", "AdamW", "RMSProp", "Adagrad", "RAdam", "PyTorch", "Transformer", "ResNet", "Vaswani", "He",
    "Beale", "Himmelblau", "Rosenbrock", "Rastrigin", "Ackley", "Goldstein", "Price", "Styblinski", "Tang",
    "Keskar", "Plotly", "js", "log", "min", "max", "sqrt", "exp", "sin", "cos", "tan", "tanh", "abs", "pi",
    "d_model",
    "English",  # the language switch, written for whoever reads English
    "epoch",  # the lecture's Chinese says epoch too ("每一个 epoch 需要花费的时间"); a caption glosses it 回合
}
WORD = re.compile(r"[A-Za-z][A-Za-z_]+")


def english_words(text: str) -> set[str]:
    words = set(WORD.findall(text))
    return {w for w in words if w not in NAMES and not w.isupper() and not re.fullmatch(r"e\d*", w)}


@pytest.mark.parametrize("lesson_id", list(LESSONS))
def test_chinese_mode_leaves_no_english_word_on_the_page(page, server, lesson_id, artifacts):
    page.goto(f"{server}/?lesson={lesson_id}&lang=zh")
    page.wait_for_function(DRAWN_ZH)
    page.click("#inspector-toggle")  # the step inspector, open, speaks Chinese too
    page.wait_for_function(INSPECTED)
    page.wait_for_timeout(300)  # the panels follow the main plot by a frame
    text = page.evaluate(VISIBLE_TEXT)
    caption = page.inner_text("#caption")
    assert caption.strip() and caption.strip() in LESSONS[lesson_id].caption_zh
    left = english_words(text)
    if lesson_id == "adam":
        page.screenshot(path=artifacts / "zh-adam.png")
    context = [line for line in text.splitlines() if any(w in line for w in left)]
    assert not left, (sorted(left), context[:5])


def test_the_language_switch_turns_the_page_chinese_and_back(page, server):
    page.goto(f"{server}/?lesson=adam")
    page.wait_for_function("() => document.querySelector('#status') && document.querySelector('#status').textContent.includes('steps simulated')")
    english = page.inner_text("body")
    page.click("#lang-switch")
    page.wait_for_function(DRAWN_ZH)
    assert "lang=zh" in page.url and "lesson=adam" in page.url
    chinese = page.inner_text("body")
    assert chinese != english and "学习率" in chinese
    page.click("#lang-switch")
    page.wait_for_function("() => document.querySelector('#status') && document.querySelector('#status').textContent.includes('steps simulated')")
    assert "lang=" not in page.url
