"""The Linked Data pages of ``mxgraph serve``: a page for every entity, the home, search and
query pages, the ontology, and the neighbourhood drawing.

:func:`routes` gives the Starlette routes; :func:`not_found_handler` the 404 page
(with search results for the last segment of the path) for the application to
register. Pages are rendered on the server by Jinja2 templates (autoescaped)
and work without JavaScript; their stylesheet and the drawing's script are
files under ``/static/``, so they work under
:data:`~mxgraph.server.site.CONTENT_SECURITY_POLICY` (no inline script or style,
nothing from another host).

Every IRI path (``/id/usaid``) answers by content negotiation (``Accept`` or
``?format=``, see :mod:`mxgraph.server.pages_rdf`): HTML for browsers,
Turtle, JSON-LD, N-Triples, RDF/XML, TriG or N-Quads for RDF clients, 406
for anything else. ``/ontology`` gives the ontology's page or its file.
Graph reads and rendering run in worker threads (:meth:`Site.call`), each
request with its own deadline (:meth:`Site.backend`). Links to IRIs come from
:meth:`Site.link`, so ``--base-url`` makes them right; the server's own paths
(``/static/``, ``/query``, a drawing) stay on this server.

The graph does not change while it is served (the server never writes), so the
home page's statistics and the named queries' list are read once, and the pages
of entities, sentences, drawings, named queries and the ontology are rendered
once and kept (:class:`PageCache`: the last 1,024, at most 64 MB); search
results and the query page are computed for each request.

>>> from mxgraph.server.site import ServeConfig, Site
>>> from mxgraph.store import open_store
>>> paths = sorted(r.path for r in routes(Site(open_store(), ServeConfig())))
>>> paths  # doctest: +NORMALIZE_WHITESPACE
['/', '/id/{path:path}', '/ontology', '/queries/{name}', '/query', '/search',
 '/static/{name}']
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import pyoxigraph as ox

from mxgraph.errors import MemoryLimitExceeded, MxGraphError, QuerySyntaxError, QueryTimeout
from mxgraph.lookup import GraphStats, graph_stats, search_entities
from mxgraph.lookup_format import amount, arrow, named, number
from mxgraph.namespaces import MXD, PREFIXES, WD
from mxgraph.query import NamedQuery, list_named_queries
from mxgraph.server import pages_rdf, pages_views
from mxgraph.server.pages_assets import drawing_page, static_files
from mxgraph.server.pages_cache import PageCache
from mxgraph.server.pool import PoolStopped
from mxgraph.server.site import CONTENT_SECURITY_POLICY, ResultTooLarge, Site

if TYPE_CHECKING:
    import jinja2
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

_HERE = Path(__file__).resolve().parent

#: The policy of an entity page: the site's, and its drawing may be framed from this server.
PAGE_POLICY = CONTENT_SECURITY_POLICY + "; frame-src 'self'"
#: The policy of a drawing: the site's, but framed by this server's entity pages.
DRAWING_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'")

#: The source document of the bundled graph, linked from every page's header.
FACT_SHEET = MXD["fact-sheet"]

#: Longest search text and query text accepted (characters); longer ones get HTTP 413.
MAX_SEARCH = 200
MAX_QUERY = 100_000

_RDF_FORMATS = tuple(f for f in pages_rdf.PAGE_FORMATS if f.syntax is not None)

#: The example the query page starts with.
EXAMPLE_QUERY = (
    "# These prefixes are predeclared (no PREFIX lines needed):\n"
    + "".join(f"#   {name}: <{namespace}>\n" for name, namespace in PREFIXES.items())
    + """\
