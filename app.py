"""Error Surface Lab: the web app. Composition root: build, register callbacks, run."""

import argparse

from dash import Dash

import ui.callbacks  # noqa: F401  (registers the callbacks)
import ui.export_menu  # noqa: F401
import ui.formula_box  # noqa: F401
from ui import pages  # the explorer at /, the batch lab at /batch


def build_app() -> Dash:
    app = Dash(__name__, title="Error Surface Lab", serve_locally=True)
    app.layout = pages.shell
    app.validation_layout = pages.validation_layout()
    return app


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Serve Error Surface Lab.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (never on a shared network)")
    args = parser.parse_args(argv)
    build_app().run(host=args.host, port=args.port, debug=args.debug)


if __name__ == "__main__":
    main()
