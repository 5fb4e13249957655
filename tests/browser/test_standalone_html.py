"""The standalone HTML export plays from disk with the network off (one browser for the suite)."""

import json

from lab import media
from lessons import LESSONS


def test_the_standalone_html_plays_from_disk_without_a_network(browser, tmp_path):
    path = tmp_path / "scene.html"
    path.write_text(media.standalone_html(LESSONS["saddle-momentum"].scene, lesson="saddle-momentum"), "utf-8")
    refused, problems = [], []
    dot = """() => { const gd = document.getElementById('scene');
        const t = gd._fullData.find(t => String(t.uid).startsWith('marker-'));
        return JSON.stringify([Array.from(t.x), Array.from(t.y)]); }"""
    context = browser.new_context(offline=True)
    try:
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("file:")
                else (refused.append(route.request.url), route.abort())
            ),
        )
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(path.as_uri())
        page.wait_for_selector("#scene[data-backdrop=ready]", timeout=20_000)
        start = page.evaluate(dot)
        page.get_by_text("▶ Play").click()
        page.wait_for_function(f"() => ({dot})() !== {json.dumps(start)}", timeout=10_000)
        assert page.evaluate("() => document.getElementById('scene').layout.images.length") == 1
    finally:
        context.close()
    assert refused == [] and problems == []