# Countries and the international organizations they belong to (IRIs link to their pages):
SELECT ?country ?organization WHERE {
  ?country a mx:Country ;
           mx:memberOf ?organization .
  ?organization a mx:InternationalOrganization .
}
ORDER BY ?country ?organization
"""
)


# --- templates ----------------------------------------------------------------------------


def _environment(site: Site) -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        link=lambda iri: safe_href(site.link(iri)),
        anchor=lambda iri: iri.rpartition("/")[2],
        amount=amount,
        arrow=arrow,
        named=named,
        number=number,
        wikidata_id=lambda iri: iri[len(WD) :] if iri.startswith(WD) else iri,
        rdf_formats=_RDF_FORMATS,
    )
    return env


def safe_href(href: str) -> str | None:
    """``href`` when it is a path or an http(s) URL; ``None`` for any other scheme (an IRI
    ``javascript:...`` in the data is shown, never linked).

    >>> safe_href("/id/usaid"), safe_href("http://www.wikidata.org/entity/Q96")
    ('/id/usaid', 'http://www.wikidata.org/entity/Q96')
    >>> safe_href("javascript:alert(1)") is None, safe_href("//evil.example/") is None
    (True, True)
    """
    if href.startswith("/") and not href.startswith("//"):
        return href
    if href.lower().startswith(("http://", "https://")):
        return href
    return None


# --- the pages ----------------------------------------------------------------------------


class Pages:
    """The page handlers of one :class:`Site`, sharing its templates and what is read once."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.env = _environment(site)
        self.queries: dict[str, NamedQuery] = {q.name: q for q in list_named_queries()}
        self._stats: GraphStats | None = None
        self._fact_sheet: str | None = None  # its page's link, once known to exist
        self.cache = PageCache()

    # Rendering (in worker threads) ------------------------------------------------------

    def html(
        self, template: str, status: int = 200, policy: str | None = None, **context: Any
    ) -> Response:
        """``template`` rendered with ``context``, as an HTML response."""
        from starlette.responses import HTMLResponse

        context.setdefault("search_text", "")
        context.setdefault("fact_sheet", self.fact_sheet())
        body = self.env.get_template(template).render(**context)
        headers = {"Content-Security-Policy": policy} if policy else None
        return HTMLResponse(body, status_code=status, headers=headers)

    def fact_sheet(self) -> str:
        """The link to the fact sheet's page for every page's header; empty when the served
        graph has no fact sheet (``--no-bundled``)."""
        if self._fact_sheet is None:
            try:
                found = pages_views.node_kind(self.site.backend(), FACT_SHEET) is not None
            except MxGraphError:
                return ""  # asked again by the next page
            self._fact_sheet = self.site.link(FACT_SHEET) if found else ""
        return self._fact_sheet

    def error(self, status: int, heading: str, message: str) -> Response:
        """An error page."""
        return self.html("error.html", status, heading=heading, message=message)

    def not_found(self, text: str, message: str) -> Response:
        """The 404 page, with the search's best matches for ``text`` (all its words, else
        its longest word that finds something)."""
        words = " ".join(re.split(r"[\W_]+", text)).strip()[:MAX_SEARCH]
        hits: tuple[Any, ...] = ()
        tries = [words, *sorted(set(words.split()), key=lambda w: (-len(w), w))] if words else []
        for attempt in tries[:4]:
            try:
                hits = search_entities(self.site.backend(), attempt, limit=5).hits
            except QueryTimeout:
                raise
            except MxGraphError:
                hits = ()
            if hits:
                words = attempt
                break
        return self.html("not_found.html", 404, message=message, hits=hits, search_text=words)

    async def kept(self, key: tuple[str, ...], work: Callable[[], Response]) -> Response:
        """The page kept under ``key``, else ``work()`` run as :meth:`run` does (and kept
        when it succeeded)."""
        found = self.cache.get(key)
        if found is not None:
            return found
        response = await self.run(work)
        if response.status_code == 200:
            self.cache.put(key, response)
        return response

    async def run(self, work: Callable[[], Response]) -> Response:
        """``work()`` in a worker thread; a time-out or a failing lookup gets an error page."""
        try:
            return await self.site.call(work)
        except QueryTimeout as error:
            return await self.site.call(self.error, 503, "Too slow", str(error))
        except PoolStopped as error:
            return await self.site.call(self.error, 503, "Not available", str(error))
        except MxGraphError as error:
            return await self.site.call(self.error, 500, "Something went wrong", str(error))

    # Routes ------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        """``/``: search box, named queries, statistics."""

        def work() -> Response:
            error = ""
            if self._stats is None:
                try:
                    self._stats = graph_stats(self.site.backend(), top=10)
                except MxGraphError as failed:
                    error = f"The statistics could not be computed: {failed}"
            return self.html(
                "home.html",
                queries=list(self.queries.values()),
                stats=self._stats,
                stats_error=error,
            )

        return await self.run(work)

    async def search(self, request: Request) -> Response:
        """``/search?q=``: entities matching a name, best first; why nothing when nothing."""
        bad = _bad_encoding(request)
        if bad:
            return await self.site.call(self.error, 400, "Bad request", bad)
        text = request.query_params.get("q", "")
        if len(text) > MAX_SEARCH:
            return await self.site.call(
                self.error,
                413,
                "Search text too long",
                f"search text is longer than {MAX_SEARCH} characters",
            )

        def work() -> Response:
            hits: tuple[Any, ...] = ()
            message, error = "", False
            if not text.strip():
                message = "Type a name, an alias or words of a description."
            else:
                try:
                    hits = search_entities(self.site.backend(), text, limit=30).hits
                except QueryTimeout:
                    raise
                except MxGraphError as failed:
                    message, error = str(failed), True
                if not hits and not message:
                    message = (
                        f"No entity's label, alias or description contains every word of "
                        f"“{text.strip()}” (case and accents are ignored)."
                    )
            return self.html(
                "search.html", hits=hits, message=message, error=error, search_text=text
            )

        return await self.run(work)

    async def named_query(self, request: Request) -> Response:
        """``/queries/NAME``: a bundled query run, its answer as a table with links."""
        name = request.path_params["name"]
        query = self.queries.get(name)
        if query is None:
            return await self.site.call(self.not_found, name, f"There is no named query {name!r}.")

        def work() -> Response:
            table, error, status = None, "", 200
            try:
                result = self.site.query(query.sparql)
                table = pages_views.results_table(self.site.backend(), result)
            except MxGraphError as failed:
                error, status = str(failed), _status(failed)
            return self.html("named_query.html", status, query=query, table=table, error=error)

        return await self.kept(("query", name), work)

    async def query(self, request: Request) -> Response:
        """``/query``: a text area with the predeclared prefixes; its results, or the error at
        its line and column."""
        if request.method == "POST":
            body = await request.body()
            if len(body) > 4 * MAX_QUERY:
                return await self.site.call(
                    self.error,
                    413,
                    "Query too long",
                    f"the query is longer than {MAX_QUERY:,} characters",
                )
            from urllib.parse import parse_qs

            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                return await self.site.call(
                    self.error, 400, "Bad request", "the form is not UTF-8 text"
                )
            sparql: str | None = form["query"][0] if form.get("query") else None
        else:
            bad = _bad_encoding(request)
            if bad:
                return await self.site.call(self.error, 400, "Bad request", bad)
            sparql = request.query_params.get("query")
        if sparql is not None and len(sparql) > MAX_QUERY:
            return await self.site.call(
                self.error,
                413,
                "Query too long",
                f"the query is longer than {MAX_QUERY:,} characters",
            )

        def work() -> Response:
            context: dict[str, Any] = {
                "sparql": EXAMPLE_QUERY if sparql is None else sparql,
                "prefixes": [f"{p}:" for p in PREFIXES],
                "table": None,
                "error": "",
                "error_line": 0,
                "error_column": 0,
            }
            status = 200
            if sparql is not None:
                try:
                    if not sparql.strip():
                        raise MxGraphError(
                            "the query is empty: write a SELECT, ASK, CONSTRUCT or DESCRIBE query"
                        )
                    result = self.site.query(sparql)
                    context["table"] = pages_views.results_table(self.site.backend(), result)
                except MxGraphError as failed:
                    status = _status(failed)
                    context["error"] = str(failed)
                    where = _POSITION.search(str(failed))
                    if isinstance(failed, QuerySyntaxError) and where:
                        context["error_line"] = int(where[1])
                        context["error_column"] = int(where[2])
            return self.html("query.html", status, **context)

        return await self.run(work)

    async def ontology(self, request: Request) -> Response:
        """``/ontology``: the classes and properties with anchors, or the ontology file."""
        from starlette.responses import Response

        fmt = _requested_format(request)
        if isinstance(fmt, str):
            return _plain(406, fmt)
        if fmt.syntax is None:
            return await self.kept(
                ("ontology", fmt.name),
                lambda: self.html("ontology.html", view=pages_views.ontology_view()),
            )

        def work() -> Response:
            if fmt.name == "ttl":
                content = pages_views.ontology_file().read_bytes()
            else:
                triples = [q.triple for q in pages_views.ontology_store()]
                content = pages_rdf.Description(tuple(triples), ()).serialize(fmt.syntax)  # type: ignore[arg-type]
            return Response(content, media_type=fmt.content_type, headers={"Vary": "Accept"})

        return await self.kept(("ontology", fmt.name), work)

    async def node(self, request: Request) -> Response:
        """``/id/...``: an entity, sentence or other node, as a page or as RDF; or a drawing."""
        bad = _bad_encoding(request)
        if bad:
            return _plain(400, bad)
        path = request.path_params["path"]
        if path.endswith("/drawing"):
            return await self.drawing(path.removesuffix("/drawing"))
        iri = self.site.iri_for_path("/id/" + path)
        fmt = _requested_format(request)
        if isinstance(fmt, str):
            return _plain(406, fmt)
        try:
            ox.NamedNode(iri)
        except ValueError:
            return await self._missing(fmt, path, f"{iri} is not an IRI.")

        def work() -> Response:
            backend = self.site.backend()
            kind = pages_views.node_kind(backend, iri)
            if kind is None:
                return self._missing_now(fmt, path, f"The graph says nothing about {iri}.")
            if fmt.syntax is not None:
                from starlette.responses import Response

                found = pages_rdf.description(backend, iri)
                return Response(
                    found.serialize(fmt.syntax),
                    media_type=fmt.content_type,
                    headers={"Vary": "Accept"},
                )
            if kind == "entity":
                view = pages_views.entity_view(backend, iri)
                response = self.html(
                    "entity.html", policy=PAGE_POLICY, view=view, drawing=f"/id/{path}/drawing"
                )
            elif kind == "sentence":
                response = self.html("sentence.html", view=pages_views.sentence_view(backend, iri))
            else:
                response = self.html("resource.html", view=pages_views.resource_view(backend, iri))
            response.headers["Vary"] = "Accept"
            return response

        return await self.kept(("node", path, fmt.name), work)

    async def _missing(self, fmt: pages_rdf.PageFormat, path: str, message: str) -> Response:
        return await self.site.call(self._missing_now, fmt, path, message)

    def _missing_now(self, fmt: pages_rdf.PageFormat, path: str, message: str) -> Response:
        if fmt.syntax is not None:
            return _plain(404, message)
        return self.not_found(path.rpartition("/")[2], message)

    async def drawing(self, path: str) -> Response:
        """``/id/.../drawing``: ``mxgraph viz``'s offline drawing of the entity's neighbours."""
        iri = self.site.iri_for_path("/id/" + path)

        def work() -> Response:
            from starlette.responses import HTMLResponse

            from mxgraph.viz import OTHER_COLOUR, class_colours, neighborhood_graph
            from mxgraph.viz_html import render_html

            backend = self.site.backend()
            try:
                ox.NamedNode(iri)
            except ValueError:
                return self.not_found(path, f"{iri} is not an IRI.")
            if pages_views.node_kind(backend, iri) != "entity":
                return self.not_found(path, f"{iri} is no entity of the graph to draw.")
            graph = neighborhood_graph(backend, f"<{iri}>")
            html = render_html(graph, class_colours(graph), OTHER_COLOUR)
            page = drawing_page(html, f"/id/{path}", graph.nodes[0].label)
            return HTMLResponse(page, headers={"Content-Security-Policy": DRAWING_POLICY})

        return await self.kept(("drawing", path), work)

    async def static(self, request: Request) -> Response:
        """``/static/NAME``: one of :func:`static_files`, by exact name."""
        from starlette.responses import PlainTextResponse, Response

        found = static_files().get(request.path_params["name"])
        if found is None:
            return PlainTextResponse("error: no such file", status_code=404)
        return Response(
            found.content,
            media_type=found.media_type,
            headers={"Cache-Control": "public, max-age=3600"},
        )

    async def missing_page(self, request: Request, exc: Exception) -> Response:
        """The 404 page for any path no route answers, with search results for its last
        segment (HTML clients), or a one-line message (others)."""
        path = unquote(request.url.path).rstrip("/")
        fmt = pages_rdf.negotiate(request.headers.get("accept"))
        if fmt is None or fmt.syntax is not None:
            return _plain(404, f"no page at {request.url.path}")
        return await self.site.call(
            self.not_found, path.rpartition("/")[2], f"There is no page at {request.url.path}."
        )

    def routes(self) -> list[BaseRoute]:
        """The Starlette routes of the pages."""
        from starlette.routing import Route

        return [
            Route("/", self.home, methods=["GET"]),
            Route("/search", self.search, methods=["GET"]),
            Route("/queries/{name}", self.named_query, methods=["GET"]),
            Route("/query", self.query, methods=["GET", "POST"]),
            Route("/ontology", self.ontology, methods=["GET"]),
            Route("/id/{path:path}", self.node, methods=["GET"]),
            Route("/static/{name}", self.static, methods=["GET"]),
        ]


