"""Export a scene: python render.py SCENE -o FILE [options], or python render.py --all-lessons DIR.

SCENE is a lesson id, a URL query ("?surface=valley&run=adam") or a JSON file
(a scene, or a whole export: its "scene", else its "query"). FILE's extension
picks the format: .png, .svg, .pdf (the page's main plot), .gif (its animation),
.html (one file that plays the animation, plotly.js inside), .json, .csv (the
trajectories). --all-lessons writes every lesson as PNG and GIF with one
browser. A query or file with a bad number or setting still renders, with a
warning for each value that fell back to its default. A formula, surface or
lesson that is refused (a typo in it) stops with exit code 2 and one line
giving the reason, the formula's error with its place, and writes nothing: a
file of another surface than asked would mislead. So does a SCENE, FILE or
option that cannot be used, with one line naming the choices.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lab import export
from lab.query import ParseResult, from_query, refusals
from lab.simulate import simulate, trust
from lessons import LESSONS


def _write_json(fp, scene, trajectories, lesson):
    export.write_json(fp, export.export_dict(scene, trajectories, lesson))


def _write_csv(fp, scene, trajectories, lesson):
    export.write_csv(fp, export.export_dict(scene, trajectories, lesson))


def _given(value, default):
    """A flag's value, or ``default`` when it was not given (0 is a value: refused, not replaced)."""
    return default if value is None else value


def _media():
    from lab import media  # kaleido, Pillow and their browser only for the formats that need them

    return media


def _image(fmt: str):
    def make(parsed: ParseResult, opts) -> bytes:
        return _media().figure_image(
            parsed.scene,
            fmt,
            width=_given(opts.width, 1000),
            height=_given(opts.height, 700),
            scale=_given(opts.scale, 2.0),
            theme=opts.theme,
            lang=opts.lang,
            step=opts.step,
            caption=opts.caption,
            lesson=parsed.lesson,
        )

    return make


def _gif(parsed: ParseResult, opts) -> bytes:
    return _media().animation_gif(
        parsed.scene,
        frames=_given(opts.frames, 60),
        fps=_given(opts.fps, 15),
        width=_given(opts.width, 800),
        height=_given(opts.height, 560),
        theme=opts.theme,
        lang=opts.lang,
        lesson=parsed.lesson,
    )


def _html(parsed: ParseResult, opts) -> bytes:
    return (
        _media()
        .standalone_html(parsed.scene, lesson=parsed.lesson, lang=opts.lang, theme=opts.theme)
        .encode()
    )


@dataclass(frozen=True)
class Writer:
    """A format: ``stream`` writes text into an open file, or ``make`` returns the file's bytes."""

    options: tuple[str, ...]  # the flags that apply to it
    stream: Callable | None = None  # (fp, scene, trajectories, lesson), fp a text file opened with newline=""
    make: Callable | None = None  # (ParseResult, options) -> bytes, made before the file is opened
    browser: bool = False


_IMAGE_OPTIONS = ("width", "height", "scale", "theme", "lang", "step", "caption")
WRITERS = {
    ".png": Writer(_IMAGE_OPTIONS, make=_image("png"), browser=True),
    ".svg": Writer(_IMAGE_OPTIONS, make=_image("svg"), browser=True),
    ".pdf": Writer(_IMAGE_OPTIONS, make=_image("pdf"), browser=True),
    ".gif": Writer(("width", "height", "theme", "lang", "frames", "fps"), make=_gif, browser=True),
    ".html": Writer(("theme", "lang"), make=_html),
    ".json": Writer((), stream=_write_json),
    ".csv": Writer((), stream=_write_csv),
}
ALL_LESSONS_OPTIONS = ("width", "height", "scale", "theme", "lang", "caption", "frames", "fps")
DEFAULTS = dict(theme="light", lang="en", caption=False)  # the flags with a value when not given

QUERY_EXAMPLE = "?surface=valley&steps=50&run=adam"


class UsageError(Exception):
    """A SCENE, FILE or option that cannot be used; its message is the one line the user sees."""


def _scene_choices() -> str:
    lessons = ", ".join(LESSONS) or "none yet"
    return f"SCENE is a lesson id ({lessons}), a query like '{QUERY_EXAMPLE}' or a scene JSON file"


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:  # also UnicodeDecodeError
        raise UsageError(f"{path} is not valid JSON ({error}); {_scene_choices()}") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None


def read_scene(text: str) -> ParseResult:
    """The scene SCENE names: a lesson id, a '?' query, an existing file, then any other query.

    An existing file wins over a name with '=' in it, and a missing '.json' file is reported as missing.
    """
    if text in LESSONS:
        return ParseResult(LESSONS[text].scene, (), text)
    if text.startswith("?"):
        return from_query(text)
    path = Path(text)
    if path.is_file():
        return export.scene_from_export(_read_json(path))
    if "=" in text and path.suffix.lower() != ".json":
        return from_query(text)
    if path.suffix or len(path.parts) > 1:
        raise UsageError(f"no such file: {text}; {_scene_choices()}")
    raise UsageError(f"unknown lesson '{text}'; {_scene_choices()}")


def writer_for(output: str) -> Writer:
    writer = WRITERS.get(Path(output).suffix.lower())
    if writer is None:
        raise UsageError(f"cannot write '{output}': supported extensions are {', '.join(sorted(WRITERS))}")
    return writer


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def check_options(opts, allowed: tuple[str, ...], what: str) -> None:
    """Every flag given applies to ``what``, and every value is in range."""
    for name in ("width", "height", "scale", "theme", "lang", "step", "caption", "frames", "fps"):
        if getattr(opts, name) not in (None, DEFAULTS.get(name)) and name not in allowed:
            users = [suffix for suffix, w in WRITERS.items() if name in w.options]
            raise UsageError(f"{_flag(name)} does not apply to {what}; it applies to {', '.join(users)}")
    if all(getattr(opts, name) is None for name in ("width", "height", "scale", "frames", "fps")):
        return
    try:
        _media().check_size(_given(opts.width, 1000), _given(opts.height, 700), _given(opts.scale, 1.0))
        _media().check_animation(_given(opts.frames, 60), _given(opts.fps, 15))
    except ValueError as error:
        raise UsageError(f"--{error}") from None


