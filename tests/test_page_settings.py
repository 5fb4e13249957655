"""The page's settings in a link: language, projector mode, hidden controls, predict-then-reveal."""

import pytest

from lab.page_settings import DEFAULT, HIDEABLE, PageSettings
from lab.query import from_query, to_query
from lab.scene import Scene
from lessons import LESSONS
from surfaces.base import Box


def test_defaults_write_nothing_and_read_back():
    assert to_query(Scene()) == ""
    assert from_query("").settings == DEFAULT


@pytest.mark.parametrize("settings", [
    PageSettings(lang="zh"),
    PageSettings(present=True),
    PageSettings(hide=frozenset({"optimizer", "lr"})),
    PageSettings(lang="zh", present=True, hide=frozenset(HIDEABLE), predict=True),
])
def test_settings_round_trip_beside_a_lesson(settings):
    lesson = LESSONS["adam"]
    link = to_query(lesson.scene, base=lesson.scene, lesson="adam", settings=settings)
    result = from_query(link)
    assert (result.scene, result.lesson, result.settings, result.warnings) == (lesson.scene, "adam", settings, ())


def test_the_link_names_the_settings_plainly_in_the_page_order():
    link = to_query(Scene(), settings=PageSettings(lang="zh", present=True, hide=frozenset({"lr", "optimizer"}), predict=True))
    assert link == "?lang=zh&view=present&hide=optimizer,lr&predict=1"


def test_a_view_box_is_written_as_box_and_old_view_links_still_read():
    scene = Scene(surface="bowl", view=Box(-1, 1, -2, 2))
    assert "box=-1,1,-2,2" in to_query(scene)
    old = from_query("?surface=bowl&view=-1,1,-2,2")
    assert old.scene == scene and old.settings == DEFAULT and old.warnings == ()
    both = from_query("?surface=bowl&box=-1,1,-2,2&view=present")
    assert both.scene == scene and both.settings.present and both.warnings == ()


@pytest.mark.parametrize("query, key", [
    ("?lang=fr", "lang="),
    ("?hide=optimizer,everything", "hide='everything'"),
    ("?predict=maybe", "predict="),
    ("?view=presentation", "view="),
])
def test_bad_settings_are_warned_and_the_rest_is_kept(query, key):
    result = from_query(query + "&steps=20")
    assert result.scene.steps == 20
    assert len(result.warnings) == 1 and key in result.warnings[0]
    assert result.warnings[0].text("zh") != result.warnings[0]


def test_known_hide_names_survive_a_bad_one_and_case():
    assert from_query("?hide=Optimizer,nope,LR").settings.hide == {"optimizer", "lr"}


def test_chinese_aliases():
    assert from_query("?lang=zh-CN").settings.lang == "zh"


def test_settings_refuse_what_no_link_can_say():
    with pytest.raises(ValueError, match="language"):
        PageSettings(lang="fr")
    with pytest.raises(ValueError, match="cannot hide"):
        PageSettings(hide=frozenset({"everything"}))
