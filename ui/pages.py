"""The app's two pages: the explorer at / and the batch lab at /batch, swapped by one callback.

The explorer's layout is used unchanged as a page: a top-level dcc.Location picks
the page, and the explorer keeps its own Location for its query string.
"""

from __future__ import annotations

from dash import Input, Output, State, callback, dcc, html

from lab.query import from_query
from ui import batch_page
from ui.layout import layout as explorer_layout

PAGES = {"/": "explorer", "/batch": "batch"}


def shell() -> html.Div:
    return html.Div([dcc.Location(id="page", refresh=False), html.Div(id="page-content")])


def validation_layout() -> html.Div:
    """Every page at once, so Dash checks each callback's ids against the page that has them."""
    return html.Div([shell(), explorer_layout(), batch_page.layout(None)])


def page_for(pathname, search):
    path = (pathname.rstrip("/") or "/") if isinstance(pathname, str) else "/"
    page = PAGES.get(path)
    if page == "explorer":  # in the language and mode of the link it is opened with
        return explorer_layout(from_query(search if isinstance(search, str) else "").settings)
    if page == "batch":
        return batch_page.layout(search)
    return batch_page.not_found(pathname)


@callback(Output("page-content", "children"), Input("page", "pathname"), State("page", "search"))
def route(pathname, search):
    return page_for(pathname, search)
