"""Export a scene's trajectories: python render.py SCENE -o FILE.

SCENE is a lesson id, a URL query ("?surface=valley&run=adam") or a JSON file
(a scene, or a whole export: its "scene", else its "query"). FILE's extension
picks the format. A query or file with bad values still renders, with a
warning for each value that fell back to its default; a SCENE or FILE that
cannot be used at all stops with exit code 2 and one line naming the choices.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lab import export
from lab.query import ParseResult, from_query
from lab.simulate import simulate
from lessons import LESSONS


def _write_json(fp, scene, trajectories, lesson):
    export.write_json(fp, export.export_dict(scene, trajectories, lesson))


def _write_csv(fp, scene, trajectories, lesson):
    export.write_csv(fp, export.export_dict(scene, trajectories, lesson))


# Extension -> writer(fp, scene, trajectories, lesson), fp a text file opened with newline="".
WRITERS = {".json": _write_json, ".csv": _write_csv}

QUERY_EXAMPLE = "?surface=valley&steps=50&run=adam"


class UsageError(Exception):
    """A SCENE or FILE that cannot be used; its message is the one line the user sees."""


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


def writer_for(output: str):
    writer = WRITERS.get(Path(output).suffix.lower())
    if writer is None:
        raise UsageError(f"cannot write '{output}': supported extensions are {', '.join(sorted(WRITERS))}")
    return writer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "scene", metavar="SCENE", help="a lesson id, a URL query ('?...') or a scene JSON file"
    )
    parser.add_argument("-o", "--output", metavar="FILE", required=True, help=f"one of {', '.join(WRITERS)}")
    args = parser.parse_args(argv)
    try:
        write = writer_for(args.output)
        parsed = read_scene(args.scene)
        for warning in parsed.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        trajectories = simulate(parsed.scene)
        try:
            with open(args.output, "w", encoding="utf-8", newline="") as fp:
                write(fp, parsed.scene, trajectories, parsed.lesson)
        except OSError as error:
            raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from None
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
