"""A scene as a picture, an animation or a page: what render.py and the page's Export menu call.

PNG, SVG and PDF are the page's main plot (``lab.figures.contour_figure``) drawn by plotly.js in
Debian's Chromium through kaleido. The GIF renders that plot once, without the moving parts, and draws
the paths and the runs' dots over it with Pillow, at the pixels where plotly.js would put them: the
mapping comes from the layout plotly.js computed (margins after automargin, axis domains and ranges).
The HTML page carries plotly.js and plays Plotly frames with a slider: no server, no internet.

Every path is thinned stretch by stretch between animation frames with ``lab.thinning.thin_path``
(the extremes of every stretch are kept, so a zigzag stays a zigzag), and the figure says how many
points it draws. One headless Chromium serves every image made inside ``image_session()``.

This module is the entry point; the work lives in ``lab.images`` (themes, the figure, kaleido, pixel
mapping), ``lab.gif`` (frames and the GIF) and ``lab.html_export`` (the standalone page).
"""

from lab.gif import (
    animation_frames,
    animation_gif,
    dash_pattern,
    dash_pieces,
    draw_dot,
    frame_thinned,
    plot_area,
)
from lab.html_export import standalone_html
from lab.images import (
    THEMES,
    NoImage,
    TooSmall,
    caption_text,
    check_animation,
    check_size,
    check_step,
    figure_image,
    image_session,
    render_command,
    scene_figure,
    wrap,
)

__all__ = [
    "THEMES",
    "NoImage",
    "TooSmall",
    "check_animation",
    "check_size",
    "check_step",
    "animation_frames",
    "animation_gif",
    "caption_text",
    "dash_pattern",
    "dash_pieces",
    "draw_dot",
    "figure_image",
    "frame_thinned",
    "image_session",
    "plot_area",
    "render_command",
    "scene_figure",
    "standalone_html",
    "wrap",
]
