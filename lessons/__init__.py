"""Lessons: named scenes with a caption, each reproducing one of the lecture's phenomena."""

from __future__ import annotations

from dataclasses import dataclass

from lab.scene import Scene


@dataclass(frozen=True)
class Lesson:
    """A scene plus what to notice in it, in English and in Chinese."""

    id: str
    title_en: str
    title_zh: str
    caption_en: str
    caption_zh: str
    scene: Scene

    def title(self, lang: str = "en") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def caption(self, lang: str = "en") -> str:
        return self.caption_zh if lang == "zh" else self.caption_en


def _collect() -> dict[str, Lesson]:
    from lessons import adaptive, batch_lab, momentum_batch

    ordered = (*adaptive.LESSONS, *momentum_batch.LESSONS, *batch_lab.LESSONS)
    return {lesson.id: lesson for lesson in ordered}


LESSONS: dict[str, Lesson] = _collect()

__all__ = ["LESSONS", "Lesson"]
