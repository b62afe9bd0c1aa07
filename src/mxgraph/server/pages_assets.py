"""The files the pages load from ``/static/``, and the neighbourhood drawing made to use them.

The site's Content-Security-Policy allows no inline script or style, so the
offline HTML drawing of ``mxgraph viz`` (:mod:`mxgraph.viz_html`, one page with
its code inline) is served with its stylesheet and script taken out into
``/static/drawing.css`` and ``/static/drawing.js``; its graph stays in the page
as a JSON data block, which no policy runs.

>>> sorted(static_files())
['drawing.css', 'drawing.js', 'style.css']
>>> page = drawing_page(_sample(), "../../id/usaid", "USAID", "../../")
>>> "<script>" in page, '<script src="../../static/drawing.js">' in page
(False, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class StaticFile:
    """A file served under ``/static/``: its bytes and media type."""

    content: bytes
    media_type: str


_MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}

_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')
_STYLE = re.compile(r"<style>\n?(.*?)</style>", re.DOTALL)
_SCRIPT = re.compile(r"<script>\n?(.*?)</script>", re.DOTALL)  # the code, not the data block


@cache
def _drawing_parts() -> tuple[str, str]:
    """The stylesheet and script of ``mxgraph viz``'s HTML drawing, taken out of its page
    (they are the same for every graph; the graph travels as a JSON data block)."""
    from mxgraph.viz import VizGraph
    from mxgraph.viz_html import render_html

    page = render_html(VizGraph("", (), ()), {}, "#fff")
    styles, scripts = _STYLE.findall(page), _SCRIPT.findall(page)
    if len(styles) != 1 or len(scripts) != 1 or len(_META_CSP.findall(page)) != 1:
        raise RuntimeError("the HTML drawing's page no longer has one style and one script")
    return styles[0], scripts[0]


def drawing_page(html: str, back: str, label: str, root: str = "/") -> str:
    """The drawing's page with its style and script as files under ``/static/`` (the site's
    policy allows no inline code), and a link ``back`` to the entity's page; ``root`` is
    the way from the drawing's URL to the server's root (the pages link relatively)."""
    from markupsafe import escape

    html = _META_CSP.sub("", html, count=1)
    static = escape(root + "static/")
    html = _STYLE.sub(f'<link rel="stylesheet" href="{static}drawing.css">', html, count=1)
    html = _SCRIPT.sub(lambda _: f'<script src="{static}drawing.js"></script>', html, count=1)
    link = f'<a href="{escape(back)}" target="_top">← {escape(label)}</a>'
    nav = f'<nav class="drawing-back">{link}</nav>\n'
    return html.replace("<header>", nav + "<header>", 1)


@cache
def static_files() -> dict[str, StaticFile]:
    """Every file ``/static/`` serves, by name: the only names it answers (no path is read
    from a URL)."""
    files = {
        path.name: StaticFile(path.read_bytes(), _MEDIA_TYPES[path.suffix])
        for path in sorted((_HERE / "static").iterdir())
        if path.suffix in _MEDIA_TYPES
    }
    style, script = _drawing_parts()
    files["drawing.css"] = StaticFile(style.encode(), _MEDIA_TYPES[".css"])
    files["drawing.js"] = StaticFile(script.encode(), _MEDIA_TYPES[".js"])
    return files


def _sample() -> str:
    """The drawing page of an empty graph (for the examples)."""
    from mxgraph.viz import VizGraph
    from mxgraph.viz_html import render_html

    return render_html(VizGraph("", (), ()), {}, "#fff")
