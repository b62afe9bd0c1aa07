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
request with its own deadline (:meth:`Site.backend`).

Links follow one rule. A link to an IRI's page (an entity, a sentence, a
document, the ontology and its terms) goes where :meth:`Site.link` says: under
``--base-url`` when one is given, else to this server. Every link to this
server (its stylesheets and scripts, the home, search and query pages, the
named queries, a drawing, and the IRIs' pages when there is no ``--base-url``)
is *relative* (``../static/style.css`` from ``/id/usaid``), so the pages work
both on the server's own address and behind a proxy that serves it under a
path prefix (``https://example.org/mx/`` → ``http://127.0.0.1:7878/``), and
nothing on a page points to another host unless ``--base-url`` names it. The
help text of ``--base-url`` says the same: "Where the IRIs' pages are served
from (e.g. https://w3id.org/mxgraph/): links to entities, sentences and the
ontology go there; the server's own pages, styles and queries are always
linked relatively, so it may sit behind a proxy at a path prefix (default:
every link relative to this server)."

A query typed on the query page runs as ``/sparql`` runs it: its body read
within :data:`~mxgraph.server.sparql.MAX_BODY`, its worker stopped when the
browser goes away, and its failures given ``/sparql``'s statuses (400 for a
refused or malformed query, 422 past ``--max-rows``, 503 past ``--timeout``,
when busy, or when its process died). A page's own lookups that fail are 503:
the request was right, the server could not answer it. No error is sent
with status 200.

The graph does not change while it is served (the server never writes), so the
home page's statistics and the named queries' list are read once, and the pages
of entities, sentences, drawings, named queries and the ontology are rendered
once and kept (:class:`PageCache`: the last 1,024, at most 64 MB); search
results and the query page are computed for each request. Once the first
entity page is asked for, the pages of the graph's labelled nodes are built in
the background, one at a time (:meth:`Pages.warm`), so that a first view costs
what a later one does.

>>> from mxgraph.server.site import ServeConfig, Site
>>> from mxgraph.store import open_store
>>> paths = sorted(r.path for r in routes(Site(open_store(), ServeConfig())))
>>> paths  # doctest: +NORMALIZE_WHITESPACE
['/', '/id/{path:path}', '/ontology', '/queries/{name}', '/query', '/search',
 '/static/{name}']
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

import pyoxigraph as ox

from mxgraph.deadline import Deadline
from mxgraph.errors import MxGraphError, QuerySyntaxError, QueryTimeout
from mxgraph.lookup import GraphStats, graph_stats, search_entities
from mxgraph.lookup_format import amount, arrow, named, number
from mxgraph.namespaces import MX, MXD, PREFIXES, WD
from mxgraph.query import (
    AskResult,
    GraphResult,
    NamedQuery,
    QueryResult,
    SelectResult,
    list_named_queries,
)
from mxgraph.server import pages_rdf, pages_views
from mxgraph.server.pages_assets import drawing_page, static_files
from mxgraph.server.pages_cache import PageCache
from mxgraph.server.pool import Ticket
from mxgraph.server.site import (
    CONTENT_SECURITY_POLICY,
    GraphFormat,
    Rendered,
    ResultFormat,
    Site,
)
from mxgraph.server.sparql import BadRequest, _read_body, _unless_client_leaves
from mxgraph.server.sparql import _status as query_status

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

#: The 404 page searches once, for at most this many words of the path, within this many seconds.
NOT_FOUND_WORDS = 6
NOT_FOUND_SECONDS = 2.0

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

    @jinja2.pass_context
    def link(context: jinja2.runtime.Context, iri: str) -> str | None:
        return page_link(site, iri, context["root"])

    env.globals.update(
        link=link,
        ontology_iri=str(MX).rstrip("#"),
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


def page_link(site: Site, iri: str, root: str) -> str | None:
    """The href of ``iri`` on a page whose way back to the server's root is ``root``: its
    page under ``--base-url``, or on this server relatively, or the IRI itself (``None``
    for a scheme that is not linked; see :func:`safe_href`).

    >>> from mxgraph.server.site import ServeConfig
    >>> from mxgraph.store import open_store
    >>> here = Site(open_store(bundled=False), ServeConfig())
    >>> page_link(here, "https://w3id.org/mxgraph/id/usaid", "../")
    '../id/usaid'
    >>> page_link(here, "https://w3id.org/mxgraph/ontology", "./")
    './ontology'
    >>> there = Site(open_store(bundled=False), ServeConfig(base_url="https://example.org/mx/"))
    >>> page_link(there, "https://w3id.org/mxgraph/ontology#Country", "../")
    'https://example.org/mx/ontology#Country'
    """
    if iri == str(MX).rstrip("#"):  # the ontology itself: the page of its terms
        href = safe_href(site.link(str(MX)))
        href = href.removesuffix("#") if href else href
    else:
        href = safe_href(site.link(iri))
    if href is not None and href.startswith("/"):
        return root + href[1:]
    return href


def relative_root(raw_path: str) -> str:
    """The relative link from the page at ``raw_path`` (as the client sent it, so a
    ``%2F`` is no folder) to the server's root: links made with it work under any path
    prefix a proxy serves the server at.

    >>> relative_root("/"), relative_root("/query"), relative_root("/id/usaid/drawing")
    ('./', './', '../../')
    """
    depth = raw_path.count("/") - 1
    return "../" * depth if depth > 0 else "./"


def request_root(request: Request) -> str:
    """:func:`relative_root` of the request's path."""
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else request.url.path
    return relative_root(path)


# --- the pages ----------------------------------------------------------------------------


class Pages:
    """The page handlers of one :class:`Site`, sharing its templates and what is read once."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.env = _environment(site)
        self.queries: dict[str, NamedQuery] = {q.name: q for q in list_named_queries()}
        self._stats: GraphStats | None = None
        self._fact_sheet: str | None = None  # its IRI, once known to be in the graph
        self.cache = PageCache()
        self._warming: asyncio.Future[int] | None = None  # see warm()

    # Rendering (in worker threads) ------------------------------------------------------

    def html(
        self,
        template: str,
        status: int = 200,
        policy: str | None = None,
        *,
        root: str,
        **context: Any,
    ) -> Response:
        """``template`` rendered with ``context`` for a page whose way back to the server's
        root is ``root`` (:func:`relative_root`), as an HTML response."""
        from starlette.responses import HTMLResponse

        context.setdefault("search_text", "")
        context.setdefault("fact_sheet", self.fact_sheet())
        body = self.env.get_template(template).render(root=root, **context)
        headers = {"Content-Security-Policy": policy} if policy else None
        return HTMLResponse(body, status_code=status, headers=headers)

    def fact_sheet(self) -> str:
        """The fact sheet's IRI, linked from every page's header; empty when the served
        graph has no fact sheet (``--no-bundled``)."""
        if self._fact_sheet is None:
            try:
                found = pages_views.node_kind(self.site.backend(), FACT_SHEET) is not None
            except MxGraphError:
                return ""  # asked again by the next page
            self._fact_sheet = str(FACT_SHEET) if found else ""
        return self._fact_sheet

    def error(self, status: int, heading: str, message: str, root: str) -> Response:
        """An error page."""
        return self.html("error.html", status, heading=heading, message=message, root=root)

    def failed(self, error: MxGraphError, root: str) -> Response:
        """The error page of a page whose own lookups failed: 503, the server could not
        answer a request that was right."""
        heading = "Too slow" if isinstance(error, QueryTimeout) else "Not available"
        return self.error(503, heading, str(error), root)

    def not_found(self, text: str, message: str, root: str) -> Response:
        """The 404 page, with the best matches of one search for the words of ``text``
        (at most :data:`NOT_FOUND_WORDS` of them, within :data:`NOT_FOUND_SECONDS`)."""
        words = " ".join(w for w in re.split(r"[\W_]+", text) if w)
        words = " ".join(words.split()[:NOT_FOUND_WORDS])[:MAX_SEARCH]
        hits: tuple[Any, ...] = ()
        if words:
            backend = self.site.backend()
            # A 404 is no place to wait: its search gets a short deadline of its own.
            left = backend.deadline.remaining()
            backend.deadline = Deadline.start(
                NOT_FOUND_SECONDS if left is None else min(NOT_FOUND_SECONDS, left)
            )
            try:
                hits = search_entities(backend, words, limit=5).hits
            except MxGraphError:
                hits = ()  # the 404 stands without suggestions
        return self.html(
            "not_found.html", 404, message=message, hits=hits, search_text=words, root=root
        )

    async def kept(self, key: tuple[str, ...], work: Callable[[], Response], root: str) -> Response:
        """The page kept under ``key``, else ``work()`` run as :meth:`run` does (and kept
        when it succeeded)."""
        found = self.cache.get(key)
        if found is not None:
            return found
        response = await self.run(work, root)
        if response.status_code == 200:
            self.cache.put(key, response)
        return response

    async def run(self, work: Callable[[], Response], root: str) -> Response:
        """``work()`` in a worker thread; a failing lookup gets a 503 page (:meth:`failed`)."""
        try:
            return await self.site.call(work)
        except MxGraphError as error:
            return await self.site.call(self.failed, error, root)

    # Routes ------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        """``/``: search box, named queries, statistics (503 when these cannot be read)."""
        root = request_root(request)

        def work() -> Response:
            error, status = "", 200
            if self._stats is None:
                try:
                    self._stats = graph_stats(self.site.backend(), top=10)
                except MxGraphError as failed:
                    error, status = f"The statistics could not be computed: {failed}", 503
            return self.html(
                "home.html",
                status,
                queries=list(self.queries.values()),
                stats=self._stats,
                stats_error=error,
                root=root,
            )

        return await self.run(work, root)

    async def search(self, request: Request) -> Response:
        """``/search?q=``: entities matching a name, best first; why nothing when nothing."""
        root = request_root(request)
        bad = _bad_encoding(request)
        if bad:
            return await self.site.call(self.error, 400, "Bad request", bad, root)
        text = request.query_params.get("q", "")
        if len(text) > MAX_SEARCH:
            return await self.site.call(
                self.error,
                413,
                "Search text too long",
                f"search text is longer than {MAX_SEARCH} characters",
                root,
            )

        def work() -> Response:
            hits: tuple[Any, ...] = ()
            message = ""
            if not text.strip():
                message = "Type a name, an alias or words of a description."
            else:
                hits = search_entities(self.site.backend(), text, limit=30).hits
                if not hits:
                    message = (
                        f"No entity's label, alias or description contains every word of "
                        f"“{text.strip()}” (case and accents are ignored)."
                    )
            return self.html(
                "search.html", hits=hits, message=message, error=False, search_text=text, root=root
            )

        return await self.run(work, root)

    async def named_query(self, request: Request) -> Response:
        """``/queries/NAME``: a bundled query run, its answer as a table with links."""
        root = request_root(request)
        name = request.path_params["name"]
        query = self.queries.get(name)
        if query is None:
            return await self.site.call(
                self.not_found, name, f"There is no named query {name!r}.", root
            )

        key = ("query", name, root)
        found = self.cache.get(key)
        if found is not None:
            return found
        # The query is evaluated as users' queries are (their threads and processes: on a
        # large store it may be slow), the page written in a page thread.
        result: QueryResult | None = None
        error, status = "", 200
        try:
            result = await self.site.call_query(self.site.query, query.sparql)
        except MxGraphError as failed:
            error, status = str(failed), query_status(failed)

        def work() -> Response:
            table, message, code = None, error, status
            if result is not None:
                try:
                    table = pages_views.results_table(self.site.backend(), result)
                except MxGraphError as failed:
                    message, code = str(failed), query_status(failed)
            return self.html(
                "named_query.html", code, query=query, table=table, error=message, root=root
            )

        return await self.kept(key, work, root)

    async def query(self, request: Request) -> Response:
        """``/query``: a text area with the predeclared prefixes; its results, or the error at
        its line and column.

        The query runs as ``/sparql`` runs one (see the module's docstring): when the
        browser goes away before the answer, its worker is stopped.
        """
        from starlette.requests import ClientDisconnect

        root = request_root(request)
        if request.method == "POST":
            try:
                body = await _read_body(request)
            except ClientDisconnect:
                return _plain(499, "the client went away before sending its query")
            except BadRequest as refused:
                return await self.site.call(
                    self.error, refused.status, "Query too long", str(refused), root
                )
            from urllib.parse import parse_qs

            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                return await self.site.call(
                    self.error, 400, "Bad request", "the form is not UTF-8 text", root
                )
            sparql: str | None = form["query"][0] if form.get("query") else None
        else:
            bad = _bad_encoding(request)
            if bad:
                return await self.site.call(self.error, 400, "Bad request", bad, root)
            sparql = request.query_params.get("query")
        if sparql is not None and len(sparql) > MAX_QUERY:
            return await self.site.call(
                self.error,
                413,
                "Query too long",
                f"the query is longer than {MAX_QUERY:,} characters",
                root,
            )

        result: QueryResult | None = None
        failure: MxGraphError | None = None
        if sparql is not None:
            if not sparql.strip():
                failure = MxGraphError(
                    "the query is empty: write a SELECT, ASK, CONSTRUCT or DESCRIBE query"
                )
            else:
                ticket = Ticket()
                answering = asyncio.ensure_future(
                    self.site.call_query(  # a user's query: never on the pages' threads
                        self.site.render,
                        sparql,
                        ResultFormat.JSON,
                        GraphFormat.NT,
                        ticket=ticket,
                    )
                )
                try:
                    result = typed_result(await _unless_client_leaves(request, answering, ticket))
                except BadRequest as gone:  # nobody reads the answer: say so in the log only
                    if gone.status == 499:
                        return _plain(499, str(gone))
                    failure = gone
                except MxGraphError as error:
                    failure = error

        def work() -> Response:
            context: dict[str, Any] = {
                "sparql": EXAMPLE_QUERY if sparql is None else sparql,
                "prefixes": [f"{p}:" for p in PREFIXES],
                "table": None,
                "error": "",
                "error_line": 0,
                "error_column": 0,
            }
            status, problem = 200, failure
            if result is not None:
                try:
                    context["table"] = pages_views.results_table(self.site.backend(), result)
                except MxGraphError as error:
                    problem = error
            if problem is not None:
                status = query_status(problem)
                context["error"] = str(problem)
                where = _POSITION.search(str(problem))
                if isinstance(problem, QuerySyntaxError) and where:
                    context["error_line"] = int(where[1])
                    context["error_column"] = int(where[2])
            return self.html("query.html", status, root=root, **context)

        return await self.run(work, root)

    async def ontology(self, request: Request) -> Response:
        """``/ontology``: the classes and properties with anchors, or the ontology file."""
        from starlette.responses import Response

        root = request_root(request)
        fmt = _requested_format(request)
        if isinstance(fmt, str):
            return _plain(406, fmt)
        if fmt.syntax is None:
            return await self.kept(
                ("ontology", fmt.name, root),
                lambda: self.html("ontology.html", view=pages_views.ontology_view(), root=root),
                root,
            )

        def work() -> Response:
            if fmt.name == "ttl":
                content = pages_views.ontology_file().read_bytes()
            else:
                triples = [q.triple for q in pages_views.ontology_store()]
                content = pages_rdf.Description(tuple(triples), ()).serialize(fmt.syntax)  # type: ignore[arg-type]
            return Response(content, media_type=fmt.content_type, headers={"Vary": "Accept"})

        return await self.kept(("ontology", fmt.name), work, root)

    async def node(self, request: Request) -> Response:
        """``/id/...``: an entity, sentence or other node, as a page or as RDF; or a drawing."""
        bad = _bad_encoding(request)
        if bad:
            return _plain(400, bad)
        root = request_root(request)
        path = request.path_params["path"]
        if path.endswith("/drawing"):
            return await self.drawing(path.removesuffix("/drawing"), root)
        iri = self.site.iri_for_path("/id/" + path)
        fmt = _requested_format(request)
        if isinstance(fmt, str):
            return _plain(406, fmt)
        try:
            ox.NamedNode(iri)
        except ValueError:
            return await self._missing(fmt, path, f"{iri} is not an IRI.", root)
        if self._warming is None and fmt.syntax is None:
            # Someone reads the pages: build the others' before they are asked for.
            self._warming = asyncio.ensure_future(self.warm())
        return await self.kept(_node_key(path, fmt, root), self._node_work(path, fmt, root), root)

    def _node_work(self, path: str, fmt: pages_rdf.PageFormat, root: str) -> Callable[[], Response]:
        """What builds the page (or the RDF, in ``fmt``) of the node at ``/id/PATH``."""
        iri = self.site.iri_for_path("/id/" + path)

        def work() -> Response:
            backend = self.site.backend()
            kind = pages_views.node_kind(backend, iri)
            if kind is None:
                return self._missing_now(fmt, path, f"The graph says nothing about {iri}.", root)
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
                drawing = f"{root}id/{quote(path)}/drawing"
                response = self.html(
                    "entity.html", policy=PAGE_POLICY, view=view, drawing=drawing, root=root
                )
            elif kind == "sentence":
                sentence = pages_views.sentence_view(backend, iri)
                response = self.html("sentence.html", view=sentence, root=root)
            else:
                resource = pages_views.resource_view(backend, iri)
                response = self.html("resource.html", view=resource, root=root)
            response.headers["Vary"] = "Accept"
            return response

        return work

    async def warm(self) -> int:
        """Build and keep the HTML pages of the graph's labelled nodes (at most
        :data:`WARM_PAGES`), one at a time, so that their first view costs what a later
        one does; stop at the first that fails. The number of pages built.

        A page builds in 3 to 40 ms; the bundled graph's 260 take about 2.5 s of one
        worker, after which a first view at 8 clients is answered at p99 in 20 ms
        rather than 170 ms (measured on loopback, 2 cores).
        """
        try:
            rows = await self.site.call(self.site.backend().select, _WARM_QUERY)
        except MxGraphError:
            return 0
        built = 0
        for (node,) in rows.rows:
            if not isinstance(node, ox.NamedNode) or not node.value.startswith(str(MXD)):
                continue
            path = node.value[len(MXD) :]
            root = relative_root("/id/" + quote(path))
            key = _node_key(path, pages_rdf.HTML, root)
            if self.cache.get(key) is not None:
                continue
            response = await self.kept(key, self._node_work(path, pages_rdf.HTML, root), root)
            if response.status_code != 200:
                break
            built += 1
        return built

    async def _missing(
        self, fmt: pages_rdf.PageFormat, path: str, message: str, root: str
    ) -> Response:
        return await self.site.call(self._missing_now, fmt, path, message, root)

    def _missing_now(
        self, fmt: pages_rdf.PageFormat, path: str, message: str, root: str
    ) -> Response:
        if fmt.syntax is not None:
            return _plain(404, message)
        return self.not_found(path.rpartition("/")[2], message, root)

    async def drawing(self, path: str, root: str) -> Response:
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
                return self.not_found(path, f"{iri} is not an IRI.", root)
            if pages_views.node_kind(backend, iri) != "entity":
                return self.not_found(path, f"{iri} is no entity of the graph to draw.", root)
            graph = neighborhood_graph(backend, f"<{iri}>")
            html = render_html(graph, class_colours(graph), OTHER_COLOUR)
            back = f"{root}id/{quote(path)}"
            page = drawing_page(html, back, graph.nodes[0].label, root)
            return HTMLResponse(page, headers={"Content-Security-Policy": DRAWING_POLICY})

        return await self.kept(("drawing", path, root), work, root)

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
            self.not_found,
            path.rpartition("/")[2],
            f"There is no page at {request.url.path}.",
            request_root(request),
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


#: How many pages :meth:`Pages.warm` builds at most (the cache keeps 1,024).
WARM_PAGES = 512

_WARM_QUERY = f"""
SELECT DISTINCT ?node WHERE {{
  ?node skos:prefLabel ?label .
  FILTER(STRSTARTS(STR(?node), "{MXD}"))
}}
LIMIT {WARM_PAGES}"""


def _node_key(path: str, fmt: pages_rdf.PageFormat, root: str) -> tuple[str, ...]:
    """The cache key of a node's page: RDF is the same from any URL, HTML links relatively."""
    return ("node", path, fmt.name) if fmt.syntax is not None else ("node", path, "html", root)


def typed_result(rendered: Rendered) -> QueryResult:
    """A query's answer as :meth:`Site.render` wrote it (SPARQL JSON results, or N-Triples),
    read back into a typed result for the results table.

    >>> typed_result(Rendered("application/sparql-results+json", b'{"head": {}, "boolean": true}'))
    AskResult(value=True)
    >>> typed_result(Rendered("application/n-triples", b""))
    GraphResult(triples=())
    """
    if rendered.media_type != ResultFormat.JSON.value:
        triples = ox.parse(rendered.body, ox.RdfFormat.N_TRIPLES) if rendered.body else ()
        return GraphResult(tuple(quad.triple for quad in triples))
    parsed = ox.parse_query_results(rendered.body, ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return AskResult(bool(parsed))
    assert isinstance(parsed, ox.QuerySolutions)
    variables = tuple(v.value for v in parsed.variables)
    return SelectResult(variables, tuple(tuple(row[v] for v in variables) for row in parsed))


_POSITION = re.compile(r"at line (\d+), column (\d+)")


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
