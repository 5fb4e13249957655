"""The figures' looks in one place: the page's, a dark one and the projector's (``view=present``,
``render.py --theme projector``), and the font list that draws Chinese without tofu boxes."""

from __future__ import annotations

from dataclasses import dataclass, replace

# Okabe-Ito: distinguishable by colour-blind viewers; dashes tell runs apart in grey too. Ordered so
# that up to five runs (the warm-up lesson) never pair orange with vermilion or sky blue with blue;
# black late (lost on the contour's dark low end), yellow last: faint.
COLORS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#000000", "#F0E442")
# Chromium (the page's and kaleido's) finds Debian's fonts-noto-cjk by this name.
CJK_FONT = '"Open Sans", verdana, arial, "Noto Sans CJK SC", sans-serif'


@dataclass(frozen=True)
class Theme:
    template: str
    font_size: int
    line_width: float  # a run's path
    marker_scale: float  # every marker's size times this
    text: str  # text, and the GIF's step counter
    contour_line: str
    colors: tuple[str, ...]  # the runs' colours

    def run_color(self, i: int) -> str:
        return self.colors[i % len(self.colors)]

    @property
    def bar(self) -> int:
        """Height of the GIF's strip under the figure: the step counter and a progress bar."""
        return 2 * self.font_size

    @property
    def scale(self) -> float:
        """How much larger than the page's own look its text is."""
        return self.font_size / LIGHT.font_size


LIGHT = Theme("plotly_white", 12, 2, 1.0, "#2a3f5f", "rgba(255,255,255,0.35)", COLORS)
_ON_DARK = tuple("#DDDDDD" if c == "#000000" else c for c in COLORS)  # black paths vanish on dark paper
THEMES = {
    "light": LIGHT,  # the page's own look
    "dark": replace(LIGHT, template="plotly_dark", text="#f2f5fa", colors=_ON_DARK),
    "projector": replace(
        LIGHT, font_size=20, line_width=4, marker_scale=1.6, text="#000000", contour_line="rgba(0,0,0,0.45)"
    ),
}


def look(present: bool) -> Theme:
    """The page's look, or the projector's for ``view=present``."""
    return THEMES["projector" if present else "light"]