def _with_browser(needed: bool):
    """One browser for every image of this run, started before the simulation so that both overlap."""
    return _media().image_session() if needed else contextlib.nullcontext()


def _browser_errors() -> tuple[tuple, tuple]:
    """(no browser to draw with, plotly.js failed to draw): what kaleido raises, if it is installed."""
    try:
        from kaleido import errors
    except ImportError:  # then lab.media cannot be imported either, and says so
        return (), ()
    return (errors.ChromeNotFoundError, errors.BrowserFailedError, errors.BrowserClosedError), (
        errors.KaleidoError,
        errors.JavascriptError,
    )


def render_file(scene_text: str, output: str, opts) -> None:
    writer = writer_for(output)
    check_options(opts, writer.options, f"{Path(output).suffix.lower()} files")
    parsed = read_scene(scene_text)
    refused = refusals(parsed.warnings)
    if refused:  # the fallback would be a file of another scene than asked
        raise UsageError(" ".join("; ".join(refused).split()) + "; nothing written")  # one line
    for warning in parsed.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    trust([parsed.scene])  # a file holds every step: the time budget is the classroom server's
    if opts.caption and parsed.lesson is None:
        raise UsageError("--caption needs a lesson: SCENE is not a lesson id (or a link or file of one)")
    if opts.step is not None:
        try:
            _media().check_step(parsed.scene, opts.step)
        except ValueError as error:
            raise UsageError(f"--{error}") from None
    if writer.stream is not None:
        trajectories = simulate(parsed.scene)
        _write(output, lambda fp: writer.stream(fp, parsed.scene, trajectories, parsed.lesson))
        return
    with _with_browser(writer.browser):
        data = _make(writer, parsed, opts)
    _write(output, data)


def _make(writer: Writer, parsed: ParseResult, opts) -> bytes:
    try:
        return writer.make(parsed, opts)
    except ValueError as error:
        if isinstance(error, _media().TooSmall):
            raise UsageError(str(error)) from None
        raise


def render_all_lessons(directory: str, opts) -> None:
    """Every lesson as DIR/ID.png and DIR/ID.gif, with one browser for them all."""
    check_options(opts, ALL_LESSONS_OPTIONS, "--all-lessons")
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot write to {directory}: {error.strerror or error}") from None
    trust(lesson.scene for lesson in LESSONS.values())
    with _with_browser(True):
        for lesson_id in LESSONS:
            parsed = read_scene(lesson_id)
            for suffix in (".png", ".gif"):
                path = folder / f"{lesson_id}{suffix}"
                _write(str(path), _make(WRITERS[suffix], parsed, opts))
                print(path)


def _write(output: str, data) -> None:
    try:
        if isinstance(data, bytes):
            Path(output).write_bytes(data)
        else:
            with open(output, "w", encoding="utf-8", newline="") as fp:
                data(fp)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{message} (usage: python render.py SCENE -o FILE [options], or --all-lessons DIR)")


def parser() -> argparse.ArgumentParser:
    p = _Parser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "scene", metavar="SCENE", nargs="?", help="a lesson id, a URL query ('?...') or a scene JSON file"
    )
    p.add_argument("-o", "--output", metavar="FILE", help=f"one of {', '.join(WRITERS)}")
    p.add_argument("--all-lessons", metavar="DIR", help="write every lesson to DIR as PNG and GIF")
    p.add_argument("--width", type=int, help="layout pixels (PNG/SVG/PDF 1000, GIF 800)")
    p.add_argument("--height", type=int, help="layout pixels (PNG/SVG/PDF 700, GIF 560)")
    p.add_argument("--scale", type=float, help="pixels per layout pixel of a PNG (2)")
    p.add_argument("--theme", choices=("light", "dark", "projector"), default="light")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="the language of every word of the figure (title, caption, axes, legend, notes)")
    p.add_argument("--caption", action="store_true", help="the lesson's caption under the plot")
    p.add_argument("--step", type=int, metavar="K", help="draw the paths up to step K (PNG/SVG/PDF)")
    p.add_argument("--frames", type=int, metavar="N", help="frames of a GIF (60)")
    p.add_argument("--fps", type=int, metavar="F", help="frames per second of a GIF (15)")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        opts = parser().parse_args(argv)
        if opts.all_lessons is not None:
            if opts.scene is not None or opts.output is not None:
                raise UsageError("--all-lessons DIR takes no SCENE and no -o FILE")
            render_all_lessons(opts.all_lessons, opts)
        elif opts.scene is None or opts.output is None:
            raise UsageError(f"give SCENE and -o FILE, or --all-lessons DIR; {_scene_choices()}")
        else:
            render_file(opts.scene, opts.output, opts)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Exception as error:
        no_browser, failed = _browser_errors()
        if isinstance(error, no_browser):
            print(
                f"error: no browser to draw with ({type(error).__name__}): ./install.sh installs chromium",
                file=sys.stderr,
            )
        elif isinstance(error, failed + (_media().NoImage,)):
            print(
                f"error: plotly.js could not draw the figure: {' '.join(str(error).split())}", file=sys.stderr
            )
        else:
            raise
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
