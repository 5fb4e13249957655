"""Error Surface Lab: the web app. Composition root: build, register callbacks, run."""

import argparse
import functools
import os
import sys

from dash import Dash

import ui.callbacks  # noqa: F401  (registers the callbacks)
import ui.export_menu  # noqa: F401
import ui.formula_box  # noqa: F401
import ui.inspector_panel  # noqa: F401
from lab import simulate
from lessons import LESSONS
from ui import compression, pages, server  # pages: the explorer at /, the batch lab at /batch

HERE = os.path.dirname(os.path.abspath(__file__))


@functools.cache  # one app per process: Dash moves the `dash.callback` registry into the first app it serves
def build_app() -> Dash:
    app = Dash(__name__, title="Error Surface Lab", serve_locally=True, on_error=server.callback_failed)
    app.layout = pages.shell
    app.validation_layout = pages.validation_layout()
    simulate.trust(lesson.scene for lesson in LESSONS.values())  # a lesson is never cut short by the time budget
    compression.compress_static(app.server)
    return server.harden(app)


def classroom_server():
    """The WSGI app gunicorn serves (gunicorn.conf.py names it: ``app:classroom_server()``).

    gunicorn preloads it in the master process, so the lessons' runs pinned here (about 1.5 s and
    40 MB, once) are shared by every worker it forks: a class opening a lesson simulates nothing.
    """
    server = build_app().server
    simulate.pin_runs(lesson.scene for lesson in LESSONS.values())
    return server


def parse_args(argv=None) -> argparse.Namespace:
    """Flags only: HOST, PORT, DASH_DEBUG and the like in the environment never change these."""
    parser = argparse.ArgumentParser(description="Serve Error Surface Lab.")
    parser.add_argument("--host", default=None, help="default 127.0.0.1; 0.0.0.0 with --classroom")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--debug", action="store_true", help="Dash debug mode, on this computer only")
    parser.add_argument("--classroom", action="store_true", help="serve with gunicorn on the LAN (gunicorn.conf.py)")
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65535:
        parser.error(f"--port must be from 1 to 65535, not {args.port}")
    if args.classroom and args.debug:
        parser.error("--debug cannot be used with --classroom: debug mode shows tracebacks to every client")
    args.host = args.host or ("0.0.0.0" if args.classroom else "127.0.0.1")
    if args.debug and not server.is_loopback(args.host):
        parser.error(f"--debug only serves this computer (127.0.0.1), not {args.host}: it can run code for any client")
    return args


def classroom_command(args) -> list[str]:
    """gunicorn with the committed config, bound where the flags say."""
    config = os.path.join(HERE, "gunicorn.conf.py")
    return [sys.executable, "-m", "gunicorn", "-c", config, "--chdir", HERE, "-b", f"{args.host}:{args.port}"]


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.classroom:  # few malloc arenas: threads otherwise keep freed memory in arenas of their own
        os.execve(sys.executable, classroom_command(args), {"MALLOC_ARENA_MAX": "2", **os.environ})
    build_app().run(host=args.host, port=args.port, debug=args.debug, dev_tools_ui=args.debug,
                    dev_tools_hot_reload=args.debug, dev_tools_prune_errors=args.debug)


if __name__ == "__main__":
    main()