_POSITION = re.compile(r"at line (\d+), column (\d+)")


def _status(error: MxGraphError) -> int:
    """The HTTP status of a failed query, as ``/sparql`` answers it: the server's lack of
    time or memory is 503, a result past ``--max-rows`` 422, anything else the query's
    fault (400)."""
    if isinstance(error, QueryTimeout | MemoryLimitExceeded | PoolStopped):
        return 503
    if isinstance(error, ResultTooLarge):
        return 422
    return 400


def _requested_format(request: Request) -> pages_rdf.PageFormat | str:
    """The format asked for by ``?format=`` or ``Accept``, or the message of a 406."""
    name = request.query_params.get("format") or None
    offered = ", ".join(f.media_type for f in pages_rdf.PAGE_FORMATS)
    if name is not None:
        found = pages_rdf.FORMATS_BY_NAME.get(name.lower())
        if found is None:
            names = ", ".join(pages_rdf.FORMATS_BY_NAME)
            return f"unknown format {name!r}; use one of {names}"
        return found
    accept = request.headers.get("accept")
    chosen = pages_rdf.negotiate(accept)
    if chosen is None:
        return f"cannot give any of {accept!r}; this page is available as {offered}"
    return chosen


def _bad_encoding(request: Request) -> str | None:
    """Why the request's path or query string is not UTF-8 once percent-decoded, or ``None``.

    (The server decodes them leniently, so a stray ``%FF`` would otherwise become U+FFFD.)
    """
    from urllib.parse import parse_qsl, unquote_to_bytes

    raw_path = request.scope.get("raw_path") or b""
    try:
        unquote_to_bytes(raw_path).decode("utf-8")
    except UnicodeDecodeError:
        return "the path is not UTF-8 once percent-decoded"
    try:
        parse_qsl(request.scope.get("query_string", b"").decode("utf-8"), errors="strict")
    except UnicodeDecodeError:
        return "the query string is not UTF-8 once percent-decoded"
    return None


def _plain(status: int, message: str) -> Response:
    from starlette.responses import PlainTextResponse

    headers = {"Vary": "Accept"}
    return PlainTextResponse(f"error: {message}\n", status_code=status, headers=headers)


def routes(site: Site) -> list[BaseRoute]:
    """The routes of the pages of ``site`` (see the module's docstring)."""
    return Pages(site).routes()


def not_found_handler(
    site: Site,
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """The application's 404 handler: register it as ``exception_handlers={404: ...}``."""
    return Pages(site).missing_page
